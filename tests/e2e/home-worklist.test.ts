/**
 * Home's "Needs attention" list is a worklist shown 25 patients at a time: a whole site can have
 * hundreds on it. This clinic has thirty IOP patients with nothing scheduled this week, so all
 * thirty are below their required hours; the admin sees the count, the first 25 by name, and pages
 * on to the last five and back. One of them attended 539 minutes this week, a minute short of
 * nine hours: both Home and their attendance page show "8 h 59 min" beside "Below required hours",
 * never a figure rounded up to the minimum they missed.
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createDb } from "../../db/database";
import { migrateToLatest } from "../../db/migrator";
import { todayIn, weekStart, zonedInstant } from "~/kernel/time";
import { getRollCall, saveRollCall } from "~/features/attendance/attendance.server";
import { newId } from "~/utils/ids";
import { meta } from "../support/demo";
import { seedDemo } from "../../seeds/demo";
import { enroll } from "../integration/patients-support";
import { emptyDatabase } from "../support/databases";
import { ADMIN, hydrated, signIn, visible } from "./helpers";
import type { RunningServer } from "../support/server";
import { serveOwnClinic } from "./support/server";

const PATIENTS = 30;
const name = (n: number) => `Worklist${String(n).padStart(2, "0")}`;

let drop: () => Promise<void>;
let server: RunningServer;
let browser: Browser;
let own: Awaited<ReturnType<typeof serveOwnClinic>> | undefined;
/** Worklist01, who attended 8 h 59 min this week. */
let shortId = "";

beforeAll(async () => {
  const fresh = await emptyDatabase(inject("dialect"));
  drop = fresh.drop;
  const db = createDb(fresh.url);
  await migrateToLatest(db);
  const clinic = await seedDemo(db, { patients: false });
  // The admin signs in with the password alone here; two-factor sign-in is proved in security.test.ts.
  await db.updateTable("program_settings").set({ value: "none" }).where("key", "=", "two_factor_required_for").execute();
  const admin = { id: clinic.users["dana.whitfield"].id, name: "Dana Whitfield" };
  const today = todayIn("America/New_York");
  const monday = weekStart(today);
  for (let n = 1; n <= PATIENTS; n++) {
    const { id } = await enroll(db, admin, clinic.siteId, {
      legalFirstName: "Pat",
      legalLastName: name(n),
      dateOfBirth: `1980-01-${String(n).padStart(2, "0")}`,
      // From this week's Monday (Worklist01's long session is that day): a whole week, so each is held
      // to the full nine hours, whatever day the test runs (a partial week would be prorated).
      admittedOn: monday,
      part2NoticeOn: monday,
      primaryCounselorId: clinic.users["marcus.bell"].id,
    });
    if (n === 1) shortId = id;
  }
  // A 539-minute session on this week's Monday (08:00–16:59 in New York), Worklist01 present for all
  // of it: 8 h 59 min attended, nothing else on their roster, one minute short of the IOP minimum (540).
  const tz = "America/New_York";
  const session = { id: newId(), startsAt: zonedInstant(monday, "08:00", tz), endsAt: zonedInstant(monday, "16:59", tz) };
  const stamp = new Date().toISOString();
  await db
    .insertInto("sessions")
    .values({
      id: session.id,
      site_id: clinic.siteId,
      kind: "group",
      group_kind: "skills",
      title: "Long skills day",
      facilitator_id: clinic.users["marcus.bell"].id,
      modality: "in_person",
      capacity: 12,
      local_date: monday,
      starts_at: session.startsAt,
      ends_at: session.endsAt,
      status: "scheduled",
      cancel_reason: null,
      created_at: stamp,
      updated_at: stamp,
    })
    .execute();
  await db
    .insertInto("session_participants")
    .values({ id: newId(), session_id: session.id, patient_id: shortId, source: "added", joined_at: stamp, left_at: null, left_reason: null })
    .execute();
  const roll = await getRollCall(db, session.id, clinic.siteId);
  const saved = await saveRollCall(
    db,
    admin,
    session.id,
    { version: roll!.session.rollVersion, marks: [{ patientId: shortId, status: "present", mode: "in_person" }] },
    { id: clinic.siteId, time_zone: tz },
    meta,
    // Taken as the session ends (on a Monday morning it is still ahead of the clock).
    new Date(session.endsAt),
  );
  if (!saved.ok) throw new Error(`roll call refused: ${JSON.stringify(saved)}`);
  await db.destroy();
  own = await serveOwnClinic(fresh.url);
  ({ server, browser } = own);
});

afterAll(async () => {
  await own?.close();
  await drop?.();
});

describe("Home's worklist", () => {
  it("shows the count and 25 patients a page, and pages on and back", async () => {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    await signIn(page, server.url, ADMIN);
    await page.waitForURL(`${server.url}/`);
    await hydrated(page);
    await visible(page.getByRole("heading", { name: `Needs attention (${PATIENTS})` }));
    const list = page.getByRole("table", { name: "Needs attention" });
    const patientRows = list.getByRole("row").filter({ hasText: "Below required hours" });
    expect(await patientRows.count()).toBe(25);
    await visible(list.getByRole("row", { name: new RegExp(name(1)) }));
    await visible(list.getByRole("row", { name: new RegExp(name(25)) }));
    expect(await list.getByRole("row", { name: new RegExp(name(26)) }).count()).toBe(0);
    const pages = page.getByRole("navigation", { name: "Needs attention pages" });
    await visible(pages.getByText("1–25 of 30 · page 1 of 2"));

    await pages.getByRole("link", { name: "Next 5 ›" }).click();
    await page.waitForURL(`${server.url}/?attention=2`);
    await visible(pages.getByText("26–30 of 30 · page 2 of 2"));
    expect(await patientRows.count()).toBe(5);
    await visible(list.getByRole("row", { name: new RegExp(name(30)) }));
    expect(await list.getByRole("row", { name: new RegExp(name(1)) }).count()).toBe(0);
    expect(await pages.getByRole("link", { name: /Next/ }).count()).toBe(0);

    await pages.getByRole("link", { name: "‹ Previous 25" }).click();
    await page.waitForURL(`${server.url}/?attention=1`);
    await visible(pages.getByText("1–25 of 30 · page 1 of 2"));
    // A page past the end shows the last page rather than an empty list.
    await page.goto(`${server.url}/?attention=9`);
    await visible(pages.getByText("26–30 of 30 · page 2 of 2"));
    await ctx.close();
  });

  it("shows 8 h 59 min, not 9 h, beside Below required hours on Home and on the patient's attendance", async () => {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    await signIn(page, server.url, ADMIN);
    await page.waitForURL(`${server.url}/`);
    await hydrated(page);
    const row = page.getByRole("table", { name: "Needs attention" }).getByRole("row", { name: new RegExp(name(1)) });
    await visible(row.getByText("Below required hours"));
    await visible(row.getByText("8 h 59 min attended, 0 min still scheduled · 9 h required (9–19 hours a week)", { exact: true }));
    // The others attended nothing: under an hour reads in minutes.
    await visible(page.getByRole("row", { name: new RegExp(name(2)) }).getByText("0 min attended, 0 min still scheduled · 9 h required (9–19 hours a week)"));

    await page.goto(`${server.url}/patients/${shortId}/attendance`);
    await hydrated(page);
    await visible(page.getByRole("alert").filter({ hasText: "Below required hours" }));
    const attended = page.getByText("Attended", { exact: true }).locator("..");
    expect((await attended.innerText()).replace(/\s+/g, " ").trim()).toBe("Attended 8 h 59 min");
    const weeks = page.getByRole("table", { name: "Attendance by week" });
    await visible(weeks.getByRole("columnheader", { name: "Time attended" }));
    await visible(weeks.getByRole("cell", { name: "8 h 59 min", exact: true }));
    // "9 h" appears only as the week's minimum (the figure and the alert naming it), never as what they attended.
    const required = page.getByText("Required this week", { exact: true }).locator("..");
    expect((await required.innerText()).replace(/\s+/g, " ").trim()).toBe("Required this week 9 h");
    expect(await page.getByText(/\b9(\.0)? h\b/).count()).toBe(2);
    await visible(page.getByRole("alert").filter({ hasText: "cannot reach the 9 h this week requires" }));
    await ctx.close();
  });
});

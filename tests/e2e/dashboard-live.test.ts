/**
 * The dashboard is live: an admin watching Home sees a patient turn "below required hours" as soon
 * as the roll calls that put them there are saved in another tab, with no reload by hand.
 *
 * Whether a week's absences already rule out the required hours depends on which of its sessions
 * have happened, so this test runs its own production server whose clock starts at a chosen moment
 * (next week's Tuesday, 16:00 at the site) — see support/shifted-clock.mjs — on a clinic of its
 * own, in a fresh database of the project's dialect: one IOP track meeting Monday to Thursday, 09:00–12:00, and one patient in it. Twelve hours
 * scheduled against IOP's nine. Monday's roll is not taken yet, and its day is over: roll missing,
 * no longer possible, so nine hours remain possible (Tuesday, Wednesday, Thursday: not flagged).
 * Marking Monday absent changes nothing; marking Tuesday absent leaves six (flagged).
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createDb } from "../../db/database";
import { migrateToLatest } from "../../db/migrator";
import { createSeries } from "~/features/scheduling/groups.server";
import { createTrack } from "~/features/scheduling/program.server";
import { addDays, weekStart, zonedInstant, todayIn } from "~/kernel/time";
import { seedDemo } from "../../seeds/demo";
import { enroll } from "../integration/patients-support";
import { emptyDatabase } from "../support/databases";
import { meta } from "../support/demo";
import { ADMIN, hydrated, signIn, visible } from "./helpers";
import type { RunningServer } from "../support/server";
import { serveOwnClinic } from "./support/server";

const TZ = "America/New_York";
// Next week's Monday, from one reading of the clock when the clinic is set up (not when the file
// loads), so the admission date and the week of the groups can never straddle a New York midnight.
let monday: string;

let drop: () => Promise<void>;
let server: RunningServer;
let browser: Browser;
let own: Awaited<ReturnType<typeof serveOwnClinic>> | undefined;
const sessionOn: Record<string, string> = {};

beforeAll(async () => {
  const today = todayIn(TZ);
  monday = addDays(weekStart(today), 7);
  const clockStart = zonedInstant(addDays(monday, 1), "16:00", TZ);
  const fresh = await emptyDatabase(inject("dialect"));
  drop = fresh.drop;
  const databaseUrl = fresh.url;
  const db = createDb(databaseUrl);
  await migrateToLatest(db);
  const clinic = await seedDemo(db, { patients: false });
  // The admin signs in with the password alone here; two-factor sign-in is proved in security.test.ts.
  await db.updateTable("program_settings").set({ value: "none" }).where("key", "=", "two_factor_required_for").execute();
  const site = { id: clinic.siteId, time_zone: TZ };
  const admin = { id: clinic.users["dana.whitfield"].id, name: "Dana Whitfield" };
  const track = await createTrack(
    db,
    admin,
    site,
    { name: "Weekday IOP", levelOfCare: "IOP", days: ["mon", "tue", "wed", "thu"], startTime: "09:00", endTime: "12:00" },
    meta,
  );
  if (!track.ok) throw new Error(JSON.stringify(track));
  const series = await createSeries(
    db,
    admin,
    site,
    {
      title: "Weekday Process Group",
      kind: "process",
      trackId: track.id,
      facilitatorId: clinic.users["marcus.bell"].id,
      modality: "telehealth",
      capacity: 12,
      autoEnroll: true,
      days: ["mon", "tue", "wed", "thu"],
      startTime: "09:00",
      endTime: "12:00",
      startsOn: monday,
      endsOn: addDays(monday, 3),
    },
    meta,
  );
  if (!series.ok) throw new Error(JSON.stringify(series));
  await enroll(db, admin, site.id, {
    legalFirstName: "Quinn",
    legalLastName: "Abernathy",
    trackId: track.id,
    admittedOn: today,
    part2NoticeOn: today,
    primaryCounselorId: clinic.users["marcus.bell"].id,
  });
  for (const s of await db.selectFrom("sessions").select(["id", "local_date"]).where("series_id", "=", series.id).execute()) sessionOn[s.local_date] = s.id;
  expect(Object.keys(sessionOn).sort()).toEqual([0, 1, 2, 3].map((n) => addDays(monday, n)));
  await db.destroy();

  own = await serveOwnClinic(databaseUrl, { E2E_CLOCK_START: clockStart }, ["--import", "./tests/e2e/support/shifted-clock.mjs"]);
  ({ server, browser } = own);
});

afterAll(async () => {
  await own?.close();
  await drop?.();
});

/** Marks the patient absent without excuse on one day's roll call, in the roll-call tab. */
async function markAbsent(page: Page, date: string) {
  await page.goto(`${server.url}/schedule/sessions/${sessionOn[date]}/roll`);
  await hydrated(page);
  await page
    .getByRole("row", { name: /Abernathy/ })
    .getByRole("button", { name: "Absent (unexcused)" })
    .click();
  await page.getByRole("button", { name: "Save roll call" }).click();
  await page.waitForURL(/\/schedule\/sessions\/[^/]+$/);
  await visible(
    page
      .getByRole("table", { name: "Patients on this session" })
      .getByRole("row", { name: /Abernathy/ })
      .getByText("Absent (unexcused)"),
  );
}

/** The admin comes back to the Home tab, as they would by clicking it, and Home reads the record again. */
async function backTo(home: Page) {
  const reread = home.waitForResponse((r) => new URL(r.url()).pathname.endsWith(".data") && r.ok());
  await home.bringToFront();
  await home.evaluate(() => window.dispatchEvent(new Event("focus")));
  await reread;
}

describe("live dashboard", () => {
  it("shows a patient below required hours on Home as soon as a second absence is saved in another tab", async () => {
    const ctx = await browser.newContext();
    const home = await ctx.newPage();
    await signIn(home, server.url, ADMIN);
    await home.waitForURL(`${server.url}/`);
    await hydrated(home);
    // The server's clock says Tuesday afternoon of that week.
    await visible(home.getByText(/^Tue, /));
    const panel = home
      .locator("section, div")
      .filter({ has: home.getByRole("heading", { name: "Needs attention" }) })
      .last();
    await visible(panel.getByText("Nobody right now."));

    const roll = await ctx.newPage();
    await markAbsent(roll, monday);
    await backTo(home);
    // Nine hours are still possible (Tuesday's unrecorded group, Wednesday and Thursday): not flagged yet.
    await visible(panel.getByText("Nobody right now."));

    await markAbsent(roll, addDays(monday, 1));
    await backTo(home);
    const row = home.getByRole("table", { name: "Needs attention" }).getByRole("row", { name: /Abernathy/ });
    await visible(row.getByText("Below required hours"));
    await visible(row.getByText("Missed sessions"));
    expect(await home.getByRole("table", { name: "Needs attention" }).getByRole("row").count()).toBe(2); // header and Quinn
    await ctx.close();
  });
});

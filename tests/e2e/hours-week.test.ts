/**
 * What a counselor reads on a chart's attendance page about the week's hours: a session whose roll
 * was never taken shows as "roll missing" (with a link to take it) and no longer counts as
 * possible; a patient admitted on Thursday is held to a prorated minimum, said in words; and each
 * week's billable days are named by the level's own rule (a 5-hour PHP day is an S0201 day, a
 * 3-hour OP day is no billable day). Home lists the missing roll for staff to act on.
 *
 * A clinic of its own, on a server whose clock reads Friday 2026-11-06, 16:00 in New York
 * (support/shifted-clock.mjs), so the week (Mon 11-02 … Sun 11-08) is fixed.
 */
import type { Kysely } from "kysely";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createDb } from "../../db/database";
import { migrateToLatest } from "../../db/migrator";
import type { Database } from "../../db/schema";
import { getRollCall, saveRollCall } from "~/features/attendance/attendance.server";
import { zonedInstant } from "~/kernel/time";
import { newId } from "~/utils/ids";
import { seedDemo } from "../../seeds/demo";
import { enroll } from "../integration/patients-support";
import { emptyDatabase } from "../support/databases";
import { meta } from "../support/demo";
import type { RunningServer } from "../support/server";
import { ADMIN, hydrated, signIn, visible } from "./helpers";
import { serveOwnClinic } from "./support/server";

const TZ = "America/New_York";
const CLOCK = zonedInstant("2026-11-06", "16:00", TZ);

let drop: () => Promise<void>;
let server: RunningServer;
let browser: Browser;
let own: Awaited<ReturnType<typeof serveOwnClinic>> | undefined;
const ids: Record<"thu" | "php" | "op", string> = { thu: "", php: "", op: "" };

beforeAll(async () => {
  const fresh = await emptyDatabase(inject("dialect"));
  drop = fresh.drop;
  const db: Kysely<Database> = createDb(fresh.url);
  await migrateToLatest(db);
  const clinic = await seedDemo(db, { patients: false });
  await db.updateTable("program_settings").set({ value: "none" }).where("key", "=", "two_factor_required_for").execute();
  const site = { id: clinic.siteId, time_zone: TZ };
  const admin = { id: clinic.users["dana.whitfield"].id, name: "Dana Whitfield" };
  const counselor = clinic.users["marcus.bell"].id;

  /** A one-off session at the site with one patient on its roster, marked present unless `roll` is false. */
  async function session(patientId: string, title: string, date: string, start: string, end: string, roll = true) {
    const id = newId();
    const stamp = "2026-10-01T12:00:00.000Z";
    await db
      .insertInto("sessions")
      .values({
        id,
        site_id: site.id,
        kind: "group",
        group_kind: "skills",
        title,
        facilitator_id: counselor,
        modality: "in_person",
        capacity: 12,
        local_date: date,
        starts_at: zonedInstant(date, start, TZ),
        ends_at: zonedInstant(date, end, TZ),
        status: "scheduled",
        cancel_reason: null,
        created_at: stamp,
        updated_at: stamp,
      })
      .execute();
    await db
      .insertInto("session_participants")
      .values({ id: newId(), session_id: id, patient_id: patientId, source: "added", joined_at: stamp, left_at: null, left_reason: null })
      .execute();
    if (!roll) return;
    const r = await getRollCall(db, id, site.id);
    const saved = await saveRollCall(
      db,
      admin,
      id,
      { version: r!.session.rollVersion, marks: [{ patientId, status: "present", mode: "in_person" }] },
      site,
      meta,
      new Date(zonedInstant(date, end, TZ)),
    );
    if (!saved.ok) throw new Error(JSON.stringify(saved));
  }

  const patient = async (key: keyof typeof ids, last: string, admittedOn: string, levelOfCare: "IOP" | "PHP" | "OP") => {
    ids[key] = (
      await enroll(db, admin, site.id, {
        legalFirstName: "Robin",
        legalLastName: last,
        admittedOn,
        part2NoticeOn: admittedOn,
        levelOfCare,
        primaryCounselorId: counselor,
      })
    ).id;
  };
  // Admitted Thursday 11-05; Thursday's group (3 h) was never marked.
  await patient("thu", "Thursday", "2026-11-05", "IOP");
  await session(ids.thu, "Thursday Welcome Group", "2026-11-05", "09:00", "12:00", false);
  // PHP all week: Monday 5 h (an S0201 day), Tuesday 4 h 30 min (not one).
  await patient("php", "Partial", "2026-09-01", "PHP");
  await session(ids.php, "PHP Day Monday", "2026-11-02", "09:00", "14:00");
  await session(ids.php, "PHP Day Tuesday", "2026-11-03", "09:00", "13:30");
  // OP all week: a 3-hour day, which is no H0015 day.
  await patient("op", "Outpatient", "2026-09-01", "OP");
  await session(ids.op, "OP Long Group", "2026-11-02", "09:00", "12:00");
  await db.destroy();
  own = await serveOwnClinic(fresh.url, { E2E_CLOCK_START: CLOCK }, ["--import", "./tests/e2e/support/shifted-clock.mjs"]);
  ({ server, browser } = own);
});

afterAll(async () => {
  await own?.close();
  await drop?.();
});

describe("the week's hours on the chart", () => {
  it("shows roll missing, the partial-week note, and the billable-day label by level", async () => {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    await signIn(page, server.url, ADMIN);
    await page.waitForURL(`${server.url}/`);
    await hydrated(page);
    // Home lists Thursday's group among the rolls to take.
    await visible(page.getByRole("heading", { name: "Roll missing (1)" }));
    await visible(page.getByRole("link", { name: /Take roll: Thursday Welcome Group/ }));

    await page.goto(`${server.url}/patients/${ids.thu}/attendance`);
    await hydrated(page);
    const missing = page.getByRole("alert").filter({ hasText: "Roll missing" });
    await visible(missing);
    await visible(missing.getByRole("link", { name: /Take roll: Thursday Welcome Group/ }));
    const figure = async (label: string) => (await page.getByText(label, { exact: true }).locator("..").innerText()).replace(/\s+/g, " ").trim();
    expect(await figure("Roll missing (not counted)")).toBe("Roll missing (not counted) 3 h");
    expect(await figure("Still possible (today or later, not yet marked)")).toBe("Still possible (today or later, not yet marked) 0 min");
    // Thu–Sun, 4 days: 9 h × 4 / 7 = 308.57 min, rounded up to 5 h 9 min.
    expect(await figure("Required this week")).toBe("Required this week 5 h 9 min");
    await visible(page.getByText("Partial week: admitted Thu — required hours prorated to 5 h 9 min", { exact: true }));
    await visible(page.getByText(/Hours band by age on the week's Monday: \d+, adult/));
    await visible(page.getByRole("alert").filter({ hasText: "Below required hours" }));

    await page.goto(`${server.url}/patients/${ids.php}/attendance`);
    await hydrated(page);
    const php = page.getByRole("table", { name: "Attendance by week" });
    await visible(php.getByRole("cell", { name: "1 PHP day (S0201)", exact: true }));
    await visible(page.getByText("1 billable day since", { exact: false }));

    await page.goto(`${server.url}/patients/${ids.op}/attendance`);
    await hydrated(page);
    const op = page.getByRole("table", { name: "Attendance by week" });
    await visible(op.getByRole("cell", { name: "None: OP is billed per service", exact: true }));
    expect(await op.getByText(/H0015/).count()).toBe(0);
    await ctx.close();
  });
});

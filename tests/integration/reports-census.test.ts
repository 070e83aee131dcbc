/**
 * The Home census and "admitted this week": they count patients who have started (status Active;
 * an episode's start is its first change to Active), and show referrals that have not started and
 * patients on hold beside them. Real databases, patients written through the repositories.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PatientStatus } from "#db/schema";
import { changeStatus, dischargePatient, getPatientRow } from "~/features/patients/patients.server";
import { census } from "~/features/reports/dashboard.server";
import { createTestDatabase, dialects, type TestDatabase } from "../support/databases";
import { meta, seed } from "../support/demo";
import { dischargeInput, enroll, version } from "./patients-support";

// Thursday 2026-12-03: the week runs from Monday 2026-11-30.
const TODAY = "2026-12-03";

describe.each(dialects)("census on %s", (dialect) => {
  let t: TestDatabase;
  let siteId: string;
  let elena: { id: string; name: string };

  beforeAll(async () => {
    t = await createTestDatabase(dialect);
    const clinic = await seed(t.db);
    siteId = clinic.siteId;
    elena = { id: clinic.users["elena.ortiz"].id, name: clinic.users["elena.ortiz"].name };
  });
  afterAll(() => t?.destroy());

  const admit = (first: string, admittedOn: string, initialStatus: "active" | "referred") =>
    enroll(t.db, elena, siteId, { legalFirstName: first, legalLastName: "Census", admittedOn, initialStatus });
  const move = async (id: string, status: PatientStatus, effectiveOn: string) => {
    const row = await getPatientRow(t.db, id, [siteId]);
    const result = await changeStatus(t.db, elena, id, { version: Number(row!.version), status, effectiveOn }, [siteId], meta);
    if (!result.ok) throw new Error(JSON.stringify(result));
  };

  it("counts attending patients and this week's starts, and shows referrals not started separately", async () => {
    await admit("Ann", "2026-12-01", "active"); // started this week
    await admit("Bea", "2026-12-01", "referred"); // referred this week, not started
    await admit("Bo", "2026-12-02", "referred"); // likewise
    const cal = await admit("Cal", "2026-11-20", "referred");
    await move(cal.id, "active", "2026-12-02"); // referred before, started this week
    await admit("Dee", "2026-11-02", "active"); // attending since November
    const eli = await admit("Eli", "2026-11-02", "active");
    await move(eli.id, "on_hold", "2026-11-25"); // on hold: not attending
    const fay = await admit("Fay", "2026-11-10", "referred");
    await move(fay.id, "active", "2026-11-12");
    await move(fay.id, "on_hold", "2026-11-20");
    await move(fay.id, "active", "2026-12-02"); // back from hold this week: attending, but she started in November

    const c = await census(t.db, siteId, TODAY);
    // Attending: Ann, Cal, Dee, Fay. Started this week: Ann, Cal (not Bea or Bo, referred; not Fay, back from hold).
    expect(c.total).toBe(4);
    expect(c.byLevel).toEqual({ IOP: 4, PHP: 0, OP: 0 });
    expect(c.admittedThisWeek).toBe(2);
    expect(c.referredNotStarted).toBe(2);
    expect(c.onHold).toBe(1);
    expect(c.rows.reduce((n, r) => n + r.total, 0)).toBe(4);
  });

  it("counts discharges from Monday to today, not the Sunday before", async () => {
    const before = (await census(t.db, siteId, TODAY)).dischargedThisWeek;
    const discharge = async (first: string, on: string) => {
      const p = await admit(first, "2026-11-02", "active");
      const d = await dischargePatient(t.db, elena, p.id, dischargeInput(await version(t.db, p.id), { dischargedOn: on }), [siteId], meta);
      if (!d.ok) throw new Error(JSON.stringify(d));
    };
    await discharge("Ida", "2026-11-29"); // Sunday: last week
    await discharge("Jo", "2026-11-30"); // Monday: this week
    await discharge("Kit", "2026-12-03"); // today
    expect((await census(t.db, siteId, TODAY)).dischargedThisWeek).toBe(before + 2);
  });

  it("counts a start on Monday and not one on the Sunday before", async () => {
    const before = (await census(t.db, siteId, TODAY)).admittedThisWeek;
    await admit("Gus", "2026-11-29", "active"); // Sunday: last week
    await admit("Hal", "2026-11-30", "active"); // Monday: this week
    expect((await census(t.db, siteId, TODAY)).admittedThisWeek).toBe(before + 1);
  });
});

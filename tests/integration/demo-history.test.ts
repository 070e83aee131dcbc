/**
 * The demo clinic has a year behind it (seeds/demo-history.ts): the outcome reports a newcomer
 * opens over the past year show figures, not dashes — retention at 60 and 90 days, a length of
 * stay near the published IOP median (TEDS 2004: 41 days), every discharge reason — while the
 * current caseload is the one the rest of the suite knows: no past patient is open, none was
 * discharged in the last week, and every past roster was marked.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { discharges, retention } from "~/features/reports/outcomes.server";
import type { ReportParams } from "~/features/reports/report";
import { DISCHARGE_REASONS, OPEN_STATUSES } from "~/features/patients/rules";
import { addDays, startOfDayUtc, todayIn } from "~/kernel/time";
import { DEMO_SITE } from "../../seeds/demo-people";
import { DEMO_HISTORY_DAYS } from "../../seeds/demo-history";
import { dialects, type TestDatabase } from "../support/databases";
import { seededTestDatabase } from "../support/templates";

describe.each(dialects)("the demo clinic's past year on %s", (dialect) => {
  let t: TestDatabase;
  let params: ReportParams;
  const today = todayIn(DEMO_SITE.timeZone);

  beforeAll(async () => {
    const seeded = await seededTestDatabase(dialect, { patients: true });
    t = seeded;
    const clinic = seeded.clinic;
    params = {
      siteId: clinic.siteId,
      timeZone: DEMO_SITE.timeZone,
      from: addDays(today, -DEMO_HISTORY_DAYS),
      to: today,
      trackId: null,
      counselorId: null,
      today,
    };
  }, 180_000);
  afterAll(async () => {
    await t?.destroy();
  });

  it("shows retention at 30, 60 and 90 days for the year's admissions, and a length of stay of about six weeks", async () => {
    const table = await retention.compute(t.db, params);
    const all = table.rows.find((r) => r.cohort === "All admissions")!;
    expect(all).toBeDefined();
    // At least one admission per month of the year, each month a cohort of its own.
    expect(table.rows.length).toBeGreaterThanOrEqual(13);
    for (const n of [30, 60, 90]) {
      expect(all[`reached${n}`] as number).toBeGreaterThan(50);
      expect(all[`retained${n}`]).toEqual(expect.any(Number));
    }
    // Retention falls from day 30 to day 90, and some stay past 90 days.
    expect(all.retained30 as number).toBeGreaterThan(all.retained60 as number);
    expect(all.retained60 as number).toBeGreaterThan(all.retained90 as number);
    expect(all.retained90 as number).toBeGreaterThan(0);
    // "… discharged in the range: average length of stay 47.9 days, median 39 days."
    const los = /(\d+) episodes discharged in the range: average length of stay ([\d.]+) days, median ([\d.]+) days/.exec(table.summary ?? "");
    expect(los, table.summary).not.toBeNull();
    expect(Number(los![1])).toBeGreaterThan(80);
    expect(Number(los![2])).toBeGreaterThanOrEqual(30);
    expect(Number(los![2])).toBeLessThanOrEqual(70);
    expect(Number(los![3])).toBeGreaterThanOrEqual(30);
    expect(Number(los![3])).toBeLessThanOrEqual(55);
  });

  it("has discharges for every reason, with a completion rate near the published one", async () => {
    const table = await discharges.compute(t.db, params);
    const byReason = Object.fromEntries(table.rows.map((r) => [r.reason, r.discharges as number]));
    for (const label of Object.values(DISCHARGE_REASONS)) expect(byReason[label], label).toBeGreaterThanOrEqual(1);
    expect(byReason["Not recorded"]).toBeUndefined();
    // TEDS 2004 intensive outpatient: 37.7 % completed treatment.
    const rate = Number(/completion rate ([\d.]+)%/.exec(table.summary ?? "")![1]);
    expect(rate).toBeGreaterThan(28);
    expect(rate).toBeLessThan(48);
  });

  it("re-admits a few patients, each episode closed before the next opens", async () => {
    const episodes = await t.db
      .selectFrom("patient_episodes")
      .select(["patient_id", "episode_number", "admitted_on", "discharged_on"])
      .orderBy("admitted_on")
      .execute();
    const readmitted = [...new Set(episodes.filter((e) => Number(e.episode_number) > 1).map((e) => e.patient_id))];
    expect(readmitted.length).toBeGreaterThanOrEqual(3);
    for (const id of readmitted) {
      const own = episodes.filter((e) => e.patient_id === id);
      for (let i = 1; i < own.length; i++) expect(own[i].admitted_on > own[i - 1].discharged_on!).toBe(true);
    }
  });

  it("leaves the current caseload as it was: thirty open patients, none from the history, nobody discharged in the last week", async () => {
    const open = await t.db.selectFrom("patients").select("id").where("status", "in", OPEN_STATUSES).execute();
    expect(open).toHaveLength(30);
    const recent = await t.db.selectFrom("patient_episodes").select("id").where("discharged_on", ">", addDays(today, -7)).execute();
    expect(recent).toEqual([]);
    // No discharged patient — of the past year, or of the forty current charts (issue 18) — is on a
    // future session's roster, nor shown there as having left it: a discharge months ago left no
    // session that was still months ahead.
    const future = await t.db
      .selectFrom("session_participants as sp")
      .innerJoin("sessions as s", "s.id", "sp.session_id")
      .innerJoin("patients as p", "p.id", "sp.patient_id")
      .select("sp.id")
      .where("s.starts_at", ">", new Date().toISOString())
      .where("p.status", "=", "discharged")
      .execute();
    expect(future).toEqual([]);
  });

  it("gives every past stay a Part 2 consent at admission, drug tests with a mix of results, and some individual sessions; no alert is left open", async () => {
    const episodes = await t.db
      .selectFrom("patient_episodes as e")
      .innerJoin("patients as p", "p.id", "e.patient_id")
      .select(["e.patient_id", "e.admitted_on", "e.discharged_on"])
      .where("p.mrn", ">", "MRN-001040")
      .execute();
    expect(episodes.length).toBeGreaterThan(80);
    const consents = await t.db
      .selectFrom("consents as c")
      .innerJoin("patients as p", "p.id", "c.patient_id")
      .select(["c.patient_id", "c.signed_on", "c.purposes"])
      .where("p.mrn", ">", "MRN-001040")
      .execute();
    for (const e of episodes) {
      expect(
        consents.some((c) => c.patient_id === e.patient_id && c.signed_on === e.admitted_on),
        `a consent signed on admission ${e.admitted_on}`,
      ).toBe(true);
    }
    const tests = await t.db
      .selectFrom("drug_tests as d")
      .innerJoin("patients as p", "p.id", "d.patient_id")
      .select(["d.patient_id", "d.collected_on", "d.reason", "d.outcome", "d.unexpected_positive"])
      .where("p.mrn", ">", "MRN-001040")
      .execute();
    // Each stay: a test at admission, the rest during the stay, none after discharge.
    for (const e of episodes) {
      const own = tests.filter((d) => d.patient_id === e.patient_id && d.collected_on >= e.admitted_on && d.collected_on <= e.discharged_on!);
      expect(own.some((d) => d.reason === "intake" && d.collected_on === e.admitted_on)).toBe(true);
    }
    expect(
      tests.every((d) => episodes.some((e) => e.patient_id === d.patient_id && d.collected_on >= e.admitted_on && d.collected_on < e.discharged_on!)),
    ).toBe(true);
    const outcomes = new Set(tests.map((d) => d.outcome));
    for (const o of ["negative", "positive", "refused"]) expect(outcomes, o).toContain(o);
    const unexpected = tests.filter((d) => Number(d.unexpected_positive) === 1).length;
    expect(unexpected).toBeGreaterThan(10);
    expect(unexpected).toBeLessThan(tests.length / 3);
    const open = await t.db
      .selectFrom("drug_test_alerts as a")
      .innerJoin("patients as p", "p.id", "a.patient_id")
      .select("a.id")
      .where("p.status", "=", "discharged")
      .where("a.status", "=", "open")
      .execute();
    expect(open).toEqual([]);
    // Individual sessions for some, each during the stay (their roll is checked below).
    const sessions = await t.db
      .selectFrom("sessions as s")
      .innerJoin("patients as p", "p.id", "s.patient_id")
      .select(["s.patient_id", "s.local_date", "s.kind"])
      .where("p.mrn", ">", "MRN-001040")
      .execute();
    expect(new Set(sessions.map((s) => s.patient_id)).size).toBeGreaterThan(15);
    for (const s of sessions) {
      expect(s.kind).toBe("individual");
      expect(episodes.some((e) => e.patient_id === s.patient_id && s.local_date > e.admitted_on && s.local_date < e.discharged_on!)).toBe(true);
    }
  });

  it("marked every past patient on every past roster: the year's roll calls were all taken", async () => {
    const unmarked = await t.db
      .selectFrom("session_participants as sp")
      .innerJoin("sessions as s", "s.id", "sp.session_id")
      .innerJoin("patients as p", "p.id", "sp.patient_id")
      .leftJoin("attendance as a", (j) => j.onRef("a.session_id", "=", "s.id").onRef("a.patient_id", "=", "p.id"))
      .select(["s.title", "s.local_date"])
      .where("p.status", "=", "discharged")
      .where("sp.left_at", "is", null)
      .where("s.status", "=", "scheduled")
      .where("s.starts_at", "<", startOfDayUtc(today, DEMO_SITE.timeZone))
      .where("a.id", "is", null)
      .execute();
    expect(unmarked).toEqual([]);
    // Attendance across the year, not just the last eight weeks.
    const oldest = await t.db
      .selectFrom("attendance")
      .select((eb) => eb.fn.min<string>("local_date").as("d"))
      .executeTakeFirstOrThrow();
    expect(oldest.d <= addDays(today, -DEMO_HISTORY_DAYS + 14)).toBe(true);
  });
});

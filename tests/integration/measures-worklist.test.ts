/**
 * Issue 19, items 5 and 6 for measures, on real databases: Home's worklist of measures due or
 * overdue (a counselor's caseload; an admin's counts per counselor), the site's measure interval
 * setting (saved, audited, a stale form refused, one site only), and the Measure change report's
 * figures on a small clinic whose every score is chosen here and every figure worked out by hand.
 *
 * Today is 2026-12-06 in every call; the interval is 30 days unless a test sets it.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordMeasure } from "~/features/measures/measures.server";
import { type Answers, MEASURES, type MeasureCode } from "~/features/measures/rules";
import { measureIntervalSetting, setMeasureInterval } from "~/features/measures/settings.server";
import { measureCountsByCounselor, measuresDueAt, measuresOnHome, WORKLIST_CAP } from "~/features/measures/worklist.server";
import { measureChange } from "~/features/reports/measure-change.server";
import type { ReportParams } from "~/features/reports/report";
import { createTestDatabase, dialects, type TestDatabase } from "../support/databases";
import { meta, seed } from "../support/demo";
import { dischargePatient } from "~/features/patients/patients.server";
import { addSecondSite, auditSince, dischargeInput, enroll, lastSeq, version } from "./patients-support";

const TODAY = "2026-12-06";

/** Answers whose points add up to `total`: each item takes the most points that still fit. */
function withTotal(code: MeasureCode, total: number): Answers {
  const answers: Answers = {};
  let left = total;
  for (const item of MEASURES[code].items) {
    const fits = item.choices.map((c, i) => ({ i, p: c.points })).filter((c) => c.p <= left);
    const best = fits.sort((a, b) => b.p - a.p)[0];
    answers[item.n] = best.i;
    left -= best.p;
  }
  if (left !== 0) throw new Error(`cannot make ${total} on ${code}`);
  return answers;
}

/** BAM answers with the given subscale scores (built item by item in the comments). */
const BAM_INTAKE: Answers = {
  "1": 3,
  "2": 3,
  "3": 3,
  "8": 3,
  "11": 1,
  "15": 1,
  "4": 1,
  "5": 1,
  "6": 1,
  "9": 2,
  "10": 2,
  "12": 2,
  "13": 0,
  "14": 0,
  "16": 4,
  "17": 2,
};
// risk 3+3+3+3+1+1 = 14; use 1+1+1 = 3; protective 2+2+2+0+0 (item 14 "No")+4 = 10.
const BAM_LATEST: Answers = {
  "1": 2,
  "2": 2,
  "3": 2,
  "8": 2,
  "11": 0,
  "15": 0,
  "4": 0,
  "5": 0,
  "6": 0,
  "9": 3,
  "10": 3,
  "12": 2,
  "13": 2,
  "14": 1,
  "16": 2,
  "17": 3,
};
// risk 2+2+2+2 = 8; use 0; protective 3+3+2+2+4 (item 14 "Yes")+2 = 16.

describe.each(dialects)("measures on Home, the interval setting and the Measure change report, on %s", (dialect) => {
  let t: TestDatabase;
  let siteId: string;
  let marcus: { id: string; name: string };
  let priya: { id: string; name: string };
  let dana: { id: string; name: string };
  let tom: { id: string; name: string };
  const pt: Record<string, string> = {};
  let east: { siteId: string; counselor: { id: string; name: string } };

  const give = async (patientId: string, code: MeasureCode, on: string, answers: Answers, site = siteId, actor = marcus) => {
    const r = await recordMeasure(t.db, actor, patientId, code, { requestKey: randomUUID(), administeredOn: on, answers }, [site], meta);
    if (!r.ok) throw new Error(JSON.stringify(r));
  };
  const giveAll = async (patientId: string, on: string, actor = marcus) => {
    for (const code of ["phq9", "gad7", "audit", "dast10"] as const) await give(patientId, code, on, withTotal(code, 2), siteId, actor);
    await give(patientId, "bam", on, BAM_LATEST, siteId, actor);
  };

  beforeAll(async () => {
    t = await createTestDatabase(dialect);
    const clinic = await seed(t.db);
    siteId = clinic.siteId;
    const who = (k: string) => ({ id: clinic.users[k].id, name: clinic.users[k].name });
    [marcus, priya, dana, tom] = [who("marcus.bell"), who("priya.raman"), who("dana.whitfield"), who("tom.kowalski")];
    const add = async (key: string, counselor: { id: string; name: string }, admittedOn: string, site = siteId) => {
      pt[key] = (await enroll(t.db, counselor, site, { legalFirstName: key, legalLastName: "Worklist", admittedOn, primaryCounselorId: counselor.id })).id;
    };
    // A (Marcus, admitted Nov 2): PHQ-9 given Nov 2, so due Dec 2 (4 days late, inside the grace: due);
    // the other four never given: intake due Nov 2, 34 days late: overdue.
    await add("Avery", marcus, "2026-11-02");
    await give(pt.Avery, "phq9", "2026-11-02", withTotal("phq9", 6));
    // B (Marcus, admitted Dec 4): nothing given: all five due at intake, 2 days late.
    await add("Blake", marcus, "2026-12-04");
    // C (Priya, admitted Nov 2): all five given Nov 10: due Dec 10, in 4 days: due. Her PHQ-9 item 9 opens a safety flag.
    await add("Casey", priya, "2026-11-02");
    await giveAll(pt.Casey, "2026-11-10", priya);
    await give(pt.Casey, "phq9", "2026-11-10", { ...withTotal("phq9", 5), "9": 1 }, siteId, priya);
    // D (Marcus, admitted Oct 1): all five given Nov 20: due Dec 20, 14 days ahead: not listed.
    await add("Drew", marcus, "2026-10-01");
    await giveAll(pt.Drew, "2026-11-20");
    // E at another site, with nothing given: never on this site's lists.
    east = await addSecondSite(t.db);
    await add("Emery", east.counselor, "2026-10-01", east.siteId);
  });
  afterAll(() => t?.destroy());

  describe("Home's worklist", () => {
    it("lists a counselor's own caseload, overdue first, with how late", async () => {
      const items = await measuresDueAt(t.db, siteId, TODAY, marcus.id);
      expect(items.map((i) => [i.name, i.code, i.state, i.reason, i.dueOn, i.daysLate])).toEqual([
        ["Worklist, Avery", "gad7", "overdue", "intake", "2026-11-02", 34],
        ["Worklist, Avery", "audit", "overdue", "intake", "2026-11-02", 34],
        ["Worklist, Avery", "dast10", "overdue", "intake", "2026-11-02", 34],
        ["Worklist, Avery", "bam", "overdue", "intake", "2026-11-02", 34],
        ["Worklist, Avery", "phq9", "due", "interval", "2026-12-02", 4],
        ["Worklist, Blake", "phq9", "due", "intake", "2026-12-04", 2],
        ["Worklist, Blake", "gad7", "due", "intake", "2026-12-04", 2],
        ["Worklist, Blake", "audit", "due", "intake", "2026-12-04", 2],
        ["Worklist, Blake", "dast10", "due", "intake", "2026-12-04", 2],
        ["Worklist, Blake", "bam", "due", "intake", "2026-12-04", 2],
      ]);
      const home = await measuresOnHome(t.db, { id: marcus.id, role: "counselor" }, siteId, TODAY);
      expect(home).toMatchObject({ scope: "caseload", intervalDays: 30, byCounselor: null, safetyFlags: [] });
      expect(home?.worklist).toMatchObject({ total: 10, overdue: 4, due: 6 });
      expect(home?.shown).toBe(10);
      // Priya's caseload: Casey's five, 4 days ahead; and her open flag.
      const priyaHome = await measuresOnHome(t.db, { id: priya.id, role: "counselor" }, siteId, TODAY);
      expect(priyaHome?.worklist?.items.map((i) => [i.name, i.code, i.state, i.daysLate])).toEqual(
        ["phq9", "gad7", "audit", "dast10", "bam"].map((c) => ["Worklist, Casey", c, "due", -4]),
      );
      expect(priyaHome?.safetyFlags.map((f) => f.name)).toEqual(["Worklist, Casey"]);
    });

    it("gives an admin the counts per counselor at the site, and no patient's name", async () => {
      expect(await measureCountsByCounselor(t.db, siteId, TODAY)).toEqual([
        { counselorId: marcus.id, counselor: marcus.name, due: 6, overdue: 4, safetyFlags: 0 },
        { counselorId: priya.id, counselor: priya.name, due: 5, overdue: 0, safetyFlags: 1 },
      ]);
      const home = await measuresOnHome(t.db, { id: dana.id, role: "admin" }, siteId, TODAY);
      expect(home).toMatchObject({ scope: "site", worklist: null });
      expect(home?.byCounselor?.length).toBe(2);
      // The admin's safety-flag list names Casey (the existing card); the counts name no one.
      expect(home?.shown).toBe(1);
      expect(await measuresOnHome(t.db, { id: tom.id, role: "staff" }, siteId, TODAY)).toBeNull();
    });

    it("shows at most 25 and says how many more", async () => {
      // Five more of Marcus's patients admitted Dec 5, nothing given: 25 more due, 35 in all.
      for (const name of ["Finley", "Gray", "Harper", "Indy", "Jules"]) {
        pt[name] = (await enroll(t.db, marcus, siteId, { legalFirstName: name, legalLastName: "Worklist", admittedOn: "2026-12-05" })).id;
      }
      const home = await measuresOnHome(t.db, { id: marcus.id, role: "counselor" }, siteId, TODAY);
      expect(home?.worklist?.items.length).toBe(WORKLIST_CAP);
      expect(home?.worklist?.total).toBe(35);
    });
  });

  describe("Home's worklist after discharge", () => {
    it("lists the discharge measures of a patient discharged within the grace days, not of one discharged long ago or at another site", async () => {
      // Patients of Dana's (no one else's caseload), so the lists above are untouched.
      const discharged = async (first: string, admittedOn: string, dischargedOn: string, site = siteId, by = dana) => {
        const id = (await enroll(t.db, by, site, { legalFirstName: first, legalLastName: "Gone", admittedOn, primaryCounselorId: by.id })).id;
        const d = await dischargePatient(t.db, by, id, dischargeInput(await version(t.db, id), { dischargedOn }), [site], meta);
        if (!d.ok) throw new Error(JSON.stringify(d));
      };
      await discharged("Kai", "2026-10-01", "2026-12-04"); // 2 days ago: the discharge measures are due
      await discharged("Lou", "2026-06-01", "2026-09-01"); // long ago: nothing
      await discharged("Mo", "2026-10-01", "2026-12-04", east.siteId, east.counselor); // another site
      const items = await measuresDueAt(t.db, siteId, TODAY, dana.id);
      expect([...new Set(items.map((i) => i.name))]).toEqual(["Gone, Kai"]);
      const site = await measuresDueAt(t.db, siteId, TODAY, null);
      expect([...new Set(site.map((i) => i.name).filter((n) => n.startsWith("Gone")))]).toEqual(["Gone, Kai"]);
      expect(items.filter((i) => i.reason === "discharge").length).toBeGreaterThan(0);
    });
  });

  describe("the measure interval setting", () => {
    it("follows the network's 30 days until the site chooses; saves a choice with an audit row", async () => {
      expect(await measureIntervalSetting(t.db, siteId)).toEqual({ value: 30, version: 0, ownChoice: false });
      const seq = await lastSeq(t.db);
      expect(await setMeasureInterval(t.db, dana, siteId, 14, 0, meta)).toEqual({ ok: true });
      expect(await measureIntervalSetting(t.db, siteId)).toEqual({ value: 14, version: 1, ownChoice: true });
      const audit = await auditSince(t.db, seq);
      expect(audit.map((a) => [a.action, a.site_id, a.entity_id, a.user_id])).toEqual([
        ["settings.measure_interval_changed", siteId, "measure_interval_days", dana.id],
      ]);
      expect(JSON.parse(audit[0].changes ?? "{}")).toMatchObject({ before: { days: 30 }, after: { days: 14 } });
      // Drew's measures, given Nov 20, are now due Dec 4: listed (due, 2 days late).
      const drew = (await measuresDueAt(t.db, siteId, TODAY, marcus.id)).filter((i) => i.patientId === pt.Drew);
      expect(drew.map((i) => [i.state, i.dueOn])).toEqual(Array(5).fill(["due", "2026-12-04"]));
      // The other site keeps the network's interval.
      expect((await measureIntervalSetting(t.db, east.siteId)).value).toBe(30);
    });

    it("refuses a stale form and a value out of bounds, and writes nothing", async () => {
      const seq = await lastSeq(t.db);
      expect(await setMeasureInterval(t.db, dana, siteId, 21, 0, meta)).toMatchObject({ ok: false, status: 409 });
      expect(await setMeasureInterval(t.db, dana, siteId, 91, 1, meta)).toMatchObject({ ok: false, status: 400 });
      expect(await setMeasureInterval(t.db, dana, siteId, 6, 1, meta)).toMatchObject({ ok: false, status: 400 });
      expect(await measureIntervalSetting(t.db, siteId)).toEqual({ value: 14, version: 1, ownChoice: true });
      expect(await auditSince(t.db, seq)).toEqual([]);
      expect(await setMeasureInterval(t.db, dana, siteId, 30, 1, meta)).toEqual({ ok: true });
    });
  });

  describe("the Measure change report", () => {
    let r: { siteId: string; counselor: { id: string; name: string } };
    const params = (over: Partial<ReportParams> = {}): ReportParams => ({
      siteId: r.siteId,
      timeZone: "America/Chicago",
      from: "2026-01-01",
      to: TODAY,
      trackId: null,
      counselorId: null,
      today: TODAY,
      ...over,
    });

    beforeAll(async () => {
      // The other site: its one patient so far (Emery) has no score.
      r = east;
      const c = r.counselor;
      const add = async (key: string, admittedOn: string) => {
        pt[key] = (await enroll(t.db, c, r.siteId, { legalFirstName: key, legalLastName: "Change", admittedOn, primaryCounselorId: c.id })).id;
      };
      const at = (key: string, code: MeasureCode, on: string, answers: Answers) => give(pt[key], code, on, answers, r.siteId, c);
      // P1 active (admitted Sep 1): PHQ-9 20 → 15 → 12; GAD-7 14 → 12; BAM intake → latest.
      await add("P1", "2026-09-01");
      await at("P1", "phq9", "2026-09-01", withTotal("phq9", 20));
      await at("P1", "phq9", "2026-10-01", withTotal("phq9", 15));
      await at("P1", "phq9", "2026-11-01", withTotal("phq9", 12));
      await at("P1", "gad7", "2026-09-02", withTotal("gad7", 14));
      await at("P1", "gad7", "2026-11-01", withTotal("gad7", 12));
      await at("P1", "bam", "2026-09-01", BAM_INTAKE);
      await at("P1", "bam", "2026-11-01", BAM_LATEST);
      // P2 active (admitted Oct 1): PHQ-9 10 → 11, then an incomplete one (never used); AUDIT 18 (zone III) → 10 (zone II).
      await add("P2", "2026-10-01");
      await at("P2", "phq9", "2026-10-01", withTotal("phq9", 10));
      await at("P2", "phq9", "2026-11-01", withTotal("phq9", 11));
      const { "9": _skipped, ...incomplete } = withTotal("phq9", 3);
      await at("P2", "phq9", "2026-11-15", incomplete);
      await at("P2", "audit", "2026-10-01", withTotal("audit", 18));
      await at("P2", "audit", "2026-11-01", withTotal("audit", 10));
      // P3 active (admitted Nov 20): one PHQ-9 only: no later score.
      await add("P3", "2026-11-20");
      await at("P3", "phq9", "2026-11-25", withTotal("phq9", 9));
      // P4 active (admitted Aug 1): first PHQ-9 on Aug 20, after the intake window (Aug 1–8): no intake score.
      await add("P4", "2026-08-01");
      await at("P4", "phq9", "2026-08-20", withTotal("phq9", 15));
      await at("P4", "phq9", "2026-10-01", withTotal("phq9", 5));
      // P5 discharged Nov 15 (admitted Aug 1): PHQ-9 18 → 12 → 6 (Nov 12, inside Nov 8–22); DAST-10 6 (substantial) → 2 (low) on Nov 14.
      await add("P5", "2026-08-01");
      await at("P5", "phq9", "2026-08-01", withTotal("phq9", 18));
      await at("P5", "phq9", "2026-10-01", withTotal("phq9", 12));
      await at("P5", "phq9", "2026-11-12", withTotal("phq9", 6));
      await at("P5", "dast10", "2026-08-01", withTotal("dast10", 6));
      await at("P5", "dast10", "2026-11-14", withTotal("dast10", 2));
      // P6 discharged Nov 20 (admitted Sep 1): PHQ-9 8 → 4 on Oct 15, outside Nov 13–27: no discharge score.
      await add("P6", "2026-09-01");
      await at("P6", "phq9", "2026-09-01", withTotal("phq9", 8));
      await at("P6", "phq9", "2026-10-15", withTotal("phq9", 4));
      for (const [key, on] of [
        ["P5", "2026-11-15"],
        ["P6", "2026-11-20"],
      ]) {
        await t.db.updateTable("patient_episodes").set({ discharged_on: on }).where("patient_id", "=", pt[key]).execute();
        await t.db.updateTable("patients").set({ status: "discharged" }).where("id", "=", pt[key]).execute();
      }
    });

    const rowsOf = async (over: Partial<ReportParams> = {}) => {
      const table = await measureChange.compute(t.db, params(over));
      return { table, row: (comparison: string, measure: string) => table.rows.find((x) => x.comparison === comparison && x.measure === measure)! };
    };

    it("compares intake with the latest score for active patients", async () => {
      const { table, row } = await rowsOf();
      const cols = ["patients", "meanIntake", "meanLater", "meanChange", "improved", "worse"];
      const pick = (x: Record<string, unknown>) => cols.map((k) => x[k]);
      // PHQ-9: P1 20→12 (−8, improved: at least 5 lower), P2 10→11 (+1). Means (20+10)/2 = 15, (12+11)/2 = 11.5, (−8+1)/2 = −3.5; improved 1 of 2.
      expect(pick(row("Intake → latest", "PHQ-9"))).toEqual([2, 15, 11.5, -3.5, 50, 0]);
      // GAD-7: P1 14→12, −2: less than 4, not improved.
      expect(pick(row("Intake → latest", "GAD-7"))).toEqual([1, 14, 12, -2, 0, 0]);
      // AUDIT: P2 18 (zone III) → 10 (zone II): improved.
      expect(pick(row("Intake → latest", "AUDIT"))).toEqual([1, 18, 10, -8, 100, 0]);
      expect(pick(row("Intake → latest", "DAST-10"))).toEqual([0, null, null, null, null, null]);
      // BAM: Use 3→0 (out of ≥1), Risk 14→8 (out of ≥12), Protective 10→16 (out of ≤12, +6).
      expect(pick(row("Intake → latest", "BAM: Use"))).toEqual([1, 3, 0, -3, 100, 0]);
      expect(pick(row("Intake → latest", "BAM: Risk factors"))).toEqual([1, 14, 8, -6, 100, 0]);
      expect(pick(row("Intake → latest", "BAM: Protective factors"))).toEqual([1, 10, 16, 6, 100, 0]);
      // Discharged in the range: P5 only (P6 had no discharge measure). PHQ-9 18→6 (−12); DAST-10 6→2.
      expect(pick(row("Intake → discharge", "PHQ-9"))).toEqual([1, 18, 6, -12, 100, 0]);
      expect(pick(row("Intake → discharge", "DAST-10"))).toEqual([1, 6, 2, -4, 100, 0]);
      expect(pick(row("Intake → discharge", "GAD-7"))).toEqual([0, null, null, null, null, null]);
      expect(table.rows.length).toBe(14);
      expect(table.summary).toContain("Intake → latest: 2 active patients");
      expect(table.summary).toContain("Intake → discharge: 1 patients discharged");
    });

    it("follows the range and the counselor filter", async () => {
      // From Nov 16: P5 (discharged Nov 15) falls out; P6 is in the range but has no discharge score.
      expect((await rowsOf({ from: "2026-11-16" })).row("Intake → discharge", "PHQ-9").patients).toBe(0);
      // Ending Oct 15: P1's latest is then Oct 1 (15): 20→15 = −5, still improved; P2's Nov 1 is after it: 10 alone has no later score.
      // P5 and P6 were active then: P5 18→12 (Oct 1), −6, improved; P6 8→4 (Oct 15), −4, not. Means (20+18+8)/3 = 15.3, (15+12+4)/3 = 10.3, (−5−6−4)/3 = −5.
      const early = (await rowsOf({ to: "2026-10-15" })).row("Intake → latest", "PHQ-9");
      expect([early.patients, early.meanIntake, early.meanLater, early.meanChange, early.improved]).toEqual([3, 15.3, 10.3, -5, 66.7]);
      // Another counselor's caseload: nothing.
      expect((await rowsOf({ counselorId: marcus.id })).row("Intake → latest", "PHQ-9").patients).toBe(0);
    });
  });
});

/**
 * Standardized measures on real databases: saving a score, an incomplete response, a double submit,
 * the safety flag a positive PHQ-9 item 9 opens and the safety check that closes it, the interval
 * setting, and the audit rows each write leaves.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  measuresDue,
  measuresOverview,
  openSafetyFlagCount,
  openSafetyFlagsAt,
  recordMeasure,
  recordSafetyCheck,
  safetyFlagsOf,
} from "~/features/measures/measures.server";
import type { Answers } from "~/features/measures/rules";
import type { SafetyCheckInput } from "~/features/measures/schemas";
import { createTestDatabase, dialects, type TestDatabase } from "../support/databases";
import { meta, seed } from "../support/demo";
import { addSecondSite, auditSince, enroll, lastSeq } from "./patients-support";

const TODAY = "2026-12-06";
const phq = (values: number[]): Answers => Object.fromEntries(values.map((v, i) => [String(i + 1), v]));

describe.each(dialects)("standardized measures on %s", (dialect) => {
  let t: TestDatabase;
  let siteIds: string[];
  let siteId: string;
  let counselor: { id: string; name: string };
  let other: { id: string; name: string };
  let patientId: string;

  beforeAll(async () => {
    t = await createTestDatabase(dialect);
    const clinic = await seed(t.db);
    siteId = clinic.siteId;
    siteIds = [siteId];
    counselor = { id: clinic.users["marcus.bell"].id, name: clinic.users["marcus.bell"].name };
    other = { id: clinic.users["priya.raman"].id, name: clinic.users["priya.raman"].name };
    patientId = (await enroll(t.db, counselor, siteId, { legalFirstName: "Mara", legalLastName: "Measures", admittedOn: "2026-11-02" })).id;
  });
  afterAll(() => t?.destroy());

  const save = (answers: Answers, over: { requestKey?: string; administeredOn?: string; code?: "phq9" | "gad7" } = {}) =>
    recordMeasure(
      t.db,
      counselor,
      patientId,
      over.code ?? "phq9",
      { requestKey: over.requestKey ?? randomUUID(), administeredOn: over.administeredOn ?? "2026-11-03", answers },
      siteIds,
      meta,
    );

  it("saves a complete PHQ-9 with its total and band, audited in the same write", async () => {
    const seq = await lastSeq(t.db);
    const r = await save(phq([2, 2, 2, 2, 2, 1, 1, 0, 0]));
    expect(r).toMatchObject({ ok: true, repeated: false, flagOpened: false });
    const row = await t.db
      .selectFrom("measure_responses")
      .selectAll()
      .where("id", "=", (r as { id: string }).id)
      .executeTakeFirstOrThrow();
    expect([Number(row.total), row.band, Number(row.complete), row.site_id, row.entered_by]).toEqual([12, "moderate", 1, siteId, counselor.id]);
    const audit = await auditSince(t.db, seq);
    expect(audit.map((a) => [a.action, a.patient_id, a.entity_id])).toEqual([["measure.recorded", patientId, row.id]]);
    expect(JSON.parse(audit[0].changes ?? "{}").after).toMatchObject({ measure: "PHQ-9", total: 12, band: "moderate", complete: true });
  });

  it("saves a double submit once", async () => {
    const key = randomUUID();
    const gad7 = phq([1, 1, 1, 1, 1, 1, 1]);
    const first = await save(gad7, { requestKey: key, code: "gad7" });
    const again = await save(gad7, { requestKey: key, code: "gad7" });
    expect(first.ok && again.ok && again.repeated && again.id === first.id).toBe(true);
    const n = await t.db
      .selectFrom("measure_responses")
      .select((eb) => eb.fn.countAll().as("n"))
      .where("request_key", "=", key)
      .executeTakeFirstOrThrow();
    expect(Number(n.n)).toBe(1);
  });

  it("keeps a response with a missing item incomplete: no total, no band", async () => {
    const r = await save(phq([3, 3, 3, 3, 3, 3, 3, 3]), { administeredOn: "2026-11-04" });
    expect(r.ok).toBe(true);
    const row = await t.db
      .selectFrom("measure_responses")
      .selectAll()
      .where("id", "=", (r as { id: string }).id)
      .executeTakeFirstOrThrow();
    expect([row.total, row.band, Number(row.complete)]).toEqual([null, null, 0]);
    const phq9 = (await measuresOverview(t.db, patientId, TODAY)).find((m) => m.code === "phq9")!;
    expect(phq9.latest).toMatchObject({ on: "2026-11-04", total: null, complete: false });
    // The trend draws complete scores only.
    expect(phq9.trend.map((p) => p.total)).toEqual([12]);
  });

  it("opens a safety flag on any answer above 0 on item 9, until a counselor's safety check closes it", async () => {
    const seq = await lastSeq(t.db);
    const r = await save(phq([0, 0, 0, 0, 0, 0, 0, 0, 1]), { administeredOn: "2026-12-01" });
    expect(r).toMatchObject({ ok: true, flagOpened: true });
    expect((await auditSince(t.db, seq)).map((a) => a.action)).toEqual(["measure.recorded", "safety_flag.opened"]);
    expect(await openSafetyFlagCount(t.db, patientId)).toBe(1);
    // On the counselor's Home (their caseload), on the admin's (the site), not on another counselor's.
    expect((await openSafetyFlagsAt(t.db, siteId, counselor.id)).map((f) => f.patientId)).toEqual([patientId]);
    expect((await openSafetyFlagsAt(t.db, siteId, null)).map((f) => f.patientId)).toEqual([patientId]);
    expect(await openSafetyFlagsAt(t.db, siteId, other.id)).toEqual([]);

    const [flag] = await safetyFlagsOf(t.db, patientId);
    expect(flag).toMatchObject({ status: "open", answer: "Several days", openedOn: "2026-12-01" });
    const check: SafetyCheckInput = {
      intent: "safety-check",
      flagId: flag.id,
      version: flag.version,
      riskLevel: "low",
      plan: "Safety plan reviewed; means restriction discussed; crisis line 988 given.",
      whoWasTold: "Dr. Adeyemi, clinical supervisor",
      checkedOn: "2026-12-01",
    };
    // Dated before the flag: refused, nothing written.
    expect(await recordSafetyCheck(t.db, counselor, patientId, { ...check, checkedOn: "2026-11-30" }, siteIds, meta)).toMatchObject({ ok: false, status: 400 });
    const before = await lastSeq(t.db);
    expect(await recordSafetyCheck(t.db, counselor, patientId, check, siteIds, meta)).toMatchObject({ ok: true });
    const audit = await auditSince(t.db, before);
    expect(audit.map((a) => [a.action, a.patient_id])).toEqual([["safety_check.recorded", patientId]]);
    expect(await openSafetyFlagCount(t.db, patientId)).toBe(0);
    expect(await openSafetyFlagsAt(t.db, siteId, null)).toEqual([]);
    expect((await safetyFlagsOf(t.db, patientId))[0]).toMatchObject({
      status: "closed",
      riskLevel: "Low",
      whoWasTold: "Dr. Adeyemi, clinical supervisor",
      checkedBy: counselor.name,
    });
    // The same (now stale) form again: refused, not recorded twice.
    expect(await recordSafetyCheck(t.db, counselor, patientId, check, siteIds, meta)).toMatchObject({ ok: false, status: 409 });
    expect(await lastSeq(t.db)).toBe(before + 1);
  });

  it("gives those who only enter answers the due dates and nothing else: no score, band, answer or flag", async () => {
    const due = await measuresDue(t.db, patientId, TODAY);
    expect(due.map((d) => d.code)).toEqual(["phq9", "gad7", "audit", "dast10", "bam"]);
    for (const d of due) {
      expect(Object.keys(d).sort()).toEqual(["code", "due"]);
      if (d.due) expect(Object.keys(d.due).sort()).toEqual(["dueOn", "reason", "state"]);
    }
  });

  it("refuses a patient at another site", async () => {
    const eastside = await addSecondSite(t.db);
    const r = await recordMeasure(
      t.db,
      counselor,
      patientId,
      "phq9",
      { requestKey: randomUUID(), administeredOn: TODAY, answers: { "1": 0 } },
      [eastside.siteId],
      meta,
    );
    expect(r).toMatchObject({ ok: false, status: 404 });
  });

  it("comes due again after the program's interval setting", async () => {
    const phq9 = async () => (await measuresDue(t.db, patientId, TODAY)).find((m) => m.code === "phq9")!.due;
    // Last PHQ-9 on Dec 1; 30 days by default.
    expect(await phq9()).toEqual({ state: "upcoming", reason: "interval", dueOn: "2026-12-31" });
    await t.db
      .insertInto("program_settings")
      .values({ key: "measure_interval_days", value: "14", updated_at: new Date().toISOString(), updated_by: null })
      .execute();
    expect(await phq9()).toEqual({ state: "upcoming", reason: "interval", dueOn: "2026-12-15" });
    // Never given: due at intake (Nov 2), overdue by Dec 6.
    expect((await measuresDue(t.db, patientId, TODAY)).find((m) => m.code === "audit")!.due).toEqual({
      state: "overdue",
      reason: "intake",
      dueOn: "2026-11-02",
    });
  });
});

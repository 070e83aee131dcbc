/**
 * The drug-test report on tests written by hand: three weeks of collections with known outcomes,
 * expected and unexpected readings, a refusal, a no-show, a pending test, a lab confirmation
 * that overturns a presumptive positive, and a test that misses the buprenorphine a patient is
 * prescribed. Every expected number is worked out in a comment.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Confirmation, Outcome, Reading } from "#db/schema";
import { drugTestResults } from "~/features/reports/drug-tests.server";
import type { ReportParams } from "~/features/reports/report";
import { newId } from "~/utils/ids";
import { dialects, type TestDatabase } from "../support/databases";
import { seededTestDatabase } from "../support/templates";

describe.each(dialects)("the drug-test report on %s", (dialect) => {
  let t: TestDatabase;
  let siteId: string;
  let staffId: string;
  let counselorId: string;
  let otherCounselorId: string;
  const patients: string[] = [];
  const params = (over: Partial<ReportParams> = {}): ReportParams => ({
    siteId,
    timeZone: "America/New_York",
    from: "2026-10-05",
    to: "2026-10-25",
    trackId: null,
    counselorId: null,
    today: "2026-11-27",
    ...over,
  });

  async function test(patient: number, on: string, outcome: Outcome, results: [analyte: string, reading: Reading, confirmation?: Confirmation][] = []) {
    const id = newId();
    const unexpected = results.some(([, reading, confirmation]) => reading === "unexpected_positive" && confirmation !== "confirmed_negative");
    await t.db
      .insertInto("drug_tests")
      .values({
        id,
        site_id: siteId,
        patient_id: patients[patient],
        draw_id: null,
        request_key: id,
        collected_at: `${on}T14:00:00.000Z`,
        collected_on: on,
        collection: outcome === "refused" || outcome === "no_show" ? outcome : "collected",
        reason: "random",
        specimen: "urine",
        observed: 1,
        temperature_in_range: 1,
        temperature_note: null,
        panel_id: null,
        collected_by: staffId,
        validity: outcome === "pending" ? null : "valid",
        outcome,
        unexpected_positive: unexpected ? 1 : 0,
        mat_context: "[]",
        note: null,
        recorded_by: staffId,
        created_at: `${on}T14:00:00.000Z`,
        updated_at: `${on}T14:00:00.000Z`,
        completed_at: outcome === "pending" ? null : `${on}T15:00:00.000Z`,
      })
      .execute();
    for (const [analyte, reading, confirmation] of results) {
      await t.db
        .insertInto("drug_test_results")
        .values({
          id: newId(),
          test_id: id,
          analyte,
          result: reading.endsWith("positive") ? "positive" : "negative",
          confirmation: confirmation ?? null,
          lab: null,
          accession_number: null,
          confirmed_on: null,
          reading,
          high_risk: 0,
          rule: null,
          updated_by: staffId,
          updated_at: `${on}T15:00:00.000Z`,
        })
        .execute();
    }
  }

  beforeAll(async () => {
    const seeded = await seededTestDatabase(dialect, { patients: true });
    t = seeded;
    const clinic = seeded.clinic;
    siteId = clinic.siteId;
    staffId = clinic.users["tom.kowalski"].id;
    counselorId = clinic.users["marcus.bell"].id;
    otherCounselorId = clinic.users["priya.raman"].id;
    // The demo's own tests are out of this range's way: clear them so only the hand-made ones count.
    await t.db.deleteFrom("drug_test_alerts").execute();
    await t.db.deleteFrom("drug_test_results").execute();
    await t.db.deleteFrom("drug_tests").execute();
    const rows = await t.db.selectFrom("patients").select(["id", "primary_counselor_id"]).where("site_id", "=", siteId).orderBy("mrn").execute();
    patients.push(rows.find((r) => r.primary_counselor_id === counselorId)!.id, rows.find((r) => r.primary_counselor_id === otherCounselorId)!.id);

    // Week of Oct 5: patient 0 bup positive on bup (expected) → negative; patient 1 fentanyl unexpected → not negative;
    // patient 1 refused → not negative. Counted 3, negative 1.
    await test(0, "2026-10-06", "positive", [
      ["buprenorphine", "expected_positive"],
      ["fentanyl", "expected_negative"],
    ]);
    await test(1, "2026-10-07", "positive", [["fentanyl", "unexpected_positive"]]);
    await test(1, "2026-10-09", "refused");
    // Week of Oct 12: patient 0 negative; patient 1 presumptive cocaine overturned by the lab → negative; a pending test (not counted);
    // patient 1 on buprenorphine with nothing detected, buprenorphine included → not negative (missing medication).
    // Counted 3, negative 2, missing medication 1.
    await test(0, "2026-10-13", "negative", [["cocaine", "expected_negative"]]);
    await test(1, "2026-10-14", "positive", [["cocaine", "unexpected_positive", "confirmed_negative"]]);
    await test(0, "2026-10-16", "pending");
    await test(1, "2026-10-15", "negative", [
      ["buprenorphine", "unexpected_negative"],
      ["fentanyl", "expected_negative"],
    ]);
    // Week of Oct 19: patient 0 no-show → not negative; patient 0 methamphetamine unexpected → not negative. Counted 2, negative 0.
    await test(0, "2026-10-20", "no_show");
    await test(0, "2026-10-22", "positive", [["methamphetamine", "unexpected_positive"]]);
    // Outside the range: not counted.
    await test(0, "2026-10-26", "positive", [["fentanyl", "unexpected_positive"]]);
  });
  afterAll(() => t?.destroy());

  it("counts the negative rate by week, expected MAT positives as negative, refusals and no-shows as not", async () => {
    const r = await drugTestResults.compute(t.db, params());
    expect(r.rows).toEqual([
      { week: "2026-10-05", counted: 3, negative: 1, rate: 33.3, medicationMissing: 0, diluteNegative: 0, refused: 1, pending: 0 },
      // 2 of 3 = 66.7 %: the test missing buprenorphine is counted, not negative.
      { week: "2026-10-12", counted: 3, negative: 2, rate: 66.7, medicationMissing: 1, diluteNegative: 0, refused: 0, pending: 1 },
      { week: "2026-10-19", counted: 2, negative: 0, rate: 0, medicationMissing: 0, diluteNegative: 0, refused: 1, pending: 0 },
    ]);
    // 3 of 8 negative = 37.5 %; the overturned cocaine is not an unexpected positive; the missing buprenorphine is not negative.
    expect(r.summary).toBe(
      "Negative rate over the range: 37.5% (3 of 8; 1 test missing a prescribed medication, counted as not negative). Unexpected positives by substance: Fentanyl: 1, Methamphetamine: 1.",
    );
    expect(r.columns.map((c) => c.label)).toContain("Prescribed medication not detected");
  });

  it("narrows to one counselor's caseload", async () => {
    const r = await drugTestResults.compute(t.db, params({ counselorId }));
    // Patient 0 only: week 1 counted 1 negative 1; week 2 counted 1 negative 1 (+1 pending); week 3 counted 2 negative 0.
    expect(r.rows.map((x) => [x.week, x.counted, x.negative, x.pending])).toEqual([
      ["2026-10-05", 1, 1, 0],
      ["2026-10-12", 1, 1, 1],
      ["2026-10-19", 2, 0, 0],
    ]);
    expect(r.summary).toContain("Methamphetamine: 1");
    expect(r.summary).not.toContain("Fentanyl");
  });

  it("has nothing to count in an empty range", async () => {
    const r = await drugTestResults.compute(t.db, params({ from: "2026-09-01", to: "2026-09-30" }));
    expect(r.rows).toEqual([]);
    expect(r.summary).toBe("Negative rate over the range: — (0 of 0). Unexpected positives by substance: none.");
  });
});

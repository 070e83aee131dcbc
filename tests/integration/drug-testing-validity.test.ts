/**
 * Specimen validity through the database, on SQLite and PostgreSQL: an out-of-range temperature
 * and an invalid specimen raise an alert asking for an observed recollection, which is linked to the
 * original when recorded; a dilute negative raises "Negative, dilute", and neither extends the
 * negative streak nor counts as a negative in the patient's rate or the report. Expected numbers are
 * worked out in comments.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getTest, recordCollection, saveResults } from "~/features/drug-testing/collections.server";
import { patientHistory } from "~/features/drug-testing/history.server";
import { testDetail } from "~/features/drug-testing/views.server";
import { drugTestResults } from "~/features/reports/drug-tests.server";
import { createTestDatabase, dialects, type TestDatabase } from "../support/databases";
import { meta } from "../support/demo";
import { collect, collection, type DrugTestWorld, drugTestWorld, enterResults, NOW, results, testVersion } from "./drug-testing-support";
import { enroll } from "./patients-support";

describe.each(dialects)("specimen validity on %s", (dialect) => {
  let t: TestDatabase;
  let w: DrugTestWorld;

  beforeAll(async () => {
    t = await createTestDatabase(dialect);
    w = await drugTestWorld(t.db);
  });
  afterAll(() => t?.destroy());

  const alertsOf = async (testId: string) =>
    (await t.db.selectFrom("drug_test_alerts").select(["kind", "label", "status"]).where("test_id", "=", testId).orderBy("raised_at").execute()).map((a) => [
      a.kind,
      a.label,
      a.status,
    ]);

  it("an 88 °F urine raises an alert asking for an observed recollection, and the observed recollection is linked to it", async () => {
    const patient = (await enroll(t.db, w.counselor, w.site.id, { legalFirstName: "Tia", legalLastName: "Temper" })).id;
    const id = await collect(w, { patientId: patient, temperatureInRange: undefined, temperatureF: 88, observed: false, time: "09:00" });
    const row = await t.db.selectFrom("drug_tests").select(["temperature_f", "temperature_in_range"]).where("id", "=", id).executeTakeFirstOrThrow();
    expect([Number(row.temperature_f), Number(row.temperature_in_range)]).toEqual([88, 0]);
    expect(await alertsOf(id)).toEqual([["temperature", "Temperature out of range (88 °F)", "open"]]);
    // Staff (no clinical access) see the same ask: it is a collection fact, not a reading against MAT.
    const page = testDetail((await getTest(t.db, id, w.siteIds))!, false);
    expect(page.recollection).toMatchObject({ observed: true, reasons: ["Temperature out of range (88 °F)"], done: false });

    // Results do not withdraw the temperature alert.
    await enterResults(w, id, {});
    expect(await alertsOf(id)).toEqual([["temperature", "Temperature out of range (88 °F)", "open"]]);

    // The recollection must be observed.
    const unobserved = await recordCollection(
      t.db,
      w.staff,
      collection(w, { patientId: patient, temperatureInRange: undefined, temperatureF: 95, observed: false, time: "09:10", recollectionOf: id }),
      w.siteIds,
      meta,
      NOW,
    );
    expect(unobserved).toMatchObject({ ok: false, status: 400, fieldErrors: { observed: [expect.stringContaining("direct observation")] } });
    // Not before the original: a minute earlier is refused on the time.
    const early = await recordCollection(
      t.db,
      w.staff,
      collection(w, { patientId: patient, temperatureInRange: undefined, temperatureF: 95, observed: true, time: "08:59", recollectionOf: id }),
      w.siteIds,
      meta,
      NOW,
    );
    expect(early).toMatchObject({ ok: false, status: 400, fieldErrors: { time: [expect.stringContaining("before the collection it replaces")] } });
    // The same minute is accepted: the observed recollection follows at once.
    const again = await collect(w, { patientId: patient, temperatureInRange: undefined, temperatureF: 95, observed: true, time: "09:00", recollectionOf: id });
    expect(await alertsOf(again)).toEqual([]);
    const original = testDetail((await getTest(t.db, id, w.siteIds))!, true);
    expect(original.recollections.map((r) => [r.id, r.observed])).toEqual([[again, true]]);
    expect(original.recollection?.done).toBe(true);
    expect(testDetail((await getTest(t.db, again, w.siteIds))!, true).recollects?.id).toBe(id);
  });

  it("90 °F and 100 °F are in range and raise nothing", async () => {
    for (const [f, time] of [
      [90, "08:00"],
      [100, "08:05"],
    ] as const) {
      const id = await collect(w, { patientId: w.nomat, temperatureInRange: undefined, temperatureF: f, time });
      expect(await alertsOf(id)).toEqual([]);
    }
  });

  it("an invalid specimen raises an alert asking for an observed recollection; so does one the measurements show substituted", async () => {
    const id = await collect(w, { patientId: w.nomat, time: "08:30" });
    await enterResults(w, id, {}, "invalid");
    expect(await alertsOf(id)).toEqual([["invalid", "Invalid specimen", "open"]]);
    expect(testDetail((await getTest(t.db, id, w.siteIds))!, true).recollection).toMatchObject({ observed: true, reasons: ["Invalid specimen"] });

    const sub = await collect(w, { patientId: w.nomat, time: "08:40" });
    const r = await saveResults(
      t.db,
      w.staff,
      sub,
      { intent: "results", version: await testVersion(t.db, sub), validity: "substituted", creatinine: 1.5, specificGravity: 1.001, results: results(w.urine) },
      w.siteIds,
      meta,
      NOW,
    );
    expect(r).toMatchObject({ ok: true, outcome: "invalid" });
    const stored = await t.db.selectFrom("drug_tests").select(["creatinine_mg_dl", "specific_gravity"]).where("id", "=", sub).executeTakeFirstOrThrow();
    expect([Number(stored.creatinine_mg_dl), Number(stored.specific_gravity)]).toEqual([1.5, 1.001]);
    expect(await alertsOf(sub)).toEqual([["substituted", "Substituted specimen", "open"]]);
  });

  it("a dilute negative reads 'Negative, dilute', asks for a recollection, ends the streak and is not a negative in the rate or the report", async () => {
    const dan = (await enroll(t.db, w.counselor, w.site.id, { legalFirstName: "Dan", legalLastName: "Dilute" })).id;
    const ids: string[] = [];
    for (const date of ["2026-11-02", "2026-11-04", "2026-11-09", "2026-11-11"]) ids.push(await collect(w, { patientId: dan, date, time: "09:30" }));
    await enterResults(w, ids[0]!, {});
    await enterResults(w, ids[1]!, {});
    // Creatinine 15 mg/dL and SG 1.002: dilute (not 2–5 mg/dL, so the recollection need not be observed).
    const d = await saveResults(
      t.db,
      w.staff,
      ids[2]!,
      { intent: "results", version: await testVersion(t.db, ids[2]!), validity: "dilute", creatinine: 15, specificGravity: 1.002, results: results(w.urine) },
      w.siteIds,
      meta,
      NOW,
    );
    expect(d).toMatchObject({ ok: true, outcome: "negative", raised: ["Negative, dilute"] });
    await enterResults(w, ids[3]!, {});
    expect(await alertsOf(ids[2]!)).toEqual([["dilute_negative", "Negative, dilute", "open"]]);
    expect(testDetail((await getTest(t.db, ids[2]!, w.siteIds))!, true).recollection).toMatchObject({ observed: false, reasons: ["Negative, dilute"] });

    const h = await patientHistory(t.db, dan, "2026-11-27");
    // Newest first: negative (Nov 11), then the dilute negative (Nov 9) ends the count: a streak of 1, not 4.
    expect(h.streak).toBe(1);
    // 4 tests counted, 3 negative: 75 %.
    expect(h.rate).toEqual({ counted: 4, negative: 3, percent: 75 });
    expect(h.strip.map((x) => [x.date, x.negative, x.dilute])).toEqual([
      ["2026-11-02", true, false],
      ["2026-11-04", true, false],
      ["2026-11-09", false, true],
      ["2026-11-11", true, false],
    ]);

    // The report over those two weeks counts only Dan's tests (the other tests here are dated Nov 27).
    const report = await drugTestResults.compute(t.db, {
      siteId: w.site.id,
      timeZone: w.site.time_zone,
      from: "2026-11-02",
      to: "2026-11-15",
      trackId: null,
      counselorId: null,
      today: "2026-11-27",
    });
    // Week of Nov 2: 2 of 2 negative. Week of Nov 9: the dilute negative is counted, not negative: 1 of 2.
    expect(report.rows).toEqual([
      { week: "2026-11-02", counted: 2, negative: 2, rate: 100, medicationMissing: 0, diluteNegative: 0, refused: 0, pending: 0 },
      { week: "2026-11-09", counted: 2, negative: 1, rate: 50, medicationMissing: 0, diluteNegative: 1, refused: 0, pending: 0 },
    ]);
    expect(report.summary).toContain("3 of 4; 1 dilute negative, counted as not negative");
  });
});

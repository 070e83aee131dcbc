/**
 * Collections, results, confirmations and alerts on real databases, as the people using them
 * notice them: the outcome, each analyte's reading, what is flagged for the counselor, and the
 * message a bad input gets (with nothing written).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyAuditChain } from "~/features/audit/audit.server";
import { acknowledgeAlerts, openAlertsOf, unexpectedResultFlags } from "~/features/drug-testing/alerts.server";
import { confirmResult, getTest, recordCollection, saveResults } from "~/features/drug-testing/collections.server";
import { patientHistory, programNegativeRate } from "~/features/drug-testing/history.server";
import { savePanel, setPanelActive } from "~/features/drug-testing/panels.server";
import { addMatEpisode } from "~/features/patients/clinical.server";
import { createTestDatabase, dialects, type TestDatabase } from "../support/databases";
import { meta } from "../support/demo";
import { addSecondSite, auditSince, enroll, lastSeq } from "./patients-support";
import {
  collect,
  collection,
  drugSnapshot,
  type DrugTestWorld,
  drugTestWorld,
  enrollOnMat,
  enterResults,
  NOW,
  results,
  testVersion,
} from "./drug-testing-support";

describe.each(dialects)("drug-test collections and results on %s", (dialect) => {
  let t: TestDatabase;
  let w: DrugTestWorld;

  beforeAll(async () => {
    t = await createTestDatabase(dialect);
    w = await drugTestWorld(t.db);
  });
  afterAll(() => t?.destroy());

  const readings = async (testId: string) => {
    const test = await getTest(t.db, testId, w.siteIds);
    return Object.fromEntries(test!.results.map((r) => [r.analyte, [r.result, r.reading]]));
  };

  it("reads buprenorphine and fentanyl positives on buprenorphine as one unexpected result: fentanyl", async () => {
    const seq = await lastSeq(t.db);
    const id = await collect(w, { patientId: w.bup });
    const pending = await getTest(t.db, id, w.siteIds);
    expect(pending).toMatchObject({
      outcome: "pending",
      collection: "collected",
      specimen: "urine",
      observed: 1,
      temperature_in_range: 1,
      collected_on: "2026-11-27",
      collected_at: "2026-11-27T15:15:00.000Z",
    });
    expect(pending!.results).toHaveLength(15);
    expect(pending!.results.every((r) => r.reading === "pending")).toBe(true);
    expect(pending!.matContext.map((m) => m.medication)).toEqual(["buprenorphine_naloxone"]);

    const saved = await enterResults(w, id, { buprenorphine: "positive", fentanyl: "positive" });
    expect(saved).toMatchObject({ outcome: "positive", raised: ["Fentanyl"], withdrawn: [] });
    const r = await readings(id);
    expect(r.buprenorphine).toEqual(["positive", "expected_positive"]);
    expect(r.fentanyl).toEqual(["positive", "unexpected_positive"]);
    expect(r.cocaine).toEqual(["negative", "expected_negative"]);

    const flags = await unexpectedResultFlags(t.db, [w.bup, w.nomat]);
    expect(flags.get(w.bup)).toEqual({ count: 1, analytes: ["Fentanyl"] });
    expect(flags.has(w.nomat)).toBe(false);

    const audit = await auditSince(t.db, seq);
    expect(audit.map((a) => a.action)).toEqual(["drug_test.collected", "drug_test.results_recorded"]);
    for (const a of audit) expect(a).toMatchObject({ entity_type: "drug_test", entity_id: id, patient_id: w.bup, user_id: w.staff.id, site_id: w.site.id });
    const changes = JSON.parse(audit[1].changes!);
    expect(changes.before.results.fentanyl).toBe("pending");
    expect(changes.after).toMatchObject({ validity: "valid", outcome: "positive" });
    expect(changes.detail.alertsRaised).toEqual(["Fentanyl"]);

    // The counselor acknowledges with a note; the flag goes away, and a second acknowledgement is refused by name.
    const ack = await acknowledgeAlerts(
      t.db,
      w.counselor,
      { patientId: w.bup, testId: id, note: "Discussed in session; naloxone kit given." },
      w.siteIds,
      meta,
    );
    expect(ack).toEqual({ ok: true, acknowledged: ["Fentanyl"] });
    expect((await unexpectedResultFlags(t.db, [w.bup])).has(w.bup)).toBe(false);
    const again = await acknowledgeAlerts(t.db, w.admin, { patientId: w.bup, testId: id, note: "Also seen." }, w.siteIds, meta);
    expect(again).toEqual({ ok: false, status: 409, formError: "Marcus Bell already acknowledged this result; reload to see their note." });
    const alert = await t.db.selectFrom("drug_test_alerts").selectAll().where("test_id", "=", id).executeTakeFirstOrThrow();
    expect(alert).toMatchObject({ status: "acknowledged", closed_by: w.counselor.id, note: "Discussed in session; naloxone kit given.", label: "Fentanyl" });
    const [ackAudit] = await t.db
      .selectFrom("audit_events")
      .selectAll()
      .where("action", "=", "drug_test.alert_acknowledged")
      .where("entity_id", "=", id)
      .execute();
    expect(ackAudit).toMatchObject({ user_id: w.counselor.id, patient_id: w.bup });
  });

  it("flags buprenorphine missing on buprenorphine, methadone without EDDP, and opioids on naltrexone as higher risk", async () => {
    const bupTest = await collect(w, { patientId: w.bup, time: "10:20" });
    await enterResults(w, bupTest, {});
    expect((await readings(bupTest)).buprenorphine).toEqual(["negative", "unexpected_negative"]);

    const mTest = await collect(w, { patientId: w.methadone, time: "10:21" });
    const m = await enterResults(w, mTest, { methadone: "positive" });
    expect(m.raised).toEqual(["EDDP (methadone metabolite) not detected"]);
    expect((await readings(mTest)).methadone).toEqual(["positive", "expected_positive"]);

    const nTest = await collect(w, { patientId: w.naltrexone, time: "10:22" });
    const n = await enterResults(w, nTest, { oxycodone: "positive" });
    expect(n.raised).toEqual(["Oxycodone"]);
    const nAlert = await t.db.selectFrom("drug_test_alerts").selectAll().where("test_id", "=", nTest).executeTakeFirstOrThrow();
    expect(Number(nAlert.high_risk)).toBe(1);
    expect((await getTest(t.db, nTest, w.siteIds))!.results.find((r) => r.analyte === "oxycodone")).toMatchObject({
      reading: "unexpected_positive",
      high_risk: true,
      rule: "opioid-on-naltrexone",
    });

    const open = await openAlertsOf(t.db, w.bup);
    expect(open.map((o) => o.findings.map((f) => f.label))).toEqual([["Buprenorphine not detected"]]);
  });

  it("records refusals and no-shows as such, never negative, and flags them", async () => {
    const refused = await collect(w, {
      patientId: w.nomat,
      collection: "refused",
      time: "09:00",
      specimen: undefined,
      panelId: undefined,
      temperatureInRange: undefined,
    });
    const noShow = await collect(w, { patientId: w.nomat, collection: "no_show", time: "09:05", specimen: "urine", panelId: w.urine.id });
    for (const id of [refused, noShow]) {
      const test = await getTest(t.db, id, w.siteIds);
      expect(test!.results).toEqual([]);
      expect(test).toMatchObject({ specimen: null, panel_id: null, temperature_in_range: null, observed: null });
      expect(test!.completed_at).not.toBeNull();
    }
    expect((await getTest(t.db, refused, w.siteIds))!.outcome).toBe("refused");
    expect((await getTest(t.db, noShow, w.siteIds))!.outcome).toBe("no_show");
    expect((await unexpectedResultFlags(t.db, [w.nomat])).get(w.nomat)).toEqual({ count: 2, analytes: ["Refused", "No-show"] });
    const entering = await saveResults(t.db, w.staff, refused, { intent: "results", version: 1, validity: "valid", results: {} }, w.siteIds, meta, NOW);
    expect(entering).toMatchObject({ ok: false, status: 400, formError: "No specimen was collected (the patient refused), so there are no results to enter." });
    expect((await auditSince(t.db, 0)).filter((a) => a.entity_id === refused).map((a) => a.action)).toEqual(["drug_test.refused"]);
  });

  it("flags every specimen that cannot be relied on: adulterated, substituted, invalid, and dilute when nothing unexpected was found", async () => {
    // Only the prescribed methadone detected on a dilute specimen: a dilute negative for everything else.
    const cases = [
      ["adulterated", "invalid", ["Adulterated specimen"]],
      ["substituted", "invalid", ["Substituted specimen"]],
      ["invalid", "invalid", ["Invalid specimen"]],
      ["dilute", "positive", ["Negative, dilute"]],
    ] as const;
    let minute = 30;
    for (const [validity, outcome, raised] of cases) {
      const id = await collect(w, { patientId: w.methadone, time: `11:${minute++}` });
      const r = await enterResults(w, id, { methadone: "positive", eddp: "positive" }, validity);
      expect(r.outcome, validity).toBe(outcome);
      expect(r.raised, validity).toEqual(raised);
    }
  });

  it("refuses a collection in the future, and writes nothing", async () => {
    const before = await drugSnapshot(t.db);
    const r = await recordCollection(t.db, w.staff, collection(w, { time: "12:30" }), w.siteIds, meta, NOW);
    expect(r).toEqual({ ok: false, status: 400, fieldErrors: { time: ["The collection cannot be in the future: it is 12:00 PM at the site now."] } });
    expect(await drugSnapshot(t.db)).toEqual(before);
  });

  it("refuses a result for an analyte that is not on the panel, and changes nothing", async () => {
    const id = await collect(w, { patientId: w.nomat, specimen: "breath", panelId: w.breath.id, temperatureInRange: undefined, time: "10:40" });
    const test = await getTest(t.db, id, w.siteIds);
    expect(test).toMatchObject({ specimen: "breath", temperature_in_range: null });
    expect(test!.results.map((r) => r.analyte)).toEqual(["breath_alcohol"]);
    const before = await drugSnapshot(t.db);
    const r = await saveResults(
      t.db,
      w.staff,
      id,
      { intent: "results", version: 1, validity: "valid", results: { breath_alcohol: "negative", fentanyl: "positive" } },
      w.siteIds,
      meta,
      NOW,
    );
    expect(r).toEqual({ ok: false, status: 400, formError: "Fentanyl is not on this test's panel (Breath alcohol); enter results for its analytes only." });
    const junk = await saveResults(
      t.db,
      w.staff,
      id,
      { intent: "results", version: 1, validity: "valid", results: { nonsense: "positive" } },
      w.siteIds,
      meta,
      NOW,
    );
    expect(junk).toMatchObject({
      ok: false,
      status: 400,
      formError: "nonsense is not on this test's panel (Breath alcohol); enter results for its analytes only.",
    });
    expect(await drugSnapshot(t.db)).toEqual(before);
  });

  it("refuses to confirm a test with no presumptive positive, or an analyte that was not one", async () => {
    const id = await collect(w, { patientId: w.nomat, time: "10:45" });
    await enterResults(w, id, {});
    const before = await drugSnapshot(t.db);
    const confirm = {
      intent: "confirm" as const,
      version: await testVersion(t.db, id),
      analyte: "fentanyl" as const,
      confirmation: "confirmed_positive" as const,
      lab: "Northeast Tox",
      accessionNumber: "A-1",
      confirmedOn: "2026-11-27",
    };
    expect(await confirmResult(t.db, w.staff, id, confirm, w.siteIds, meta)).toEqual({
      ok: false,
      status: 400,
      formError: "This test has no presumptive positive, so there is nothing for a lab to confirm. Enter the presumptive results first.",
    });
    await enterResults(w, id, { thc: "positive" });
    const before2 = await drugSnapshot(t.db);
    expect(await confirmResult(t.db, w.staff, id, { ...confirm, version: await testVersion(t.db, id) }, w.siteIds, meta)).toEqual({
      ok: false,
      status: 400,
      fieldErrors: { analyte: ["Fentanyl was not a presumptive positive; only a presumptive positive is confirmed."] },
    });
    expect(await drugSnapshot(t.db)).toEqual(before2);
    expect(before).not.toEqual(before2);
  });

  it("withdraws the flag when the lab confirms negative, and keeps the lab and accession number", async () => {
    const id = await collect(w, { patientId: w.nomat, time: "10:50" });
    await enterResults(w, id, { cocaine: "positive" });
    expect((await unexpectedResultFlags(t.db, [w.nomat])).get(w.nomat)?.analytes).toContain("Cocaine");
    const r = await confirmResult(
      t.db,
      w.staff,
      id,
      {
        intent: "confirm",
        version: await testVersion(t.db, id),
        analyte: "cocaine",
        confirmation: "confirmed_negative",
        lab: "Northeast Toxicology",
        accessionNumber: "NTL-77",
        confirmedOn: "2026-11-27",
      },
      w.siteIds,
      meta,
    );
    expect(r).toEqual({ ok: true, outcome: "negative", raised: [], withdrawn: ["Cocaine"] });
    const test = await getTest(t.db, id, w.siteIds);
    expect(test!.results.find((x) => x.analyte === "cocaine")).toMatchObject({
      result: "positive",
      confirmation: "confirmed_negative",
      lab: "Northeast Toxicology",
      accession_number: "NTL-77",
      reading: "expected_negative",
    });
    expect(test!.alerts).toMatchObject([{ label: "Cocaine", status: "withdrawn" }]);
    expect((await unexpectedResultFlags(t.db, [w.nomat])).get(w.nomat)?.analytes ?? []).not.toContain("Cocaine");
    // The presumptive result of a confirmed analyte cannot be changed afterwards.
    const change = await saveResults(
      t.db,
      w.staff,
      id,
      { intent: "results", version: await testVersion(t.db, id), validity: "valid", results: results(w.urine, { cocaine: "negative" }) },
      w.siteIds,
      meta,
      NOW,
    );
    expect(change).toMatchObject({ ok: false, status: 400, formError: "Cocaine already has a lab confirmation; its presumptive result stays as it was." });
    const [audit] = await t.db.selectFrom("audit_events").selectAll().where("action", "=", "drug_test.confirmed").where("entity_id", "=", id).execute();
    expect(JSON.parse(audit.changes!).after).toMatchObject({
      analyte: "cocaine",
      confirmation: "confirmed_negative",
      lab: "Northeast Toxicology",
      accessionNumber: "NTL-77",
    });
  });

  it("refuses a stale results form, and a double submit records one collection", async () => {
    const input = collection(w, { patientId: w.methadone, time: "10:55" });
    const [a, b] = await Promise.all([
      recordCollection(t.db, w.staff, input, w.siteIds, meta, NOW),
      recordCollection(t.db, w.staff, input, w.siteIds, meta, NOW),
    ]);
    if (!a.ok || !b.ok) throw new Error(JSON.stringify([a, b]));
    expect(a.id).toBe(b.id);
    expect([a.repeated, b.repeated].sort()).toEqual([false, true]);
    expect(await t.db.selectFrom("drug_tests").select("id").where("request_key", "=", input.requestKey).execute()).toHaveLength(1);
    const reused = await recordCollection(t.db, w.staff, { ...input, patientId: w.nomat }, w.siteIds, meta, NOW);
    expect(reused).toMatchObject({ ok: false, status: 409 });

    await enterResults(w, a.id, { methadone: "positive", eddp: "positive" });
    const stale = await saveResults(t.db, w.staff, a.id, { intent: "results", version: 1, validity: "valid", results: results(w.urine) }, w.siteIds, meta, NOW);
    expect(stale).toEqual({
      ok: false,
      status: 409,
      formError: "Someone else changed this test while you were working. Reload to see their change, then try again.",
    });
    expect((await getTest(t.db, a.id, w.siteIds))!.outcome).toBe("positive");
  });

  it("refuses a discharged patient, a patient at another site, a collector from elsewhere, a random test without a draw, and a panel for another specimen", async () => {
    const before = await drugSnapshot(t.db);
    const refused = async (over: Parameters<typeof collection>[1]) => recordCollection(t.db, w.staff, collection(w, over), w.siteIds, meta, NOW);
    expect(await refused({ patientId: w.discharged })).toEqual({
      ok: false,
      status: 400,
      fieldErrors: { patientId: ["Dee Departed is discharged; tests are recorded for patients in the program."] },
    });
    const east = await addSecondSite(t.db);
    const elsewhere = await enroll(t.db, east.counselor, east.siteId, { legalFirstName: "Eve", legalLastName: "East" });
    expect(await refused({ patientId: elsewhere.id })).toEqual({ ok: false, status: 400, fieldErrors: { patientId: ["Choose a patient at your site."] } });
    expect(await refused({ collectedBy: east.counselor.id })).toEqual({
      ok: false,
      status: 400,
      fieldErrors: { collectedBy: ["Choose someone who works at this site."] },
    });
    expect(await refused({ reason: "random" })).toEqual({
      ok: false,
      status: 400,
      fieldErrors: { reason: ["Bea Bupren was not selected in a random draw on Nov 27, 2026; choose another reason, or run that day's draw first."] },
    });
    expect(await refused({ specimen: "oral_fluid" })).toEqual({
      ok: false,
      status: 400,
      fieldErrors: { panelId: ["Urine — standard panel is run on urine, not oral fluid; choose a oral fluid panel."] },
    });
    expect(await refused({ time: "02:30", date: "2026-03-08" })).toMatchObject({
      ok: false,
      fieldErrors: { time: [expect.stringMatching(/^2:30 AM does not exist on Sun, Mar 8, 2026 in /)] },
    });
    const after = await drugSnapshot(t.db);
    expect(after.drug_tests).toEqual(before.drug_tests);
    expect(after.drug_test_alerts).toEqual(before.drug_test_alerts);
  });

  it("keeps a retired panel off new collections, and refuses a panel that mixes breath and urine analytes", async () => {
    const mixed = await savePanel(
      t.db,
      w.admin,
      w.site.id,
      { intent: "create", name: "Breath plus", specimen: "breath", analytes: ["breath_alcohol", "thc"] },
      meta,
    );
    expect(mixed).toEqual({ ok: false, status: 400, fieldErrors: { analytes: ["A breath panel tests breath alcohol only; remove THC."] } });
    const made = await savePanel(
      t.db,
      w.admin,
      w.site.id,
      { intent: "create", name: "Urine — fentanyl only", specimen: "urine", analytes: ["fentanyl"] },
      meta,
    );
    if (!made.ok) throw new Error(JSON.stringify(made));
    expect(
      await savePanel(t.db, w.admin, w.site.id, { intent: "create", name: "urine — FENTANYL only", specimen: "urine", analytes: ["fentanyl"] }, meta),
    ).toEqual({
      ok: false,
      status: 409,
      fieldErrors: { name: ["There is already a panel called urine — FENTANYL only."] },
    });
    const retired = await setPanelActive(t.db, w.admin, w.site.id, { panelId: made.id, version: 1, active: false }, meta);
    expect(retired).toEqual({ ok: true });
    expect(await setPanelActive(t.db, w.admin, w.site.id, { panelId: made.id, version: 1, active: true }, meta)).toMatchObject({ ok: false, status: 409 });
    const r = await recordCollection(t.db, w.staff, collection(w, { panelId: made.id }), w.siteIds, meta, NOW);
    expect(r).toEqual({ ok: false, status: 400, fieldErrors: { panelId: ["Choose a panel in use."] } });
    const actions = await t.db.selectFrom("audit_events").select("action").where("entity_id", "=", made.id).orderBy("seq").execute();
    expect(actions.map((a) => a.action)).toEqual(["drug_panel.created", "drug_panel.retired"]);
  });

  it("adds up a patient's history and the program's negative rate, counting expected MAT positives as negative", async () => {
    const hal = (await enroll(t.db, w.counselor, w.site.id, { legalFirstName: "Hal", legalLastName: "Hendricks" })).id;
    const mat = await addMatEpisode(
      t.db,
      w.counselor,
      hal,
      { medication: "methadone", dose: "80 mg", schedule: "daily", prescriber: "OTP", setting: "otp", startedOn: "2026-09-01" },
      w.siteIds,
      meta,
    );
    if (!mat.ok) throw new Error(JSON.stringify(mat));
    const on = async (date: string, over: Record<string, "positive" | "negative" | "pending">) => {
      const id = await collect(w, { patientId: hal, date, time: "09:30" });
      await enterResults(w, id, { methadone: "positive", eddp: "positive", ...over });
    };
    await on("2026-11-10", { cocaine: "positive" });
    await on("2026-11-13", {});
    await collect(w, { patientId: hal, date: "2026-11-17", time: "09:30", collection: "refused" });
    await on("2026-11-20", {});
    await on("2026-11-23", {});
    await on("2026-11-25", { fentanyl: "pending" });

    const h = await patientHistory(t.db, hal, "2026-11-27");
    expect(h.tests.map((x) => [x.collected_on, x.outcome, x.unexpected_positive])).toEqual([
      ["2026-11-25", "pending", false],
      ["2026-11-23", "positive", false],
      ["2026-11-20", "positive", false],
      ["2026-11-17", "refused", false],
      ["2026-11-13", "positive", false],
      ["2026-11-10", "positive", true],
    ]);
    // Pending is skipped, the two expected-only positives count as negative, the refusal ends the streak.
    expect(h.streak).toBe(2);
    expect(h.daysSinceUnexpected).toBe(17);
    expect(h.rate).toEqual({ counted: 5, negative: 3, percent: 60 });
    expect(h.tests[5].findings).toEqual([{ kind: "unexpected_positive", label: "Cocaine", open: true }]);
    expect(h.tests[5].expectedPositives).toBe(2);
    expect(h.strip.map((x) => x.negative)).toEqual([false, true, false, true, true, null]);

    const rate = await programNegativeRate(t.db, w.site.id, "2026-11-27");
    expect(rate.weekly.map((x) => x.monday)).toEqual([
      "2026-10-05",
      "2026-10-12",
      "2026-10-19",
      "2026-10-26",
      "2026-11-02",
      "2026-11-09",
      "2026-11-16",
      "2026-11-23",
    ]);
    expect(rate.weekly.find((x) => x.monday === "2026-11-09")).toEqual({ monday: "2026-11-09", counted: 2, negative: 1, percent: 50 });
    expect(rate.weekly.find((x) => x.monday === "2026-11-16")).toEqual({ monday: "2026-11-16", counted: 2, negative: 1, percent: 50 });
    const all = await t.db.selectFrom("drug_tests").select(["id", "outcome", "unexpected_positive", "validity"]).where("site_id", "=", w.site.id).execute();
    // Tests that missed a prescribed medication (bup missing on bup, methadone without EDDP, above) are not negative.
    const missing = new Set(
      (await t.db.selectFrom("drug_test_results").select("test_id").where("reading", "=", "unexpected_negative").execute()).map((x) => x.test_id),
    );
    expect(missing.size).toBeGreaterThan(0);
    const counted = all.filter((x) => x.outcome !== "pending");
    // Dilute negatives (the dilute methadone test above) are not negative either.
    const negative = counted.filter(
      (x) => (x.outcome === "negative" || x.outcome === "positive") && !Number(x.unexpected_positive) && !missing.has(x.id) && x.validity !== "dilute",
    );
    expect(rate.total).toEqual({ counted: counted.length, negative: negative.length, percent: Math.round((negative.length / counted.length) * 100) });
    expect(rate.refusals).toBe(all.filter((x) => x.outcome === "refused" || x.outcome === "no_show").length);
    expect(rate.pending).toBe(all.filter((x) => x.outcome === "pending").length);
  });

  it("does not let a test missing the prescribed buprenorphine extend the negative streak or count as negative", async () => {
    const ivy = await enrollOnMat(w, "Ivy", "Ingram", "buprenorphine_naloxone");
    const on = async (date: string, over: Record<string, "positive" | "negative">) => {
      const id = await collect(w, { patientId: ivy, date, time: "09:40" });
      await enterResults(w, id, over);
    };
    // Oldest first: neg, neg, buprenorphine missing, neg (each "neg" is buprenorphine detected, as prescribed, and nothing else).
    await on("2026-11-10", { buprenorphine: "positive" });
    await on("2026-11-13", { buprenorphine: "positive" });
    await on("2026-11-17", {});
    await on("2026-11-20", { buprenorphine: "positive" });

    const h = await patientHistory(t.db, ivy, "2026-11-27");
    expect(h.tests.map((x) => [x.collected_on, x.outcome])).toEqual([
      ["2026-11-20", "positive"],
      ["2026-11-17", "negative"],
      ["2026-11-13", "positive"],
      ["2026-11-10", "positive"],
    ]);
    // Newest first: negative, then the missing buprenorphine ends the count. Streak 1, not 4 (nor 2 by skipping it).
    expect(h.streak).toBe(1);
    // 4 completed tests counted; 3 negative (the missing one is not): 3 / 4 = 75 %.
    expect(h.rate).toEqual({ counted: 4, negative: 3, percent: 75 });
    expect(h.daysSinceUnexpected).toBeNull();
    expect(h.strip.map((x) => [x.date, x.negative, x.medicationMissing])).toEqual([
      ["2026-11-10", true, false],
      ["2026-11-13", true, false],
      ["2026-11-17", false, true],
      ["2026-11-20", true, false],
    ]);
  });

  it("keeps the audit chain intact", async () => {
    expect(await verifyAuditChain(t.db)).toMatchObject({ ok: true });
  });
});

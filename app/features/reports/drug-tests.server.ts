/** Drug-test results: the negative rate by week and unexpected results by substance. */
import { diluteSpecimen, medicationMissing } from "~/features/drug-testing/history.server";
import { ANALYTES, type Analyte, countsAsNegative, isDiluteNegative } from "~/features/drug-testing/rules";
import { weekStart } from "~/kernel/time";
import { percent, type ReportDefinition } from "./report";

export const drugTestResults: ReportDefinition = {
  id: "drug-tests",
  title: "Drug-test results",
  description: "The negative rate week by week (expected MAT results count as negative) and unexpected positives by substance.",
  definition: [
    "A test counts once its result is complete. It is negative when no analyte is an unexpected positive and every prescribed medication was detected: a buprenorphine or methadone positive for a patient on that medication is expected and counts as negative.",
    "A test that does not detect the buprenorphine or methadone a patient is prescribed on the collection date (nor, where the panel has it, what the body makes of it: norbuprenorphine, EDDP) is not negative, even with nothing else found: it counts as a test, not as a negative, and is listed under “Prescribed medication not detected”. It also ends the patient's negative streak. Missing medication may mean it was not taken, was diverted, or the prescription was not filled; the cause is explored with the patient (ASAM, Appropriate Use of Drug Testing in Clinical Addiction Medicine, 2017).",
    "A dilute negative (the lab found the specimen dilute: creatinine 2 to under 20 mg/dL with specific gravity over 1.0010 and under 1.0030, 49 CFR 40.88) is not negative either: nothing was detected, but in watered-down urine a drug can fall below the cutoff. It counts as a test, not as a negative, ends the patient's negative streak, is listed under “Negative, dilute”, and asks for a recollection, under direct observation when creatinine was 2–5 mg/dL (49 CFR 40.155, 40.197). The recollection's own result counts as usual. A dilute positive is a positive.",
    "Refused, no-show and invalid tests (substituted, adulterated or invalid specimens) count as not negative; tests still pending are not counted.",
    "Negative rate = negative tests / counted tests, by the week (Monday–Sunday) of the collection date at the site. Counted tests include those missing a prescribed medication and dilute negatives.",
    "Unexpected positives by substance counts presumptive positives read as unexpected (a lab's confirmed negative removes one) on collections in the range.",
    "Filters: the patient's current track and primary counselor.",
  ],
  async compute(db, p) {
    // The collections at the site in the range, of the patients the filters keep; both figures count from them.
    const collected = () => {
      let q = db
        .selectFrom("drug_tests as t")
        .innerJoin("patients as pt", "pt.id", "t.patient_id")
        .where("t.site_id", "=", p.siteId)
        .where("t.collected_on", ">=", p.from)
        .where("t.collected_on", "<=", p.to);
      if (p.trackId) q = q.where("pt.track_id", "=", p.trackId);
      if (p.counselorId) q = q.where("pt.primary_counselor_id", "=", p.counselorId);
      return q;
    };
    const tests = db
      .selectFrom(
        collected()
          .select([
            "t.collected_on",
            "t.outcome",
            "t.unexpected_positive",
            medicationMissing("t.id").as("medication_missing"),
            diluteSpecimen("t.validity").as("dilute"),
          ])
          .as("x"),
      )
      .select(["x.collected_on", "x.outcome", "x.unexpected_positive", "x.medication_missing", "x.dilute", (eb) => eb.fn.countAll<number>().as("n")])
      .groupBy(["x.collected_on", "x.outcome", "x.unexpected_positive", "x.medication_missing", "x.dilute"]);
    const positives = collected()
      .innerJoin("drug_test_results as r", "r.test_id", "t.id")
      .select(["r.analyte", (eb) => eb.fn.countAll<number>().as("n")])
      .where("r.reading", "=", "unexpected_positive")
      .where((eb) => eb.or([eb("r.confirmation", "is", null), eb("r.confirmation", "!=", "confirmed_negative")]))
      .groupBy("r.analyte");
    const [rows, byAnalyte] = await Promise.all([tests.execute(), positives.execute()]);

    const weeks = new Map<
      string,
      { counted: number; negative: number; medicationMissing: number; diluteNegative: number; refusedOrNoShow: number; pending: number }
    >();
    for (const r of rows) {
      const w = weeks.get(weekStart(r.collected_on)) ?? { counted: 0, negative: 0, medicationMissing: 0, diluteNegative: 0, refusedOrNoShow: 0, pending: 0 };
      const n = Number(r.n);
      const missing = Number(r.medication_missing) === 1;
      const dilute = Number(r.dilute) === 1;
      const unexpectedPositive = Boolean(r.unexpected_positive);
      const negative = countsAsNegative({ outcome: r.outcome, unexpectedPositive, medicationMissing: missing, dilute });
      if (negative === null) w.pending += n;
      else {
        w.counted += n;
        if (negative) w.negative += n;
        if (missing) w.medicationMissing += n;
        if (isDiluteNegative(dilute ? "dilute" : null, r.outcome, unexpectedPositive)) w.diluteNegative += n;
      }
      if (r.outcome === "refused" || r.outcome === "no_show") w.refusedOrNoShow += n;
      weeks.set(weekStart(r.collected_on), w);
    }
    const table = [...weeks.entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([monday, w]) => ({
        week: monday,
        counted: w.counted,
        negative: w.negative,
        rate: percent(w.negative, w.counted),
        medicationMissing: w.medicationMissing,
        diluteNegative: w.diluteNegative,
        refused: w.refusedOrNoShow,
        pending: w.pending,
      }));
    const counted = table.reduce((n, r) => n + r.counted, 0);
    const negative = table.reduce((n, r) => n + r.negative, 0);
    const missing = table.reduce((n, r) => n + r.medicationMissing, 0);
    const dilute = table.reduce((n, r) => n + r.diluteNegative, 0);
    const substances = byAnalyte.map((r) => `${ANALYTES[r.analyte as Analyte]?.label ?? r.analyte}: ${Number(r.n)}`).sort();
    return {
      columns: [
        { key: "week", label: "Week of", kind: "date" },
        { key: "counted", label: "Tests counted", kind: "number" },
        { key: "negative", label: "Negative", kind: "number" },
        { key: "rate", label: "Negative rate", kind: "percent" },
        { key: "medicationMissing", label: "Prescribed medication not detected", kind: "number" },
        { key: "diluteNegative", label: "Negative, dilute", kind: "number" },
        { key: "refused", label: "Refused or no-show", kind: "number" },
        { key: "pending", label: "Pending", kind: "number" },
      ],
      rows: table,
      summary: `Negative rate over the range: ${percent(negative, counted) ?? "—"}${counted ? "%" : ""} (${negative} of ${counted}${missing ? `; ${missing} ${missing === 1 ? "test" : "tests"} missing a prescribed medication, counted as not negative` : ""}${dilute ? `; ${dilute} dilute ${dilute === 1 ? "negative" : "negatives"}, counted as not negative` : ""}). Unexpected positives by substance: ${substances.length ? substances.join(", ") : "none"}.`,
      chart: { type: "line", dataKey: "week", series: [{ name: "rate", label: "Negative rate", color: "teal.7" }], unit: "%" },
    };
  },
};

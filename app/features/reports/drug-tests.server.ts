/** Drug-test results: the negative rate by week and unexpected results by substance. */
import { ANALYTES, type Analyte, countsAsNegative } from "~/features/drug-testing/rules";
import { weekStart } from "~/kernel/time";
import { percent, type ReportDefinition } from "./report";

export const drugTestResults: ReportDefinition = {
  id: "drug-tests",
  title: "Drug-test results",
  description: "The negative rate week by week (expected MAT results count as negative) and unexpected positives by substance.",
  definition: [
    "A test counts once its result is complete. It is negative when no analyte is an unexpected positive: a buprenorphine or methadone positive for a patient on that medication is expected and counts as negative.",
    "Refused, no-show and invalid tests count as not negative; tests still pending are not counted.",
    "Negative rate = negative tests / counted tests, by the week (Monday–Sunday) of the collection date at the site.",
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
    const tests = collected()
      .select(["t.collected_on", "t.outcome", "t.unexpected_positive", (eb) => eb.fn.countAll<number>().as("n")])
      .groupBy(["t.collected_on", "t.outcome", "t.unexpected_positive"]);
    const positives = collected()
      .innerJoin("drug_test_results as r", "r.test_id", "t.id")
      .select(["r.analyte", (eb) => eb.fn.countAll<number>().as("n")])
      .where("r.reading", "=", "unexpected_positive")
      .where((eb) => eb.or([eb("r.confirmation", "is", null), eb("r.confirmation", "!=", "confirmed_negative")]))
      .groupBy("r.analyte");
    const [rows, byAnalyte] = await Promise.all([tests.execute(), positives.execute()]);

    const weeks = new Map<string, { counted: number; negative: number; refusedOrNoShow: number; pending: number }>();
    for (const r of rows) {
      const w = weeks.get(weekStart(r.collected_on)) ?? { counted: 0, negative: 0, refusedOrNoShow: 0, pending: 0 };
      const n = Number(r.n);
      const negative = countsAsNegative({ outcome: r.outcome, unexpectedPositive: Boolean(r.unexpected_positive) });
      if (negative === null) w.pending += n;
      else {
        w.counted += n;
        if (negative) w.negative += n;
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
        refused: w.refusedOrNoShow,
        pending: w.pending,
      }));
    const counted = table.reduce((n, r) => n + r.counted, 0);
    const negative = table.reduce((n, r) => n + r.negative, 0);
    const substances = byAnalyte.map((r) => `${ANALYTES[r.analyte as Analyte]?.label ?? r.analyte}: ${Number(r.n)}`).sort();
    return {
      columns: [
        { key: "week", label: "Week of" },
        { key: "counted", label: "Tests counted", kind: "number" },
        { key: "negative", label: "Negative", kind: "number" },
        { key: "rate", label: "Negative rate", kind: "percent" },
        { key: "refused", label: "Refused or no-show", kind: "number" },
        { key: "pending", label: "Pending", kind: "number" },
      ],
      rows: table,
      summary: `Negative rate over the range: ${percent(negative, counted) ?? "—"}${counted ? "%" : ""} (${negative} of ${counted}). Unexpected positives by substance: ${substances.length ? substances.join(", ") : "none"}.`,
      chart: { type: "line", dataKey: "week", series: [{ name: "rate", label: "Negative rate", color: "teal.7" }], unit: "%" },
    };
  },
};

/**
 * The read side over time: one patient's tests (paged) with their streak and days since the last
 * unexpected positive, and the program's negative rate, where expected MAT positives count as
 * negative and refusals, no-shows, invalid specimens, tests missing a prescribed medication and
 * dilute negatives count as not negative.
 */
import { sql } from "kysely";
import type { DB } from "~/kernel/db";
import { listedTests, withFindings } from "./queries.server";
import { countsAsNegative, daysSinceUnexpectedPositive, negativeRate, negativeStreak, type TestSummary } from "./rules";
import { addDays, weekStart } from "~/kernel/time";

export const HISTORY_PAGE_SIZE = 20;

/**
 * 1 when some result of the test (the drug_tests row named by `testId`) reads "prescribed medication
 * not detected" (`unexpected_negative`), else 0: a number in both dialects. One probe of the results'
 * (test_id, analyte) key per test.
 */
export const medicationMissing = (testId: string) =>
  sql<number>`case when exists (select 1 from drug_test_results mm where mm.test_id = ${sql.ref(testId)} and mm.reading = 'unexpected_negative') then 1 else 0 end`;

/** 1 when the test's specimen was dilute, else 0, in both dialects (rules.ts, `countsAsNegative`). */
export const diluteSpecimen = (validity: string) => sql<number>`case when ${sql.ref(validity)} = 'dilute' then 1 else 0 end`;

export async function patientHistory(db: DB, patientId: string, today: string, page = 1) {
  // The summary needs every completed test's outcome (a few columns, one patient), not the page.
  const all = await db
    .selectFrom("drug_tests")
    .select(["id", "collected_on", "collected_at", "outcome", "unexpected_positive", "validity", medicationMissing("drug_tests.id").as("medication_missing")])
    .where("patient_id", "=", patientId)
    .orderBy("collected_at", "desc")
    .orderBy("id", "desc")
    .execute();
  const summaries: (TestSummary & { id: string; collectedAt: string })[] = all.map((t) => ({
    id: t.id,
    collectedAt: t.collected_at,
    collectedOn: t.collected_on,
    outcome: t.outcome,
    unexpectedPositive: Boolean(t.unexpected_positive),
    medicationMissing: Number(t.medication_missing) === 1,
    dilute: t.validity === "dilute",
  }));
  const pages = Math.max(1, Math.ceil(all.length / HISTORY_PAGE_SIZE));
  const current = Math.min(Math.max(1, page), pages);
  const rows = await listedTests(db)
    .innerJoin("users as c", "c.id", "t.collected_by")
    .select(["t.collected_on", "t.observed", "c.name as collector"])
    .where("t.patient_id", "=", patientId)
    .orderBy("t.collected_at", "desc")
    .orderBy("t.id", "desc")
    .limit(HISTORY_PAGE_SIZE)
    .offset((current - 1) * HISTORY_PAGE_SIZE)
    .execute();
  const positives = await db
    .selectFrom("drug_test_results")
    .select(["test_id", "analyte", "reading"])
    .where("test_id", "in", rows.length ? rows.map((r) => r.id) : [""])
    .where("reading", "=", "expected_positive")
    .execute();
  return {
    total: all.length,
    page: current,
    pages,
    streak: negativeStreak(summaries),
    daysSinceUnexpected: daysSinceUnexpectedPositive(summaries, today),
    rate: negativeRate(summaries),
    // Oldest first, the last 26 tests, for the strip chart.
    strip: summaries
      .slice(0, 26)
      .reverse()
      .map((s) => ({
        id: s.id,
        date: s.collectedOn,
        outcome: s.outcome,
        unexpectedPositive: s.unexpectedPositive,
        medicationMissing: s.medicationMissing,
        dilute: Boolean(s.dilute),
        negative: countsAsNegative(s),
      })),
    tests: (await withFindings(db, rows)).map((r) => ({
      ...r,
      observed: r.observed === null ? null : Boolean(r.observed),
      expectedPositives: positives.filter((p) => p.test_id === r.id).length,
    })),
  };
}

/**
 * The program's negative rate at a site over the last `weeks` weeks (Monday to Sunday, this week
 * included), in total and week by week. Counted from per-day totals, so it stays one small query.
 */
export async function programNegativeRate(db: DB, siteId: string, today: string, weeks = 8) {
  const firstMonday = addDays(weekStart(today), -7 * (weeks - 1));
  const tests = db
    .selectFrom("drug_tests")
    .select([
      "collected_on",
      "outcome",
      "unexpected_positive",
      medicationMissing("drug_tests.id").as("medication_missing"),
      diluteSpecimen("drug_tests.validity").as("dilute"),
    ])
    .where("site_id", "=", siteId)
    .where("collected_on", ">=", firstMonday)
    .where("collected_on", "<=", today);
  const rows = await db
    .selectFrom(tests.as("x"))
    .select(["x.collected_on", "x.outcome", "x.unexpected_positive", "x.medication_missing", "x.dilute", (eb) => eb.fn.countAll<number>().as("n")])
    .groupBy(["x.collected_on", "x.outcome", "x.unexpected_positive", "x.medication_missing", "x.dilute"])
    .execute();
  const rateOf = (rs: typeof rows) => {
    let counted = 0;
    let negative = 0;
    for (const r of rs) {
      const n = countsAsNegative({
        outcome: r.outcome,
        unexpectedPositive: Boolean(r.unexpected_positive),
        medicationMissing: Number(r.medication_missing) === 1,
        dilute: Number(r.dilute) === 1,
      });
      if (n === null) continue;
      counted += Number(r.n);
      if (n) negative += Number(r.n);
    }
    return { counted, negative, percent: counted ? Math.round((negative / counted) * 100) : null };
  };
  const weekly = Array.from({ length: weeks }, (_, i) => {
    const monday = addDays(firstMonday, 7 * i);
    const sunday = addDays(monday, 6);
    return { monday, ...rateOf(rows.filter((r) => r.collected_on >= monday && r.collected_on <= sunday)) };
  });
  const refusals = rows.filter((r) => r.outcome === "refused" || r.outcome === "no_show").reduce((n, r) => n + Number(r.n), 0);
  const pending = rows.filter((r) => r.outcome === "pending").reduce((n, r) => n + Number(r.n), 0);
  return { from: firstMonday, to: today, total: rateOf(rows), weekly, refusals, pending };
}

import { describe, expect, it } from "vitest";
import { type Answers, answerErrors, bamConcerns, MEANINGFUL_CHANGE, MEASURES, measureDue, measureIntervalDays, scoreMeasure } from "~/features/measures/rules";

/** Answers for items "1".."n", each the given index. */
const answers = (values: number[], numbers?: string[]): Answers => Object.fromEntries(values.map((v, i) => [numbers?.[i] ?? String(i + 1), v]));

describe("PHQ-9 (Kroenke 2001)", () => {
  it.each([
    [[0, 0, 0, 0, 0, 0, 0, 0, 0], 0, "minimal"],
    [[1, 1, 1, 1, 0, 0, 0, 0, 0], 4, "minimal"],
    [[1, 1, 1, 1, 1, 0, 0, 0, 0], 5, "mild"],
    [[3, 3, 3, 0, 0, 0, 0, 0, 0], 9, "mild"],
    [[3, 3, 3, 1, 0, 0, 0, 0, 0], 10, "moderate"],
    [[2, 2, 2, 2, 2, 2, 2, 0, 0], 14, "moderate"],
    [[3, 3, 3, 3, 3, 0, 0, 0, 0], 15, "moderately_severe"],
    [[3, 3, 3, 3, 3, 3, 1, 0, 0], 19, "moderately_severe"],
    [[3, 3, 3, 3, 3, 3, 2, 0, 0], 20, "severe"],
    [[3, 3, 3, 3, 3, 3, 3, 3, 3], 27, "severe"],
  ])("%j scores %i, %s", (values, total, band) => {
    const s = scoreMeasure("phq9", answers(values));
    expect(s).toMatchObject({ complete: true, total, band, missing: [], safetyConcern: values[8] > 0 });
  });

  it("any answer above 0 on item 9 is a safety concern, even when the rest is incomplete", () => {
    expect(scoreMeasure("phq9", answers([0, 0, 0, 0, 0, 0, 0, 0, 1])).safetyConcern).toBe(true);
    expect(scoreMeasure("phq9", { "9": 3 })).toMatchObject({ safetyConcern: true, complete: false, total: null });
    expect(scoreMeasure("phq9", { "1": 3, "9": 0 }).safetyConcern).toBe(false);
  });

  it("a missing item leaves the total and band empty, and names the item", () => {
    const s = scoreMeasure("phq9", answers([3, 3, 3, 3, 3, 3, 3, 3], ["1", "2", "3", "4", "5", "6", "7", "8"]));
    expect(s).toMatchObject({ complete: false, total: null, band: null, missing: ["9"] });
  });
});

describe("GAD-7 (Spitzer 2006)", () => {
  it.each([
    [[0, 0, 0, 0, 0, 0, 0], 0, "minimal"],
    [[1, 1, 1, 1, 0, 0, 0], 4, "minimal"],
    [[1, 1, 1, 1, 1, 0, 0], 5, "mild"],
    [[3, 3, 3, 0, 0, 0, 0], 9, "mild"],
    [[3, 3, 3, 1, 0, 0, 0], 10, "moderate"],
    [[2, 2, 2, 2, 2, 2, 2], 14, "moderate"],
    [[3, 3, 3, 3, 3, 0, 0], 15, "severe"],
    [[3, 3, 3, 3, 3, 3, 3], 21, "severe"],
  ])("%j scores %i, %s", (values, total, band) => {
    expect(scoreMeasure("gad7", answers(values))).toMatchObject({ complete: true, total, band });
  });
  it("is incomplete with an item missing", () => {
    expect(scoreMeasure("gad7", answers([3, 3, 3, 3, 3, 3]))).toMatchObject({ complete: false, total: null, missing: ["7"] });
  });
});

describe("AUDIT (WHO 2001)", () => {
  it("scores items 9 and 10 as 0, 2 and 4", () => {
    // Items 1-8 "never"-like (0), item 9 "yes, not in the last year" (2), item 10 "yes, in the last year" (4).
    expect(scoreMeasure("audit", answers([0, 0, 0, 0, 0, 0, 0, 0, 1, 2]))).toMatchObject({ total: 6, band: "zone1" });
    expect(scoreMeasure("audit", answers([0, 0, 0, 0, 0, 0, 0, 0, 2, 2]))).toMatchObject({ total: 8, band: "zone2" });
  });
  it.each([
    [[0, 0, 0, 0, 0, 0, 0, 0, 0, 0], 0, "zone1"],
    [[4, 3, 0, 0, 0, 0, 0, 0, 0, 0], 7, "zone1"],
    [[4, 4, 0, 0, 0, 0, 0, 0, 0, 0], 8, "zone2"],
    [[4, 4, 4, 3, 0, 0, 0, 0, 0, 0], 15, "zone2"],
    [[4, 4, 4, 4, 0, 0, 0, 0, 0, 0], 16, "zone3"],
    [[4, 4, 4, 4, 3, 0, 0, 0, 0, 0], 19, "zone3"],
    [[4, 4, 4, 4, 4, 0, 0, 0, 0, 0], 20, "zone4"],
    [[4, 4, 4, 4, 4, 4, 4, 4, 2, 2], 40, "zone4"],
  ])("%j scores %i, %s", (values, total, band) => {
    expect(scoreMeasure("audit", answers(values))).toMatchObject({ complete: true, total, band });
  });
  it("refuses an answer index beyond item 9's three answers", () => {
    expect(answerErrors("audit", { "9": 3 })).toEqual({ "9": "Question 9: choose one of its 3 answers." });
    expect(answerErrors("audit", { "1": 4, "9": 2 })).toEqual({});
  });
});

describe("DAST-10 (Skinner 1982)", () => {
  // Index 0 = "No", 1 = "Yes". Item 3 is keyed "No".
  const NO = 0;
  const YES = 1;
  it("scores a No on item 3 and a Yes elsewhere", () => {
    // All No: only item 3 scores (1).
    expect(scoreMeasure("dast10", answers(Array(10).fill(NO)))).toMatchObject({ total: 1, band: "low" });
    // All Yes: nine items score, item 3's Yes scores 0.
    expect(scoreMeasure("dast10", answers(Array(10).fill(YES)))).toMatchObject({ total: 9, band: "severe" });
  });
  it.each([
    [[NO, NO, YES, NO, NO, NO, NO, NO, NO, NO], 0, "none"],
    [[YES, NO, YES, NO, NO, NO, NO, NO, NO, NO], 1, "low"],
    [[YES, NO, NO, NO, NO, NO, NO, NO, NO, NO], 2, "low"],
    [[YES, YES, NO, NO, NO, NO, NO, NO, NO, NO], 3, "moderate"],
    [[YES, YES, NO, YES, YES, NO, NO, NO, NO, NO], 5, "moderate"],
    [[YES, YES, NO, YES, YES, YES, NO, NO, NO, NO], 6, "substantial"],
    [[YES, YES, NO, YES, YES, YES, YES, YES, NO, NO], 8, "substantial"],
    [[YES, YES, NO, YES, YES, YES, YES, YES, YES, NO], 9, "severe"],
    [[YES, YES, NO, YES, YES, YES, YES, YES, YES, YES], 10, "severe"],
  ])("%j scores %i, %s", (values, total, band) => {
    expect(scoreMeasure("dast10", answers(values))).toMatchObject({ complete: true, total, band });
  });
  it("reverse-scores item 3 only (items 4 and 5 score Yes like the rest)", () => {
    const item = (n: string) => MEASURES.dast10.items.find((i) => i.n === n)!;
    expect(item("3").choices.map((c) => c.points)).toEqual([1, 0]);
    expect(item("4").choices.map((c) => c.points)).toEqual([0, 1]);
    expect(item("5").choices.map((c) => c.points)).toEqual([0, 1]);
  });
});

describe("Brief Addiction Monitor (VA)", () => {
  const items = MEASURES.bam.items.map((i) => i.n);
  const bam = (byItem: Record<string, number>) => Object.fromEntries(items.map((n) => [n, byItem[n] ?? 0]));
  it("asks items 1–6 and 8–17 (item 7 only elaborates item 6)", () => {
    expect(items).toEqual(["1", "2", "3", "4", "5", "6", "8", "9", "10", "11", "12", "13", "14", "15", "16", "17"]);
  });
  it("sums Use (4, 5, 6), Risk (1, 2, 3, 8, 11, 15) and Protective (9, 10, 12, 13, 14, 16); item 17 is in none", () => {
    // Use 1+2+3 = 6; Risk 4+1+2+3+1+2 = 13; Protective 4+3+2+1+(Yes=4)+4 = 18; item 17 answered 4 changes nothing.
    const s = scoreMeasure(
      "bam",
      bam({ "4": 1, "5": 2, "6": 3, "1": 4, "2": 1, "3": 2, "8": 3, "11": 1, "15": 2, "9": 4, "10": 3, "12": 2, "13": 1, "14": 1, "16": 4, "17": 4 }),
    );
    expect(s).toMatchObject({ complete: true, total: null, subscales: { use: 6, risk: 13, protective: 18 }, band: "concern" });
    expect(bamConcerns(s.subscales)).toEqual(["Use", "Risk factors"]);
  });
  it("reads the cut-offs: Use 1+, Risk 12+, Protective 12 or below", () => {
    // No use; risk 11 (4+4+3); protective 13 (4+4+4+1).
    const calm = scoreMeasure("bam", bam({ "1": 4, "2": 4, "3": 3, "9": 4, "10": 4, "12": 4, "13": 1 }));
    expect(calm.subscales).toEqual({ use: 0, risk: 11, protective: 13 });
    expect(calm.band).toBe("no_concern");
    // Protective exactly 12 is of concern; risk exactly 12 too.
    const edge = scoreMeasure("bam", bam({ "1": 4, "2": 4, "3": 4, "9": 4, "10": 4, "12": 4 }));
    expect(edge.subscales).toEqual({ use: 0, risk: 12, protective: 12 });
    expect(bamConcerns(edge.subscales)).toEqual(["Risk factors", "Protective factors"]);
  });
  it("scores item 14 (enough income) Yes as 4 and No as 0", () => {
    expect(scoreMeasure("bam", bam({ "14": 1 })).subscales?.protective).toBe(4);
    expect(scoreMeasure("bam", bam({ "14": 0 })).subscales?.protective).toBe(0);
  });
  it("leaves a subscale empty when one of its items is missing", () => {
    const a = bam({});
    delete a["5"];
    const s = scoreMeasure("bam", a);
    expect(s).toMatchObject({ complete: false, band: null, missing: ["5"], subscales: { use: null, risk: 0, protective: 0 } });
  });
});

describe("answers out of range", () => {
  it("refuses an item not on the measure and a choice past the last", () => {
    expect(answerErrors("phq9", { "10": 0, "1": 4, "2": -1, "3": 1.5 })).toEqual({
      "10": "Question 10 is not on the PHQ-9.",
      "1": "Question 1: choose one of its 4 answers.",
      "2": "Question 2: choose one of its 4 answers.",
      "3": "Question 3: choose one of its 4 answers.",
    });
    expect(answerErrors("bam", { "7": 0 })).toEqual({ "7": "Question 7 is not on the BAM." });
  });
});

describe("clinically meaningful change", () => {
  it("is 5 points on the PHQ-9 and 4 on the GAD-7; none is claimed for the others", () => {
    expect(MEANINGFUL_CHANGE.phq9.points).toBe(5);
    expect(MEANINGFUL_CHANGE.gad7.points).toBe(4);
    expect([MEANINGFUL_CHANGE.audit.points, MEANINGFUL_CHANGE.dast10.points, MEANINGFUL_CHANGE.bam.points]).toEqual([null, null, null]);
  });
});

describe("when a measure is due", () => {
  const base = { admittedOn: "2026-11-02", dischargedOn: null, lastOn: null, intervalDays: 30 };
  it("is due at intake, overdue a week later", () => {
    expect(measureDue({ ...base, today: "2026-11-02" })).toEqual({ state: "due", reason: "intake", dueOn: "2026-11-02" });
    expect(measureDue({ ...base, today: "2026-11-09" }).state).toBe("due");
    expect(measureDue({ ...base, today: "2026-11-10" }).state).toBe("overdue");
  });
  it("comes due again every interval after the last time it was given", () => {
    const given = { ...base, lastOn: "2026-11-03" };
    expect(measureDue({ ...given, today: "2026-12-02" })).toEqual({ state: "upcoming", reason: "interval", dueOn: "2026-12-03" });
    expect(measureDue({ ...given, today: "2026-12-03" }).state).toBe("due");
    expect(measureDue({ ...given, today: "2026-12-11" }).state).toBe("overdue");
    expect(measureDue({ ...given, intervalDays: 14, today: "2026-11-17" })).toEqual({ state: "due", reason: "interval", dueOn: "2026-11-17" });
  });
  it("ignores a measure given in an earlier episode", () => {
    expect(measureDue({ ...base, lastOn: "2026-06-01", today: "2026-11-02" }).reason).toBe("intake");
  });
  it("is due at discharge unless given in the week before it", () => {
    const out = { ...base, dischargedOn: "2026-12-20", lastOn: "2026-12-03" };
    expect(measureDue({ ...out, today: "2026-12-21" })).toEqual({ state: "due", reason: "discharge", dueOn: "2026-12-20" });
    expect(measureDue({ ...out, today: "2026-12-28" }).state).toBe("missed");
    expect(measureDue({ ...out, lastOn: "2026-12-13", today: "2026-12-21" }).state).toBe("done");
  });
  it("reads the interval setting, falling back to 30 days", () => {
    expect(measureIntervalDays("14")).toBe(14);
    expect(measureIntervalDays(null)).toBe(30);
    expect(measureIntervalDays("0")).toBe(30);
    expect(measureIntervalDays("abc")).toBe(30);
  });
});

import { describe, expect, it } from "vitest";
import { MAT_MEDICATIONS, type MatMedication } from "~/features/patients/rules";
import {
  ANALYTE_CODES,
  ANALYTES,
  type Analyte,
  analytesFor,
  countsAsNegative,
  daysSinceUnexpectedPositive,
  drawSize,
  effectiveResult,
  findingsOf,
  INTERPRETATION_RULES,
  interpret,
  type MatRegimen,
  matOn,
  negativeRate,
  negativeStreak,
  type Outcome,
  overallOutcome,
  panelMismatch,
  type Presumptive,
  type Reading,
  regimenOf,
  regimensOf,
} from "~/features/drug-testing/rules";
import { CASES } from "./drug-testing-cases";

describe("the interpretation table", () => {
  it("has a case for every row, and rows have unique ids", () => {
    const ids = INTERPRETATION_RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...new Set(CASES.map((c) => c.rule))].sort()).toEqual([...ids].sort());
  });

  it.each(CASES)("$say ($rule)", (c) => {
    const read = interpret(c.analyte, c.result, c.regimens);
    expect(read).toMatchObject({ rule: c.rule, reading: c.reading, highRisk: c.highRisk });
  });

  it("every row can be reached: no earlier row swallows it", () => {
    for (const c of CASES) expect(interpret(c.analyte, c.result, c.regimens).rule).toBe(c.rule);
  });

  it("reads a pending result as pending, not negative", () => {
    expect(interpret("fentanyl", null, ["buprenorphine"])).toMatchObject({ reading: "pending", rule: null });
  });

  it("applies every regimen a patient is on (methadone and disulfiram together)", () => {
    expect(interpret("methadone", "positive", ["methadone", "disulfiram"]).reading).toBe("expected_positive");
    expect(interpret("etg", "positive", ["methadone", "disulfiram"])).toMatchObject({ rule: "alcohol-on-disulfiram", highRisk: true });
  });

  it("names the medication in the counselor's note", () => {
    expect(interpret("buprenorphine", "negative", ["buprenorphine"]).note).toMatch(/possible non-adherence or diversion/);
    expect(interpret("oxycodone", "positive", ["naltrexone"]).note).toMatch(/naltrexone/);
  });

  it("gives every analyte, on every regimen, positive or negative, the reading a clinician expects (nothing falls through to a catch-all row)", () => {
    // Written out by hand from the clinical rules, not from the table's kinds: what each regimen
    // should show, and which positives are a higher overdose or reaction risk on which regimen.
    const OPIOIDS = ["buprenorphine", "norbuprenorphine", "methadone", "eddp", "opiates", "oxycodone", "fentanyl", "six_mam", "tramadol"];
    const SEDATIVES = ["barbiturates", "benzodiazepines", "xylazine"];
    const ALCOHOL = ["etg", "breath_alcohol"];
    const OTHERS = ["amphetamine", "methamphetamine", "mdma", "cocaine", "thc", "pcp"];
    expect([...ANALYTE_CODES].sort()).toEqual([...OPIOIDS, ...SEDATIVES, ...ALCOHOL, ...OTHERS].sort());
    const shows: Record<MatRegimen | "none", string[]> = {
      none: [],
      buprenorphine: ["buprenorphine", "norbuprenorphine"],
      methadone: ["methadone", "eddp"],
      naltrexone: [],
      disulfiram: [],
    };
    const risky: Record<MatRegimen | "none", string[]> = { none: [], buprenorphine: SEDATIVES, methadone: SEDATIVES, naltrexone: OPIOIDS, disulfiram: ALCOHOL };
    const got: string[] = [];
    const want: string[] = [];
    for (const regimen of ["none", "buprenorphine", "methadone", "naltrexone", "disulfiram"] as const) {
      for (const a of ANALYTE_CODES) {
        for (const result of ["positive", "negative"] as const) {
          const prescribed = shows[regimen].includes(a);
          const reading =
            result === "negative" ? (prescribed ? "unexpected_negative" : "expected_negative") : prescribed ? "expected_positive" : "unexpected_positive";
          const highRisk = result === "positive" && risky[regimen].includes(a);
          const read = interpret(a, result, regimen === "none" ? [] : [regimen]);
          got.push(`${regimen} ${a} ${result}: ${read.reading}${read.highRisk ? " (higher risk)" : ""}`);
          want.push(`${regimen} ${a} ${result}: ${reading}${highRisk ? " (higher risk)" : ""}`);
        }
      }
    }
    expect(got).toEqual(want);
  });
});

describe("the done-when scenario, as rules", () => {
  it("a patient on buprenorphine, positive for buprenorphine and fentanyl, has one finding: fentanyl", () => {
    const regimens = regimensOf([{ medication: "buprenorphine_naloxone" }]);
    const readings = (["buprenorphine", "fentanyl", "cocaine"] as Analyte[]).map((a) => ({
      analyte: a,
      ...interpret(a, a === "cocaine" ? "negative" : "positive", regimens),
    }));
    const findings = findingsOf("collected", "valid", readings);
    expect(findings.map((f) => f.label)).toEqual(["Fentanyl"]);
  });
});

describe("MAT regimens", () => {
  it("maps each medication to the regimen the rules read", () => {
    const expected: Record<MatMedication, MatRegimen | null> = {
      buprenorphine: "buprenorphine",
      buprenorphine_naloxone: "buprenorphine",
      buprenorphine_xr: "buprenorphine",
      methadone: "methadone",
      naltrexone_oral: "naltrexone",
      naltrexone_xr: "naltrexone",
      acamprosate: null,
      disulfiram: "disulfiram",
      other: null,
    };
    for (const m of Object.keys(MAT_MEDICATIONS) as MatMedication[]) expect(regimenOf(m), m).toBe(expected[m]);
  });

  it("uses the episodes running on the collection date, end date included", () => {
    const episodes = [
      { medication: "buprenorphine_naloxone", started_on: "2026-09-01", ended_on: "2026-10-15" },
      { medication: "naltrexone_xr", started_on: "2026-10-20", ended_on: null },
    ];
    expect(regimensOf(matOn(episodes, "2026-10-15"))).toEqual(["buprenorphine"]);
    expect(regimensOf(matOn(episodes, "2026-10-16"))).toEqual([]);
    expect(regimensOf(matOn(episodes, "2026-11-01"))).toEqual(["naltrexone"]);
    expect(regimensOf(matOn(episodes, "2026-08-31"))).toEqual([]);
  });
});

describe("results, outcome and findings", () => {
  it("lets a lab confirmation override the presumptive result", () => {
    expect(effectiveResult("positive", "confirmed_negative")).toBe("negative");
    expect(effectiveResult("positive", "confirmed_positive")).toBe("positive");
    expect(effectiveResult("positive", null)).toBe("positive");
    expect(effectiveResult(null, null)).toBeNull();
  });

  const r = (analyte: string, result: Presumptive | null, confirmation: "confirmed_negative" | "confirmed_positive" | null = null) => ({
    analyte,
    result,
    confirmation,
  });

  it("records refused and no-show as such, never as negative", () => {
    expect(overallOutcome("refused", null, [])).toBe("refused");
    expect(overallOutcome("no_show", null, [])).toBe("no_show");
    expect(countsAsNegative({ outcome: "refused", unexpectedPositive: false, medicationMissing: false })).toBe(false);
    expect(countsAsNegative({ outcome: "no_show", unexpectedPositive: false, medicationMissing: false })).toBe(false);
  });

  it("is pending until every analyte and the validity are in", () => {
    expect(overallOutcome("collected", null, [r("thc", "negative")])).toBe("pending");
    expect(overallOutcome("collected", "valid", [r("thc", "negative"), r("cocaine", null)])).toBe("pending");
    expect(overallOutcome("collected", "valid", [r("thc", "negative"), r("cocaine", "negative")])).toBe("negative");
    expect(overallOutcome("collected", "dilute", [r("thc", "negative")])).toBe("negative");
    expect(overallOutcome("collected", "valid", [r("thc", "positive")])).toBe("positive");
    expect(overallOutcome("collected", "valid", [r("thc", "positive", "confirmed_negative")])).toBe("negative");
  });

  it("calls a substituted, adulterated or invalid specimen invalid whatever it showed", () => {
    for (const v of ["substituted", "adulterated", "invalid"] as const)
      expect(overallOutcome("collected", v, [r("thc", "positive"), r("cocaine", null)])).toBe("invalid");
  });

  it("raises findings for refusals, no-shows, unusable specimens, and unexpected readings only", () => {
    expect(findingsOf("refused", null, []).map((f) => f.label)).toEqual(["Refused"]);
    expect(findingsOf("no_show", null, []).map((f) => f.label)).toEqual(["No-show"]);
    expect(findingsOf("collected", "adulterated", []).map((f) => f.label)).toEqual(["Adulterated specimen"]);
    expect(findingsOf("collected", "substituted", []).map((f) => f.label)).toEqual(["Substituted specimen"]);
    // A dilute specimen whose results are not in yet is not a dilute negative (yet).
    expect(findingsOf("collected", "dilute", [])).toEqual([]);
    expect(findingsOf("collected", "invalid", []).map((f) => f.label)).toEqual(["Invalid specimen"]);
    const readings = [
      { analyte: "buprenorphine" as Analyte, reading: "unexpected_negative" as Reading, highRisk: false },
      { analyte: "methadone" as Analyte, reading: "expected_positive" as Reading, highRisk: false },
      { analyte: "oxycodone" as Analyte, reading: "unexpected_positive" as Reading, highRisk: true },
      { analyte: "thc" as Analyte, reading: "expected_negative" as Reading, highRisk: false },
    ];
    expect(findingsOf("collected", "valid", readings).map((f) => [f.key, f.label, f.highRisk])).toEqual([
      ["unexpected_negative:buprenorphine", "Buprenorphine not detected", false],
      ["unexpected_positive:oxycodone", "Oxycodone", true],
    ]);
  });
});

describe("history arithmetic", () => {
  const t = (collectedOn: string, outcome: Outcome, unexpectedPositive = false, medicationMissing = false) => ({
    collectedOn,
    outcome,
    unexpectedPositive,
    medicationMissing,
  });
  /** A buprenorphine patient's test with nothing detected at all: buprenorphine, their prescribed medication, is missing. */
  const missingBup = (collectedOn: string) => t(collectedOn, "negative", false, true);

  it("counts expected MAT positives as negative and skips pending tests", () => {
    const tests = [
      t("2026-11-20", "pending"),
      t("2026-11-13", "positive"),
      t("2026-11-06", "negative"),
      t("2026-10-30", "positive", true),
      t("2026-10-23", "negative"),
    ];
    expect(negativeStreak(tests)).toBe(2);
    expect(daysSinceUnexpectedPositive(tests, "2026-11-27")).toBe(28);
    expect(negativeRate(tests)).toEqual({ counted: 4, negative: 3, percent: 75 });
  });

  it("breaks the streak on a refusal, a no-show or an invalid specimen", () => {
    for (const o of ["refused", "no_show", "invalid"] as const)
      expect(negativeStreak([t("2026-11-20", "negative"), t("2026-11-13", o), t("2026-11-06", "negative")])).toBe(1);
  });

  it("does not count a test missing the prescribed medication as negative: it ends the streak", () => {
    // Newest first: neg, neg, missing buprenorphine, neg. Counting back: 2 negatives, then the
    // missing-medication test stops the count. Streak 2 (not 4); the oldest negative is behind it.
    const tests = [t("2026-11-27", "negative"), t("2026-11-20", "negative"), missingBup("2026-11-13"), t("2026-11-06", "negative")];
    expect(negativeStreak(tests)).toBe(2);
    // The brief's sequence, oldest first neg, neg, missing, neg: newest first that is neg, missing, neg, neg → streak 1.
    expect(negativeStreak([t("2026-11-27", "negative"), missingBup("2026-11-20"), t("2026-11-13", "negative"), t("2026-11-06", "negative")])).toBe(1);
    // The most recent test missing the medication: streak 0.
    expect(negativeStreak([missingBup("2026-11-27"), t("2026-11-20", "negative")])).toBe(0);
    // A pending test is passed over, the missing one still stops the count: 0.
    expect(negativeStreak([t("2026-11-27", "pending"), missingBup("2026-11-20"), t("2026-11-13", "negative")])).toBe(0);
    // Not an unexpected positive: the days since the last one are untouched (none on record).
    expect(daysSinceUnexpectedPositive(tests, "2026-11-30")).toBeNull();
  });

  it("counts a test missing the prescribed medication in the rate's denominator, not its numerator", () => {
    // 4 completed tests, 3 negative, 1 missing buprenorphine: 3 / 4 = 75 %.
    const tests = [t("2026-11-27", "negative"), t("2026-11-20", "negative"), missingBup("2026-11-13"), t("2026-11-06", "negative")];
    expect(negativeRate(tests)).toEqual({ counted: 4, negative: 3, percent: 75 });
    // Missing medication with an expected MAT positive elsewhere on the panel (norbuprenorphine found,
    // buprenorphine not): outcome positive, still not negative. 1 of 2 = 50 %.
    expect(negativeRate([t("2026-11-27", "positive", false, true), t("2026-11-20", "positive")])).toEqual({ counted: 2, negative: 1, percent: 50 });
    expect(countsAsNegative(missingBup("2026-11-13"))).toBe(false);
    // Pending stays uncounted even if a result so far misses the medication.
    expect(countsAsNegative(t("2026-11-13", "pending", false, true))).toBeNull();
  });

  it("has no days-since when there was never an unexpected positive, and no rate with nothing counted", () => {
    expect(daysSinceUnexpectedPositive([t("2026-11-20", "negative")], "2026-11-27")).toBeNull();
    expect(negativeRate([t("2026-11-20", "pending")])).toEqual({ counted: 0, negative: 0, percent: null });
  });
});

describe("panels", () => {
  it("include the issue's default analytes", () => {
    for (const a of [
      "amphetamine",
      "methamphetamine",
      "mdma",
      "barbiturates",
      "benzodiazepines",
      "buprenorphine",
      "cocaine",
      "thc",
      "methadone",
      "eddp",
      "opiates",
      "oxycodone",
      "fentanyl",
      "pcp",
      "etg",
      "breath_alcohol",
    ]) {
      expect(ANALYTE_CODES).toContain(a);
    }
  });

  it("keep breath alcohol to breath panels and everything else off them", () => {
    expect(analytesFor("breath")).toEqual(["breath_alcohol"]);
    expect(analytesFor("urine")).not.toContain("breath_alcohol");
    expect(analytesFor("urine")).toContain("fentanyl");
    expect(panelMismatch("urine", ["fentanyl", "etg"])).toBeNull();
    expect(panelMismatch("breath", ["breath_alcohol", "thc"])).toBe("A breath panel tests breath alcohol only; remove THC.");
    expect(panelMismatch("urine", ["breath_alcohol"])).toBe("Breath alcohol is tested in breath only; make a separate breath panel.");
  });

  it("labels analytes for people", () => {
    expect(ANALYTES.fentanyl.label).toBe("Fentanyl");
    expect(ANALYTES.eddp.label).toMatch(/EDDP/);
  });
});

describe("draw size", () => {
  it("rounds a rate up, so at least the rate is tested", () => {
    expect(drawSize(12, "rate", 20)).toEqual({ ok: true, size: 3 });
    expect(drawSize(10, "rate", 20)).toEqual({ ok: true, size: 2 });
    expect(drawSize(1, "rate", 1)).toEqual({ ok: true, size: 1 });
    expect(drawSize(35, "rate", 100)).toEqual({ ok: true, size: 35 });
  });

  it("takes a number up to the pool", () => {
    expect(drawSize(12, "number", 5)).toEqual({ ok: true, size: 5 });
    expect(drawSize(12, "number", 13)).toEqual({ ok: false, message: "Only 12 patients are eligible; draw at most 12." });
  });

  it("refuses an empty pool and nonsense amounts", () => {
    expect(drawSize(0, "rate", 20)).toMatchObject({ ok: false, message: expect.stringMatching(/no one to draw from/) });
    expect(drawSize(10, "rate", 0).ok).toBe(false);
    expect(drawSize(10, "rate", 101).ok).toBe(false);
    expect(drawSize(10, "number", 1.5).ok).toBe(false);
  });
});

/**
 * Specimen validity against DOT's published thresholds (rules.ts cites each): every expected value
 * here is worked out by hand from 49 CFR 40.65, 40.88, 40.155 and the HHS Mandatory Guidelines.
 */
import { describe, expect, it } from "vitest";
import {
  type Analyte,
  classifySpecimen,
  countsAsNegative,
  findingsOf,
  isDiluteNegative,
  negativeRate,
  negativeStreak,
  type Reading,
  recollectionAsk,
  temperatureInRange,
  type TestSummary,
} from "~/features/drug-testing/rules";

const m = (over: Partial<Parameters<typeof classifySpecimen>[0]>) => ({ creatinine: null, specificGravity: null, ph: null, oxidant: null, ...over });
const negatives = (...analytes: Analyte[]) => analytes.map((analyte) => ({ analyte, reading: "expected_negative" as Reading, highRisk: false }));

describe("urine temperature (49 CFR 40.65(b): 90–100 °F)", () => {
  it("is out of range at 89 °F and 100.5 °F, in range at 90 and 100 inclusive", () => {
    expect(temperatureInRange(89)).toBe(false);
    expect(temperatureInRange(89.9)).toBe(false);
    expect(temperatureInRange(90)).toBe(true);
    expect(temperatureInRange(94)).toBe(true);
    expect(temperatureInRange(100)).toBe(true);
    expect(temperatureInRange(100.5)).toBe(false);
  });

  it("raises a finding for an out-of-range reading that asks for an observed recollection", () => {
    const [f] = findingsOf("collected", null, [], { temperatureF: 88, temperatureInRange: false });
    expect(f).toMatchObject({ key: "temperature", kind: "temperature", label: "Temperature out of range (88 °F)" });
    expect(recollectionAsk(f!.kind)).toBe("Recollect under direct observation");
    expect(findingsOf("collected", null, [], { temperatureF: 90 })).toEqual([]);
    expect(findingsOf("collected", null, [], { temperatureF: 100 })).toEqual([]);
    // A reading recorded only as "out of range" (no figure) raises the same finding.
    expect(findingsOf("collected", null, [], { temperatureInRange: false }).map((x) => x.label)).toEqual(["Temperature out of range"]);
  });
});

describe("classifying a specimen from its validity tests", () => {
  it("creatinine 15 mg/dL with SG 1.002 is dilute (2 ≤ 15 < 20; 1.0010 < 1.002 < 1.0030)", () => {
    expect(classifySpecimen(m({ creatinine: 15, specificGravity: 1.002 }))?.validity).toBe("dilute");
  });

  it("creatinine 1.5 mg/dL with SG 1.001 is substituted (1.5 < 2; 1.001 ≤ 1.0010)", () => {
    expect(classifySpecimen(m({ creatinine: 1.5, specificGravity: 1.001 }))?.validity).toBe("substituted");
    expect(classifySpecimen(m({ creatinine: 1.5, specificGravity: 1.02 }))?.validity).toBe("substituted");
  });

  it("pH 3.9 is adulterated (< 4), and so is pH 11 (≥ 11) or an oxidant", () => {
    expect(classifySpecimen(m({ ph: 3.9 }))?.validity).toBe("adulterated");
    expect(classifySpecimen(m({ ph: 11 }))?.validity).toBe("adulterated");
    expect(classifySpecimen(m({ oxidant: true }))?.validity).toBe("adulterated");
  });

  it("figures that disagree, or a pH just outside 4.5–9, are invalid", () => {
    expect(classifySpecimen(m({ creatinine: 1.5, specificGravity: 1.005 }))?.validity).toBe("invalid");
    expect(classifySpecimen(m({ creatinine: 25, specificGravity: 1.001 }))?.validity).toBe("invalid");
    expect(classifySpecimen(m({ ph: 4.2 }))?.validity).toBe("invalid");
    expect(classifySpecimen(m({ ph: 9.5 }))?.validity).toBe("invalid");
  });

  it("the edges of dilute: creatinine 20 or SG 1.0030 is a normal specimen, creatinine 2 with SG 1.0011 is dilute", () => {
    expect(classifySpecimen(m({ creatinine: 20, specificGravity: 1.002 }))?.validity).toBe("valid");
    expect(classifySpecimen(m({ creatinine: 15, specificGravity: 1.003 }))?.validity).toBe("valid");
    expect(classifySpecimen(m({ creatinine: 2, specificGravity: 1.0011 }))?.validity).toBe("dilute");
    expect(classifySpecimen(m({ creatinine: 80, ph: 6 }))?.validity).toBe("valid");
  });

  it("asks for the specific gravity when creatinine is below 20 (49 CFR 40.87(a)), and classifies nothing when nothing was measured", () => {
    expect(classifySpecimen(m({ creatinine: 15 }))).toMatchObject({ validity: null, needs: "specificGravity" });
    expect(classifySpecimen(m({}))).toBeNull();
  });
});

describe("a dilute negative", () => {
  it("raises 'Negative, dilute' asking for a recollection, observed when creatinine is 2–5 mg/dL", () => {
    const plain = findingsOf("collected", "dilute", negatives("thc", "cocaine"), { creatinine: 15 });
    expect(plain.map((f) => [f.kind, f.label])).toEqual([["dilute_negative", "Negative, dilute"]]);
    expect(recollectionAsk("dilute_negative")).toBe("Recollect (observation not required)");
    const low = findingsOf("collected", "dilute", negatives("thc"), { creatinine: 4 });
    expect(low.map((f) => [f.kind, f.label])).toEqual([["dilute_negative_observed", "Negative, dilute (creatinine 2–5 mg/dL)"]]);
    expect(recollectionAsk("dilute_negative_observed")).toBe("Recollect under direct observation");
  });

  it("is not raised for a dilute positive (a positive stands) nor while results are pending", () => {
    const positive = [{ analyte: "thc" as Analyte, reading: "unexpected_positive" as Reading, highRisk: false }];
    expect(findingsOf("collected", "dilute", positive).map((f) => f.kind)).toEqual(["unexpected_positive"]);
    expect(findingsOf("collected", "dilute", [{ analyte: "thc", reading: "pending", highRisk: false }])).toEqual([]);
    expect(isDiluteNegative("dilute", "negative", false)).toBe(true);
    expect(isDiluteNegative("dilute", "positive", true)).toBe(false);
    expect(isDiluteNegative("valid", "negative", false)).toBe(false);
  });

  it("counts as a test, not a negative: it ends the streak and stays out of the rate's numerator", () => {
    const t = (collectedOn: string, dilute = false): TestSummary => ({
      collectedOn,
      outcome: "negative",
      unexpectedPositive: false,
      medicationMissing: false,
      dilute,
    });
    expect(countsAsNegative(t("2026-11-20", true))).toBe(false);
    // Newest first: negative, dilute negative, negative, negative → a streak of 1.
    const tests = [t("2026-11-27"), t("2026-11-20", true), t("2026-11-13"), t("2026-11-06")];
    expect(negativeStreak(tests)).toBe(1);
    // 3 negatives of 4 counted tests = 75 %.
    expect(negativeRate(tests)).toEqual({ counted: 4, negative: 3, percent: 75 });
    // A dilute positive stays a positive: an unexpected positive, not negative either way.
    expect(countsAsNegative({ outcome: "positive", unexpectedPositive: true, medicationMissing: false, dilute: true })).toBe(false);
  });
});

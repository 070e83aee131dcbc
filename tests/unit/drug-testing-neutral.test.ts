import { describe, expect, it } from "vitest";
import { findingsOf, NEUTRAL, neutralFindingLabel, neutralFindings } from "~/features/drug-testing/rules";

describe("what staff read of a test's findings", () => {
  it("a result read against MAT becomes 'Not as expected', once; what the collector recorded keeps its words", () => {
    const findings = findingsOf("collected", "adulterated", [
      { analyte: "buprenorphine", reading: "unexpected_negative", highRisk: false },
      { analyte: "benzodiazepines", reading: "unexpected_positive", highRisk: true },
    ]);
    expect(findings.map((f) => f.label)).toEqual(["Adulterated specimen", "Buprenorphine not detected", "Benzodiazepines"]);
    const neutral = neutralFindings(findings);
    expect(neutral.map((f) => f.label)).toEqual(["Adulterated specimen", NEUTRAL.notAsExpected]);
    // The kind's name says how the result was read, so it is not passed on.
    expect(neutral.every((f) => !("kind" in f))).toBe(true);
  });

  it("refusals and no-shows are facts of the collection, not readings", () => {
    expect(neutralFindingLabel("refused", "Refused")).toBe("Refused");
    expect(neutralFindingLabel("no_show", "No-show")).toBe("No-show");
    expect(neutralFindingLabel("unexpected_negative", "Methadone not detected")).toBe("Not as expected");
  });

  it("keeps an open and an acknowledged flag apart", () => {
    const list = neutralFindings([
      { kind: "unexpected_positive", label: "Fentanyl", open: true },
      { kind: "unexpected_negative", label: "Buprenorphine not detected", open: false },
      { kind: "unexpected_positive", label: "Cocaine", open: true },
    ]);
    expect(list).toEqual([
      { label: "Not as expected", open: true },
      { label: "Not as expected", open: false },
    ]);
  });
});

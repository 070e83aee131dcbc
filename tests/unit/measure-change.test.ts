/** The Measure change report's arithmetic, against figures worked out by hand in the comments. */
import { describe, expect, it } from "vitest";
import { type Administration, changeLines, dischargeScoreOf, improvedRule, intakeOf, latestOf, type Pair } from "~/features/reports/measure-change";

const at = (on: string, total: number | null, subscales: Administration["subscales"] = null): Administration => ({ on, total, subscales });
const pair = (code: Pair["code"], a: number | null, b: number | null): Pair => ({ code, intake: at("2026-01-01", a), later: at("2026-02-01", b) });
const bam = (use: number, risk: number, protective: number) => ({ use, risk, protective });
const line = (pairs: Pair[], key: string) => changeLines(pairs).find((l) => l.key === key)!;

describe("which scores are compared", () => {
  const list = [at("2026-03-01", 9), at("2026-03-05", 18), at("2026-03-09", 16), at("2026-04-08", 12), at("2026-05-08", 7)];

  it("takes the first score from the admission day to 7 days after it as the intake", () => {
    expect(intakeOf(list, "2026-03-01")?.total).toBe(9);
    // Admitted Mar 2: Mar 5 is the first on or after it and within Mar 2–9.
    expect(intakeOf(list, "2026-03-02")?.total).toBe(18);
    // Admitted Feb 20: the window is Feb 20–27, nothing in it; Mar 1 is too late to be a baseline.
    expect(intakeOf(list, "2026-02-20")).toBeNull();
  });

  it("takes the latest score after the intake day, up to the day counted", () => {
    const intake = intakeOf(list, "2026-03-01")!;
    expect(latestOf(list, intake, "2026-05-31")?.total).toBe(7);
    expect(latestOf(list, intake, "2026-05-07")?.total).toBe(12);
    // Same day as the intake: nothing later.
    expect(latestOf([at("2026-03-01", 9)], intake, "2026-05-31")).toBeNull();
  });

  it("takes the discharge score within 7 days either side of discharge, else none", () => {
    const intake = intakeOf(list, "2026-03-01")!;
    // Discharged May 1: window Apr 24–May 8 holds May 8 (7) — the last in it.
    expect(dischargeScoreOf(list, intake, "2026-05-01")?.total).toBe(7);
    // Discharged Apr 15: window Apr 8–22 holds Apr 8 (12).
    expect(dischargeScoreOf(list, intake, "2026-04-15")?.total).toBe(12);
    // Discharged Apr 25: window Apr 18–May 2 holds nothing: the discharge measure was not given.
    expect(dischargeScoreOf(list, intake, "2026-04-25")).toBeNull();
  });
});

describe("the figures per measure", () => {
  it("PHQ-9: means, mean change and the share at least 5 points better or worse", () => {
    // Pairs 20→14 (−6), 15→11 (−4), 12→12 (0), 8→14 (+6).
    // Mean at intake (20+15+12+8)/4 = 55/4 = 13.75 → 13.8; latest (14+11+12+14)/4 = 51/4 = 12.75 → 12.8;
    // change (−6−4+0+6)/4 = −4/4 = −1.0. Improved ≥ 5 lower: only 20→14, 1 of 4 = 25%; worse ≥ 5 higher: 8→14, 25%.
    const l = line([pair("phq9", 20, 14), pair("phq9", 15, 11), pair("phq9", 12, 12), pair("phq9", 8, 14)], "phq9");
    expect(l).toEqual({ key: "phq9", label: "PHQ-9", n: 4, meanIntake: 13.8, meanLater: 12.8, meanChange: -1, improved: 25, worse: 25 });
  });

  it("GAD-7: 4 points is enough, 3 is not", () => {
    // 14→10 (−4, improved), 9→6 (−3, not), 11→7 (−4, improved): 2 of 3 = 66.7%.
    // Means: intake 34/3 = 11.33 → 11.3; latest 23/3 = 7.67 → 7.7; change −11/3 = −3.67 → −3.7.
    const l = line([pair("gad7", 14, 10), pair("gad7", 9, 6), pair("gad7", 11, 7)], "gad7");
    expect(l).toMatchObject({ n: 3, meanIntake: 11.3, meanLater: 7.7, meanChange: -3.7, improved: 66.7, worse: 0 });
  });

  it("AUDIT: a lower zone counts, a drop inside a zone does not", () => {
    // 18 (zone III) → 12 (zone II): better. 15 (II) → 8 (II): same zone though 7 points lower. 6 (I) → 9 (II): worse.
    // Improved 1/3 = 33.3%, worse 1/3 = 33.3%; means intake 39/3 = 13, latest 29/3 = 9.67 → 9.7, change −10/3 = −3.3.
    const l = line([pair("audit", 18, 12), pair("audit", 15, 8), pair("audit", 6, 9)], "audit");
    expect(l).toMatchObject({ n: 3, meanIntake: 13, meanLater: 9.7, meanChange: -3.3, improved: 33.3, worse: 33.3 });
  });

  it("DAST-10: a lower level counts", () => {
    // 6 (substantial) → 5 (moderate): better by one point. 3 (moderate) → 1 (low): better. 0 → 0: same. 2 of 3 = 66.7%.
    const l = line([pair("dast10", 6, 5), pair("dast10", 3, 1), pair("dast10", 0, 0)], "dast10");
    expect(l).toMatchObject({ n: 3, improved: 66.7, worse: 0, meanChange: -1 });
  });

  it("BAM: by subscale, moving out of (or into) the range of concern", () => {
    // Use: 3→0 (out of ≥1: better), 0→0 (none), 2→1 (still ≥1: not better). 1/3 = 33.3%; change (−3+0−1)/3 = −1.33 → −1.3.
    // Risk: 14→10 (out of ≥12: better), 10→11 (none), 12→12 (none). 33.3%.
    // Protective: 10→14 (out of ≤12: better), 16→12 (into ≤12: worse), 13→15 (none). 33.3% and 33.3%; change (4−4+2)/3 = 0.67 → 0.7.
    const pairs: Pair[] = [
      { code: "bam", intake: at("2026-01-01", null, bam(3, 14, 10)), later: at("2026-02-01", null, bam(0, 10, 14)) },
      { code: "bam", intake: at("2026-01-01", null, bam(0, 10, 16)), later: at("2026-02-01", null, bam(0, 11, 12)) },
      { code: "bam", intake: at("2026-01-01", null, bam(2, 12, 13)), later: at("2026-02-01", null, bam(1, 12, 15)) },
    ];
    expect(line(pairs, "bam.use")).toMatchObject({ n: 3, improved: 33.3, worse: 0, meanChange: -1.3 });
    expect(line(pairs, "bam.risk")).toMatchObject({ n: 3, improved: 33.3, worse: 0 });
    expect(line(pairs, "bam.protective")).toMatchObject({ n: 3, improved: 33.3, worse: 33.3, meanChange: 0.7, meanIntake: 13, meanLater: 13.7 });
  });

  it("shows nothing to divide by as null, never zero, and lists every line", () => {
    const lines = changeLines([]);
    expect(lines.map((l) => l.key)).toEqual(["phq9", "gad7", "audit", "dast10", "bam.use", "bam.risk", "bam.protective"]);
    expect(lines[0]).toMatchObject({ n: 0, meanIntake: null, meanChange: null, improved: null });
  });

  it("says each rule with its source", () => {
    expect(improvedRule("phq9")).toContain("at least 5 points lower (Löwe et al. 2004");
    expect(improvedRule("gad7")).toContain("at least 4 points lower (Toussaint et al. 2020");
    expect(improvedRule("audit")).toContain("lower risk zone");
    expect(improvedRule("bam.risk")).toContain("12 or more");
  });
});

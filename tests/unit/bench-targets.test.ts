import { describe, expect, it } from "vitest";
import {
  growthVerdict,
  judgeSoak,
  lcpVerdict,
  median,
  rssWindow,
  saveVerdict,
  shellRatioVerdict,
  singleP95Verdict,
  workerSpeedupVerdict,
} from "../../bench/targets";

describe("issue 22's targets as the bench judges them", () => {
  it("passes a page at exactly half the shell's throughput and misses just below", () => {
    expect(shellRatioVerdict(0.5)).toBe("PASS");
    expect(shellRatioVerdict(0.499)).toBe("MISS");
    expect(shellRatioVerdict(NaN)).toBe("MISS");
  });

  it("bounds growth at 1.3 ×", () => {
    expect(growthVerdict(1.3)).toBe("PASS");
    expect(growthVerdict(1.31)).toBe("MISS");
  });

  it("wants 1.5 × the single process's shell with a process per core", () => {
    expect(workerSpeedupVerdict(150, 100)).toBe("PASS");
    expect(workerSpeedupVerdict(149, 100)).toBe("MISS");
    expect(workerSpeedupVerdict(150, 0)).toBe("MISS");
  });

  it("judges one person's latency: p95 ≤ 50 ms and LCP ≤ 2.5 s", () => {
    expect(singleP95Verdict(50)).toBe("PASS");
    expect(singleP95Verdict(51)).toBe("MISS");
    expect(lcpVerdict(2500)).toBe("PASS");
    expect(lcpVerdict(2501)).toBe("MISS");
    expect(lcpVerdict(NaN)).toBe("MISS");
  });

  it("needs both the save rate and its p95, and no failed save", () => {
    expect(saveVerdict({ rps: 300, p95: 30, bad: 0 })).toBe("PASS");
    expect(saveVerdict({ rps: 299, p95: 20, bad: 0 })).toBe("MISS");
    expect(saveVerdict({ rps: 400, p95: 31, bad: 0 })).toBe("MISS");
    expect(saveVerdict({ rps: 400, p95: 20, bad: 1 })).toBe("MISS");
  });

  it("takes the median of an odd and an even count", () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });
});

describe("the soak's memory window", () => {
  it("compares minutes 21–30 with minute 10 in a 30-minute soak, and the last ten minutes in a longer one", () => {
    expect(rssWindow(30)).toEqual({ reference: 10, from: 21, to: 30 });
    expect(rssWindow(45)).toEqual({ reference: 10, from: 36, to: 45 });
  });

  it("scales to thirds in a shorter soak", () => {
    expect(rssWindow(3)).toEqual({ reference: 1, from: 3, to: 3 });
    expect(rssWindow(9)).toEqual({ reference: 3, from: 7, to: 9 });
    expect(rssWindow(1)).toBeNull();
  });

  it("passes flat memory with no errors and misses a 6 % climb or a single error", () => {
    const flat = Array.from({ length: 30 }, (_, i) => (i < 9 ? 300 + i * 10 : 400 + (i % 3)));
    expect(judgeSoak(flat, 0).verdict).toBe("PASS");
    expect(judgeSoak(flat, 1)).toMatchObject({ verdict: "MISS", why: "1 errors" });
    const climbing = flat.map((x, i) => (i === 29 ? 424 : x));
    const j = judgeSoak(climbing, 0);
    expect(j.verdict).toBe("MISS");
    expect(j.reference).toEqual({ minute: 10, rss: 400 });
    expect(j.worstDrift).toBeCloseTo(0.06);
  });

  it("counts a fall in memory as a departure too", () => {
    expect(judgeSoak([500, 400, 370], 0).verdict).toBe("MISS");
    expect(judgeSoak([500, 400, 480], 0).verdict).toBe("PASS");
  });
});

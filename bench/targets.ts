/**
 * Issue #22's targets as pure rules: each takes the figures the bench measured and says whether
 * the target is met. No I/O, so tests/unit/bench-targets.test.ts can pin every boundary.
 */

export type Verdict = "PASS" | "MISS";

export const TARGETS = {
  /** 1: every page at least this share of the empty shell's throughput, in the same run. */
  minShellRatio: 0.5,
  /** 2: a page's p95 grows at most this much from scale 0.1 to 1. */
  maxGrowth: 1.3,
  /** 3: the shell with a process per core over one process, in the same run. */
  minWorkerSpeedup: 1.5,
  /** 5: p95 at one connection, ms. */
  maxSingleP95Ms: 50,
  /** 5: Largest Contentful Paint with the CPU slowed 4×, ms. */
  maxLcpMs: 2500,
  /** 6: resident memory late in the soak within this share of its reference sample. */
  maxRssDrift: 0.05,
  /** 7: 15-patient roll-call saves a second at 10 connections, and their p95 in ms. */
  minSavesPerSecond: 300,
  maxSaveP95Ms: 30,
} as const;

const verdict = (ok: boolean): Verdict => (ok ? "PASS" : "MISS");
/** A figure that was not measured (NaN, a missing run) never passes. */
const measured = (...xs: number[]) => xs.every((x) => Number.isFinite(x));

export const shellRatioVerdict = (ratio: number): Verdict => verdict(measured(ratio) && ratio >= TARGETS.minShellRatio);
export const growthVerdict = (growth: number): Verdict => verdict(measured(growth) && growth <= TARGETS.maxGrowth);
export const workerSpeedupVerdict = (multiRps: number, singleRps: number): Verdict =>
  verdict(measured(multiRps, singleRps) && singleRps > 0 && multiRps / singleRps >= TARGETS.minWorkerSpeedup);
export const singleP95Verdict = (p95: number): Verdict => verdict(measured(p95) && p95 <= TARGETS.maxSingleP95Ms);
export const lcpVerdict = (lcpMs: number): Verdict => verdict(measured(lcpMs) && lcpMs <= TARGETS.maxLcpMs);
/** Target 7 needs both: the rate and the p95, with no failed save. */
export const saveVerdict = (f: { rps: number; p95: number; bad: number }): Verdict =>
  verdict(measured(f.rps, f.p95) && f.bad === 0 && f.rps >= TARGETS.minSavesPerSecond && f.p95 <= TARGETS.maxSaveP95Ms);

/** The middle value (the mean of the two middle ones for an even count); NaN for none. */
export function median(xs: number[]): number {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * Target 6's memory window, for one RSS sample a minute (samples[0] taken at the end of minute 1).
 * A 30-minute soak compares minutes 21–30 against minute 10; a shorter one scales the same
 * shape: the reference is the sample at one third of the run and the window its last third.
 */
export function rssWindow(minutes: number): { reference: number; from: number; to: number } | null {
  if (minutes < 2) return null;
  const span = minutes >= 30 ? 10 : Math.max(1, Math.floor(minutes / 3));
  return { reference: span, from: minutes - span + 1, to: minutes };
}

export interface SoakJudgement {
  verdict: Verdict;
  reference?: { minute: number; rss: number };
  /** The largest departure of a window sample from the reference, as a share (0.031 = 3.1 %). */
  worstDrift?: number;
  why?: string;
}

/** Target 6: no error at all, and every RSS sample in the window within 5 % of the reference. */
export function judgeSoak(rssPerMinute: number[], errors: number): SoakJudgement {
  const w = rssWindow(rssPerMinute.length);
  if (!w) return { verdict: "MISS", why: "fewer than two minutes of samples" };
  const ref = rssPerMinute[w.reference - 1];
  const window = rssPerMinute.slice(w.from - 1, w.to);
  const worstDrift = Math.max(...window.map((x) => Math.abs(x - ref) / ref));
  const memoryOk = ref > 0 && worstDrift <= TARGETS.maxRssDrift;
  const why = [errors ? `${errors} errors` : "", memoryOk ? "" : `RSS moved ${(worstDrift * 100).toFixed(1)} % from minute ${w.reference}`]
    .filter(Boolean)
    .join("; ");
  return { verdict: verdict(errors === 0 && memoryOk), reference: { minute: w.reference, rss: ref }, worstDrift, ...(why ? { why } : {}) };
}

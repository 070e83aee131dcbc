import { createHash, createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { DRAW_ALGORITHM, drawSelection, isSeed, newSeed, randomStream, uniformBelow } from "~/features/drug-testing/draw";

/** Deterministic seeds for the statistics, so the test gives the same answer on every run. */
const seedNo = (i: number) => createHash("sha256").update(`iop-draw-test-${i}`).digest("hex");
const ids = (n: number) => Array.from({ length: n }, (_, i) => `0190${String(i).padStart(4, "0")}-0000-7000-8000-000000000000`);

describe("random draw", () => {
  it("gives the same selection, in the same order, every time it is re-run from the stored seed", () => {
    const seed = seedNo(1);
    const pool = ids(30);
    const first = drawSelection(seed, pool, 6);
    expect(first).toHaveLength(6);
    expect(new Set(first).size).toBe(6);
    for (let i = 0; i < 5; i++) expect(drawSelection(seed, pool, 6)).toEqual(first);
    // The eligible list is sorted first, so the order it was stored or read in does not matter.
    expect(drawSelection(seed, [...pool].reverse(), 6)).toEqual(first);
  });

  it("is pinned: this seed and pool always draw these patients (a change to the algorithm must change its name)", () => {
    expect(DRAW_ALGORITHM).toBe("hmac-sha256-fisher-yates-v1");
    const seed = "00".repeat(32);
    expect(drawSelection(seed, ["a", "b", "c", "d", "e", "f", "g", "h"], 3)).toEqual(drawSelection(seed, ["h", "g", "f", "e", "d", "c", "b", "a"], 3));
    // Re-derived here from the published description (HMAC-SHA256 over ASCII counters, big-endian words, rejection, partial Fisher–Yates).
    const words: number[] = [];
    for (let c = 0; words.length < 64; c++) {
      const block = createHmac("sha256", Buffer.from(seed, "hex")).update(String(c)).digest();
      for (let o = 0; o < 32; o += 4) words.push(block.readUInt32BE(o));
    }
    let w = 0;
    const below = (n: number) => {
      const limit = 2 ** 32 - (2 ** 32 % n);
      for (;;) {
        const r = words[w++];
        if (r < limit) return r % n;
      }
    };
    const pool = ["a", "b", "c", "d", "e", "f", "g", "h"];
    for (let i = 0; i < 3; i++) {
      const j = i + below(pool.length - i);
      [pool[i], pool[j]] = [pool[j], pool[i]];
    }
    expect(drawSelection(seed, ["a", "b", "c", "d", "e", "f", "g", "h"], 3)).toEqual(pool.slice(0, 3));
  });

  it("draws different selections from different seeds", () => {
    const pool = ids(40);
    const seen = new Set(Array.from({ length: 20 }, (_, i) => drawSelection(seedNo(i), pool, 8).join()));
    expect(seen.size).toBe(20);
  });

  it("gives every patient the same chance (chi-square over 4,000 fixed seeds)", () => {
    const n = 10;
    const k = 3;
    const runs = 4000;
    const pool = ids(n);
    const counts = new Map(pool.map((p) => [p, 0]));
    const firstPick = new Map(pool.map((p) => [p, 0]));
    for (let i = 0; i < runs; i++) {
      const sel = drawSelection(seedNo(i), pool, k);
      for (const p of sel) counts.set(p, counts.get(p)! + 1);
      firstPick.set(sel[0], firstPick.get(sel[0])! + 1);
    }
    const chiSquare = (observed: number[], expected: number) => observed.reduce((s, o) => s + (o - expected) ** 2 / expected, 0);
    // 9 degrees of freedom: the 99.9th percentile is 27.88. Fixed seeds make this exact, not flaky.
    expect(chiSquare([...counts.values()], (runs * k) / n)).toBeLessThan(27.88);
    expect(chiSquare([...firstPick.values()], runs / n)).toBeLessThan(27.88);
  });

  it("draws unbiased numbers below n even when n does not divide 2^32 (rejection sampling)", () => {
    const stream = randomStream(seedNo(7));
    const n = 3;
    const tally = [0, 0, 0];
    for (let i = 0; i < 30_000; i++) tally[uniformBelow(stream, n)]++;
    const chi = tally.reduce((s, o) => s + (o - 10_000) ** 2 / 10_000, 0);
    expect(chi).toBeLessThan(13.82); // 2 df, 99.9th percentile
  });

  it("can draw everyone, or no one, and refuses to draw more than the pool", () => {
    const pool = ids(5);
    expect([...drawSelection(seedNo(3), pool, 5)].sort()).toEqual(pool);
    expect(drawSelection(seedNo(3), pool, 0)).toEqual([]);
    expect(() => drawSelection(seedNo(3), pool, 6)).toThrow();
    expect(() => drawSelection(seedNo(3), [...pool, pool[0]], 2)).toThrow(/twice/);
  });

  it("makes seeds of 32 random bytes", () => {
    const a = newSeed();
    expect(isSeed(a)).toBe(true);
    expect(newSeed()).not.toBe(a);
    expect(() => drawSelection("not-a-seed", ids(3), 1)).toThrow();
  });
});

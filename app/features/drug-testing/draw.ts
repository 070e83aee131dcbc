/**
 * The random draw, reproducible from its seed. Server-only (node:crypto); no I/O.
 *
 * Algorithm "hmac-sha256-fisher-yates-v1" — anyone can re-implement it from this description:
 *
 * 1. The eligible patients are their ids sorted ascending (JavaScript string order, which for the
 *    lower-case UUIDs used here is byte order).
 * 2. The seed is 32 bytes (stored as 64 hex characters) from a cryptographic random source.
 * 3. A stream of 32-bit numbers: for counter c = 0, 1, 2, …, block c is
 *    HMAC-SHA256(key = the seed bytes, message = c written as ASCII decimal, e.g. "0", "1", "12"),
 *    read as eight big-endian unsigned 32-bit integers, in order.
 * 4. A uniform integer below n: take the next number r from the stream; if r ≥ 2^32 − (2^32 mod n),
 *    discard it and take another (rejection sampling, so no value is favoured); otherwise r mod n.
 * 5. Partial Fisher–Yates: for i = 0 … k−1, j = i + uniform(n − i), swap positions i and j.
 *    The first k ids, in that order, are the selection.
 *
 * Every subset of size k is equally likely, so every patient has the same chance k/n.
 */
import { createHmac, randomBytes } from "node:crypto";

export const DRAW_ALGORITHM = "hmac-sha256-fisher-yates-v1";

/** A fresh 32-byte seed from the operating system's cryptographic random source, as hex. */
export function newSeed(): string {
  return randomBytes(32).toString("hex");
}

export const isSeed = (s: string) => /^[0-9a-f]{64}$/.test(s);

/** The stream of step 3. */
export function* randomStream(seedHex: string): Generator<number> {
  if (!isSeed(seedHex)) throw new Error("A seed is 64 lower-case hex characters.");
  const key = Buffer.from(seedHex, "hex");
  for (let c = 0; ; c++) {
    const block = createHmac("sha256", key).update(String(c), "ascii").digest();
    for (let o = 0; o < 32; o += 4) yield block.readUInt32BE(o);
  }
}

const TWO_32 = 2 ** 32;

/** Step 4: an unbiased integer in [0, n). */
export function uniformBelow(stream: Iterator<number>, n: number): number {
  if (!Number.isInteger(n) || n < 1 || n > TWO_32) throw new Error(`Cannot draw below ${n}.`);
  const limit = TWO_32 - (TWO_32 % n);
  for (;;) {
    const r = stream.next().value as number;
    if (r < limit) return r % n;
  }
}

/** Steps 1–5: the k patients drawn from `eligible` with this seed, in the order drawn. */
export function drawSelection(seedHex: string, eligible: readonly string[], k: number): string[] {
  const pool = [...eligible].sort();
  if (new Set(pool).size !== pool.length) throw new Error("The eligible list has a patient twice.");
  if (!Number.isInteger(k) || k < 0 || k > pool.length) throw new Error(`Cannot draw ${k} of ${pool.length}.`);
  const stream = randomStream(seedHex);
  for (let i = 0; i < k; i++) {
    const j = i + uniformBelow(stream, pool.length - i);
    [pool[i], pool[j]] = [pool[j], pool[i]];
  }
  return pool.slice(0, k);
}

/**
 * Failed sign-in counters. Counting per email (whether or not an account has it) lets the lock
 * message be the same for every email, so it reveals nothing; counting per client address slows
 * down one machine trying many emails.
 */
import { dialectOf } from "#db/database";
import type { Queryable } from "~/kernel/db";
import { config } from "~/utils/config.server";

export const emailKey = (email: string) => `email:${email.toLowerCase()}`;
export const ipKey = (ip: string) => `ip:${ip}`;

export async function lockedUntil(db: Queryable, key: string, now = new Date()): Promise<Date | null> {
  const row = await db.selectFrom("sign_in_throttle").select("locked_until").where("key", "=", key).executeTakeFirst();
  if (!row?.locked_until) return null;
  const until = new Date(row.locked_until);
  return until > now ? until : null;
}

/**
 * Counts one failure; returns true when this failure locks the key. Failures for one key may
 * arrive at once on several processes (workers, servers): the row is created if missing and then
 * read locked (PostgreSQL `FOR UPDATE`; a SQLite transaction holds the write lock from its start),
 * so each failure is counted once. Called inside the caller's transaction.
 */
export async function recordFailure(db: Queryable, key: string, threshold: number, now = new Date()): Promise<boolean> {
  const windowMs = config.lockoutMinutes * 60_000;
  await db
    .insertInto("sign_in_throttle")
    .values({ key, failures: 0, window_started_at: now.toISOString(), locked_until: null })
    .onConflict((oc) => oc.column("key").doNothing())
    .execute();
  let read = db.selectFrom("sign_in_throttle").selectAll().where("key", "=", key);
  if (dialectOf(db) === "postgres") read = read.forUpdate();
  const row = await read.executeTakeFirst();
  const windowOpen = row && now.getTime() - Date.parse(row.window_started_at) < windowMs;
  const stillLocked = Boolean(row?.locked_until && Date.parse(row.locked_until) > now.getTime());
  const lockExpired = Boolean(row?.locked_until && !stillLocked);
  const failures = row && windowOpen && !lockExpired ? row.failures + 1 : 1;
  const locks = failures >= threshold;
  const values = {
    failures,
    window_started_at: failures === 1 ? now.toISOString() : row!.window_started_at,
    locked_until: locks ? new Date(now.getTime() + windowMs).toISOString() : null,
  };
  if (row) {
    await db.updateTable("sign_in_throttle").set(values).where("key", "=", key).execute();
  } else {
    await db
      .insertInto("sign_in_throttle")
      .values({ key, ...values })
      .execute();
  }
  return locks && !stillLocked;
}

export async function clearFailures(db: Queryable, key: string): Promise<void> {
  await db.deleteFrom("sign_in_throttle").where("key", "=", key).execute();
}

export const lockoutThreshold = () => config.lockoutThreshold;
export const ipThreshold = () => config.ipFailureThreshold;

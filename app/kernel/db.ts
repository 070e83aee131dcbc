import type { Kysely, Transaction } from "kysely";
import type { Database } from "#db/schema";

/** The app's database handle (SQLite or PostgreSQL, one schema). */
export type DB = Kysely<Database>;
/** A transaction on it; repositories that must run inside one take this. */
export type Trx = Transaction<Database>;
/** Either: read helpers that work in and out of a transaction. */
export type Queryable = DB | Trx;

/**
 * True when a write broke a UNIQUE constraint, on either database: PostgreSQL reports SQLSTATE
 * 23505 (unique_violation); better-sqlite3 reports SQLITE_CONSTRAINT_UNIQUE.
 */
export function isUniqueViolation(e: unknown): boolean {
  const err = e as { code?: unknown; message?: unknown } | null;
  if (!err || typeof err !== "object") return false;
  if (err.code === "23505" || err.code === "SQLITE_CONSTRAINT_UNIQUE") return true;
  return typeof err.message === "string" && err.message.includes("UNIQUE constraint failed");
}

import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import SQLite from "better-sqlite3";
import { Kysely, type LogConfig, PostgresDialect, SqliteDialect, PostgresAdapter } from "kysely";
import pg from "pg";
import type { Database } from "./schema";

export type Dialect = "sqlite" | "postgres";

export const DEFAULT_SQLITE_PATH = "./data/iop.sqlite";

/** Where a `DATABASE_URL` points: unset or `file:` is SQLite, `postgres://` is PostgreSQL. */
export function parseDatabaseUrl(url: string | undefined): { dialect: Dialect; target: string } {
  if (!url || url.trim() === "") return { dialect: "sqlite", target: resolve(DEFAULT_SQLITE_PATH) };
  if (url.startsWith("postgres://") || url.startsWith("postgresql://")) {
    return { dialect: "postgres", target: url };
  }
  if (url.startsWith("file:")) {
    const path = url.slice("file:".length).replace(/^\/\/(?=\/)/, "");
    return { dialect: "sqlite", target: path === ":memory:" ? path : resolve(path) };
  }
  throw new Error(
    `DATABASE_URL must start with file: (SQLite) or postgres:// (PostgreSQL); got "${url.split(":")[0]}:"`,
  );
}

// PostgreSQL returns BIGINT (count(*), sum) as strings; the app wants numbers.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (v) => Number(v));

export function openSqlite(path: string): SQLite.Database {
  if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
  const sqlite = new SQLite(path);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("busy_timeout = 5000");
  sqlite.pragma("synchronous = NORMAL");
  return sqlite;
}

/**
 * With `DB_SLOW_QUERY_MS` set, every query slower than that many milliseconds is written to
 * stderr with its SQL (not its parameters, which may name patients): how hot spots are found.
 */
function slowQueryLog(): LogConfig | undefined {
  const threshold = Number(process.env.DB_SLOW_QUERY_MS);
  if (!process.env.DB_SLOW_QUERY_MS || !Number.isFinite(threshold)) return undefined;
  return (event) => {
    if (event.queryDurationMillis < threshold) return;
    console.error(`[slow query ${event.queryDurationMillis.toFixed(1)} ms${event.level === "error" ? ", failed" : ""}] ${event.query.sql.replace(/\s+/g, " ")}`);
  };
}

/** Builds the app's one typed query layer over SQLite (default) or PostgreSQL. */
export function createDb(url: string | undefined = process.env.DATABASE_URL): Kysely<Database> {
  const { dialect, target } = parseDatabaseUrl(url);
  const log = slowQueryLog();
  if (dialect === "postgres") {
    const pool = new pg.Pool({ connectionString: target, max: Number(process.env.DATABASE_POOL_SIZE ?? 10) });
    // An idle connection dropped by the server (restart, failover) must not take the process down;
    // the pool replaces it on next use.
    pool.on("error", (err) =>
      process.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), level: "error", msg: "PostgreSQL connection lost", error: { name: err.name, message: err.message } })}\n`),
    );
    return new Kysely<Database>({ dialect: new PostgresDialect({ pool }), log });
  }
  return new Kysely<Database>({
    dialect: new SqliteDialect({ database: openSqlite(target) }),
    log,
  });
}

export function dialectOf(db: Kysely<any>): Dialect {
  return db.getExecutor().adapter instanceof PostgresAdapter ? "postgres" : "sqlite";
}

import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from "node:fs";
import { dirname, resolve } from "node:path";
import SQLite from "better-sqlite3";
import {
  type DatabaseConnection,
  type Driver,
  Kysely,
  type LogConfig,
  PostgresAdapter,
  PostgresDialect,
  CompiledQuery,
  type SqliteDatabase,
  SqliteDialect,
  type SqliteDriver,
  type TransactionSettings,
} from "kysely";
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
  throw new Error(`DATABASE_URL must start with file: (SQLite) or postgres:// (PostgreSQL); got "${url.split(":")[0]}:"`);
}

// PostgreSQL returns BIGINT (count(*), sum) as strings; the app wants numbers.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (v) => Number(v));

/**
 * The database holds health records and two-factor secrets: its file, WAL and shared-memory
 * files are readable by their owner only (0600). A new file is created 0600 before SQLite opens it
 * (SQLite gives -wal and -shm the main file's permissions); an existing one is tightened.
 */
export function restrictSqliteFiles(path: string): void {
  for (const f of [path, `${path}-wal`, `${path}-shm`, `${path}-journal`]) {
    try {
      if (existsSync(f)) chmodSync(f, 0o600);
    } catch {
      // Owned by someone else: not ours to change (the operations guide says who should own it).
    }
  }
}

export function openSqlite(path: string): SQLite.Database {
  if (path !== ":memory:") {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    if (!existsSync(path)) closeSync(openSync(path, "a", 0o600));
    restrictSqliteFiles(path);
  }
  const sqlite = new SQLite(path);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("busy_timeout = 5000");
  sqlite.pragma("synchronous = NORMAL");
  if (path !== ":memory:") restrictSqliteFiles(path);
  return sqlite;
}

/** How many prepared statements a SQLite connection keeps, least recently used dropped first. */
const STATEMENT_CACHE = 500;

/**
 * The connection as Kysely sees it, keeping each statement it prepares for the next query with the
 * same SQL: Kysely prepares every query afresh, and compiling the SQL was a seventh of a roll-call
 * save's time. A kept statement is bound to its new parameters each time. One still being read
 * (a streamed query not yet finished) is not shared: that query gets a statement of its own.
 */
export function keepingStatements(sqlite: SQLite.Database): SqliteDatabase {
  const kept = new Map<string, SQLite.Statement>();
  return {
    close: () => {
      kept.clear();
      sqlite.close();
    },
    prepare(sql: string) {
      const found = kept.get(sql);
      if (found && !found.busy) {
        // Most recently used last, so the first entry is the one to drop.
        kept.delete(sql);
        kept.set(sql, found);
        return found;
      }
      const stmt = sqlite.prepare(sql);
      if (!found) {
        kept.set(sql, stmt);
        if (kept.size > STATEMENT_CACHE) kept.delete(kept.keys().next().value!);
      }
      return stmt;
    },
  };
}

/**
 * SQLite shared by several processes (WORKERS > 1, or a command beside the server): every
 * transaction takes the write lock when it begins (`BEGIN IMMEDIATE`), waiting up to busy_timeout
 * for another process's to end. Kysely's default `BEGIN` is deferred: a transaction that reads (the
 * audit chain's head, a record's version) and then writes could find that another process wrote in
 * between, and SQLite then fails it at once with SQLITE_BUSY (its snapshot is stale; no waiting
 * helps: https://www.sqlite.org/lang_transaction.html, https://www.sqlite.org/wal.html §2.2).
 * Taking the lock first makes every read-then-write in one transaction a serial step, as it was
 * within one process. A transaction asked for as read only (`setAccessMode("read only")`) stays
 * deferred: WAL readers never wait for a writer.
 */
export class ImmediateSqliteDialect extends SqliteDialect {
  override createDriver(): Driver {
    const driver = super.createDriver() as SqliteDriver;
    driver.beginTransaction = async (connection: DatabaseConnection, settings?: TransactionSettings) => {
      await connection.executeQuery(CompiledQuery.raw(settings?.accessMode === "read only" ? "begin" : "begin immediate"));
    };
    return driver;
  }
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
    console.error(
      `[slow query ${event.queryDurationMillis.toFixed(1)} ms${event.level === "error" ? ", failed" : ""}] ${event.query.sql.replace(/\s+/g, " ")}`,
    );
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
      process.stderr.write(
        `${JSON.stringify({ time: new Date().toISOString(), level: "error", msg: "PostgreSQL connection lost", error: { name: err.name, message: err.message } })}\n`,
      ),
    );
    return new Kysely<Database>({ dialect: new PostgresDialect({ pool }), log });
  }
  return new Kysely<Database>({
    dialect: new ImmediateSqliteDialect({ database: keepingStatements(openSqlite(target)) }),
    log,
  });
}

export function dialectOf(db: Kysely<any>): Dialect {
  return db.getExecutor().adapter instanceof PostgresAdapter ? "postgres" : "sqlite";
}

/**
 * A connection that cannot write, for checking a database without changing it (`npm run
 * audit:verify`): SQLite opened read-only (no WAL switch, no migration, the file untouched);
 * PostgreSQL with every transaction read-only (`default_transaction_read_only`).
 */
export function openReadOnly(url: string | undefined = process.env.DATABASE_URL): Kysely<Database> {
  const { dialect, target } = parseDatabaseUrl(url);
  if (dialect === "postgres") {
    const pool = new pg.Pool({ connectionString: target, max: 1, options: "-c default_transaction_read_only=on" });
    pool.on("error", () => undefined);
    return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  }
  if (target === ":memory:") throw new Error("an in-memory database cannot be checked from another process");
  const sqlite = new SQLite(target, { readonly: true, fileMustExist: true });
  sqlite.pragma("busy_timeout = 5000");
  return new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
}

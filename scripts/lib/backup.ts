/**
 * Backup and restore for both databases, shared by `npm run backup` and `npm run restore`.
 *
 * SQLite: SQLite's online backup API (better-sqlite3 `db.backup()`) copies a consistent snapshot
 * while the server keeps writing; the copy is switched out of WAL mode so it is one self-contained
 * file. PostgreSQL: `pg_dump --format=custom` (one repeatable-read snapshot) and `pg_restore`.
 *
 * Every backup is checked before it is kept, and every restore is checked before it replaces
 * anything: integrity, row counts per table, and the audit log's hash chain. A manifest beside
 * each backup (`FILE.json`) records its SHA-256 and its row counts, so a restore can tell a
 * damaged or swapped file from the one that was taken.
 *
 * Backups hold health records: the folder is created 0700 and every file in it 0600 from the
 * moment it exists (created empty with that mode before anything is written into it). The
 * secrets that sign the audit chain and encrypt two-factor keys are NOT in a backup (they live in
 * the key file or the environment): back them up separately (docs/operations.md).
 *
 * A backup checks its copy against the audit anchor and then publishes the copy's head there; a
 * restore publishes a "restore" line, so the anchor follows the chain it now guards.
 */
import { spawnSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import {
  chmodSync,
  closeSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import SQLite from "better-sqlite3";
import { Kysely, PostgresDialect, SqliteDialect, sql } from "kysely";
import pg from "pg";
import { parseDatabaseUrl, type Dialect } from "../../db/database";
import { migrationsApplied } from "../../db/migrator";
import type { Database } from "../../db/schema";
import { verifyAuditChain } from "../../app/features/audit/audit.server";
import { type AnchorFile, anchorPath, publishAnchor, readAnchor } from "../../app/features/audit/anchor.server";
import { rebuildSessionTallies } from "../../app/features/attendance/tallies.server";
import { rebuildChargeDayTotals } from "../../app/features/billing/charge-totals.server";
import { rebuildAuthorizationUse } from "../../app/features/billing/authorization-use.server";

export interface Manifest {
  format: "iop-backup/1";
  dialect: Dialect;
  file: string;
  createdAt: string;
  bytes: number;
  sha256: string;
  counts: Record<string, number>;
  auditEvents: number;
}

export interface Check {
  ok: boolean;
  problems: string[];
  counts: Record<string, number>;
  auditEvents: number;
  migrationsPending: boolean;
}

export class BackupError extends Error {}

const stamp = (d = new Date()) =>
  d
    .toISOString()
    .replace(/\.\d+Z$/, "Z")
    .replace(/:/g, "-");
const BACKUP_NAME = /^iop-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}Z(-\d+)?\.(sqlite|dump)$/;

export function sha256File(path: string): string {
  return createHash("sha256").update(readFileSync(path)).digest("hex");
}

/** What a file holds, by its first bytes: a SQLite database or a pg_dump custom-format archive. */
export function fileKind(path: string): Dialect | null {
  const fd = openSync(path, "r");
  try {
    const head = Buffer.alloc(16);
    const n = readSync(fd, head, 0, 16, 0);
    if (n >= 16 && head.toString("latin1") === "SQLite format 3\0") return "sqlite";
    if (n >= 5 && head.subarray(0, 5).toString("latin1") === "PGDMP") return "postgres";
    return null;
  } finally {
    closeSync(fd);
  }
}

/** A new file readable by its owner only, empty, for something to be written into. */
function createPrivate(path: string): void {
  closeSync(openSync(path, "w", 0o600));
  chmodSync(path, 0o600);
}

/** Integrity, row counts and the audit chain (against the anchor, when given) of an open database. */
export async function checkDatabase(db: Kysely<Database>, dialect: Dialect, options: { anchor?: AnchorFile | null } = {}): Promise<Check> {
  const problems: string[] = [];
  if (dialect === "sqlite") {
    const rows = (await sql<{ integrity_check: string }>`pragma integrity_check`.execute(db)).rows;
    const verdict = rows.map((r) => r.integrity_check);
    if (verdict.join() !== "ok") problems.push(`integrity check failed: ${verdict.slice(0, 5).join("; ")}`);
    const fk = (await sql<{ table: string }>`pragma foreign_key_check`.execute(db)).rows;
    if (fk.length) problems.push(`${fk.length} rows point to rows that do not exist (first in ${fk[0].table})`);
  }
  const tables =
    dialect === "sqlite"
      ? (await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name`.execute(db)).rows.map(
          (r) => r.name,
        )
      : (
          await sql<{
            name: string;
          }>`select table_name as name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE' order by table_name`.execute(
            db,
          )
        ).rows.map((r) => r.name);
  const counts: Record<string, number> = {};
  for (const t of tables) {
    const r = await sql<{ n: number | string }>`select count(*) as n from ${sql.table(t)}`.execute(db);
    counts[t] = Number(r.rows[0].n);
  }
  let auditEvents = 0;
  if (!tables.includes("audit_events")) {
    problems.push("there is no audit log: this is not an IOP Dashboard database");
  } else {
    const verdict = await verifyAuditChain(db, { anchor: options.anchor });
    auditEvents = verdict.count;
    if (!verdict.ok) problems.push(`audit chain broken at row ${verdict.seq}: ${verdict.reason}`);
  }
  let migrationsPending = false;
  if (tables.includes("kysely_migration")) migrationsPending = !(await migrationsApplied(db));
  return { ok: problems.length === 0, problems, counts, auditEvents, migrationsPending };
}

function openSqliteKysely(path: string): { db: Kysely<Database>; raw: SQLite.Database } {
  const raw = new SQLite(path, { fileMustExist: true });
  raw.pragma("busy_timeout = 5000");
  return { raw, db: new Kysely<Database>({ dialect: new SqliteDialect({ database: raw }) }) };
}

function openPg(url: string): Kysely<Database> {
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  // A scratch database is dropped WITH (FORCE) as soon as it is checked: a closing connection may hear of it.
  pool.on("error", () => undefined);
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}

/** Counts in the manifest must match what was found, table by table. */
function compareCounts(expected: Record<string, number>, found: Record<string, number>): string[] {
  const problems: string[] = [];
  for (const [t, n] of Object.entries(expected)) {
    if (found[t] !== n) problems.push(`${t}: the backup recorded ${n} rows, found ${found[t] ?? "no table"}`);
  }
  return problems;
}

function run(cmd: string, args: string[], what: string) {
  const res = spawnSync(cmd, args, { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (res.error) throw new BackupError(`${what}: could not run ${cmd} (${res.error.message}); install the PostgreSQL client tools`);
  if (res.status !== 0) throw new BackupError(`${what} failed: ${(res.stderr || res.stdout).trim().split("\n").slice(-5).join(" ")}`);
  return res;
}

/** A throwaway database on the same PostgreSQL server, for checking a dump before trusting it. */
async function withScratchPg<T>(url: string, use: (scratchUrl: string) => Promise<T>): Promise<T> {
  const u = new URL(url);
  const name = `iop_verify_${Date.now().toString(36)}_${randomBytes(3).toString("hex")}`;
  const adminUrl = new URL(url);
  adminUrl.pathname = "/postgres";
  const admin = new pg.Client({ connectionString: adminUrl.toString() });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } catch (e) {
    await admin.end();
    throw new BackupError(`could not create a scratch database to check the dump (${(e as Error).message}); the database user needs CREATEDB`);
  }
  u.pathname = `/${name}`;
  try {
    return await use(u.toString());
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => undefined);
    await admin.end();
  }
}

async function checkPgDump(file: string, url: string, anchor: AnchorFile | null = null, then?: (db: Kysely<Database>) => Promise<unknown>): Promise<Check> {
  return withScratchPg(url, async (scratch) => {
    run(
      "pg_restore",
      ["--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction", "--dbname", scratch, file],
      "pg_restore into a scratch database",
    );
    const db = openPg(scratch);
    try {
      const check = await checkDatabase(db, "postgres", { anchor });
      if (check.ok && then) await then(db);
      return check;
    } finally {
      await db.destroy();
    }
  });
}

export interface BackupOptions {
  databaseUrl: string | undefined;
  dir: string;
  keep?: number;
  now?: Date;
}

export interface BackupResult {
  file: string;
  manifest: Manifest;
  removed: string[];
  /** The audit anchor the backup checked against and published to; `started` when there was none. */
  anchor: { path: string; started: boolean } | null;
}

/** Takes a backup while the server keeps running, checks it, writes its manifest, applies retention. */
export async function backup(opts: BackupOptions): Promise<BackupResult> {
  const { dialect, target } = parseDatabaseUrl(opts.databaseUrl);
  const dir = resolve(opts.dir);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  // Read before the copy is taken: every head it records is one the copy has reached.
  const anchorFile = anchorPath(opts.databaseUrl);
  const anchor = readAnchor(anchorFile);
  const publish = async (db: Kysely<Database>) => {
    if (anchorFile) await publishAnchor(db, anchorFile, "backup");
  };
  let name = `iop-${stamp(opts.now)}`;
  const ext = dialect === "sqlite" ? "sqlite" : "dump";
  for (let i = 1; existsSync(join(dir, `${name}.${ext}`)); i++) name = `iop-${stamp(opts.now)}-${i}`;
  const file = join(dir, `${name}.${ext}`);
  const partial = `${file}.partial`;
  let check: Check;
  try {
    if (dialect === "sqlite") {
      if (target === ":memory:" || !existsSync(target)) throw new BackupError(`there is no database at ${target}`);
      const source = new SQLite(target, { fileMustExist: true });
      source.pragma("busy_timeout = 5000");
      createPrivate(partial);
      try {
        // All pages in one backup step, that is one read transaction: the copy is the database at
        // one moment. (Copied a few pages at a time, every write by the server would restart the
        // copy, and a busy server could keep it from ever finishing.) In WAL mode the server's
        // writes carry on meanwhile.
        await source.backup(partial, { progress: () => 0x7fffffff });
      } finally {
        source.close();
      }
      const { db, raw } = openSqliteKysely(partial);
      try {
        raw.pragma("journal_mode = DELETE");
        check = await checkDatabase(db, "sqlite", { anchor });
        if (check.ok) await publish(db);
      } finally {
        await db.destroy();
      }
    } else {
      createPrivate(partial);
      run("pg_dump", ["--format=custom", "--no-owner", "--no-privileges", "--file", partial, target], "pg_dump");
      check = await checkPgDump(partial, target, anchor, publish);
    }
    if (!check.ok) throw new BackupError(`the backup failed its check: ${check.problems.join("; ")}`);
    renameSync(partial, file);
  } catch (e) {
    rmSync(partial, { force: true });
    throw e;
  }
  const manifest: Manifest = {
    format: "iop-backup/1",
    dialect,
    file: basename(file),
    createdAt: (opts.now ?? new Date()).toISOString(),
    bytes: statSync(file).size,
    sha256: sha256File(file),
    counts: check.counts,
    auditEvents: check.auditEvents,
  };
  chmodSync(file, 0o600);
  writeFileSync(`${file}.json`, `${JSON.stringify(manifest, null, 2)}\n`, { mode: 0o600 });
  const removed = opts.keep ? prune(dir, opts.keep) : [];
  return { file, manifest, removed, anchor: anchorFile ? { path: anchorFile, started: !anchor } : null };
}

/** Keeps the newest `keep` backups in `dir` (by the time in their names) and deletes the rest. */
export function prune(dir: string, keep: number): string[] {
  if (!Number.isInteger(keep) || keep < 1) throw new BackupError("--keep must be a whole number of backups, 1 or more");
  // Newest first: by the time in the name, then by the counter added to a second backup in the same second.
  const key = (f: string) => {
    const m = BACKUP_NAME.exec(f)!;
    return { time: f.slice(4, 24), n: Number(m[1]?.slice(1) ?? 0) };
  };
  const files = readdirSync(dir)
    .filter((f) => BACKUP_NAME.test(f))
    .sort((a, b) => {
      const [x, y] = [key(a), key(b)];
      return x.time === y.time ? y.n - x.n : x.time < y.time ? 1 : -1;
    });
  const removed = files.slice(keep);
  for (const f of removed) {
    rmSync(join(dir, f), { force: true });
    rmSync(join(dir, `${f}.json`), { force: true });
  }
  return removed;
}

export interface RestoreOptions {
  file: string;
  databaseUrl: string | undefined;
  /** PostgreSQL: restore even though other sessions are connected to the target. */
  force?: boolean;
}

export interface RestoreResult {
  dialect: Dialect;
  target: string;
  check: Check;
  /** SQLite: where the database that was replaced was kept. */
  previous: string | null;
}

/** Reads and checks the manifest beside a backup, if there is one. */
function readManifest(file: string): Manifest | null {
  const path = `${file}.json`;
  if (!existsSync(path)) return null;
  let m: Manifest;
  try {
    m = JSON.parse(readFileSync(path, "utf8"));
  } catch {
    throw new BackupError(`the manifest ${basename(path)} is not readable JSON`);
  }
  if (m.format !== "iop-backup/1") throw new BackupError(`the manifest ${basename(path)} is not an IOP Dashboard backup manifest`);
  if (sha256File(file) !== m.sha256)
    throw new BackupError(`${basename(file)} is not the file its manifest describes (SHA-256 differs): it was damaged or replaced`);
  return m;
}

/**
 * Restores a backup over the database DATABASE_URL names, after checking it. The server must be
 * stopped: on SQLite a database still open elsewhere is refused; on PostgreSQL other connections
 * are refused unless `force`.
 */
export async function restore(opts: RestoreOptions): Promise<RestoreResult> {
  const file = resolve(opts.file);
  if (!existsSync(file)) throw new BackupError(`there is no file ${opts.file}`);
  const kind = fileKind(file);
  if (!kind) throw new BackupError(`${basename(file)} is neither a SQLite database nor a pg_dump archive`);
  const { dialect, target } = parseDatabaseUrl(opts.databaseUrl);
  if (kind !== dialect) throw new BackupError(`${basename(file)} is a ${kind} backup but DATABASE_URL points to ${dialect}`);
  const manifest = readManifest(file);

  if (dialect === "sqlite") {
    if (target === ":memory:") throw new BackupError("cannot restore into an in-memory database");
    mkdirSync(dirname(target), { recursive: true });
    const incoming = `${target}.restoring-${randomBytes(4).toString("hex")}`;
    createPrivate(incoming);
    copyFileSync(file, incoming);
    chmodSync(incoming, 0o600);
    let check: Check;
    try {
      const { db, raw } = openSqliteKysely(incoming);
      try {
        raw.pragma("journal_mode = DELETE");
        check = await checkDatabase(db, "sqlite");
      } finally {
        await db.destroy();
      }
      if (manifest) check.problems.push(...compareCounts(manifest.counts, check.counts));
      check.ok = check.problems.length === 0;
      if (!check.ok) throw new BackupError(`the backup failed its check, nothing was restored: ${check.problems.join("; ")}`);
    } catch (e) {
      rmSync(incoming, { force: true });
      throw e;
    }
    let previous: string | null = null;
    if (existsSync(target)) {
      // Refuse while a server has the database open; otherwise fold its WAL in and keep it aside.
      const current = new SQLite(target, { timeout: 200 });
      try {
        current.pragma("locking_mode = EXCLUSIVE");
        current.exec("BEGIN EXCLUSIVE");
        current.exec("COMMIT");
      } catch {
        current.close();
        rmSync(incoming, { force: true });
        throw new BackupError(`${target} is in use (is the server running?): stop the server, then restore`);
      }
      previous = `${target}.before-restore-${stamp()}`;
      createPrivate(previous);
      await current.backup(previous);
      chmodSync(previous, 0o600);
      current.pragma("wal_checkpoint(TRUNCATE)");
      current.close();
    }
    for (const suffix of ["-wal", "-shm", "-journal"]) rmSync(`${target}${suffix}`, { force: true });
    renameSync(incoming, target);
    await publishRestore(opts.databaseUrl);
    await rebuildKeptFigures(opts.databaseUrl, check);
    return { dialect, target, check, previous };
  }

  // PostgreSQL: prove the dump restores and checks out in a scratch database first.
  const scratch = await checkPgDump(file, target);
  if (manifest) scratch.problems.push(...compareCounts(manifest.counts, scratch.counts));
  if (scratch.problems.length) throw new BackupError(`the backup failed its check, nothing was restored: ${scratch.problems.join("; ")}`);
  const client = new pg.Client({ connectionString: target });
  await client.connect();
  try {
    const others = await client.query<{ n: string }>(
      "select count(*) as n from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()",
    );
    if (Number(others.rows[0].n) > 0 && !opts.force) {
      throw new BackupError(`${others.rows[0].n} other connections are open to the target database (is a server running?): stop the servers, or pass --force`);
    }
  } finally {
    await client.end();
  }
  run(
    "pg_restore",
    ["--clean", "--if-exists", "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction", "--dbname", target, file],
    "pg_restore",
  );
  const db = openPg(target);
  let check: Check;
  try {
    check = await checkDatabase(db, "postgres");
  } finally {
    await db.destroy();
  }
  if (check.ok) await publishRestore(opts.databaseUrl);
  if (manifest) check.problems.push(...compareCounts(manifest.counts, check.counts));
  check.ok = check.problems.length === 0;
  if (!check.ok) throw new BackupError(`restored, but the result failed its check: ${check.problems.join("; ")}`);
  await rebuildKeptFigures(opts.databaseUrl, check);
  return { dialect, target, check, previous: null };
}

/**
 * Recomputes the kept figures (ADR 0007: per-session tallies, charge day totals, authorizations' units used) of a restored database from its
 * records, so they agree with the marks restored whatever the copy held. A backup from before the
 * tallies existed has no such table yet: its migration fills it when the server starts.
 */
async function rebuildKeptFigures(databaseUrl: string | undefined, check: Check): Promise<void> {
  if (!("session_tallies" in check.counts)) return;
  const { dialect, target } = parseDatabaseUrl(databaseUrl);
  const { db } = dialect === "sqlite" ? openSqliteKysely(target) : { db: openPg(target) };
  try {
    await rebuildSessionTallies(db);
    // Kept by triggers as charges are written; a backup from before migration 28 has no such table yet.
    if ("charge_day_totals" in check.counts) await rebuildChargeDayTotals(db);
    // Kept by the app as attendance and authorizations are saved; from migration 29 on.
    if ("authorization_use" in check.counts) await rebuildAuthorizationUse(db);
  } finally {
    await db.destroy();
  }
}

/**
 * Records in the audit anchor that the chain was replaced by a backup's: the restored head starts
 * the anchor afresh (later rows of the replaced chain are gone on purpose, and the line says so).
 */
async function publishRestore(databaseUrl: string | undefined): Promise<void> {
  const path = anchorPath(databaseUrl);
  if (!path) return;
  const { dialect, target } = parseDatabaseUrl(databaseUrl);
  if (dialect === "sqlite") {
    const { db } = openSqliteKysely(target);
    try {
      await publishAnchor(db, path, "restore", "restore");
    } finally {
      await db.destroy();
    }
    return;
  }
  const db = openPg(target);
  try {
    await publishAnchor(db, path, "restore", "restore");
  } finally {
    await db.destroy();
  }
}

/** A one-line summary of the largest tables, for the commands' output. */
export function summary(check: Pick<Check, "counts" | "auditEvents">): string {
  const total = Object.values(check.counts).reduce((a, b) => a + b, 0);
  const main = ["patients", "sessions", "attendance", "drug_tests"].filter((t) => t in check.counts).map((t) => `${check.counts[t]} ${t.replace("_", " ")}`);
  return `${total} rows in ${Object.keys(check.counts).length} tables (${main.join(", ")}), audit chain of ${check.auditEvents} events verified`;
}

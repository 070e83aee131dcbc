/**
 * The demo clinic, seeded once per test run and copied for every test that wants one.
 *
 * Seeding the full demo clinic (forty charts and the past year) writes everything through the
 * app's repositories: about half a minute on SQLite and several minutes on PostgreSQL on a loaded
 * 2-core machine. Many test files start from that same clinic, so the first one to ask seeds it
 * into a template (a SQLite file, or a PostgreSQL database) and every caller gets its own copy:
 * the file copied, or `CREATE DATABASE … TEMPLATE …` (a block copy inside PostgreSQL). The seed
 * still runs, for real, once per dialect and variant in every run; a copy is the same bytes.
 *
 * Templates live in the folder IOP_TEMPLATE_DIR names, for one run only (the demo is seeded
 * relative to today). tests/support/templates-setup.ts makes that folder for a vitest run and
 * drops it afterwards; .ci/run makes one for both of its vitest runs, so the end-to-end pass on
 * PostgreSQL reuses the PostgreSQL template the integration suite seeded. Without the variable
 * (a script, a test run some other way) every call simply seeds a fresh database.
 *
 * The migrated schema alone has a template too (`migratedDatabase`): createTestDatabase and the staff-only
 * seed copy it rather than migrate a fresh database, which takes a second or more on PostgreSQL.
 *
 * Test files run in separate worker processes, so the first caller takes a lock (an atomic
 * `mkdir`), seeds, and writes `<key>.json`; the others wait for that file.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Kysely } from "kysely";
import pg from "pg";
import { createDb } from "../../db/database";
import { migrateToLatest } from "../../db/migrator";
import type { Database } from "../../db/schema";
import { type DemoClinic, seedDemo } from "../../seeds/demo";
import { type DialectName, emptyDatabase, type TestDatabase } from "./databases";

export interface SeedOptions {
  patients?: boolean;
  history?: boolean;
}

/** What a template holds: the demo clinic (one of its variants), or the migrated schema alone ("empty"). */
type TemplateOptions = SeedOptions & { empty?: boolean };

export interface SeededDatabase {
  url: string;
  drop: () => Promise<void>;
  clinic: DemoClinic;
}

interface TemplateRecord {
  /** Null for the migrated schema alone. */
  clinic: DemoClinic | null;
  /** The SQLite file, or the PostgreSQL database's name. */
  source: string;
}

const pgUrl = () => (process.env.TEST_DATABASE_URL?.startsWith("postgres") ? process.env.TEST_DATABASE_URL : undefined);
const templateDir = () => process.env.IOP_TEMPLATE_DIR || undefined;
/** A PostgreSQL template's name records the folder it belongs to, so each run drops only its own. */
const PG_PREFIX = "iop_tpl_";

function variant(options: TemplateOptions): string {
  if (options.empty) return "empty";
  const patients = options.patients ?? true;
  if (!patients) return "staff";
  return (options.history ?? true) ? "full" : "current";
}

async function withAdmin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: pgUrl() });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function seedFresh(dialect: DialectName, options: SeedOptions): Promise<SeededDatabase> {
  const { url, drop } = await emptyDatabase(dialect);
  const db = createDb(url);
  try {
    await migrateToLatest(db);
    const clinic = await seedDemo(db, { patients: options.patients ?? true, history: options.history });
    return { url, drop, clinic };
  } finally {
    await db.destroy();
  }
}

/** Seeds the template for `key` (this process holds the lock) and records it. */
async function buildTemplate(dir: string, key: string, dialect: DialectName, options: TemplateOptions): Promise<TemplateRecord> {
  let source: string;
  let db: Kysely<Database>;
  if (dialect === "sqlite") {
    source = join(dir, `${key}.sqlite`);
    for (const f of [source, `${source}-wal`, `${source}-shm`]) rmSync(f, { force: true });
    db = createDb(`file:${source}`);
  } else {
    source = `${PG_PREFIX}${dir
      .replace(/[^a-z0-9]/gi, "")
      .slice(-12)
      .toLowerCase()}_${key.replace(/-/g, "_")}`;
    // A seeder that died may have left it half seeded.
    await withAdmin(async (c) => {
      await c.query(`DROP DATABASE IF EXISTS ${source} WITH (FORCE)`);
      await c.query(`CREATE DATABASE ${source}`);
    });
    writeFileSync(join(dir, `${key}.pgdb`), source);
    const u = new URL(pgUrl()!);
    u.pathname = `/${source}`;
    db = createDb(u.toString());
  }
  try {
    await migrateToLatest(db);
    const clinic = options.empty ? null : await seedDemo(db, { patients: options.patients ?? true, history: options.history });
    return { clinic, source };
  } finally {
    // Closed before anyone copies it: SQLite folds its WAL into the file, and PostgreSQL copies
    // a template only while nobody is connected to it.
    await db.destroy();
  }
}

function seederAlive(lock: string): boolean {
  let pid: number;
  try {
    pid = Number(readFileSync(join(lock, "pid"), "utf8"));
  } catch {
    return true; // the lock is being taken this moment
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function template(dir: string, dialect: DialectName, options: TemplateOptions, locked = false): Promise<TemplateRecord> {
  const key = `${dialect}-${variant(options)}`;
  const ready = join(dir, `${key}.json`);
  const failed = join(dir, `${key}.failed`);
  const lock = join(dir, `${key}.lock`);
  const take = () => {
    try {
      mkdirSync(lock);
      writeFileSync(join(lock, "pid"), String(process.pid));
      return true;
    } catch {
      return false; // someone else is seeding it (or has)
    }
  };
  if (locked || take()) {
    try {
      // Once more if the first attempt lost its connection (a loaded machine's PostgreSQL has
      // dropped one mid-seed); a real fault fails the same way twice.
      const record = await buildTemplate(dir, key, dialect, options).catch(() => buildTemplate(dir, key, dialect, options));
      writeFileSync(`${ready}.tmp`, JSON.stringify(record));
      renameSync(`${ready}.tmp`, ready); // whole, or not there yet, for the files waiting on it
      return record;
    } catch (err) {
      writeFileSync(failed, String((err as Error)?.stack ?? err));
      throw err;
    }
  }
  // A full PostgreSQL seed takes minutes on a loaded machine: wait as long as a hook may.
  const deadline = Date.now() + 15 * 60_000;
  while (!existsSync(ready)) {
    // A seeder that died (its test file stopped by a hook's time-out) leaves its lock: take over.
    if (!seederAlive(lock) && !existsSync(ready) && !existsSync(failed)) {
      rmSync(lock, { recursive: true, force: true });
      if (take()) return template(dir, dialect, options, true);
    }
    if (existsSync(failed)) throw new Error(`seeding the ${key} template failed in another test file:\n${readFileSync(failed, "utf8")}`);
    if (Date.now() > deadline) throw new Error(`the ${key} template in ${dir} was not ready after 15 minutes`);
    await sleep(250);
  }
  return JSON.parse(readFileSync(ready, "utf8")) as TemplateRecord;
}

/** A database of its own copied from a template (`source`: a SQLite file or a PostgreSQL database), and how to drop it. */
async function copyOf(dialect: DialectName, source: string): Promise<{ url: string; drop: () => Promise<void> }> {
  if (dialect === "sqlite") {
    const copyDir = mkdtempSync(join(tmpdir(), "iop-test-"));
    const file = join(copyDir, "test.sqlite");
    copyFileSync(source, file);
    return { url: `file:${file}`, drop: async () => rmSync(copyDir, { recursive: true, force: true }) };
  }
  const name = `iop_t_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  await withAdmin(async (c) => {
    for (let attempt = 0; ; attempt++) {
      try {
        await c.query(`CREATE DATABASE ${name} TEMPLATE ${source}`);
        return;
      } catch (err) {
        // 55006: another copy from the same template is starting at this moment; try again.
        if ((err as { code?: string }).code !== "55006" || attempt >= 50) throw err;
        await sleep(200);
      }
    }
  });
  const u = new URL(pgUrl()!);
  u.pathname = `/${name}`;
  return { url: u.toString(), drop: () => withAdmin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined) };
}

/**
 * A database of its own with every migration applied and nothing in it, copied from this run's
 * migrated template (on a loaded machine, migrating a PostgreSQL database from scratch takes a
 * second or more, and integration files make many); null without IOP_TEMPLATE_DIR.
 */
export async function migratedDatabase(dialect: DialectName): Promise<{ url: string; drop: () => Promise<void> } | null> {
  const dir = templateDir();
  if (!dir) return null;
  return copyOf(dialect, (await template(dir, dialect, { empty: true })).source);
}

/**
 * A database of its own holding the demo clinic (`patients: false` for the staff alone,
 * `history: false` for the forty current charts without the past year), and how to drop it.
 * The same as `emptyDatabase` + `migrateToLatest` + `seedDemo`, copied from this run's template
 * (the staff alone seed in a fraction of a second, into a copy of the migrated template).
 */
export async function seededDatabase(dialect: DialectName, options: SeedOptions = {}): Promise<SeededDatabase> {
  const dir = templateDir();
  if (!dir) return seedFresh(dialect, options);
  if (variant(options) === "staff") {
    const copy = (await migratedDatabase(dialect))!;
    const db = createDb(copy.url);
    try {
      return { ...copy, clinic: await seedDemo(db, { patients: false }) };
    } finally {
      await db.destroy();
    }
  }
  const { clinic, source } = await template(dir, dialect, options);
  return { ...(await copyOf(dialect, source)), clinic: clinic! };
}

/** Drops the run's templates: its PostgreSQL template databases and the folder. */
export async function dropTemplates(dir: string): Promise<void> {
  if (!existsSync(dir)) return;
  const names = readdirSync(dir)
    .filter((f) => f.endsWith(".pgdb"))
    .map((f) => readFileSync(join(dir, f), "utf8").trim())
    .filter((n) => n.startsWith(PG_PREFIX));
  if (names.length > 0 && pgUrl()) {
    await withAdmin(async (c) => {
      for (const n of names) await c.query(`DROP DATABASE IF EXISTS ${n} WITH (FORCE)`);
    });
  }
  rmSync(dir, { recursive: true, force: true });
}

/** `seededDatabase` opened: a TestDatabase (as createTestDatabase gives) with the demo clinic in it. */
export async function seededTestDatabase(dialect: DialectName, options: SeedOptions = {}): Promise<TestDatabase & { clinic: DemoClinic }> {
  const { url, drop, clinic } = await seededDatabase(dialect, options);
  const db = createDb(url);
  return {
    db,
    url,
    clinic,
    destroy: async () => {
      await db.destroy();
      await drop();
    },
  };
}

/** The demo clinic in a SQLite file at `path` (a test that owns the file: crash and fuzz tests). */
export async function seededSqliteFile(path: string, options: SeedOptions = {}): Promise<DemoClinic> {
  const dir = templateDir();
  if (!dir || variant(options) === "staff") {
    const db = createDb(`file:${path}`);
    try {
      await migrateToLatest(db);
      return await seedDemo(db, { patients: options.patients ?? true, history: options.history });
    } finally {
      await db.destroy();
    }
  }
  const { clinic, source } = await template(dir, "sqlite", options);
  copyFileSync(source, path);
  return clinic!;
}

/**
 * Seeds (or waits for) this run's templates of the demo clinic as a whole, of its forty current
 * charts and of the migrated schema alone, on SQLite and on PostgreSQL when TEST_DATABASE_URL names one, side by side. For a
 * global setup: a test hook that found the template still being seeded would wait inside its
 * time-out. Nothing to do without IOP_TEMPLATE_DIR. `only` seeds one dialect's (npm test seeds each
 * in its own process: SQLite's seeding holds the event loop, which would pause PostgreSQL's).
 */
export async function prebuildTemplates(only?: DialectName): Promise<void> {
  const dir = templateDir();
  if (!dir) return;
  const all: DialectName[] = (pgUrl() ? (["sqlite", "postgres"] as const) : (["sqlite"] as const)).filter((d) => !only || d === only);
  await Promise.all(
    all.flatMap((d) => [template(dir, d, { patients: true }), template(dir, d, { patients: true, history: false }), template(dir, d, { empty: true })]),
  );
}

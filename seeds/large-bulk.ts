/**
 * Bulk loading for the large seed: rows are buffered per table and written as multi-row INSERTs
 * (one prepared statement per batch size on SQLite, one parameterised query on PostgreSQL) inside
 * explicit transactions. Tables are flushed in the order their foreign keys need.
 */
import type SQLite from "better-sqlite3";
import pg from "pg";
import { openSqlite, parseDatabaseUrl } from "../db/database";

type Row = Record<string, unknown>;

/** Parents before children, so a flush never breaks a foreign key on PostgreSQL. */
export const TABLE_ORDER = [
  "sites",
  "users",
  "user_sites",
  "payers",
  "fee_schedule",
  "tracks",
  "rooms",
  "group_series",
  "patients",
  "patient_episodes",
  "patient_status_changes",
  "level_of_care_changes",
  "patient_diagnoses",
  "mat_episodes",
  "patient_tracks",
  "treatment_plans",
  "coverages",
  "authorizations",
  "medicare_certifications",
  "consents",
  "sessions",
  "session_participants",
  "roll_calls",
  "attendance",
  "notes",
  "note_entries",
  "drug_test_panels",
  "drug_test_draws",
  "drug_tests",
  "drug_test_results",
  "drug_test_alerts",
  "charges",
  "audit_events",
] as const;
export type BulkTable = (typeof TABLE_ORDER)[number];

const ROWS_PER_STATEMENT = 400;

interface Driver {
  exec(sql: string): Promise<void>;
  /** The statements that recreate the secondary indexes (not those behind a primary key or constraint). */
  secondaryIndexes(): Promise<{ name: string; sql: string }[]>;
  insert(table: string, columns: string[], values: unknown[], rows: number): Promise<void>;
  close(): Promise<void>;
}

function sqliteDriver(path: string): Driver {
  const db: SQLite.Database = openSqlite(path);
  // Bulk load: no journal, no fsync, a large page cache, one writer. A failed load is simply rerun.
  db.pragma("journal_mode = OFF");
  db.pragma("synchronous = OFF");
  db.pragma("cache_size = -1048576");
  db.pragma("temp_store = MEMORY");
  db.pragma("locking_mode = EXCLUSIVE");
  db.pragma("foreign_keys = OFF");
  const statements = new Map<string, SQLite.Statement>();
  return {
    async exec(sql) {
      db.exec(sql);
    },
    async secondaryIndexes() {
      return db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name").all() as { name: string; sql: string }[];
    },
    async insert(table, columns, values, rows) {
      const key = `${table}:${rows}`;
      let stmt = statements.get(key);
      if (!stmt) {
        const tuple = `(${columns.map(() => "?").join(",")})`;
        stmt = db.prepare(`INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(",")}) VALUES ${Array(rows).fill(tuple).join(",")}`);
        statements.set(key, stmt);
      }
      stmt.run(values);
    },
    async close() {
      db.pragma("foreign_keys = ON");
      // A self-contained file (no -wal beside it), so it can be copied as a cache; the app turns WAL back on when it opens it.
      db.pragma("journal_mode = DELETE");
      db.close();
    },
  };
}

async function postgresDriver(url: string): Promise<Driver> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query("SET synchronous_commit = off");
  const texts = new Map<string, string>();
  return {
    async exec(sql) {
      await client.query(sql);
    },
    async secondaryIndexes() {
      const { rows } = await client.query<{ name: string; sql: string }>(
        `SELECT indexname AS name, indexdef AS sql FROM pg_indexes
          WHERE schemaname = current_schema() AND indexname NOT IN (SELECT conname FROM pg_constraint) ORDER BY indexname`,
      );
      return rows;
    },
    async insert(table, columns, values, rows) {
      const key = `${table}:${rows}`;
      let text = texts.get(key);
      if (!text) {
        const tuples: string[] = [];
        let n = 1;
        for (let r = 0; r < rows; r++) tuples.push(`(${columns.map(() => `$${n++}`).join(",")})`);
        text = `INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(",")}) VALUES ${tuples.join(",")}`;
        texts.set(key, text);
      }
      await client.query({ text, values });
    },
    async close() {
      await client.end();
    },
  };
}

export class BulkLoader {
  private buffers = new Map<BulkTable, Row[]>();
  private columns = new Map<BulkTable, string[]>();
  private inTransaction = false;
  /** Secondary indexes dropped for the load and rebuilt at the end. */
  private deferredIndexes: { name: string; sql: string }[] = [];
  private sinceCommit = 0;
  readonly counts: Record<string, number> = {};
  totalRows = 0;
  /** Rows waiting in the buffers. */
  buffered = 0;

  private constructor(
    private driver: Driver,
    readonly dialect: "sqlite" | "postgres",
  ) {}

  static async open(url: string): Promise<BulkLoader> {
    const { dialect, target } = parseDatabaseUrl(url);
    const driver = dialect === "postgres" ? await postgresDriver(target) : sqliteDriver(target);
    return new BulkLoader(driver, dialect);
  }

  /**
   * Drops the secondary indexes until `close()`: inserting in random key order into a dozen
   * indexes per table is what bounds a load once the file outgrows memory, and building each index
   * once from the finished table is many times faster. Unique indexes are rebuilt too, so a
   * duplicate the generator should never make still fails the load.
   */
  async deferIndexes(): Promise<void> {
    this.deferredIndexes = await this.driver.secondaryIndexes();
    for (const { name } of this.deferredIndexes) await this.driver.exec(`DROP INDEX "${name}"`);
  }

  add(table: BulkTable, row: Row): void {
    let buf = this.buffers.get(table);
    if (!buf) {
      buf = [];
      this.buffers.set(table, buf);
      if (!this.columns.has(table)) this.columns.set(table, Object.keys(row));
    }
    buf.push(row);
    this.buffered++;
  }

  /** Writes everything buffered, parents first; commits roughly every `commitEvery` rows. */
  async flush(commitEvery = 250_000): Promise<void> {
    if (!this.inTransaction) {
      await this.driver.exec("BEGIN");
      this.inTransaction = true;
    }
    for (const table of TABLE_ORDER) {
      const buf = this.buffers.get(table);
      if (!buf?.length) continue;
      const columns = this.columns.get(table)!;
      for (let i = 0; i < buf.length; i += ROWS_PER_STATEMENT) {
        const chunk = buf.slice(i, i + ROWS_PER_STATEMENT);
        const values: unknown[] = [];
        for (const row of chunk) for (const c of columns) values.push(row[c] ?? null);
        await this.driver.insert(table, columns, values, chunk.length);
      }
      this.counts[table] = (this.counts[table] ?? 0) + buf.length;
      this.totalRows += buf.length;
      this.sinceCommit += buf.length;
      buf.length = 0;
    }
    this.buffered = 0;
    if (this.sinceCommit >= commitEvery) await this.commit();
  }

  async commit(): Promise<void> {
    if (!this.inTransaction) return;
    await this.driver.exec("COMMIT");
    this.inTransaction = false;
    this.sinceCommit = 0;
  }

  async exec(sql: string): Promise<void> {
    await this.driver.exec(sql);
  }

  async close(onIndex?: (name: string, done: number, total: number) => void): Promise<void> {
    await this.flush();
    await this.commit();
    const total = this.deferredIndexes.length;
    for (const [i, { name, sql }] of this.deferredIndexes.entries()) {
      onIndex?.(name, i, total);
      await this.driver.exec(sql);
    }
    this.deferredIndexes = [];
    await this.driver.close();
  }
}

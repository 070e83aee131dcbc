/**
 * Real databases for integration tests: a fresh SQLite file always, and a fresh PostgreSQL
 * database when TEST_DATABASE_URL is a postgres:// URL. No mocks of our own data layer.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Kysely } from "kysely";
import pg from "pg";
import { createDb } from "../../db/database";
import { migrateToLatest } from "../../db/migrator";
import type { Database } from "../../db/schema";

export interface TestDatabase {
  db: Kysely<Database>;
  url: string;
  destroy: () => Promise<void>;
}

export type DialectName = "sqlite" | "postgres";

const pgUrl = process.env.TEST_DATABASE_URL?.startsWith("postgres") ? process.env.TEST_DATABASE_URL : undefined;

/** The dialects this run tests: SQLite always, PostgreSQL when TEST_DATABASE_URL says where. */
export const dialects: DialectName[] = pgUrl ? ["sqlite", "postgres"] : ["sqlite"];
export const postgresConfigured = Boolean(pgUrl);

/** A fresh, empty database of a dialect (SQLite in a temporary directory, or a new PostgreSQL database), and how to drop it. */
export async function emptyDatabase(dialect: DialectName): Promise<{ url: string; drop: () => Promise<void> }> {
  if (dialect === "sqlite") {
    const dir = mkdtempSync(join(tmpdir(), "iop-test-"));
    return { url: `file:${join(dir, "test.sqlite")}`, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  if (!pgUrl) throw new Error("TEST_DATABASE_URL is not set to a postgres:// URL");
  // Each caller gets its own database on the server TEST_DATABASE_URL names.
  const name = `iop_t_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: pgUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const u = new URL(pgUrl);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: pgUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/** A fresh database of a dialect with every migration applied. */
export async function createTestDatabase(dialect: DialectName): Promise<TestDatabase> {
  // A copy of this run's migrated template when there is one (templates.ts), the same bytes a
  // migration from scratch writes; imported here, since templates.ts builds on this file.
  const copy = await (await import("./templates")).migratedDatabase(dialect);
  const { url, drop } = copy ?? (await emptyDatabase(dialect));
  const db = createDb(url);
  if (!copy) await migrateToLatest(db);
  return {
    db,
    url,
    destroy: async () => {
      await db.destroy();
      await drop();
    },
  };
}

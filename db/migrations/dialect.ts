/**
 * The one place where migrations branch by dialect. Migrations import only this file and Kysely,
 * never app code, so they stay frozen in time.
 */
import { type Kysely, PostgresAdapter, sql } from "kysely";

export function isPostgres(db: Kysely<any>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

/** Makes a table append-only: UPDATE and DELETE raise an error on both dialects. */
export async function makeAppendOnly(db: Kysely<any>, table: string): Promise<void> {
  if (isPostgres(db)) {
    await sql`
      CREATE OR REPLACE FUNCTION refuse_change_append_only() RETURNS trigger AS $$
      BEGIN
        RAISE EXCEPTION 'table % is append-only', TG_TABLE_NAME;
      END;
      $$ LANGUAGE plpgsql`.execute(db);
    await sql`CREATE TRIGGER ${sql.raw(`${table}_append_only`)}
      BEFORE UPDATE OR DELETE ON ${sql.table(table)}
      FOR EACH ROW EXECUTE FUNCTION refuse_change_append_only()`.execute(db);
    return;
  }
  for (const op of ["UPDATE", "DELETE"] as const) {
    await sql`CREATE TRIGGER ${sql.raw(`${table}_no_${op.toLowerCase()}`)}
      BEFORE ${sql.raw(op)} ON ${sql.table(table)}
      BEGIN SELECT RAISE(ABORT, ${sql.lit(`${table} is append-only`)}); END`.execute(db);
  }
}

export async function dropAppendOnly(db: Kysely<any>, table: string): Promise<void> {
  if (isPostgres(db)) {
    await sql`DROP TRIGGER IF EXISTS ${sql.raw(`${table}_append_only`)} ON ${sql.table(table)}`.execute(db);
    return;
  }
  for (const op of ["update", "delete"]) {
    await sql`DROP TRIGGER IF EXISTS ${sql.raw(`${table}_no_${op}`)}`.execute(db);
  }
}

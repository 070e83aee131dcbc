import cluster from "node:cluster";
import { createDb } from "#db/database";
import { sql } from "kysely";
import { migrateToLatest, migrationsApplied } from "#db/migrator";
import { keepPlannerStatistics } from "#db/statistics";
import type { DB } from "~/kernel/db";

export type { DB };

let ready: Promise<DB> | undefined;
let stopStatistics: (() => void) | undefined;

/**
 * The process's database, migrated to the latest schema before its first use. A worker of a
 * server with several (WORKERS, server.mjs) only opens it: its primary migrated it before forking
 * and keeps the planner statistics for all of them.
 */
export function getDb(): Promise<DB> {
  ready ??= (async () => {
    const db = createDb();
    if (cluster.isWorker) return db;
    await migrateToLatest(db);
    stopStatistics = await keepPlannerStatistics(db);
    return db;
  })();
  ready.catch(() => {
    ready = undefined;
  });
  return ready;
}

export async function closeDb(): Promise<void> {
  if (!ready) return;
  const db = await ready.catch(() => undefined);
  ready = undefined;
  stopStatistics?.();
  stopStatistics = undefined;
  await db?.destroy();
}

/** Readiness: the database answers and every migration is applied (what /readyz reports). */
export async function databaseReady(): Promise<boolean> {
  try {
    const db = await getDb();
    await sql`select 1`.execute(db);
    return await migrationsApplied(db);
  } catch {
    return false;
  }
}

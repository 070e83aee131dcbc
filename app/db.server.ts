import type { Kysely } from "kysely";
import { createDb } from "../db/database";
import { migrateToLatest } from "../db/migrator";
import type { Database } from "../db/schema";
import { keepPlannerStatistics } from "../db/statistics";

export type DB = Kysely<Database>;

let ready: Promise<DB> | undefined;
let stopStatistics: (() => void) | undefined;

/** The process's database, migrated to the latest schema before its first use. */
export function getDb(): Promise<DB> {
  ready ??= (async () => {
    const db = createDb();
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

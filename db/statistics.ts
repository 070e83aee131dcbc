import { type Kysely, sql } from "kysely";
import { dialectOf } from "./database";

/** How often a running server refreshes SQLite's planner statistics. */
const REFRESH_MS = 6 * 3600_000;

/**
 * Keeps SQLite's query planner informed. Without statistics it guesses, and at clinic-network
 * scale it guesses wrong: "admitted this week" walked every episode of the site (76 ms) instead of
 * reading the week's admissions (0.2 ms). A database that was never analysed is analysed once at
 * start-up (about 4 s for five years of a five-site network, with a sampling limit); after that
 * `PRAGMA optimize` re-analyses only the tables that changed a lot, at start-up and every six
 * hours, as SQLite recommends for long-running processes. PostgreSQL's autovacuum does this itself.
 */
export async function keepPlannerStatistics(db: Kysely<any>): Promise<() => void> {
  if (dialectOf(db) !== "sqlite") return () => {};
  await sql`PRAGMA analysis_limit = 1000`.execute(db);
  const analysed = await sql<{ n: number }>`SELECT count(*) AS n FROM sqlite_schema WHERE name = 'sqlite_stat1'`.execute(db);
  const hasStats = analysed.rows[0]?.n ? (await sql<{ n: number }>`SELECT count(*) AS n FROM sqlite_stat1`.execute(db)).rows[0]?.n : 0;
  await (hasStats ? sql`PRAGMA optimize = 0x10002` : sql`ANALYZE`).execute(db);
  const timer = setInterval(() => {
    sql`PRAGMA optimize`.execute(db).catch(() => {
      // Statistics are an optimisation: a failed refresh (a busy database) waits for the next one.
    });
  }, REFRESH_MS);
  timer.unref();
  return () => clearInterval(timer);
}

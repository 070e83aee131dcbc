/**
 * SQLite's planner needs statistics to pick the week's admissions over the site's every episode;
 * the server gathers them when it opens a database that has none, and keeps them fresh after.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import { afterAll, describe, expect, it } from "vitest";
import { createDb } from "../../db/database";
import { migrateToLatest } from "../../db/migrator";
import { keepPlannerStatistics } from "../../db/statistics";
import { generateLarge } from "../../seeds/large";

const dir = mkdtempSync(join(tmpdir(), "iop-stats-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("planner statistics (SQLite)", () => {
  it("analyses a database that was never analysed, and the week's admissions are then read by date", async () => {
    const url = `file:${join(dir, "clinic.sqlite")}`;
    await generateLarge(url, { scale: 0.004, seed: 3, today: "2026-11-25", years: 1 });
    const db = createDb(url);
    try {
      await migrateToLatest(db);
      const statTable = async () => (await sql<{ n: number }>`SELECT count(*) AS n FROM sqlite_schema WHERE name = 'sqlite_stat1'`.execute(db)).rows[0].n;
      expect(await statTable()).toBe(0);
      const stop = await keepPlannerStatistics(db);
      stop();
      const analysed = await sql<{ tbl: string }>`SELECT DISTINCT tbl FROM sqlite_stat1`.execute(db);
      expect(analysed.rows.map((r) => r.tbl)).toEqual(expect.arrayContaining(["patients", "patient_episodes", "attendance", "sessions"]));
      const plan = await sql<{ detail: string }>`EXPLAIN QUERY PLAN
        SELECT count(*) FROM patient_episodes e JOIN patients p ON p.id = e.patient_id
         WHERE p.site_id = 'x' AND e.admitted_on >= '2026-11-23' AND e.admitted_on <= '2026-11-25'`.execute(db);
      expect(plan.rows.map((r) => r.detail).join(" | ")).toContain("patient_episodes_admitted_idx");
      // A second start only refreshes what changed: it must not fail on an analysed database.
      (await keepPlannerStatistics(db))();
    } finally {
      await db.destroy();
    }
  });
});

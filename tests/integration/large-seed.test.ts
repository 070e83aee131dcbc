/**
 * The benchmark's large network (seeds/large.ts) at a tiny scale: the shape it promises, the
 * same rows from the same seed, counts that grow with the scale, and an audit chain that verifies.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { sql } from "kysely";
import { createDb } from "../../db/database";
import { migrateToLatest } from "../../db/migrator";
import { verifyAuditChain } from "../../app/features/audit/audit.server";
import { countSessionTallies, keptSessionTallies } from "../../app/features/attendance/tallies.server";
import { countChargeDayTotals, keptChargeDayTotals } from "../../app/features/billing/charge-totals.server";
import { countAuthorizationUse, keptAuthorizationUse } from "../../app/features/billing/authorization-use.server";
import { generateLarge, type LargeSummary } from "../../seeds/large";

const dir = mkdtempSync(join(tmpdir(), "iop-large-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const TODAY = "2026-11-25";
const make = (name: string, scale: number) => generateLarge(`file:${join(dir, `${name}.sqlite`)}`, { scale, seed: 7, today: TODAY, years: 1 });

async function firstIds(name: string) {
  const db = createDb(`file:${join(dir, `${name}.sqlite`)}`);
  try {
    const patients = await db.selectFrom("patients").select(["id", "mrn", "search_name"]).orderBy("mrn").limit(20).execute();
    const sessions = await db.selectFrom("sessions").select("id").orderBy("id").limit(20).execute();
    const tests = await db.selectFrom("drug_tests").select(["id", "outcome"]).orderBy("id").limit(20).execute();
    const audit = await db.selectFrom("audit_chain_head").select(["seq", "hash"]).executeTakeFirstOrThrow();
    return { patients, sessions, tests, audit };
  } finally {
    await db.destroy();
  }
}

describe("the large seed", () => {
  let a: LargeSummary;
  let b: LargeSummary;
  let double: LargeSummary;

  it("writes a network the app's pages accept, and an audit chain that verifies", async () => {
    a = await make("a", 0.004);
    expect(a.sites).toBe(1);
    expect(a.activePatients).toBeGreaterThan(0);
    expect(a.dischargedPatients).toBeGreaterThan(a.activePatients);
    for (const table of [
      "tracks",
      "rooms",
      "group_series",
      "sessions",
      "session_participants",
      "roll_calls",
      "attendance",
      "patient_episodes",
      "patient_status_changes",
      "level_of_care_changes",
      "patient_tracks",
      "drug_test_draws",
      "drug_tests",
      "drug_test_results",
      "audit_events",
      // The clinical records and billing the notes worklist, co-signature queue, Plan tab and charge review read.
      "treatment_plans",
      "notes",
      "note_entries",
      "coverages",
      "charges",
    ]) {
      expect(a.counts[table], table).toBeGreaterThan(0);
    }
    expect(a.signIns.map((s) => s.role).sort()).toEqual(expect.arrayContaining(["admin", "counselor", "staff"]));
    const db = createDb(`file:${join(dir, "a.sqlite")}`);
    try {
      expect(await verifyAuditChain(db)).toEqual({ ok: true, count: a.auditRows });
      const active = await db
        .selectFrom("patients")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .where("status", "in", ["active", "on_hold"])
        .executeTakeFirstOrThrow();
      expect(Number(active.n)).toBe(a.activePatients);
      // Every roll call's marks are for patients on that session's roster.
      const stray = await db
        .selectFrom("attendance as at")
        .leftJoin("session_participants as sp", (j) => j.onRef("sp.session_id", "=", "at.session_id").onRef("sp.patient_id", "=", "at.patient_id"))
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .where("sp.id", "is", null)
        .executeTakeFirstOrThrow();
      expect(Number(stray.n)).toBe(0);
      // The kept per-session tallies the reports read equal a count of the marks (ADR 0007).
      const kept = await keptSessionTallies(db);
      expect(kept.length).toBeGreaterThan(0);
      expect(kept).toEqual(await countSessionTallies(db));
      // So do the charge day totals the charge review reads, kept by triggers through the bulk load.
      const chargeTotals = await keptChargeDayTotals(db);
      expect(chargeTotals.length).toBeGreaterThan(0);
      expect(chargeTotals).toEqual(await countChargeDayTotals(db));
      // And every authorization's units used, counted once at the end of the load; some are in use.
      const units = await keptAuthorizationUse(db);
      expect(units.some((u) => u.used > 0)).toBe(true);
      expect(units).toEqual(await countAuthorizationUse(db));
      // The indexes dropped for the bulk load are all back, as the migrations define them.
      const fresh = createDb(`file:${join(dir, "schema-only.sqlite")}`);
      try {
        await migrateToLatest(fresh);
        const indexes = (d: typeof db) =>
          sql<{ name: string; sql: string }>`SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL ORDER BY name`.execute(d);
        const expected = (await indexes(fresh)).rows;
        expect(expected.length).toBeGreaterThan(30);
        expect((await indexes(db)).rows).toEqual(expected);
      } finally {
        await fresh.destroy();
      }
      const counter = await db.selectFrom("mrn_counter").select("last_value").executeTakeFirstOrThrow();
      expect(Number(counter.last_value)).toBe(1000 + a.activePatients + a.dischargedPatients);
    } finally {
      await db.destroy();
    }
  });

  it("is deterministic: the same seed and day give the same ids and counts", async () => {
    b = await make("b", 0.004);
    expect(b.counts).toEqual(a.counts);
    expect(await firstIds("b")).toEqual(await firstIds("a"));
  });

  it("grows in proportion to the scale", async () => {
    double = await make("double", 0.008);
    const ratio = (k: string) => double.counts[k] / a.counts[k];
    for (const k of ["patients", "attendance", "drug_tests"]) {
      expect(ratio(k), k).toBeGreaterThan(1.5);
      expect(ratio(k), k).toBeLessThan(2.6);
    }
  });
});

/**
 * The kept figures whole-site pages read (ARCHITECTURE rule 11, ADR 0007): each session's marks
 * counted by outcome in `session_tallies`, kept by the roll-call save. After every kind of write
 * that touches a clinic's records (roll calls, a correction, a discharge, a drug test) and after a
 * backup and restore, the whole kept table must equal a count from scratch of the marks, row for
 * row; and the attendance report read from it must give the figures worked out by hand. A restore
 * also recounts the charge day totals and the authorizations' units used (authorization-use.test.ts
 * proves those as they are kept).
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb } from "../../db/database";
import * as sessionTalliesMigration from "../../db/migrations/2026-12-07-25-session-tallies";
import * as chargeTotalsMigration from "../../db/migrations/2026-12-07-28-charge-totals";
import { countChargeDayTotals, keptChargeDayTotals, rebuildChargeDayTotals } from "~/features/billing/charge-totals.server";
import { refreshCharges } from "~/features/billing/charges.server";
import { countAuthorizationUse, keptAuthorizationUse, rebuildAuthorizationUse } from "~/features/billing/authorization-use.server";
import { createAuthorization } from "~/features/billing/authorizations.server";
import { createCoverage } from "~/features/billing/coverage.server";
import { createPayer } from "~/features/billing/payers.server";
import { countSessionTallies, keptSessionTallies, rebuildSessionTallies, type SessionTally } from "~/features/attendance/tallies.server";
import { dischargePatient } from "~/features/patients/patients.server";
import { attendanceByGroup } from "~/features/reports/attendance.server";
import { newId } from "~/utils/ids";
import { createTestDatabase, dialects, emptyDatabase, type TestDatabase } from "../support/databases";
import { meta } from "../support/demo";
import { collect, type DrugTestWorld, drugTestWorld } from "./drug-testing-support";
import { dischargeInput, version } from "./patients-support";
import { groupSession, markRoll } from "./roll-call-support";

function run(script: string, args: string[], env: Record<string, string>): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", script, ...args], { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    child.on("close", (code) => resolve({ code, out }));
  });
}

const tally = (sessionId: string, localDate: string, marks: number, attended: number, excused: number, unexcused: number): SessionTally => ({
  sessionId,
  localDate,
  marks,
  attended,
  excused,
  unexcused,
});
const sorted = (list: SessionTally[]) => [...list].sort((a, b) => a.sessionId.localeCompare(b.sessionId) || a.localDate.localeCompare(b.localDate));

/** An approved IOP authorization of 5 days for the week of Nov 16, on a new Medicaid coverage; its id. */
async function authorizeWeek(db: TestDatabase["db"], w: DrugTestWorld, patientId: string): Promise<string> {
  const payer = await createPayer(db, w.counselor, w.site.id, { name: "Kept Figures Medicaid", kind: "medicaid", payerCode: "KFM01", active: "yes" }, meta);
  if (!payer.ok) throw new Error(JSON.stringify(payer));
  const base = { payerId: payer.id, memberId: "KF-1", relationship: "self", priority: "primary", effectiveFrom: "2026-11-01" } as const;
  const coverage = await createCoverage(db, w.counselor, patientId, base, w.siteIds, meta);
  if (!coverage.ok) throw new Error(JSON.stringify(coverage));
  const week = {
    coverageId: coverage.id,
    levelOfCare: "IOP",
    unitKind: "days",
    unitsApproved: 5,
    startsOn: "2026-11-16",
    endsOn: "2026-11-22",
    status: "approved",
  } as const;
  const auth = await createAuthorization(db, w.counselor, patientId, week, w.siteIds, meta);
  if (!auth.ok) throw new Error(JSON.stringify(auth));
  return auth.id;
}

describe.each(dialects)("kept session tallies on %s", (dialect) => {
  let t: TestDatabase;
  let w: DrugTestWorld;
  let monday: string;
  let wednesday: string;
  let dir: string;

  /** The whole kept table equals the whole table counted from the marks now. */
  const expectKeptEqualsRecount = async (db = t.db) => {
    const kept = await keptSessionTallies(db);
    expect(kept).toEqual(await countSessionTallies(db));
    return kept;
  };
  const report = () =>
    attendanceByGroup.compute(t.db, {
      siteId: w.site.id,
      timeZone: w.site.time_zone,
      from: "2026-11-16",
      to: "2026-11-22",
      today: "2026-11-27",
      trackId: null,
      counselorId: null,
    });

  beforeAll(async () => {
    t = await createTestDatabase(dialect);
    w = await drugTestWorld(t.db);
    dir = mkdtempSync(join(tmpdir(), "iop-tallies-"));
  });
  afterAll(async () => {
    await t?.destroy();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("keeps each session's tally as its roll call is saved", async () => {
    expect(await expectKeptEqualsRecount()).toEqual([]);
    monday = await groupSession(t.db, w.staff, w.counselor, w.site, "2026-11-16", 180, [
      [w.bup, "present"],
      [w.methadone, "late", 150],
      [w.naltrexone, "absent_excused"],
      [w.nomat, "absent_unexcused"],
    ]);
    wednesday = await groupSession(t.db, w.staff, w.counselor, w.site, "2026-11-18", 180, [
      [w.bup, "absent_unexcused"],
      [w.methadone, "present"],
    ]);
    expect(await expectKeptEqualsRecount()).toEqual(sorted([tally(monday, "2026-11-16", 4, 2, 1, 1), tally(wednesday, "2026-11-18", 2, 1, 0, 1)]));
    // Both sessions are "Group <date>" one-offs with no track: one row each. 3 of 6 marks attended.
    const r = await report();
    expect(r.rows.map((x) => [x.group, x.sessions, x.marks, x.attended, x.excused, x.unexcused])).toEqual([
      ["Group 2026-11-16", 1, 4, 2, 1, 1],
      ["Group 2026-11-18", 1, 2, 1, 0, 1],
    ]);
    expect(r.summary).toBe("3 of 6 marks attended (50%) across 2 sessions with a roll call.");
  });

  it("follows a correction after the session's day, and a resave that changes nothing", async () => {
    await markRoll(
      t.db,
      w.counselor,
      w.site,
      monday,
      [
        [w.naltrexone, "present"],
        [w.nomat, "left_early", 90],
      ],
      new Date("2026-11-27T15:00:00.000Z"),
      "Marked from the sign-in sheet",
    );
    await markRoll(t.db, w.counselor, w.site, wednesday, [[w.methadone, "present"]], new Date("2026-11-27T15:00:00.000Z"));
    expect(await expectKeptEqualsRecount()).toEqual(sorted([tally(monday, "2026-11-16", 4, 4, 0, 0), tally(wednesday, "2026-11-18", 2, 1, 0, 1)]));
    expect((await report()).summary).toBe("5 of 6 marks attended (83.3%) across 2 sessions with a roll call.");
  });

  it("a correction that moves no count (a note, late for present, an attended mark's minutes) keeps the tallies and the charges as a recount makes them", async () => {
    const before = await keptSessionTallies(t.db);
    await markRoll(
      t.db,
      w.counselor,
      w.site,
      monday,
      [
        [w.naltrexone, "late", 180, "Signed in after the check-in"],
        [w.nomat, "left_early", 120],
      ],
      new Date("2026-11-27T16:00:00.000Z"),
      "Re-read the sign-in sheet",
    );
    expect(await expectKeptEqualsRecount()).toEqual(before);
    // The charges the save left are what a refresh of those patients' day makes from scratch.
    expect(await refreshCharges(t.db, w.site.id, { patientIds: [w.naltrexone, w.nomat], from: "2026-11-16", to: "2026-11-16" })).toMatchObject({
      created: 0,
      updated: 0,
      removed: 0,
    });
  });

  it("is unchanged by a discharge and a drug test, and still equals the count", async () => {
    const before = await keptSessionTallies(t.db);
    const d = await dischargePatient(t.db, w.counselor, w.nomat, dischargeInput(await version(t.db, w.nomat), { dischargedOn: "2026-11-20" }), w.siteIds, meta);
    expect(d.ok).toBe(true);
    await collect(w, { patientId: w.bup, date: "2026-11-18" });
    expect(await expectKeptEqualsRecount()).toEqual(before);
  });

  it("detects marks written around the roll-call save, and the rebuild puts the tallies right", async () => {
    // A mark inserted directly (as a bulk load would) is not in the kept tally: the comparison sees it.
    await t.db
      .insertInto("attendance")
      .values({
        id: newId(),
        session_id: wednesday,
        patient_id: w.naltrexone,
        status: "present",
        mode: "in_person",
        minutes: 180,
        note: null,
        local_date: "2026-11-18",
        starts_at: "2026-11-18T14:00:00.000Z",
        recorded_by: w.staff.id,
        recorded_at: "2026-11-18T17:00:00.000Z",
      })
      .execute();
    expect(await keptSessionTallies(t.db)).not.toEqual(await countSessionTallies(t.db));
    await rebuildSessionTallies(t.db);
    expect(await expectKeptEqualsRecount()).toEqual(sorted([tally(monday, "2026-11-16", 4, 4, 0, 0), tally(wednesday, "2026-11-18", 3, 2, 0, 1)]));
  });

  it("a database migrated from before the tallies existed gets them counted by the migration", async () => {
    const before = await keptSessionTallies(t.db);
    await sessionTalliesMigration.down(t.db);
    await sessionTalliesMigration.up(t.db);
    expect(await expectKeptEqualsRecount()).toEqual(before);
  });

  it("a database migrated from before the charge day totals existed gets them counted, and its triggers keep them from then on", async () => {
    const before = await keptChargeDayTotals(t.db);
    // The drug-testing world has no coverage: its attended days are held charges with no payer.
    expect(before.length).toBeGreaterThan(0);
    expect(before.every((r) => r.status === "held" && r.payerKey === "")).toBe(true);
    await chargeTotalsMigration.down(t.db);
    await chargeTotalsMigration.up(t.db);
    expect(await keptChargeDayTotals(t.db)).toEqual(before);
    // A charge written after the migration moves them through the triggers alone.
    await t.db.updateTable("charges").set({ amount_cents: 12_345, status: "ready" }).where("service_date", "=", before[0].date).execute();
    const moved = await keptChargeDayTotals(t.db);
    expect(moved).toEqual(await countChargeDayTotals(t.db));
    expect(moved.find((r) => r.date === before[0].date && r.status === "ready")).toMatchObject({
      charges: before[0].charges,
      cents: 12_345 * before[0].charges,
    });
    // A refresh of the month puts the rules' figures back (and writes the day of the mark inserted around the save above).
    await refreshCharges(t.db, w.site.id, { from: "2026-11-01", to: "2026-11-30" });
    const refreshed = await keptChargeDayTotals(t.db);
    expect(refreshed).toEqual(await countChargeDayTotals(t.db));
    expect(refreshed.every((r) => r.status === "held" && r.cents === 0)).toBe(true);
  });

  it("after a backup and a restore, the restored tallies equal the restored marks, even when the copy's tallies were wrong", async () => {
    // Bea's IOP authorization for the week of Nov 16: Monday's 180 minutes present are one day used.
    const bea = await authorizeWeek(t.db, w, w.bup);
    expect(await keptAuthorizationUse(t.db)).toEqual([{ authorizationId: bea, patientId: w.bup, used: 1 }]);
    // Spoil the kept tally of one session, the charges' day totals and the units used, before the backup: the restore must recompute them.
    await t.db.updateTable("session_tallies").set({ attended: 0 }).where("session_id", "=", monday).execute();
    const chargeTotals = await keptChargeDayTotals(t.db);
    await t.db.updateTable("charge_day_totals").set({ charges: 99 }).execute();
    await t.db.updateTable("authorization_use").set({ units_used: 99 }).execute();
    const backup = await run("scripts/backup.ts", ["--dir", join(dir, "backups")], { DATABASE_URL: t.url });
    expect(backup.code, backup.out).toBe(0);
    const file = readdirSync(join(dir, "backups")).find((f) => /\.(sqlite|dump)$/.test(f))!;
    const target = dialect === "sqlite" ? { url: `file:${join(dir, "restored.sqlite")}`, drop: async () => undefined } : await emptyDatabase(dialect);
    try {
      const restored = await run("scripts/restore.ts", [join(dir, "backups", file)], { DATABASE_URL: target.url });
      expect(restored.code, restored.out).toBe(0);
      const db = createDb(target.url);
      try {
        expect(await expectKeptEqualsRecount(db)).toEqual(sorted([tally(monday, "2026-11-16", 4, 4, 0, 0), tally(wednesday, "2026-11-18", 3, 2, 0, 1)]));
        expect(await keptChargeDayTotals(db)).toEqual(chargeTotals);
        expect(chargeTotals).toEqual(await countChargeDayTotals(db));
        expect(await keptAuthorizationUse(db)).toEqual([{ authorizationId: bea, patientId: w.bup, used: 1 }]);
        expect(await keptAuthorizationUse(db)).toEqual(await countAuthorizationUse(db));
      } finally {
        await db.destroy();
      }
    } finally {
      await target.drop();
    }
    await rebuildSessionTallies(t.db);
    await rebuildChargeDayTotals(t.db);
    await rebuildAuthorizationUse(t.db);
  }, 120_000); // a backup and a restore, each a process of its own
});

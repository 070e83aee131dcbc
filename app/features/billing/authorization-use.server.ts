/**
 * Kept figures (ARCHITECTURE rule 11, ADR 0007): each authorization's units used, one row per
 * authorization in `authorization_use` (migration 29). Home's utilization review, the program's
 * authorization list and the chart read the row instead of every attended day in the span, so a
 * whole-site page costs what its authorizations cost, not the site's months of attendance.
 *
 * What moves the figure, and who keeps it, each in the transaction of its write:
 * - a roll-call save changes one day of some patients: `keepRollCallDay` moves each authorization
 *   holding that day by the day's units after the save less its units before;
 * - a change of level (or a re-admission) moves which days count at which level, and an
 *   authorization's edit moves its span, level or unit: `refreshAuthorizationUse` recounts the
 *   patient's authorizations from their attended days.
 * `rebuildAuthorizationUse` recounts every row (after a restore or a bulk load); the tests prove the
 * kept rows equal `countAuthorizationUse`, the count from scratch by the same rule the chart always
 * used (`authorizationUse`).
 *
 * On PostgreSQL the patients' rows are locked first (in id order), so two saves touching one
 * patient's day cannot each count it without the other's marks; a SQLite write transaction already
 * holds the database's write lock from its start.
 */
import type { DB, Queryable } from "~/kernel/db";
import { dialectOf } from "#db/database";
import { attendedDays, levelsOf } from "./days.server";
import { isAttended } from "~/features/attendance/rules";
import { unitsOfDay, unitsUsed } from "./rules";
import type { LevelOfCare, UnitKind } from "#db/schema";

/** Patients per recount: each reads its patients' attended days across their authorizations' spans. */
const CHUNK = 200;

interface Span {
  id: string;
  patient_id: string;
  level_of_care: LevelOfCare;
  unit_kind: UnitKind;
  starts_on: string;
  ends_on: string;
}

async function lockPatients(db: Queryable, ids: readonly string[]) {
  if (dialectOf(db) !== "postgres" || !ids.length) return;
  await db
    .selectFrom("patients")
    .select("id")
    .where("id", "in", [...ids])
    .orderBy("id")
    .forUpdate()
    .execute();
}

const spans = (db: Queryable) => db.selectFrom("authorizations").select(["id", "patient_id", "level_of_care", "unit_kind", "starts_on", "ends_on"]);

/** Units used by each authorization, counted from its patient's attended days by the chart's rule (`unitsUsed`). */
async function count(db: Queryable, auths: Span[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  const byPatient = new Map<string, Span[]>();
  for (const a of auths) {
    const list = byPatient.get(a.patient_id);
    if (list) list.push(a);
    else byPatient.set(a.patient_id, [a]);
  }
  // Patients with spans close together share a read: sorted by their earliest start.
  const start = new Map([...byPatient].map(([id, list]) => [id, list.reduce((m, a) => (a.starts_on < m ? a.starts_on : m), "9999")]));
  const patients = [...byPatient.keys()].sort((x, y) => start.get(x)!.localeCompare(start.get(y)!) || x.localeCompare(y));
  for (let i = 0; i < patients.length; i += CHUNK) {
    const ids = patients.slice(i, i + CHUNK);
    const mine = ids.flatMap((id) => byPatient.get(id)!);
    const from = mine.reduce((m, a) => (a.starts_on < m ? a.starts_on : m), mine[0].starts_on);
    const to = mine.reduce((m, a) => (a.ends_on > m ? a.ends_on : m), mine[0].ends_on);
    const days = await attendedDays(db as DB, ids, from, to, { documented: false });
    for (const a of mine)
      out.set(a.id, unitsUsed({ level: a.level_of_care, unitKind: a.unit_kind, startsOn: a.starts_on, endsOn: a.ends_on }, days.get(a.patient_id) ?? []));
  }
  return out;
}

async function write(db: Queryable, auths: Span[], used: Map<string, number>) {
  for (let i = 0; i < auths.length; i += CHUNK)
    await db
      .insertInto("authorization_use")
      .values(auths.slice(i, i + CHUNK).map((a) => ({ authorization_id: a.id, patient_id: a.patient_id, units_used: used.get(a.id) ?? 0 })))
      .execute();
}

/** Recounts every authorization of some patients, in the transaction that changed their level or an authorization. */
export async function refreshAuthorizationUse(trx: Queryable, patientIds: readonly string[]) {
  const ids = [...new Set(patientIds)];
  if (!ids.length) return;
  await lockPatients(trx, ids);
  const auths = await spans(trx).where("patient_id", "in", ids).execute();
  const used = await count(trx, auths);
  await trx.deleteFrom("authorization_use").where("patient_id", "in", ids).execute();
  await write(trx, auths, used);
}

/** One patient's mark in a roll-call save: the attended minutes before and after (null when not attended). */
export interface DayChange {
  patientId: string;
  before: number | null;
  after: number | null;
}

/**
 * Moves the units used of the authorizations holding `date` for the patients whose attended minutes
 * the roll-call save just changed: by the day's units as the marks now stand, less its units with
 * this save's marks as they were. Read after the marks are written, in the save's transaction.
 */
export async function keepRollCallDay(trx: Queryable, date: string, changes: readonly DayChange[]) {
  if (!changes.length) return;
  const ids = [...new Set(changes.map((c) => c.patientId))];
  await lockPatients(trx, ids);
  const auths = await spans(trx).where("patient_id", "in", ids).where("starts_on", "<=", date).where("ends_on", ">=", date).execute();
  if (!auths.length) return;
  const held = [...new Set(auths.map((a) => a.patient_id))];
  const [marks, levelOf] = await Promise.all([
    trx.selectFrom("attendance").select(["patient_id", "status", "minutes"]).where("patient_id", "in", held).where("local_date", "=", date).execute(),
    levelsOf(trx as DB, held),
  ]);
  // The day as the marks now stand (attendedDays' figures for one date, without the notes).
  const days = new Map(held.map((id) => [id, { date, level: levelOf(id, date), minutes: 0, documentedMinutes: 0, sessions: 0 }]));
  for (const m of marks)
    if (isAttended(m.status)) {
      const day = days.get(m.patient_id)!;
      day.minutes += Number(m.minutes);
      day.sessions++;
    }
  const change = new Map(changes.map((c) => [c.patientId, c]));
  for (const a of auths) {
    const c = change.get(a.patient_id)!;
    const after = days.get(a.patient_id)!;
    const before = {
      ...after,
      minutes: after.minutes - (c.after ?? 0) + (c.before ?? 0),
      sessions: after.sessions - (c.after === null ? 0 : 1) + (c.before === null ? 0 : 1),
    };
    const span = { level: a.level_of_care, unitKind: a.unit_kind };
    const moved = unitsOfDay(span, after) - unitsOfDay(span, before);
    if (moved !== 0)
      await trx
        .updateTable("authorization_use")
        .set((eb) => ({ units_used: eb("units_used", "+", moved) }))
        .where("authorization_id", "=", a.id)
        .execute();
  }
}

/** Recounts every authorization's units used, in one transaction (after a restore or a bulk load). */
export async function rebuildAuthorizationUse(db: Queryable) {
  const run = async (trx: Queryable) => {
    const auths = await spans(trx).execute();
    const used = await count(trx, auths);
    await trx.deleteFrom("authorization_use").execute();
    await write(trx, auths, used);
  };
  if (db.isTransaction) await run(db);
  else await db.transaction().execute(run);
}

export interface KeptUse {
  authorizationId: string;
  patientId: string;
  used: number;
}
const byId = (a: KeptUse, b: KeptUse) => a.authorizationId.localeCompare(b.authorizationId);

/** Every kept row, sorted by authorization (for comparing with `countAuthorizationUse`). */
export async function keptAuthorizationUse(db: Queryable): Promise<KeptUse[]> {
  return (await db.selectFrom("authorization_use").selectAll().execute())
    .map((r) => ({ authorizationId: r.authorization_id, patientId: r.patient_id, used: Number(r.units_used) }))
    .sort(byId);
}

/** Every authorization's units used counted from the attended days now, sorted like `keptAuthorizationUse`. */
export async function countAuthorizationUse(db: Queryable): Promise<KeptUse[]> {
  const auths = await spans(db).execute();
  const used = await count(db, auths);
  return auths.map((a) => ({ authorizationId: a.id, patientId: a.patient_id, used: used.get(a.id) ?? 0 })).sort(byId);
}

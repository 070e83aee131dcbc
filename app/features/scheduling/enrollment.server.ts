/**
 * Who is on each session's roster. A patient in a track is enrolled in the future sessions of the
 * track's automatically-enrolling groups; moving tracks or discharge ends those future enrollments
 * (past ones stay, they are the attendance record's ground) and says which sessions were left.
 * Rosters never lose rows: leaving sets left_at.
 */
import { sql } from "kysely";
import type { DB, Trx } from "~/kernel/db";
import type { Actor } from "~/kernel/actor";
import { type Refusal, Refused, refusalAs409, type WriteResult } from "~/kernel/results";
import { recordAudit } from "~/features/audit/audit.server";
import { isAdolescent, OPEN_STATUSES } from "~/features/patients/rules";
import type { LevelOfCare } from "#db/schema";
import { newId } from "~/utils/ids";
import type { ClientMeta } from "~/utils/request.server";
import { overlaps, trackHoursMismatch } from "./rules";
import { startOfDayUtc, todayIn, addDays, longDate, instantRange, shortDate, type Weekday } from "~/kernel/time";

export interface SessionRef {
  id: string;
  title: string;
  local_date: string;
  starts_at: string;
  ends_at: string;
}

/** "Relapse prevention on Mon, Nov 30, 2026, 6:00–7:30 PM" */
export function describeSession(s: SessionRef, timeZone: string): string {
  return `${s.title} on ${longDate(s.local_date)}, ${instantRange(s.starts_at, s.ends_at, timeZone)}`;
}

/** A track row's weekly hours against a level of care (see trackHoursMismatch): the warning to confirm, or null. */
export function trackHoursWarning(track: { name: string; days: string; start_time: string; end_time: string }, level: LevelOfCare, adolescent: boolean) {
  return trackHoursMismatch(
    { name: track.name, days: JSON.parse(track.days) as Weekday[], startTime: track.start_time, endTime: track.end_time },
    level,
    adolescent,
  );
}

const patientName = (p: { legal_first_name: string; legal_last_name: string; preferred_name?: string | null }) =>
  `${p.preferred_name || p.legal_first_name} ${p.legal_last_name}`;

/**
 * Takes the row locks of sessions whose roster is about to change, so two people adding the last
 * patient to a full group cannot both succeed (PostgreSQL holds the lock to commit; SQLite has one writer).
 */
async function lockSessions(trx: Trx, ids: string[]) {
  for (let i = 0; i < ids.length; i += 500) {
    await trx
      .updateTable("sessions")
      .set({ capacity: sql`capacity` })
      .where("id", "in", ids.slice(i, i + 500))
      .execute();
  }
}

/** How many patients are on each session's roster now. */
async function rosterCounts(db: DB | Trx, sessionIds: string[]): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (let i = 0; i < sessionIds.length; i += 500) {
    const rows = await db
      .selectFrom("session_participants")
      .select(["session_id", (eb) => eb.fn.countAll<number>().as("n")])
      .where("session_id", "in", sessionIds.slice(i, i + 500))
      .where("left_at", "is", null)
      .groupBy("session_id")
      .execute();
    for (const r of rows) counts.set(r.session_id, Number(r.n));
  }
  return counts;
}

export interface ClashCheck {
  patientIds: string[];
  startsAt: string;
  endsAt: string;
  /** The session being checked, which never clashes with itself. */
  sessionId?: string;
}

/**
 * The first double-booking among checks (each: some patients at some time), named with the patient
 * and the session they are already on: the message a save is refused with. One query for all the
 * checks' patients over their whole span; each check is then matched only against its own patients.
 */
export async function patientClashes(
  db: DB | Trx,
  checks: ClashCheck[],
  timeZone: string,
  exclude: { sessionIds?: string[]; seriesId?: string } = {},
): Promise<string | null> {
  const live = checks.filter((c) => c.patientIds.length);
  if (!live.length) return null;
  const patientIds = [...new Set(live.flatMap((c) => c.patientIds))];
  const from = live.reduce((m, c) => (c.startsAt < m ? c.startsAt : m), live[0].startsAt);
  const until = live.reduce((m, c) => (c.endsAt > m ? c.endsAt : m), live[0].endsAt);
  const busy: {
    id: string;
    patient_id: string;
    title: string;
    local_date: string;
    starts_at: string;
    ends_at: string;
    legal_first_name: string;
    legal_last_name: string;
    preferred_name: string | null;
  }[] = [];
  for (let i = 0; i < patientIds.length; i += 500) {
    let q = db
      .selectFrom("session_participants as sp")
      .innerJoin("sessions as s", "s.id", "sp.session_id")
      .innerJoin("patients as p", "p.id", "sp.patient_id")
      .select(["s.id", "sp.patient_id", "s.title", "s.local_date", "s.starts_at", "s.ends_at", "p.legal_first_name", "p.legal_last_name", "p.preferred_name"])
      .where("sp.patient_id", "in", patientIds.slice(i, i + 500))
      .where("sp.left_at", "is", null)
      .where("s.status", "=", "scheduled")
      .where("s.starts_at", "<", until)
      .where("s.ends_at", ">", from);
    if (exclude.sessionIds?.length) q = q.where("s.id", "not in", exclude.sessionIds);
    if (exclude.seriesId) q = q.where((eb) => eb.or([eb("s.series_id", "is", null), eb("s.series_id", "!=", exclude.seriesId!)]));
    busy.push(...(await q.execute()));
  }
  busy.sort((x, y) => (x.starts_at < y.starts_at ? -1 : x.starts_at > y.starts_at ? 1 : 0));
  for (const c of live) {
    const mine = new Set(c.patientIds);
    const hit = busy.find((b) => mine.has(b.patient_id) && b.id !== c.sessionId && overlaps(c.startsAt, c.endsAt, b.starts_at, b.ends_at));
    if (hit) return `${patientName(hit)} is already booked for ${describeSession(hit, timeZone)}.`;
  }
  return null;
}

/** The first clash for the same patients at any of some times (see patientClashes). */
export function patientClash(
  db: DB | Trx,
  patientIds: string[],
  intervals: { startsAt: string; endsAt: string }[],
  timeZone: string,
  exclude: { sessionIds?: string[]; seriesId?: string } = {},
): Promise<string | null> {
  return patientClashes(
    db,
    intervals.map((i) => ({ patientIds, startsAt: i.startsAt, endsAt: i.endsAt })),
    timeZone,
    exclude,
  );
}

/** Adds patients to sessions' rosters (re-activating a roster row they had left). */
async function putOnRoster(trx: Trx, pairs: { sessionId: string; patientId: string }[], source: "track" | "added" | "booked", now: string) {
  if (!pairs.length) return;
  const sessionIds = [...new Set(pairs.map((p) => p.sessionId))];
  const patientIds = [...new Set(pairs.map((p) => p.patientId))];
  const existing = new Set<string>();
  for (let i = 0; i < sessionIds.length; i += 500) {
    const rows = await trx
      .selectFrom("session_participants")
      .select(["id", "session_id", "patient_id"])
      .where("session_id", "in", sessionIds.slice(i, i + 500))
      .where("patient_id", "in", patientIds)
      .execute();
    const wanted = new Set(pairs.map((p) => `${p.sessionId} ${p.patientId}`));
    const back = rows.filter((r) => wanted.has(`${r.session_id} ${r.patient_id}`));
    for (const r of back) existing.add(`${r.session_id} ${r.patient_id}`);
    // Rows they had left come back in one update.
    if (back.length)
      await trx
        .updateTable("session_participants")
        .set({ left_at: null, left_reason: null, joined_at: now, source })
        .where(
          "id",
          "in",
          back.map((r) => r.id),
        )
        .execute();
  }
  const fresh = pairs.filter((p) => !existing.has(`${p.sessionId} ${p.patientId}`));
  for (let i = 0; i < fresh.length; i += 200) {
    await trx
      .insertInto("session_participants")
      .values(
        fresh
          .slice(i, i + 200)
          .map((p) => ({ id: newId(), session_id: p.sessionId, patient_id: p.patientId, source, joined_at: now, left_at: null, left_reason: null })),
      )
      .execute();
  }
}

/** The scheduled group sessions a track's patients are enrolled in automatically, from an instant on. */
async function autoEnrollSessions(db: DB | Trx, q: { trackId: string; fromIso: string; seriesId?: string }) {
  let query = db
    .selectFrom("sessions as s")
    .innerJoin("group_series as g", "g.id", "s.series_id")
    .select(["s.id", "s.title", "s.local_date", "s.starts_at", "s.ends_at", "s.capacity"])
    .where("g.track_id", "=", q.trackId)
    .where("g.auto_enroll", "=", 1)
    .where("g.session_kind", "=", "group")
    .where("s.status", "=", "scheduled")
    .where("s.starts_at", ">=", q.fromIso);
  if (q.seriesId) query = query.where("g.id", "=", q.seriesId);
  return query.orderBy("s.starts_at").execute();
}

/**
 * Enrolls patients in sessions, refusing (with the session named) when a group would go over its
 * capacity or a patient would be double-booked. Returns the refusal, or null when done.
 */
export async function enrollInSessions(
  trx: Trx,
  patientIds: string[],
  sessions: (SessionRef & { capacity: number })[],
  source: "track" | "added",
  timeZone: string,
  now: string,
): Promise<string | null> {
  if (!patientIds.length || !sessions.length) return null;
  const sessionIds = sessions.map((s) => s.id);
  await lockSessions(trx, sessionIds);
  const known = await trx
    .selectFrom("session_participants")
    .select(["session_id", "patient_id", "left_at", "source"])
    .where("session_id", "in", sessionIds)
    .where("patient_id", "in", patientIds)
    .execute();
  // Those on the roster already do not join again; and someone taken off a session by hand stays
  // off when the track's enrollment runs again.
  const onRoster = new Set(
    known.filter((r) => r.left_at === null || (source === "track" && r.source === "removed")).map((r) => `${r.session_id} ${r.patient_id}`),
  );
  const counts = await rosterCounts(trx, sessionIds);
  const pairs: { sessionId: string; patientId: string }[] = [];
  for (const s of sessions) {
    const joining = patientIds.filter((p) => !onRoster.has(`${s.id} ${p}`));
    const total = (counts.get(s.id) ?? 0) + joining.length;
    if (total > Number(s.capacity)) {
      return `${describeSession(s, timeZone)} would have ${total} patients; it holds ${s.capacity}.`;
    }
    for (const p of joining) pairs.push({ sessionId: s.id, patientId: p });
  }
  // Each session checked for the patients joining it only.
  const checks = sessions.map((s) => ({
    patientIds: pairs.filter((p) => p.sessionId === s.id).map((p) => p.patientId),
    startsAt: s.starts_at,
    endsAt: s.ends_at,
  }));
  const clash = await patientClashes(trx, checks, timeZone, { sessionIds });
  if (clash) return clash;
  await putOnRoster(trx, pairs, source, now);
  return null;
}

/** Takes a patient off future sessions' rosters; only track enrollments when `trackOnly`. Returns the sessions left. */
export async function leaveFutureSessions(
  trx: Trx,
  patientId: string,
  q: { fromIso: string; trackOnly: boolean; reason: string; now: string },
): Promise<SessionRef[]> {
  let query = trx
    .selectFrom("session_participants as sp")
    .innerJoin("sessions as s", "s.id", "sp.session_id")
    .select(["sp.id as participant_id", "s.id", "s.title", "s.local_date", "s.starts_at", "s.ends_at"])
    .where("sp.patient_id", "=", patientId)
    .where("sp.left_at", "is", null)
    .where("s.status", "=", "scheduled")
    .where("s.starts_at", ">=", q.fromIso);
  if (q.trackOnly) query = query.where("sp.source", "=", "track");
  const rows = await query.orderBy("s.starts_at").execute();
  for (let i = 0; i < rows.length; i += 500) {
    await trx
      .updateTable("session_participants")
      .set({ left_at: q.now, left_reason: q.reason })
      .where(
        "id",
        "in",
        rows.slice(i, i + 500).map((r) => r.participant_id),
      )
      .execute();
  }
  return rows.map(({ participant_id: _, ...s }) => s);
}

/** The instant from which a dated change (track move, discharge) touches rosters: the start of that day, and never the past. */
function changeFrom(date: string, timeZone: string, now: Date): string {
  const startOfDay = startOfDayUtc(date, timeZone);
  const nowIso = now.toISOString();
  return startOfDay > nowIso ? startOfDay : nowIso;
}

/** Sessions left, as the short list a confirmation or audit record shows. */
export function leftSummary(left: SessionRef[], timeZone: string): string[] {
  return left.map((s) => describeSession(s, timeZone));
}

/**
 * Puts a patient in a track from a date (or moves them from their current one): closes the old
 * membership the day before, leaves the old track's future groups, and joins the new track's.
 * Refused when a new group is full or the patient is already booked at one of its times; and,
 * unless `confirmTrackHours`, when the track's weekly hours fall outside the patient's level of
 * care (400 with `trackHours`, the warning naming the hours; a confirmed choice is audited).
 */
export async function assignTrack(
  db: DB,
  actor: Actor,
  patientId: string,
  input: { trackId: string; effectiveOn: string; version: number; confirmTrackHours?: boolean },
  siteIds: string[],
  meta: ClientMeta,
  now = new Date(),
): Promise<WriteResult<{ left: string[]; joined: number }> | (Refusal & { trackHours: string })> {
  if (!siteIds.length || patientId.length > 64) return { ok: false, status: 404, formError: "There is no such patient at your sites." };
  const patient = await db
    .selectFrom("patients as p")
    .innerJoin("sites as s", "s.id", "p.site_id")
    .select(["p.id", "p.site_id", "p.status", "p.track_id", "p.version", "p.level_of_care", "p.date_of_birth", "s.time_zone"])
    .where("p.id", "=", patientId)
    .where("p.site_id", "in", siteIds)
    .executeTakeFirst();
  if (!patient) return { ok: false, status: 404, formError: "There is no such patient at your sites." };
  if (!(OPEN_STATUSES as string[]).includes(patient.status))
    return { ok: false, status: 400, formError: "A discharged patient cannot join a track. Re-admit them first." };
  const track = await db
    .selectFrom("tracks")
    .select(["id", "name", "active", "days", "start_time", "end_time"])
    .where("id", "=", input.trackId)
    .where("site_id", "=", patient.site_id)
    .executeTakeFirst();
  if (!track || !track.active) return { ok: false, status: 400, fieldErrors: { trackId: ["Choose an active track at the patient's site."] } };
  if (track.id === patient.track_id) return { ok: false, status: 400, fieldErrors: { trackId: [`The patient is already in ${track.name}.`] } };
  const current = await db
    .selectFrom("patient_tracks")
    .innerJoin("tracks", "tracks.id", "patient_tracks.track_id")
    .select(["patient_tracks.id", "patient_tracks.starts_on", "tracks.name"])
    .where("patient_id", "=", patientId)
    .where("ends_on", "is", null)
    .executeTakeFirst();
  if (current && input.effectiveOn < current.starts_on) {
    return {
      ok: false,
      status: 400,
      fieldErrors: { effectiveOn: [`The move cannot be before they joined ${current.name} (${shortDate(current.starts_on)}).`] },
    };
  }
  // The level they are at now, and their age on the day they join.
  const trackHours = trackHoursWarning(track, patient.level_of_care, isAdolescent(patient.date_of_birth, input.effectiveOn));
  if (trackHours && !input.confirmTrackHours)
    return { ok: false, status: 400, formError: `${trackHours} ${current ? "Move anyway?" : "Put them in it anyway?"}`, trackHours };
  const tz = patient.time_zone;
  const fromIso = changeFrom(input.effectiveOn, tz, now);
  const nowIso = now.toISOString();
  return db
    .transaction()
    .execute(async (trx) => {
      const claimed = await trx
        .updateTable("patients")
        .set({ track_id: track.id, updated_at: nowIso, version: sql`version + 1` })
        .where("id", "=", patientId)
        .where("version", "=", input.version)
        .executeTakeFirst();
      if (Number(claimed.numUpdatedRows) !== 1) {
        return {
          ok: false as const,
          status: 409 as const,
          formError: "Someone else changed this patient's record while you were working. Reload the page and try again.",
        };
      }
      if (current && current.starts_on === input.effectiveOn) {
        // Same day as the last move: a correction of that membership, not a new one (and of the reason the one before ended).
        await trx.updateTable("patient_tracks").set({ track_id: track.id }).where("id", "=", current.id).execute();
        await trx
          .updateTable("patient_tracks")
          .set({ end_reason: `Moved to ${track.name}` })
          .where("patient_id", "=", patientId)
          .where("ends_on", "=", addDays(input.effectiveOn, -1))
          .where("end_reason", "=", `Moved to ${current.name}`)
          .execute();
      } else {
        if (current)
          await trx
            .updateTable("patient_tracks")
            .set({ ends_on: addDays(input.effectiveOn, -1), end_reason: `Moved to ${track.name}` })
            .where("id", "=", current.id)
            .execute();
        await trx
          .insertInto("patient_tracks")
          .values({
            id: newId(),
            patient_id: patientId,
            track_id: track.id,
            starts_on: input.effectiveOn,
            ends_on: null,
            end_reason: null,
            created_by: actor.id,
            created_at: nowIso,
          })
          .execute();
      }
      const left = await leaveFutureSessions(trx, patientId, { fromIso, trackOnly: true, reason: `Moved to ${track.name}`, now: nowIso });
      const sessions = await autoEnrollSessions(trx, { trackId: track.id, fromIso });
      const refusal = await enrollInSessions(trx, [patientId], sessions, "track", tz, nowIso);
      if (refusal) throw new Refused(refusal);
      await recordAudit(trx, {
        actor,
        action: "patient.track_changed",
        entityType: "patient",
        entityId: patientId,
        patientId,
        siteId: patient.site_id,
        before: { track: current?.name ?? null },
        after: { track: track.name, effectiveOn: input.effectiveOn, ...(trackHours ? { trackHoursConfirmed: trackHours } : {}) },
        detail: { sessionsLeft: leftSummary(left, tz), sessionsJoined: sessions.length },
        meta,
      });
      return { ok: true as const, left: leftSummary(left, tz), joined: sessions.length };
    })
    .catch(refusalAs409);
}

/**
 * At discharge (inside its transaction): the track membership ends that day, the patient leaves
 * every future session (groups, individual and family) and their own future sessions are cancelled.
 */
export async function endEnrollmentsAtDischarge(trx: Trx, patientId: string, dischargedOn: string, now = new Date()) {
  const p = await trx
    .selectFrom("patients as p")
    .innerJoin("sites as s", "s.id", "p.site_id")
    .select(["s.time_zone"])
    .where("p.id", "=", patientId)
    .executeTakeFirstOrThrow();
  const nowIso = now.toISOString();
  const fromIso = changeFrom(addDays(dischargedOn, 1), p.time_zone, now);
  await trx
    .updateTable("patient_tracks")
    .set({ ends_on: dischargedOn, end_reason: "Discharged" })
    .where("patient_id", "=", patientId)
    .where("ends_on", "is", null)
    .execute();
  // Out of the track: a re-admission chooses one again.
  await trx.updateTable("patients").set({ track_id: null }).where("id", "=", patientId).execute();
  const left = await leaveFutureSessions(trx, patientId, {
    fromIso: todayIn(p.time_zone, now) < dischargedOn ? fromIso : nowIso,
    trackOnly: false,
    reason: "Discharged",
    now: nowIso,
  });
  const own = left.length
    ? await trx
        .selectFrom("sessions")
        .select("id")
        .where(
          "id",
          "in",
          left.map((s) => s.id),
        )
        .where("patient_id", "=", patientId)
        .execute()
    : [];
  if (own.length) {
    await trx
      .updateTable("sessions")
      .set({ status: "cancelled", cancel_reason: "Patient discharged", updated_at: nowIso, version: sql`version + 1` })
      .where(
        "id",
        "in",
        own.map((s) => s.id),
      )
      .execute();
  }
  await trx
    .updateTable("group_series")
    .set({ ends_on: dischargedOn, updated_at: nowIso })
    .where("patient_id", "=", patientId)
    .where((eb) => eb.or([eb("ends_on", "is", null), eb("ends_on", ">", dischargedOn)]))
    .execute();
  return { sessionsLeft: leftSummary(left, p.time_zone) };
}

/** Puts a new patient on the rosters of their track's groups from a date on (inside the intake transaction). */
export async function joinTrackGroups(trx: Trx, patientId: string, trackId: string, fromDate: string, now = new Date()): Promise<string | null> {
  const p = await trx
    .selectFrom("patients as p")
    .innerJoin("sites as s", "s.id", "p.site_id")
    .select(["s.time_zone"])
    .where("p.id", "=", patientId)
    .executeTakeFirstOrThrow();
  const sessions = await autoEnrollSessions(trx, { trackId, fromIso: changeFrom(fromDate, p.time_zone, now) });
  return enrollInSessions(trx, [patientId], sessions, "track", p.time_zone, now.toISOString());
}

/** The patients of a track who are enrolled in its groups automatically: those still in the program. */
export async function trackPatientIds(db: DB | Trx, trackId: string): Promise<string[]> {
  const rows = await db.selectFrom("patients").select("id").where("track_id", "=", trackId).where("status", "in", OPEN_STATUSES).execute();
  return rows.map((r) => r.id);
}

/** Enrolls a track's patients in a series' sessions from now on (a new series, or sessions added beyond the horizon). */
export async function enrollTrackInSeries(trx: Trx, seriesId: string, trackId: string, timeZone: string, now: Date): Promise<string | null> {
  const sessions = await autoEnrollSessions(trx, { trackId, fromIso: now.toISOString(), seriesId });
  const patients = await trackPatientIds(trx, trackId);
  return enrollInSessions(trx, patients, sessions, "track", timeZone, now.toISOString());
}

/** The roster of one session, names first, then those who left it. */
export async function roster(db: DB, sessionId: string) {
  const rows = await db
    .selectFrom("session_participants as sp")
    .innerJoin("patients as p", "p.id", "sp.patient_id")
    .select([
      "sp.id",
      "sp.patient_id",
      "sp.source",
      "sp.joined_at",
      "sp.left_at",
      "sp.left_reason",
      "p.mrn",
      "p.legal_first_name",
      "p.legal_last_name",
      "p.preferred_name",
      "p.status",
    ])
    .where("sp.session_id", "=", sessionId)
    .orderBy("p.legal_last_name")
    .orderBy("p.legal_first_name")
    .execute();
  const people = rows.map((r) => ({ ...r, name: `${r.legal_last_name}, ${r.legal_first_name}`, preferredName: r.preferred_name }));
  return { current: people.filter((r) => !r.left_at), left: people.filter((r) => r.left_at) };
}

/** Puts one patient on a session's roster by hand (a group they are not enrolled in through their track). */
export async function addToRoster(
  db: DB,
  actor: Actor,
  sessionId: string,
  patientId: string,
  site: { id: string; time_zone: string },
  meta: ClientMeta,
  now = new Date(),
): Promise<WriteResult> {
  const s = await db
    .selectFrom("sessions")
    .select(["id", "title", "local_date", "starts_at", "ends_at", "capacity", "status", "kind"])
    .where("id", "=", sessionId)
    .where("site_id", "=", site.id)
    .executeTakeFirst();
  if (!s) return { ok: false, status: 404, formError: "There is no such session at your site." };
  if (s.kind !== "group") return { ok: false, status: 400, formError: "Only group sessions take more patients." };
  if (s.status !== "scheduled") return { ok: false, status: 400, formError: "This session is cancelled." };
  if (s.ends_at <= now.toISOString()) return { ok: false, status: 400, formError: "This session is over; its roster can no longer change." };
  const p = await db
    .selectFrom("patients")
    .select(["id", "status", "legal_first_name", "legal_last_name", "preferred_name", "mrn"])
    .where("id", "=", patientId)
    .where("site_id", "=", site.id)
    .executeTakeFirst();
  if (!p) return { ok: false, status: 400, fieldErrors: { patientId: ["Choose a patient at this site."] } };
  if (!(OPEN_STATUSES as string[]).includes(p.status))
    return { ok: false, status: 400, fieldErrors: { patientId: [`${patientName(p)} is discharged and cannot be added.`] } };
  const nowIso = now.toISOString();
  return db
    .transaction()
    .execute(async (trx) => {
      const refusal = await enrollInSessions(trx, [patientId], [s], "added", site.time_zone, nowIso);
      if (refusal) throw new Refused(refusal);
      await recordAudit(trx, {
        actor,
        action: "session.patient_added",
        entityType: "session",
        entityId: sessionId,
        patientId,
        siteId: site.id,
        after: { patient: p.mrn },
        detail: { title: s.title, date: s.local_date },
        meta,
      });
      return { ok: true as const };
    })
    .catch(refusalAs409);
}

/** Takes one patient off one session's roster (kept, with who and why, as a left row). */
export async function removeFromRoster(
  db: DB,
  actor: Actor,
  sessionId: string,
  patientId: string,
  reason: string,
  site: { id: string },
  meta: ClientMeta,
  now = new Date(),
): Promise<WriteResult> {
  const row = await db
    .selectFrom("session_participants as sp")
    .innerJoin("sessions as s", "s.id", "sp.session_id")
    .innerJoin("patients as p", "p.id", "sp.patient_id")
    .select(["sp.id", "s.title", "s.local_date", "s.kind", "p.mrn"])
    .where("sp.session_id", "=", sessionId)
    .where("sp.patient_id", "=", patientId)
    .where("s.site_id", "=", site.id)
    .where("sp.left_at", "is", null)
    .executeTakeFirst();
  if (!row) return { ok: false, status: 404, formError: "That patient is not on this session's roster." };
  if (row.kind !== "group") return { ok: false, status: 400, formError: "Cancel an individual or family session instead of emptying its roster." };
  await db.transaction().execute(async (trx) => {
    // Marked "removed" so the track's automatic enrollment does not put them back.
    await trx
      .updateTable("session_participants")
      .set({ left_at: now.toISOString(), left_reason: reason, source: "removed" })
      .where("id", "=", row.id)
      .execute();
    await recordAudit(trx, {
      actor,
      action: "session.patient_removed",
      entityType: "session",
      entityId: sessionId,
      patientId,
      siteId: site.id,
      before: { patient: row.mrn },
      detail: { title: row.title, date: row.local_date, reason },
      meta,
    });
  });
  return { ok: true };
}

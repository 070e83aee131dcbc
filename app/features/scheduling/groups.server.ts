/**
 * Recurring group series and the sessions they generate. A series is written with all its
 * sessions up to the planning horizon in one transaction, after a set-based check that no room
 * or facilitator is double-booked and no group is bigger than its room.
 */
import { sql, type Updateable } from "kysely";
import type { SessionsTable } from "#db/schema";
import type { DB, Trx } from "~/kernel/db";
import type { Actor } from "~/kernel/actor";
import { Refused, refusalAs409, type WriteResult } from "~/kernel/results";
import { type AuditInput, recordAudit } from "~/features/audit/audit.server";
import { newId } from "~/utils/ids";
import type { ClientMeta } from "~/utils/request.server";
import { describeSession, enrollInSessions, enrollTrackInSeries, patientClash, patientClashes, trackPatientIds } from "./enrollment.server";
import { SESSION_NAMES, sessionsWithNames } from "./session-query.server";
import { facilitatorsAt } from "./facilitators.server";
import { expandWeekly, type Occurrence, overlaps, patternProblems } from "./rules";
import { GROUP_KINDS, type GroupKind, type Modality } from "./vocabulary";
import { WEEKDAYS, addDays, localTimeExists, longDate, todayIn, type Weekday, weekdayOf, zonedInstant, instantRange, clock12, shortDate } from "~/kernel/time";

/** How far ahead a series' sessions are written. */
export const PLANNING_HORIZON_WEEKS = 8;

export interface SeriesInput {
  title: string;
  kind: GroupKind;
  trackId?: string;
  facilitatorId: string;
  coFacilitatorId?: string;
  roomId?: string;
  modality: Modality;
  capacity: number;
  days: Weekday[];
  startTime: string;
  endTime: string;
  startsOn: string;
  endsOn?: string;
  /** Enroll the track's patients in every future session (default yes). */
  autoEnroll?: boolean;
}

interface Busy {
  id: string;
  title: string;
  local_date: string;
  starts_at: string;
  ends_at: string;
  room_id: string | null;
  facilitator_id: string;
  co_facilitator_id: string | null;
  room_name: string | null;
}

/** The first double-booking among planned occurrences, in words a scheduler can act on. */
function firstConflict(
  planned: Occurrence[],
  busy: Busy[],
  who: { roomId: string | null; roomName: string | null; people: { id: string; name: string }[] },
  timeZone: string,
): string | null {
  for (const o of planned) {
    for (const b of busy) {
      if (!overlaps(o.startsAt, o.endsAt, b.starts_at, b.ends_at)) continue;
      const when = `${longDate(b.local_date)}, ${instantRange(b.starts_at, b.ends_at, timeZone)}`;
      if (who.roomId && b.room_id === who.roomId) return `${who.roomName} is already booked for ${b.title} on ${when}.`;
      const person = who.people.find((p) => p.id === b.facilitator_id || p.id === b.co_facilitator_id);
      if (person) return `${person.name} already facilitates ${b.title} on ${when}.`;
    }
  }
  return null;
}

const SESSION_MAX_MS = 26 * 3600_000;

/** Scheduled sessions in a time span that use a room or any of some people. */
async function findBusy(
  db: DB,
  q: { from: string; until: string; roomId: string | null; personIds: string[]; excludeId?: string; excludeSeriesId?: string },
): Promise<Busy[]> {
  let query = db
    .selectFrom("sessions")
    .leftJoin("rooms", "rooms.id", "sessions.room_id")
    .select([
      "sessions.id",
      "sessions.title",
      "sessions.local_date",
      "sessions.starts_at",
      "sessions.ends_at",
      "sessions.room_id",
      "sessions.facilitator_id",
      "sessions.co_facilitator_id",
      "rooms.name as room_name",
    ])
    .where("sessions.status", "=", "scheduled")
    .where("sessions.starts_at", "<", q.until)
    // A session lasts under a day (one local date, a DST hour at most), so one that overlaps
    // starts after this: the bound turns a scan of all history into a range on the time indexes.
    .where("sessions.starts_at", ">", new Date(Date.parse(q.from) - SESSION_MAX_MS).toISOString())
    .where("sessions.ends_at", ">", q.from)
    .where((eb) =>
      eb.or([
        ...(q.roomId ? [eb("sessions.room_id", "=", q.roomId)] : []),
        eb("sessions.facilitator_id", "in", q.personIds),
        eb("sessions.co_facilitator_id", "in", q.personIds),
      ]),
    );
  if (q.excludeId) query = query.where("sessions.id", "!=", q.excludeId);
  if (q.excludeSeriesId) query = query.where((eb) => eb.or([eb("sessions.series_id", "is", null), eb("sessions.series_id", "!=", q.excludeSeriesId!)]));
  return query.orderBy("sessions.starts_at").execute();
}

/** What each session of a series copies from it; the rest is the occurrence's own. */
type SeriesSession = Pick<
  SessionsTable,
  | "site_id"
  | "series_id"
  | "kind"
  | "group_kind"
  | "title"
  | "track_id"
  | "facilitator_id"
  | "co_facilitator_id"
  | "room_id"
  | "modality"
  | "capacity"
  | "patient_id"
  | "approach"
  | "family_members"
>;

/** The columns of a group series that its form sets (all but its first date, which only a new series has). */
function seriesColumns(input: Omit<SeriesInput, "startsOn">, days: Weekday[], trackId: string | null, room: { id: string } | null) {
  return {
    title: input.title,
    kind: input.kind,
    track_id: trackId,
    facilitator_id: input.facilitatorId,
    co_facilitator_id: input.coFacilitatorId ?? null,
    room_id: room?.id ?? null,
    modality: input.modality,
    capacity: input.capacity,
    days: JSON.stringify(days),
    start_time: input.startTime,
    end_time: input.endTime,
    ends_on: input.endsOn ?? null,
    auto_enroll: input.autoEnroll ? 1 : 0,
  };
}

/**
 * The first double-booking of a series' room or facilitators at some planned occurrences, as the
 * refusal says it; an edit (`seriesId`) is not in the way of its own sessions.
 */
async function seriesConflict(
  db: DB,
  planned: Occurrence[],
  series: {
    input: Pick<SeriesInput, "facilitatorId" | "coFacilitatorId">;
    room: { id: string; name: string } | null;
    people: { id: string; name: string }[];
    seriesId?: string;
  },
  timeZone: string,
): Promise<string | null> {
  const { input, room, people } = series;
  const personIds = [input.facilitatorId, ...(input.coFacilitatorId ? [input.coFacilitatorId] : [])];
  const busy = await findBusy(db, {
    from: planned[0].startsAt,
    until: planned[planned.length - 1].endsAt,
    roomId: room?.id ?? null,
    personIds,
    excludeSeriesId: series.seriesId,
  });
  const conflict = firstConflict(planned, busy, { roomId: room?.id ?? null, roomName: room?.name ?? null, people }, timeZone);
  return conflict ? `${conflict} Choose another time, room or facilitator.` : null;
}

/** What the sessions of a group series copy from its columns; an edit of the series rewrites these on its future sessions. */
function copyOfGroup(series: ReturnType<typeof seriesColumns>) {
  const { title, kind, track_id, facilitator_id, co_facilitator_id, room_id, modality, capacity } = series;
  return { title, group_kind: kind, track_id, facilitator_id, co_facilitator_id, room_id, modality, capacity };
}

/** A session of a group series: at its site, of that series, and for no one patient. */
const groupSession = (siteId: string, seriesId: string, copy: ReturnType<typeof copyOfGroup>): SeriesSession => ({
  site_id: siteId,
  series_id: seriesId,
  kind: "group",
  ...copy,
  patient_id: null,
  approach: null,
  family_members: null,
});

/** One scheduled session per occurrence of a series. */
function sessionRows(series: SeriesSession, occurrences: Occurrence[], now: string) {
  return occurrences.map((o) => ({
    id: newId(),
    ...series,
    local_date: o.date,
    starts_at: o.startsAt,
    ends_at: o.endsAt,
    status: "scheduled" as const,
    cancel_reason: null,
    created_at: now,
    updated_at: now,
  }));
}

/** Writes sessions in batches small enough for either database's parameter limit. */
async function insertSessions(trx: Trx, rows: ReturnType<typeof sessionRows>) {
  for (let i = 0; i < rows.length; i += 200) {
    await trx
      .insertInto("sessions")
      .values(rows.slice(i, i + 200))
      .execute();
  }
}

/** The people, track and room a series names, each checked against the site; or the field to fix. */
async function checkSeriesParts(
  db: DB,
  siteId: string,
  input: Pick<SeriesInput, "facilitatorId" | "coFacilitatorId" | "trackId" | "roomId" | "modality" | "capacity">,
) {
  type Refusal = { ok: false; status: 400; fieldErrors: Record<string, string[]> };
  const refuse = (field: string, message: string): Refusal => ({ ok: false, status: 400, fieldErrors: { [field]: [message] } });
  const people = await facilitatorsAt(db, siteId, [input.facilitatorId, input.coFacilitatorId ?? input.facilitatorId]);
  if (!people.some((p) => p.id === input.facilitatorId)) return refuse("facilitatorId", "Choose a counselor or admin who works at this site.");
  if (input.coFacilitatorId) {
    if (input.coFacilitatorId === input.facilitatorId) return refuse("coFacilitatorId", "The co-facilitator must be someone else.");
    if (!people.some((p) => p.id === input.coFacilitatorId)) return refuse("coFacilitatorId", "Choose a counselor or admin who works at this site.");
  }
  let trackId: string | null = null;
  if (input.trackId) {
    const track = await db.selectFrom("tracks").select(["id", "active"]).where("id", "=", input.trackId).where("site_id", "=", siteId).executeTakeFirst();
    if (!track || !track.active) return refuse("trackId", "Choose an active track at this site.");
    trackId = track.id;
  }
  let room: { id: string; name: string; capacity: number } | null = null;
  if (input.modality !== "telehealth") {
    if (!input.roomId) return refuse("roomId", "Choose a room: in-person and hybrid groups need one.");
    const r = await db
      .selectFrom("rooms")
      .select(["id", "name", "capacity", "active"])
      .where("id", "=", input.roomId)
      .where("site_id", "=", siteId)
      .executeTakeFirst();
    if (!r || !r.active) return refuse("roomId", "Choose an active room at this site.");
    if (input.capacity > r.capacity) {
      return refuse("capacity", `${r.name} holds ${r.capacity}; a group of ${input.capacity} would not fit.`);
    }
    room = { id: r.id, name: r.name, capacity: Number(r.capacity) };
  }

  return { ok: true as const, people, trackId, room };
}

export async function createSeries(
  db: DB,
  actor: Actor,
  site: { id: string; time_zone: string },
  input: SeriesInput,
  meta: ClientMeta,
  options: { horizonWeeks?: number; today?: string } = {},
): Promise<WriteResult<{ id: string; sessions: number; enrolled: number }>> {
  const tz = site.time_zone;
  const days = [...new Set(input.days)].sort((a, b) => WEEKDAYS.indexOf(a) - WEEKDAYS.indexOf(b));
  const pattern = { days, startTime: input.startTime, endTime: input.endTime, startsOn: input.startsOn, endsOn: input.endsOn ?? null };
  const problems = Object.entries(patternProblems(pattern, tz)).filter(([, v]) => v);
  if (problems.length) return { ok: false, status: 400, fieldErrors: Object.fromEntries(problems.map(([k, v]) => [k, [v as string]])) };

  const parts = await checkSeriesParts(db, site.id, input);
  if (!parts.ok) return parts;
  const { trackId, room } = parts;

  const today = options.today ?? todayIn(tz);
  const horizonEnd = addDays(today, 7 * (options.horizonWeeks ?? PLANNING_HORIZON_WEEKS));
  const to = input.endsOn && input.endsOn < horizonEnd ? input.endsOn : horizonEnd;
  const { occurrences } = expandWeekly(pattern, input.startsOn, to, tz);
  if (!occurrences.length)
    return { ok: false, status: 400, fieldErrors: { startsOn: ["No sessions fall between the start and end dates on the chosen days."] } };

  const conflict = await seriesConflict(db, occurrences, { ...parts, input }, tz);
  if (conflict) return { ok: false, status: 409, formError: conflict };

  const id = newId();
  const now = new Date().toISOString();
  const autoEnroll = input.autoEnroll ?? true;
  const columns = seriesColumns({ ...input, autoEnroll }, days, trackId, room);
  let enrolled = 0;
  const saved = await db
    .transaction()
    .execute(async (trx) => {
      await trx
        .insertInto("group_series")
        .values({
          id,
          site_id: site.id,
          ...columns,
          starts_on: input.startsOn,
          created_at: now,
          updated_at: now,
        })
        .execute();
      await insertSessions(trx, sessionRows(groupSession(site.id, id, copyOfGroup(columns)), occurrences, now));
      await recordAudit(trx, {
        actor,
        action: "group_series.created",
        entityType: "group_series",
        entityId: id,
        siteId: site.id,
        after: {
          title: input.title,
          kind: input.kind,
          days,
          startTime: input.startTime,
          endTime: input.endTime,
          startsOn: input.startsOn,
          endsOn: input.endsOn ?? null,
          roomId: room?.id ?? null,
          facilitatorId: input.facilitatorId,
          capacity: input.capacity,
        },
        detail: { sessionsCreated: occurrences.length, through: to },
        meta,
      });
      if (trackId && autoEnroll) {
        const refusal = await enrollTrackInSeries(trx, id, trackId, tz, new Date(now));
        if (refusal) throw new Refused(`${refusal} Change the time or the capacity, or turn off automatic enrollment and build the roster by hand.`);
        enrolled = (await trackPatientIds(trx, trackId)).length;
      }
      return true as const;
    })
    .catch((e) => {
      if (e instanceof Refused) return e.message;
      throw e;
    });
  if (typeof saved === "string") return { ok: false, status: 409, formError: saved };
  return { ok: true, id, sessions: occurrences.length, enrolled };
}

/**
 * Series with the names pages show beside them, as `sessionsWithNames` for sessions: the series is
 * `g`; its track `t`, room `r`, facilitator `f` and co-facilitator `cf`.
 */
function seriesWithNames(db: DB) {
  return db
    .selectFrom("group_series as g")
    .leftJoin("tracks as t", "t.id", "g.track_id")
    .leftJoin("rooms as r", "r.id", "g.room_id")
    .innerJoin("users as f", "f.id", "g.facilitator_id")
    .leftJoin("users as cf", "cf.id", "g.co_facilitator_id");
}

export async function listSeries(db: DB, siteId: string) {
  const rows = await seriesWithNames(db)
    .select([
      "g.id",
      "g.title",
      "g.kind",
      "g.days",
      "g.start_time",
      "g.end_time",
      "g.starts_on",
      "g.ends_on",
      "g.modality",
      "g.capacity",
      "t.name as track_name",
      "r.name as room_name",
      "f.name as facilitator_name",
    ])
    .where("g.site_id", "=", siteId)
    .where("g.session_kind", "=", "group")
    .orderBy("t.name")
    .orderBy("g.start_time")
    .execute();
  return rows.map((r) => ({ ...r, days: JSON.parse(r.days) as Weekday[], kindLabel: GROUP_KINDS[r.kind as GroupKind] ?? r.kind }));
}

/** One session with the names its page shows; null when it is not at the given site. */
export async function getSession(db: DB, id: string, siteId: string) {
  if (id.length > 64) return null;
  const s = await sessionsWithNames(db).selectAll("s").select(SESSION_NAMES).where("s.id", "=", id).where("s.site_id", "=", siteId).executeTakeFirst();
  return s ? { ...s, version: Number(s.version) } : null;
}

const STALE_SESSION = "Someone else changed this session while you were working. Reload to see their change.";

/**
 * Writes a change to one session, with its audit record in the same transaction, only if nobody
 * changed the session since the version the form was read at; refused as stale otherwise.
 */
function changeSession(
  db: DB,
  session: { id: string; version: number },
  changes: Updateable<SessionsTable>,
  audit: Omit<AuditInput, "entityType" | "entityId">,
): Promise<WriteResult> {
  return db.transaction().execute(async (trx) => {
    const res = await trx
      .updateTable("sessions")
      .set({ ...changes, updated_at: new Date().toISOString(), version: sql`version + 1` })
      .where("id", "=", session.id)
      .where("version", "=", session.version)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) return { ok: false as const, status: 409 as const, formError: STALE_SESSION };
    await recordAudit(trx, { ...audit, entityType: "session", entityId: session.id });
    return { ok: true as const };
  });
}

/** Cancels one occurrence, keeping the rest of its series as it is. */
export async function cancelSession(
  db: DB,
  actor: Actor,
  id: string,
  input: { version: number; reason: string },
  siteId: string,
  meta: ClientMeta,
): Promise<WriteResult> {
  const s = await getSession(db, id, siteId);
  if (!s) return { ok: false, status: 404, formError: "There is no such session at your site." };
  if (s.status === "cancelled") return { ok: false, status: 400, formError: "This session is already cancelled." };
  const marked = await db.selectFrom("attendance").select("id").where("session_id", "=", id).limit(1).executeTakeFirst();
  if (marked)
    return { ok: false, status: 400, formError: "Roll has been taken for this session, so it happened: correct the attendance instead of cancelling it." };
  return changeSession(
    db,
    { id, version: input.version },
    { status: "cancelled", cancel_reason: input.reason },
    {
      actor,
      action: "session.cancelled",
      siteId,
      before: { status: s.status },
      after: { status: "cancelled", reason: input.reason },
      detail: { title: s.title, date: s.local_date },
      meta,
    },
  );
}

/** Moves one occurrence to another date, time or room, after the same clash checks as a new series. */
export async function moveSession(
  db: DB,
  actor: Actor,
  id: string,
  input: { version: number; date: string; startTime: string; endTime: string; roomId?: string },
  site: { id: string; time_zone: string },
  meta: ClientMeta,
): Promise<WriteResult> {
  const s = await getSession(db, id, site.id);
  if (!s) return { ok: false, status: 404, formError: "There is no such session at your site." };
  if (s.status === "cancelled") return { ok: false, status: 400, formError: "A cancelled session cannot be moved." };
  for (const [field, time] of [
    ["startTime", input.startTime],
    ["endTime", input.endTime],
  ] as const) {
    if (!localTimeExists(input.date, time, site.time_zone)) {
      return {
        ok: false,
        status: 400,
        fieldErrors: { [field]: [`${clock12(time)} does not exist on ${longDate(input.date)} in ${site.time_zone} (the clocks change).`] },
      };
    }
  }
  if (s.series_id && input.date !== s.local_date) {
    const twin = await db.selectFrom("sessions").select("id").where("series_id", "=", s.series_id).where("local_date", "=", input.date).executeTakeFirst();
    if (twin)
      return { ok: false, status: 409, fieldErrors: { date: [`${s.title} already meets on ${longDate(input.date)}; move it to a day it does not meet.`] } };
  }
  const startsAt = zonedInstant(input.date, input.startTime, site.time_zone);
  const endsAt = zonedInstant(input.date, input.endTime, site.time_zone);
  let room: { id: string; name: string; capacity: number } | null = null;
  if (s.modality !== "telehealth") {
    const roomId = input.roomId ?? s.room_id;
    const r = roomId
      ? await db.selectFrom("rooms").select(["id", "name", "capacity", "active"]).where("id", "=", roomId).where("site_id", "=", site.id).executeTakeFirst()
      : undefined;
    if (!r || !r.active) return { ok: false, status: 400, fieldErrors: { roomId: ["Choose an active room at this site."] } };
    if (Number(s.capacity) > Number(r.capacity))
      return { ok: false, status: 400, fieldErrors: { roomId: [`${r.name} holds ${r.capacity}; this group is for ${s.capacity}.`] } };
    room = { id: r.id, name: r.name, capacity: Number(r.capacity) };
  }
  const personIds = [s.facilitator_id, ...(s.co_facilitator_id ? [s.co_facilitator_id] : [])];
  const busy = await findBusy(db, { from: startsAt, until: endsAt, roomId: room?.id ?? null, personIds, excludeId: id });
  const people = [
    { id: s.facilitator_id, name: s.facilitator_name },
    ...(s.co_facilitator_id ? [{ id: s.co_facilitator_id, name: s.co_facilitator_name ?? "The co-facilitator" }] : []),
  ];
  const conflict = firstConflict(
    [{ date: input.date, startsAt, endsAt }],
    busy,
    { roomId: room?.id ?? null, roomName: room?.name ?? null, people },
    site.time_zone,
  );
  if (conflict) return { ok: false, status: 409, formError: conflict };
  // Everyone on the roster must be free at the new time too.
  const onRoster = await db.selectFrom("session_participants").select("patient_id").where("session_id", "=", id).where("left_at", "is", null).execute();
  const patientConflict = await patientClash(
    db,
    onRoster.map((r) => r.patient_id),
    [{ startsAt, endsAt }],
    site.time_zone,
    { sessionIds: [id] },
  );
  if (patientConflict) return { ok: false, status: 409, formError: patientConflict };
  return changeSession(
    db,
    { id, version: input.version },
    { local_date: input.date, starts_at: startsAt, ends_at: endsAt, room_id: room?.id ?? null },
    {
      actor,
      action: "session.moved",
      siteId: site.id,
      before: { date: s.local_date, startsAt: s.starts_at, endsAt: s.ends_at, roomId: s.room_id },
      after: { date: input.date, startsAt, endsAt, roomId: room?.id ?? null },
      detail: { title: s.title },
      meta,
    },
  );
}

/** One group series with what its page shows; null when it is not a group at the site. */
export async function getSeries(db: DB, id: string, siteId: string) {
  if (id.length > 64) return null;
  const g = await seriesWithNames(db)
    .selectAll("g")
    .select(["t.name as track_name"])
    .where("g.id", "=", id)
    .where("g.site_id", "=", siteId)
    .where("g.session_kind", "=", "group")
    .executeTakeFirst();
  return g ? { ...g, days: JSON.parse(g.days) as Weekday[], version: Number(g.version), autoEnroll: Boolean(g.auto_enroll) } : null;
}

/** The series' sessions from an instant on, with how many patients each has. */
export async function seriesSessionsFrom(db: DB, seriesId: string, fromIso: string) {
  const rows = await db
    .selectFrom("sessions as s")
    .leftJoin("rooms as r", "r.id", "s.room_id")
    .select((eb) => [
      "s.id",
      "s.local_date",
      "s.starts_at",
      "s.ends_at",
      "s.status",
      "s.capacity",
      "s.version",
      "r.name as room_name",
      eb
        .selectFrom("session_participants as sp")
        .select((e) => e.fn.countAll<number>().as("n"))
        .whereRef("sp.session_id", "=", "s.id")
        .where("sp.left_at", "is", null)
        .as("patients"),
    ])
    .where("s.series_id", "=", seriesId)
    .where("s.ends_at", ">", fromIso)
    .orderBy("s.starts_at")
    .execute();
  return rows.map((r) => ({ ...r, patients: Number(r.patients ?? 0), version: Number(r.version) }));
}

export type SeriesUpdate = Omit<SeriesInput, "startsOn"> & { version: number; autoEnroll: boolean };

/**
 * Changes a series from now on. Sessions already held keep what they were; a future session that
 * was moved or cancelled on its own keeps that; the other future sessions take the new pattern
 * (updated in place where the day is kept, so rosters stay, added or removed where days change).
 * Refused, with the clash named, on the same checks as a new series, and when the rosters already
 * on a session would not fit the new capacity or a patient on it would be double-booked.
 */
export async function updateSeries(
  db: DB,
  actor: Actor,
  id: string,
  input: SeriesUpdate,
  site: { id: string; time_zone: string },
  meta: ClientMeta,
  options: { horizonWeeks?: number; now?: Date } = {},
): Promise<WriteResult<{ updated: number; added: number; removed: number }>> {
  const tz = site.time_zone;
  const current = await getSeries(db, id, site.id);
  if (!current) return { ok: false, status: 404, formError: "There is no such group at your site." };
  if (current.version !== input.version) return { ok: false, status: 409, formError: STALE_SERIES };
  const now = options.now ?? new Date();
  const nowIso = now.toISOString();
  const today = todayIn(tz, now);
  const days = [...new Set(input.days)].sort((a, b) => WEEKDAYS.indexOf(a) - WEEKDAYS.indexOf(b));
  const startsOn = current.starts_on > today ? current.starts_on : today;
  const pattern = { days, startTime: input.startTime, endTime: input.endTime, startsOn, endsOn: input.endsOn ?? null };
  if (input.endsOn && input.endsOn < current.starts_on)
    return { ok: false, status: 400, fieldErrors: { endsOn: [`The last date cannot be before the first (${shortDate(current.starts_on)}).`] } };
  const problems = Object.entries(patternProblems({ ...pattern, endsOn: pattern.endsOn && pattern.endsOn < startsOn ? startsOn : pattern.endsOn }, tz)).filter(
    ([, v]) => v,
  );
  if (problems.length) return { ok: false, status: 400, fieldErrors: Object.fromEntries(problems.map(([k, v]) => [k, [v as string]])) };
  const parts = await checkSeriesParts(db, site.id, input);
  if (!parts.ok) return parts;
  const { trackId, room } = parts;

  // The sessions this edit may rewrite: future, still scheduled, never changed on their own.
  // Read from the first day the edit applies, so a session already under way today is seen (and kept).
  const upcoming = await db
    .selectFrom("sessions")
    .select(["id", "local_date", "starts_at", "ends_at", "status", "version"])
    .where("series_id", "=", id)
    .where("local_date", ">=", startsOn)
    .execute();
  const future = upcoming.filter((s) => s.starts_at > nowIso);
  const begun = new Set(upcoming.filter((s) => s.starts_at <= nowIso).map((s) => s.local_date));
  const own = new Map(future.filter((s) => s.status === "scheduled" && Number(s.version) === 1).map((s) => [s.local_date, s]));
  const exceptions = new Set(future.filter((s) => !own.has(s.local_date)).map((s) => s.local_date));
  // A day the group keeps meeting on, inside the range already written, with no session left on it:
  // that occurrence was moved to another date on its own, so the edit does not write it again.
  const lastWritten = upcoming.reduce<string | null>((m, s) => (m === null || s.local_date > m ? s.local_date : m), null);
  const movedAway = (date: string) => lastWritten !== null && date <= lastWritten && current.days.includes(weekdayOf(date)) && !own.has(date);
  const lastKnown = future.reduce((m, s) => (s.local_date > m ? s.local_date : m), addDays(today, 7 * (options.horizonWeeks ?? PLANNING_HORIZON_WEEKS)));
  const to = input.endsOn && input.endsOn < lastKnown ? input.endsOn : lastKnown;
  const pending =
    input.endsOn && input.endsOn < startsOn
      ? []
      : expandWeekly(pattern, startsOn, to, tz).occurrences.filter((o) => !exceptions.has(o.date) && !begun.has(o.date));
  // A session whose new time today has already passed is left as it is rather than removed.
  const patternDates = new Set(pending.map((o) => o.date));
  const planned = pending.filter((o) => o.startsAt > nowIso && !movedAway(o.date));
  const toUpdate = planned.filter((o) => own.has(o.date));
  const toAdd = planned.filter((o) => !own.has(o.date));
  const toRemove = [...own.values()].filter((s) => !patternDates.has(s.local_date));

  if (planned.length) {
    const conflict = await seriesConflict(db, planned, { ...parts, input, seriesId: id }, tz);
    if (conflict) return { ok: false, status: 409, formError: conflict };
  }

  const columns = seriesColumns(input, days, trackId, room);
  const result = await db
    .transaction()
    .execute(async (trx) => {
      const claimed = await trx
        .updateTable("group_series")
        .set({ ...columns, updated_at: nowIso, version: sql`version + 1` })
        .where("id", "=", id)
        .where("version", "=", input.version)
        .executeTakeFirst();
      if (Number(claimed.numUpdatedRows) !== 1) throw new Refused(STALE_SERIES);

      const copy = copyOfGroup(columns);
      for (const o of toUpdate) {
        const s = own.get(o.date)!;
        await trx
          .updateTable("sessions")
          .set({ ...copy, updated_at: nowIso, starts_at: o.startsAt, ends_at: o.endsAt })
          .where("id", "=", s.id)
          .execute();
      }
      if (toRemove.length) {
        const ids = toRemove.map((s) => s.id);
        await trx.deleteFrom("session_participants").where("session_id", "in", ids).execute();
        await trx.deleteFrom("sessions").where("id", "in", ids).execute();
      }
      await insertSessions(trx, sessionRows(groupSession(site.id, id, copy), toAdd, nowIso));

      // Rosters follow the track: leave when the track changes or enrollment is turned off, join when on.
      const rewritten = await trx
        .selectFrom("sessions")
        .select(["id", "title", "local_date", "starts_at", "ends_at", "capacity"])
        .where("series_id", "=", id)
        .where("starts_at", ">", nowIso)
        .where("status", "=", "scheduled")
        .orderBy("starts_at")
        .execute();
      const rewrittenIds = rewritten.map((s) => s.id);
      if (rewrittenIds.length && (current.track_id !== trackId || !input.autoEnroll)) {
        await trx
          .updateTable("session_participants")
          .set({ left_at: nowIso, left_reason: "Group's track or enrollment changed" })
          .where("session_id", "in", rewrittenIds)
          .where("source", "=", "track")
          .where("left_at", "is", null)
          .execute();
      }
      // The rosters already on the rewritten sessions must fit the new capacity and be free at the new times.
      const onRoster = new Map<string, string[]>();
      for (let i = 0; i < rewrittenIds.length; i += 500) {
        const rows = await trx
          .selectFrom("session_participants")
          .select(["session_id", "patient_id"])
          .where("session_id", "in", rewrittenIds.slice(i, i + 500))
          .where("left_at", "is", null)
          .execute();
        for (const r of rows) onRoster.set(r.session_id, [...(onRoster.get(r.session_id) ?? []), r.patient_id]);
      }
      for (const s of rewritten) {
        const n = onRoster.get(s.id)?.length ?? 0;
        if (n > input.capacity) throw new Refused(`${describeSession(s, tz)} already has ${n} patients; a capacity of ${input.capacity} would not hold them.`);
      }
      const clash = await patientClashes(
        trx,
        rewritten.map((s) => ({ patientIds: onRoster.get(s.id) ?? [], startsAt: s.starts_at, endsAt: s.ends_at, sessionId: s.id })),
        tz,
      );
      if (clash) throw new Refused(clash);
      if (trackId && input.autoEnroll) {
        const refusal = await enrollTrackInSeries(trx, id, trackId, tz, now);
        if (refusal) throw new Refused(refusal);
      }
      await recordAudit(trx, {
        actor,
        action: "group_series.updated",
        entityType: "group_series",
        entityId: id,
        siteId: site.id,
        before: {
          title: current.title,
          kind: current.kind,
          trackId: current.track_id,
          days: current.days,
          startTime: current.start_time,
          endTime: current.end_time,
          endsOn: current.ends_on,
          roomId: current.room_id,
          facilitatorId: current.facilitator_id,
          coFacilitatorId: current.co_facilitator_id,
          capacity: current.capacity,
          modality: current.modality,
          autoEnroll: current.autoEnroll,
        },
        after: {
          title: input.title,
          kind: input.kind,
          trackId,
          days,
          startTime: input.startTime,
          endTime: input.endTime,
          endsOn: input.endsOn ?? null,
          roomId: room?.id ?? null,
          facilitatorId: input.facilitatorId,
          coFacilitatorId: input.coFacilitatorId ?? null,
          capacity: input.capacity,
          modality: input.modality,
          autoEnroll: input.autoEnroll,
        },
        detail: {
          fromNow: nowIso,
          sessionsUpdated: toUpdate.length,
          sessionsAdded: toAdd.length,
          sessionsRemoved: toRemove.map((s) => s.local_date),
          keptAsChanged: [...exceptions],
        },
        meta,
      });
      return { ok: true as const, updated: toUpdate.length, added: toAdd.length, removed: toRemove.length };
    })
    .catch(refusalAs409);
  return result;
}

const STALE_SERIES =
  "Someone else changed this group while you were working. Your changes were not saved: reload the page to see theirs, then make yours again.";

/**
 * Writes the sessions of every open series up to the planning horizon (run at start-up and daily),
 * enrolling the track's patients; a weekly booking for one patient "until discharge" is extended
 * the same way until discharge gives it a last date. An occurrence that would double-book its
 * room, facilitator or (for a booking) its patient is not written, and the audit record names it
 * so the program can resolve it. `seriesIds` limits the run to some series.
 */
export async function extendSchedules(db: DB, options: { now?: Date; horizonWeeks?: number; seriesIds?: string[] } = {}) {
  const now = options.now ?? new Date();
  let query = seriesWithNames(db)
    .innerJoin("sites as s", "s.id", "g.site_id")
    .select((eb) => [
      "g.id",
      "g.site_id",
      "g.track_id",
      "g.title",
      "g.kind",
      "g.session_kind",
      "g.facilitator_id",
      "g.co_facilitator_id",
      "g.room_id",
      "g.modality",
      "g.capacity",
      "g.days",
      "g.start_time",
      "g.end_time",
      "g.starts_on",
      "g.ends_on",
      "g.auto_enroll",
      "g.patient_id",
      "g.approach",
      "g.family_members",
      "s.time_zone",
      "f.name as facilitator_name",
      "cf.name as co_facilitator_name",
      "r.name as room_name",
      eb
        .selectFrom("sessions")
        .select((e) => e.fn.max("local_date").as("d"))
        .whereRef("sessions.series_id", "=", "g.id")
        .as("last_date"),
    ]);
  if (options.seriesIds) query = query.where("g.id", "in", options.seriesIds.length ? options.seriesIds : [""]);
  const series = await query.execute();
  let written = 0;
  for (const g of series) {
    const today = todayIn(g.time_zone, now);
    const horizon = addDays(today, 7 * (options.horizonWeeks ?? PLANNING_HORIZON_WEEKS));
    if (g.ends_on && g.ends_on < today) continue;
    const from = g.last_date ? addDays(g.last_date, 1) : g.starts_on;
    const to = g.ends_on && g.ends_on < horizon ? g.ends_on : horizon;
    if (from > to) continue;
    const pattern = { days: JSON.parse(g.days) as Weekday[], startTime: g.start_time, endTime: g.end_time, startsOn: g.starts_on, endsOn: g.ends_on };
    const { occurrences } = expandWeekly(pattern, from, to, g.time_zone);
    if (!occurrences.length) continue;
    const people = [
      { id: g.facilitator_id, name: g.facilitator_name },
      ...(g.co_facilitator_id ? [{ id: g.co_facilitator_id, name: g.co_facilitator_name ?? "The co-facilitator" }] : []),
    ];
    const busy = await findBusy(db, {
      from: occurrences[0].startsAt,
      until: occurrences[occurrences.length - 1].endsAt,
      roomId: g.room_id,
      personIds: people.map((p) => p.id),
      excludeSeriesId: g.id,
    });
    const skipped: string[] = [];
    const fits: Occurrence[] = [];
    for (const o of occurrences) {
      const clash =
        firstConflict([o], busy, { roomId: g.room_id, roomName: g.room_name, people }, g.time_zone) ??
        (g.patient_id ? await patientClash(db, [g.patient_id], [o], g.time_zone, { seriesId: g.id }) : null);
      if (clash) skipped.push(`${shortDate(o.date)}: ${clash}`);
      else fits.push(o);
    }
    const nowIso = now.toISOString();
    await db.transaction().execute(async (trx) => {
      const rows = sessionRows(
        {
          site_id: g.site_id,
          series_id: g.id,
          kind: g.session_kind,
          group_kind: g.session_kind === "group" ? g.kind : null,
          title: g.title,
          track_id: g.track_id,
          facilitator_id: g.facilitator_id,
          co_facilitator_id: g.co_facilitator_id,
          room_id: g.room_id,
          modality: g.modality,
          capacity: g.capacity,
          patient_id: g.patient_id,
          approach: g.approach,
          family_members: g.family_members,
        },
        fits,
        nowIso,
      );
      await insertSessions(trx, rows);
      const notEnrolled: string[] = [];
      if (g.patient_id) {
        const pairs = rows.map((r) => ({
          id: newId(),
          session_id: r.id,
          patient_id: g.patient_id!,
          source: "booked",
          joined_at: nowIso,
          left_at: null,
          left_reason: null,
        }));
        for (let i = 0; i < pairs.length; i += 200)
          await trx
            .insertInto("session_participants")
            .values(pairs.slice(i, i + 200))
            .execute();
      } else if (g.track_id && g.auto_enroll) {
        const patients = await trackPatientIds(trx, g.track_id);
        // Catching up may write sessions already past: they are history, and nobody joins them now.
        for (const r of rows.filter((x) => x.starts_at >= nowIso)) {
          const refusal = await enrollInSessions(
            trx,
            patients,
            [{ id: r.id, title: r.title, local_date: r.local_date, starts_at: r.starts_at, ends_at: r.ends_at, capacity: r.capacity }],
            "track",
            g.time_zone,
            nowIso,
          );
          if (refusal) notEnrolled.push(refusal);
        }
      }
      await recordAudit(trx, {
        actor: { id: "system", name: "Scheduler" },
        action: "group_series.extended",
        entityType: "group_series",
        entityId: g.id,
        siteId: g.site_id,
        detail: {
          sessionsAdded: rows.length,
          through: to,
          ...(skipped.length ? { notWrittenBecauseOfClashes: skipped } : {}),
          ...(notEnrolled.length ? { rosterNotFilled: notEnrolled } : {}),
        },
      });
    });
    written += fits.length;
  }
  return written;
}

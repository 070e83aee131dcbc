/**
 * Recurring group series and the sessions they generate. A series is written with all its
 * sessions up to the planning horizon in one transaction, after a set-based check that no room
 * or facilitator is double-booked and no group is bigger than its room.
 */
import { type Kysely, sql } from "kysely";
import type { Database } from "../../../db/schema";
import { recordAudit } from "~/features/audit/audit.server";
import { newId } from "~/utils/ids";
import type { ClientMeta } from "~/utils/request.server";
import { todayIn } from "~/utils/time";
import { addDays, expandWeekly, localTimeExists, type Occurrence, overlaps, patternProblems, type Weekday, WEEKDAYS, zonedInstant } from "./rules";
import { GROUP_KINDS, type GroupKind, localClock, longDate, type Modality } from "./vocabulary";

type DB = Kysely<Database>;
type Actor = { id: string; name: string };
export type WriteResult<T = object> =
  | ({ ok: true } & T)
  | { ok: false; status: 400 | 404 | 409; fieldErrors?: Record<string, string[]>; formError?: string };

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
      const when = `${longDate(b.local_date)}, ${localClock(b.starts_at, timeZone)}–${localClock(b.ends_at, timeZone)}`;
      if (who.roomId && b.room_id === who.roomId) return `${who.roomName} is already booked for ${b.title} on ${when}.`;
      const person = who.people.find((p) => p.id === b.facilitator_id || p.id === b.co_facilitator_id);
      if (person) return `${person.name} already facilitates ${b.title} on ${when}.`;
    }
  }
  return null;
}

/** Scheduled sessions in a time span that use a room or any of some people. */
async function findBusy(db: DB, q: { from: string; until: string; roomId: string | null; personIds: string[]; excludeId?: string }): Promise<Busy[]> {
  let query = db
    .selectFrom("sessions")
    .leftJoin("rooms", "rooms.id", "sessions.room_id")
    .select(["sessions.id", "sessions.title", "sessions.local_date", "sessions.starts_at", "sessions.ends_at", "sessions.room_id", "sessions.facilitator_id", "sessions.co_facilitator_id", "rooms.name as room_name"])
    .where("sessions.status", "=", "scheduled")
    .where("sessions.starts_at", "<", q.until)
    .where("sessions.ends_at", ">", q.from)
    .where((eb) =>
      eb.or([
        ...(q.roomId ? [eb("sessions.room_id", "=", q.roomId)] : []),
        eb("sessions.facilitator_id", "in", q.personIds),
        eb("sessions.co_facilitator_id", "in", q.personIds),
      ]),
    );
  if (q.excludeId) query = query.where("sessions.id", "!=", q.excludeId);
  return query.orderBy("sessions.starts_at").execute();
}

export async function createSeries(
  db: DB,
  actor: Actor,
  site: { id: string; time_zone: string },
  input: SeriesInput,
  meta: ClientMeta,
  options: { horizonWeeks?: number; today?: string } = {},
): Promise<WriteResult<{ id: string; sessions: number }>> {
  const tz = site.time_zone;
  const days = [...new Set(input.days)].sort((a, b) => WEEKDAYS.indexOf(a) - WEEKDAYS.indexOf(b));
  const pattern = { days, startTime: input.startTime, endTime: input.endTime, startsOn: input.startsOn, endsOn: input.endsOn ?? null };
  const problems = Object.entries(patternProblems(pattern, tz)).filter(([, v]) => v);
  if (problems.length) return { ok: false, status: 400, fieldErrors: Object.fromEntries(problems.map(([k, v]) => [k, [v as string]])) };

  const people = await db
    .selectFrom("users")
    .innerJoin("user_sites", "user_sites.user_id", "users.id")
    .select(["users.id", "users.name"])
    .where("user_sites.site_id", "=", site.id)
    .where("users.active", "=", 1)
    .where("users.role", "in", ["counselor", "admin"])
    .where("users.id", "in", [input.facilitatorId, input.coFacilitatorId ?? input.facilitatorId])
    .execute();
  if (!people.some((p) => p.id === input.facilitatorId)) return { ok: false, status: 400, fieldErrors: { facilitatorId: ["Choose a counselor or admin who works at this site."] } };
  if (input.coFacilitatorId) {
    if (input.coFacilitatorId === input.facilitatorId) return { ok: false, status: 400, fieldErrors: { coFacilitatorId: ["The co-facilitator must be someone else."] } };
    if (!people.some((p) => p.id === input.coFacilitatorId)) return { ok: false, status: 400, fieldErrors: { coFacilitatorId: ["Choose a counselor or admin who works at this site."] } };
  }
  let trackId: string | null = null;
  if (input.trackId) {
    const track = await db.selectFrom("tracks").select(["id", "active"]).where("id", "=", input.trackId).where("site_id", "=", site.id).executeTakeFirst();
    if (!track || !track.active) return { ok: false, status: 400, fieldErrors: { trackId: ["Choose an active track at this site."] } };
    trackId = track.id;
  }
  let room: { id: string; name: string; capacity: number } | null = null;
  if (input.modality !== "telehealth") {
    if (!input.roomId) return { ok: false, status: 400, fieldErrors: { roomId: ["Choose a room: in-person and hybrid groups need one."] } };
    const r = await db.selectFrom("rooms").select(["id", "name", "capacity", "active"]).where("id", "=", input.roomId).where("site_id", "=", site.id).executeTakeFirst();
    if (!r || !r.active) return { ok: false, status: 400, fieldErrors: { roomId: ["Choose an active room at this site."] } };
    if (input.capacity > r.capacity) {
      return { ok: false, status: 400, fieldErrors: { capacity: [`${r.name} holds ${r.capacity}; a group of ${input.capacity} would not fit.`] } };
    }
    room = { id: r.id, name: r.name, capacity: Number(r.capacity) };
  }

  const today = options.today ?? todayIn(tz);
  const horizonEnd = addDays(today, 7 * (options.horizonWeeks ?? PLANNING_HORIZON_WEEKS));
  const to = input.endsOn && input.endsOn < horizonEnd ? input.endsOn : horizonEnd;
  const { occurrences } = expandWeekly(pattern, input.startsOn, to, tz);
  if (!occurrences.length) return { ok: false, status: 400, fieldErrors: { startsOn: ["No sessions fall between the start and end dates on the chosen days."] } };

  const personIds = [input.facilitatorId, ...(input.coFacilitatorId ? [input.coFacilitatorId] : [])];
  const busy = await findBusy(db, { from: occurrences[0].startsAt, until: occurrences[occurrences.length - 1].endsAt, roomId: room?.id ?? null, personIds });
  const conflict = firstConflict(occurrences, busy, { roomId: room?.id ?? null, roomName: room?.name ?? null, people }, tz);
  if (conflict) return { ok: false, status: 409, formError: `Not saved: ${conflict} Choose another time, room or facilitator.` };

  const id = newId();
  const now = new Date().toISOString();
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto("group_series")
      .values({
        id,
        site_id: site.id,
        track_id: trackId,
        title: input.title,
        kind: input.kind,
        facilitator_id: input.facilitatorId,
        co_facilitator_id: input.coFacilitatorId ?? null,
        room_id: room?.id ?? null,
        modality: input.modality,
        capacity: input.capacity,
        days: JSON.stringify(days),
        start_time: input.startTime,
        end_time: input.endTime,
        starts_on: input.startsOn,
        ends_on: input.endsOn ?? null,
        auto_enroll: 1,
        created_at: now,
        updated_at: now,
      })
      .execute();
    for (let i = 0; i < occurrences.length; i += 200) {
      await trx
        .insertInto("sessions")
        .values(
          occurrences.slice(i, i + 200).map((o) => ({
            id: newId(),
            site_id: site.id,
            series_id: id,
            kind: "group",
            group_kind: input.kind,
            title: input.title,
            track_id: trackId,
            facilitator_id: input.facilitatorId,
            co_facilitator_id: input.coFacilitatorId ?? null,
            room_id: room?.id ?? null,
            modality: input.modality,
            capacity: input.capacity,
            local_date: o.date,
            starts_at: o.startsAt,
            ends_at: o.endsAt,
            status: "scheduled",
            cancel_reason: null,
            created_at: now,
            updated_at: now,
          })),
        )
        .execute();
    }
    await recordAudit(trx, {
      actor,
      action: "group_series.created",
      entityType: "group_series",
      entityId: id,
      siteId: site.id,
      after: { title: input.title, kind: input.kind, days, startTime: input.startTime, endTime: input.endTime, startsOn: input.startsOn, endsOn: input.endsOn ?? null, roomId: room?.id ?? null, facilitatorId: input.facilitatorId, capacity: input.capacity },
      detail: { sessionsCreated: occurrences.length, through: to },
      meta,
    });
  });
  return { ok: true, id, sessions: occurrences.length };
}

export async function listSeries(db: DB, siteId: string) {
  const rows = await db
    .selectFrom("group_series as g")
    .leftJoin("tracks as t", "t.id", "g.track_id")
    .leftJoin("rooms as r", "r.id", "g.room_id")
    .innerJoin("users as f", "f.id", "g.facilitator_id")
    .select(["g.id", "g.title", "g.kind", "g.days", "g.start_time", "g.end_time", "g.starts_on", "g.ends_on", "g.modality", "g.capacity", "t.name as track_name", "r.name as room_name", "f.name as facilitator_name"])
    .where("g.site_id", "=", siteId)
    .orderBy("t.name")
    .orderBy("g.start_time")
    .execute();
  return rows.map((r) => ({ ...r, days: JSON.parse(r.days) as Weekday[], kindLabel: GROUP_KINDS[r.kind as GroupKind] ?? r.kind }));
}

export interface WeekFilters {
  trackId?: string;
  facilitatorId?: string;
  roomId?: string;
  kind?: string;
}

/** A site's sessions between two UTC instants, with the names a calendar shows. */
export async function sessionsBetween(db: DB, siteId: string, fromUtc: string, toUtc: string, f: WeekFilters = {}) {
  let q = db
    .selectFrom("sessions as s")
    .leftJoin("tracks as t", "t.id", "s.track_id")
    .leftJoin("rooms as r", "r.id", "s.room_id")
    .innerJoin("users as f", "f.id", "s.facilitator_id")
    .leftJoin("users as cf", "cf.id", "s.co_facilitator_id")
    .select(["s.id", "s.title", "s.kind", "s.group_kind", "s.local_date", "s.starts_at", "s.ends_at", "s.modality", "s.status", "s.capacity", "t.name as track_name", "r.name as room_name", "f.name as facilitator_name", "cf.name as co_facilitator_name"])
    .where("s.site_id", "=", siteId)
    .where("s.starts_at", ">=", fromUtc)
    .where("s.starts_at", "<", toUtc);
  if (f.trackId) q = q.where("s.track_id", "=", f.trackId);
  if (f.facilitatorId) q = q.where((eb) => eb.or([eb("s.facilitator_id", "=", f.facilitatorId!), eb("s.co_facilitator_id", "=", f.facilitatorId!)]));
  if (f.roomId) q = q.where("s.room_id", "=", f.roomId);
  if (f.kind) q = q.where("s.group_kind", "=", f.kind);
  return q.orderBy("s.starts_at").orderBy("s.title").limit(1000).execute();
}

/** One session with the names its page shows; null when it is not at the given site. */
export async function getSession(db: DB, id: string, siteId: string) {
  if (id.length > 64) return null;
  const s = await db
    .selectFrom("sessions as s")
    .leftJoin("tracks as t", "t.id", "s.track_id")
    .leftJoin("rooms as r", "r.id", "s.room_id")
    .innerJoin("users as f", "f.id", "s.facilitator_id")
    .leftJoin("users as cf", "cf.id", "s.co_facilitator_id")
    .selectAll("s")
    .select(["t.name as track_name", "r.name as room_name", "f.name as facilitator_name", "cf.name as co_facilitator_name"])
    .where("s.id", "=", id)
    .where("s.site_id", "=", siteId)
    .executeTakeFirst();
  return s ? { ...s, version: Number(s.version) } : null;
}

const STALE_SESSION = "Someone else changed this session while you were working. Reload to see their change.";

/** Cancels one occurrence, keeping the rest of its series as it is. */
export async function cancelSession(db: DB, actor: Actor, id: string, input: { version: number; reason: string }, siteId: string, meta: ClientMeta): Promise<WriteResult> {
  const s = await getSession(db, id, siteId);
  if (!s) return { ok: false, status: 404, formError: "There is no such session at your site." };
  if (s.status === "cancelled") return { ok: false, status: 400, formError: "This session is already cancelled." };
  return db.transaction().execute(async (trx) => {
    const res = await trx
      .updateTable("sessions")
      .set({ status: "cancelled", cancel_reason: input.reason, updated_at: new Date().toISOString(), version: sql`version + 1` })
      .where("id", "=", id)
      .where("version", "=", input.version)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) return { ok: false as const, status: 409 as const, formError: STALE_SESSION };
    await recordAudit(trx, { actor, action: "session.cancelled", entityType: "session", entityId: id, siteId, before: { status: s.status }, after: { status: "cancelled", reason: input.reason }, detail: { title: s.title, date: s.local_date }, meta });
    return { ok: true as const };
  });
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
  for (const [field, time] of [["startTime", input.startTime], ["endTime", input.endTime]] as const) {
    if (!localTimeExists(input.date, time, site.time_zone)) {
      return { ok: false, status: 400, fieldErrors: { [field]: [`${time} does not exist on ${input.date} in ${site.time_zone} (the clocks change).`] } };
    }
  }
  if (s.series_id && input.date !== s.local_date) {
    const twin = await db.selectFrom("sessions").select("id").where("series_id", "=", s.series_id).where("local_date", "=", input.date).executeTakeFirst();
    if (twin) return { ok: false, status: 409, fieldErrors: { date: [`${s.title} already meets on ${longDate(input.date)}; move it to a day it does not meet.`] } };
  }
  const startsAt = zonedInstant(input.date, input.startTime, site.time_zone);
  const endsAt = zonedInstant(input.date, input.endTime, site.time_zone);
  let room: { id: string; name: string; capacity: number } | null = null;
  if (s.modality !== "telehealth") {
    const roomId = input.roomId ?? s.room_id;
    const r = roomId ? await db.selectFrom("rooms").select(["id", "name", "capacity", "active"]).where("id", "=", roomId).where("site_id", "=", site.id).executeTakeFirst() : undefined;
    if (!r || !r.active) return { ok: false, status: 400, fieldErrors: { roomId: ["Choose an active room at this site."] } };
    if (Number(s.capacity) > Number(r.capacity)) return { ok: false, status: 400, fieldErrors: { roomId: [`${r.name} holds ${r.capacity}; this group is for ${s.capacity}.`] } };
    room = { id: r.id, name: r.name, capacity: Number(r.capacity) };
  }
  const personIds = [s.facilitator_id, ...(s.co_facilitator_id ? [s.co_facilitator_id] : [])];
  const busy = await findBusy(db, { from: startsAt, until: endsAt, roomId: room?.id ?? null, personIds, excludeId: id });
  const people = [
    { id: s.facilitator_id, name: s.facilitator_name },
    ...(s.co_facilitator_id ? [{ id: s.co_facilitator_id, name: s.co_facilitator_name ?? "The co-facilitator" }] : []),
  ];
  const conflict = firstConflict([{ date: input.date, startsAt, endsAt }], busy, { roomId: room?.id ?? null, roomName: room?.name ?? null, people }, site.time_zone);
  if (conflict) return { ok: false, status: 409, formError: `Not moved: ${conflict}` };
  return db.transaction().execute(async (trx) => {
    const res = await trx
      .updateTable("sessions")
      .set({ local_date: input.date, starts_at: startsAt, ends_at: endsAt, room_id: room?.id ?? null, updated_at: new Date().toISOString(), version: sql`version + 1` })
      .where("id", "=", id)
      .where("version", "=", input.version)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) return { ok: false as const, status: 409 as const, formError: STALE_SESSION };
    await recordAudit(trx, {
      actor,
      action: "session.moved",
      entityType: "session",
      entityId: id,
      siteId: site.id,
      before: { date: s.local_date, startsAt: s.starts_at, endsAt: s.ends_at, roomId: s.room_id },
      after: { date: input.date, startsAt, endsAt, roomId: room?.id ?? null },
      detail: { title: s.title },
      meta,
    });
    return { ok: true as const };
  });
}

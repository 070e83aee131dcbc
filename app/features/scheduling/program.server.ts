/**
 * Program setup: each site's tracks (when the program meets and at which level of care) and its
 * rooms. Admin-only writes, each audited in its transaction; edits name their version.
 */
import { sql } from "kysely";
import type { LevelOfCare } from "#db/schema";
import type { DB } from "~/kernel/db";
import type { Actor } from "~/kernel/actor";
import type { WriteResult } from "~/kernel/results";
import { recordAudit } from "~/features/audit/audit.server";
import { changedFields } from "~/features/audit/chain";
import { newId } from "~/utils/ids";
import type { ClientMeta } from "~/utils/request.server";
import { todayIn, WEEKDAYS, type Weekday, timeRange } from "~/kernel/time";
import { dayList, patternProblems } from "./rules";

const STALE = "Someone else changed this while you were editing. Reload to see their change, then make yours again.";
const sortDays = (days: Weekday[]) => [...new Set(days)].sort((a, b) => WEEKDAYS.indexOf(a) - WEEKDAYS.indexOf(b));

export interface TrackInput {
  name: string;
  levelOfCare: LevelOfCare;
  days: Weekday[];
  startTime: string;
  endTime: string;
}

function trackProblems(input: TrackInput, timeZone: string): Record<string, string[]> | null {
  const problems = patternProblems(
    { days: input.days, startTime: input.startTime, endTime: input.endTime, startsOn: todayIn(timeZone), endsOn: null },
    timeZone,
  );
  const entries = Object.entries(problems).filter(([, v]) => v);
  return entries.length ? Object.fromEntries(entries.map(([k, v]) => [k, [v as string]])) : null;
}

export async function listTracks(db: DB, siteId: string) {
  const rows = await db
    .selectFrom("tracks")
    .selectAll()
    .where("site_id", "=", siteId)
    .orderBy("active", "desc")
    .orderBy("start_time")
    .orderBy("name")
    .execute();
  return rows.map((r) => ({ ...r, days: JSON.parse(r.days) as Weekday[], active: Boolean(r.active), version: Number(r.version) }));
}

export async function getTrack(db: DB, id: string, siteIds: string[]) {
  if (!siteIds.length) return null;
  const r = await db.selectFrom("tracks").selectAll().where("id", "=", id).where("site_id", "in", siteIds).executeTakeFirst();
  return r ? { ...r, days: JSON.parse(r.days) as Weekday[], active: Boolean(r.active), version: Number(r.version) } : null;
}

async function nameTaken(db: DB, table: "tracks" | "rooms", siteId: string, name: string, exceptId?: string) {
  let q = db
    .selectFrom(table)
    .select("id")
    .where("site_id", "=", siteId)
    .where(sql`lower(name)`, "=", name.toLowerCase());
  if (exceptId) q = q.where("id", "!=", exceptId);
  return Boolean(await q.executeTakeFirst());
}

export async function createTrack(
  db: DB,
  actor: Actor,
  site: { id: string; time_zone: string },
  input: TrackInput,
  meta: ClientMeta,
): Promise<WriteResult<{ id: string }>> {
  const problems = trackProblems(input, site.time_zone);
  if (problems) return { ok: false, status: 400, fieldErrors: problems };
  if (await nameTaken(db, "tracks", site.id, input.name))
    return { ok: false, status: 409, fieldErrors: { name: ["This site already has a track with that name."] } };
  const id = newId();
  const now = new Date().toISOString();
  const days = sortDays(input.days);
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto("tracks")
      .values({
        id,
        site_id: site.id,
        name: input.name,
        level_of_care: input.levelOfCare,
        days: JSON.stringify(days),
        start_time: input.startTime,
        end_time: input.endTime,
        active: 1,
        created_at: now,
        updated_at: now,
      })
      .execute();
    await recordAudit(trx, {
      actor,
      action: "track.created",
      entityType: "track",
      entityId: id,
      siteId: site.id,
      after: { name: input.name, levelOfCare: input.levelOfCare, days, startTime: input.startTime, endTime: input.endTime },
      meta,
    });
  });
  return { ok: true, id };
}

export async function updateTrack(
  db: DB,
  actor: Actor,
  id: string,
  input: TrackInput & { version: number },
  sites: { id: string; time_zone: string }[],
  meta: ClientMeta,
): Promise<WriteResult> {
  const current = await getTrack(
    db,
    id,
    sites.map((s) => s.id),
  );
  if (!current) return { ok: false, status: 404, formError: "There is no such track at your sites." };
  const tz = sites.find((s) => s.id === current.site_id)!.time_zone;
  const problems = trackProblems(input, tz);
  if (problems) return { ok: false, status: 400, fieldErrors: problems };
  if (await nameTaken(db, "tracks", current.site_id, input.name, id))
    return { ok: false, status: 409, fieldErrors: { name: ["This site already has a track with that name."] } };
  const days = sortDays(input.days);
  const diff = changedFields(
    { name: current.name, levelOfCare: current.level_of_care, days: current.days, startTime: current.start_time, endTime: current.end_time },
    { name: input.name, levelOfCare: input.levelOfCare, days, startTime: input.startTime, endTime: input.endTime },
  );
  if (!Object.keys(diff.after).length) return current.version === input.version ? { ok: true } : { ok: false, status: 409, formError: STALE };
  return db.transaction().execute(async (trx) => {
    const res = await trx
      .updateTable("tracks")
      .set({
        name: input.name,
        level_of_care: input.levelOfCare,
        days: JSON.stringify(days),
        start_time: input.startTime,
        end_time: input.endTime,
        updated_at: new Date().toISOString(),
        version: sql`version + 1`,
      })
      .where("id", "=", id)
      .where("version", "=", input.version)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) return { ok: false as const, status: 409 as const, formError: STALE };
    await recordAudit(trx, { actor, action: "track.updated", entityType: "track", entityId: id, siteId: current.site_id, ...diff, meta });
    return { ok: true as const };
  });
}

export async function listRooms(db: DB, siteId: string) {
  const rows = await db.selectFrom("rooms").selectAll().where("site_id", "=", siteId).orderBy("active", "desc").orderBy("name").execute();
  return rows.map((r) => ({ ...r, active: Boolean(r.active), version: Number(r.version) }));
}

export async function getRoom(db: DB, id: string, siteIds: string[]) {
  if (!siteIds.length) return null;
  const r = await db.selectFrom("rooms").selectAll().where("id", "=", id).where("site_id", "in", siteIds).executeTakeFirst();
  return r ? { ...r, active: Boolean(r.active), version: Number(r.version) } : null;
}

export async function createRoom(
  db: DB,
  actor: Actor,
  siteId: string,
  input: { name: string; capacity: number },
  meta: ClientMeta,
): Promise<WriteResult<{ id: string }>> {
  if (await nameTaken(db, "rooms", siteId, input.name))
    return { ok: false, status: 409, fieldErrors: { name: ["This site already has a room with that name."] } };
  const id = newId();
  const now = new Date().toISOString();
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto("rooms")
      .values({ id, site_id: siteId, name: input.name, capacity: input.capacity, active: 1, created_at: now, updated_at: now })
      .execute();
    await recordAudit(trx, { actor, action: "room.created", entityType: "room", entityId: id, siteId, after: { ...input }, meta });
  });
  return { ok: true, id };
}

export async function updateRoom(
  db: DB,
  actor: Actor,
  id: string,
  input: { name: string; capacity: number; version: number },
  siteIds: string[],
  meta: ClientMeta,
): Promise<WriteResult> {
  const current = await getRoom(db, id, siteIds);
  if (!current) return { ok: false, status: 404, formError: "There is no such room at your sites." };
  if (await nameTaken(db, "rooms", current.site_id, input.name, id))
    return { ok: false, status: 409, fieldErrors: { name: ["This site already has a room with that name."] } };
  const diff = changedFields({ name: current.name, capacity: current.capacity }, { name: input.name, capacity: input.capacity });
  if (!Object.keys(diff.after).length) return current.version === input.version ? { ok: true } : { ok: false, status: 409, formError: STALE };
  return db.transaction().execute(async (trx) => {
    const res = await trx
      .updateTable("rooms")
      .set({ name: input.name, capacity: input.capacity, updated_at: new Date().toISOString(), version: sql`version + 1` })
      .where("id", "=", id)
      .where("version", "=", input.version)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) return { ok: false as const, status: 409 as const, formError: STALE };
    await recordAudit(trx, { actor, action: "room.updated", entityType: "room", entityId: id, siteId: current.site_id, ...diff, meta });
    return { ok: true as const };
  });
}

/** Retires or restores a track or room; history that refers to it stays intact. */
export async function setActive(
  db: DB,
  actor: Actor,
  table: "tracks" | "rooms",
  id: string,
  active: boolean,
  version: number,
  siteIds: string[],
  meta: ClientMeta,
): Promise<WriteResult> {
  const current = table === "tracks" ? await getTrack(db, id, siteIds) : await getRoom(db, id, siteIds);
  if (!current) return { ok: false, status: 404, formError: "It does not exist at your sites." };
  return db.transaction().execute(async (trx) => {
    const res = await trx
      .updateTable(table)
      .set({ active: active ? 1 : 0, updated_at: new Date().toISOString(), version: sql`version + 1` })
      .where("id", "=", id)
      .where("version", "=", version)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) return { ok: false as const, status: 409 as const, formError: STALE };
    const entity = table === "tracks" ? "track" : "room";
    await recordAudit(trx, {
      actor,
      action: `${entity}.${active ? "reactivated" : "deactivated"}`,
      entityType: entity,
      entityId: id,
      siteId: current.site_id,
      before: { active: current.active },
      after: { active },
      meta,
    });
    return { ok: true as const };
  });
}

/** Active tracks at some sites as choices: "Evening IOP · Mon–Thu 18:00–21:00", with the site named when there are several. */
export async function trackChoices(db: DB, siteIds: string[]) {
  if (!siteIds.length) return [];
  const rows = await db
    .selectFrom("tracks")
    .innerJoin("sites", "sites.id", "tracks.site_id")
    .select(["tracks.id", "tracks.name", "tracks.days", "tracks.start_time", "tracks.end_time", "tracks.site_id", "sites.name as site_name"])
    .where("tracks.site_id", "in", siteIds)
    .where("tracks.active", "=", 1)
    .orderBy("sites.name")
    .orderBy("tracks.start_time")
    .execute();
  return rows.map((t) => ({
    value: t.id,
    siteId: t.site_id,
    label: `${t.name} · ${dayList(JSON.parse(t.days) as Weekday[])} ${timeRange(t.start_time, t.end_time)}${siteIds.length > 1 ? ` (${t.site_name})` : ""}`,
  }));
}

/**
 * The read side of scheduling: sessions as the week, the day and "my week" show them (with the
 * patient of an individual or family session and how many are on each roster), and a patient's
 * own schedule with the hours it adds up to each week.
 */
import type { DB } from "~/kernel/db";
import { APPOINTMENT_KINDS, type AppointmentKind, GROUP_KINDS, type GroupKind, MODALITIES } from "./vocabulary";
import { addDays, startOfDayUtc, weekStart, instantRange } from "~/kernel/time";
import { SESSION_NAMES, sessionsWithNames } from "./session-query.server";

export interface ViewFilters {
  trackId?: string;
  facilitatorId?: string;
  roomId?: string;
  /** A group kind, or "individual" / "family". */
  kind?: string;
}

/** The session columns every schedule view reads. */
const SESSION_COLUMNS = ["s.id", "s.title", "s.kind", "s.group_kind", "s.local_date", "s.starts_at", "s.ends_at", "s.modality", "s.status"] as const;

/** "Process group", "Individual session", …; a kind the vocabulary does not know shows as stored. */
const kindLabel = (s: { kind: string; group_kind: string | null }) =>
  s.group_kind ? (GROUP_KINDS[s.group_kind as GroupKind] ?? s.group_kind) : (APPOINTMENT_KINDS[s.kind as AppointmentKind] ?? s.kind);

/** Where a session happens: its room, telehealth, or both. */
const placeLabel = (s: { modality: string; room_name: string | null }) =>
  s.modality === "telehealth" ? "Telehealth" : `${s.room_name ?? "No room"}${s.modality === "hybrid" ? " + telehealth" : ""}`;

/** A site's sessions starting in [fromUtc, toUtc), with the names every schedule view shows. */
export async function sessionsInRange(db: DB, siteId: string, fromUtc: string, toUtc: string, f: ViewFilters = {}) {
  let q = sessionsWithNames(db)
    .leftJoin("patients as p", "p.id", "s.patient_id")
    .select((eb) => [
      ...SESSION_COLUMNS,
      "s.capacity",
      "s.patient_id",
      ...SESSION_NAMES,
      "p.legal_first_name",
      "p.legal_last_name",
      "p.preferred_name",
      eb
        .selectFrom("session_participants as sp")
        .select((e) => e.fn.countAll<number>().as("n"))
        .whereRef("sp.session_id", "=", "s.id")
        .where("sp.left_at", "is", null)
        .as("on_roster"),
    ])
    .where("s.site_id", "=", siteId)
    .where("s.starts_at", ">=", fromUtc)
    .where("s.starts_at", "<", toUtc);
  if (f.trackId) q = q.where("s.track_id", "=", f.trackId);
  if (f.facilitatorId) q = q.where((eb) => eb.or([eb("s.facilitator_id", "=", f.facilitatorId!), eb("s.co_facilitator_id", "=", f.facilitatorId!)]));
  if (f.roomId) q = q.where("s.room_id", "=", f.roomId);
  if (f.kind === "individual" || f.kind === "family") q = q.where("s.kind", "=", f.kind);
  else if (f.kind) q = q.where("s.group_kind", "=", f.kind);
  const rows = await q.orderBy("s.starts_at").orderBy("s.title").limit(2000).execute();
  return rows.map((s) => ({
    id: s.id,
    title: s.title,
    date: s.local_date,
    startsAt: s.starts_at,
    endsAt: s.ends_at,
    kind: s.kind,
    kindLabel: kindLabel(s),
    modality: s.modality,
    where: placeLabel(s),
    who: [s.facilitator_name, s.co_facilitator_name].filter(Boolean).join(" & "),
    track: s.track_name,
    patient: s.patient_id ? { id: s.patient_id, name: `${s.preferred_name || s.legal_first_name} ${s.legal_last_name}` } : null,
    onRoster: Number(s.on_roster ?? 0),
    capacity: Number(s.capacity),
    cancelled: s.status === "cancelled",
  }));
}

export type ViewSession = Awaited<ReturnType<typeof sessionsInRange>>[number];

/** "9:00–10:30 AM" in the site's time zone. */
export const clockRange = (s: { startsAt: string; endsAt: string }, timeZone: string) => instantRange(s.startsAt, s.endsAt, timeZone);

/** Whole minutes a session lasts: hours are shown in hours and minutes, never rounded across a minimum. */
export const minutesOf = (s: { startsAt: string; endsAt: string }) => Math.round((Date.parse(s.endsAt) - Date.parse(s.startsAt)) / 60_000);

/**
 * A patient's sessions (those they are on the roster of) from the start of this week for some
 * weeks, and the scheduled hours of each week.
 */
export async function patientSchedule(db: DB, patientId: string, today: string, timeZone: string, weeks = 4) {
  const monday = weekStart(today);
  const from = startOfDayUtc(monday, timeZone);
  const until = startOfDayUtc(addDays(monday, 7 * weeks), timeZone);
  const rows = await db
    .selectFrom("session_participants as sp")
    .innerJoin("sessions as s", "s.id", "sp.session_id")
    .leftJoin("rooms as r", "r.id", "s.room_id")
    .innerJoin("users as f", "f.id", "s.facilitator_id")
    .select([...SESSION_COLUMNS, "r.name as room_name", "f.name as facilitator_name", "sp.source"])
    .where("sp.patient_id", "=", patientId)
    .where("sp.left_at", "is", null)
    .where("s.starts_at", ">=", from)
    .where("s.starts_at", "<", until)
    .orderBy("s.starts_at")
    .execute();
  const sessions = rows.map((s) => ({
    id: s.id,
    title: s.title,
    date: s.local_date,
    startsAt: s.starts_at,
    endsAt: s.ends_at,
    kindLabel: kindLabel(s),
    where: placeLabel(s),
    modality: MODALITIES[s.modality] ?? s.modality,
    facilitator: s.facilitator_name,
    cancelled: s.status === "cancelled",
    viaTrack: s.source === "track",
  }));
  const weekly = Array.from({ length: weeks }, (_, i) => {
    const start = addDays(monday, 7 * i);
    const end = addDays(start, 7);
    const inWeek = sessions.filter((s) => !s.cancelled && s.date >= start && s.date < end);
    return { monday: start, sessions: inWeek.length, minutes: inWeek.reduce((m, s) => m + minutesOf(s), 0) };
  });
  return { sessions, weekly };
}

/** A patient's tracks, newest first. */
export async function trackHistory(db: DB, patientId: string) {
  return db
    .selectFrom("patient_tracks as pt")
    .innerJoin("tracks as t", "t.id", "pt.track_id")
    .leftJoin("users as u", "u.id", "pt.created_by")
    .select(["pt.id", "t.name", "pt.starts_on", "pt.ends_on", "pt.end_reason", "u.name as by_name"])
    .where("pt.patient_id", "=", patientId)
    .orderBy("pt.starts_on", "desc")
    .orderBy("pt.created_at", "desc")
    .execute();
}

/** Names on the rosters of some sessions (front desk's check-in list), keyed by session. */
export async function rosterNames(db: DB, sessionIds: string[]) {
  const bySession = new Map<string, { id: string; name: string; mrn: string }[]>();
  for (let i = 0; i < sessionIds.length; i += 500) {
    const rows = await db
      .selectFrom("session_participants as sp")
      .innerJoin("patients as p", "p.id", "sp.patient_id")
      .select(["sp.session_id", "p.id", "p.mrn", "p.legal_first_name", "p.legal_last_name", "p.preferred_name"])
      .where("sp.session_id", "in", sessionIds.slice(i, i + 500))
      .where("sp.left_at", "is", null)
      .orderBy("p.legal_last_name")
      .orderBy("p.legal_first_name")
      .execute();
    for (const r of rows) {
      const list = bySession.get(r.session_id) ?? [];
      list.push({ id: r.id, mrn: r.mrn, name: `${r.preferred_name || r.legal_first_name} ${r.legal_last_name}` });
      bySession.set(r.session_id, list);
    }
  }
  return bySession;
}

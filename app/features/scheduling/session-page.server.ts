/**
 * What the session page shows: the session in the site's words, who is on its roster, who may be
 * added, and what the person looking may do with it. Read here so the route only composes it.
 */
import { markedCounts } from "~/features/attendance/attendance.server";
import { ATTENDANCE_STATUSES, type AttendanceStatus } from "~/features/attendance/rules";
import { can, type Role } from "~/features/auth/permissions";
import { openPatientsForPicker } from "~/features/patients/patients.server";
import type { DB } from "~/kernel/db";
import { roster } from "./enrollment.server";
import { getSession } from "./groups.server";
import { roomOptions } from "./options.server";
import { APPOINTMENT_KINDS, type AppointmentKind, APPROACHES, type Approach, GROUP_KINDS, type GroupKind, MODALITIES, type Modality } from "./vocabulary";
import { localClock } from "~/kernel/time";

const SOURCES: Record<string, string> = { track: "Track", added: "Added by hand", booked: "Booked" };

/**
 * The session page for `role` at `site`, or null when there is no such session there. `shown` is
 * how many distinct patients the page names (its list view is audited by the caller).
 */
export async function sessionPage(db: DB, sessionId: string, viewer: { role: Role; siteId: string; timeZone: string }, now = new Date()) {
  const s = await getSession(db, sessionId, viewer.siteId);
  if (!s) return null;
  const { role, timeZone } = viewer;
  const nowIso = now.toISOString();
  const appointment = s.kind !== "group";
  // Admins change any session; counselors change individual and family sessions.
  const canManage = can(role, "manage:program") || (appointment && can(role, "book:sessions"));
  const canEditRoster = !appointment && can(role, "book:sessions") && s.status === "scheduled" && s.ends_at > nowIso;
  const [rooms, people, marks] = await Promise.all([canManage ? roomOptions(db, viewer.siteId) : [], roster(db, s.id), markedCounts(db, [s.id])]);
  const onRoster = new Set(people.current.map((p) => p.patient_id));
  const candidates = canEditRoster ? await openPatientsForPicker(db, viewer.siteId) : [];
  const shown = new Set([...people.current, ...people.left].map((p) => p.patient_id).concat(candidates.map((c) => c.id))).size;
  const family = s.family_members ? (JSON.parse(s.family_members) as { name: string; relationship: string }[]) : [];
  return {
    shown,
    page: {
      canManage,
      canEditRoster,
      canTakeRoll: can(role, "take:attendance") && s.status === "scheduled" && s.starts_at <= nowIso,
      canPrint: can(role, "take:attendance") && s.status === "scheduled",
      marks: Object.fromEntries([...(marks.get(s.id) ?? new Map())].map(([pid, st]) => [pid, ATTENDANCE_STATUSES[st as AttendanceStatus]?.label ?? st])),
      roster: {
        current: people.current.map((p) => ({
          id: p.patient_id,
          name: p.name,
          preferredName: p.preferredName,
          mrn: p.mrn,
          via: SOURCES[p.source] ?? p.source,
        })),
        left: people.left.map((p) => ({ id: p.patient_id, name: p.name, mrn: p.mrn, reason: p.left_reason, leftAt: p.left_at })),
      },
      candidates: candidates.filter((c) => !onRoster.has(c.id)).map((c) => ({ value: c.id, label: `${c.name} · ${c.mrn}` })),
      appointment: appointment ? { approach: s.approach ? (APPROACHES[s.approach as Approach] ?? s.approach) : null, family } : null,
      timeZone,
      rooms,
      session: {
        id: s.id,
        version: s.version,
        title: s.title,
        kind: s.group_kind ? (GROUP_KINDS[s.group_kind as GroupKind] ?? s.group_kind) : (APPOINTMENT_KINDS[s.kind as AppointmentKind] ?? s.kind),
        date: s.local_date,
        start: localClock(s.starts_at, timeZone),
        end: localClock(s.ends_at, timeZone),
        room: s.room_name,
        roomId: s.room_id,
        modality: MODALITIES[s.modality as Modality] ?? s.modality,
        telehealth: s.modality === "telehealth",
        facilitators: [s.facilitator_name, s.co_facilitator_name].filter(Boolean).join(" & "),
        track: s.track_name,
        capacity: s.capacity,
        status: s.status,
        cancelReason: s.cancel_reason,
      },
    },
  };
}

/** Whether the session is a group (moving and cancelling one is for admins only); null when it is not at the site. */
export async function sessionIsGroup(db: DB, sessionId: string, siteId: string): Promise<boolean | null> {
  const s = await getSession(db, sessionId, siteId);
  return s ? s.kind === "group" : null;
}

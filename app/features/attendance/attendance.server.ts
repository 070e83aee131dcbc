/**
 * Roll call and what it adds up to. A roll call is saved whole in one transaction, under the
 * version the taker started from, so two people marking the same group cannot overwrite each other
 * silently; saving the same marks again changes nothing. After the session's day a change is a
 * correction and needs a reason. Hours and billable days are summed in the site's time zone.
 */
import { type ExpressionBuilder, sql } from "kysely";
import type { Database } from "#db/schema";
import type { DB } from "~/kernel/db";
import type { Actor } from "~/kernel/actor";
import type { WriteResult } from "~/kernel/results";
import { recordAudit } from "~/features/audit/audit.server";
import { SESSION_NAMES, sessionsWithNames } from "~/features/scheduling/session-query.server";
import { OPEN_STATUSES } from "~/features/patients/rules";
import { addDays, weekStart, startOfDayUtc, todayIn, longDate } from "~/kernel/time";
import { newId } from "~/utils/ids";
import type { ClientMeta } from "~/utils/request.server";
import {
  ATTENDANCE_STATUSES,
  type AttendanceMode,
  type AttendanceStatus,
  billableDays,
  BILLABLE_DAY_RULES,
  type CareSpan,
  isAttended,
  levelOn,
  markMinutes,
  missedSessions,
  rollMissing,
  weekRequirement,
  weekStanding,
} from "./rules";
import type { LevelOfCare } from "#db/schema";
import { noteSettings } from "~/features/notes/notes.server";
import { documentedByDay } from "~/features/notes/rules";
import { daysBillableUnderNotes, documentsPatient } from "~/features/notes/billing";
import { keepRollCallDay } from "~/features/billing/authorization-use.server";
import { refreshCharges } from "~/features/billing/charges.server";
import { refreshSessionTallies } from "./tallies.server";

export interface MarkInput {
  patientId: string;
  status: AttendanceStatus;
  mode: AttendanceMode;
  minutes?: number;
  note?: string;
}

const sessionMinutes = (s: { starts_at: string; ends_at: string }) => Math.round((Date.parse(s.ends_at) - Date.parse(s.starts_at)) / 60_000);

/** A session's roll call as the form shows it: everyone on the roster (and anyone already marked), with their mark. */
export async function getRollCall(db: DB, sessionId: string, siteId: string) {
  if (sessionId.length > 64) return null;
  const session = await sessionsWithNames(db)
    .leftJoin("roll_calls as rc", "rc.session_id", "s.id")
    .leftJoin("users as tb", "tb.id", "rc.updated_by")
    .select([
      "s.id",
      "s.title",
      "s.kind",
      "s.local_date",
      "s.starts_at",
      "s.ends_at",
      "s.status",
      "s.modality",
      "s.capacity",
      ...SESSION_NAMES,
      "rc.version as roll_version",
      "rc.updated_at as roll_updated_at",
      "tb.name as roll_updated_by",
    ])
    .where("s.id", "=", sessionId)
    .where("s.site_id", "=", siteId)
    .executeTakeFirst();
  if (!session) return null;
  const people = await db
    .selectFrom("patients as p")
    .leftJoin("session_participants as sp", (j) => j.onRef("sp.patient_id", "=", "p.id").on("sp.session_id", "=", sessionId))
    .leftJoin("attendance as a", (j) => j.onRef("a.patient_id", "=", "p.id").on("a.session_id", "=", sessionId))
    .select(["p.id", "p.mrn", "p.legal_first_name", "p.legal_last_name", "p.preferred_name", "sp.left_at", "a.status", "a.mode", "a.minutes", "a.note"])
    // The roster and anyone already marked (someone taken off after their mark keeps it), read by
    // the session's keys rather than by testing every patient ever admitted.
    .where("p.id", "in", (eb) =>
      eb
        .selectFrom("session_participants")
        .select("patient_id")
        .where("session_id", "=", sessionId)
        .where("left_at", "is", null)
        .union(eb.selectFrom("attendance").select("patient_id").where("session_id", "=", sessionId)),
    )
    .orderBy("p.legal_last_name")
    .orderBy("p.legal_first_name")
    .execute();
  return {
    session: { ...session, minutes: sessionMinutes(session), rollVersion: session.roll_version === null ? 0 : Number(session.roll_version) },
    roster: people.map((p) => ({
      patientId: p.id,
      mrn: p.mrn,
      // Legal name as on the session's roster, with what they go by.
      name: `${p.legal_last_name}, ${p.legal_first_name}${p.preferred_name ? ` “${p.preferred_name}”` : ""}`,
      initials: `${(p.preferred_name || p.legal_first_name).charAt(0)}${p.legal_last_name.charAt(0)}`.toUpperCase(),
      mark: p.status ? { status: p.status as AttendanceStatus, mode: p.mode as AttendanceMode, minutes: Number(p.minutes), note: p.note } : null,
    })),
  };
}

const STALE_ROLL =
  "Someone else saved this roll call while you were taking it. Nothing of yours was saved: reload to see their marks, then make your changes again.";

/**
 * Saves a roll call. Refused: a cancelled session, one that has not started, a patient not on the
 * roster, minutes outside the session, a stale version, and a change after the day without a reason.
 */
export async function saveRollCall(
  db: DB,
  actor: Actor,
  sessionId: string,
  input: { version: number; marks: MarkInput[]; reason?: string },
  site: { id: string; time_zone: string },
  meta: ClientMeta,
  now = new Date(),
): Promise<WriteResult<{ saved: number; changed: number; correction: boolean }>> {
  const roll = await getRollCall(db, sessionId, site.id);
  if (!roll) return { ok: false, status: 404, formError: "There is no such session at your site." };
  const { session } = roll;
  if (session.status === "cancelled") return { ok: false, status: 400, formError: "This session was cancelled; there is no roll to take." };
  if (session.starts_at > now.toISOString()) return { ok: false, status: 400, formError: "This session has not started yet. Take roll once it begins." };
  if (!input.marks.length) return { ok: false, status: 400, formError: "Mark at least one patient." };
  // One mark per patient on the roster at most: a larger form is refused before any mark is looked at.
  const marked = new Set(input.marks.map((m) => m.patientId)).size;
  if (marked > roll.roster.length) {
    return {
      ok: false,
      status: 400,
      formError: `This roll call has ${marked.toLocaleString("en-US")} marks but the session has ${roll.roster.length} ${roll.roster.length === 1 ? "patient" : "patients"} on its roster. Reload the roll call.`,
    };
  }

  const onRoster = new Map(roll.roster.map((r) => [r.patientId, r]));
  const fieldErrors: Record<string, string[]> = {};
  const rows: { patientId: string; status: AttendanceStatus; mode: AttendanceMode; minutes: number; note: string | null }[] = [];
  const seen = new Set<string>();
  for (const m of input.marks) {
    const person = onRoster.get(m.patientId);
    if (!person) return { ok: false, status: 400, formError: "One of the patients marked is not on this session's roster. Reload the roll call." };
    if (seen.has(m.patientId)) continue;
    seen.add(m.patientId);
    const minutes = markMinutes(m.status, m.minutes, session.minutes, person.name);
    if ("error" in minutes) {
      fieldErrors[`minutes.${m.patientId}`] = [minutes.error];
      continue;
    }
    rows.push({ patientId: m.patientId, status: m.status, mode: m.mode, minutes: minutes.minutes, note: m.note?.trim() ? m.note.trim().slice(0, 300) : null });
  }
  if (Object.keys(fieldErrors).length) return { ok: false, status: 400, fieldErrors };

  const changes = rows.filter((r) => !sameMark(onRoster.get(r.patientId)!.mark, r));
  if (!changes.length) return { ok: true, saved: rows.length, changed: 0, correction: false };

  const today = todayIn(site.time_zone, now);
  const correction = session.rollVersion > 0 && session.local_date < today && changes.some((c) => onRoster.get(c.patientId)!.mark);
  if (correction && !input.reason?.trim()) {
    return { ok: false, status: 400, fieldErrors: { reason: [`The session was on ${longDate(session.local_date)}: say why the marks are being corrected.`] } };
  }
  const nowIso = now.toISOString();
  const result = await db.transaction().execute(async (trx) => {
    if (session.rollVersion === 0) {
      if (input.version !== 0) return { ok: false as const, status: 409 as const, formError: STALE_ROLL };
      // The primary key makes a second first save (a double submit, or two takers) fail here.
      const inserted = await trx
        .insertInto("roll_calls")
        .values({ session_id: sessionId, taken_by: actor.id, taken_at: nowIso, updated_by: actor.id, updated_at: nowIso })
        .onConflict((oc) => oc.column("session_id").doNothing())
        .executeTakeFirst();
      if (Number(inserted.numInsertedOrUpdatedRows ?? 0) !== 1) return { ok: false as const, status: 409 as const, formError: STALE_ROLL };
    } else {
      const claimed = await trx
        .updateTable("roll_calls")
        .set({ updated_by: actor.id, updated_at: nowIso, version: sql`version + 1`, corrections: correction ? sql`corrections + 1` : sql`corrections` })
        .where("session_id", "=", sessionId)
        .where("version", "=", input.version)
        .executeTakeFirst();
      if (Number(claimed.numUpdatedRows) !== 1) return { ok: false as const, status: 409 as const, formError: STALE_ROLL };
    }
    const added = changes.filter((r) => !onRoster.get(r.patientId)!.mark);
    for (const r of changes) {
      if (!onRoster.get(r.patientId)!.mark) continue;
      await trx
        .updateTable("attendance")
        .set({ status: r.status, mode: r.mode, minutes: r.minutes, note: r.note, recorded_by: actor.id, recorded_at: nowIso })
        .where("session_id", "=", sessionId)
        .where("patient_id", "=", r.patientId)
        .execute();
    }
    // A first roll call marks everyone at once: one statement for all the new marks.
    if (added.length)
      await trx
        .insertInto("attendance")
        .values(
          added.map((r) => ({
            id: newId(),
            session_id: sessionId,
            patient_id: r.patientId,
            status: r.status,
            mode: r.mode,
            minutes: r.minutes,
            note: r.note,
            local_date: session.local_date,
            starts_at: session.starts_at,
            recorded_by: actor.id,
            recorded_at: nowIso,
          })),
        )
        .execute();
    await recordAudit(trx, {
      actor,
      action: correction ? "attendance.corrected" : "attendance.recorded",
      entityType: "session",
      entityId: sessionId,
      siteId: site.id,
      before: Object.fromEntries(
        changes.filter((c) => onRoster.get(c.patientId)!.mark).map((c) => [onRoster.get(c.patientId)!.mrn, onRoster.get(c.patientId)!.mark]),
      ),
      after: Object.fromEntries(changes.map((c) => [onRoster.get(c.patientId)!.mrn, { status: c.status, mode: c.mode, minutes: c.minutes, note: c.note }])),
      detail: {
        title: session.title,
        date: session.local_date,
        marked: rows.length,
        changed: changes.length,
        ...(correction ? { reason: input.reason!.trim() } : {}),
      },
      meta,
    });
    // The session's kept tally (the attendance reports read it) follows its marks, in this
    // transaction, when a change moves a count: a new mark, or an outcome counted elsewhere (a
    // corrected note or minutes counts the same).
    if (changes.some((c) => tallyOutcome(onRoster.get(c.patientId)!.mark) !== tallyOutcome(c))) await refreshSessionTallies(trx, [sessionId]);
    // The day's charges follow the marks (issue 21): only the patients whose attended minutes that
    // day changed (charges are made from those alone, not from the mode or the note).
    const moved = changes
      .map((c) => ({ patientId: c.patientId, before: attendedMinutes(onRoster.get(c.patientId)!.mark), after: attendedMinutes(c) }))
      .filter((c) => c.before !== c.after);
    const billed = moved.map((c) => c.patientId);
    if (billed.length) await refreshCharges(trx, site.id, { patientIds: billed, from: session.local_date, to: session.local_date }, {});
    // So do the units used of the authorizations holding the day (kept for utilization review).
    await keepRollCallDay(trx, session.local_date, moved);
    return { ok: true as const, saved: rows.length, changed: changes.length, correction };
  });
  // A double submit that lost the race to its twin (or a taker who entered exactly what someone else
  // just saved): everything it carried is already stored, so it is a resave that changes nothing.
  if (!result.ok) {
    const stored = new Map((await getRollCall(db, sessionId, site.id))?.roster.map((r) => [r.patientId, r.mark]) ?? []);
    if (rows.every((r) => sameMark(stored.get(r.patientId) ?? null, r))) return { ok: true, saved: rows.length, changed: 0, correction: false };
  }
  return result;
}

/** Which of a session's kept counts a mark adds to (tallies.server.ts): attended, or its kind of absence; none for no mark. */
const tallyOutcome = (m: { status: string } | null) => (m === null ? null : isAttended(m.status) ? "attended" : m.status);
/** What billing reads of a mark (days.server.ts): the minutes it counts as attended, or none. */
const attendedMinutes = (m: { status: string; minutes: number } | null) => (m !== null && isAttended(m.status) ? m.minutes : null);

function sameMark(
  before: { status: string; mode: string; minutes: number; note: string | null } | null,
  r: { status: string; mode: string; minutes: number; note: string | null },
) {
  return before !== null && before.status === r.status && before.mode === r.mode && before.minutes === r.minutes && (before.note ?? null) === r.note;
}

export interface AttendanceFlags {
  /** Minutes attended this week; show with `formatDuration` (hours and minutes, never rounded up). */
  attendedMinutes: number;
  /** Minutes on their roster this week not yet marked, on sessions today or later: still possible. */
  remainingMinutes: number;
  /** Minutes of sessions on past days of this week with no mark for them: roll missing, not possible. */
  rollMissingMinutes: number;
  /** Those sessions, oldest first, for a link to their roll call. */
  rollMissing: { sessionId: string; date: string; title: string; minutes: number }[];
  /** The level's weekly band ("9–19 hours a week"), by age on the week's Monday. */
  requirementLabel: string;
  /** This week's minimum in minutes (prorated in a partial week), or null when the week is not judged. */
  requiredMinutes: number | null;
  /** "Partial week: admitted Thu — required hours prorated to 5 h 9 min", or null for a whole week. */
  partialNote: string | null;
  /** Which age band applies and why (age on the week's Monday). */
  ageNote: string;
  belowRequired: boolean;
  missedSessions: boolean;
}

/** The episodes of care (admission, discharge, levels) of some patients, keyed by episode id. */
export async function careSpans(db: DB, episodeIds: string[], patients: Map<string, { date_of_birth: string; level_of_care: LevelOfCare }>) {
  const spans = new Map<string, CareSpan & { patientId: string }>();
  if (!episodeIds.length) return spans;
  const [episodes, levels] = await Promise.all([
    db.selectFrom("patient_episodes").select(["id", "patient_id", "admitted_on", "discharged_on"]).where("id", "in", episodeIds).execute(),
    db.selectFrom("level_of_care_changes").select(["episode_id", "level_of_care", "effective_on"]).where("episode_id", "in", episodeIds).execute(),
  ]);
  // Grouped once by episode: a whole site's spans (Home) are hundreds of episodes.
  const levelsOf = new Map<string, typeof levels>();
  for (const l of levels) {
    const list = levelsOf.get(l.episode_id);
    if (list) list.push(l);
    else levelsOf.set(l.episode_id, [l]);
  }
  for (const e of episodes) {
    const p = patients.get(e.patient_id);
    if (!p) continue;
    spans.set(e.id, {
      patientId: e.patient_id,
      dateOfBirth: p.date_of_birth,
      admittedOn: e.admitted_on,
      dischargedOn: e.discharged_on,
      levels: (levelsOf.get(e.id) ?? []).map((l) => ({ level: l.level_of_care, effectiveOn: l.effective_on })),
      currentLevel: p.level_of_care,
    });
  }
  return spans;
}

/**
 * This week's standing and the missed-sessions flag for some patients (the caseload page, a chart,
 * Home): minutes attended Monday–Sunday in the site's time zone, minutes on their roster still
 * possible (sessions today or later not yet marked), sessions of past days with no mark (roll
 * missing), the week's requirement (`weekRequirement`: age on Monday, partial weeks prorated), and
 * whether their last two marks were unexcused absences.
 */
export async function attendanceFlags(db: DB, patientIds: string[], timeZone: string, now = new Date()): Promise<Map<string, AttendanceFlags>> {
  const result = new Map<string, AttendanceFlags>();
  if (!patientIds.length) return result;
  const today = todayIn(timeZone, now);
  const monday = weekStart(today);
  const from = startOfDayUtc(monday, timeZone);
  const until = startOfDayUtc(addDays(monday, 7), timeZone);
  const patients = await db
    .selectFrom("patients")
    .select(["id", "site_id", "level_of_care", "date_of_birth", "status", "current_episode_id"])
    .where("id", "in", patientIds)
    .execute();
  const open = patients.filter((p) => (OPEN_STATUSES as string[]).includes(p.status));
  if (!open.length) return result;
  const ids = open.map((p) => p.id);
  const episodeIds = open.map((p) => p.current_episode_id).filter((e): e is string => e !== null);
  const spansPromise = careSpans(db, episodeIds, new Map(open.map((p) => [p.id, p])));
  const attended = await db
    .selectFrom("attendance")
    .select(["patient_id", "status", "minutes"])
    .where("patient_id", "in", ids)
    .where("starts_at", ">=", from)
    .where("starts_at", "<", until)
    .execute();
  // On the roster this week, session not cancelled, not marked yet: still possible through the
  // session's day, roll missing after it. Read from the
  // week's sessions at the patients' sites (rosters are site-local), not from each patient's whole
  // roster history. A page of a caseload names its patients in SQL (each is probed once per session
  // of the week); for a whole site (Home) that would be hundreds of probes per session, so the
  // week's whole roster is read and the patients picked out here. Measured at the largest site of
  // the large seed, the two cost the same at about 60 patients.
  const siteIds = [...new Set(open.map((p) => p.site_id))];
  const few = ids.length <= 50;
  const weekSessions = db
    .selectFrom("sessions as s")
    .where("s.site_id", "in", siteIds)
    .where("s.status", "=", "scheduled")
    .where("s.starts_at", ">=", from)
    .where("s.starts_at", "<", until);
  let rosterQuery = weekSessions
    .innerJoin("session_participants as sp", "sp.session_id", "s.id")
    .select(["s.id as session_id", "sp.patient_id", "s.starts_at", "s.ends_at", "s.local_date", "s.title"])
    .where("sp.left_at", "is", null);
  // The marks already taken in those sessions, matched here rather than by a join: PostgreSQL,
  // misjudging the week's size, joined each roster place to the patient's whole history (220 ms).
  let markedQuery = db.selectFrom("attendance").select(["session_id", "patient_id"]).where("session_id", "in", weekSessions.select("s.id"));
  if (few) {
    rosterQuery = rosterQuery.where("sp.patient_id", "in", ids);
    markedQuery = markedQuery.where("patient_id", "in", ids);
  }
  const wanted = new Set(ids);
  const [roster, marked] = await Promise.all([rosterQuery.execute(), markedQuery.execute()]);
  const markedKeys = new Set(marked.map((m) => `${m.session_id}|${m.patient_id}`));
  const unmarked = roster.filter((u) => wanted.has(u.patient_id) && !markedKeys.has(`${u.session_id}|${u.patient_id}`));
  // The last two marks before now of each patient, for the missed-sessions flag: two index
  // lookups per patient on (patient_id, starts_at), however long their history.
  const nowIso = now.toISOString();
  const sixtyDaysAgo = new Date(now.getTime() - 60 * 86_400_000).toISOString();
  const lastMark = (offset: number) => (eb: ExpressionBuilder<Database, "patients">) =>
    eb
      .selectFrom("attendance as m")
      .select("m.status")
      .whereRef("m.patient_id", "=", "patients.id")
      .where("m.starts_at", "<", nowIso)
      .where("m.starts_at", ">=", sixtyDaysAgo)
      .orderBy("m.starts_at", "desc")
      .limit(1)
      .offset(offset);
  const [recent, spans] = await Promise.all([
    db
      .selectFrom("patients")
      .select((eb) => ["patients.id as patient_id", lastMark(0)(eb).as("last"), lastMark(1)(eb).as("before_last")])
      .where("patients.id", "in", ids)
      .execute(),
    spansPromise,
  ]);
  // One pass over each result set, keyed by patient (Home asks for a whole site at once).
  const attendedBy = new Map<string, number>();
  for (const a of attended) if (isAttended(a.status)) attendedBy.set(a.patient_id, (attendedBy.get(a.patient_id) ?? 0) + Number(a.minutes));
  const remainingBy = new Map<string, number>();
  const missingBy = new Map<string, AttendanceFlags["rollMissing"]>();
  for (const u of unmarked) {
    if (rollMissing(u.local_date, today)) {
      const list = missingBy.get(u.patient_id) ?? [];
      list.push({ sessionId: u.session_id, date: u.local_date, title: u.title, minutes: sessionMinutes(u) });
      missingBy.set(u.patient_id, list);
    } else remainingBy.set(u.patient_id, (remainingBy.get(u.patient_id) ?? 0) + sessionMinutes(u));
  }
  const lastTwoBy = new Map<string, string[]>();
  for (const r of recent)
    lastTwoBy.set(
      r.patient_id,
      [r.last, r.before_last].filter((x): x is AttendanceStatus => x !== null),
    );
  for (const p of open) {
    // A patient with no episode on record (not expected) is held to their level all week.
    const span: CareSpan = (p.current_episode_id ? spans.get(p.current_episode_id) : undefined) ?? {
      dateOfBirth: p.date_of_birth,
      admittedOn: monday,
      dischargedOn: null,
      levels: [],
      currentLevel: p.level_of_care,
    };
    const missing = (missingBy.get(p.id) ?? []).sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
    const missingMinutes = missing.reduce((n, m) => n + m.minutes, 0);
    const requirement = weekRequirement(monday, span);
    const standing = weekStanding(attendedBy.get(p.id) ?? 0, remainingBy.get(p.id) ?? 0, requirement, missingMinutes);
    result.set(p.id, {
      attendedMinutes: standing.attendedMinutes,
      remainingMinutes: standing.remainingMinutes,
      rollMissingMinutes: standing.rollMissingMinutes,
      rollMissing: missing,
      requirementLabel: requirement.band.label,
      requiredMinutes: requirement.minMinutes,
      partialNote: requirement.note,
      ageNote: requirement.ageNote,
      belowRequired: p.status === "active" && standing.belowRequired,
      missedSessions: missedSessions(lastTwoBy.get(p.id) ?? []),
    });
  }
  return result;
}

/** Billable days of one week (or a whole stay) by code: IOP days (H0015) and PHP days (S0201). */
export type BillableCount = ReturnType<typeof billableDays>;

/**
 * A patient's attendance week by week (newest first) with billable days counted by the level of
 * care in effect each day (its own rule: IOP H0015 from 3 h, PHP S0201 from 5 h, OP none), and the
 * totals. Each attended minute is documented (the session's signed note has the patient's part) or
 * not; when the site requires notes for billing, a day with any undocumented minute is not billable.
 */
export async function attendanceHistory(db: DB, patientId: string, since: string) {
  const [marks, patient, levels] = await Promise.all([
    db
      .selectFrom("attendance as a")
      .innerJoin("sessions as s", "s.id", "a.session_id")
      .leftJoin("notes as n", "n.session_id", "a.session_id")
      .leftJoin("note_entries as ne", (j) => j.onRef("ne.note_id", "=", "n.id").onRef("ne.patient_id", "=", "a.patient_id"))
      .select([
        "a.status",
        "a.minutes",
        "a.local_date",
        "a.mode",
        "a.note",
        "s.id as session_id",
        "s.title",
        "s.starts_at",
        "s.ends_at",
        "n.signed_at as note_signed_at",
        "n.cosign_required as note_cosign_required",
        "n.cosigned_at as note_cosigned_at",
        "ne.id as note_entry_id",
      ])
      .where("a.patient_id", "=", patientId)
      .where("a.local_date", ">=", since)
      .orderBy("a.starts_at", "desc")
      .execute(),
    db.selectFrom("patients").select(["level_of_care", "site_id"]).where("id", "=", patientId).executeTakeFirst(),
    db.selectFrom("level_of_care_changes").select(["level_of_care", "effective_on"]).where("patient_id", "=", patientId).execute(),
  ]);
  const notesRequired = patient ? (await noteSettings(db, patient.site_id)).billingNeedsNotes : false;
  const changes = levels.map((l) => ({ level: l.level_of_care, effectiveOn: l.effective_on }));
  const current: LevelOfCare = patient?.level_of_care ?? "IOP";
  const documented = (m: (typeof marks)[number]) =>
    documentsPatient(
      m.note_signed_at !== null || m.note_entry_id !== null
        ? { signedAt: m.note_signed_at, cosignRequired: Number(m.note_cosign_required) === 1, cosignedAt: m.note_cosigned_at }
        : null,
      m.note_entry_id !== null,
    );
  const byDay = documentedByDay(
    marks.filter((m) => isAttended(m.status)).map((m) => ({ date: m.local_date, minutes: Number(m.minutes), documented: documented(m) })),
  );
  const days = [...byDay].map(([date, d]) => ({
    date,
    minutes: d.documented + d.undocumented,
    undocumentedMinutes: d.undocumented,
    level: levelOn(changes, date, current),
  }));
  const billing = daysBillableUnderNotes(days, notesRequired);
  const weeks = new Map<
    string,
    {
      monday: string;
      attendedMinutes: number;
      billable: BillableCount;
      levels: LevelOfCare[];
      present: number;
      absent: number;
    }
  >();
  /** Per week (Monday): attended minutes documented by a signed note with the patient's part, and the rest. */
  const documentation = new Map<string, { documentedMinutes: number; undocumentedMinutes: number }>();
  for (const m of marks) {
    const monday = weekStart(m.local_date);
    const w = weeks.get(monday) ?? {
      monday,
      attendedMinutes: 0,
      billable: billableDays([]),
      levels: [],
      present: 0,
      absent: 0,
    };
    if (isAttended(m.status)) {
      w.attendedMinutes += Number(m.minutes);
      const doc = documentation.get(monday) ?? { documentedMinutes: 0, undocumentedMinutes: 0 };
      if (documented(m)) doc.documentedMinutes += Number(m.minutes);
      else doc.undocumentedMinutes += Number(m.minutes);
      documentation.set(monday, doc);
      w.present++;
    } else w.absent++;
    weeks.set(monday, w);
  }
  for (const w of weeks.values()) {
    const inWeek = days.filter((d) => weekStart(d.date) === w.monday);
    w.billable = billableDays(billing.filter((d) => weekStart(d.date) === w.monday));
    w.levels = [...new Set(inWeek.map((d) => d.level))];
  }
  return {
    marks: marks.map((m) => ({
      status: m.status,
      minutes: Number(m.minutes),
      local_date: m.local_date,
      mode: m.mode,
      note: m.note,
      session_id: m.session_id,
      title: m.title,
      starts_at: m.starts_at,
      ends_at: m.ends_at,
      documented: isAttended(m.status) ? documented(m) : null,
      label: ATTENDANCE_STATUSES[m.status]?.label ?? m.status,
    })),
    weeks: [...weeks.values()].sort((a, b) => (a.monday < b.monday ? 1 : -1)),
    totalBillable: billableDays(billing),
    documentation,
    /** Days attended that would bill by their hours but have an undocumented session (only when notes are required). */
    heldForNotes: notesRequired ? billableDays(days.filter((d) => d.undocumentedMinutes > 0)).total : 0,
    notesRequired,
    billableRules: BILLABLE_DAY_RULES,
  };
}

/** How many on each session's roster are marked (the Today view). */
export async function markedCounts(db: DB, sessionIds: string[]) {
  const counts = new Map<string, Map<string, string>>();
  for (let i = 0; i < sessionIds.length; i += 500) {
    const rows = await db
      .selectFrom("attendance")
      .select(["session_id", "patient_id", "status"])
      .where("session_id", "in", sessionIds.slice(i, i + 500))
      .execute();
    for (const r of rows) {
      const m = counts.get(r.session_id) ?? new Map<string, string>();
      m.set(r.patient_id, r.status);
      counts.set(r.session_id, m);
    }
  }
  return counts;
}

/** A past session with patients on its roster and no mark for them. */
export interface MissingRoll {
  sessionId: string;
  title: string;
  date: string;
  startsAt: string;
  endsAt: string;
  unmarked: number;
}

/**
 * Sessions of the last `days` days before today (site time) whose roll is missing for someone on
 * the roster: the day is over, so those places no longer count as possible hours anywhere (the
 * live flag, the chart) until the roll is taken. Oldest first, at most `limit`; `total` counts all.
 */
export async function missingRolls(db: DB, siteId: string, timeZone: string, now = new Date(), days = 14, limit = 10) {
  const today = todayIn(timeZone, now);
  const rows = await db
    .selectFrom("sessions as s")
    .innerJoin("session_participants as sp", "sp.session_id", "s.id")
    .select(["s.id", "s.title", "s.local_date", "s.starts_at", "s.ends_at", (eb) => eb.fn.countAll<number>().as("unmarked")])
    .where("s.site_id", "=", siteId)
    .where("s.status", "=", "scheduled")
    .where("s.starts_at", ">=", startOfDayUtc(addDays(today, -days), timeZone))
    .where("s.starts_at", "<", startOfDayUtc(today, timeZone))
    .where("sp.left_at", "is", null)
    // The mark is matched on the roster place's own columns, the unique (session, patient) key: named
    // through the session instead, PostgreSQL probed each patient's whole attendance history and
    // filtered it by session (166 ms at the largest site of the large seed, 30 ms this way).
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom("attendance as a").select("a.id").whereRef("a.session_id", "=", "sp.session_id").whereRef("a.patient_id", "=", "sp.patient_id"))),
    )
    .groupBy(["s.id", "s.title", "s.local_date", "s.starts_at", "s.ends_at"])
    .orderBy("s.starts_at")
    .execute();
  const sessions: MissingRoll[] = rows
    .filter((r) => rollMissing(r.local_date, today))
    .map((r) => ({ sessionId: r.id, title: r.title, date: r.local_date, startsAt: r.starts_at, endsAt: r.ends_at, unmarked: Number(r.unmarked) }));
  return { total: sessions.length, sessions: sessions.slice(0, limit), days };
}

/**
 * Home's note worklists: a facilitator's notes to write (held sessions where someone attended and
 * whose note is missing or unsigned), the clinical supervisor's co-signature queue (notes beside
 * plans, in one list), and an admin's counts per clinician. These run on every Home load, so each
 * is one or two indexed queries bounded by date (sessions by facilitator or site and start time,
 * attendance by session, notes by co-signature state) and by a row limit.
 */
import { sql } from "kysely";
import type { Queryable } from "~/kernel/db";
import { getSigner, type Signer } from "~/features/admin/credentials.server";
import { mayCoSign } from "~/features/admin/credentials";
import { isAttended, STATUS_KEYS } from "~/features/attendance/rules";
import { noteSettings } from "./notes.server";
import { type NoteState, noteState } from "./rules";

/** How far back Home looks for notes to write: eight weeks. Older gaps show in the undocumented-sessions report. */
export const NOTES_LOOK_BACK_DAYS = 56;
/** Rows a Home list shows; the rest are counted ("N more"). */
export const NOTES_HOME_ROWS = 10;

const DAY_MS = 86_400_000;
/** Present, late or left early. */
export const ATTENDED_STATUSES = STATUS_KEYS.filter(isAttended);

/**
 * Sessions held in the look-back window (not cancelled, ended by now) with someone marked as
 * attending, each beside its note (if any): the rows Home's note worklists read.
 */
function heldSessionsQuery(db: Queryable, by: { siteId: string; facilitatorId?: string }, now: Date) {
  const since = new Date(now.getTime() - NOTES_LOOK_BACK_DAYS * DAY_MS).toISOString();
  let q = db
    .selectFrom("sessions as s")
    .leftJoin("notes as n", "n.session_id", "s.id")
    .where("s.site_id", "=", by.siteId)
    .where("s.status", "!=", "cancelled")
    .where("s.starts_at", ">=", since)
    // A session ends after it starts (the schedule refuses any other), so one that has ended began
    // before now: the bound keeps the months of sessions scheduled ahead out of the index range.
    .where("s.starts_at", "<", now.toISOString())
    .where("s.ends_at", "<=", now.toISOString())
    .where((eb) => eb.exists(eb.selectFrom("session_tallies as t").select("t.session_id").whereRef("t.session_id", "=", "s.id").where("t.attended", ">", 0)));
  if (by.facilitatorId) {
    const me = by.facilitatorId;
    q = q.where((eb) => eb.or([eb("s.facilitator_id", "=", me), eb("s.co_facilitator_id", "=", me)]));
  }
  return q;
}

/** A session held in the look-back window, with someone marked as attending, and its note's state. */
async function heldSessions(db: Queryable, by: { siteId: string; facilitatorId?: string }, now: Date) {
  const rows = await heldSessionsQuery(db, by, now)
    .select([
      "s.id",
      "s.title",
      "s.kind",
      "s.local_date",
      "s.starts_at",
      "s.ends_at",
      "s.facilitator_id",
      "s.co_facilitator_id",
      "n.id as note_id",
      "n.signed_at",
      "n.cosign_required",
      "n.cosigned_at",
      // Counted from the session's kept tally (one row per session and day, kept by the roll-call
      // save: attendance/tallies.server.ts), not from its marks: the window holds weeks of a site's sessions.
      (eb) =>
        eb
          .selectFrom("session_tallies as t")
          .select(sql<number>`coalesce(sum(t.attended), 0)`.as("c"))
          .whereRef("t.session_id", "=", "s.id")
          .as("attended"),
    ])
    .orderBy("s.ends_at")
    .orderBy("s.id")
    .limit(5000)
    .execute();
  return rows.map((r) => ({
    ...r,
    attended: Number(r.attended),
    state: noteState(r.note_id ? { signedAt: r.signed_at, cosignRequired: Boolean(Number(r.cosign_required)), cosignedAt: r.cosigned_at } : null) as NoteState,
  }));
}

/** Overdue: the session ended more than the late-entry hours ago and its note is still not signed. */
export const isOverdue = (endsAt: string, lateHours: number, now: Date) => now.getTime() - Date.parse(endsAt) > lateHours * 3_600_000;

export interface NoteToWrite {
  sessionId: string;
  title: string;
  date: string;
  endsAt: string;
  patients: number;
  state: "missing" | "draft";
  overdue: boolean;
}

export interface NotesToWrite {
  rows: NoteToWrite[];
  /** All of them, including those past the row limit. */
  total: number;
  overdue: number;
  lateHours: number;
  lookBackDays: number;
}

/** A facilitator's (or co-facilitator's) held sessions whose note is missing or unsigned, oldest first. */
export async function notesToWrite(db: Queryable, userId: string, siteId: string, now = new Date()): Promise<NotesToWrite> {
  const [sessions, settings] = await Promise.all([heldSessions(db, { siteId, facilitatorId: userId }, now), noteSettings(db, siteId)]);
  const open = sessions
    .filter((s) => s.state === "missing" || s.state === "draft")
    .map((s) => ({
      sessionId: s.id,
      title: s.title,
      date: s.local_date,
      endsAt: s.ends_at,
      patients: s.attended,
      state: s.state as "missing" | "draft",
      overdue: isOverdue(s.ends_at, settings.lateHours, now),
    }));
  return {
    rows: open.slice(0, NOTES_HOME_ROWS),
    total: open.length,
    overdue: open.filter((r) => r.overdue).length,
    lateHours: settings.lateHours,
    lookBackDays: NOTES_LOOK_BACK_DAYS,
  };
}

export interface NoteCoSignItem {
  noteId: string;
  sessionId: string;
  title: string;
  date: string;
  signedBy: string | null;
  signedAt: string;
}

/** Notes at the supervisor's sites signed by someone they may co-sign for, waiting for it, oldest first. */
export async function noteCoSignQueue(db: Queryable, supervisorId: string, supervisorSigner?: Signer | null): Promise<NoteCoSignItem[]> {
  const supervisor = supervisorSigner === undefined ? await getSigner(db, supervisorId) : supervisorSigner;
  if (!supervisor?.clinicalSupervisor || !supervisor.siteIds.length) return [];
  const rows = await db
    .selectFrom("notes as n")
    .innerJoin("sessions as s", "s.id", "n.session_id")
    .leftJoin("users as u", "u.id", "n.signed_by")
    .select(["n.id", "n.session_id", "n.local_date", "n.signed_by", "n.signed_at", "s.title", "u.name as signed_by_name"])
    .where("n.cosign_required", "=", 1)
    .where("n.cosigned_at", "is", null)
    .where("n.signed_at", "is not", null)
    .where("n.site_id", "in", supervisor.siteIds)
    .orderBy("n.signed_at")
    .limit(100)
    .execute();
  const authors = new Map<string, Signer | null>();
  for (const id of new Set(rows.map((r) => r.signed_by).filter((x): x is string => Boolean(x)))) authors.set(id, await getSigner(db, id));
  return rows
    .filter((r) => {
      const author = r.signed_by ? authors.get(r.signed_by) : null;
      return author ? mayCoSign(supervisor, author) : false;
    })
    .map((r) => ({ noteId: r.id, sessionId: r.session_id, title: r.title, date: r.local_date, signedBy: r.signed_by_name, signedAt: r.signed_at! }));
}

/** One row of the combined co-signature queue: a plan (for a patient) or a note (for a session). */
export interface CoSignItem {
  kind: "plan" | "note";
  key: string;
  /** The patient's name for a plan; the session's title for a note. */
  label: string;
  /** The patient's MRN for a plan; the session's date for a note. */
  detail: string;
  to: string;
  signedBy: string | null;
  signedAt: string;
}

/** Plans and notes waiting for the supervisor's co-signature, in one list, oldest signature first. */
export function mergeCoSignQueues(
  plans: readonly { patientId: string; name: string; mrn: string; signedBy: string | null; signedAt: string }[],
  notes: readonly NoteCoSignItem[],
): CoSignItem[] {
  return [
    ...plans.map((p) => ({
      kind: "plan" as const,
      key: `plan-${p.patientId}`,
      label: p.name,
      detail: p.mrn,
      to: `/patients/${p.patientId}/plan`,
      signedBy: p.signedBy,
      signedAt: p.signedAt,
    })),
    ...notes.map((n) => ({
      kind: "note" as const,
      key: `note-${n.noteId}`,
      label: n.title,
      detail: n.date,
      to: `/schedule/sessions/${n.sessionId}/note`,
      signedBy: n.signedBy,
      signedAt: n.signedAt,
    })),
  ].sort((a, b) => a.signedAt.localeCompare(b.signedAt) || a.key.localeCompare(b.key));
}

export interface ClinicianNoteCounts {
  clinicianId: string;
  clinician: string;
  missing: number;
  drafts: number;
  overdue: number;
  awaitingCosign: number;
}

/**
 * The admins' view of a site over the look-back window: per clinician (the session's facilitator),
 * held sessions with no note, with an unsigned draft, how many of those are overdue, and (any age)
 * notes they signed that wait for a co-signature. Counted by the database, grouped by clinician:
 * the window holds weeks of a whole site's sessions, and the page shows one row per clinician.
 */
export async function noteCountsByClinician(db: Queryable, siteId: string, now = new Date()): Promise<ClinicianNoteCounts[]> {
  const settings = await noteSettings(db, siteId);
  // Overdue: ended more than the late-entry hours ago (`isOverdue`), with its note still unsigned.
  const overdueBefore = new Date(now.getTime() - settings.lateHours * 3_600_000).toISOString();
  const [open, waiting] = await Promise.all([
    heldSessionsQuery(db, { siteId }, now)
      // Missing (no note) or a draft (not signed): the two states a facilitator still has to write.
      .where("n.signed_at", "is", null)
      .select([
        "s.facilitator_id",
        sql<number>`sum(case when ${sql.ref("n.id")} is null then 1 else 0 end)`.as("missing"),
        sql<number>`sum(case when ${sql.ref("n.id")} is null then 0 else 1 end)`.as("drafts"),
        sql<number>`sum(case when ${sql.ref("s.ends_at")} < ${overdueBefore} then 1 else 0 end)`.as("overdue"),
      ])
      .groupBy("s.facilitator_id")
      .execute(),
    db
      .selectFrom("notes as n")
      .select(["n.signed_by", sql<number>`count(*)`.as("c")])
      .where("n.cosign_required", "=", 1)
      .where("n.cosigned_at", "is", null)
      .where("n.signed_at", "is not", null)
      .where("n.site_id", "=", siteId)
      .groupBy("n.signed_by")
      .execute(),
  ]);
  const ids = new Set<string>([...open.map((s) => s.facilitator_id), ...waiting.map((w) => w.signed_by).filter((x): x is string => Boolean(x))]);
  if (!ids.size) return [];
  const names = new Map(
    (
      await db
        .selectFrom("users")
        .select(["id", "name"])
        .where("id", "in", [...ids])
        .execute()
    ).map((u) => [u.id, u.name]),
  );
  const by = new Map<string, ClinicianNoteCounts>();
  const of = (id: string) => {
    let c = by.get(id);
    if (!c) by.set(id, (c = { clinicianId: id, clinician: names.get(id) ?? "Unknown", missing: 0, drafts: 0, overdue: 0, awaitingCosign: 0 }));
    return c;
  };
  for (const o of open) {
    const c = of(o.facilitator_id);
    c.missing += Number(o.missing);
    c.drafts += Number(o.drafts);
    c.overdue += Number(o.overdue);
  }
  for (const w of waiting) if (w.signed_by) of(w.signed_by).awaitingCosign += Number(w.c);
  return [...by.values()].sort((a, b) => a.clinician.localeCompare(b.clinician) || a.clinicianId.localeCompare(b.clinicianId));
}

export interface HomeNotes {
  /** A counselor's notes to write. */
  toWrite: NotesToWrite | null;
  /** A clinical supervisor's notes waiting for a co-signature (merged with plans' on Home). */
  coSign: NoteCoSignItem[];
  /** An admin's counts per clinician. */
  counts: ClinicianNoteCounts[] | null;
}

/** What Home shows of progress notes for the person reading it. */
export async function homeNotes(db: Queryable, user: { id: string; role: string }, siteId: string, now = new Date()): Promise<HomeNotes> {
  const [toWrite, coSign, counts] = await Promise.all([
    user.role === "counselor" ? notesToWrite(db, user.id, siteId, now) : null,
    noteCoSignQueue(db, user.id),
    user.role === "admin" ? noteCountsByClinician(db, siteId, now) : null,
  ]);
  return { toWrite, coSign, counts };
}

/**
 * Progress notes and group notes: one note per held session, written by its facilitator or
 * co-facilitator, with a shared part (groups) and a part for each patient who attended. Each part
 * saves on its own with its own `version`, so a save over a newer one is refused with what is
 * there now and never overwrites it. Signing signs the whole note and locks it (a trigger refuses
 * any later change too); afterwards only addenda are added. Every write is one transaction with
 * its audit record; the audit log records which parts changed and how long they are, never the text.
 */
import { dialectOf } from "#db/database";
import type { DB, Queryable, Trx } from "~/kernel/db";
import type { Actor } from "~/kernel/actor";
import type { WriteResult } from "~/kernel/results";
import { siteSetting } from "~/kernel/site-settings.server";
import { recordAudit } from "~/features/audit/audit.server";
import { refreshCharges } from "~/features/billing/charges.server";
import { getSigner } from "~/features/admin/credentials.server";
import { coSignProblem, needsCoSignature } from "~/features/admin/credentials";
import { isAttended } from "~/features/attendance/rules";
import { newId } from "~/utils/ids";
import type { ClientMeta } from "~/utils/request.server";
import {
  DEFAULT_LATE_HOURS,
  DEFAULT_NOTE_FORMAT,
  EMPTY_ENTRY,
  EMPTY_SHARED,
  type EntryContent,
  type GroupShared,
  isLateEntry,
  isNoteFormat,
  LATE_HOURS_RANGE,
  NOTE_LIMITS,
  NOTE_SETTING_KEYS,
  type NoteFormat,
  noteGaps,
  type NoteKind,
  type NoteState,
  noteState,
  parseEntry,
  parseShared,
  sessionHeld,
} from "./rules";

export const NOTE_NOT_FOUND = { ok: false as const, status: 404 as const, formError: "There is no such note at your site." };
const SIGNED_LOCKED = {
  ok: false as const,
  status: 409 as const,
  formError: "This note is signed, and a signed note never changes. Add an addendum to it instead.",
};

async function settingOf(db: Queryable, siteId: string, key: string): Promise<string | undefined> {
  const own = await siteSetting(db, siteId, key);
  if (own) return own.value;
  const row = await db.selectFrom("program_settings").select("value").where("key", "=", key).executeTakeFirst();
  return row?.value;
}

export interface NoteSettings {
  format: NoteFormat;
  lateHours: number;
  /** A day is billable only when every session attended that day has a signed note. */
  billingNeedsNotes: boolean;
}

/** The site's note settings (its own choice, else the network's `program_settings`, else the defaults). */
export async function noteSettings(db: Queryable, siteId: string): Promise<NoteSettings> {
  const [format, late, billing] = await Promise.all([
    settingOf(db, siteId, NOTE_SETTING_KEYS.format),
    settingOf(db, siteId, NOTE_SETTING_KEYS.lateHours),
    settingOf(db, siteId, NOTE_SETTING_KEYS.billing),
  ]);
  const hours = Number(late);
  return {
    format: isNoteFormat(format) ? format : DEFAULT_NOTE_FORMAT,
    lateHours: Number.isInteger(hours) && hours >= LATE_HOURS_RANGE.min && hours <= LATE_HOURS_RANGE.max ? hours : DEFAULT_LATE_HOURS,
    billingNeedsNotes: billing === "1",
  };
}

/** The session a note is for, at the reader's site. */
async function sessionOf(db: Queryable, sessionId: string, siteId: string) {
  if (sessionId.length > 64) return null;
  return db
    .selectFrom("sessions")
    .select(["id", "site_id", "kind", "title", "facilitator_id", "co_facilitator_id", "local_date", "starts_at", "ends_at", "status"])
    .where("id", "=", sessionId)
    .where("site_id", "=", siteId)
    .executeTakeFirst();
}
type SessionRow = NonNullable<Awaited<ReturnType<typeof sessionOf>>>;

const writesFor = (s: Pick<SessionRow, "facilitator_id" | "co_facilitator_id">, userId: string) =>
  s.facilitator_id === userId || s.co_facilitator_id === userId;

/** Who attended a session by the roll call (present, late or left early), with their minutes and mode. */
async function attendedOf(db: Queryable, sessionId: string) {
  const rows = await db
    .selectFrom("attendance as a")
    .innerJoin("patients as p", "p.id", "a.patient_id")
    .select(["a.patient_id", "a.status", "a.mode", "a.minutes", "p.legal_first_name", "p.legal_last_name", "p.preferred_name", "p.mrn"])
    .where("a.session_id", "=", sessionId)
    .orderBy("p.legal_last_name")
    .orderBy("p.legal_first_name")
    .execute();
  return rows.map((r) => ({
    patientId: r.patient_id,
    status: r.status,
    attended: isAttended(r.status),
    mode: r.mode,
    minutes: Number(r.minutes),
    name: `${r.preferred_name || r.legal_first_name} ${r.legal_last_name}`,
    mrn: r.mrn,
  }));
}

async function holdNote(trx: Trx, noteId: string) {
  if (dialectOf(trx) === "postgres") await trx.selectFrom("notes").select("id").where("id", "=", noteId).forUpdate().execute();
}

/** Why this person may not write this session's note, or null when they may. */
export function writeProblem(s: Pick<SessionRow, "facilitator_id" | "co_facilitator_id" | "status" | "starts_at">, userId: string, now: Date): string | null {
  if (s.status === "cancelled") return "This session was cancelled, so it has no note.";
  if (!sessionHeld(s.starts_at, now)) return "This session has not been held yet. Its note is written once it has started.";
  if (!writesFor(s, userId)) return "Only the session's facilitator or co-facilitator writes its note.";
  return null;
}

/**
 * Opens the session's note for writing: the one already started, or a new draft with a part for
 * each patient the roll call marks as attended. Opening an unsigned note again adds a part for
 * anyone marked attended since. Refused for a session not yet held, cancelled, with no one marked
 * attended, or for anyone but its facilitators.
 */
export async function openNote(
  db: DB,
  actor: Actor,
  sessionId: string,
  siteId: string,
  meta: ClientMeta,
  at: Date = new Date(),
): Promise<WriteResult<{ id: string; created: boolean }>> {
  const session = await sessionOf(db, sessionId, siteId);
  if (!session) return { ok: false, status: 404, formError: "There is no such session at your site." };
  const problem = writeProblem(session, actor.id, at);
  if (problem) return { ok: false, status: 409, formError: problem };
  const attended = (await attendedOf(db, sessionId)).filter((a) => a.attended);
  const existing = await db.selectFrom("notes").select(["id", "signed_at"]).where("session_id", "=", sessionId).executeTakeFirst();
  if (existing?.signed_at) return { ok: true, id: existing.id, created: false };
  if (!existing && !attended.length)
    return {
      ok: false,
      status: 409,
      formError: "No one is marked present, late or left early for this session, so there is no one to write a note for. Take or correct the roll first.",
    };
  const settings = await noteSettings(db, siteId);
  const now = at.toISOString();
  return db.transaction().execute(async (trx) => {
    let id = existing?.id;
    let created = false;
    if (id) {
      // Signed a moment ago by someone else: a signed note takes no new parts.
      await holdNote(trx, id);
      const cur = await trx.selectFrom("notes").select("signed_at").where("id", "=", id).executeTakeFirstOrThrow();
      if (cur.signed_at) return { ok: true as const, id, created: false };
    } else {
      id = newId();
      const inserted = await trx
        .insertInto("notes")
        .values({
          id,
          site_id: siteId,
          session_id: sessionId,
          kind: session.kind,
          format: settings.format,
          local_date: session.local_date,
          session_ends_at: session.ends_at,
          shared: JSON.stringify(EMPTY_SHARED),
          created_by: actor.id,
          created_at: now,
          updated_by: actor.id,
          updated_at: now,
        })
        .onConflict((oc) => oc.column("session_id").doNothing())
        .executeTakeFirst();
      if (Number(inserted.numInsertedOrUpdatedRows ?? 0) !== 1) {
        // Someone opened it at the same moment: use theirs.
        const theirs = await trx.selectFrom("notes").select("id").where("session_id", "=", sessionId).executeTakeFirstOrThrow();
        id = theirs.id;
      } else created = true;
    }
    const have = new Set((await trx.selectFrom("note_entries").select("patient_id").where("note_id", "=", id).execute()).map((r) => r.patient_id));
    const missing = attended.filter((a) => !have.has(a.patientId));
    if (missing.length)
      await trx
        .insertInto("note_entries")
        .values(
          missing.map((a) => ({
            id: newId(),
            note_id: id!,
            patient_id: a.patientId,
            content: JSON.stringify(EMPTY_ENTRY),
            updated_by: actor.id,
            updated_at: now,
          })),
        )
        .onConflict((oc) => oc.columns(["note_id", "patient_id"]).doNothing())
        .execute();
    if (created || missing.length)
      await recordAudit(trx, {
        actor,
        action: created ? "note.started" : "note.parts_added",
        entityType: "note",
        entityId: id,
        siteId,
        after: { session: sessionId, kind: session.kind, parts: missing.length },
        meta,
      });
    return { ok: true as const, id, created };
  });
}

export interface NotePart {
  patientId: string;
  name: string;
  mrn: string;
  content: EntryContent;
  version: number;
  updatedBy: string;
  updatedAt: string;
  /** From the roll call now, or as recorded at signing. */
  status: string | null;
  attended: boolean;
  minutes: number | null;
  mode: string | null;
}

export interface NoteView {
  id: string;
  sessionId: string;
  sessionTitle: string;
  kind: NoteKind;
  format: NoteFormat;
  date: string;
  startsAt: string;
  endsAt: string;
  facilitatorId: string;
  coFacilitatorId: string | null;
  facilitators: string;
  shared: GroupShared;
  sharedVersion: number;
  sharedUpdatedBy: string;
  sharedUpdatedAt: string;
  state: NoteState;
  signedBy: string | null;
  signedById: string | null;
  signedAt: string | null;
  lateEntry: boolean;
  cosignRequired: boolean;
  cosignedBy: string | null;
  cosignedAt: string | null;
  parts: NotePart[];
  addenda: { id: string; patientId: string | null; text: string; signedBy: string; signedAt: string }[];
}

function noteQuery(db: Queryable) {
  return db
    .selectFrom("notes as n")
    .innerJoin("sessions as s", "s.id", "n.session_id")
    .innerJoin("users as f", "f.id", "s.facilitator_id")
    .leftJoin("users as cf", "cf.id", "s.co_facilitator_id")
    .innerJoin("users as ub", "ub.id", "n.updated_by")
    .leftJoin("users as sb", "sb.id", "n.signed_by")
    .leftJoin("users as cs", "cs.id", "n.cosigned_by")
    .selectAll("n")
    .select([
      "s.title",
      "s.starts_at",
      "s.ends_at",
      "s.facilitator_id",
      "s.co_facilitator_id",
      "f.name as facilitator_name",
      "cf.name as co_facilitator_name",
      "ub.name as updated_by_name",
      "sb.name as signed_by_name",
      "cs.name as cosigned_by_name",
    ]);
}
type NoteRow = Awaited<ReturnType<ReturnType<typeof noteQuery>["executeTakeFirstOrThrow"]>>;

/**
 * A note with its parts. `onlyPatientId` limits the parts and addenda to that one patient (what a
 * patient's chart shows: the shared part and only their own part, never another member's name).
 */
async function toView(db: Queryable, n: NoteRow, onlyPatientId: string | null): Promise<NoteView> {
  let entries = db
    .selectFrom("note_entries as e")
    .innerJoin("patients as p", "p.id", "e.patient_id")
    .innerJoin("users as u", "u.id", "e.updated_by")
    .select([
      "e.patient_id",
      "e.content",
      "e.version",
      "e.updated_at",
      "e.minutes",
      "e.mode",
      "u.name as updated_by_name",
      "p.legal_first_name",
      "p.legal_last_name",
      "p.preferred_name",
      "p.mrn",
    ])
    .where("e.note_id", "=", n.id);
  if (onlyPatientId) entries = entries.where("e.patient_id", "=", onlyPatientId);
  let addenda = db
    .selectFrom("note_addenda as a")
    .innerJoin("users as u", "u.id", "a.signed_by")
    .select(["a.id", "a.patient_id", "a.text", "a.signed_at", "u.name as signed_by_name"])
    .where("a.note_id", "=", n.id)
    .orderBy("a.signed_at")
    .orderBy("a.id");
  if (onlyPatientId) addenda = addenda.where((eb) => eb.or([eb("a.patient_id", "is", null), eb("a.patient_id", "=", onlyPatientId)]));
  const [rows, adds, roll] = await Promise.all([
    entries.orderBy("p.legal_last_name").orderBy("p.legal_first_name").execute(),
    addenda.execute(),
    n.signed_at ? Promise.resolve([]) : attendedOf(db, n.session_id),
  ]);
  const rollBy = new Map(roll.map((r) => [r.patientId, r]));
  const cosignRequired = Boolean(Number(n.cosign_required));
  return {
    id: n.id,
    sessionId: n.session_id,
    sessionTitle: n.title,
    kind: n.kind as NoteKind,
    format: isNoteFormat(n.format) ? n.format : DEFAULT_NOTE_FORMAT,
    date: n.local_date,
    startsAt: n.starts_at,
    endsAt: n.ends_at,
    facilitatorId: n.facilitator_id,
    coFacilitatorId: n.co_facilitator_id,
    facilitators: [n.facilitator_name, n.co_facilitator_name].filter(Boolean).join(" and "),
    shared: parseShared(n.shared),
    sharedVersion: Number(n.version),
    sharedUpdatedBy: n.updated_by_name,
    sharedUpdatedAt: n.updated_at,
    state: noteState({ signedAt: n.signed_at, cosignRequired, cosignedAt: n.cosigned_at }),
    signedBy: n.signed_by_name,
    signedById: n.signed_by,
    signedAt: n.signed_at,
    lateEntry: Boolean(Number(n.late_entry)),
    cosignRequired,
    cosignedBy: n.cosigned_by_name,
    cosignedAt: n.cosigned_at,
    parts: rows.map((r) => {
      const now = rollBy.get(r.patient_id);
      return {
        patientId: r.patient_id,
        name: `${r.preferred_name || r.legal_first_name} ${r.legal_last_name}`,
        mrn: r.mrn,
        content: parseEntry(r.content),
        version: Number(r.version),
        updatedBy: r.updated_by_name,
        updatedAt: r.updated_at,
        status: n.signed_at ? null : (now?.status ?? null),
        attended: n.signed_at ? true : Boolean(now?.attended),
        minutes: n.signed_at ? (r.minutes === null ? null : Number(r.minutes)) : (now?.minutes ?? null),
        mode: n.signed_at ? r.mode : (now?.mode ?? null),
      };
    }),
    addenda: adds.map((a) => ({ id: a.id, patientId: a.patient_id, text: a.text, signedBy: a.signed_by_name, signedAt: a.signed_at })),
  };
}

/** The whole note (every member's part): for the people who write it and for the supervisor who co-signs it. */
export async function noteById(db: Queryable, noteId: string, siteIds: string[]): Promise<NoteView | null> {
  if (noteId.length > 64 || !siteIds.length) return null;
  const n = await noteQuery(db).where("n.id", "=", noteId).where("n.site_id", "in", siteIds).executeTakeFirst();
  return n ? toView(db, n, null) : null;
}

export async function noteForSession(db: Queryable, sessionId: string, siteId: string): Promise<NoteView | null> {
  if (sessionId.length > 64) return null;
  const n = await noteQuery(db).where("n.session_id", "=", sessionId).where("n.site_id", "=", siteId).executeTakeFirst();
  return n ? toView(db, n, null) : null;
}

/** One note as a patient's chart shows it: the shared part and only this patient's own part. */
export async function noteForPatient(db: Queryable, noteId: string, patientId: string, siteIds: string[]): Promise<NoteView | null> {
  if (noteId.length > 64 || patientId.length > 64 || !siteIds.length) return null;
  const n = await noteQuery(db)
    .where("n.id", "=", noteId)
    .where("n.site_id", "in", siteIds)
    .where((eb) => eb.exists(eb.selectFrom("note_entries as e").select("e.id").whereRef("e.note_id", "=", "n.id").where("e.patient_id", "=", patientId)))
    .executeTakeFirst();
  return n ? toView(db, n, patientId) : null;
}

/** What a refused save answers: the part as it is now, who saved it and when; the person keeps their own text. */
export interface SaveConflict {
  ok: false;
  status: 409;
  formError: string;
  current: { version: number; updatedBy: string; updatedAt: string; shared?: GroupShared; content?: EntryContent };
}

const conflictMessage = (who: string, part: string) =>
  `${who} saved ${part} after you opened it, so your change was not saved over theirs. Your text is kept here: compare it with theirs below, then save again.`;

const overLimit = (max: number) => `Keep it under ${max} characters.`;

/** Text over the limits, at its form field ("shared.topic"), or null when every part fits. Nothing is cut short: the writer keeps their text and is told. */
function sharedTooLong(shared: GroupShared): Record<string, string[]> | null {
  const errors: Record<string, string[]> = {};
  const limits: Record<keyof GroupShared, number> = {
    topic: NOTE_LIMITS.short,
    curriculum: NOTE_LIMITS.short,
    interventions: NOTE_LIMITS.text,
    process: NOTE_LIMITS.text,
  };
  for (const [key, max] of Object.entries(limits)) if ((shared[key as keyof GroupShared] ?? "").length > max) errors[`shared.${key}`] = [overLimit(max)];
  return Object.keys(errors).length ? errors : null;
}

/** The same for one patient's part ("entry.<patientId>.<field>"). */
function entryTooLong(patientId: string, content: EntryContent): Record<string, string[]> | null {
  const errors: Record<string, string[]> = {};
  const at = (field: string) => `entry.${patientId}.${field}`;
  const sections = Object.entries(content.sections ?? {});
  if (sections.length > 8) errors[at("sections")] = ["This part has more sections than any note format."];
  for (const [key, value] of sections) {
    if (key.length > 20) errors[at("sections")] = ["This part has a section no note format has."];
    else if (value.length > NOTE_LIMITS.text) errors[at(key)] = [overLimit(NOTE_LIMITS.text)];
  }
  if (content.harmDetail.length > NOTE_LIMITS.short) errors[at("harmDetail")] = [overLimit(NOTE_LIMITS.short)];
  if (content.useDetail.length > NOTE_LIMITS.short) errors[at("useDetail")] = [overLimit(NOTE_LIMITS.short)];
  if (content.objectives.length > NOTE_LIMITS.objectives) errors[at("objectives")] = [`Name at most ${NOTE_LIMITS.objectives} objectives.`];
  else if (content.objectives.some((o) => o.key.length > 20 || o.text.length > 2000 || o.comment.length > NOTE_LIMITS.short))
    errors[at("objectives")] = [`Keep each objective's comment under ${NOTE_LIMITS.short} characters.`];
  return Object.keys(errors).length ? errors : null;
}

const TOO_LONG = "Some of the text is longer than a note allows, so nothing was saved. Your text is kept: shorten what is marked, then save again.";

async function writableNote(trx: Queryable, noteId: string, siteId: string, actorId: string) {
  const n = await trx
    .selectFrom("notes as n")
    .innerJoin("sessions as s", "s.id", "n.session_id")
    .select(["n.id", "n.signed_at", "n.version", "n.kind", "n.session_id", "s.facilitator_id", "s.co_facilitator_id"])
    .where("n.id", "=", noteId)
    .where("n.site_id", "=", siteId)
    .executeTakeFirst();
  if (!n) return { refusal: NOTE_NOT_FOUND };
  if (n.signed_at) return { refusal: SIGNED_LOCKED };
  if (!writesFor(n, actorId))
    return { refusal: { ok: false as const, status: 409 as const, formError: "Only the session's facilitator or co-facilitator writes its note." } };
  return { note: n };
}

/** Saves the group's shared part at the version the writer opened; refused with what is there now when someone saved first. */
export async function saveShared(
  db: DB,
  actor: Actor,
  noteId: string,
  input: { version: number; shared: GroupShared },
  siteId: string,
  meta: ClientMeta,
  at: Date = new Date(),
): Promise<WriteResult<{ version: number; savedAt: string }> | SaveConflict> {
  const tooLong = sharedTooLong(input.shared);
  if (tooLong) return { ok: false, status: 400, formError: TOO_LONG, fieldErrors: tooLong };
  return db.transaction().execute(async (trx) => {
    await holdNote(trx, noteId);
    const w = await writableNote(trx, noteId, siteId, actor.id);
    if (w.refusal) return w.refusal;
    const now = at.toISOString();
    const res = await trx
      .updateTable("notes")
      .set({ shared: JSON.stringify(input.shared), updated_by: actor.id, updated_at: now, version: input.version + 1 })
      .where("id", "=", noteId)
      .where("version", "=", input.version)
      .where("signed_at", "is", null)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) {
      const cur = await trx
        .selectFrom("notes as n")
        .innerJoin("users as u", "u.id", "n.updated_by")
        .select(["n.shared", "n.version", "n.updated_at", "u.name"])
        .where("n.id", "=", noteId)
        .executeTakeFirstOrThrow();
      return {
        ok: false as const,
        status: 409 as const,
        formError: conflictMessage(cur.name, "the group's shared part"),
        current: { version: Number(cur.version), updatedBy: cur.name, updatedAt: cur.updated_at, shared: parseShared(cur.shared) },
      };
    }
    await recordAudit(trx, {
      actor,
      action: "note.draft_saved",
      entityType: "note",
      entityId: noteId,
      siteId,
      after: { part: "shared", length: Object.values(input.shared).join("").length },
      meta,
    });
    return { ok: true as const, version: input.version + 1, savedAt: now };
  });
}

/** Saves one patient's part at the version the writer opened; refused with what is there now when someone saved first. */
export async function saveEntry(
  db: DB,
  actor: Actor,
  noteId: string,
  patientId: string,
  input: { version: number; content: EntryContent },
  siteId: string,
  meta: ClientMeta,
  at: Date = new Date(),
): Promise<WriteResult<{ version: number; savedAt: string }> | SaveConflict> {
  if (patientId.length > 64) return NOTE_NOT_FOUND;
  const tooLong = entryTooLong(patientId, input.content);
  if (tooLong) return { ok: false, status: 400, formError: TOO_LONG, fieldErrors: tooLong };
  return db.transaction().execute(async (trx) => {
    await holdNote(trx, noteId);
    const w = await writableNote(trx, noteId, siteId, actor.id);
    if (w.refusal) return w.refusal;
    const now = at.toISOString();
    const res = await trx
      .updateTable("note_entries")
      .set({ content: JSON.stringify(input.content), updated_by: actor.id, updated_at: now, version: input.version + 1 })
      .where("note_id", "=", noteId)
      .where("patient_id", "=", patientId)
      .where("version", "=", input.version)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) {
      const cur = await trx
        .selectFrom("note_entries as e")
        .innerJoin("users as u", "u.id", "e.updated_by")
        .innerJoin("patients as p", "p.id", "e.patient_id")
        .select(["e.content", "e.version", "e.updated_at", "u.name", "p.legal_first_name", "p.preferred_name", "p.legal_last_name"])
        .where("e.note_id", "=", noteId)
        .where("e.patient_id", "=", patientId)
        .executeTakeFirst();
      if (!cur) return NOTE_NOT_FOUND;
      return {
        ok: false as const,
        status: 409 as const,
        formError: conflictMessage(cur.name, `${cur.preferred_name || cur.legal_first_name} ${cur.legal_last_name}'s part`),
        current: { version: Number(cur.version), updatedBy: cur.name, updatedAt: cur.updated_at, content: parseEntry(cur.content) },
      };
    }
    await recordAudit(trx, {
      actor,
      action: "note.draft_saved",
      entityType: "note",
      entityId: noteId,
      patientId,
      siteId,
      after: { part: "patient", length: Object.values(input.content.sections).join("").length },
      meta,
    });
    return { ok: true as const, version: input.version + 1, savedAt: now };
  });
}

/**
 * Signs the whole note and locks it. Refused, with every gap at its own field, when a required part
 * is empty; a part for someone the roll call no longer marks as attended is dropped when it is
 * empty and refused otherwise (correct the roll, or clear their part). The minutes and mode the
 * roll call records are copied into each part. Late when signed more than the program's late
 * hours after the session ended; sent to a supervisor's queue when the author needs a co-signature.
 */
export async function signNote(
  db: DB,
  actor: Actor,
  noteId: string,
  siteId: string,
  meta: ClientMeta,
  at: Date = new Date(),
): Promise<WriteResult<{ id: string; cosignRequired: boolean; lateEntry: boolean }>> {
  const view = await noteById(db, noteId, [siteId]);
  if (!view) return NOTE_NOT_FOUND;
  if (view.state !== "draft") return SIGNED_LOCKED;
  if (!writesFor({ facilitator_id: view.facilitatorId, co_facilitator_id: view.coFacilitatorId }, actor.id))
    return { ok: false, status: 409, formError: "Only the session's facilitator or co-facilitator signs its note." };
  const rollNow = await attendedOf(db, view.sessionId);
  const roll = new Map(rollNow.map((r) => [r.patientId, r]));
  // Someone the roll call marks as attended since the note was opened has no part yet: add it, and
  // do not sign a note that leaves them out.
  const have = new Set(view.parts.map((p) => p.patientId));
  const unwritten = rollNow.filter((r) => r.attended && !have.has(r.patientId));
  if (unwritten.length) {
    const added = await openNote(db, actor, view.sessionId, siteId, meta, at);
    if (!added.ok) return added;
    const names = unwritten.map((r) => r.name).join(", ");
    return {
      ok: false,
      status: 409,
      formError: `The roll call now marks ${names} as attending, so the note was not signed: ${unwritten.length === 1 ? "their part has" : "their parts have"} been added. Write ${unwritten.length === 1 ? "it" : "them"}, then sign.`,
    };
  }
  const gone = view.parts.filter((p) => !roll.get(p.patientId)?.attended);
  const goneWithText = gone.filter((p) => hasContent(p.content));
  if (goneWithText.length)
    return {
      ok: false,
      status: 409,
      formError: `The roll call no longer marks ${goneWithText.map((p) => p.name).join(", ")} as attending, so the note was not signed. Correct the roll call, or clear ${goneWithText.length === 1 ? "their part" : "their parts"}.`,
    };
  const parts = view.parts.filter((p) => roll.get(p.patientId)?.attended);
  const gaps = noteGaps(
    view,
    parts.map((p) => ({ patientId: p.patientId, name: p.name, content: p.content })),
  );
  if (gaps.length) {
    const fieldErrors: Record<string, string[]> = {};
    for (const g of gaps) (fieldErrors[g.path] ??= []).push(g.message);
    return {
      ok: false,
      status: 400,
      formError: `The note is not complete, so it was not signed (${gaps.length} ${gaps.length === 1 ? "thing" : "things"} to finish, marked below). Everything typed is saved.`,
      fieldErrors,
    };
  }
  const [signer, settings] = await Promise.all([getSigner(db, actor.id), noteSettings(db, siteId)]);
  const cosignRequired = signer ? needsCoSignature(signer) : true;
  const now = at.toISOString();
  const lateEntry = isLateEntry(view.endsAt, now, settings.lateHours);
  try {
    return await db.transaction().execute(async (trx) => {
      await holdNote(trx, noteId);
      // Nothing of a refused signature stays: a part changed meanwhile rolls back the drops and the minutes copied before it.
      for (const p of gone)
        await trx.deleteFrom("note_entries").where("note_id", "=", noteId).where("patient_id", "=", p.patientId).where("version", "=", p.version).execute();
      for (const p of parts) {
        const r = roll.get(p.patientId)!;
        const res = await trx
          .updateTable("note_entries")
          .set({ minutes: r.minutes, mode: r.mode })
          .where("note_id", "=", noteId)
          .where("patient_id", "=", p.patientId)
          .where("version", "=", p.version)
          .executeTakeFirst();
        if (Number(res.numUpdatedRows) !== 1) throw new SignRefused(`${p.name}'s part changed while you were signing. Reload to read it, then sign again.`);
      }
      const count = await trx
        .selectFrom("note_entries")
        .select((eb) => eb.fn.countAll().as("n"))
        .where("note_id", "=", noteId)
        .executeTakeFirstOrThrow();
      if (Number(count.n) !== parts.length) throw new SignRefused("The note's parts changed while you were signing. Reload to read it, then sign again.");
      const res = await trx
        .updateTable("notes")
        .set({ signed_by: actor.id, signed_at: now, late_entry: lateEntry ? 1 : 0, cosign_required: cosignRequired ? 1 : 0, version: view.sharedVersion + 1 })
        .where("id", "=", noteId)
        .where("version", "=", view.sharedVersion)
        .where("signed_at", "is", null)
        .executeTakeFirst();
      if (Number(res.numUpdatedRows) !== 1) throw new SignRefused("The note changed while you were signing. Reload to read it, then sign again.");
      await recordAudit(trx, {
        actor,
        action: "note.signed",
        entityType: "note",
        entityId: noteId,
        siteId,
        after: { session: view.sessionId, kind: view.kind, parts: parts.length, lateEntry, cosignRequired, dropped: gone.length },
        meta,
      });
      // A signed note documents its members' minutes: their charges for the session's day follow.
      await refreshCharges(trx, siteId, { patientIds: [...parts, ...gone].map((p) => p.patientId), from: view.date, to: view.date }, {});
      return { ok: true as const, id: noteId, cosignRequired, lateEntry };
    });
  } catch (e) {
    if (e instanceof SignRefused) return { ok: false, status: 409, formError: e.message };
    throw e;
  }
}

/** Thrown inside the signing transaction so that a refused signature rolls back everything it did. */
class SignRefused extends Error {}

/** Anything written in a part: a section, participation, an objective or a risk answer. */
function hasContent(c: EntryContent): boolean {
  return (
    Object.values(c.sections).some((t) => t.trim()) ||
    Boolean(c.participation) ||
    c.objectives.length > 0 ||
    Boolean(c.harm) ||
    Boolean(c.use) ||
    Boolean(c.harmDetail.trim()) ||
    Boolean(c.useDetail.trim())
  );
}

/** A clinical supervisor co-signs a note whose author needs it; refused, saying why, for anyone else. */
export async function coSignNote(
  db: DB,
  actor: Actor,
  noteId: string,
  siteIds: string[],
  meta: ClientMeta,
  at: Date = new Date(),
): Promise<WriteResult<{ id: string }>> {
  const view = await noteById(db, noteId, siteIds);
  if (!view) return NOTE_NOT_FOUND;
  if (view.state !== "awaiting_cosign")
    return { ok: false, status: 409, formError: "This note is not waiting for a co-signature. Reload to see where it stands." };
  const [supervisor, author] = await Promise.all([getSigner(db, actor.id), view.signedById ? getSigner(db, view.signedById) : null]);
  const problem = !supervisor || !author ? "Only a clinical supervisor can co-sign." : coSignProblem(supervisor, author);
  if (problem) return { ok: false, status: 409, formError: `Not co-signed: ${problem}` };
  return db.transaction().execute(async (trx) => {
    const res = await trx
      .updateTable("notes")
      .set((eb) => ({ cosigned_by: actor.id, cosigned_at: at.toISOString(), version: eb("version", "+", 1) }))
      .where("id", "=", noteId)
      .where("cosigned_at", "is", null)
      .where("signed_at", "is not", null)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) return { ok: false as const, status: 409 as const, formError: "Someone co-signed this note a moment ago." };
    await recordAudit(trx, {
      actor,
      action: "note.cosigned",
      entityType: "note",
      entityId: noteId,
      siteId: (await trx.selectFrom("notes").select("site_id").where("id", "=", noteId).executeTakeFirstOrThrow()).site_id,
      after: { session: view.sessionId, author: view.signedBy },
      meta,
    });
    const site = (await trx.selectFrom("notes").select("site_id").where("id", "=", noteId).executeTakeFirstOrThrow()).site_id;
    await refreshCharges(trx, site, { patientIds: view.parts.map((p) => p.patientId), from: view.date, to: view.date }, {});
    return { ok: true as const, id: noteId };
  });
}

/**
 * Adds a dated, signed addendum to a signed note, leaving the original untouched: to the shared
 * part (`patientId` null: seen in every member's chart) or to one patient's part (seen only in
 * theirs). Written by the session's facilitators or the note's signer. The same form sent twice adds one.
 */
export async function addAddendum(
  db: DB,
  actor: Actor,
  noteId: string,
  input: { patientId: string | null; text: string; requestKey: string },
  siteIds: string[],
  meta: ClientMeta,
  at: Date = new Date(),
): Promise<WriteResult<{ id: string }>> {
  const view = await noteById(db, noteId, siteIds);
  if (!view) return NOTE_NOT_FOUND;
  if (view.state === "draft")
    return { ok: false, status: 409, formError: "This note is not signed yet: change the note itself instead of adding an addendum." };
  if (!writesFor({ facilitator_id: view.facilitatorId, co_facilitator_id: view.coFacilitatorId }, actor.id) && view.signedById !== actor.id)
    return { ok: false, status: 409, formError: "Only the note's author or the session's facilitators add addenda to it." };
  const text = input.text.trim();
  if (!text) return { ok: false, status: 400, fieldErrors: { text: ["Write the addendum: an empty addendum adds nothing."] } };
  if (text.length > NOTE_LIMITS.addendum)
    return {
      ok: false,
      status: 400,
      fieldErrors: { text: [`Keep it under ${NOTE_LIMITS.addendum} characters. Your text is kept: shorten it, then add it again.`] },
    };
  if (!input.requestKey || input.requestKey.length > 64)
    return { ok: false, status: 400, formError: "This form is out of date. Reload the page; your text is kept." };
  if (input.patientId && !view.parts.some((p) => p.patientId === input.patientId)) return NOTE_NOT_FOUND;
  // The same form sent twice (even at the same moment) adds one addendum; its key used on another note adds nothing there.
  const sameForm = async () => {
    const row = await db.selectFrom("note_addenda").select(["id", "note_id"]).where("request_key", "=", input.requestKey).executeTakeFirst();
    if (!row) return null;
    return row.note_id === noteId
      ? { ok: true as const, id: row.id }
      : { ok: false as const, status: 409 as const, formError: "This form was already used for another note. Reload the page; your text is kept." };
  };
  const already = await sameForm();
  if (already) return already;
  const id = newId();
  const added = await db.transaction().execute(async (trx) => {
    const inserted = await trx
      .insertInto("note_addenda")
      .values({ id, note_id: noteId, patient_id: input.patientId, request_key: input.requestKey, text, signed_by: actor.id, signed_at: at.toISOString() })
      .onConflict((oc) => oc.column("request_key").doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0) !== 1) return null;
    await recordAudit(trx, {
      actor,
      action: "note.addendum_added",
      entityType: "note",
      entityId: noteId,
      patientId: input.patientId ?? undefined,
      siteId: (await trx.selectFrom("notes").select("site_id").where("id", "=", noteId).executeTakeFirstOrThrow()).site_id,
      after: { part: input.patientId ? "patient" : "shared", length: text.length },
      meta,
    });
    return { ok: true as const, id };
  });
  return added ?? (await sameForm()) ?? { ok: false, status: 409, formError: "The addendum was not added. Reload the page; your text is kept." };
}

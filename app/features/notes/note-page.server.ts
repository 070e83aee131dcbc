/**
 * The session's note page: what it shows (the note, who may write, sign, co-sign or add to it, the
 * objectives each patient's active plan offers) and what it does (one intent per form, every write
 * through notes.server.ts). Each view of a note is audited (`note.viewed`), as a chart view is.
 */
import { recordAudit } from "~/features/audit/audit.server";
import { coSignProblem } from "~/features/admin/credentials";
import { getSigner } from "~/features/admin/credentials.server";
import { ATTENDANCE_MODES, type AttendanceMode } from "~/features/attendance/rules";
import { can, type Role } from "~/features/auth/permissions";
import { getSession } from "~/features/scheduling/groups.server";
import { APPOINTMENT_KINDS, type AppointmentKind, GROUP_KINDS, type GroupKind, MODALITIES, type Modality } from "~/features/scheduling/vocabulary";
import type { Actor } from "~/kernel/actor";
import type { DB } from "~/kernel/db";
import { instantRange } from "~/kernel/time";
import { newId } from "~/utils/ids";
import type { ClientMeta } from "~/utils/request.server";
import { addAddendum, coSignNote, noteForSession, noteSettings, openNote, saveEntry, saveShared, signNote, writeProblem } from "./notes.server";
import { activeObjectives } from "./objectives.server";
import { type EntryContent, type GroupShared, NOTE_FORMATS, NOTE_STATE_LABELS, type NoteState, noteState } from "./rules";
import { entryContentOf, noteActionSchema, noteFormObject, sharedOf } from "./schemas";

export const NOTE_VIEWED = "note.viewed";

export interface Viewer extends Actor {
  role: Role;
}

/** Where a session's note stands for the session page's button. */
export async function sessionNoteStatus(db: DB, sessionId: string, siteId: string, viewer: Viewer, now = new Date()) {
  if (!can(viewer.role, "read:notes")) return null;
  const s = await getSession(db, sessionId, siteId);
  if (!s) return null;
  const note = await db
    .selectFrom("notes")
    .select(["id", "signed_at", "cosign_required", "cosigned_at"])
    .where("session_id", "=", sessionId)
    .executeTakeFirst();
  const state: NoteState = noteState(
    note ? { signedAt: note.signed_at, cosignRequired: Boolean(Number(note.cosign_required)), cosignedAt: note.cosigned_at } : null,
  );
  const writes = can(viewer.role, "write:notes") && writeProblem(s, viewer.id, now) === null;
  return { state, label: NOTE_STATE_LABELS[state], writes, exists: Boolean(note) };
}

const modeLabel = (m: string | null) => (m ? (ATTENDANCE_MODES[m as AttendanceMode] ?? m) : null);

/** The note page for `viewer`, or null when the session is not at the site. Audits the view of a note that exists. */
export async function notePage(db: DB, sessionId: string, site: { id: string; timeZone: string }, viewer: Viewer, meta: ClientMeta, now = new Date()) {
  const s = await getSession(db, sessionId, site.id);
  if (!s) return null;
  const [note, settings] = await Promise.all([noteForSession(db, sessionId, site.id), noteSettings(db, site.id)]);
  const mayWrite = can(viewer.role, "write:notes");
  const problem = mayWrite ? writeProblem(s, viewer.id, now) : "You may read this note, not write it.";
  const writes = problem === null;
  const drafting = Boolean(note && note.state === "draft" && writes);
  const objectives =
    drafting && note
      ? await activeObjectives(
          db,
          note.parts.map((p) => p.patientId),
        )
      : {};
  let cosign: { allowed: boolean; why: string | null } | null = null;
  if (note?.state === "awaiting_cosign" && mayWrite) {
    const [me, author] = await Promise.all([getSigner(db, viewer.id), note.signedById ? getSigner(db, note.signedById) : null]);
    const why = !me || !author ? "Only a clinical supervisor can co-sign." : coSignProblem(me, author);
    // Offered to the supervisors who may co-sign; others are told why only when they are not the author.
    cosign = { allowed: why === null, why: note.signedById === viewer.id ? null : why };
  }
  const canAddendum = Boolean(
    note &&
    note.state !== "draft" &&
    mayWrite &&
    (writes || note.signedById === viewer.id || s.facilitator_id === viewer.id || s.co_facilitator_id === viewer.id),
  );
  if (note)
    await recordAudit(db, {
      actor: viewer,
      action: NOTE_VIEWED,
      entityType: "note",
      entityId: note.id,
      siteId: site.id,
      detail: { session: sessionId, kind: note.kind, parts: note.parts.length, state: note.state },
      meta,
    });
  const family = s.family_members ? (JSON.parse(s.family_members) as { name: string; relationship: string }[]).slice(0, 20) : [];
  return {
    session: {
      id: s.id,
      title: s.title,
      kind: s.kind,
      kindLabel: s.group_kind ? (GROUP_KINDS[s.group_kind as GroupKind] ?? s.group_kind) : (APPOINTMENT_KINDS[s.kind as AppointmentKind] ?? s.kind),
      date: s.local_date,
      time: instantRange(s.starts_at, s.ends_at, site.timeZone),
      modality: MODALITIES[s.modality as Modality] ?? s.modality,
      facilitators: [s.facilitator_name, s.co_facilitator_name].filter(Boolean).join(" & "),
      family,
    },
    note: note
      ? {
          ...note,
          parts: note.parts.map((p) => ({ ...p, modeLabel: modeLabel(p.mode) })),
        }
      : null,
    sections: note ? (note.kind === "group" ? null : NOTE_FORMATS[note.format].sections) : null,
    formatLabel: NOTE_FORMATS[note?.format ?? settings.format].label,
    writes,
    problem,
    objectives,
    cosign,
    canAddendum,
    timeZone: site.timeZone,
    requestKey: newId(),
  };
}
export type NotePageData = NonNullable<Awaited<ReturnType<typeof notePage>>>;

/** What an intent answers the page: success (with what the editor needs next) or a refusal. */
export type NoteActionResult =
  | { ok: true; intent: string; version?: number; savedAt?: string; message?: string; noteId?: string; patientId?: string | null }
  | {
      ok: false;
      intent: string;
      status: 400 | 404 | 409;
      formError?: string;
      fieldErrors?: Record<string, string[]>;
      patientId?: string | null;
      /** What a plain form (no JavaScript) sent, put back in its fields after a refused save. */
      posted?: { shared?: GroupShared; content?: EntryContent };
      current?: { version: number; updatedBy: string; updatedAt: string; shared?: unknown; content?: unknown };
    };

/** Runs one form of the note page for `actor` (authorized for write:notes by the route). */
export async function runNoteAction(db: DB, actor: Actor, sessionId: string, siteId: string, form: FormData, meta: ClientMeta): Promise<NoteActionResult> {
  const raw = noteFormObject(form.entries());
  const intent = typeof raw.intent === "string" ? raw.intent.slice(0, 20) : "";
  const parsed = noteActionSchema.safeParse(raw);
  if (!parsed.success) {
    const fieldErrors: Record<string, string[]> = {};
    for (const issue of parsed.error.issues) (fieldErrors[issue.path.join(".") || "form"] ??= []).push(issue.message);
    const patientId = typeof raw.patientId === "string" ? raw.patientId.slice(0, 64) : null;
    return {
      ok: false,
      intent,
      status: 400,
      formError: Object.values(fieldErrors).flat()[0] ?? "That is not something this page can do; reload the page.",
      fieldErrors,
      patientId,
    };
  }
  const v = parsed.data;
  // The note must belong to this session: a note id from another session is not this page's to change.
  if (v.intent !== "open") {
    const own = await db
      .selectFrom("notes")
      .select("id")
      .where("id", "=", v.noteId)
      .where("session_id", "=", sessionId)
      .where("site_id", "=", siteId)
      .executeTakeFirst();
    if (!own) return { ok: false, intent, status: 404, formError: "There is no such note for this session." };
  }
  switch (v.intent) {
    case "open": {
      const r = await openNote(db, actor, sessionId, siteId, meta);
      return r.ok ? { ok: true, intent, noteId: r.id, message: r.created ? "Note started." : "Note opened." } : { ...r, intent };
    }
    case "save-shared": {
      const r = await saveShared(db, actor, v.noteId, { version: v.version, shared: sharedOf(v) }, siteId, meta);
      return r.ok
        ? { ok: true, intent, version: r.version, savedAt: r.savedAt, patientId: null }
        : { ...r, intent, patientId: null, posted: { shared: sharedOf(v) } };
    }
    case "save-entry": {
      const content = entryContentOf(v);
      const r = await saveEntry(db, actor, v.noteId, v.patientId, { version: v.version, content }, siteId, meta);
      return r.ok
        ? { ok: true, intent, version: r.version, savedAt: r.savedAt, patientId: v.patientId }
        : { ...r, intent, patientId: v.patientId, posted: { content } };
    }
    case "sign": {
      const r = await signNote(db, actor, v.noteId, siteId, meta);
      if (!r.ok) return { ...r, intent };
      const message = r.cosignRequired ? "Note signed. It now waits for a clinical supervisor's co-signature." : "Note signed.";
      return { ok: true, intent, message: r.lateEntry ? `${message} It is marked a late entry.` : message };
    }
    case "cosign": {
      const r = await coSignNote(db, actor, v.noteId, [siteId], meta);
      return r.ok ? { ok: true, intent, message: "Note co-signed." } : { ...r, intent };
    }
    case "addendum": {
      const r = await addAddendum(db, actor, v.noteId, { patientId: v.patientId, text: v.text, requestKey: v.requestKey }, [siteId], meta);
      return r.ok ? { ok: true, intent, message: "Addendum added." } : { ...r, intent, patientId: v.patientId };
    }
  }
}

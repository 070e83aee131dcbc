/**
 * A signed note in the running app's database, for the pages that need a note's id: the demo's own
 * when it has one, else one written now through the repositories (openNote, saveShared, saveEntry,
 * signNote) for the most recent held session with someone marked present, by its facilitator.
 */
import type { Kysely } from "kysely";
import type { Database } from "../../db/schema";
import { noteById, openNote, saveEntry, saveShared, signNote } from "~/features/notes/notes.server";
import { entrySections, type EntryContent } from "~/features/notes/rules";
import { meta } from "../support/demo";

export async function ensureSignedNote(db: Kysely<Database>): Promise<{ noteId: string; patientId: string }> {
  const existing = await db
    .selectFrom("notes as n")
    .innerJoin("note_entries as e", "e.note_id", "n.id")
    .select(["n.id", "e.patient_id"])
    .where("n.signed_at", "is not", null)
    .orderBy("n.local_date", "desc")
    .limit(1)
    .executeTakeFirst();
  if (existing) return { noteId: existing.id, patientId: existing.patient_id };
  const now = new Date();
  const session = await db
    .selectFrom("sessions as s")
    .innerJoin("users as u", "u.id", "s.facilitator_id")
    .select(["s.id", "s.site_id", "s.facilitator_id", "u.name"])
    .where("s.starts_at", "<", now.toISOString())
    .where("s.status", "=", "scheduled")
    .where((eb) =>
      eb.exists(eb.selectFrom("attendance as a").select("a.id").whereRef("a.session_id", "=", "s.id").where("a.status", "in", ["present", "late"])),
    )
    .where((eb) => eb.not(eb.exists(eb.selectFrom("notes as n").select("n.id").whereRef("n.session_id", "=", "s.id"))))
    .orderBy("s.starts_at", "desc")
    .limit(1)
    .executeTakeFirstOrThrow();
  const actor = { id: session.facilitator_id, name: session.name };
  const note = await writeSignedNote(db, actor, session.id, session.site_id, now, "written for the tests.");
  return { noteId: note.noteId, patientId: note.patientIds[0] };
}

/**
 * Opens, writes and signs the note of a held session as `actor` (its facilitator), at `now`: every
 * section of each patient's part reads "<section label>: <text>", so a test can look for `text`.
 */
export async function writeSignedNote(
  db: Kysely<Database>,
  actor: { id: string; name: string },
  sessionId: string,
  siteId: string,
  now: Date,
  text: string,
): Promise<{ noteId: string; patientIds: string[] }> {
  const opened = await openNote(db, actor, sessionId, siteId, meta, now);
  if (!opened.ok) throw new Error(JSON.stringify(opened));
  const view = (await noteById(db, opened.id, [siteId]))!;
  if (view.kind === "group") {
    const shared = { topic: "Handling weekend triggers", curriculum: "", interventions: "Psychoeducation and role-play.", process: "Engaged group." };
    const r = await saveShared(db, actor, view.id, { version: view.sharedVersion, shared }, siteId, meta, now);
    if (!r.ok) throw new Error(JSON.stringify(r));
  }
  for (const p of view.parts) {
    const content: EntryContent = {
      sections: Object.fromEntries(entrySections(view.kind, view.format).map((s) => [s.key, `${s.label}: ${text}`])),
      participation: view.kind === "group" ? "active" : "",
      objectives: [],
      harm: "denied",
      harmDetail: "",
      use: "none",
      useDetail: "",
    };
    const r = await saveEntry(db, actor, view.id, p.patientId, { version: p.version, content }, siteId, meta, now);
    if (!r.ok) throw new Error(JSON.stringify(r));
  }
  const signed = await signNote(db, actor, view.id, siteId, meta, now);
  if (!signed.ok) throw new Error(JSON.stringify(signed));
  return { noteId: view.id, patientIds: view.parts.map((p) => p.patientId) };
}

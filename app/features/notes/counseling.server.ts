/**
 * SUD counseling notes (42 CFR § 2.11, as amended by the 2024 final rule, 89 FR 12472, in force
 * 16 Feb 2026): notes a Part 2 program's SUD or mental-health professional keeps, voluntarily and
 * separately from the rest of the patient's record, documenting or analysing what was said in a
 * counseling session (individual, group, joint or family). They exclude medication prescription and
 * monitoring, session start and stop times, the modalities and frequencies of treatment, the results
 * of clinical tests, and any summary of diagnosis, functional status, treatment plan, symptoms,
 * prognosis or progress to date: all of that belongs in the progress note. Disclosing them needs a
 * consent of their own, which may be combined only with another consent for counseling notes, and
 * a patient may not be required to give it as a condition of treatment, payment, enrollment or
 * eligibility for benefits (§ 2.31(b)). Sources read: SAMHSA's Center of Excellence for Protected
 * Health Information brief, as summarised at obc.memberclicks.net ("Updated 42 CFR Part 2's New
 * Definition for SUD Counseling Notes"), and hortyspringer.com, Question of the Week, 21 May 2026.
 *
 * Here: only their author ever reads them. Anyone else sees nothing of them, not even that they
 * exist or how many there are, because the count of a clinician's private notes on a patient is
 * itself something about the patient the record does not otherwise say. They are never in the
 * notes list, a print or an export; a disclosure includes them only under a consent that names
 * them, and then only the discloser's own (disclosures.server.ts). Writing one is audited with its
 * length, never its text.
 */
import { type DB, isUniqueViolation, type Queryable } from "~/kernel/db";
import type { Actor } from "~/kernel/actor";
import type { WriteResult } from "~/kernel/results";
import { recordAudit } from "~/features/audit/audit.server";
import { newId } from "~/utils/ids";
import type { ClientMeta } from "~/utils/request.server";

export const COUNSELING_NOTE_MAX = 8000;
/** How many of their own counseling notes on a patient the author sees at once, newest first. */
export const COUNSELING_NOTES_SHOWN = 50;

export interface CounselingNote {
  id: string;
  text: string;
  writtenAt: string;
}

/** The reader's own counseling notes on this patient, newest first; nobody else's, ever. */
export async function ownCounselingNotes(db: Queryable, patientId: string, authorId: string, siteIds: string[], limit = COUNSELING_NOTES_SHOWN) {
  if (patientId.length > 64 || !siteIds.length) return [];
  const rows = await db
    .selectFrom("counseling_notes")
    .select(["id", "text", "written_at"])
    .where("patient_id", "=", patientId)
    .where("written_by", "=", authorId)
    .where("site_id", "in", siteIds)
    .orderBy("written_at", "desc")
    .orderBy("id", "desc")
    .limit(limit)
    .execute();
  return rows.map((r): CounselingNote => ({ id: r.id, text: r.text, writtenAt: r.written_at }));
}

/** The author's counseling notes on the patient written in a period (civil days, as UTC instants), oldest first, for a disclosure. */
export async function ownCounselingNotesBetween(db: Queryable, patientId: string, authorId: string, fromIso: string, toIso: string) {
  const rows = await db
    .selectFrom("counseling_notes")
    .select(["id", "text", "written_at"])
    .where("patient_id", "=", patientId)
    .where("written_by", "=", authorId)
    .where("written_at", ">=", fromIso)
    .where("written_at", "<", toIso)
    .orderBy("written_at")
    .limit(1000)
    .execute();
  return rows.map((r): CounselingNote => ({ id: r.id, text: r.text, writtenAt: r.written_at }));
}

/**
 * Writes a counseling note on a patient at the author's site. The same form sent twice writes one
 * (its request key). Audited as `counseling_note.written` with the text's length, never the text.
 */
export async function writeCounselingNote(
  db: DB,
  actor: Actor,
  input: { patientId: string; siteId: string; text: string; requestKey: string },
  meta: ClientMeta,
  at: Date = new Date(),
): Promise<WriteResult<{ id: string; repeated: boolean }>> {
  const text = input.text.trim();
  if (!text) return { ok: false, status: 400, fieldErrors: { text: ["Write the note: an empty note keeps nothing."] } };
  if (text.length > COUNSELING_NOTE_MAX)
    return { ok: false, status: 400, fieldErrors: { text: [`Keep it under ${COUNSELING_NOTE_MAX} characters (it has ${text.length}).`] } };
  const earlier = await db.selectFrom("counseling_notes").select(["id", "written_by"]).where("request_key", "=", input.requestKey).executeTakeFirst();
  if (earlier) {
    if (earlier.written_by === actor.id) return { ok: true, id: earlier.id, repeated: true };
    return { ok: false, status: 409, formError: "This form was already used. Reload the page to write another note." };
  }
  const id = newId();
  try {
    await db.transaction().execute(async (trx) => {
      await trx
        .insertInto("counseling_notes")
        .values({
          id,
          site_id: input.siteId,
          patient_id: input.patientId,
          session_id: null,
          request_key: input.requestKey,
          text,
          written_by: actor.id,
          written_at: at.toISOString(),
        })
        .execute();
      await recordAudit(trx, {
        actor,
        action: "counseling_note.written",
        entityType: "counseling_note",
        entityId: id,
        patientId: input.patientId,
        siteId: input.siteId,
        after: { length: text.length },
        meta,
      });
    });
  } catch (e) {
    if (isUniqueViolation(e)) {
      const first = await db.selectFrom("counseling_notes").select(["id", "written_by"]).where("request_key", "=", input.requestKey).executeTakeFirst();
      if (first?.written_by === actor.id) return { ok: true, id: first.id, repeated: true };
    }
    throw e;
  }
  return { ok: true, id, repeated: false };
}

/**
 * Documentation and billing (issue 20, item 6). A service is billable only when the record
 * supports it: Medicare pays for a service only when a signed, dated entry documents it (CMS
 * Medicare Program Integrity Manual, ch. 3 §3.3.2.4, "Signature Requirements": for medical review,
 * "Medicare requires that services provided/ordered be authenticated by the author"; an unsigned
 * note does not support the claim).
 * When the site turns on `notes_required_for_billing`, a day is billable only when every session
 * the patient attended that day has a signed note with their part (documents() in rules.ts: a
 * note waiting for a co-signature is signed by its author and counts). Off, billable days are
 * counted from attended minutes alone, as before.
 */
import { documents, noteState } from "./rules";

/** Whether a session's note documents a patient: a signed note (author's signature) that has their part. */
export function documentsPatient(note: { signedAt: string | null; cosignRequired: boolean; cosignedAt: string | null } | null, hasPart: boolean): boolean {
  return hasPart && documents(noteState(note));
}

/** The days that may bill: all of them when notes are not required, else only days with no undocumented minutes. */
export function daysBillableUnderNotes<T extends { undocumentedMinutes: number }>(days: readonly T[], notesRequired: boolean): T[] {
  return notesRequired ? days.filter((d) => d.undocumentedMinutes === 0) : [...days];
}

/** Minutes as hours with one decimal. */
export const hoursOf = (minutes: number) => Math.round((minutes / 60) * 10) / 10;

/**
 * The days patients attended, as billing counts them: per patient and civil date, the attended
 * minutes, the minutes documented by a signed note holding the patient's part (notes' own rule,
 * `documentsPatient`), the sessions attended and the level of care in effect that day. One read for
 * many patients, so the charge builder, the authorization counts and Home's alerts read the same
 * figures.
 */
import { sql } from "kysely";
import { isAttended, levelOn } from "~/features/attendance/rules";
import { documentsPatient } from "~/features/notes/billing";
import type { DB } from "~/kernel/db";
import type { LevelOfCare } from "#db/schema";
import type { AttendedDay } from "./rules";

/** What billing reads of each mark. */
const MARK_COLUMNS = ["a.patient_id", "a.status", "a.minutes", "a.local_date"] as const;

/** Patients per query: keeps each IN list well inside both databases' parameter limits. */
const CHUNK = 400;

/**
 * `documented: false` leaves the notes out (every day's documented minutes read 0): for figures
 * that count units, not documentation (Home's utilization review), it saves reading each mark's
 * note and note part.
 */
export async function attendedDays(
  db: DB,
  patientIds: readonly string[],
  from: string,
  to: string,
  options: { documented?: boolean } = {},
): Promise<Map<string, AttendedDay[]>> {
  const documentedToo = options.documented ?? true;
  const out = new Map<string, AttendedDay[]>();
  for (let i = 0; i < patientIds.length; i += CHUNK) {
    const ids = patientIds.slice(i, i + CHUNK);
    const marks = db.selectFrom("attendance as a").select(MARK_COLUMNS);
    const marksQuery = documentedToo
      ? marks
          .leftJoin("notes as n", "n.session_id", "a.session_id")
          .leftJoin("note_entries as ne", (j) => j.onRef("ne.note_id", "=", "n.id").onRef("ne.patient_id", "=", "a.patient_id"))
          .select(["n.signed_at as note_signed_at", "n.cosign_required as note_cosign_required", "n.cosigned_at as note_cosigned_at", "ne.id as note_entry_id"])
      : marks.select([
          sql<string | null>`null`.as("note_signed_at"),
          sql<number | null>`null`.as("note_cosign_required"),
          sql<string | null>`null`.as("note_cosigned_at"),
          sql<string | null>`null`.as("note_entry_id"),
        ]);
    const [rows, levelOf] = await Promise.all([
      marksQuery.where("a.patient_id", "in", ids).where("a.local_date", ">=", from).where("a.local_date", "<=", to).execute(),
      levelsOf(db, ids),
    ]);
    const byPatient = new Map<string, Map<string, AttendedDay>>();
    for (const m of rows) {
      if (!isAttended(m.status)) continue;
      const days = byPatient.get(m.patient_id) ?? new Map<string, AttendedDay>();
      const day = days.get(m.local_date) ?? {
        date: m.local_date,
        level: levelOf(m.patient_id, m.local_date),
        minutes: 0,
        documentedMinutes: 0,
        sessions: 0,
      };
      const minutes = Number(m.minutes);
      const documented = documentsPatient(
        m.note_signed_at !== null || m.note_entry_id !== null
          ? { signedAt: m.note_signed_at, cosignRequired: Number(m.note_cosign_required) === 1, cosignedAt: m.note_cosigned_at }
          : null,
        m.note_entry_id !== null,
      );
      day.minutes += minutes;
      if (documented) day.documentedMinutes += minutes;
      day.sessions++;
      days.set(m.local_date, day);
      byPatient.set(m.patient_id, days);
    }
    for (const [patientId, days] of byPatient)
      out.set(
        patientId,
        [...days.values()].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0)),
      );
  }
  return out;
}

/**
 * The level of care each of some patients (at most a few hundred) was at on a date: the latest change on or before it,
 * else their level now (attendance's `levelOn`).
 */
export async function levelsOf(db: DB, ids: readonly string[]): Promise<(patientId: string, date: string) => LevelOfCare> {
  const [patients, levels] = await Promise.all([
    db.selectFrom("patients").select(["id", "level_of_care"]).where("id", "in", ids).execute(),
    db.selectFrom("level_of_care_changes").select(["patient_id", "level_of_care", "effective_on"]).where("patient_id", "in", ids).execute(),
  ]);
  const current = new Map(patients.map((p) => [p.id, p.level_of_care as LevelOfCare]));
  const changes = new Map<string, { level: LevelOfCare; effectiveOn: string }[]>();
  for (const l of levels) {
    const list = changes.get(l.patient_id) ?? [];
    list.push({ level: l.level_of_care, effectiveOn: l.effective_on });
    changes.set(l.patient_id, list);
  }
  return (patientId, date) => levelOn(changes.get(patientId) ?? [], date, current.get(patientId) ?? "IOP");
}

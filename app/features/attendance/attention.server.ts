/**
 * Who needs a counselor's attention now: below required hours this week, missed sessions, or an
 * unexpected drug-test result not yet acknowledged. For a counselor, their own caseload; for an
 * admin, the whole site.
 */
import type { DB } from "~/kernel/db";
import { formatDuration } from "~/kernel/time";
import { unexpectedResultFlags } from "~/features/drug-testing/alerts.server";
import { OPEN_STATUSES } from "~/features/patients/rules";
import { type AttendanceFlags, attendanceFlags } from "./attendance.server";

/**
 * The week in one line, as the worklist reads it: attended, still possible, roll missing, and the
 * week's own minimum (prorated in a partial week), e.g. "8 h 59 min attended, 0 min still
 * scheduled · 9 h required (9–19 hours a week)".
 */
export function hoursLine(a: AttendanceFlags): string {
  const missing = a.rollMissingMinutes ? `, ${formatDuration(a.rollMissingMinutes)} roll missing` : "";
  const required = a.requiredMinutes === null ? "not judged" : `${formatDuration(a.requiredMinutes)} required`;
  const partial = a.partialNote ? `; partial week, prorated` : "";
  return `${formatDuration(a.attendedMinutes)} attended, ${formatDuration(a.remainingMinutes)} still scheduled${missing} · ${required} (${a.requirementLabel.toLowerCase()}${partial})`;
}

export interface Attention {
  id: string;
  name: string;
  mrn: string;
  counselor: string | null;
  belowRequired: boolean;
  missedSessions: boolean;
  unexpectedResults: number;
  unexpectedAnalytes: string[];
  hours: string;
}

export async function needsAttention(db: DB, siteId: string, timeZone: string, counselorId: string | null): Promise<Attention[]> {
  let q = db
    .selectFrom("patients as p")
    .leftJoin("users as c", "c.id", "p.primary_counselor_id")
    .select(["p.id", "p.mrn", "p.legal_first_name", "p.legal_last_name", "p.preferred_name", "c.name as counselor"])
    .where("p.site_id", "=", siteId)
    .where("p.status", "in", OPEN_STATUSES);
  if (counselorId) q = q.where("p.primary_counselor_id", "=", counselorId);
  const patients = await q.orderBy("p.legal_last_name").orderBy("p.legal_first_name").execute();
  const ids = patients.map((p) => p.id);
  const [attendance, results] = await Promise.all([attendanceFlags(db, ids, timeZone), unexpectedResultFlags(db, ids)]);
  return patients
    .map((p) => {
      const a = attendance.get(p.id);
      const r = results.get(p.id);
      return {
        id: p.id,
        name: `${p.legal_last_name}, ${p.preferred_name || p.legal_first_name}`,
        mrn: p.mrn,
        counselor: p.counselor,
        belowRequired: a?.belowRequired ?? false,
        missedSessions: a?.missedSessions ?? false,
        unexpectedResults: r?.count ?? 0,
        unexpectedAnalytes: r?.analytes ?? [],
        hours: a ? hoursLine(a) : "",
      };
    })
    .filter((p) => p.belowRequired || p.missedSessions || p.unexpectedResults > 0);
}

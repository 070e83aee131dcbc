/**
 * Attendance for the billing tests (not a test file itself): a group session on a date, its
 * participants, and its roll call saved through the attendance feature (which refreshes the
 * patients' charges in the same transaction, as a real roll call does). Sessions start at 14:00Z.
 */
import type { Kysely } from "kysely";
import type { Database } from "../../db/schema";
import { getRollCall, saveRollCall } from "~/features/attendance/attendance.server";
import type { AttendanceStatus } from "~/features/attendance/rules";
import { newId } from "~/utils/ids";
import { meta } from "../support/demo";

type DB = Kysely<Database>;
type Person = { id: string; name: string };
export type Mark = [patientId: string, status: AttendanceStatus, minutes?: number, note?: string];

/** Saves a roll call for the session at `now`, with the correction's reason when it is one. */
export async function markRoll(db: DB, actor: Person, site: { id: string; time_zone: string }, sessionId: string, roll: Mark[], now: Date, reason?: string) {
  const r = await getRollCall(db, sessionId, site.id);
  const saved = await saveRollCall(
    db,
    actor,
    sessionId,
    {
      version: r!.session.rollVersion,
      marks: roll.map(([patientId, status, minutes, note]) => ({ patientId, status, mode: "in_person" as const, minutes, note })),
      reason,
    },
    site,
    meta,
    now,
  );
  if (!saved.ok) throw new Error(JSON.stringify(saved));
}

/** A group session of `minutes` on `date` led by `facilitator`, its roll called by `actor` as it ends. */
export async function groupSession(
  db: DB,
  actor: Person,
  facilitator: Person,
  site: { id: string; time_zone: string },
  date: string,
  minutes: number,
  roll: Mark[],
): Promise<string> {
  const id = newId();
  const start = `${date}T14:00:00.000Z`;
  const endsAt = new Date(Date.parse(start) + minutes * 60_000).toISOString();
  await db
    .insertInto("sessions")
    .values({
      id,
      site_id: site.id,
      kind: "group",
      group_kind: "skills",
      title: `Group ${date}`,
      facilitator_id: facilitator.id,
      modality: "in_person",
      capacity: 12,
      local_date: date,
      starts_at: start,
      ends_at: endsAt,
      status: "scheduled",
      cancel_reason: null,
      created_at: "2026-10-01T12:00:00.000Z",
      updated_at: "2026-10-01T12:00:00.000Z",
    })
    .execute();
  for (const [patientId] of roll)
    await db
      .insertInto("session_participants")
      .values({ id: newId(), session_id: id, patient_id: patientId, source: "added", joined_at: "2026-10-01T12:00:00.000Z", left_at: null, left_reason: null })
      .execute();
  await markRoll(db, actor, site, id, roll, new Date(endsAt));
  return id;
}

/**
 * The demo's attendance: a 12-patient Friday community meeting (an open group put together by
 * hand), and eight weeks of roll calls for every session held before today, taken through the same
 * save as in use — all but last Friday's meeting, whose paper sign-in sheet is still to be entered. Most patients come; a few come late or leave early; two patients have missed their
 * last two sessions unexcused, and two were off sick this week and are now below their hours.
 */
import type { Kysely } from "kysely";
import type { Database } from "../db/schema";
import { saveRollCall, type MarkInput } from "../app/features/attendance/attendance.server";
import type { AttendanceStatus } from "../app/features/attendance/rules";
import { OPEN_STATUSES } from "../app/features/patients/rules";
import { createSeries } from "../app/features/scheduling/groups.server";
import { addDays, weekStart, startOfDayUtc } from "../app/kernel/time";
import { newId } from "../app/utils/ids";
import { seededRandom } from "./demo-patients";

export async function seedDemoAttendance(
  db: Kysely<Database>,
  site: { id: string; time_zone: string },
  users: Record<string, { id: string; name: string; role: string }>,
  today: string,
) {
  const meta = { ip: null, userAgent: "demo seed" };
  const rnd = seededRandom(5150);
  const admin = Object.values(users).find((u) => u.role === "admin")!;
  const staff = Object.values(users).filter((u) => u.role === "staff");

  // A community meeting for twelve patients from the evening, weekend and OP tracks (free on Friday afternoons).
  const room = await db.selectFrom("rooms").select("id").where("site_id", "=", site.id).where("name", "=", "Group Room A").executeTakeFirstOrThrow();
  const meeting = await createSeries(
    db,
    admin,
    site,
    {
      title: "Community Meeting",
      kind: "psychoeducation",
      facilitatorId: users["priya.raman"].id,
      roomId: room.id,
      modality: "in_person",
      capacity: 14,
      days: ["fri"],
      startTime: "13:00",
      endTime: "14:00",
      startsOn: addDays(today, -56),
      autoEnroll: false,
    },
    meta,
    { horizonWeeks: 4, today },
  );
  if (!meeting.ok) throw new Error(`demo community meeting was refused: ${JSON.stringify(meeting)}`);
  const members = await db
    .selectFrom("patients as p")
    .innerJoin("tracks as t", "t.id", "p.track_id")
    .select("p.id")
    .where("p.site_id", "=", site.id)
    .where("p.status", "in", OPEN_STATUSES)
    .where("t.name", "in", ["Evening IOP", "Weekend IOP", "OP Weekly"])
    .orderBy("p.mrn")
    .limit(12)
    .execute();
  const meetingSessions = await db.selectFrom("sessions").select(["id", "starts_at"]).where("series_id", "=", meeting.id).execute();
  const rows = meetingSessions.flatMap((s) =>
    members.map((m) => ({
      id: newId(),
      session_id: s.id,
      patient_id: m.id,
      source: "added",
      joined_at: addDays(today, -56),
      left_at: null,
      left_reason: null,
    })),
  );
  for (let i = 0; i < rows.length; i += 200)
    await db
      .insertInto("session_participants")
      .values(rows.slice(i, i + 200))
      .execute();

  // Who is slipping: two with their last two sessions missed unexcused, two off sick this week.
  const open = await db
    .selectFrom("patients as p")
    .innerJoin("tracks as t", "t.id", "p.track_id")
    .select(["p.id", "t.name as track"])
    .where("p.site_id", "=", site.id)
    .where("p.status", "=", "active")
    .orderBy("p.mrn", "desc")
    .execute();
  const missing = new Set(
    open
      .filter((p) => p.track === "Evening IOP" || p.track === "Weekend IOP")
      .slice(0, 2)
      .map((p) => p.id),
  );
  const sick = new Set(
    open
      .filter((p) => p.track === "Morning IOP" || p.track === "PHP Day")
      .slice(0, 2)
      .map((p) => p.id),
  );
  const thisWeek = weekStart(today);

  const before = startOfDayUtc(today, site.time_zone);
  const sessions = await db
    .selectFrom("sessions")
    .select(["id", "local_date", "starts_at", "ends_at", "modality"])
    .where("site_id", "=", site.id)
    .where("status", "=", "scheduled")
    .where("starts_at", "<", before)
    // The last eight weeks; the year before is the history's (demo-history.ts takes its roll).
    .where("local_date", ">=", addDays(today, -56))
    .orderBy("starts_at")
    .execute();
  const roster = await db
    .selectFrom("session_participants")
    .select(["session_id", "patient_id"])
    .where(
      "session_id",
      "in",
      sessions.map((s) => s.id),
    )
    .execute();
  // The two most recent sessions of each patient who is missing sessions.
  const lastTwo = new Map<string, Set<string>>();
  for (const s of [...sessions].reverse()) {
    for (const r of roster.filter((x) => x.session_id === s.id && missing.has(x.patient_id))) {
      const set = lastTwo.get(r.patient_id) ?? new Set<string>();
      if (set.size < 2) set.add(s.id);
      lastTwo.set(r.patient_id, set);
    }
  }
  // Last Friday's community meeting is still on paper: its roll call waits to be entered.
  const lastMeeting = [...meetingSessions].filter((m) => m.starts_at < before).sort((a, b) => (a.starts_at < b.starts_at ? 1 : -1))[0]?.id;
  let taken = 0;
  for (const s of sessions) {
    if (s.id === lastMeeting) continue;
    const minutes = Math.round((Date.parse(s.ends_at) - Date.parse(s.starts_at)) / 60_000);
    const marks: MarkInput[] = roster
      .filter((r) => r.session_id === s.id)
      .map((r) => {
        let status: AttendanceStatus = "present";
        let mins: number | undefined;
        let note: string | undefined;
        if (lastTwo.get(r.patient_id)?.has(s.id)) status = "absent_unexcused";
        else if (sick.has(r.patient_id) && s.local_date >= thisWeek) {
          status = "absent_excused";
          note = "Called in sick";
        } else {
          const roll = rnd.next();
          if (roll < 0.05) status = "absent_unexcused";
          else if (roll < 0.08) {
            status = "absent_excused";
            note = rnd.pick(["Medical appointment", "Childcare fell through", "Court date"]);
          } else if (roll < 0.12) {
            status = "late";
            mins = minutes - rnd.pick([10, 15, 20, 30]);
            note = rnd.pick(["Bus was late", "Traffic", "Work ran over"]);
          } else if (roll < 0.14) {
            status = "left_early";
            mins = minutes - rnd.pick([15, 30]);
            note = rnd.pick(["Left for work shift", "Picked up child from school"]);
          }
        }
        return { patientId: r.patient_id, status, mode: s.modality === "telehealth" ? "telehealth" : "in_person", minutes: mins, note };
      });
    if (!marks.length) continue;
    const taker = staff[taken % staff.length];
    const result = await saveRollCall(db, { id: taker.id, name: taker.name }, s.id, { version: 0, marks }, site, meta);
    if (!result.ok) throw new Error(`demo roll call was refused: ${JSON.stringify(result)}`);
    taken++;
  }
  return taken;
}

/** The demo clinic's tracks and rooms, written through the app's own repository (so audited). */
import type { Kysely } from "kysely";
import type { Database, LevelOfCare } from "../db/schema";
import { createSeries } from "../app/features/scheduling/groups.server";
import { createRoom, createTrack } from "../app/features/scheduling/program.server";
import { addDays, type Weekday, todayIn } from "../app/kernel/time";
import type { GroupKind, Modality } from "../app/features/scheduling/vocabulary";
import { DEMO_HISTORY_DAYS } from "./demo-history";

export const DEMO_TRACKS: { name: string; levelOfCare: LevelOfCare; days: Weekday[]; startTime: string; endTime: string }[] = [
  { name: "Morning IOP", levelOfCare: "IOP", days: ["mon", "wed", "fri"], startTime: "09:00", endTime: "12:00" },
  { name: "Evening IOP", levelOfCare: "IOP", days: ["mon", "tue", "wed", "thu"], startTime: "18:00", endTime: "21:00" },
  // Two 4½-hour days: 9 h a week, the adult IOP floor (ASAM Level 2.1), so adults can join it.
  { name: "Weekend IOP", levelOfCare: "IOP", days: ["sat", "sun"], startTime: "09:00", endTime: "13:30" },
  { name: "PHP Day", levelOfCare: "PHP", days: ["mon", "tue", "wed", "thu", "fri"], startTime: "09:00", endTime: "14:00" },
  { name: "OP Weekly", levelOfCare: "OP", days: ["tue"], startTime: "17:30", endTime: "19:00" },
];

export const DEMO_ROOMS = [
  { name: "Group Room A", capacity: 14 },
  { name: "Group Room B", capacity: 10 },
  { name: "Family Room", capacity: 8 },
  { name: "Counseling Office 1", capacity: 3 },
  { name: "Counseling Office 2", capacity: 3 },
];

/** Each track's weekly groups: [track, title, kind, facilitator (email local part), room, start, end, modality?]. */
const DEMO_GROUPS: [string, string, GroupKind, string, string, string, string, Modality?][] = [
  ["Morning IOP", "Morning Process Group", "process", "marcus.bell", "Group Room A", "09:00", "10:30"],
  ["Morning IOP", "Relapse Prevention", "relapse_prevention", "priya.raman", "Group Room A", "10:30", "12:00"],
  ["Evening IOP", "Coping Skills (DBT)", "coping_skills", "priya.raman", "Group Room A", "18:00", "19:30"],
  ["Evening IOP", "Evening Process Group", "process", "marcus.bell", "Group Room A", "19:30", "21:00"],
  ["Weekend IOP", "Weekend Psychoeducation", "psychoeducation", "elena.ortiz", "Group Room B", "09:00", "11:00"],
  ["Weekend IOP", "Life Skills", "life_skills", "marcus.bell", "Group Room B", "11:00", "13:30"],
  ["PHP Day", "PHP Morning Group", "process", "elena.ortiz", "Group Room B", "09:00", "11:30"],
  ["PHP Day", "MAT Education", "mat_education", "dana.whitfield", "Group Room B", "11:30", "12:30"],
  ["PHP Day", "PHP Afternoon Skills", "coping_skills", "dana.whitfield", "Group Room B", "12:30", "14:00"],
  ["OP Weekly", "OP Recovery Check-in", "relapse_prevention", "elena.ortiz", "Group Room B", "17:30", "19:00", "hybrid"],
];

export async function seedDemoProgram(
  db: Kysely<Database>,
  site: { id: string; time_zone: string },
  admin: { id: string; name: string },
  users: Record<string, { id: string }>,
) {
  const meta = { ip: null, userAgent: "demo seed" };
  for (const t of DEMO_TRACKS) {
    const r = await createTrack(db, admin, site, t, meta);
    if (!r.ok) throw new Error(`demo track ${t.name} was refused: ${JSON.stringify(r)}`);
  }
  for (const room of DEMO_ROOMS) {
    const r = await createRoom(db, admin, site.id, room, meta);
    if (!r.ok) throw new Error(`demo room ${room.name} was refused: ${JSON.stringify(r)}`);
  }
  // A year of past sessions (the demo's history: demo-history.ts) and four weeks ahead.
  const today = todayIn(site.time_zone);
  const tracks = await db.selectFrom("tracks").select(["id", "name", "days"]).where("site_id", "=", site.id).execute();
  const rooms = await db.selectFrom("rooms").select(["id", "name", "capacity"]).where("site_id", "=", site.id).execute();
  for (const [trackName, title, kind, who, roomName, startTime, endTime, modality] of DEMO_GROUPS) {
    const track = tracks.find((t) => t.name === trackName)!;
    const room = rooms.find((r) => r.name === roomName)!;
    const r = await createSeries(
      db,
      admin,
      site,
      {
        title,
        kind,
        trackId: track.id,
        facilitatorId: users[who].id,
        roomId: room.id,
        modality: modality ?? "in_person",
        capacity: Math.min(12, Number(room.capacity)),
        days: JSON.parse(track.days) as Weekday[],
        startTime,
        endTime,
        startsOn: addDays(today, -DEMO_HISTORY_DAYS),
      },
      meta,
      { horizonWeeks: 4, today },
    );
    if (!r.ok) throw new Error(`demo group ${title} was refused: ${JSON.stringify(r)}`);
  }
}

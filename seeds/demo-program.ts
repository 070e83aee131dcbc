/** The demo clinic's tracks and rooms, written through the app's own repository (so audited). */
import type { Kysely } from "kysely";
import type { Database } from "../db/schema";
import { createRoom, createTrack } from "../app/features/scheduling/program.server";
import type { Weekday } from "../app/features/scheduling/rules";

export const DEMO_TRACKS: { name: string; levelOfCare: string; days: Weekday[]; startTime: string; endTime: string }[] = [
  { name: "Morning IOP", levelOfCare: "IOP", days: ["mon", "wed", "fri"], startTime: "09:00", endTime: "12:00" },
  { name: "Evening IOP", levelOfCare: "IOP", days: ["mon", "tue", "wed", "thu"], startTime: "18:00", endTime: "21:00" },
  { name: "Weekend IOP", levelOfCare: "IOP", days: ["sat", "sun"], startTime: "09:00", endTime: "13:00" },
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

export async function seedDemoProgram(db: Kysely<Database>, site: { id: string; time_zone: string }, admin: { id: string; name: string }) {
  const meta = { ip: null, userAgent: "demo seed" };
  for (const t of DEMO_TRACKS) {
    const r = await createTrack(db, admin, site, t, meta);
    if (!r.ok) throw new Error(`demo track ${t.name} was refused: ${JSON.stringify(r)}`);
  }
  for (const room of DEMO_ROOMS) {
    const r = await createRoom(db, admin, site.id, room, meta);
    if (!r.ok) throw new Error(`demo room ${room.name} was refused: ${JSON.stringify(r)}`);
  }
}

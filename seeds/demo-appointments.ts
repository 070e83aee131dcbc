/**
 * The demo's individual and family sessions: a weekly individual session with their primary
 * counselor for about a quarter of the open patients (from admission, or eight weeks back, to four
 * weeks ahead), and a few family sessions next week. Booked through the same checks as in use:
 * each tries afternoon slots until one is free for the patient, the counselor and an office.
 */
import type { Kysely } from "kysely";
import type { Database } from "../db/schema";
import { bookAppointment } from "../app/features/scheduling/appointments.server";
import { addDays, weekdayOf, startOfDayUtc } from "../app/kernel/time";
import type { Approach } from "../app/features/scheduling/vocabulary";
import { OPEN_STATUSES } from "../app/features/patients/rules";

const APPROACH_CYCLE: Approach[] = ["cbt", "motivational_interviewing", "dbt", "trauma_focused", "cbt"];
const SLOTS = ["14:30", "15:30", "16:30", "13:30"];

export async function seedDemoAppointments(db: Kysely<Database>, site: { id: string; time_zone: string }, today: string) {
  const meta = { ip: null, userAgent: "demo seed" };
  const offices = await db
    .selectFrom("rooms")
    .select("id")
    .where("site_id", "=", site.id)
    .where("name", "like", "Counseling Office%")
    .orderBy("name")
    .execute();
  const patients = await db
    .selectFrom("patients as p")
    .innerJoin("patient_episodes as e", "e.id", "p.current_episode_id")
    .innerJoin("users as c", "c.id", "p.primary_counselor_id")
    .select(["p.id", "p.emergency_contact_name", "p.emergency_contact_relationship", "e.admitted_on", "c.id as counselor_id", "c.name as counselor_name"])
    .where("p.site_id", "=", site.id)
    .where("p.status", "in", OPEN_STATUSES)
    .orderBy("p.mrn")
    .execute();
  let booked = 0;
  for (const [i, p] of patients.entries()) {
    const family = i % 7 === 2 && p.emergency_contact_name;
    if (i % 4 !== 1 && !family) continue;
    const actor = { id: p.counselor_id, name: p.counselor_name };
    // Weekly individual sessions on Tuesdays or Thursdays; a family session once, next week.
    let first = family ? addDays(today, 7) : [p.admitted_on, addDays(today, -56)].sort()[1];
    const day = i % 2 === 0 ? "tue" : "thu";
    while (weekdayOf(first) !== day) first = addDays(first, 1);
    const weeks = family ? 1 : Math.max(1, Math.floor((Date.parse(addDays(today, 28)) - Date.parse(first)) / (7 * 86_400_000)));
    let done = false;
    for (const startTime of SLOTS) {
      for (const [o, office] of offices.entries()) {
        if (done) break;
        const result = await bookAppointment(
          db,
          actor,
          {
            patientId: p.id,
            kind: family ? "family" : "individual",
            approach: family ? undefined : APPROACH_CYCLE[i % APPROACH_CYCLE.length],
            familyMembers: family ? [{ name: p.emergency_contact_name!, relationship: p.emergency_contact_relationship ?? "Family" }] : [],
            facilitatorId: p.counselor_id,
            date: first,
            startTime,
            durationMinutes: family ? 60 : 50,
            modality: (i + o) % 5 === 4 ? "telehealth" : "in_person",
            roomId: office.id,
            weeks,
          },
          site,
          meta,
          // Booked back then, so the past weeks are part of the record.
          new Date(Date.parse(startOfDayUtc(first, site.time_zone)) - 86_400_000),
        );
        if (result.ok) {
          done = true;
          booked++;
        }
      }
    }
  }
  return booked;
}

/**
 * The roll-call page and the printed sign-in sheet read the same session and roster; each shows
 * it in its own words here, so their routes only compose it.
 */
import { APPOINTMENT_KINDS, type AppointmentKind } from "~/features/scheduling/vocabulary";
import type { DB } from "~/kernel/db";
import { getRollCall } from "./attendance.server";
import type { AttendanceMode } from "./rules";
import { longDate, todayIn, instantRange, formatInstant } from "~/kernel/time";

type RollCall = NonNullable<Awaited<ReturnType<typeof getRollCall>>>;

/** The session's clock times, place and facilitators as both pages print them. */
function sessionLine(s: RollCall["session"], timeZone: string) {
  return {
    time: instantRange(s.starts_at, s.ends_at, timeZone),
    facilitators: [s.facilitator_name, s.co_facilitator_name].filter(Boolean).join(" & "),
  };
}

/** The roll-call page of a session at the site, or null when there is none. */
export async function rollCallPage(db: DB, sessionId: string, site: { id: string; timeZone: string }, now = new Date()) {
  const roll = await getRollCall(db, sessionId, site.id);
  if (!roll) return null;
  const s = roll.session;
  return {
    session: {
      id: s.id,
      title: s.title,
      date: s.local_date,
      ...sessionLine(s, site.timeZone),
      minutes: s.minutes,
      where: s.modality === "telehealth" ? "Telehealth" : (s.room_name ?? "No room"),
      cancelled: s.status === "cancelled",
      notStarted: s.starts_at > now.toISOString(),
      defaultMode: (s.modality === "telehealth" ? "telehealth" : "in_person") as AttendanceMode,
      rollVersion: s.rollVersion,
      lastSaved: s.roll_updated_at
        ? {
            at: formatInstant(s.roll_updated_at, site.timeZone),
            by: s.roll_updated_by,
          }
        : null,
      // After the session's day a change is a correction and needs a reason.
      pastDay: s.local_date < todayIn(site.timeZone, now),
    },
    roster: roll.roster,
  };
}

/** The printed sign-in sheet of a session at the site, or null when there is none. */
export async function signInSheet(db: DB, sessionId: string, site: { id: string; name: string; timeZone: string }) {
  const roll = await getRollCall(db, sessionId, site.id);
  if (!roll) return null;
  const s = roll.session;
  const siteRow = await db.selectFrom("sites").select("address").where("id", "=", site.id).executeTakeFirst();
  const sheet = {
    id: s.id,
    site: site.name,
    siteAddress: siteRow?.address ?? null,
    title: s.kind === "group" ? s.title : (APPOINTMENT_KINDS[s.kind as AppointmentKind] ?? s.title),
    date: longDate(s.local_date),
    ...sessionLine(s, site.timeZone),
    where: s.modality === "telehealth" ? "Telehealth" : (s.room_name ?? ""),
    // Minimum necessary on paper that lies on a front desk: initials and MRN, never names.
    rows: roll.roster.map((p) => ({ initials: p.initials, mrn: p.mrn })),
  };
  return { sheet, session: { id: s.id, title: s.title, localDate: s.local_date } };
}

/**
 * Individual and family sessions: a counselor books one patient (with family members for a family
 * session), once or weekly for some weeks. The same clash checks as groups apply — the room, the
 * counselor — and the patient cannot be in two places at once. Weekly bookings are a series, so
 * one occurrence can be moved or cancelled like any group session.
 */
import { sql } from "kysely";
import type { DB, Trx } from "~/kernel/db";
import type { Actor } from "~/kernel/actor";
import { Refused, type WriteResult } from "~/kernel/results";
import { recordAudit } from "~/features/audit/audit.server";
import { OPEN_STATUSES } from "~/features/patients/rules";
import { newId } from "~/utils/ids";
import type { ClientMeta } from "~/utils/request.server";
import { expandWeekly, type Occurrence, overlaps } from "./rules";
import { patientClash } from "./enrollment.server";
import { facilitatorsAt } from "./facilitators.server";
import { APPOINTMENT_KINDS, type AppointmentKind, APPROACHES, type Approach } from "./vocabulary";
import { PLANNING_HORIZON_WEEKS } from "./groups.server";
import { addDays, localTimeExists, longDate, todayIn, weekdayOf, zonedInstant, instantRange, clock12 } from "~/kernel/time";

const maxDate = (a: string, b: string) => (a > b ? a : b);

export interface FamilyMember {
  name: string;
  relationship: string;
}

export interface AppointmentInput {
  patientId: string;
  kind: AppointmentKind;
  approach?: Approach;
  familyMembers: FamilyMember[];
  facilitatorId: string;
  date: string;
  startTime: string;
  durationMinutes: number;
  modality: "in_person" | "telehealth";
  roomId?: string;
  /** 1 for a one-off session, more for that many weekly sessions, or weekly until the patient's discharge. */
  weeks: number | "discharge";
}

/** "HH:MM" plus minutes; null past midnight. */
function clockPlus(time: string, minutes: number): string | null {
  const [h, m] = time.split(":").map(Number);
  const total = h * 60 + m + minutes;
  if (total >= 24 * 60) return null;
  return `${String(Math.floor(total / 60)).padStart(2, "0")}:${String(total % 60).padStart(2, "0")}`;
}

export function appointmentTitle(kind: AppointmentKind, approach?: Approach | null): string {
  return kind === "individual" && approach ? `${APPOINTMENT_KINDS.individual} (${APPROACHES[approach]})` : APPOINTMENT_KINDS[kind];
}

export async function bookAppointment(
  db: DB,
  actor: Actor,
  input: AppointmentInput,
  site: { id: string; time_zone: string },
  meta: ClientMeta,
  now = new Date(),
): Promise<WriteResult<{ sessionIds: string[]; seriesId: string | null }>> {
  const tz = site.time_zone;
  const refuse = (field: string, message: string) => ({ ok: false as const, status: 400 as const, fieldErrors: { [field]: [message] } });

  const patient = await db
    .selectFrom("patients")
    .select(["id", "mrn", "status", "legal_first_name", "legal_last_name", "preferred_name"])
    .where("id", "=", input.patientId)
    .where("site_id", "=", site.id)
    .executeTakeFirst();
  if (!patient) return refuse("patientId", "Choose a patient at this site.");
  const patientName = `${patient.preferred_name || patient.legal_first_name} ${patient.legal_last_name}`;
  if (!(OPEN_STATUSES as string[]).includes(patient.status))
    return refuse("patientId", `${patientName} is discharged; sessions cannot be booked for them. Re-admit them first.`);
  if (input.kind === "family" && !input.familyMembers.length) return refuse("familyMembers", "Name at least one family member who will come.");

  const facilitator = (await facilitatorsAt(db, site.id, [input.facilitatorId])).find((p) => p.id === input.facilitatorId);
  if (!facilitator) return refuse("facilitatorId", "Choose a counselor who works at this site.");

  const endTime = clockPlus(input.startTime, input.durationMinutes);
  if (!endTime) return refuse("durationMinutes", "The session would run past midnight; start earlier or book it shorter.");
  const people = 1 + (input.kind === "family" ? input.familyMembers.length : 0);
  let room: { id: string; name: string } | null = null;
  if (input.modality === "in_person") {
    if (!input.roomId) return refuse("roomId", "Choose a room, or book it as telehealth.");
    const r = await db
      .selectFrom("rooms")
      .select(["id", "name", "capacity", "active"])
      .where("id", "=", input.roomId)
      .where("site_id", "=", site.id)
      .executeTakeFirst();
    if (!r || !r.active) return refuse("roomId", "Choose an active room at this site.");
    // The counselor is in the room too.
    if (people + 1 > Number(r.capacity)) return refuse("roomId", `${r.name} holds ${r.capacity}; this session brings ${people + 1} people together.`);
    room = { id: r.id, name: r.name };
  }

  const untilDischarge = input.weeks === "discharge";
  const weekly = untilDischarge || Number(input.weeks) > 1;
  // With no last date, sessions are written to the planning horizon like a group series'; the
  // daily extension keeps them that far ahead, and discharge ends the series.
  const lastDate = untilDischarge ? null : addDays(input.date, 7 * (Number(input.weeks) - 1));
  const writtenTo = lastDate ?? maxDate(input.date, addDays(todayIn(tz, now), 7 * PLANNING_HORIZON_WEEKS));
  let occurrences: Occurrence[];
  if (weekly) {
    const expanded = expandWeekly(
      { days: [weekdayOf(input.date)], startTime: input.startTime, endTime, startsOn: input.date, endsOn: lastDate },
      input.date,
      writtenTo,
      tz,
    );
    if (expanded.skipped.length) return refuse("startTime", `${expanded.skipped[0].reason}; choose another time.`);
    occurrences = expanded.occurrences;
  } else {
    for (const [field, time] of [
      ["startTime", input.startTime],
      ["durationMinutes", endTime],
    ] as const) {
      if (!localTimeExists(input.date, time, tz))
        return refuse(field, `${clock12(time)} does not exist on ${longDate(input.date)} in ${tz} (the clocks change); choose another time.`);
    }
    occurrences = [{ date: input.date, startsAt: zonedInstant(input.date, input.startTime, tz), endsAt: zonedInstant(input.date, endTime, tz) }];
  }
  if (occurrences[0].startsAt < now.toISOString()) return refuse("date", "That time has passed; book a session in the future.");

  // The counselor's and the room's other sessions, then the patient's: checked inside the booking's
  // transaction, after taking the patient's, counselor's and room's rows, so two bookings made at
  // once (a double submit, or two people booking the same hour) are checked one after the other.
  const refusal = async (trx: Trx): Promise<string | null> => {
    await trx
      .updateTable("patients")
      .set({ version: sql`version` })
      .where("id", "=", patient.id)
      .execute();
    await trx
      .updateTable("users")
      .set({ version: sql`version` })
      .where("id", "=", facilitator.id)
      .execute();
    if (room)
      await trx
        .updateTable("rooms")
        .set({ version: sql`version` })
        .where("id", "=", room.id)
        .execute();
    const busy = await trx
      .selectFrom("sessions as s")
      .leftJoin("rooms as r", "r.id", "s.room_id")
      .select(["s.title", "s.local_date", "s.starts_at", "s.ends_at", "s.room_id", "s.facilitator_id", "s.co_facilitator_id", "r.name as room_name"])
      .where("s.status", "=", "scheduled")
      .where("s.starts_at", "<", occurrences[occurrences.length - 1].endsAt)
      .where("s.ends_at", ">", occurrences[0].startsAt)
      .where((eb) =>
        eb.or([...(room ? [eb("s.room_id", "=", room.id)] : []), eb("s.facilitator_id", "=", facilitator.id), eb("s.co_facilitator_id", "=", facilitator.id)]),
      )
      .orderBy("s.starts_at")
      .execute();
    for (const o of occurrences) {
      const b = busy.find((x) => overlaps(o.startsAt, o.endsAt, x.starts_at, x.ends_at));
      if (!b) continue;
      const when = `${longDate(b.local_date)}, ${instantRange(b.starts_at, b.ends_at, tz)}`;
      const what =
        room && b.room_id === room.id ? `${room.name} is already booked for ${b.title} on ${when}.` : `${facilitator.name} already has ${b.title} on ${when}.`;
      // The form titles its refusal "Not booked"; the message says why and what to do.
      return `${what} Choose another time${room ? " or room" : ""}.`;
    }
    const clash = await patientClash(trx, [patient.id], occurrences, tz);
    return clash ? `${clash} Choose another time.` : null;
  };

  const title = appointmentTitle(input.kind, input.kind === "individual" ? input.approach : null);
  const family = input.kind === "family" ? JSON.stringify(input.familyMembers) : null;
  const approach = input.kind === "individual" ? (input.approach ?? null) : null;
  const nowIso = now.toISOString();
  const seriesId = weekly ? newId() : null;
  const sessionIds = occurrences.map(() => newId());
  const refused = await db
    .transaction()
    .execute(async (trx) => {
      const conflict = await refusal(trx);
      if (conflict) throw new Refused(conflict);
      if (seriesId) {
        await trx
          .insertInto("group_series")
          .values({
            id: seriesId,
            site_id: site.id,
            track_id: null,
            title,
            kind: input.kind,
            session_kind: input.kind,
            patient_id: patient.id,
            approach,
            family_members: family,
            facilitator_id: facilitator.id,
            co_facilitator_id: null,
            room_id: room?.id ?? null,
            modality: input.modality,
            capacity: 1,
            days: JSON.stringify([weekdayOf(input.date)]),
            start_time: input.startTime,
            end_time: endTime,
            starts_on: input.date,
            ends_on: lastDate,
            auto_enroll: 0,
            created_at: nowIso,
            updated_at: nowIso,
          })
          .execute();
      }
      await trx
        .insertInto("sessions")
        .values(
          occurrences.map((o, i) => ({
            id: sessionIds[i],
            site_id: site.id,
            series_id: seriesId,
            kind: input.kind,
            group_kind: null,
            title,
            track_id: null,
            facilitator_id: facilitator.id,
            co_facilitator_id: null,
            room_id: room?.id ?? null,
            modality: input.modality,
            capacity: 1,
            local_date: o.date,
            starts_at: o.startsAt,
            ends_at: o.endsAt,
            status: "scheduled",
            cancel_reason: null,
            patient_id: patient.id,
            approach,
            family_members: family,
            created_at: nowIso,
            updated_at: nowIso,
          })),
        )
        .execute();
      await trx
        .insertInto("session_participants")
        .values(
          sessionIds.map((sid) => ({
            id: newId(),
            session_id: sid,
            patient_id: patient.id,
            source: "booked",
            joined_at: nowIso,
            left_at: null,
            left_reason: null,
          })),
        )
        .execute();
      await recordAudit(trx, {
        actor,
        action: "appointment.booked",
        entityType: seriesId ? "group_series" : "session",
        entityId: seriesId ?? sessionIds[0],
        patientId: patient.id,
        siteId: site.id,
        after: {
          kind: input.kind,
          approach,
          familyMembers: input.kind === "family" ? input.familyMembers.length : undefined,
          facilitatorId: facilitator.id,
          roomId: room?.id ?? null,
          modality: input.modality,
          startTime: input.startTime,
          endTime,
          ...(untilDischarge ? { repeats: "weekly until discharge" } : {}),
        },
        detail: { dates: occurrences.map((o) => o.date) },
        meta,
      });
      return null;
    })
    .catch((e) => {
      if (e instanceof Refused) return e.message;
      throw e;
    });
  if (refused) return { ok: false, status: 409, formError: refused };
  return { ok: true, sessionIds, seriesId };
}

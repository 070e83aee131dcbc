/**
 * The clinic side of issue 21's walk-through (not a test file itself), made in the running app's
 * database through the repositories the app itself uses: a new IOP patient at the demo site with a
 * diagnosis, a payer with a per-diem fee schedule row (H0015, $250.00 a day), a Part 2 consent to
 * that payer for payment, and twelve documented 3-hour days — each a telehealth session booked the
 * day before, its roll call taken at its end (present, 180 minutes) and its note signed an hour
 * later by the counselor, every section of it carrying `phrase`. What billing does with all that
 * (coverage, authorization, charges, claims, remittance) is left to the test, in the browser.
 */
import { randomUUID } from "node:crypto";
import type { Kysely } from "kysely";
import type { Database } from "../../db/schema";
import { getRollCall, saveRollCall } from "~/features/attendance/attendance.server";
import { billingProvider, saveBillingProvider } from "~/features/billing/claims.server";
import { FeeRowSchema } from "~/features/billing/charge-schemas";
import { saveFeeRow } from "~/features/billing/fee-schedule.server";
import { createPayer } from "~/features/billing/payers.server";
import { recordConsent } from "~/features/consents/consents.server";
import { addDiagnosis } from "~/features/patients/clinical.server";
import { enrollPatient } from "~/features/patients/patients.server";
import { bookAppointment } from "~/features/scheduling/appointments.server";
import { addDays, startOfDayUtc, todayIn, weekdayOf } from "~/kernel/time";
import { meta } from "../support/demo";
import { intakeInput } from "../integration/patients-support";
import { PROVIDER } from "../integration/claims-support";
import { writeSignedNote } from "./notes-support";

type DB = Kysely<Database>;

export const RATE_CENTS = 25_000;

/** The `n` weekdays before `today` (YYYY-MM-DD), oldest first. */
export function weekdaysBefore(today: string, n: number): string[] {
  const out: string[] = [];
  for (let d = addDays(today, -1); out.length < n; d = addDays(d, -1)) if (weekdayOf(d) !== "sat" && weekdayOf(d) !== "sun") out.unshift(d);
  return out;
}

export interface Walkthrough {
  siteId: string;
  patientId: string;
  patientName: string;
  mrn: string;
  payerName: string;
  payerCode: string;
  days: string[];
  noteIds: string[];
  phrase: string;
}

export async function setUpWalkthrough(db: DB, emails: { admin: string; counselor: string }, phrase: string, dayCount = 12): Promise<Walkthrough> {
  const site = await db.selectFrom("sites").select(["id", "time_zone"]).where("name", "=", "Harbor Light Recovery – Riverside").executeTakeFirstOrThrow();
  const person = (email: string) => db.selectFrom("users").select(["id", "name"]).where("email", "=", email).executeTakeFirstOrThrow();
  const [admin, counselor] = [await person(emails.admin), await person(emails.counselor)];
  const days = weekdaysBefore(todayIn(site.time_zone), dayCount);
  const tag = randomUUID().slice(0, 6);
  const check = <T extends { ok: boolean }>(what: string, r: T) => {
    if (!r.ok) throw new Error(`${what}: ${JSON.stringify(r)}`);
    return r as Extract<T, { ok: true }>;
  };

  // A new patient, admitted to IOP the week before the first day, so no demo day is theirs.
  const enrolled = check(
    "enrol",
    await enrollPatient(
      db,
      admin,
      intakeInput(site.id, counselor.id, {
        legalFirstName: "Wren",
        legalLastName: `Walkthrough-${tag}`,
        dateOfBirth: "1986-04-19",
        confirmDuplicate: "yes",
        admittedOn: addDays(days[0], -7),
        part2NoticeOn: addDays(days[0], -7),
        levelOfCare: "IOP",
      }),
      [site.id],
      meta,
    ),
  );
  const patient = await db
    .selectFrom("patients")
    .select(["id", "mrn", "legal_first_name", "legal_last_name"])
    .where("id", "=", enrolled.id)
    .executeTakeFirstOrThrow();
  check("diagnosis", await addDiagnosis(db, counselor, patient.id, { code: "F10.20", isPrimary: "yes" }, [site.id], meta));

  // The payer and how it pays an IOP day: H0015 (SUD intensive outpatient, per diem), one unit, 3 documented hours.
  const payerName = `Lakeshore Mutual ${tag}`;
  const payerCode = `LM${tag}`.toUpperCase();
  const payer = check("payer", await createPayer(db, admin, site.id, { name: payerName, kind: "commercial", payerCode, active: "yes" }, meta));
  const fee = FeeRowSchema.parse({
    intent: "save-fee",
    payerId: payer.id,
    level: "IOP",
    claimType: "professional",
    procedureCode: "H0015",
    modifiers: "HF",
    revenueCode: "",
    unitsPerDay: "1",
    minMinutes: "180",
    requiresSignedNote: "yes",
    rate: (RATE_CENTS / 100).toFixed(2),
  });
  check("fee schedule", await saveFeeRow(db, admin, site.id, fee, meta));
  check(
    "consent",
    await recordConsent(
      db,
      counselor,
      patient.id,
      {
        requestKey: randomUUID(),
        disclosingParty: "Harbor Light Recovery",
        information: ["attendance", "level_of_care", "diagnoses"],
        recipient: payerName,
        recipientDesignation: "named",
        purposes: ["payment"],
        purposeOther: undefined,
        expiresOn: addDays(days[0], 365),
        expiryEvent: "none",
        expiryEventText: undefined,
        signedOn: addDays(days[0], -7),
        signedBy: "patient",
        signerName: undefined,
        revocationExplained: "yes",
        note: undefined,
      },
      [site.id],
      meta,
    ),
  );

  // The demo's claims carry the billing provider already; a fresh clinic gets one.
  const provider = await billingProvider(db, site.id);
  if (!provider.settings) check("billing provider", await saveBillingProvider(db, admin, site.id, { ...PROVIDER, version: provider.version }, meta));

  // Twelve documented 3-hour days: early-morning telehealth, clear of the counselor's groups.
  const noteIds: string[] = [];
  for (const date of days) {
    const booked = check(
      `book ${date}`,
      await bookAppointment(
        db,
        counselor,
        {
          patientId: patient.id,
          kind: "individual",
          approach: undefined,
          familyMembers: [],
          facilitatorId: counselor.id,
          date,
          startTime: "05:30",
          durationMinutes: 180,
          modality: "telehealth",
          weeks: 1,
        },
        site,
        meta,
        new Date(Date.parse(startOfDayUtc(date, site.time_zone)) - 86_400_000),
      ),
    );
    const sessionId = booked.sessionIds[0];
    const roll = (await getRollCall(db, sessionId, site.id))!;
    const endsAt = new Date(roll.session.ends_at);
    check(
      `roll ${date}`,
      await saveRollCall(
        db,
        counselor,
        sessionId,
        { version: roll.session.rollVersion, marks: [{ patientId: patient.id, status: "present", mode: "telehealth", minutes: 180 }] },
        site,
        meta,
        endsAt,
      ),
    );
    const note = await writeSignedNote(db, counselor, sessionId, site.id, new Date(endsAt.getTime() + 3_600_000), phrase);
    noteIds.push(note.noteId);
  }
  return {
    siteId: site.id,
    patientId: patient.id,
    patientName: `${patient.legal_last_name}, ${patient.legal_first_name}`,
    mrn: patient.mrn,
    payerName,
    payerCode,
    days,
    noteIds,
    phrase,
  };
}

/**
 * What a past patient's chart holds beside their groups (demo-history.ts): the 42 CFR Part 2
 * consent they signed at admission, their urine drug tests during the stay, and — for about a third
 * of stays — weekly individual sessions with their counselor. Written while the stay is open (the
 * app records tests and bookings only for patients in the program), each as of its own day, through
 * the same repositories as in use; the roll of the individual sessions is taken with the groups'.
 *
 * Results are a mix: mostly negative, the expected positives of buprenorphine or methadone, an
 * admission test positive for the substance that brought them in, the odd relapse mid-stay, a
 * missed buprenorphine dose, and, for those who dropped out or were discharged by the program, a
 * last test positive or refused. Every alert a result raised was acknowledged by the counselor, so
 * nobody's worklist fills with the past year. Deterministic: its own seeded generator, so the rest
 * of the history draws the same numbers as before.
 */
import { randomUUID } from "node:crypto";
import type { Kysely } from "kysely";
import type { Database } from "../db/schema";
import { recordConsent } from "../app/features/consents/consents.server";
import type { ConsentInput } from "../app/features/consents/schemas";
import { acknowledgeAlerts } from "../app/features/drug-testing/alerts.server";
import { recordCollection, saveResults } from "../app/features/drug-testing/collections.server";
import { listPanels } from "../app/features/drug-testing/panels.server";
import type { Analyte } from "../app/features/drug-testing/rules";
import type { DISCHARGE_REASONS } from "../app/features/patients/rules";
import { bookAppointment } from "../app/features/scheduling/appointments.server";
import type { Approach } from "../app/features/scheduling/vocabulary";
import { addDays, daysBetween, startOfDayUtc, weekdayOf, zonedInstant } from "../app/kernel/time";
import { seededRandom } from "./demo-patients";

type Random = ReturnType<typeof seededRandom>;
type User = { id: string; name: string };

export interface PastStay {
  patientId: string;
  counselor: User;
  admittedOn: string;
  dischargedOn: string;
  reason: keyof typeof DISCHARGE_REASONS;
  referralSource: string;
  payerType: string;
  payerPlan?: string;
  emergencyContact?: { name: string; relationship: string };
  /** The primary substance-use diagnosis (ICD-10-CM) and the medication for it, if any. */
  sudCode: string;
  medication: string | null;
}

/** The analyte that shows the substance of a diagnosis (F10 alcohol: EtG; F11 opioids: fentanyl today). */
const SUBSTANCE: Record<string, Analyte> = { F10: "etg", F11: "fentanyl", F12: "thc", F14: "cocaine", F15: "methamphetamine" };
const PROBATION = ["Officer Dana Reyes, Kings County Probation", "Officer Luis Okoro, NYC Department of Probation"];
const APPROACHES: Approach[] = ["cbt", "motivational_interviewing", "dbt", "trauma_focused"];
const SLOTS = ["14:30", "15:30", "16:30"];

export async function pastCare(
  db: Kysely<Database>,
  clinic: { siteId: string; users: Record<string, { id: string; name: string; role: string }> },
  timeZone: string,
  siteName: string,
) {
  const rnd: Random = seededRandom(20250611);
  const meta = { ip: null, userAgent: "demo seed" };
  const siteIds = [clinic.siteId];
  const site = { id: clinic.siteId, time_zone: timeZone };
  const staff = Object.values(clinic.users).filter((u) => u.role === "staff");
  const urine = (await listPanels(db, clinic.siteId, { activeOnly: true })).find((p) => p.specimen === "urine")!;
  const offices = await db
    .selectFrom("rooms")
    .select("id")
    .where("site_id", "=", clinic.siteId)
    .where("name", "like", "Counseling Office%")
    .orderBy("name")
    .execute();
  let stays = 0;

  async function consent(stay: PastStay) {
    const base: ConsentInput = {
      requestKey: randomUUID(),
      disclosingParty: siteName,
      information: ["attendance", "level_of_care"],
      recipient: "",
      recipientDesignation: "named",
      purposes: [],
      purposeOther: undefined,
      expiresOn: undefined,
      expiryEvent: "discharge",
      expiryEventText: undefined,
      signedOn: stay.admittedOn,
      signedBy: "patient",
      signerName: undefined,
      revocationExplained: "yes",
      note: undefined,
    };
    const terms: Partial<ConsentInput> =
      stay.referralSource === "court"
        ? {
            recipient: PROBATION[stays % PROBATION.length],
            purposes: ["court_probation"],
            information: ["attendance", "drug_tests", "level_of_care"],
            expiryEvent: "none",
            expiresOn: addDays(stay.admittedOn, 365),
          }
        : stay.payerType !== "self_pay" && stay.payerPlan
          ? {
              recipient: stay.payerPlan,
              purposes: ["payment", "health_care_operations"],
              information: ["attendance", "level_of_care", "diagnoses", "medications", "discharge_summary"],
              // Two years, not until discharge: the last weeks' claims go out after the patient leaves.
              expiryEvent: "none",
              expiresOn: addDays(stay.admittedOn, 730),
            }
          : stay.emergencyContact
            ? {
                recipient: `${stay.emergencyContact.name} (${stay.emergencyContact.relationship.toLowerCase()})`,
                purposes: ["family"],
                information: ["attendance"],
              }
            : { recipient: "Riverside Community Counseling", purposes: ["treatment"], information: ["attendance", "level_of_care", "discharge_summary"] };
    const r = await recordConsent(db, stay.counselor, stay.patientId, { ...base, ...terms }, siteIds, meta);
    if (!r.ok) throw new Error(`demo history consent was refused: ${JSON.stringify(r)}`);
  }

  /** Weekly individual sessions from the first Tuesday or Thursday after admission, ending before discharge. */
  async function appointments(stay: PastStay) {
    let first = addDays(stay.admittedOn, 2);
    const day = stays % 2 === 0 ? "tue" : "thu";
    while (weekdayOf(first) !== day) first = addDays(first, 1);
    const weeks = Math.min(4, Math.floor(daysBetween(first, addDays(stay.dischargedOn, -1)) / 7) + 1);
    if (weeks < 1 || first >= stay.dischargedOn) return;
    for (const startTime of SLOTS) {
      for (const [o, office] of offices.entries()) {
        const r = await bookAppointment(
          db,
          stay.counselor,
          {
            patientId: stay.patientId,
            kind: "individual",
            approach: APPROACHES[stays % APPROACHES.length],
            familyMembers: [],
            facilitatorId: stay.counselor.id,
            date: first,
            startTime,
            durationMinutes: 50,
            modality: (stays + o) % 5 === 4 ? "telehealth" : "in_person",
            roomId: office.id,
            weeks,
          },
          site,
          meta,
          // Booked the day before the first, as in use.
          new Date(Date.parse(startOfDayUtc(first, timeZone)) - 86_400_000),
        );
        if (r.ok) return;
      }
    }
  }

  async function drugTests(stay: PastStay) {
    const substance = SUBSTANCE[stay.sudCode.slice(0, 3)];
    const onBup = stay.medication?.startsWith("buprenorphine") ?? false;
    const onMethadone = stay.medication === "methadone";
    // At admission, three or four weeks in, then about every five weeks, on weekdays, while they are in the program.
    const dates = [stay.admittedOn];
    for (let d = addDays(stay.admittedOn, rnd.int(18, 26)); d < stay.dischargedOn; d = addDays(d, rnd.int(32, 38))) {
      while (weekdayOf(d) === "sat" || weekdayOf(d) === "sun") d = addDays(d, 1);
      if (d < stay.dischargedOn) dates.push(d);
    }
    const fadingOut = ["left_before_completion", "discharged_by_program", "incarcerated"].includes(stay.reason);
    for (const [n, date] of dates.entries()) {
      const last = n === dates.length - 1 && n > 0;
      const time = n === 0 ? "08:45" : "09:15";
      const collectedAt = zonedInstant(date, time, timeZone);
      const later = (minutes: number) => new Date(Date.parse(collectedAt) + minutes * 60_000);
      const collector = staff[(stays + n) % staff.length];
      const refused = last && fadingOut && rnd.chance(0.3);
      const recorded = await recordCollection(
        db,
        { id: collector.id, name: collector.name },
        {
          requestKey: randomUUID(),
          patientId: stay.patientId,
          collection: refused ? "refused" : "collected",
          date,
          time,
          reason: n === 0 ? "intake" : last && fadingOut ? "for_cause" : "scheduled",
          specimen: "urine",
          panelId: urine.id,
          observed: rnd.chance(0.4),
          temperatureF: 92 + ((stays + n) % 6),
          temperatureNote: undefined,
          collectedBy: collector.id,
          note: refused ? "Declined to provide a specimen." : undefined,
        },
        siteIds,
        meta,
        later(2),
      );
      if (!recorded.ok) throw new Error(`demo history collection was refused: ${JSON.stringify(recorded)}`);
      let note = "Reviewed with the patient in session; plan updated.";
      if (!refused) {
        const results: Partial<Record<Analyte, "negative" | "positive">> = {};
        for (const a of urine.analytes)
          results[a] = (onBup && a === "buprenorphine") || (onMethadone && (a === "methadone" || a === "eddp")) ? "positive" : "negative";
        const roll = rnd.next();
        if (substance && ((n === 0 && roll < 0.35) || (n > 0 && !last && roll < 0.08) || (last && fadingOut && roll < 0.6))) {
          results[substance] = "positive";
          note = n === 0 ? "Use before admission, as disclosed at intake." : "Disclosed use; relapse-prevention plan revised with the patient.";
        } else if (onBup && n > 0 && roll > 0.95) {
          results.buprenorphine = "negative";
          note = "Missed doses after a pharmacy delay; prescriber contacted and refill arranged.";
        }
        const saved = await saveResults(
          db,
          { id: collector.id, name: collector.name },
          recorded.id,
          { intent: "results", version: 1, validity: "valid", results },
          siteIds,
          meta,
          later(8),
        );
        if (!saved.ok) throw new Error(`demo history results were refused: ${JSON.stringify(saved)}`);
      }
      const open = await db.selectFrom("drug_test_alerts").select("id").where("test_id", "=", recorded.id).where("status", "=", "open").executeTakeFirst();
      if (open) {
        const r = await acknowledgeAlerts(db, stay.counselor, { patientId: stay.patientId, testId: recorded.id, note }, siteIds, meta, later(60 * 26));
        if (!r.ok) throw new Error(`demo history acknowledgement was refused: ${JSON.stringify(r)}`);
      }
    }
  }

  return {
    /** A stay's consent, tests and (for some) individual sessions; call while the stay is open. */
    async record(stay: PastStay) {
      await consent(stay);
      if (rnd.chance(0.25)) await appointments(stay);
      await drugTests(stay);
      stays++;
    },
  };
}

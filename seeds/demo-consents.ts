/**
 * The demo's 42 CFR Part 2 consents and disclosures. Most patients in the program signed a consent
 * for their insurer (payment and health-care operations) at admission; patients referred by a
 * court have one for their probation officer or the drug court, those referred by an employer one
 * for its EAP, and a few one for a family member. Two were revoked, two have expired (one on its
 * date, one on an event a counselor marked), and discharged patients' "until discharge" consents
 * have ended on their own. Probation officers got monthly attendance and drug-test reports and
 * insurers a utilization review, so each chart's accounting of disclosures has entries.
 *
 * Written through the app's own repositories (and so audited). Deterministic: a fixed seed.
 */
import { randomUUID } from "node:crypto";
import type { Kysely } from "kysely";
import type { Database } from "../db/schema";
import { markConsentExpired, recordConsent, revokeConsent } from "../app/features/consents/consents.server";
import { discloseRecords } from "../app/features/consents/disclosures.server";
import type { ConsentInput } from "../app/features/consents/schemas";
import { addDays, zonedInstant } from "../app/kernel/time";
import { seededRandom } from "./demo-patients";

type Clinic = { siteId: string; users: Record<string, { id: string; name: string; role: string }> };

const PROBATION = [
  "Officer Dana Reyes, Kings County Probation",
  "Officer Luis Okoro, NYC Department of Probation",
  "Brooklyn Treatment Court (Judge M. Alvarado)",
];
const EMPLOYERS = ["Harborview Logistics Employee Assistance Program", "MetroTransit EAP (ComPsych)"];

export async function seedDemoConsents(db: Kysely<Database>, clinic: Clinic, timeZone: string, today: string, siteName: string) {
  const rnd = seededRandom(2312026);
  const meta = { ip: null, userAgent: "demo seed" };
  const siteIds = [clinic.siteId];
  const patients = await db
    .selectFrom("patients as p")
    .innerJoin("patient_episodes as e", "e.id", "p.current_episode_id")
    .innerJoin("users as c", "c.id", "p.primary_counselor_id")
    .select([
      "p.id",
      "p.status",
      "p.payer_type",
      "p.payer_plan",
      "p.emergency_contact_name",
      "p.emergency_contact_relationship",
      "e.admitted_on",
      "e.discharged_on",
      "e.referral_source",
      "c.id as counselor_id",
      "c.name as counselor_name",
    ])
    .where("p.site_id", "=", clinic.siteId)
    .where("p.status", "in", ["active", "on_hold", "discharged"])
    .orderBy("p.mrn")
    .execute();
  const at = (date: string) => new Date(zonedInstant(date, "15:00", timeZone));
  const signedOn = (admitted: string) => (admitted > today ? today : admitted);

  let revoked = 0;
  let expired = 0;
  for (const [i, p] of patients.entries()) {
    // A few patients have not signed anything yet.
    if (p.status !== "discharged" && i % 9 === 4) continue;
    const actor = { id: p.counselor_id, name: p.counselor_name };
    const consent = async (over: Partial<ConsentInput>) => {
      const input: ConsentInput = {
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
        signedOn: signedOn(p.admitted_on),
        signedBy: "patient",
        signerName: undefined,
        revocationExplained: "yes",
        note: undefined,
        ...over,
      };
      const r = await recordConsent(db, actor, p.id, input, siteIds, meta);
      if (!r.ok) throw new Error(`demo consent refused: ${JSON.stringify(r)}`);
      return { id: r.id, ...input };
    };
    const disclose = async (
      date: string,
      recipient: string,
      purpose: ConsentInput["purposes"][number],
      information: ConsentInput["information"],
      recordsFrom: string,
    ) => {
      if (date < signedOn(p.admitted_on) || date >= today || (p.discharged_on && date >= p.discharged_on)) return;
      const r = await discloseRecords(
        db,
        actor,
        p.id,
        {
          requestKey: randomUUID(),
          recipient,
          purpose,
          purposeDetail: undefined,
          information,
          recordsFrom: recordsFrom > date ? date : recordsFrom,
          note: undefined,
        },
        siteIds,
        meta,
        at(date),
      );
      if (!r.ok) throw new Error(`demo disclosure refused: ${JSON.stringify(r)}`);
    };

    // The insurer: payment and operations (utilization review), for two years from signing. Not
    // "until discharge": a claim is a disclosure made when it goes out, and the last weeks of care
    // are billed, reviewed and paid after the patient has left.
    if (p.payer_type !== "self_pay" && p.payer_plan) {
      await consent({
        recipient: p.payer_plan,
        purposes: ["payment", "health_care_operations"],
        information: ["attendance", "level_of_care", "diagnoses", "medications", "discharge_summary"],
        expiryEvent: "none",
        expiresOn: addDays(signedOn(p.admitted_on), 730),
      });
      await disclose(addDays(signedOn(p.admitted_on), 14), p.payer_plan, "payment", ["attendance", "level_of_care", "diagnoses"], signedOn(p.admitted_on));
    }

    if (p.referral_source === "court") {
      const officer = PROBATION[i % PROBATION.length];
      const c = await consent({
        recipient: officer,
        purposes: ["court_probation"],
        information: ["attendance", "drug_tests", "level_of_care"],
        expiryEvent: "none",
        expiresOn: addDays(signedOn(p.admitted_on), 365),
      });
      // Monthly reports to the officer.
      for (let d = addDays(c.signedOn, 28); d < today; d = addDays(d, 28))
        await disclose(d, officer, "court_probation", ["attendance", "drug_tests"], addDays(d, -28));
    } else if (p.referral_source === "employer") {
      const eap = EMPLOYERS[i % EMPLOYERS.length];
      // One of them expired on its date; the patient signed a new one.
      if (expired === 0 && signedOn(p.admitted_on) < addDays(today, -30)) {
        expired++;
        await consent({
          recipient: eap,
          purposes: ["employer"],
          information: ["attendance"],
          expiryEvent: "none",
          expiresOn: addDays(signedOn(p.admitted_on), 30),
          signedOn: signedOn(p.admitted_on),
        });
        await disclose(addDays(signedOn(p.admitted_on), 21), eap, "employer", ["attendance"], signedOn(p.admitted_on));
        await consent({
          recipient: eap,
          purposes: ["employer"],
          information: ["attendance", "level_of_care"],
          expiryEvent: "other",
          expiryEventText: "the return-to-work agreement ends",
          expiresOn: undefined,
          signedOn: addDays(signedOn(p.admitted_on), 31),
        });
      } else {
        await consent({
          recipient: eap,
          purposes: ["employer"],
          information: ["attendance", "level_of_care"],
          expiryEvent: "other",
          expiryEventText: "the return-to-work agreement ends",
          expiresOn: undefined,
        });
      }
    }

    if (p.emergency_contact_name && i % 5 === 1) {
      const who = `${p.emergency_contact_name} (${(p.emergency_contact_relationship ?? "family").toLowerCase()})`;
      const c = await consent({ recipient: who, purposes: ["family"], information: ["attendance"], expiryEvent: "discharge" });
      if (revoked < 2 && p.status !== "discharged") {
        revoked++;
        const daysAgo = addDays(today, -rnd.int(3, 12));
        const on = daysAgo < c.signedOn ? c.signedOn : daysAgo;
        const r = await revokeConsent(
          db,
          actor,
          p.id,
          { consentId: c.id, version: 1, revokedOn: on, revocationNote: "Patient asked in session to stop sharing with family; signed the revocation form." },
          siteIds,
          meta,
        );
        if (!r.ok) throw new Error(JSON.stringify(r));
      }
    }

    // One family-program consent ended on its event, marked by the counselor.
    if (expired === 1 && p.status === "active" && i % 5 === 3 && signedOn(p.admitted_on) < addDays(today, -21)) {
      expired++;
      const c = await consent({
        recipient: "Harbor Light Family Program facilitator",
        purposes: ["family"],
        information: ["attendance"],
        expiryEvent: "other",
        expiryEventText: "the six-week family program ends",
        expiresOn: undefined,
      });
      const r = await markConsentExpired(
        db,
        actor,
        p.id,
        { consentId: c.id, version: 1, expiredOn: addDays(today, -7), expiryNote: "Family program cohort finished." },
        siteIds,
        meta,
      );
      if (!r.ok) throw new Error(JSON.stringify(r));
    }
  }
}

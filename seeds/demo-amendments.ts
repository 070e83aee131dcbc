/**
 * The demo clinic's amendment requests: one decided (denied, with the patient's statement of
 * disagreement kept), one accepted, and one still waiting for a decision.
 */
import type { Kysely } from "kysely";
import type { Database } from "../db/schema";
import { amendmentRequestsOf, decideAmendment, recordAmendmentRequest, recordDisagreement } from "../app/features/patients/amendments.server";
import { addDays } from "../app/kernel/time";
import type { DemoClinic } from "./demo";

const meta = { ip: "10.20.0.12", userAgent: "Demo seed" };

export async function seedDemoAmendments(db: Kysely<Database>, clinic: DemoClinic, today: string): Promise<void> {
  const counselor = clinic.users["priya.raman"];
  const patients = await db
    .selectFrom("patients")
    .select("id")
    .where("status", "=", "active")
    .where("primary_counselor_id", "=", counselor.id)
    .orderBy("mrn")
    .limit(3)
    .execute();
  if (patients.length < 3) return;
  const sites = [clinic.siteId];
  const [a, b, c] = patients.map((p) => p.id);
  await recordAmendmentRequest(
    db,
    counselor,
    a,
    {
      requestedOn: addDays(today, -40),
      section: "Diagnoses",
      request: "The record says alcohol use disorder, severe. I think my use was moderate and would like it changed.",
    },
    sites,
    meta,
  );
  let [r] = await amendmentRequestsOf(db, a, today);
  await decideAmendment(
    db,
    counselor,
    a,
    {
      id: r.id,
      version: r.version,
      decision: "denied",
      decidedOn: addDays(today, -30),
      note: "Severity follows the assessment at admission (6 of 11 DSM-5 criteria), which the treatment team reviewed again on request.",
    },
    sites,
    meta,
  );
  [r] = await amendmentRequestsOf(db, a, today);
  await recordDisagreement(
    db,
    counselor,
    a,
    {
      id: r.id,
      version: r.version,
      disagreementOn: addDays(today, -25),
      disagreement: "I answered the intake questions while in withdrawal and overstated things. I want this statement kept with my diagnosis.",
    },
    sites,
    meta,
  );
  await recordAmendmentRequest(
    db,
    counselor,
    b,
    { requestedOn: addDays(today, -12), section: "Emergency contact", request: "My emergency contact is my sister now, not my former partner." },
    sites,
    meta,
  );
  [r] = await amendmentRequestsOf(db, b, today);
  await decideAmendment(
    db,
    counselor,
    b,
    { id: r.id, version: r.version, decision: "accepted", decidedOn: addDays(today, -10), note: "Emergency contact updated on the overview." },
    sites,
    meta,
  );
  await recordAmendmentRequest(
    db,
    counselor,
    c,
    { requestedOn: addDays(today, -5), section: "Group note, last Tuesday", request: "The note says I left early; I was there until the end." },
    sites,
    meta,
  );
}

/**
 * Shared helpers for the patients integration tests (not a test file itself).
 * Real databases only: everything here reads or writes through Kysely.
 */
import type { Kysely } from "kysely";
import type { Database } from "../../db/schema";
import { enrollPatient } from "~/features/patients/patients.server";
import type { DischargeInput, IntakeInput } from "~/features/patients/schemas";
import { newId } from "~/utils/ids";
import { meta } from "../support/demo";

type DB = Kysely<Database>;

export const PATIENT_TABLES = ["patients", "patient_episodes", "patient_status_changes", "level_of_care_changes", "patient_diagnoses", "mat_episodes"] as const;

/** A complete intake as the form would hand it over after parsing. */
export function intakeInput(siteId: string, counselorId: string, over: Partial<IntakeInput> = {}): IntakeInput {
  return {
    legalFirstName: "Jane",
    legalLastName: "Doe",
    preferredName: undefined,
    dateOfBirth: "1990-05-05",
    sex: "female",
    genderIdentity: undefined,
    phone: "(718) 555-0100",
    email: undefined,
    address: undefined,
    emergencyContactName: undefined,
    emergencyContactRelationship: undefined,
    emergencyContactPhone: undefined,
    preferredLanguage: "English",
    trackId: undefined,
    primaryCounselorId: counselorId,
    payerType: "medicaid",
    payerPlan: "NY Medicaid",
    payerMemberId: "MED0001",
    detoxStatus: "not_needed",
    detoxCompletedOn: undefined,
    part2NoticeOn: "2026-09-01",
    siteId,
    referralSource: "self",
    admittedOn: "2026-09-01",
    levelOfCare: "IOP",
    initialStatus: "active",
    confirmDuplicate: undefined,
    ...over,
  };
}

export function dischargeInput(version: number, over: Partial<DischargeInput> = {}): DischargeInput {
  return {
    version,
    dischargedOn: "2026-10-20",
    reason: "completed",
    nextLevelOfCare: "OP",
    stepDownProvider: "Riverside Community Counseling",
    mutualHelp: ["aa", "smart"],
    alumniProgram: "yes",
    soberLivingReferral: undefined,
    followUpOn: "2026-10-27",
    note: undefined,
    ...over,
  };
}

/** Enrolls a patient (always confirming duplicates) and returns their id and MRN. */
export async function enroll(db: DB, actor: { id: string; name: string }, siteId: string, over: Partial<IntakeInput> = {}) {
  const result = await enrollPatient(db, actor, intakeInput(siteId, actor.id, { confirmDuplicate: "yes", ...over }), [siteId], meta);
  if (!result.ok) throw new Error(`enrollment refused: ${JSON.stringify(result)}`);
  return { id: result.id, mrn: result.mrn };
}

export async function lastSeq(db: DB): Promise<number> {
  const row = await db
    .selectFrom("audit_events")
    .select((eb) => eb.fn.max("seq").as("m"))
    .executeTakeFirstOrThrow();
  return Number(row.m ?? 0);
}

export async function auditSince(db: DB, seq: number) {
  return db.selectFrom("audit_events").selectAll().where("seq", ">", seq).orderBy("seq").execute();
}

export async function version(db: DB, patientId: string): Promise<number> {
  const row = await db.selectFrom("patients").select("version").where("id", "=", patientId).executeTakeFirstOrThrow();
  return Number(row.version);
}

/** Every patient-related row and the audit log length: equal before and after means nothing was written. */
export async function snapshot(db: DB) {
  const out: Record<string, unknown> = {};
  for (const table of PATIENT_TABLES) {
    out[table] = await db.selectFrom(table).selectAll().orderBy("id").execute();
  }
  out.mrn_counter = await db.selectFrom("mrn_counter").selectAll().execute();
  out.audit = await lastSeq(db);
  return out;
}

/** A second clinic site with its own counselor, who does not work at the first site. */
export async function addSecondSite(db: DB) {
  const now = new Date().toISOString();
  const siteId = newId();
  const counselorId = newId();
  await db.insertInto("sites").values({ id: siteId, name: "Harbor Light Recovery – Eastside", time_zone: "America/Chicago", created_at: now }).execute();
  await db
    .insertInto("users")
    .values({
      id: counselorId,
      email: `quinn.${siteId.slice(-6)}@eastside.example`,
      name: "Quinn Eastside",
      role: "counselor",
      password_hash: "not-a-real-hash",
      must_change_password: 0,
      active: 1,
      last_sign_in_at: null,
      created_at: now,
      updated_at: now,
    })
    .execute();
  await db.insertInto("user_sites").values({ user_id: counselorId, site_id: siteId }).execute();
  return { siteId, counselor: { id: counselorId, name: "Quinn Eastside" } };
}

/** Coded diagnoses and MAT episodes on a patient's chart. */
import { type Insertable, sql } from "kysely";
import type { Database } from "#db/schema";
import { type DB, type Trx, isUniqueViolation } from "~/kernel/db";
import type { Actor } from "~/kernel/actor";
import type { WriteResult } from "~/kernel/results";
import { type AuditInput, recordAudit } from "~/features/audit/audit.server";
import { newId } from "~/utils/ids";
import type { ClientMeta } from "~/utils/request.server";
import { diagnosisCategory } from "./diagnosis-category";
import { lookupIcd10 } from "./icd10-codes";
import type { MatMedication } from "./rules";
import { getPatientRow, STALE_PATIENT } from "./patients.server";
import { changeChartEntry, chartEntry } from "./chart-entries.server";
import { shortDate } from "~/kernel/time";

const NOT_FOUND = { ok: false as const, status: 404 as const, formError: "There is no such patient at your sites." };
const STALE_ROW = "Someone else changed this entry while you were working. Reload to see their change, then try again.";

/**
 * Adds a diagnosis or a MAT episode (after `first`, when given) with its audit record in one
 * transaction. A partial unique index allows one active row per code or medication: null when a
 * simultaneous add won, so the loser gets a 409 instead of a 500.
 */
async function addClinicalEntry<T extends "patient_diagnoses" | "mat_episodes">(
  db: DB,
  actor: Actor,
  patient: { id: string; site_id: string },
  table: T,
  values: Omit<Insertable<Database[T]>, "id" | "patient_id" | "created_by" | "created_at" | "updated_at">,
  audit: Omit<AuditInput, "actor" | "entityId" | "patientId" | "siteId">,
  first?: (trx: Trx, now: string) => Promise<void>,
): Promise<string | null> {
  const id = newId();
  const now = new Date().toISOString();
  try {
    await db.transaction().execute(async (trx) => {
      await first?.(trx, now);
      await trx
        .insertInto<"patient_diagnoses" | "mat_episodes">(table)
        .values({ ...values, id, patient_id: patient.id, created_by: actor.id, created_at: now, updated_at: now })
        .execute();
      await recordAudit(trx, { ...audit, actor, entityId: id, patientId: patient.id, siteId: patient.site_id });
    });
    return id;
  } catch (err) {
    if (isUniqueViolation(err)) return null;
    throw err;
  }
}

export async function diagnosesOf(db: DB, patientId: string) {
  const rows = await db
    .selectFrom("patient_diagnoses")
    .selectAll()
    .where("patient_id", "=", patientId)
    .orderBy(sql`resolved_on is null`, "desc")
    .orderBy("is_primary", "desc")
    .orderBy("code")
    .execute();
  return rows.map((r) => ({ ...r, is_primary: Boolean(r.is_primary), version: Number(r.version) }));
}

/**
 * Adds a diagnosis. Only a billable code on the clinic's ICD-10-CM list is accepted, and the list's
 * official description is stored: a `description` a caller passes is not used (diagnoses stored
 * before the list was enforced keep theirs).
 */
export async function addDiagnosis(
  db: DB,
  actor: Actor,
  patientId: string,
  input: { code: string; description?: string; isPrimary?: "yes"; onsetOn?: string },
  siteIds: string[],
  meta: ClientMeta,
): Promise<WriteResult<{ id: string }>> {
  const patient = await getPatientRow(db, patientId, siteIds);
  if (!patient) return NOT_FOUND;
  if (input.onsetOn && input.onsetOn < patient.date_of_birth) {
    return { ok: false, status: 400, fieldErrors: { onsetOn: ["The onset date is before the date of birth."] } };
  }
  const listed = lookupIcd10(input.code);
  if (!listed.ok) return { ok: false, status: 400, fieldErrors: { code: [listed.message] } };
  const { code, description } = listed;
  const existing = await db
    .selectFrom("patient_diagnoses")
    .select("id")
    .where("patient_id", "=", patientId)
    .where("code", "=", code)
    .where("resolved_on", "is", null)
    .executeTakeFirst();
  if (existing) return { ok: false, status: 409, fieldErrors: { code: [`${code} is already an active diagnosis for this patient.`] } };
  const id = await addClinicalEntry(
    db,
    actor,
    patient,
    "patient_diagnoses",
    {
      code,
      description,
      category: diagnosisCategory(code),
      is_primary: input.isPrimary === "yes" ? 1 : 0,
      onset_on: input.onsetOn ?? null,
      resolved_on: null,
    },
    {
      action: "diagnosis.added",
      entityType: "diagnosis",
      after: { code, description, primary: input.isPrimary === "yes", onsetOn: input.onsetOn ?? null },
      meta,
    },
    async (trx, now) => {
      // The new primary diagnosis takes the place of the old one.
      if (input.isPrimary === "yes") {
        await trx
          .updateTable("patient_diagnoses")
          .set({ is_primary: 0, updated_at: now, version: sql`version + 1` })
          .where("patient_id", "=", patientId)
          .where("is_primary", "=", 1)
          .execute();
      }
    },
  );
  if (!id) return { ok: false, status: 409, fieldErrors: { code: [`${code} is already an active diagnosis for this patient.`] } };
  return { ok: true, id };
}

export async function resolveDiagnosis(
  db: DB,
  actor: Actor,
  patientId: string,
  input: { diagnosisId: string; version: number; resolvedOn: string },
  siteIds: string[],
  meta: ClientMeta,
): Promise<WriteResult> {
  const patient = await getPatientRow(db, patientId, siteIds);
  if (!patient) return NOT_FOUND;
  const dx = await chartEntry(db, "patient_diagnoses", patientId, input.diagnosisId);
  if (!dx) return { ok: false, status: 404, formError: "That diagnosis is not on this patient's chart." };
  if (dx.resolved_on) return { ok: false, status: 400, formError: `${dx.code} was already resolved on ${shortDate(dx.resolved_on)}.` };
  if (dx.onset_on && input.resolvedOn < dx.onset_on)
    return { ok: false, status: 400, fieldErrors: { resolvedOn: [`It cannot resolve before its onset (${shortDate(dx.onset_on)}).`] } };
  return changeChartEntry(
    db,
    "patient_diagnoses",
    { id: dx.id, version: input.version },
    { resolved_on: input.resolvedOn },
    {
      actor,
      action: "diagnosis.resolved",
      entityType: "diagnosis",
      patientId,
      siteId: patient.site_id,
      before: { resolvedOn: null },
      after: { resolvedOn: input.resolvedOn },
      detail: { code: dx.code },
      meta,
    },
    STALE_ROW,
  );
}

export async function matEpisodesOf(db: DB, patientId: string) {
  const rows = await db.selectFrom("mat_episodes").selectAll().where("patient_id", "=", patientId).orderBy("started_on", "desc").execute();
  return rows.map((r) => ({ ...r, version: Number(r.version) }));
}

export async function addMatEpisode(
  db: DB,
  actor: Actor,
  patientId: string,
  input: {
    medication: MatMedication;
    formulation?: string;
    dose: string;
    schedule: string;
    prescriber: string;
    setting: string;
    startedOn: string;
    endedOn?: string;
  },
  siteIds: string[],
  meta: ClientMeta,
): Promise<WriteResult<{ id: string }>> {
  const patient = await getPatientRow(db, patientId, siteIds);
  if (!patient) return NOT_FOUND;
  if (input.startedOn < patient.date_of_birth) return { ok: false, status: 400, fieldErrors: { startedOn: ["The start date is before the date of birth."] } };
  // Two open episodes of the same medication at once is a data-entry slip, not a regimen.
  const open = await db
    .selectFrom("mat_episodes")
    .select(["id", "started_on"])
    .where("patient_id", "=", patientId)
    .where("medication", "=", input.medication)
    .where("ended_on", "is", null)
    .executeTakeFirst();
  if (open && !input.endedOn) {
    return {
      ok: false,
      status: 409,
      fieldErrors: { medication: [`This medication already has an open episode (since ${shortDate(open.started_on)}); end it first.`] },
    };
  }
  const id = await addClinicalEntry(
    db,
    actor,
    patient,
    "mat_episodes",
    {
      medication: input.medication,
      formulation: input.formulation ?? null,
      dose: input.dose,
      schedule: input.schedule,
      prescriber: input.prescriber,
      setting: input.setting,
      started_on: input.startedOn,
      ended_on: input.endedOn ?? null,
      end_reason: null,
    },
    { action: "mat.started", entityType: "mat_episode", after: { ...input }, meta },
  );
  if (!id) return { ok: false, status: 409, fieldErrors: { medication: ["This medication already has an open episode; end it first."] } };
  return { ok: true, id };
}

export async function endMatEpisode(
  db: DB,
  actor: Actor,
  patientId: string,
  input: { matId: string; version: number; endedOn: string; endReason?: string },
  siteIds: string[],
  meta: ClientMeta,
): Promise<WriteResult> {
  const patient = await getPatientRow(db, patientId, siteIds);
  if (!patient) return NOT_FOUND;
  const ep = await chartEntry(db, "mat_episodes", patientId, input.matId);
  if (!ep) return { ok: false, status: 404, formError: "That MAT episode is not on this patient's chart." };
  if (ep.ended_on) return { ok: false, status: 400, formError: `This episode already ended on ${shortDate(ep.ended_on)}.` };
  if (input.endedOn < ep.started_on)
    return { ok: false, status: 400, fieldErrors: { endedOn: [`The end date is before the start date (${shortDate(ep.started_on)}).`] } };
  return changeChartEntry(
    db,
    "mat_episodes",
    { id: ep.id, version: input.version },
    { ended_on: input.endedOn, end_reason: input.endReason ?? null },
    {
      actor,
      action: "mat.ended",
      entityType: "mat_episode",
      patientId,
      siteId: patient.site_id,
      before: { endedOn: null },
      after: { endedOn: input.endedOn, endReason: input.endReason ?? null },
      detail: { medication: ep.medication },
      meta,
    },
    STALE_ROW,
  );
}

export { STALE_PATIENT };

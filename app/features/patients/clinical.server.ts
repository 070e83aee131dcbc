/** Coded diagnoses and MAT episodes on a patient's chart. */
import { sql } from "kysely";
import { type DB, isUniqueViolation } from "~/kernel/db";
import type { Actor } from "~/kernel/actor";
import type { WriteResult } from "~/kernel/results";
import { recordAudit } from "~/features/audit/audit.server";
import { newId } from "~/utils/ids";
import type { ClientMeta } from "~/utils/request.server";
import { diagnosisCategory } from "./icd10-codes";
import type { MatMedication } from "./rules";
import { getPatientRow, STALE_PATIENT } from "./patients.server";

const NOT_FOUND = { ok: false as const, status: 404 as const, formError: "There is no such patient at your sites." };
const STALE_ROW = "Someone else changed this entry while you were working. Reload to see their change, then try again.";

/**
 * Runs a write that a partial unique index guards (one active row per code or medication);
 * false when a simultaneous write won, so the loser gets a 409 instead of a 500.
 */
async function uniqueOr409(write: () => Promise<void>): Promise<boolean> {
  try {
    await write();
    return true;
  } catch (err) {
    if (isUniqueViolation(err)) return false;
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

export async function addDiagnosis(
  db: DB,
  actor: Actor,
  patientId: string,
  input: { code: string; description: string; isPrimary?: "yes"; onsetOn?: string },
  siteIds: string[],
  meta: ClientMeta,
): Promise<WriteResult<{ id: string }>> {
  const patient = await getPatientRow(db, patientId, siteIds);
  if (!patient) return NOT_FOUND;
  if (input.onsetOn && input.onsetOn < patient.date_of_birth) {
    return { ok: false, status: 400, fieldErrors: { onsetOn: ["The onset date is before the date of birth."] } };
  }
  const code = input.code.trim().toUpperCase();
  const existing = await db
    .selectFrom("patient_diagnoses")
    .select("id")
    .where("patient_id", "=", patientId)
    .where("code", "=", code)
    .where("resolved_on", "is", null)
    .executeTakeFirst();
  if (existing) return { ok: false, status: 409, fieldErrors: { code: [`${code} is already an active diagnosis for this patient.`] } };
  const id = newId();
  const now = new Date().toISOString();
  const saved = await uniqueOr409(() =>
    db.transaction().execute(async (trx) => {
      if (input.isPrimary === "yes") {
        await trx
          .updateTable("patient_diagnoses")
          .set({ is_primary: 0, updated_at: now, version: sql`version + 1` })
          .where("patient_id", "=", patientId)
          .where("is_primary", "=", 1)
          .execute();
      }
      await trx
        .insertInto("patient_diagnoses")
        .values({
          id,
          patient_id: patientId,
          code,
          description: input.description,
          category: diagnosisCategory(code),
          is_primary: input.isPrimary === "yes" ? 1 : 0,
          onset_on: input.onsetOn ?? null,
          resolved_on: null,
          created_by: actor.id,
          created_at: now,
          updated_at: now,
        })
        .execute();
      await recordAudit(trx, {
        actor,
        action: "diagnosis.added",
        entityType: "diagnosis",
        entityId: id,
        patientId,
        siteId: patient.site_id,
        after: { code, description: input.description, primary: input.isPrimary === "yes", onsetOn: input.onsetOn ?? null },
        meta,
      });
    }),
  );
  if (!saved) return { ok: false, status: 409, fieldErrors: { code: [`${code} is already an active diagnosis for this patient.`] } };
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
  const dx = await db.selectFrom("patient_diagnoses").selectAll().where("id", "=", input.diagnosisId).where("patient_id", "=", patientId).executeTakeFirst();
  if (!dx) return { ok: false, status: 404, formError: "That diagnosis is not on this patient's chart." };
  if (dx.resolved_on) return { ok: false, status: 400, formError: `${dx.code} was already resolved on ${dx.resolved_on}.` };
  if (dx.onset_on && input.resolvedOn < dx.onset_on)
    return { ok: false, status: 400, fieldErrors: { resolvedOn: [`It cannot resolve before its onset (${dx.onset_on}).`] } };
  return db.transaction().execute(async (trx) => {
    const res = await trx
      .updateTable("patient_diagnoses")
      .set({ resolved_on: input.resolvedOn, updated_at: new Date().toISOString(), version: sql`version + 1` })
      .where("id", "=", dx.id)
      .where("version", "=", input.version)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) return { ok: false as const, status: 409 as const, formError: STALE_ROW };
    await recordAudit(trx, {
      actor,
      action: "diagnosis.resolved",
      entityType: "diagnosis",
      entityId: dx.id,
      patientId,
      siteId: patient.site_id,
      before: { resolvedOn: null },
      after: { resolvedOn: input.resolvedOn },
      detail: { code: dx.code },
      meta,
    });
    return { ok: true as const };
  });
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
    return { ok: false, status: 409, fieldErrors: { medication: [`This medication already has an open episode (since ${open.started_on}); end it first.`] } };
  }
  const id = newId();
  const now = new Date().toISOString();
  const saved = await uniqueOr409(() =>
    db.transaction().execute(async (trx) => {
      await trx
        .insertInto("mat_episodes")
        .values({
          id,
          patient_id: patientId,
          medication: input.medication,
          formulation: input.formulation ?? null,
          dose: input.dose,
          schedule: input.schedule,
          prescriber: input.prescriber,
          setting: input.setting,
          started_on: input.startedOn,
          ended_on: input.endedOn ?? null,
          end_reason: null,
          created_by: actor.id,
          created_at: now,
          updated_at: now,
        })
        .execute();
      await recordAudit(trx, {
        actor,
        action: "mat.started",
        entityType: "mat_episode",
        entityId: id,
        patientId,
        siteId: patient.site_id,
        after: { ...input },
        meta,
      });
    }),
  );
  if (!saved) return { ok: false, status: 409, fieldErrors: { medication: ["This medication already has an open episode; end it first."] } };
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
  const ep = await db.selectFrom("mat_episodes").selectAll().where("id", "=", input.matId).where("patient_id", "=", patientId).executeTakeFirst();
  if (!ep) return { ok: false, status: 404, formError: "That MAT episode is not on this patient's chart." };
  if (ep.ended_on) return { ok: false, status: 400, formError: `This episode already ended on ${ep.ended_on}.` };
  if (input.endedOn < ep.started_on) return { ok: false, status: 400, fieldErrors: { endedOn: [`The end date is before the start date (${ep.started_on}).`] } };
  return db.transaction().execute(async (trx) => {
    const res = await trx
      .updateTable("mat_episodes")
      .set({ ended_on: input.endedOn, end_reason: input.endReason ?? null, updated_at: new Date().toISOString(), version: sql`version + 1` })
      .where("id", "=", ep.id)
      .where("version", "=", input.version)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) return { ok: false as const, status: 409 as const, formError: STALE_ROW };
    await recordAudit(trx, {
      actor,
      action: "mat.ended",
      entityType: "mat_episode",
      entityId: ep.id,
      patientId,
      siteId: patient.site_id,
      before: { endedOn: null },
      after: { endedOn: input.endedOn, endReason: input.endReason ?? null },
      detail: { medication: ep.medication },
      meta,
    });
    return { ok: true as const };
  });
}

export { STALE_PATIENT };

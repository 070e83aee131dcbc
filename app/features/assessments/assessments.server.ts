/**
 * ASAM multidimensional assessments on a patient's chart, and the program setting that says which
 * edition's dimension names they use. An assessment is saved final: never changed in place (the
 * table is append-only), a correction is a new assessment. Each write is one transaction with its
 * audit record.
 */
import { dialectOf } from "#db/database";
import { type DB, isUniqueViolation, type Queryable } from "~/kernel/db";
import type { Actor } from "~/kernel/actor";
import { saveSiteSetting, siteSetting } from "~/kernel/site-settings.server";
import type { WriteResult } from "~/kernel/results";
import { recordAudit } from "~/features/audit/audit.server";
import { getPatientRow } from "~/features/patients/patients.server";
import { newId } from "~/utils/ids";
import type { ClientMeta } from "~/utils/request.server";
import { shortDate } from "~/kernel/time";
import {
  type AsamEdition,
  type AssessmentKind,
  chronological,
  DEFAULT_ASAM_EDITION,
  type DifferenceReason,
  DIMENSIONS,
  type Dimension,
  isAsamEdition,
  type LevelOfCare,
  type Rating,
  type Ratings,
} from "./rules";
import { type AssessmentInput, dimensionsOf } from "./schemas";

export const EDITION_KEY = "asam_edition";

const NOT_FOUND = { ok: false as const, status: 404 as const, formError: "There is no such patient at your sites." };
export const STALE_ASSESSMENT =
  "Someone else recorded an assessment for this patient after you opened this form. It is shown above now: read it, then save yours again (nothing you typed is lost).";

/**
 * The edition whose dimension names a site uses, with the setting's version for the form that
 * changes it. Each site keeps its own choice (as with the two-factor policy, issue 16, 7d: one
 * site's admin changes nothing at another site); a site that never chose follows the network's
 * `program_settings` row, set to the 3rd edition by the migration.
 */
export async function asamEdition(db: Queryable, siteId: string): Promise<{ value: AsamEdition; version: number; ownChoice: boolean }> {
  const own = await siteSetting(db, siteId, EDITION_KEY);
  if (own && isAsamEdition(own.value)) return { value: own.value, version: own.version, ownChoice: true };
  const network = await db.selectFrom("program_settings").select("value").where("key", "=", EDITION_KEY).executeTakeFirst();
  return { value: network && isAsamEdition(network.value) ? network.value : DEFAULT_ASAM_EDITION, version: 0, ownChoice: false };
}

/** An admin chooses the edition for the site they are working at; audited, and refused if someone changed it meanwhile. */
export async function setAsamEdition(db: DB, actor: Actor, siteId: string, value: AsamEdition, version: number, meta: ClientMeta): Promise<WriteResult> {
  const stale = {
    ok: false as const,
    status: 409 as const,
    formError: "Someone else changed this setting while you were looking at it. Reload to see it, then choose again.",
  };
  return db.transaction().execute(async (trx) => {
    const before = await asamEdition(trx, siteId);
    if (before.version !== version) return stale;
    if (!(await saveSiteSetting(trx, { siteId, key: EDITION_KEY, value, actorId: actor.id, version, ownChoice: before.ownChoice }))) return stale;
    await recordAudit(trx, {
      actor,
      action: "settings.asam_edition_changed",
      entityType: "setting",
      entityId: EDITION_KEY,
      siteId,
      before: { value: before.value },
      after: { value },
      meta,
    });
    return { ok: true as const };
  });
}

export interface AssessmentView {
  id: string;
  kind: AssessmentKind;
  edition: AsamEdition;
  assessedOn: string;
  ratings: Ratings;
  narratives: Record<Dimension, string>;
  recommendedLevel: LevelOfCare;
  placedLevel: LevelOfCare;
  differenceReason: DifferenceReason | null;
  differenceNote: string | null;
  assessedBy: string;
  createdAt: string;
}

/** The patient's assessments, oldest first. */
export async function assessmentsOf(db: Queryable, patientId: string): Promise<AssessmentView[]> {
  const rows = await db
    .selectFrom("asam_assessments as a")
    .innerJoin("users as u", "u.id", "a.assessed_by")
    .selectAll("a")
    .select("u.name as assessed_by_name")
    .where("a.patient_id", "=", patientId)
    .execute();
  return chronological(
    rows.map((r) => {
      const ratings = {} as Ratings;
      const narratives = {} as Record<Dimension, string>;
      for (const d of DIMENSIONS) {
        ratings[d] = Number(r[`d${d}_rating`]) as Rating;
        narratives[d] = r[`d${d}_narrative`];
      }
      return {
        id: r.id,
        kind: r.kind as AssessmentKind,
        edition: isAsamEdition(r.edition) ? r.edition : DEFAULT_ASAM_EDITION,
        assessedOn: r.assessed_on,
        ratings,
        narratives,
        recommendedLevel: r.recommended_level,
        placedLevel: r.placed_level,
        differenceReason: (r.difference_reason as DifferenceReason | null) ?? null,
        differenceNote: r.difference_note,
        assessedBy: r.assessed_by_name,
        createdAt: r.created_at,
      };
    }),
  );
}

/** The id of the patient's most recently saved assessment, or "" when there is none: what a form starts from. */
async function latestSavedId(db: Queryable, patientId: string): Promise<string> {
  const row = await db
    .selectFrom("asam_assessments")
    .select("id")
    .where("patient_id", "=", patientId)
    .orderBy("created_at", "desc")
    .orderBy("id", "desc")
    .limit(1)
    .executeTakeFirst();
  return row?.id ?? "";
}

export async function assessmentFormBasis(db: Queryable, patientId: string): Promise<string> {
  return latestSavedId(db, patientId);
}

/**
 * Records an assessment, final as saved. Refused when the form was opened before another
 * assessment of this patient was saved (its movement would be read against the wrong one); a
 * double submit (same request key) finds the first one's assessment.
 */
export async function recordAssessment(
  db: DB,
  actor: Actor,
  patientId: string,
  input: AssessmentInput,
  siteIds: string[],
  meta: ClientMeta,
): Promise<WriteResult<{ id: string; repeated: boolean }>> {
  const patient = await getPatientRow(db, patientId, siteIds);
  if (!patient) return NOT_FOUND;
  const earlier = async () => {
    const row = await db.selectFrom("asam_assessments").select(["id", "patient_id"]).where("request_key", "=", input.requestKey).executeTakeFirst();
    if (!row) return null;
    if (row.patient_id === patientId) return { ok: true as const, id: row.id, repeated: true };
    return { ok: false as const, status: 409 as const, formError: "This form was already used to record an assessment. Reload the page to record another." };
  };
  const first = await earlier();
  if (first) return first;
  if (input.assessedOn < patient.date_of_birth)
    return { ok: false, status: 400, fieldErrors: { assessedOn: [`The assessment date is before the date of birth (${shortDate(patient.date_of_birth)}).`] } };
  const { ratings, narratives } = dimensionsOf(input);
  const differ = input.recommendedLevel !== input.placedLevel;
  const id = newId();
  const now = new Date().toISOString();
  const row = {
    id,
    patient_id: patientId,
    site_id: patient.site_id,
    request_key: input.requestKey,
    kind: input.kind,
    edition: input.edition,
    assessed_on: input.assessedOn,
    d1_rating: ratings[1],
    d1_narrative: narratives[1],
    d2_rating: ratings[2],
    d2_narrative: narratives[2],
    d3_rating: ratings[3],
    d3_narrative: narratives[3],
    d4_rating: ratings[4],
    d4_narrative: narratives[4],
    d5_rating: ratings[5],
    d5_narrative: narratives[5],
    d6_rating: ratings[6],
    d6_narrative: narratives[6],
    recommended_level: input.recommendedLevel,
    placed_level: input.placedLevel,
    difference_reason: differ ? (input.differenceReason ?? null) : null,
    difference_note: differ && input.differenceReason === "other" ? (input.differenceNote ?? null) : null,
    assessed_by: actor.id,
    created_at: now,
  };
  try {
    const outcome = await db.transaction().execute(async (trx) => {
      // On PostgreSQL two saves at once would each see the same latest assessment: holding the
      // patient's row puts them one after the other (SQLite runs one write transaction at a time).
      if (dialectOf(trx) === "postgres") await trx.selectFrom("patients").select("id").where("id", "=", patientId).forUpdate().execute();
      // The same form sent again (a double click) finds what the first one saved, not a stale form.
      const repeat = await trx.selectFrom("asam_assessments").select("id").where("request_key", "=", input.requestKey).executeTakeFirst();
      if (repeat) return "repeat" as const;
      if ((await latestSavedId(trx, patientId)) !== (input.basis ?? "")) return "stale" as const;
      await trx.insertInto("asam_assessments").values(row).execute();
      await recordAudit(trx, {
        actor,
        action: "assessment.recorded",
        entityType: "asam_assessment",
        entityId: id,
        patientId,
        siteId: patient.site_id,
        // Ratings and levels only: the narratives are clinical text, kept on the chart, not copied into the log.
        after: {
          kind: row.kind,
          edition: row.edition,
          assessedOn: row.assessed_on,
          ratings: DIMENSIONS.map((d) => ratings[d]).join(" "),
          recommendedLevel: row.recommended_level,
          placedLevel: row.placed_level,
          differenceReason: row.difference_reason,
        },
        meta,
      });
      return "saved" as const;
    });
    if (outcome === "stale") return { ok: false, status: 409, formError: STALE_ASSESSMENT };
    if (outcome === "repeat") return (await earlier()) ?? { ok: false, status: 409, formError: STALE_ASSESSMENT };
  } catch (e) {
    // The same form sent twice at once: the second finds the first's assessment.
    if (isUniqueViolation(e)) {
      const again = await earlier();
      if (again) return again;
    }
    throw e;
  }
  return { ok: true, id, repeated: false };
}

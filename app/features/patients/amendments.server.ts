/**
 * A patient's right to ask for their record to be amended (HIPAA 164.526; ONC 170.315(d)(4)).
 * The request is recorded as the patient made it; the program decides within 60 days — accepted
 * (saying what was changed, which is then done in the chart itself, audited as every change is) or
 * denied (with the reason given to the patient); a denied patient may file a statement of
 * disagreement, kept with the request and shown with the record.
 */
import type { z } from "zod";
import type { DB } from "~/kernel/db";
import type { Actor } from "~/kernel/actor";
import { refuse, type WriteResult } from "~/kernel/results";
import { recordAudit } from "~/features/audit/audit.server";
import { addDays, shortDate, shortDateOr } from "~/kernel/time";
import { newId } from "~/utils/ids";
import { DECISION_DAYS, type decisionSchema, type disagreementSchema, type requestSchema } from "./amendments";
import type { ClientMeta } from "~/utils/request.server";
import { changeChartEntry, chartEntry } from "./chart-entries.server";

const STALE = "Someone else changed this request while you were looking at it. Reload to see it.";
const NO_PATIENT = "There is no patient with that id at your sites.";

export async function amendmentRequestsOf(db: DB, patientId: string, today: string) {
  const rows = await db
    .selectFrom("amendment_requests as a")
    .leftJoin("users as u", "u.id", "a.decided_by")
    .select([
      "a.id",
      "a.requested_on",
      "a.section",
      "a.request",
      "a.status",
      "a.decided_on",
      "a.decision_note",
      "a.disagreement",
      "a.disagreement_on",
      "a.version",
      "u.name as decided_by",
    ])
    .where("a.patient_id", "=", patientId)
    .orderBy("a.requested_on", "desc")
    .orderBy("a.created_at", "desc")
    .execute();
  return rows.map((r) => {
    const dueOn = addDays(r.requested_on, DECISION_DAYS);
    return { ...r, version: Number(r.version), dueOn, overdue: r.status === "pending" && today > dueOn };
  });
}

async function patientAt(db: DB, patientId: string, siteIds: string[]) {
  if (!siteIds.length) return null;
  return db.selectFrom("patients").select(["id", "site_id"]).where("id", "=", patientId).where("site_id", "in", siteIds).executeTakeFirst();
}

export async function recordAmendmentRequest(
  db: DB,
  actor: Actor,
  patientId: string,
  input: z.output<ReturnType<typeof requestSchema>>,
  siteIds: string[],
  meta: ClientMeta,
): Promise<WriteResult> {
  const patient = await patientAt(db, patientId, siteIds);
  if (!patient) return refuse(404, NO_PATIENT);
  const now = new Date().toISOString();
  return db.transaction().execute(async (trx) => {
    const id = newId();
    await trx
      .insertInto("amendment_requests")
      .values({
        id,
        patient_id: patientId,
        requested_on: input.requestedOn,
        section: input.section,
        request: input.request,
        status: "pending",
        decided_on: null,
        decided_by: null,
        decision_note: null,
        disagreement: null,
        disagreement_on: null,
        recorded_by: actor.id,
        created_at: now,
        updated_at: now,
      })
      .execute();
    await recordAudit(trx, {
      actor,
      action: "amendment.requested",
      entityType: "amendment_request",
      entityId: id,
      patientId,
      siteId: patient.site_id,
      after: input,
      meta,
    });
    return { ok: true as const };
  });
}

/** The patient (at one of `siteIds`) and their amendment request `id`, or why there is none. */
async function requestOnChart(db: DB, patientId: string, id: string, siteIds: string[]) {
  const patient = await patientAt(db, patientId, siteIds);
  if (!patient) return refuse(404, NO_PATIENT);
  const current = await chartEntry(db, "amendment_requests", patientId, id);
  if (!current) return refuse(404, "That request is not on this patient's chart.");
  return { ok: true as const, patient, current };
}

export async function decideAmendment(
  db: DB,
  actor: Actor,
  patientId: string,
  input: z.output<ReturnType<typeof decisionSchema>>,
  siteIds: string[],
  meta: ClientMeta,
): Promise<WriteResult> {
  const found = await requestOnChart(db, patientId, input.id, siteIds);
  if (!found.ok) return found;
  const { patient, current } = found;
  if (current.status !== "pending") return { ok: false, status: 409, formError: "This request has already been decided." };
  if (input.decidedOn < current.requested_on)
    return { ok: false, status: 400, fieldErrors: { decidedOn: [`The decision cannot be before the request (${shortDate(current.requested_on)}).`] } };
  return changeChartEntry(
    db,
    "amendment_requests",
    input,
    { status: input.decision, decided_on: input.decidedOn, decided_by: actor.id, decision_note: input.note },
    {
      actor,
      action: `amendment.${input.decision}`,
      entityType: "amendment_request",
      patientId,
      siteId: patient.site_id,
      before: { status: "pending" },
      after: { status: input.decision, decidedOn: input.decidedOn, note: input.note },
      meta,
    },
    STALE,
  );
}

export async function recordDisagreement(
  db: DB,
  actor: Actor,
  patientId: string,
  input: z.output<ReturnType<typeof disagreementSchema>>,
  siteIds: string[],
  meta: ClientMeta,
): Promise<WriteResult> {
  const found = await requestOnChart(db, patientId, input.id, siteIds);
  if (!found.ok) return found;
  const { patient, current } = found;
  if (current.status !== "denied") return { ok: false, status: 409, formError: "A statement of disagreement goes with a denied request only." };
  if (input.disagreementOn < current.decided_on!)
    return { ok: false, status: 400, fieldErrors: { disagreementOn: [`The statement cannot be before the denial (${shortDateOr(current.decided_on)}).`] } };
  return changeChartEntry(
    db,
    "amendment_requests",
    input,
    { disagreement: input.disagreement, disagreement_on: input.disagreementOn },
    {
      actor,
      action: "amendment.disagreement_filed",
      entityType: "amendment_request",
      patientId,
      siteId: patient.site_id,
      after: { disagreementOn: input.disagreementOn },
      meta,
    },
    STALE,
  );
}

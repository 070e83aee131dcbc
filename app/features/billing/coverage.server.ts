/**
 * A patient's insurance (issue 21, item 1): each coverage names a payer of the patient's site, the
 * member and group ids, the subscriber, primary or secondary, and the dates it is in force. Two
 * primary coverages in force on one day are refused (a claim needs one payer to bill first), as
 * are dates out of order. The chart's Coverage section reads everything at once with
 * `coverageChart`: coverages, their authorizations with units used, and Medicare certifications.
 */
import type { Actor } from "~/kernel/actor";
import type { DB, Queryable } from "~/kernel/db";
import type { Refusal, WriteResult } from "~/kernel/results";
import { shortDate } from "~/kernel/time";
import type { ClientMeta } from "~/utils/request.server";
import { type AuthorizationView, patientAuthorizations } from "./authorizations.server";
import { type CertificationStanding, certificationStandings } from "./certifications.server";
import { type CoveragePriority, type PayerKind, type SubscriberRelationship, spansOverlap } from "./rules";
import { addRecordRow, updateRecordRow } from "./record-writes.server";

export const STALE_COVERAGE = "Someone changed this coverage since you opened it. Reload to see their change, then make yours again.";
/** An open-ended coverage runs to the end of time as far as overlap checks go. */
const OPEN_END = "9999-12-31";

export interface CoverageInput {
  payerId: string;
  memberId: string;
  groupNumber?: string;
  subscriberName?: string;
  subscriberBirthDate?: string;
  relationship: SubscriberRelationship;
  priority: CoveragePriority;
  effectiveFrom: string;
  effectiveTo?: string;
}

export interface CoverageView {
  id: string;
  payerId: string;
  payerName: string;
  payerKind: PayerKind;
  memberId: string;
  groupNumber: string;
  subscriberName: string;
  subscriberBirthDate: string | null;
  relationship: SubscriberRelationship;
  priority: CoveragePriority;
  effectiveFrom: string;
  effectiveTo: string | null;
  version: number;
}

/** The site a patient belongs to, or null when the patient is not at one of `siteIds`. */
async function patientSite(db: Queryable, patientId: string, siteIds: readonly string[]): Promise<string | null> {
  if (!siteIds.length) return null;
  const row = await db.selectFrom("patients").select("site_id").where("id", "=", patientId).where("site_id", "in", siteIds).executeTakeFirst();
  return row?.site_id ?? null;
}

export async function listCoverages(db: Queryable, patientId: string): Promise<CoverageView[]> {
  const rows = await db
    .selectFrom("coverages as c")
    .innerJoin("payers as p", "p.id", "c.payer_id")
    .select([
      "c.id",
      "c.payer_id",
      "p.name as payer_name",
      "p.kind as payer_kind",
      "c.member_id",
      "c.group_number",
      "c.subscriber_name",
      "c.subscriber_birth_date",
      "c.relationship",
      "c.priority",
      "c.effective_from",
      "c.effective_to",
      "c.version",
    ])
    .where("c.patient_id", "=", patientId)
    .orderBy("c.effective_from", "desc")
    .orderBy("c.priority")
    .limit(200)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    payerId: r.payer_id,
    payerName: r.payer_name,
    payerKind: r.payer_kind,
    memberId: r.member_id,
    groupNumber: r.group_number,
    subscriberName: r.subscriber_name,
    subscriberBirthDate: r.subscriber_birth_date,
    relationship: r.relationship,
    priority: r.priority,
    effectiveFrom: r.effective_from,
    effectiveTo: r.effective_to,
    version: Number(r.version),
  }));
}

/** Checks a coverage against the payer list and the patient's other coverages; a refusal or null. */
async function checkCoverage(db: Queryable, siteId: string, patientId: string, input: CoverageInput, exceptId?: string): Promise<Refusal | null> {
  const payer = await db.selectFrom("payers").select(["id", "active"]).where("id", "=", input.payerId).where("site_id", "=", siteId).executeTakeFirst();
  if (!payer) return { ok: false as const, status: 400 as const, fieldErrors: { payerId: ["Choose a payer from this site's list."] } };
  if (input.effectiveTo && input.effectiveTo < input.effectiveFrom)
    return { ok: false as const, status: 400 as const, fieldErrors: { effectiveTo: ["The coverage cannot end before it starts."] } };
  if (input.priority === "primary") {
    let q = db
      .selectFrom("coverages as c")
      .innerJoin("payers as p", "p.id", "c.payer_id")
      .select(["c.id", "c.effective_from", "c.effective_to", "p.name"])
      .where("c.patient_id", "=", patientId)
      .where("c.priority", "=", "primary");
    if (exceptId) q = q.where("c.id", "!=", exceptId);
    const mine = { startsOn: input.effectiveFrom, endsOn: input.effectiveTo ?? OPEN_END };
    const clash = (await q.execute()).find((c) => spansOverlap(mine, { startsOn: c.effective_from, endsOn: c.effective_to ?? OPEN_END }));
    if (clash)
      return {
        ok: false as const,
        status: 409 as const,
        formError: `${clash.name} is already the primary coverage from ${shortDate(clash.effective_from)}${clash.effective_to ? ` to ${shortDate(clash.effective_to)}` : ""}: two primary coverages cannot overlap. End that one first, or make this one secondary.`,
      };
  }
  return null;
}

const toRow = (input: CoverageInput) => ({
  payer_id: input.payerId,
  member_id: input.memberId,
  group_number: input.groupNumber ?? "",
  subscriber_name: input.subscriberName ?? "",
  subscriber_birth_date: input.subscriberBirthDate ?? null,
  relationship: input.relationship,
  priority: input.priority,
  effective_from: input.effectiveFrom,
  effective_to: input.effectiveTo ?? null,
});

export async function createCoverage(
  db: DB,
  actor: Actor,
  patientId: string,
  input: CoverageInput,
  siteIds: readonly string[],
  meta: ClientMeta,
): Promise<WriteResult<{ id: string }>> {
  const siteId = await patientSite(db, patientId, siteIds);
  if (!siteId) return { ok: false, status: 404, formError: "There is no patient with that id at your sites." };
  const refused = await checkCoverage(db, siteId, patientId, input);
  if (refused) return refused;
  const id = await addRecordRow(db, {
    table: "coverages",
    action: "coverage.added",
    entityType: "coverage",
    actor,
    patientId,
    siteId,
    row: toRow(input),
    meta,
  });
  return { ok: true, id };
}

export async function updateCoverage(
  db: DB,
  actor: Actor,
  patientId: string,
  coverageId: string,
  input: CoverageInput & { version: number },
  siteIds: readonly string[],
  meta: ClientMeta,
): Promise<WriteResult> {
  const siteId = await patientSite(db, patientId, siteIds);
  if (!siteId) return { ok: false, status: 404, formError: "There is no patient with that id at your sites." };
  const current = await db.selectFrom("coverages").selectAll().where("id", "=", coverageId).where("patient_id", "=", patientId).executeTakeFirst();
  if (!current) return { ok: false, status: 404, formError: "This patient has no such coverage." };
  if (Number(current.version) !== input.version) return { ok: false, status: 409, formError: STALE_COVERAGE };
  const refused = await checkCoverage(db, siteId, patientId, input, coverageId);
  if (refused) return refused;
  const update = { table: "coverages", entityType: "coverage", id: coverageId, version: input.version, stale: STALE_COVERAGE } as const;
  return updateRecordRow(db, { ...update, actor, patientId, siteId, current, next: toRow(input), meta });
}

export interface CoverageChart {
  coverages: (CoverageView & { authorizations: AuthorizationView[] })[];
  certifications: CertificationStanding[];
}

/** Everything the chart's Coverage section shows for one patient, as of `today` at the site. */
export async function coverageChart(db: Queryable, patientId: string, today: string): Promise<CoverageChart> {
  const coverages = await listCoverages(db, patientId);
  const [auths, certifications] = await Promise.all([patientAuthorizations(db, patientId, today), certificationStandings(db, patientId, coverages, today)]);
  return {
    coverages: coverages.map((c) => ({ ...c, authorizations: auths.filter((a) => a.coverageId === c.id) })),
    certifications,
  };
}

/**
 * What a payer approved for a coverage (issue 21, item 2): a level of care, units (days, sessions or
 * hours), the dates, a status, the payer's number and the next concurrent-review date. Units used
 * are a kept figure (`authorization_use`, authorization-use.server.ts): counted from the patient's
 * attended days by the rules' `authorizationUse` and moved by every roll-call save, change of level
 * and edit in its own transaction, so a correction to attendance shows at once and the chart, the
 * program list and Home's alerts agree. Two authorizations for one coverage and level whose dates overlap
 * are refused (`spansOverlap`); a denied one does not count, since a payer's denial and the
 * approved re-request commonly share dates.
 */
import { sql } from "kysely";
import type { Actor } from "~/kernel/actor";
import type { DB, Queryable } from "~/kernel/db";
import type { Refusal, WriteResult } from "~/kernel/results";
import { addDays, shortDate } from "~/kernel/time";
import type { ClientMeta } from "~/utils/request.server";
import type { LevelOfCare } from "#db/schema";
import { type AuthorizationSpan, type AuthorizationStatus, type PayerKind, type UnitKind, spansOverlap, usageFromUnits } from "./rules";
import { addRecordRow, updateRecordRow } from "./record-writes.server";

export const STALE_AUTHORIZATION = "Someone changed this authorization since you opened it. Reload to see their change, then make yours again.";
/** "Ending soon" and "few units left" as Home and the program list read them (issue 21, item 2). */
export const ENDING_WITHIN_DAYS = 7;
export const LOW_UNITS = 3;

export interface AuthorizationInput {
  coverageId: string;
  levelOfCare: LevelOfCare;
  unitKind: UnitKind;
  unitsApproved: number;
  startsOn: string;
  endsOn: string;
  status: AuthorizationStatus;
  number?: string;
  nextReviewOn?: string;
}

export interface AuthorizationView {
  id: string;
  coverageId: string;
  patientId: string;
  levelOfCare: LevelOfCare;
  unitKind: UnitKind;
  unitsApproved: number;
  startsOn: string;
  endsOn: string;
  status: AuthorizationStatus;
  number: string;
  nextReviewOn: string | null;
  version: number;
  used: number;
  remaining: number;
  daysLeft: number;
  exceeded: boolean;
}

export const AUTHORIZATION_COLUMNS = [
  "a.id",
  "a.coverage_id",
  "a.patient_id",
  "a.level_of_care",
  "a.unit_kind",
  "a.units_approved",
  "a.starts_on",
  "a.ends_on",
  "a.status",
  "a.number",
  "a.next_review_on",
  "a.version",
  "u.units_used",
] as const;

type Row = {
  id: string;
  coverage_id: string;
  patient_id: string;
  level_of_care: LevelOfCare;
  unit_kind: UnitKind;
  units_approved: number;
  starts_on: string;
  ends_on: string;
  status: AuthorizationStatus;
  number: string;
  next_review_on: string | null;
  version: number;
  /** Kept units used (null only for a row the keeping has not reached, which reads as none used). */
  units_used: number | null;
};

export const spanOf = (r: Row): AuthorizationSpan => ({
  id: r.id,
  level: r.level_of_care,
  unitKind: r.unit_kind,
  unitsApproved: Number(r.units_approved),
  startsOn: r.starts_on,
  endsOn: r.ends_on,
  status: r.status,
});

export function withUse(r: Row, today: string): AuthorizationView {
  const use = usageFromUnits(spanOf(r), Number(r.units_used ?? 0), today);
  return {
    id: r.id,
    coverageId: r.coverage_id,
    patientId: r.patient_id,
    levelOfCare: r.level_of_care,
    unitKind: r.unit_kind,
    unitsApproved: Number(r.units_approved),
    startsOn: r.starts_on,
    endsOn: r.ends_on,
    status: r.status,
    number: r.number,
    nextReviewOn: r.next_review_on,
    version: Number(r.version),
    ...use,
    // Only what the payer approved can be exceeded; a request or a denial shows the days attended in its span.
    exceeded: r.status === "approved" && use.exceeded,
  };
}

/** The authorizations with their kept units used (`AUTHORIZATION_COLUMNS` reads them). */
export const authorizationsWithUse = (db: Queryable) => db.selectFrom("authorizations as a").leftJoin("authorization_use as u", "u.authorization_id", "a.id");

/** A patient's authorizations, newest first, with units used. */
export async function patientAuthorizations(db: Queryable, patientId: string, today: string): Promise<AuthorizationView[]> {
  const rows = await authorizationsWithUse(db)
    .select(AUTHORIZATION_COLUMNS)
    .where("a.patient_id", "=", patientId)
    .orderBy("a.starts_on", "desc")
    .limit(500)
    .execute();
  return rows.map((r) => withUse(r, today));
}

async function checkAuthorization(db: Queryable, patientId: string, input: AuthorizationInput, exceptId?: string): Promise<Refusal | null> {
  const coverage = await db.selectFrom("coverages").select("id").where("id", "=", input.coverageId).where("patient_id", "=", patientId).executeTakeFirst();
  if (!coverage) return { ok: false as const, status: 400 as const, fieldErrors: { coverageId: ["Choose one of this patient's coverages."] } };
  if (!Number.isInteger(input.unitsApproved) || input.unitsApproved < 1)
    return { ok: false as const, status: 400 as const, fieldErrors: { unitsApproved: ["Units approved must be a whole number of at least 1."] } };
  if (input.endsOn < input.startsOn)
    return { ok: false as const, status: 400 as const, fieldErrors: { endsOn: ["The authorization cannot end before it starts."] } };
  if (input.status === "denied") return null;
  let q = db
    .selectFrom("authorizations")
    .select(["id", "starts_on", "ends_on", "number", "status"])
    .where("coverage_id", "=", input.coverageId)
    .where("level_of_care", "=", input.levelOfCare)
    .where("status", "!=", "denied");
  if (exceptId) q = q.where("id", "!=", exceptId);
  const clash = (await q.execute()).find((a) => spansOverlap({ startsOn: input.startsOn, endsOn: input.endsOn }, { startsOn: a.starts_on, endsOn: a.ends_on }));
  if (clash)
    return {
      ok: false as const,
      status: 409 as const,
      formError: `These dates overlap ${input.levelOfCare} authorization ${clash.number || "(no number)"} on this coverage (${shortDate(clash.starts_on)} to ${shortDate(clash.ends_on)}). A day can be counted against only one authorization: change the dates, or edit that one instead.`,
    };
  return null;
}

const toRow = (input: AuthorizationInput) => ({
  coverage_id: input.coverageId,
  level_of_care: input.levelOfCare,
  unit_kind: input.unitKind,
  units_approved: input.unitsApproved,
  starts_on: input.startsOn,
  ends_on: input.endsOn,
  status: input.status,
  number: input.number ?? "",
  next_review_on: input.nextReviewOn ?? null,
});

async function patientSite(db: Queryable, patientId: string, siteIds: readonly string[]) {
  if (!siteIds.length) return null;
  return (await db.selectFrom("patients").select("site_id").where("id", "=", patientId).where("site_id", "in", siteIds).executeTakeFirst())?.site_id ?? null;
}

export async function createAuthorization(
  db: DB,
  actor: Actor,
  patientId: string,
  input: AuthorizationInput,
  siteIds: readonly string[],
  meta: ClientMeta,
): Promise<WriteResult<{ id: string }>> {
  const siteId = await patientSite(db, patientId, siteIds);
  if (!siteId) return { ok: false, status: 404, formError: "There is no patient with that id at your sites." };
  const refused = await checkAuthorization(db, patientId, input);
  if (refused) return refused;
  const id = await addRecordRow(db, {
    table: "authorizations",
    action: "authorization.added",
    entityType: "authorization",
    actor,
    patientId,
    siteId,
    row: toRow(input),
    meta,
  });
  return { ok: true, id };
}

export async function updateAuthorization(
  db: DB,
  actor: Actor,
  patientId: string,
  authorizationId: string,
  input: AuthorizationInput & { version: number },
  siteIds: readonly string[],
  meta: ClientMeta,
): Promise<WriteResult> {
  const siteId = await patientSite(db, patientId, siteIds);
  if (!siteId) return { ok: false, status: 404, formError: "There is no patient with that id at your sites." };
  const current = await db.selectFrom("authorizations").selectAll().where("id", "=", authorizationId).where("patient_id", "=", patientId).executeTakeFirst();
  if (!current) return { ok: false, status: 404, formError: "This patient has no such authorization." };
  if (Number(current.version) !== input.version) return { ok: false, status: 409, formError: STALE_AUTHORIZATION };
  const refused = await checkAuthorization(db, patientId, input, authorizationId);
  if (refused) return refused;
  const update = { table: "authorizations", entityType: "authorization", id: authorizationId, version: input.version, stale: STALE_AUTHORIZATION } as const;
  return updateRecordRow(db, { ...update, actor, patientId, siteId, current, next: toRow(input), meta });
}

export type AuthorizationListRow = AuthorizationView & { patientName: string; mrn: string; payerName: string; payerKind: PayerKind };
export type AuthorizationFilter = "all" | "ending" | "exceeded" | "low";

/**
 * Every authorization at a site, for the program list, one page at a time: filtered by status and
 * by the figures derived from the kept units used (ending soon, exceeded, few left), sorted with
 * current ones first (soonest end first), then the ones that ended (most recent first), then by
 * patient; all in SQL, so a view reads one page and one count, however many the site holds.
 * "Ending" and "few left" are what Home's utilization review calls them (ENDING_WITHIN_DAYS,
 * LOW_UNITS); "exceeded" is more units used than the payer approved, on an approved one only.
 */
export async function listSiteAuthorizations(
  db: Queryable,
  siteId: string,
  today: string,
  options: { status?: AuthorizationStatus; show: AuthorizationFilter; page: number; pageSize?: number },
): Promise<{ rows: AuthorizationListRow[]; total: number; page: number; pageSize: number }> {
  const pageSize = options.pageSize ?? 25;
  let q = authorizationsWithUse(db).innerJoin("patients as pt", "pt.id", "a.patient_id").where("pt.site_id", "=", siteId);
  if (options.status) q = q.where("a.status", "=", options.status);
  const used = sql<number>`coalesce(${sql.ref("u.units_used")}, 0)`;
  const remaining = sql<number>`${sql.ref("a.units_approved")} - ${used}`;
  if (options.show === "ending")
    q = q.where("a.status", "=", "approved").where("a.ends_on", ">=", today).where("a.ends_on", "<=", addDays(today, ENDING_WITHIN_DAYS));
  else if (options.show === "exceeded") q = q.where("a.status", "=", "approved").where(remaining, "<", 0);
  else if (options.show === "low")
    q = q
      .where("a.status", "=", "approved")
      .where("a.starts_on", "<=", today)
      .where("a.ends_on", ">=", today)
      .where(remaining, ">=", 0)
      .where(remaining, "<=", LOW_UNITS);
  const total = Number((await q.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n);
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const page = Math.min(Math.max(1, options.page), pages);
  const ended = sql<number>`case when ${sql.ref("a.ends_on")} < ${today} then 1 else 0 end`;
  const rows = await q
    .innerJoin("coverages as c", "c.id", "a.coverage_id")
    .innerJoin("payers as py", "py.id", "c.payer_id")
    .select(AUTHORIZATION_COLUMNS)
    .select(["pt.legal_first_name", "pt.legal_last_name", "pt.preferred_name", "pt.mrn", "py.name as payer_name", "py.kind as payer_kind"])
    .orderBy(ended)
    // Current: the soonest end first. Ended: the most recent end first (the first key ties them all).
    .orderBy(sql`case when ${sql.ref("a.ends_on")} < ${today} then null else ${sql.ref("a.ends_on")} end`)
    .orderBy("a.ends_on", "desc")
    .orderBy("pt.legal_last_name")
    .orderBy(sql`coalesce(nullif(${sql.ref("pt.preferred_name")}, ''), ${sql.ref("pt.legal_first_name")})`)
    .orderBy("a.id")
    .limit(pageSize)
    .offset((page - 1) * pageSize)
    .execute();
  return {
    rows: rows.map((r) => ({
      ...withUse(r, today),
      patientName: `${r.legal_last_name}, ${r.preferred_name || r.legal_first_name}`,
      mrn: r.mrn,
      payerName: r.payer_name,
      payerKind: r.payer_kind,
    })),
    total,
    page,
    pageSize,
  };
}

/**
 * A patient's treatment plan, version by version: drafts the author edits, signing, the patient's
 * acknowledgement, a supervisor's co-signature, activation, and what replaces what. A signed
 * version never changes (a trigger refuses it too); every write is one transaction with its audit
 * record and is guarded by the row's `version`, so a stale form is refused, never applied.
 */
import { dialectOf } from "#db/database";
import { type DB, isUniqueViolation, type Queryable, type Trx } from "~/kernel/db";
import type { Actor } from "~/kernel/actor";
import type { WriteResult } from "~/kernel/results";
import { saveSiteSetting, siteSetting } from "~/kernel/site-settings.server";
import { recordAudit } from "~/features/audit/audit.server";
import { getSigner } from "~/features/admin/credentials.server";
import { coSignProblem, needsCoSignature } from "~/features/admin/credentials";
import { newId } from "~/utils/ids";
import type { ClientMeta } from "~/utils/request.server";
import {
  DEFAULT_PLAN_REVIEW_DAYS,
  dueState,
  EMPTY_PLAN,
  parsePlanContent,
  PLAN_REVIEW_DAYS_RANGE,
  PLAN_REVIEW_KEY,
  type PlanContent,
  planDiff,
  planGaps,
  type PlanStatus,
  planStatus,
  type PlanWait,
  planWaits,
  readyToActivate,
  type ReviewReason,
  reviewDue,
} from "./rules";

export const NOT_FOUND = { ok: false as const, status: 404 as const, formError: "There is no such plan for this patient." };
export const STALE_PLAN = {
  ok: false as const,
  status: 409 as const,
  formError: "Someone else changed this plan after you opened it. Reload to see their changes; what you typed is still in the form.",
};
const CHANGED_SINCE_SHOWN = {
  ok: false as const,
  status: 409 as const,
  formError: "This plan changed after it was shown to you, so it was not signed. Reload the page and read the plan as it is now before signing.",
};
const SIGNED_NEVER_CHANGES = {
  ok: false as const,
  status: 409 as const,
  formError: "This version is signed, and a signed plan never changes. Start a new version from the plan page to update it.",
};

const reviewDaysOf = (value: string | undefined): number => {
  const n = Number(value);
  return Number.isInteger(n) && n >= PLAN_REVIEW_DAYS_RANGE.min && n <= PLAN_REVIEW_DAYS_RANGE.max ? n : DEFAULT_PLAN_REVIEW_DAYS;
};

/**
 * Days an active plan runs before its review is due at a site: the site's own choice, else the
 * network's `program_settings` row, else 30 (an unreadable or out-of-range value reads as 30).
 */
export async function planReviewSetting(db: Queryable, siteId: string): Promise<{ value: number; version: number; ownChoice: boolean }> {
  const own = await siteSetting(db, siteId, PLAN_REVIEW_KEY);
  if (own) return { value: reviewDaysOf(own.value), version: own.version, ownChoice: true };
  const row = await db.selectFrom("program_settings").select("value").where("key", "=", PLAN_REVIEW_KEY).executeTakeFirst();
  return { value: reviewDaysOf(row?.value), version: 0, ownChoice: false };
}

export async function planReviewDays(db: Queryable, siteId: string): Promise<number> {
  return (await planReviewSetting(db, siteId)).value;
}

/** An admin sets the review interval for the site they work at; audited, refused if someone changed it meanwhile. Plans already active keep the interval they started with. */
export async function setPlanReviewDays(db: DB, actor: Actor, siteId: string, days: number, version: number, meta: ClientMeta): Promise<WriteResult> {
  if (reviewDaysOf(String(days)) !== days)
    return {
      ok: false,
      status: 400,
      fieldErrors: { days: [`Enter a whole number of days from ${PLAN_REVIEW_DAYS_RANGE.min} to ${PLAN_REVIEW_DAYS_RANGE.max}.`] },
    };
  const stale = {
    ok: false as const,
    status: 409 as const,
    formError: "Someone else changed this setting while you were looking at it. Reload to see it, then enter the interval again.",
  };
  return db.transaction().execute(async (trx) => {
    const before = await planReviewSetting(trx, siteId);
    if (before.version !== version) return stale;
    if (!(await saveSiteSetting(trx, { siteId, key: PLAN_REVIEW_KEY, value: String(days), actorId: actor.id, version, ownChoice: before.ownChoice })))
      return stale;
    await recordAudit(trx, {
      actor,
      action: "settings.plan_review_changed",
      entityType: "setting",
      entityId: PLAN_REVIEW_KEY,
      siteId,
      before: { days: before.value },
      after: { days },
      meta,
    });
    return { ok: true as const };
  });
}

export interface PlanVersion {
  id: string;
  number: number;
  reason: string;
  content: PlanContent;
  status: PlanStatus;
  waits: PlanWait[];
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  signedById: string | null;
  signedBy: string | null;
  signedAt: string | null;
  cosignRequired: boolean;
  cosignedBy: string | null;
  cosignedAt: string | null;
  acknowledgedName: string | null;
  acknowledgedAt: string | null;
  acknowledgedWith: string | null;
  activatedAt: string | null;
  effectiveOn: string | null;
  reviewDays: number | null;
  supersededAt: string | null;
  version: number;
}

function planQuery(db: Queryable) {
  return db
    .selectFrom("treatment_plans as t")
    .innerJoin("users as cb", "cb.id", "t.created_by")
    .leftJoin("users as sb", "sb.id", "t.signed_by")
    .leftJoin("users as cs", "cs.id", "t.cosigned_by")
    .leftJoin("users as aw", "aw.id", "t.acknowledged_with")
    .selectAll("t")
    .select(["cb.name as created_by_name", "sb.name as signed_by_name", "cs.name as cosigned_by_name", "aw.name as acknowledged_with_name"]);
}
type PlanRow = Awaited<ReturnType<ReturnType<typeof planQuery>["executeTakeFirstOrThrow"]>>;

function signaturesOf(r: {
  signed_at: string | null;
  acknowledged_at: string | null;
  cosign_required: number;
  cosigned_at: string | null;
  activated_at: string | null;
  superseded_at: string | null;
}) {
  return {
    signedAt: r.signed_at,
    acknowledgedAt: r.acknowledged_at,
    cosignRequired: Boolean(Number(r.cosign_required)),
    cosignedAt: r.cosigned_at,
    activatedAt: r.activated_at,
    supersededAt: r.superseded_at,
  };
}

function toVersion(r: PlanRow): PlanVersion {
  const s = signaturesOf(r);
  return {
    id: r.id,
    number: Number(r.number),
    reason: r.reason,
    content: parsePlanContent(r.content),
    status: planStatus(s),
    waits: planWaits(s),
    createdBy: r.created_by_name,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    signedById: r.signed_by,
    signedBy: r.signed_by_name,
    signedAt: r.signed_at,
    cosignRequired: s.cosignRequired,
    cosignedBy: r.cosigned_by_name,
    cosignedAt: r.cosigned_at,
    acknowledgedName: r.acknowledged_name,
    acknowledgedAt: r.acknowledged_at,
    acknowledgedWith: r.acknowledged_with_name,
    activatedAt: r.activated_at,
    effectiveOn: r.effective_on,
    reviewDays: r.review_days === null ? null : Number(r.review_days),
    supersededAt: r.superseded_at,
    version: Number(r.version),
  };
}

/** Every version of the patient's plan, newest first. */
export async function planVersions(db: Queryable, patientId: string): Promise<PlanVersion[]> {
  const rows = await planQuery(db).where("t.patient_id", "=", patientId).orderBy("t.number", "desc").limit(200).execute();
  return rows.map(toVersion);
}

export async function planVersion(db: Queryable, patientId: string, planId: string): Promise<PlanVersion | null> {
  if (planId.length > 64) return null;
  const row = await planQuery(db).where("t.patient_id", "=", patientId).where("t.id", "=", planId).executeTakeFirst();
  return row ? toVersion(row) : null;
}

/** The dates after `since` on which the patient's level of care changed or a drug test came back unexpected. */
async function reviewEvents(db: Queryable, patientIds: string[], since: string) {
  const levels = new Map<string, string[]>();
  const unexpected = new Map<string, string[]>();
  if (!patientIds.length) return { levels, unexpected };
  const [l, u] = await Promise.all([
    db
      .selectFrom("level_of_care_changes")
      .select(["patient_id", "effective_on"])
      .where("patient_id", "in", patientIds)
      .where("effective_on", ">", since)
      .execute(),
    db
      .selectFrom("drug_tests")
      .select(["patient_id", "collected_on"])
      .where("patient_id", "in", patientIds)
      .where("collected_on", ">", since)
      .where("unexpected_positive", "=", 1)
      .execute(),
  ]);
  for (const r of l) levels.set(r.patient_id, [...(levels.get(r.patient_id) ?? []), r.effective_on]);
  for (const r of u) unexpected.set(r.patient_id, [...(unexpected.get(r.patient_id) ?? []), r.collected_on]);
  return { levels, unexpected };
}

export interface PlanReview {
  dueOn: string;
  reason: ReviewReason;
}

/** When the patient's active plan is due for review, and why; null without an active plan. */
export async function reviewOf(db: Queryable, patientId: string, active: PlanVersion | null): Promise<PlanReview | null> {
  if (!active?.effectiveOn) return null;
  const events = await reviewEvents(db, [patientId], active.effectiveOn);
  return reviewDue({
    effectiveOn: active.effectiveOn,
    intervalDays: active.reviewDays ?? DEFAULT_PLAN_REVIEW_DAYS,
    levelChanges: events.levels.get(patientId) ?? [],
    unexpectedResults: events.unexpected.get(patientId) ?? [],
  });
}

export interface PlanOverview {
  versions: PlanVersion[];
  active: PlanVersion | null;
  draft: PlanVersion | null;
  /** The newest signed version still waiting for a signature, if any. */
  awaiting: PlanVersion | null;
  review: PlanReview | null;
}

export async function planOverview(db: Queryable, patientId: string): Promise<PlanOverview> {
  const versions = await planVersions(db, patientId);
  const active = versions.find((v) => v.status === "active") ?? null;
  return {
    versions,
    active,
    draft: versions.find((v) => v.status === "draft") ?? null,
    awaiting: versions.find((v) => v.status === "awaiting") ?? null,
    review: await reviewOf(db, patientId, active),
  };
}

async function patientRow(db: Queryable, patientId: string, siteIds: string[]) {
  if (!siteIds.length || patientId.length > 64) return null;
  return db
    .selectFrom("patients")
    .select(["id", "site_id", "legal_first_name", "legal_last_name", "preferred_name", "status"])
    .where("id", "=", patientId)
    .where("site_id", "in", siteIds)
    .executeTakeFirst();
}

/** The codes of the patient's current (unresolved) diagnoses: what a problem may be linked to. */
export async function currentDiagnoses(db: Queryable, patientId: string): Promise<{ code: string; description: string }[]> {
  return db
    .selectFrom("patient_diagnoses")
    .select(["code", "description"])
    .where("patient_id", "=", patientId)
    .where("resolved_on", "is", null)
    .orderBy("is_primary", "desc")
    .orderBy("code")
    .execute();
}

/** On PostgreSQL two writes to one patient's plan at once would each read the same state: holding the patient's row puts them one after the other. */
async function holdPatient(trx: Trx, patientId: string) {
  if (dialectOf(trx) === "postgres") await trx.selectFrom("patients").select("id").where("id", "=", patientId).forUpdate().execute();
}

/**
 * Opens a draft: a copy of the newest signed version (what a review or update starts from), or an
 * empty plan when there is none. One draft at a time: when one is open, that draft is what opens.
 * The same form sent twice opens one draft (its request key).
 */
export async function startDraft(
  db: DB,
  actor: Actor,
  patientId: string,
  requestKey: string,
  siteIds: string[],
  today: string,
  meta: ClientMeta,
  /** When it happened; the demo clinic writes its history with past times. */
  at: Date = new Date(),
): Promise<WriteResult<{ id: string }>> {
  const patient = await patientRow(db, patientId, siteIds);
  if (!patient) return { ok: false, status: 404, formError: "There is no such patient at your sites." };
  try {
    return await db.transaction().execute(async (trx) => {
      await holdPatient(trx, patientId);
      const repeat = await trx.selectFrom("treatment_plans").select(["id", "patient_id"]).where("request_key", "=", requestKey).executeTakeFirst();
      if (repeat) return repeat.patient_id === patientId ? { ok: true as const, id: repeat.id } : STALE_PLAN;
      const versions = await planVersions(trx, patientId);
      const open = versions.find((v) => v.status === "draft");
      if (open) return { ok: true as const, id: open.id };
      const basis = versions.find((v) => v.status === "active" || v.status === "awaiting") ?? null;
      const active = versions.find((v) => v.status === "active") ?? null;
      const review = await reviewOf(trx, patientId, active);
      // A version started when its review is due within the week is that review; otherwise an update.
      const reason = !basis ? "initial" : review && dueState(review.dueOn, today) !== "later" ? review.reason : "update";
      const id = newId();
      const now = at.toISOString();
      await trx
        .insertInto("treatment_plans")
        .values({
          id,
          patient_id: patientId,
          site_id: patient.site_id,
          number: (versions[0]?.number ?? 0) + 1,
          request_key: requestKey,
          based_on_id: basis?.id ?? null,
          reason,
          content: JSON.stringify(basis?.content ?? EMPTY_PLAN),
          created_by: actor.id,
          created_at: now,
          updated_at: now,
        })
        .execute();
      await recordAudit(trx, {
        actor,
        action: "plan.draft_started",
        entityType: "treatment_plan",
        entityId: id,
        patientId,
        siteId: patient.site_id,
        after: { number: (versions[0]?.number ?? 0) + 1, reason, basedOn: basis ? basis.number : null },
        meta,
      });
      return { ok: true as const, id };
    });
  } catch (e) {
    if (isUniqueViolation(e)) return STALE_PLAN;
    throw e;
  }
}

/** Counts that say what a plan holds, for the audit log (the plan's text is clinical and stays on the chart). */
function shape(content: PlanContent) {
  return {
    problems: content.problems.length,
    objectives: content.problems.reduce((n, p) => n + p.objectives.length, 0),
    interventions: content.problems.reduce((n, p) => n + p.interventions.length, 0),
  };
}

/**
 * Saves a draft's content and, with `sign`, signs it as its author: refused with every gap at its
 * field when the plan is incomplete (nothing is saved then, and the form keeps what was typed).
 * Signing fixes whether a supervisor must co-sign (the author's credentials) and replaces any
 * earlier signed version still waiting for signatures.
 */
export async function saveDraft(
  db: DB,
  actor: Actor,
  patientId: string,
  input: { planId: string; version: number; content: PlanContent; sign: boolean },
  siteIds: string[],
  today: string,
  meta: ClientMeta,
  /** When it happened; the demo clinic writes its history with past times. */
  at: Date = new Date(),
): Promise<WriteResult<{ id: string; signed: boolean; cosignRequired: boolean }>> {
  const patient = await patientRow(db, patientId, siteIds);
  if (!patient) return NOT_FOUND;
  if (input.sign) {
    const codes = (await currentDiagnoses(db, patientId)).map((d) => d.code);
    const gaps = planGaps(input.content, today, codes);
    if (gaps.length) {
      const fieldErrors: Record<string, string[]> = {};
      for (const g of gaps) (fieldErrors[g.path] ??= []).push(g.message);
      return {
        ok: false,
        status: 400,
        formError: `The plan is not complete, so it was not signed (${gaps.length} ${gaps.length === 1 ? "thing" : "things"} to finish, marked below). Save it as a draft to keep it.`,
        fieldErrors,
      };
    }
  }
  const signer = input.sign ? await getSigner(db, actor.id) : null;
  const cosignRequired = signer ? needsCoSignature(signer) : false;
  return db.transaction().execute(async (trx) => {
    await holdPatient(trx, patientId);
    const plan = await planVersion(trx, patientId, input.planId);
    if (!plan) return NOT_FOUND;
    if (plan.status !== "draft") return SIGNED_NEVER_CHANGES;
    if (plan.version !== input.version) return STALE_PLAN;
    const now = at.toISOString();
    const update = await trx
      .updateTable("treatment_plans")
      .set({
        content: JSON.stringify(input.content),
        updated_at: now,
        version: plan.version + 1,
        ...(input.sign ? { signed_by: actor.id, signed_at: now, cosign_required: cosignRequired ? 1 : 0 } : {}),
      })
      .where("id", "=", plan.id)
      .where("version", "=", input.version)
      .where("signed_at", "is", null)
      .executeTakeFirst();
    if (Number(update.numUpdatedRows) !== 1) return STALE_PLAN;
    if (input.sign) {
      await trx
        .updateTable("treatment_plans")
        .set((eb) => ({ superseded_at: now, superseded_by: plan.id, version: eb("version", "+", 1) }))
        .where("patient_id", "=", patientId)
        .where("id", "!=", plan.id)
        .where("signed_at", "is not", null)
        .where("activated_at", "is", null)
        .where("superseded_at", "is", null)
        .execute();
    }
    await recordAudit(trx, {
      actor,
      action: input.sign ? "plan.signed" : "plan.draft_saved",
      entityType: "treatment_plan",
      entityId: plan.id,
      patientId,
      siteId: patient.site_id,
      before: input.sign ? undefined : shape(plan.content),
      after: { number: plan.number, ...shape(input.content), ...(input.sign ? { cosignRequired } : {}) },
      meta,
    });
    return { ok: true as const, id: plan.id, signed: input.sign, cosignRequired };
  });
}

/** Makes `plan` the active plan when it has every signature it needs; the plan it replaces is marked so. */
async function activateIfReady(
  trx: Trx,
  actor: Actor,
  patientId: string,
  siteId: string,
  planId: string,
  today: string,
  meta: ClientMeta,
  at: Date,
): Promise<boolean> {
  const plan = await planVersion(trx, patientId, planId);
  if (!plan || !readyToActivate({ ...plan, cosignRequired: plan.cosignRequired })) return false;
  const now = at.toISOString();
  const days = await planReviewDays(trx, siteId);
  await trx
    .updateTable("treatment_plans")
    .set((eb) => ({ superseded_at: now, superseded_by: plan.id, version: eb("version", "+", 1) }))
    .where("patient_id", "=", patientId)
    .where("id", "!=", plan.id)
    .where("activated_at", "is not", null)
    .where("superseded_at", "is", null)
    .execute();
  await trx
    .updateTable("treatment_plans")
    .set((eb) => ({ activated_at: now, effective_on: today, review_days: days, version: eb("version", "+", 1) }))
    .where("id", "=", plan.id)
    .execute();
  await recordAudit(trx, {
    actor,
    action: "plan.activated",
    entityType: "treatment_plan",
    entityId: plan.id,
    patientId,
    siteId,
    after: { number: plan.number, effectiveOn: today, reviewDays: days },
    meta,
  });
  return true;
}

/**
 * The patient acknowledges the signed plan they were shown: their typed name and agreement, with
 * the staff member who handed them the screen. Refused when the plan changed after it was shown
 * (a later version was signed, or it was already acknowledged). A signed version's content never
 * changes, so the version shown is known by its id: a supervisor's co-signature given meanwhile
 * bumps the row's `version` but changes nothing the patient read, and does not refuse them.
 */
export async function acknowledgePlan(
  db: DB,
  actor: Actor,
  patientId: string,
  input: { planId: string; version: number; typedName: string },
  siteIds: string[],
  today: string,
  meta: ClientMeta,
  /** When it happened; the demo clinic writes its history with past times. */
  at: Date = new Date(),
): Promise<WriteResult<{ id: string; activated: boolean }>> {
  const patient = await patientRow(db, patientId, siteIds);
  if (!patient) return NOT_FOUND;
  return db.transaction().execute(async (trx) => {
    await holdPatient(trx, patientId);
    const plan = await planVersion(trx, patientId, input.planId);
    if (!plan) return NOT_FOUND;
    if (plan.status !== "awaiting" || !plan.waits.includes("acknowledgement")) return CHANGED_SINCE_SHOWN;
    const now = at.toISOString();
    const update = await trx
      .updateTable("treatment_plans")
      .set({ acknowledged_name: input.typedName, acknowledged_at: now, acknowledged_with: actor.id, version: plan.version + 1 })
      .where("id", "=", plan.id)
      .where("version", "=", plan.version)
      .executeTakeFirst();
    if (Number(update.numUpdatedRows) !== 1) return CHANGED_SINCE_SHOWN;
    await recordAudit(trx, {
      actor,
      action: "plan.acknowledged",
      entityType: "treatment_plan",
      entityId: plan.id,
      patientId,
      siteId: patient.site_id,
      after: { number: plan.number, typedName: input.typedName },
      meta,
    });
    const activated = await activateIfReady(trx, actor, patientId, patient.site_id, plan.id, today, meta, at);
    return { ok: true as const, id: plan.id, activated };
  });
}

/** A clinical supervisor co-signs a plan whose author needs it; refused, saying why, for anyone else. */
export async function coSignPlan(
  db: DB,
  actor: Actor,
  patientId: string,
  input: { planId: string; version: number },
  siteIds: string[],
  today: string,
  meta: ClientMeta,
  /** When it happened; the demo clinic writes its history with past times. */
  at: Date = new Date(),
): Promise<WriteResult<{ id: string; activated: boolean }>> {
  const patient = await patientRow(db, patientId, siteIds);
  if (!patient) return NOT_FOUND;
  const plan = await planVersion(db, patientId, input.planId);
  if (!plan) return NOT_FOUND;
  if (plan.status !== "awaiting" || !plan.waits.includes("cosignature"))
    return { ok: false, status: 409, formError: "This plan is not waiting for a co-signature. Reload to see where it stands." };
  const [supervisor, author] = await Promise.all([getSigner(db, actor.id), plan.signedById ? getSigner(db, plan.signedById) : null]);
  const problem = !supervisor || !author ? "Only a clinical supervisor can co-sign." : coSignProblem(supervisor, author);
  if (problem) return { ok: false, status: 409, formError: `Not co-signed: ${problem}` };
  return db.transaction().execute(async (trx) => {
    await holdPatient(trx, patientId);
    const update = await trx
      .updateTable("treatment_plans")
      // The patient acknowledging meanwhile changes nothing the supervisor read (a signed plan's content never changes): the guard is the plan's state, not its version.
      .set((eb) => ({ cosigned_by: actor.id, cosigned_at: at.toISOString(), version: eb("version", "+", 1) }))
      .where("id", "=", plan.id)
      .where("cosigned_at", "is", null)
      .where("superseded_at", "is", null)
      .executeTakeFirst();
    if (Number(update.numUpdatedRows) !== 1) return STALE_PLAN;
    await recordAudit(trx, {
      actor,
      action: "plan.cosigned",
      entityType: "treatment_plan",
      entityId: plan.id,
      patientId,
      siteId: patient.site_id,
      after: { number: plan.number, author: plan.signedBy },
      meta,
    });
    const activated = await activateIfReady(trx, actor, patientId, patient.site_id, plan.id, today, meta, at);
    return { ok: true as const, id: plan.id, activated };
  });
}

/** Throws a draft away (only a draft: signed versions are kept for ever). */
export async function discardDraft(
  db: DB,
  actor: Actor,
  patientId: string,
  input: { planId: string; version: number },
  siteIds: string[],
  meta: ClientMeta,
): Promise<WriteResult> {
  const patient = await patientRow(db, patientId, siteIds);
  if (!patient) return NOT_FOUND;
  return db.transaction().execute(async (trx) => {
    const plan = await planVersion(trx, patientId, input.planId);
    if (!plan) return NOT_FOUND;
    if (plan.status !== "draft") return SIGNED_NEVER_CHANGES;
    const gone = await trx
      .deleteFrom("treatment_plans")
      .where("id", "=", plan.id)
      .where("version", "=", input.version)
      .where("signed_at", "is", null)
      .executeTakeFirst();
    if (Number(gone.numDeletedRows) !== 1) return STALE_PLAN;
    await recordAudit(trx, {
      actor,
      action: "plan.draft_discarded",
      entityType: "treatment_plan",
      entityId: plan.id,
      patientId,
      siteId: patient.site_id,
      before: { number: plan.number, ...shape(plan.content) },
      meta,
    });
    return { ok: true as const };
  });
}

/**
 * Everything the plan page shows: the versions and where they stand, the diagnoses problems name,
 * the version asked for (the newest by default) with what changed from the one it was written
 * from, and whether the reader may co-sign the plan that waits for it (or why not).
 */
export async function planPage(db: Queryable, patientId: string, readerId: string, versionId: string | null) {
  const [overview, diagnoses] = await Promise.all([planOverview(db, patientId), currentDiagnoses(db, patientId)]);
  const shown =
    (versionId ? overview.versions.find((v) => v.id === versionId) : null) ??
    overview.active ??
    overview.awaiting ??
    overview.versions.find((v) => v.status !== "draft") ??
    null;
  const before = shown ? (overview.versions.find((v) => v.number < shown.number && v.status !== "draft") ?? null) : null;
  let cosign: { allowed: true } | { allowed: false; why: string } | null = null;
  const waiting = overview.awaiting;
  if (waiting?.waits.includes("cosignature") && waiting.signedById) {
    const [reader, author] = await Promise.all([getSigner(db, readerId), getSigner(db, waiting.signedById)]);
    const why = !reader || !author ? "Only a clinical supervisor can co-sign." : coSignProblem(reader, author);
    cosign = why ? { allowed: false, why } : { allowed: true };
  }
  return {
    ...overview,
    diagnoses: Object.fromEntries(diagnoses.map((d) => [d.code, d.description])),
    shown,
    changes: shown && before ? { from: before.number, to: shown.number, list: planDiff(before.content, shown.content) } : null,
    cosign,
  };
}

/** What the draft editor opens with: the draft, the diagnoses a problem may name, and whether the author signs alone. */
export async function draftPage(db: Queryable, patientId: string, authorId: string) {
  const [overview, diagnoses, author] = await Promise.all([planOverview(db, patientId), currentDiagnoses(db, patientId), getSigner(db, authorId)]);
  return { draft: overview.draft, diagnoses, signsAlone: author ? !needsCoSignature(author) : false };
}

/** What the patient reads before acknowledging: the signed version waiting for them, and the diagnoses its problems name. */
export async function acknowledgementPage(db: Queryable, patientId: string) {
  const [overview, diagnoses, patient] = await Promise.all([
    planOverview(db, patientId),
    currentDiagnoses(db, patientId),
    db.selectFrom("patients").select(["legal_first_name", "preferred_name"]).where("id", "=", patientId).executeTakeFirst(),
  ]);
  const plan = overview.awaiting?.waits.includes("acknowledgement") ? overview.awaiting : null;
  return {
    plan,
    diagnoses: Object.fromEntries(diagnoses.map((d) => [d.code, d.description])),
    // The patient is addressed by the name they go by.
    firstName: patient?.preferred_name || patient?.legal_first_name || "",
  };
}

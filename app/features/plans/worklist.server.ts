/**
 * Where each patient's treatment plan stands across a site: who has no plan yet, whose review is
 * due or overdue, which signed plans wait for the patient or a supervisor. Home's worklists, the
 * supervisors' co-signature queue, the admins' counts per counselor and the plans report read it.
 * One pass over the site's current patients (bounded by the site's census), not a query per patient.
 */
import type { Queryable } from "~/kernel/db";
import { addDays } from "~/kernel/time";
import { getSigner } from "~/features/admin/credentials.server";
import { mayCoSign } from "~/features/admin/credentials";
import { DEFAULT_PLAN_REVIEW_DAYS, dueState, INITIAL_PLAN_DAYS, planWaits, type PlanWait, type ReviewReason, reviewDue } from "./rules";

export interface PlanStanding {
  patientId: string;
  name: string;
  mrn: string;
  counselorId: string | null;
  counselor: string | null;
  admittedOn: string;
  /** No plan has become active yet: when the first one is due (admission + 7 days), and whether a draft or signed plan is under way. */
  firstPlan: { dueOn: string; state: "overdue" | "due" | "later"; underWay: "draft" | "signed" | null } | null;
  /** The active plan's review, when it has one. */
  review: { dueOn: string; reason: ReviewReason; state: "overdue" | "due" | "later" } | null;
  /** A signed version still waiting, with what it waits for. */
  waiting: { planId: string; number: number; waits: PlanWait[]; signedById: string | null; signedBy: string | null; signedAt: string } | null;
}

/** Patients in care at a site today (a counselor's own caseload when `counselorId` is given), with their plans' standing. */
export async function planStandings(
  db: Queryable,
  siteId: string,
  today: string,
  options: { counselorId?: string | null; trackId?: string | null } = {},
): Promise<PlanStanding[]> {
  let q = db
    .selectFrom("patients as p")
    .innerJoin("patient_episodes as e", "e.id", "p.current_episode_id")
    .leftJoin("users as c", "c.id", "p.primary_counselor_id")
    .select(["p.id", "p.mrn", "p.legal_first_name", "p.legal_last_name", "p.preferred_name", "p.primary_counselor_id", "c.name as counselor", "e.admitted_on"])
    .where("p.site_id", "=", siteId)
    .where("p.status", "in", ["active", "on_hold"])
    .where("e.admitted_on", "<=", today);
  if (options.counselorId) q = q.where("p.primary_counselor_id", "=", options.counselorId);
  if (options.trackId) q = q.where("p.track_id", "=", options.trackId);
  const patients = await q.orderBy("p.legal_last_name").orderBy("p.legal_first_name").limit(2000).execute();
  const ids = patients.map((p) => p.id);
  if (!ids.length) return [];
  const plans = await db
    .selectFrom("treatment_plans as t")
    .leftJoin("users as s", "s.id", "t.signed_by")
    .select([
      "t.id",
      "t.patient_id",
      "t.number",
      "t.signed_at",
      "t.signed_by",
      "s.name as signed_by_name",
      "t.acknowledged_at",
      "t.cosign_required",
      "t.cosigned_at",
      "t.activated_at",
      "t.effective_on",
      "t.review_days",
      "t.site_id",
    ])
    .where("t.patient_id", "in", ids)
    .where("t.superseded_at", "is", null)
    .execute()
    // The site is checked here, not in SQL: with it there, SQLite's planner read every plan the
    // site ever had through the site index instead of these patients' plans (seconds at scale 1).
    .then((rows) => rows.filter((r) => r.site_id === siteId));
  const byPatient = new Map<string, typeof plans>();
  for (const r of plans) byPatient.set(r.patient_id, [...(byPatient.get(r.patient_id) ?? []), r]);
  const earliest = plans.reduce<string | null>((m, r) => (r.effective_on && (!m || r.effective_on < m) ? r.effective_on : m), null);
  const levels = new Map<string, string[]>();
  const unexpected = new Map<string, string[]>();
  if (earliest) {
    const [l, u] = await Promise.all([
      db
        .selectFrom("level_of_care_changes")
        .select(["patient_id", "effective_on"])
        .where("patient_id", "in", ids)
        .where("effective_on", ">", earliest)
        .execute(),
      db
        .selectFrom("drug_tests")
        .select(["patient_id", "collected_on"])
        .where("site_id", "=", siteId)
        .where("patient_id", "in", ids)
        .where("collected_on", ">", earliest)
        .where("unexpected_positive", "=", 1)
        .execute(),
    ]);
    for (const r of l) levels.set(r.patient_id, [...(levels.get(r.patient_id) ?? []), r.effective_on]);
    for (const r of u) unexpected.set(r.patient_id, [...(unexpected.get(r.patient_id) ?? []), r.collected_on]);
  }
  return patients.map((p) => {
    const mine = byPatient.get(p.id) ?? [];
    const active = mine.find((r) => r.activated_at);
    const signed = mine.filter((r) => r.signed_at && !r.activated_at).sort((a, b) => Number(b.number) - Number(a.number))[0];
    const draft = mine.find((r) => !r.signed_at);
    let review: PlanStanding["review"] = null;
    if (active?.effective_on) {
      const due = reviewDue({
        effectiveOn: active.effective_on,
        intervalDays: active.review_days === null ? DEFAULT_PLAN_REVIEW_DAYS : Number(active.review_days),
        levelChanges: levels.get(p.id) ?? [],
        unexpectedResults: unexpected.get(p.id) ?? [],
      });
      review = { ...due, state: dueState(due.dueOn, today) };
    }
    let firstPlan: PlanStanding["firstPlan"] = null;
    if (!active) {
      const dueOn = addDays(p.admitted_on, INITIAL_PLAN_DAYS);
      firstPlan = { dueOn, state: dueState(dueOn, today), underWay: signed ? "signed" : draft ? "draft" : null };
    }
    const waits = signed
      ? planWaits({
          signedAt: signed.signed_at,
          acknowledgedAt: signed.acknowledged_at,
          cosignRequired: Boolean(Number(signed.cosign_required)),
          cosignedAt: signed.cosigned_at,
          activatedAt: null,
          supersededAt: null,
        })
      : [];
    return {
      patientId: p.id,
      name: `${p.legal_last_name}, ${p.preferred_name || p.legal_first_name}`,
      mrn: p.mrn,
      counselorId: p.primary_counselor_id,
      counselor: p.counselor,
      admittedOn: p.admitted_on,
      firstPlan,
      review,
      waiting: signed
        ? {
            planId: signed.id,
            number: Number(signed.number),
            waits,
            signedById: signed.signed_by,
            signedBy: signed.signed_by_name,
            signedAt: signed.signed_at!,
          }
        : null,
    };
  });
}

export interface PlanWorklist {
  /** First plans and reviews due within a week or overdue, most overdue first. */
  due: {
    patientId: string;
    name: string;
    mrn: string;
    what: "first" | ReviewReason;
    dueOn: string;
    state: "overdue" | "due";
    underWay: "draft" | "signed" | null;
  }[];
  /** Signed plans waiting for the patient's acknowledgement. */
  awaitingAcknowledgement: { patientId: string; name: string; mrn: string; signedAt: string }[];
  /** Signed plans waiting for a supervisor's co-signature. */
  awaitingCosignature: { patientId: string; name: string; mrn: string; signedBy: string | null; signedAt: string }[];
}

export function worklistOf(standings: PlanStanding[]): PlanWorklist {
  const due: PlanWorklist["due"] = [];
  for (const s of standings) {
    // A first plan already signed and waiting shows among the waiting plans, not here.
    if (s.firstPlan && s.firstPlan.state !== "later" && s.firstPlan.underWay !== "signed")
      due.push({
        patientId: s.patientId,
        name: s.name,
        mrn: s.mrn,
        what: "first",
        dueOn: s.firstPlan.dueOn,
        state: s.firstPlan.state,
        underWay: s.firstPlan.underWay,
      });
    if (s.review && s.review.state !== "later" && !s.waiting)
      due.push({ patientId: s.patientId, name: s.name, mrn: s.mrn, what: s.review.reason, dueOn: s.review.dueOn, state: s.review.state, underWay: null });
  }
  due.sort((a, b) => a.dueOn.localeCompare(b.dueOn) || a.name.localeCompare(b.name));
  const waiting = standings.filter((s) => s.waiting);
  return {
    due,
    awaitingAcknowledgement: waiting
      .filter((s) => s.waiting!.waits.includes("acknowledgement"))
      .map((s) => ({ patientId: s.patientId, name: s.name, mrn: s.mrn, signedAt: s.waiting!.signedAt })),
    awaitingCosignature: waiting
      .filter((s) => s.waiting!.waits.includes("cosignature"))
      .map((s) => ({ patientId: s.patientId, name: s.name, mrn: s.mrn, signedBy: s.waiting!.signedBy, signedAt: s.waiting!.signedAt })),
  };
}

export interface CounselorPlanCounts {
  counselor: string;
  patients: number;
  current: number;
  overdue: number;
  dueSoon: number;
  awaitingAcknowledgement: number;
  awaitingCosignature: number;
}

/** A current plan: active, and its review not overdue. */
export const hasCurrentPlan = (s: PlanStanding) => Boolean(s.review && s.review.state !== "overdue");

/** The admins' view: per counselor, how many patients, how many with a current plan, and what is overdue, due or waiting. */
export function countsByCounselor(standings: PlanStanding[]): CounselorPlanCounts[] {
  const by = new Map<string, CounselorPlanCounts>();
  for (const s of standings) {
    const name = s.counselor ?? "No counselor";
    const c = by.get(name) ?? { counselor: name, patients: 0, current: 0, overdue: 0, dueSoon: 0, awaitingAcknowledgement: 0, awaitingCosignature: 0 };
    c.patients++;
    if (hasCurrentPlan(s)) c.current++;
    // A plan signed and waiting for the patient or a supervisor counts as waiting, not as overdue.
    const state = s.waiting ? null : (s.firstPlan?.state ?? s.review?.state);
    if (state === "overdue") c.overdue++;
    else if (state === "due") c.dueSoon++;
    if (s.waiting?.waits.includes("acknowledgement")) c.awaitingAcknowledgement++;
    if (s.waiting?.waits.includes("cosignature")) c.awaitingCosignature++;
    by.set(name, c);
  }
  return [...by.values()].sort((a, b) => a.counselor.localeCompare(b.counselor));
}

/** The co-signature queue: plans at the supervisor's sites waiting for a co-signature they may give, oldest first. */
export async function coSignQueue(
  db: Queryable,
  supervisorId: string,
): Promise<{ patientId: string; name: string; mrn: string; signedBy: string | null; signedAt: string }[]> {
  const supervisor = await getSigner(db, supervisorId);
  if (!supervisor?.clinicalSupervisor || !supervisor.siteIds.length) return [];
  const rows = await db
    .selectFrom("treatment_plans as t")
    .innerJoin("patients as p", "p.id", "t.patient_id")
    .leftJoin("users as s", "s.id", "t.signed_by")
    .select(["t.patient_id", "t.signed_by", "t.signed_at", "s.name as signed_by_name", "p.mrn", "p.legal_first_name", "p.legal_last_name", "p.preferred_name"])
    .where("t.site_id", "in", supervisor.siteIds)
    .where("t.signed_at", "is not", null)
    .where("t.cosign_required", "=", 1)
    .where("t.cosigned_at", "is", null)
    .where("t.superseded_at", "is", null)
    .where("t.activated_at", "is", null)
    .orderBy("t.signed_at")
    .limit(100)
    .execute();
  const authors = new Map<string, Awaited<ReturnType<typeof getSigner>>>();
  for (const id of new Set(rows.map((r) => r.signed_by).filter((x): x is string => Boolean(x)))) authors.set(id, await getSigner(db, id));
  return rows
    .filter((r) => {
      const author = r.signed_by ? authors.get(r.signed_by) : null;
      return author ? mayCoSign(supervisor, author) : false;
    })
    .map((r) => ({
      patientId: r.patient_id,
      name: `${r.legal_last_name}, ${r.preferred_name || r.legal_first_name}`,
      mrn: r.mrn,
      signedBy: r.signed_by_name,
      signedAt: r.signed_at!,
    }));
}

export type HomePlans = {
  /** A counselor's own caseload: plans due or overdue, and signed plans waiting. */
  worklist: PlanWorklist | null;
  /** A clinical supervisor's co-signature queue. */
  coSign: Awaited<ReturnType<typeof coSignQueue>> | null;
  /** An admin's counts per counselor for the site. */
  counts: CounselorPlanCounts[] | null;
};

/** What Home shows of treatment plans for the person reading it. */
export async function homePlans(db: Queryable, user: { id: string; role: string }, siteId: string, today: string): Promise<HomePlans> {
  const [standings, coSign] = await Promise.all([
    user.role === "counselor" || user.role === "admin" ? planStandings(db, siteId, today, { counselorId: user.role === "counselor" ? user.id : null }) : [],
    coSignQueue(db, user.id),
  ]);
  return {
    worklist: user.role === "counselor" ? worklistOf(standings) : null,
    coSign: coSign.length ? coSign : null,
    counts: user.role === "admin" ? countsByCounselor(standings) : null,
  };
}

/** How many patients Home names from the plans (for the audit of who was shown). */
export const patientsNamed = (h: HomePlans) =>
  (h.worklist ? h.worklist.due.length + h.worklist.awaitingAcknowledgement.length + h.worklist.awaitingCosignature.length : 0) + (h.coSign?.length ?? 0);

/**
 * Treatment plans: what a plan holds, when it is complete enough to sign, where it stands in its
 * signatures, what changed between two versions and when it is due for review. Pure rules, no I/O.
 *
 * What a plan must hold follows the state licensing standards IOPs are surveyed against, e.g.
 * the Kansas alcohol and drug licensing standard "R03-606 Treatment Planning and Updates"
 * (http://www.aging.ks.gov/WebCourses/StandardsTrainingTool/section_6/R03606.html): an individualized plan written with the client's input naming the presenting
 * problems or diagnostic impression, strengths and weaknesses, goals, the tasks to reach them, the
 * type and frequency of services, the primary counselor, the date it will be reviewed, the
 * qualified staff's dated signature and the client's signature and date. The same standard asks
 * for the plan within 7 days of admission to intensive outpatient care: `INITIAL_PLAN_DAYS`.
 * How often a plan is reviewed is the program's setting (`plan_review_days`, 30 by default, as the
 * issue asks and as payers commonly require for IOP); a change of level of care or an unexpected
 * drug-test result makes a review due at once.
 */
import { addDays, shortDate } from "~/kernel/time";

/** Days after admission by which an intensive outpatient patient's first plan is due (see above). */
export const INITIAL_PLAN_DAYS = 7;
/** The program setting that says how many days an active plan runs before its review is due. */
export const PLAN_REVIEW_KEY = "plan_review_days";
export const DEFAULT_PLAN_REVIEW_DAYS = 30;
export const PLAN_REVIEW_DAYS_RANGE = { min: 7, max: 90 } as const;

/** Limits that keep one plan bounded in size (and its form in work). */
export const PLAN_LIMITS = { problems: 8, objectives: 6, interventions: 6, text: 2000, short: 200 } as const;

/** How a service is given: the modalities an IOP plan names. */
export const MODALITIES = {
  group: "Group therapy",
  individual: "Individual therapy",
  family: "Family therapy",
  psychoeducation: "Psychoeducation group",
  mat: "Medication (MAT) management",
  psychiatric: "Psychiatric care",
  drug_testing: "Drug testing",
  case_management: "Case management",
  peer_support: "Peer recovery support",
  other: "Other",
} as const;
export type Modality = keyof typeof MODALITIES;

export interface Objective {
  text: string;
  /** YYYY-MM-DD, or "" while the draft has none. */
  targetDate: string;
}
export interface Intervention {
  modality: Modality | "";
  frequency: string;
  responsible: string;
}
export interface Problem {
  /** An ICD-10-CM code of one of the patient's current diagnoses, or "" while the draft has none. */
  diagnosisCode: string;
  statement: string;
  /** The goal in the patient's own words. */
  goal: string;
  objectives: Objective[];
  interventions: Intervention[];
}
export interface PlanContent {
  problems: Problem[];
  strengths: string;
  barriers: string;
}

export const EMPTY_PLAN: PlanContent = { problems: [], strengths: "", barriers: "" };

/** One thing that keeps a plan from being signed, at the form field it is about. */
export interface PlanGap {
  path: string;
  message: string;
}

const label = (p: number, what?: string) => `Problem ${p + 1}${what ? `, ${what}` : ""}`;

/**
 * What is missing before a plan can be signed, each at its field, in the form's order. Empty when
 * the plan is complete: at least one problem, each linked to a current diagnosis, with a problem
 * statement, a goal in the patient's words, at least one objective with a target date no earlier
 * than `today`, and at least one intervention naming how, how often and who; strengths and barriers.
 */
export function planGaps(plan: PlanContent, today: string, diagnosisCodes: readonly string[]): PlanGap[] {
  const gaps: PlanGap[] = [];
  if (plan.problems.length === 0) gaps.push({ path: "problems", message: "Add at least one problem before signing." });
  plan.problems.forEach((problem, p) => {
    const at = `problems[${p}]`;
    if (!problem.diagnosisCode) gaps.push({ path: `${at}.diagnosisCode`, message: `${label(p)}: choose the diagnosis it addresses.` });
    else if (!diagnosisCodes.includes(problem.diagnosisCode))
      gaps.push({ path: `${at}.diagnosisCode`, message: `${label(p)}: ${problem.diagnosisCode} is not one of the patient's current diagnoses.` });
    if (!problem.statement.trim()) gaps.push({ path: `${at}.statement`, message: `${label(p)}: describe the problem.` });
    if (!problem.goal.trim()) gaps.push({ path: `${at}.goal`, message: `${label(p)}: write the goal in the patient's own words.` });
    if (problem.objectives.length === 0) gaps.push({ path: `${at}.objectives`, message: `${label(p)}: add at least one measurable objective.` });
    problem.objectives.forEach((o, i) => {
      const oat = `${at}.objectives[${i}]`;
      if (!o.text.trim()) gaps.push({ path: `${oat}.text`, message: `${label(p, `objective ${i + 1}`)}: describe what the patient will do.` });
      if (!o.targetDate) gaps.push({ path: `${oat}.targetDate`, message: `${label(p, `objective ${i + 1}`)}: give it a target date.` });
      else if (o.targetDate < today)
        gaps.push({ path: `${oat}.targetDate`, message: `${label(p, `objective ${i + 1}`)}: the target date has passed; choose a later one.` });
    });
    if (problem.interventions.length === 0) gaps.push({ path: `${at}.interventions`, message: `${label(p)}: add at least one intervention.` });
    problem.interventions.forEach((v, i) => {
      const vat = `${at}.interventions[${i}]`;
      if (!v.modality) gaps.push({ path: `${vat}.modality`, message: `${label(p, `intervention ${i + 1}`)}: choose how it is given.` });
      if (!v.frequency.trim()) gaps.push({ path: `${vat}.frequency`, message: `${label(p, `intervention ${i + 1}`)}: say how often.` });
      if (!v.responsible.trim()) gaps.push({ path: `${vat}.responsible`, message: `${label(p, `intervention ${i + 1}`)}: say who provides it.` });
    });
  });
  if (!plan.strengths.trim()) gaps.push({ path: "strengths", message: "Write the patient's strengths." });
  if (!plan.barriers.trim()) gaps.push({ path: "barriers", message: "Write the barriers to treatment." });
  return gaps;
}

/** The signatures a plan version carries, as stored. */
export interface PlanSignatures {
  signedAt: string | null;
  acknowledgedAt: string | null;
  cosignRequired: boolean;
  cosignedAt: string | null;
  activatedAt: string | null;
  supersededAt: string | null;
}

export type PlanStatus = "draft" | "awaiting" | "active" | "superseded";
/** What a signed plan still waits for before it is active. */
export type PlanWait = "acknowledgement" | "cosignature";

export function planStatus(s: PlanSignatures): PlanStatus {
  if (s.supersededAt) return "superseded";
  if (!s.signedAt) return "draft";
  if (s.activatedAt) return "active";
  return "awaiting";
}

/** The steps a signed, not yet active plan waits for: the patient's acknowledgement and, where the author needs it, a co-signature. */
export function planWaits(s: PlanSignatures): PlanWait[] {
  if (!s.signedAt || s.activatedAt || s.supersededAt) return [];
  const waits: PlanWait[] = [];
  if (!s.acknowledgedAt) waits.push("acknowledgement");
  if (s.cosignRequired && !s.cosignedAt) waits.push("cosignature");
  return waits;
}

/** A signed plan becomes active when the patient has acknowledged it and, where needed, a supervisor has co-signed. */
export function readyToActivate(s: PlanSignatures): boolean {
  return Boolean(s.signedAt) && !s.activatedAt && !s.supersededAt && planWaits(s).length === 0;
}

export const STATUS_LABELS: Record<PlanStatus, string> = {
  draft: "Draft",
  awaiting: "Signed, not yet active",
  active: "Active",
  superseded: "Replaced by a later version",
};
export const WAIT_LABELS: Record<PlanWait, string> = {
  acknowledgement: "Waiting for the patient's acknowledgement",
  cosignature: "Waiting for a supervisor's co-signature",
};

export type ReviewReason = "scheduled" | "level_change" | "unexpected_result";
export const REVIEW_REASONS: Record<ReviewReason, string> = {
  scheduled: "Scheduled review",
  level_change: "Level of care changed",
  unexpected_result: "Unexpected drug-test result",
};

/**
 * When the active plan is due for review and why: `intervalDays` after it became effective, or the
 * day of the first level-of-care change or unexpected drug-test result after that day, whichever
 * comes first. Events on the effective day itself are taken to be what the plan was written for.
 */
export function reviewDue(input: { effectiveOn: string; intervalDays: number; levelChanges: readonly string[]; unexpectedResults: readonly string[] }): {
  dueOn: string;
  reason: ReviewReason;
} {
  let due: { dueOn: string; reason: ReviewReason } = { dueOn: addDays(input.effectiveOn, input.intervalDays), reason: "scheduled" };
  const consider = (dates: readonly string[], reason: ReviewReason) => {
    for (const d of dates) if (d > input.effectiveOn && d < due.dueOn) due = { dueOn: d, reason };
  };
  consider(input.levelChanges, "level_change");
  consider(input.unexpectedResults, "unexpected_result");
  return due;
}

/** Where a date stands against today: overdue, due within `soonDays`, or later. */
export function dueState(dueOn: string, today: string, soonDays = 7): "overdue" | "due" | "later" {
  if (dueOn < today) return "overdue";
  if (dueOn <= addDays(today, soonDays)) return "due";
  return "later";
}

/** One line of what changed between two versions. */
export interface PlanChange {
  where: string;
  change: "added" | "removed" | "changed";
  field?: string;
  before?: string;
  after?: string;
}

const PROBLEM_FIELDS = [
  ["diagnosisCode", "Diagnosis"],
  ["statement", "Problem"],
  ["goal", "Goal (patient's words)"],
] as const;

function describeObjective(o: Objective): string {
  return o.targetDate ? `${o.text} (by ${shortDate(o.targetDate)})` : o.text;
}
function describeIntervention(v: Intervention): string {
  return [v.modality ? MODALITIES[v.modality] : "", v.frequency, v.responsible].filter(Boolean).join(" · ");
}

/** Lists compared by position: an item only in one of them is added or removed, one in both is changed when its text differs. */
function diffList<T>(where: string, what: string, before: T[], after: T[], describe: (t: T) => string, out: PlanChange[]) {
  for (let i = 0; i < Math.max(before.length, after.length); i++) {
    const b = before[i];
    const a = after[i];
    const at = `${where}, ${what} ${i + 1}`;
    if (b === undefined) out.push({ where: at, change: "added", after: describe(a!) });
    else if (a === undefined) out.push({ where: at, change: "removed", before: describe(b) });
    else if (describe(a) !== describe(b)) out.push({ where: at, change: "changed", before: describe(b), after: describe(a) });
  }
}

/**
 * What changed from one version to the next, in reading order: problems, their fields, objectives
 * and interventions by position, then strengths and barriers. Empty when nothing changed.
 */
export function planDiff(before: PlanContent, after: PlanContent): PlanChange[] {
  const out: PlanChange[] = [];
  for (let p = 0; p < Math.max(before.problems.length, after.problems.length); p++) {
    const b = before.problems[p];
    const a = after.problems[p];
    const where = `Problem ${p + 1}`;
    if (!b) {
      out.push({ where, change: "added", after: `${a!.diagnosisCode} ${a!.statement}`.trim() });
      continue;
    }
    if (!a) {
      out.push({ where, change: "removed", before: `${b.diagnosisCode} ${b.statement}`.trim() });
      continue;
    }
    for (const [key, name] of PROBLEM_FIELDS) {
      if (a[key] !== b[key]) out.push({ where, change: "changed", field: name, before: b[key], after: a[key] });
    }
    diffList(where, "objective", b.objectives, a.objectives, describeObjective, out);
    diffList(where, "intervention", b.interventions, a.interventions, describeIntervention, out);
  }
  for (const [key, name] of [
    ["strengths", "Strengths"],
    ["barriers", "Barriers"],
  ] as const) {
    if (after[key] !== before[key]) out.push({ where: name, change: "changed", field: name, before: before[key], after: after[key] });
  }
  return out;
}

/** A plan's content as stored (JSON), read back defensively: anything malformed reads as empty. */
export function parsePlanContent(json: string): PlanContent {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    return EMPTY_PLAN;
  }
  const obj = (v: unknown): Record<string, unknown> => (typeof v === "object" && v !== null ? (v as Record<string, unknown>) : {});
  const str = (v: unknown) => (typeof v === "string" ? v : "");
  const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
  const r = obj(raw);
  return {
    strengths: str(r.strengths),
    barriers: str(r.barriers),
    problems: arr(r.problems).map((pv) => {
      const p = obj(pv);
      return {
        diagnosisCode: str(p.diagnosisCode),
        statement: str(p.statement),
        goal: str(p.goal),
        objectives: arr(p.objectives).map((ov) => ({ text: str(obj(ov).text), targetDate: str(obj(ov).targetDate) })),
        interventions: arr(p.interventions).map((iv) => {
          const i = obj(iv);
          const m = str(i.modality);
          return { modality: (Object.hasOwn(MODALITIES, m) ? m : "") as Modality | "", frequency: str(i.frequency), responsible: str(i.responsible) };
        }),
      };
    }),
  };
}

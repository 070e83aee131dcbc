/**
 * The demo's treatment plans, in every state a clinic has at once: most patients in the program
 * have an active plan, signed by their counselor, acknowledged by them and — for Marcus Bell and
 * Elena Ortiz, whose credentials need it — co-signed by Priya Raman; those in care long enough have
 * had a 30-day review (a second version, with what changed); some reviews are overdue; a few signed
 * plans wait for the patient or for the supervisor; a few first plans are still drafts; the newest
 * admissions have none yet (their first plan is due).
 *
 * Written through the plans repository, as the app would (and audited), at the times they happened.
 * Deterministic: patients in MRN order, a fixed seed.
 */
import { randomUUID } from "node:crypto";
import type { Kysely } from "kysely";
import type { Database } from "../db/schema";
import { acknowledgePlan, coSignPlan, currentDiagnoses, planOverview, reviewOf, saveDraft, startDraft } from "../app/features/plans/plans.server";
import type { Intervention, Objective, PlanContent, Problem } from "../app/features/plans/rules";
import { addDays, daysBetween } from "../app/kernel/time";
import type { DemoClinic } from "./demo";
import { seededRandom } from "./demo-patients";

type Rnd = ReturnType<typeof seededRandom>;
const meta = { ip: null, userAgent: "demo seed" };

/** What a problem says, and what the patient said they want, by the diagnosis' category. */
const BY_PREFIX: { prefix: string; statement: string; goals: string[]; objectives: string[] }[] = [
  {
    prefix: "F10",
    statement: "Daily drinking with loss of control; two failed attempts to cut down alone; missed work after weekends.",
    goals: ["I want to stop drinking and be there for my kids.", "I don't want to wake up not remembering the night before.", "Keep my job and my license."],
    objectives: [
      "Name three drinking triggers and a coping plan for each",
      "Attend at least 3 mutual-help meetings a week and log them",
      "Have no alcohol-positive breath or urine test for 30 days",
    ],
  },
  {
    prefix: "F11",
    statement: "Opioid use disorder with recent overdose risk; on medication for OUD; cravings in the evenings.",
    goals: ["I want to stay on my medicine and stop using.", "Get my life back and not be scared of dying.", "Be clean for my daughter's birthday."],
    objectives: [
      "Take buprenorphine as prescribed with no missed doses, checked at each visit",
      "Carry naloxone and teach one family member to use it",
      "Have urine tests negative for non-prescribed opioids for 4 weeks in a row",
    ],
  },
  {
    prefix: "F14",
    statement: "Cocaine use on paydays; spending has put rent at risk; conflict at home.",
    goals: ["Stop using on payday and pay my rent on time.", "I want my partner to trust me again."],
    objectives: [
      "Hand paycheck management to a trusted person for 8 weeks",
      "Use the payday craving plan and report on it in group weekly",
      "Have cocaine-negative tests for 30 days",
    ],
  },
  {
    prefix: "F15",
    statement: "Methamphetamine use with sleep loss and paranoia; lost last job.",
    goals: ["Sleep at night and think straight again.", "Get a job and keep it."],
    objectives: [
      "Keep a sleep log and reach 6 hours a night on 5 nights a week",
      "Complete two job applications a week with the case manager",
      "Have stimulant-negative tests for 30 days",
    ],
  },
  {
    prefix: "F12",
    statement: "Daily cannabis use since adolescence; uses to fall asleep; motivation and school/work affected.",
    goals: ["Cut down and then stop, so I can finish my course.", "Not need weed to sleep."],
    objectives: ["Practise the sleep routine from group on 5 nights a week", "Reduce use days from 7 to 0 a week, tracked on a calendar"],
  },
  {
    prefix: "F17",
    statement: "Smokes a pack a day; smoking goes with drinking and cravings; wants to quit with the rest.",
    goals: ["Quit smoking too, for my lungs and my wallet.", "Not light up every time I crave."],
    objectives: ["Start nicotine replacement with the prescriber and use it daily", "Cut down to 5 cigarettes a day, logged"],
  },
  {
    prefix: "F3",
    statement: "Depressed mood, poor sleep and withdrawal from others; low mood is a relapse trigger.",
    goals: ["I want to feel like myself again.", "Get out of bed and see my friends."],
    objectives: ["Schedule and do one pleasant activity a day, logged", "Lower PHQ-9 score by 5 points", "Keep psychiatric medication appointments"],
  },
  {
    prefix: "F4",
    statement: "Anxiety and panic in crowds and at work; uses substances to calm down.",
    goals: ["Handle my nerves without using.", "Go to the store without panicking."],
    objectives: [
      "Use a breathing or grounding skill when anxious and log it 4 times a week",
      "Lower GAD-7 score by 4 points",
      "Practise one feared situation a week with the counselor's plan",
    ],
  },
];
const FALLBACK = BY_PREFIX[0];

const INTERVENTIONS: Intervention[][] = [
  [
    { modality: "group", frequency: "3 times a week, 3 hours", responsible: "IOP group facilitators" },
    { modality: "individual", frequency: "Weekly, 50 minutes", responsible: "Primary counselor" },
  ],
  [
    { modality: "drug_testing", frequency: "Random, at least weekly", responsible: "Lab technician" },
    { modality: "mat", frequency: "Every 2 weeks", responsible: "Prescriber" },
  ],
  [
    { modality: "psychiatric", frequency: "Monthly", responsible: "Consulting psychiatrist" },
    { modality: "psychoeducation", frequency: "Weekly", responsible: "IOP group facilitators" },
  ],
  [
    { modality: "family", frequency: "Every 2 weeks", responsible: "Primary counselor" },
    { modality: "peer_support", frequency: "Weekly", responsible: "Peer recovery specialist" },
  ],
];

export function problemFor(code: string, start: string, rnd: Rnd, i: number): Problem {
  const kind = BY_PREFIX.find((k) => code.startsWith(k.prefix)) ?? FALLBACK;
  const objectives: Objective[] = kind.objectives.slice(0, 2 + (i % 2)).map((text, k) => ({ text, targetDate: addDays(start, 30 + k * 15) }));
  return {
    diagnosisCode: code,
    statement: kind.statement,
    goal: rnd.pick(kind.goals),
    objectives,
    interventions: INTERVENTIONS[(i + rnd.int(0, 3)) % INTERVENTIONS.length],
  };
}

export const STRENGTHS = [
  "Motivated by family; steady housing; a sister in recovery who drives them to group.",
  "Employed part time; sense of humour; has stayed sober for 90 days before.",
  "Engaged in group from the first week; supportive partner; a sponsor already.",
  "Good insight into triggers; faith community; loves cooking and wants to work in a kitchen.",
];
export const BARRIERS = [
  "No car: two buses to the clinic; evening shifts clash with the morning track.",
  "Partner still uses at home; money is tight.",
  "Shame about relapse; unstable housing until next month.",
  "Chronic back pain; childcare on group days.",
];

const KEPT_UP = ", kept up through aftercare planning";
const MET = " Met the first objective on time.";

/** A review's edits: the first objective met and replaced, an intervention stepped down. */
export function reviewed(plan: PlanContent, on: string): PlanContent {
  const next: PlanContent = structuredClone(plan);
  const first = next.problems[0];
  if (first) {
    const text = first.objectives[0]?.text ?? "Keep going";
    first.objectives[0] = { text: text.endsWith(KEPT_UP) ? text : `${text}${KEPT_UP}`, targetDate: addDays(on, 45) };
    if (first.interventions[1]) first.interventions[1] = { ...first.interventions[1], frequency: "Every 2 weeks" };
  }
  // Objectives still open at the review get a new target date.
  for (const p of next.problems) for (const o of p.objectives) if (o.targetDate <= on) o.targetDate = addDays(on, 30);
  if (!next.strengths.endsWith(MET)) next.strengths = `${next.strengths}${MET}`;
  return next;
}

const at = (date: string, hour: number) => new Date(`${date}T${String(hour).padStart(2, "0")}:00:00Z`);

export async function seedDemoPlans(db: Kysely<Database>, clinic: DemoClinic, today: string): Promise<void> {
  const rnd = seededRandom(2026121922);
  const siteIds = [clinic.siteId];
  const supervisor = clinic.users["priya.raman"];
  const cosigns = new Set(["marcus.bell", "elena.ortiz"].map((k) => clinic.users[k]?.id).filter(Boolean));
  const patients = await db
    .selectFrom("patients as p")
    .innerJoin("patient_episodes as e", "e.id", "p.current_episode_id")
    .innerJoin("users as c", "c.id", "p.primary_counselor_id")
    .select(["p.id", "p.legal_first_name", "p.legal_last_name", "e.admitted_on", "c.id as counselor_id", "c.name as counselor_name"])
    .where("p.site_id", "=", clinic.siteId)
    .where("p.status", "in", ["active", "on_hold"])
    .orderBy("p.mrn")
    .execute();
  let active = 0;
  const seen = new Map<string, number>();
  for (const [index, p] of patients.entries()) {
    const author = { id: p.counselor_id, name: p.counselor_name };
    const days = daysBetween(p.admitted_on, today);
    // The newest admissions have no plan yet: the first is due within 7 days of admission.
    if (days < 3) continue;
    const codes = (await currentDiagnoses(db, p.id)).map((d) => d.code).slice(0, 2);
    if (!codes.length) continue;
    const write = async (on: string, content: PlanContent, sign: boolean) => {
      const started = await startDraft(db, author, p.id, randomUUID(), siteIds, on, meta, at(on, 15));
      if (!started.ok) throw new Error(`demo plan draft refused: ${JSON.stringify(started)}`);
      const draft = (await planOverview(db, p.id)).draft!;
      const saved = await saveDraft(db, author, p.id, { planId: draft.id, version: draft.version, content, sign }, siteIds, on, meta, at(on, 16));
      if (!saved.ok) throw new Error(`demo plan refused: ${JSON.stringify(saved)}`);
      return draft.id;
    };
    const finish = async (planId: string, on: string, steps: { acknowledge: boolean; cosign: boolean }) => {
      if (steps.acknowledge) {
        const plan = (await planOverview(db, p.id)).awaiting!;
        const r = await acknowledgePlan(
          db,
          author,
          p.id,
          { planId, version: plan.version, typedName: `${p.legal_first_name} ${p.legal_last_name}` },
          siteIds,
          on,
          meta,
          at(on, 17),
        );
        if (!r.ok) throw new Error(`demo acknowledgement refused: ${JSON.stringify(r)}`);
      }
      if (steps.cosign && cosigns.has(author.id) && supervisor) {
        const plan = (await planOverview(db, p.id)).awaiting;
        if (!plan) return;
        const r = await coSignPlan(db, supervisor, p.id, { planId, version: plan.version }, siteIds, addDays(on, 1), meta, at(addDays(on, 1), 14));
        if (!r.ok) throw new Error(`demo co-signature refused: ${JSON.stringify(r)}`);
      }
    };
    const first = addDays(p.admitted_on, Math.min(days - 1, 2 + (index % 4)));
    const content: PlanContent = {
      problems: codes.map((c, i) => problemFor(c, first, rnd, i)),
      strengths: STRENGTHS[index % STRENGTHS.length],
      barriers: BARRIERS[(index + 1) % BARRIERS.length],
    };
    // Each counselor's caseload gets every state, in MRN order: k is the patient's place on it.
    const k = (seen.get(author.id) ?? 0) + 1;
    seen.set(author.id, k);
    const waitFor = k % 7 === 1 ? "patient" : k % 7 === 4 && cosigns.has(author.id) ? "supervisor" : null;
    const drafting = k % 6 === 5;
    const latestIsV1 = daysBetween(first, today) <= 32;
    if (latestIsV1 && drafting) {
      await write(first, { ...content, barriers: "" }, false);
      continue;
    }
    const v1 = await write(first, content, true);
    if (latestIsV1 && waitFor) {
      await finish(v1, first, { acknowledge: waitFor !== "patient", cosign: waitFor !== "supervisor" });
      continue;
    }
    await finish(v1, first, { acknowledge: true, cosign: true });
    active++;
    // Each review when it came due: 30 days on, or soon after a level-of-care change or an
    // unexpected drug-test result.
    for (let round = 0; round < 4; round++) {
      const overview = await planOverview(db, p.id);
      const review = await reviewOf(db, p.id, overview.active);
      if (!overview.active || !review) break;
      // Every fourth patient's latest review is a few days overdue.
      if (k % 4 === 2 && review.dueOn >= addDays(today, -10)) break;
      const on = review.reason === "scheduled" ? addDays(review.dueOn, -(k % 3)) : addDays(review.dueOn, 1);
      if (on >= today) break;
      // The newest review may still be a draft, or signed and waiting.
      const newest = addDays(on, 30) > today;
      if (newest && drafting) {
        await write(on, reviewed(overview.active.content, on), false);
        break;
      }
      const next = await write(on, reviewed(overview.active.content, on), true);
      await finish(
        next,
        on,
        newest && waitFor ? { acknowledge: waitFor !== "patient", cosign: waitFor !== "supervisor" } : { acknowledge: true, cosign: true },
      );
      if (newest && waitFor) break;
    }
  }
  if (!active) throw new Error("demo plans: no plan became active");
}

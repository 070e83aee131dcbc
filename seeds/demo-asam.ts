/**
 * The demo's ASAM multidimensional assessments: every patient in the program was assessed at
 * intake, rated as their level of care would suggest (PHP patients carry the most risk, OP the
 * least); one IOP patient was recommended PHP but placed in IOP because the insurer would not
 * authorize it. Several patients admitted a month or more ago had a 30-day plan review, most lower
 * in risk in most dimensions and one worse (a lapse after a move back home). About half of the
 * discharged patients have a discharge assessment.
 *
 * Written through the assessments repository (and so audited). Deterministic: a fixed seed.
 */
import { randomUUID } from "node:crypto";
import type { Kysely } from "kysely";
import type { Database, LevelOfCare } from "../db/schema";
import { recordAssessment } from "../app/features/assessments/assessments.server";
import { type AssessmentKind, DIMENSIONS, type Dimension, type Rating, type Ratings } from "../app/features/assessments/rules";
import type { AssessmentInput } from "../app/features/assessments/schemas";
import { addDays } from "../app/kernel/time";
import { seededRandom } from "./demo-patients";

type Clinic = { siteId: string; users: Record<string, { id: string; name: string; role: string }> };

/** Typical intake ratings by level of care, D1–D6. */
const TYPICAL: Record<LevelOfCare, Rating[]> = {
  PHP: [2, 1, 3, 2, 3, 3],
  IOP: [1, 1, 2, 2, 3, 2],
  OP: [0, 0, 1, 1, 2, 1],
};

/** What a counselor writes for a dimension at a low (0–1), middle (2) or high (3–4) rating. */
const NARRATIVES: Record<Dimension, [string, string, string]> = {
  1: [
    "No signs of intoxication or withdrawal at the interview; last use more than two weeks ago. No withdrawal history of concern.",
    "Last drink four days ago; mild tremor and poor sleep, CIWA-Ar 6. No seizure history. Monitored by the program nurse.",
    "Daily use until three days ago with a history of withdrawal seizures; CIWA-Ar 12 today. Coordinating with the prescriber and checking daily.",
  ],
  2: [
    "No active medical problems; primary care visit within the year. Takes no medicines that interact with treatment.",
    "Hypertension, not consistently treated; elevated liver enzymes on recent labs. Referred back to primary care.",
    "Chronic hepatitis C untreated and uncontrolled diabetes; misses medical appointments. Needs coordinated medical follow-up.",
  ],
  3: [
    "Mood and anxiety within normal limits; no safety concerns. Engages appropriately in group.",
    "Depressed mood and anxiety, PHQ-9 in the moderate range; denies suicidal ideation. Started with the program psychiatrist.",
    "Recent suicidal ideation without plan, panic attacks most days and trauma history; safety plan written, seen weekly by psychiatry.",
  ],
  4: [
    "Identifies own goals for recovery and follows through on assignments; attends without reminders.",
    "Ambivalent: agrees alcohol causes problems but not ready to give up weekend use. Motivational interviewing in individual sessions.",
    "Attends because of external pressure (court); minimizes use and its consequences. Building engagement before skills work.",
  ],
  5: [
    "Has a relapse prevention plan and used it under stress this month; cravings rare and manageable.",
    "Cravings several times a week, strongest after work; two brief lapses in the past year. Practicing coping skills in group.",
    "Used within days of each previous treatment episode; cravings daily and no plan yet for high-risk situations.",
  ],
  6: [
    "Lives with a supportive partner in stable housing; attends two mutual-help meetings a week and has a sponsor.",
    "Lives with a sibling who drinks at home; some sober supports at work. Exploring Al-Anon for the family.",
    "Staying with friends who use; no stable housing and few sober contacts. Sober-living referral made.",
  ],
};

const narrative = (d: Dimension, r: Rating) => NARRATIVES[d][r <= 1 ? 0 : r === 2 ? 1 : 2];

const clamp = (n: number) => Math.max(0, Math.min(4, n)) as Rating;

function input(
  kind: AssessmentKind,
  assessedOn: string,
  ratings: Ratings,
  recommended: LevelOfCare,
  placed: LevelOfCare,
  basis: string,
  reason?: "payer",
): AssessmentInput {
  const v: Record<string, unknown> = {
    requestKey: randomUUID(),
    basis,
    edition: "3",
    kind,
    assessedOn,
    recommendedLevel: recommended,
    placedLevel: placed,
    differenceReason: reason,
    differenceNote: undefined,
  };
  for (const d of DIMENSIONS) {
    v[`d${d}Rating`] = ratings[d];
    v[`d${d}Narrative`] = narrative(d, ratings[d]);
  }
  return v as AssessmentInput;
}

const toRatings = (list: number[]) => Object.fromEntries(DIMENSIONS.map((d) => [d, clamp(list[d - 1])])) as Ratings;

export async function seedDemoAsam(db: Kysely<Database>, clinic: Clinic, today: string) {
  const rnd = seededRandom(19022026);
  const meta = { ip: null, userAgent: "demo seed" };
  const siteIds = [clinic.siteId];
  const patients = await db
    .selectFrom("patients as p")
    .innerJoin("patient_episodes as e", "e.id", "p.current_episode_id")
    .innerJoin("users as c", "c.id", "p.primary_counselor_id")
    .select([
      "p.id",
      "p.status",
      "p.level_of_care",
      "e.admitted_on",
      "e.discharged_on",
      "e.next_level_of_care",
      "c.id as counselor_id",
      "c.name as counselor_name",
    ])
    .where("p.site_id", "=", clinic.siteId)
    .where("p.status", "in", ["active", "on_hold", "discharged"])
    .orderBy("p.mrn")
    .execute();

  let payerCase = false;
  let reviews = 0;
  let worsened = false;
  let discharges = 0;
  for (const p of patients) {
    const counselor = { id: p.counselor_id, name: p.counselor_name };
    const level = p.level_of_care;
    const record = async (i: AssessmentInput) => {
      const r = await recordAssessment(db, counselor, p.id, i, siteIds, meta);
      if (!r.ok) throw new Error(`demo assessment refused: ${JSON.stringify(r)}`);
      return r.id;
    };
    // Intake: the level's typical ratings, give or take one in a dimension or two.
    const intake = toRatings(TYPICAL[level].map((r) => (rnd.chance(0.3) ? r + (rnd.chance(0.5) ? 1 : -1) : r)));
    const admitted = p.admitted_on > today ? today : p.admitted_on;
    // The first IOP patient in the program: recommended PHP, the insurer authorized IOP only.
    const payer = !payerCase && level === "IOP" && p.status === "active";
    if (payer) {
      payerCase = true;
      intake[3] = 3;
      intake[5] = 3;
    }
    let latest = await record(input("intake", admitted, intake, payer ? "PHP" : level, level, "", payer ? "payer" : undefined));

    // A 30-day plan review for several patients admitted long enough ago.
    const reviewOn = addDays(admitted, 30);
    let current = intake;
    if (p.status !== "discharged" && reviewOn <= today && reviews < 8) {
      reviews += 1;
      if (!worsened && reviews === 3) {
        // One worse: moved back in with a partner who uses, and lapsed.
        worsened = true;
        current = toRatings(DIMENSIONS.map((d) => intake[d] + (d === 5 || d === 6 ? 1 : d === 3 ? 1 : 0)));
      } else {
        current = toRatings(DIMENSIONS.map((d) => intake[d] - (d === 2 || rnd.chance(0.2) ? 0 : 1)));
      }
      latest = await record(input("review", reviewOn, current, level, level, latest));
    }

    // About half of the discharged patients were assessed at discharge.
    if (p.status === "discharged" && p.discharged_on && rnd.chance(0.6)) {
      discharges += 1;
      const next = (["IOP", "PHP", "OP"] as const).find((l) => l === p.next_level_of_care) ?? "OP";
      const atDischarge = toRatings(DIMENSIONS.map((d) => current[d] - 1));
      await record(input("discharge", p.discharged_on > today ? today : p.discharged_on, atDischarge, next, next, latest));
    }
  }
  return { reviews, discharges, payerCase, worsened };
}

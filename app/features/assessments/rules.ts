/**
 * ASAM multidimensional assessment rules, no I/O: the six dimensions in either edition's words, what
 * each 0–4 risk rating means, the kinds of assessment, when a placement needs a reason, and how
 * each dimension moved between two assessments.
 */
import { LEVEL_LABELS, LEVELS_OF_CARE, type LevelOfCare } from "~/features/patients/rules";

export type { LevelOfCare };
export { LEVELS_OF_CARE };

export const ASAM_EDITIONS = { "3": "3rd edition (2013)", "4": "4th edition (2023)" } as const;
export type AsamEdition = keyof typeof ASAM_EDITIONS;
export const DEFAULT_ASAM_EDITION: AsamEdition = "3";
export const isAsamEdition = (v: unknown): v is AsamEdition => v === "3" || v === "4";

export const DIMENSIONS = [1, 2, 3, 4, 5, 6] as const;
export type Dimension = (typeof DIMENSIONS)[number];

/**
 * The six dimensions of The ASAM Criteria, 3rd edition (2013), by number. Checked against
 * https://open-exam-prep.com/study-guides/icrc/screening-assessment/asam-six-dimensions ("2.4 ASAM
 * Criteria — Six Dimensions") and https://help.valant.com/79967-measures/american-society-of-addiction-medicine-asam-criteria.
 */
const THIRD_EDITION: Record<Dimension, string> = {
  1: "Acute intoxication and/or withdrawal potential",
  2: "Biomedical conditions and complications",
  3: "Emotional, behavioral, or cognitive conditions and complications",
  4: "Readiness to change",
  5: "Relapse, continued use, or continued problem potential",
  6: "Recovery/living environment",
};

/**
 * The six dimensions of The ASAM Criteria, 4th edition (2023): readiness to change is no longer a
 * dimension of its own, and person-centered considerations is new. Checked against the Virginia
 * CTE Resource Center's home health aide course ("Dimension 1: Intoxication, Withdrawal, and
 * Addiction Medications" … "Dimension 6: Person-Centered Considerations",
 * https://www.cteresource.org/media/dhcdoqcd/home-health-aide-14053-export.imscc) and
 * https://behavioralhealth.news/2024/12/07/the-asam-fourth-edition-criteria-a-new-era-in-addiction-treatment.
 */
const FOURTH_EDITION: Record<Dimension, string> = {
  1: "Intoxication, withdrawal, and addiction medications",
  2: "Biomedical conditions",
  3: "Psychiatric and cognitive conditions",
  4: "Substance use-related risks",
  5: "Recovery environment interactions",
  6: "Person-centered considerations",
};

export function dimensionName(edition: AsamEdition, d: Dimension): string {
  return (edition === "4" ? FOURTH_EDITION : THIRD_EDITION)[d];
}

/** "D3 Emotional, behavioral, …": how a dimension is named in a label. */
export const dimensionLabel = (edition: AsamEdition, d: Dimension) => `Dimension ${d}: ${dimensionName(edition, d)}`;

/**
 * The risk rating of a dimension, 0–4 (The ASAM Criteria rate each dimension's severity from zero
 * to four: http://asamcontinuum.org/knowledgebase/is-there-a-standard-way-to-rank-dimensional-severity-across-the-six-dimensions-of-asams-criteria/,
 * citing pp. 54–58 of the 3rd edition). The words follow the adult quick reference at
 * https://www.recoverycounselorstoolkit.com/asam-criteria (0 no current risk, 1 mild, 2 moderate,
 * 3 severe, 4 extreme / life-threatening). Higher means more risk, so a falling rating is progress.
 */
export const RATINGS = [0, 1, 2, 3, 4] as const;
export type Rating = (typeof RATINGS)[number];
export const RATING_LABELS: Record<Rating, string> = {
  0: "No current risk",
  1: "Mild",
  2: "Moderate",
  3: "Severe",
  4: "Extreme, life-threatening",
};
export const RATING_MEANINGS: Record<Rating, string> = {
  0: "No current risk, or problems fully resolved or stable.",
  1: "Mild risk: symptoms or problems the person can manage; low intensity of support.",
  2: "Moderate risk: noticeable difficulty, not an imminent danger; needs moderate-intensity services.",
  3: "Severe risk: poor ability to cope, possible danger; needs high structure or close monitoring.",
  4: "Extreme risk: imminent danger; needs 24-hour or medically managed care.",
};
export const isRating = (v: unknown): v is Rating => typeof v === "number" && Number.isInteger(v) && v >= 0 && v <= 4;

/** The levels of care an assessment may recommend or place, as the form lists them. */
export const LEVEL_OPTIONS: Record<LevelOfCare, string> = LEVEL_LABELS;

export const ASSESSMENT_KINDS = { intake: "Intake", review: "Plan review", discharge: "Discharge" } as const;
export type AssessmentKind = keyof typeof ASSESSMENT_KINDS;

/** Why the level placed is not the level recommended (issue 19, item 2). */
export const DIFFERENCE_REASONS = {
  patient_preference: "Patient preference",
  not_available: "Level not available",
  payer: "Payer (insurance authorization)",
  other: "Other",
} as const;
export type DifferenceReason = keyof typeof DIFFERENCE_REASONS;

export type Ratings = Record<Dimension, Rating>;

/** What a placement must say: nothing when placed = recommended; a reason (and words for "other") otherwise. */
export function placementProblems(p: { recommended: LevelOfCare; placed: LevelOfCare; reason?: DifferenceReason | null; note?: string | null }): {
  reason?: string;
  note?: string;
} {
  if (p.recommended === p.placed) return {};
  if (!p.reason) return { reason: `The level placed (${p.placed}) differs from the level recommended (${p.recommended}): say why.` };
  if (p.reason === "other" && !p.note?.trim()) return { note: "Describe the other reason the levels differ." };
  return {};
}

/** The ratings that are missing or not a whole number 0–4, by dimension. */
export function missingRatings(ratings: Partial<Record<Dimension, unknown>>): Dimension[] {
  return DIMENSIONS.filter((d) => !isRating(ratings[d]));
}

export type Direction = "up" | "down" | "same";
/** Words for a move: up is more risk (worse), down is less (better). */
export const DIRECTION_LABELS: Record<Direction, string> = { up: "higher risk", down: "lower risk", same: "no change" };
export const DIRECTION_ARROWS: Record<Direction, string> = { up: "↑", down: "↓", same: "→" };

export interface Move {
  dimension: Dimension;
  from: Rating;
  to: Rating;
  change: number;
  direction: Direction;
}

/** How each dimension moved from `before` to `after`. */
export function dimensionMoves(before: Ratings, after: Ratings): Move[] {
  return DIMENSIONS.map((d) => {
    const change = after[d] - before[d];
    return { dimension: d, from: before[d], to: after[d], change, direction: change > 0 ? "up" : change < 0 ? "down" : "same" };
  });
}

/** Counts of dimensions that improved (rating fell), worsened (rose) and held. */
export function moveSummary(moves: Move[]): { improved: number; worsened: number; same: number } {
  return {
    improved: moves.filter((m) => m.direction === "down").length,
    worsened: moves.filter((m) => m.direction === "up").length,
    same: moves.filter((m) => m.direction === "same").length,
  };
}

/**
 * The movement table: for each dimension, each assessment in date order with its rating and the
 * direction from the assessment before it (null for the first).
 */
export function movementTable<A extends { id: string; ratings: Ratings }>(
  assessments: A[],
): { dimension: Dimension; cells: { id: string; rating: Rating; direction: Direction | null }[] }[] {
  return DIMENSIONS.map((d) => ({
    dimension: d,
    cells: assessments.map((a, i) => {
      const prev = i > 0 ? assessments[i - 1].ratings[d] : null;
      const rating = a.ratings[d];
      return { id: a.id, rating, direction: prev === null ? null : rating > prev ? "up" : rating < prev ? "down" : "same" };
    }),
  }));
}

/** Assessments oldest first: by date, then by when they were saved. */
export function chronological<A extends { assessedOn: string; createdAt: string }>(list: A[]): A[] {
  return [...list].sort((a, b) => (a.assessedOn === b.assessedOn ? a.createdAt.localeCompare(b.createdAt) : a.assessedOn.localeCompare(b.assessedOn)));
}

/** The kind a new assessment most likely is: the first is the intake; after discharge, the discharge one; else a plan review. */
export function suggestedKind(status: string, assessmentsSoFar: number): AssessmentKind {
  if (assessmentsSoFar === 0) return "intake";
  return status === "discharged" ? "discharge" : "review";
}

/**
 * The ASAM assessment form, shared by the browser (instant messages) and the action (the
 * authority). Date rules need "today" at the patient's site, so the schema is made for a given day.
 */
import { z } from "zod";
import { civilDate, keys, optionalText } from "~/utils/form-schemas";
import { isCivilDate } from "~/kernel/time";
import {
  ASSESSMENT_KINDS,
  DIFFERENCE_REASONS,
  type DifferenceReason,
  DIMENSIONS,
  type Dimension,
  type LevelOfCare,
  LEVELS_OF_CARE,
  placementProblems,
  type Rating,
  type Ratings,
} from "./rules";

const OUT_OF_DATE = "The form is out of date; reload the page.";
const requestKey = z.string({ error: OUT_OF_DATE }).regex(/^[0-9a-f-]{36}$/, OUT_OF_DATE);

const rating = (d: Dimension) =>
  z.enum(["0", "1", "2", "3", "4"], { error: `Choose a risk rating from 0 to 4 for dimension ${d}.` }).transform((v) => Number(v) as Rating);
const narrative = (d: Dimension) =>
  z
    .string({ error: `Describe dimension ${d}: what supports the rating.` })
    .trim()
    .min(1, `Describe dimension ${d}: what supports the rating.`)
    .max(4000, `The narrative for dimension ${d} is at most 4,000 characters.`);

const levelOf = (v: unknown): LevelOfCare | undefined => ((LEVELS_OF_CARE as readonly unknown[]).includes(v) ? (v as LevelOfCare) : undefined);
/** Cross-field checks run even when some field failed (zod 4 skips them unless `when` says so). */
const EVEN_WITH_FIELD_ERRORS = { when: (payload: { value: unknown }) => typeof payload.value === "object" && payload.value !== null };

const level = (what: string) => z.enum(LEVELS_OF_CARE, { error: `Choose the level of care ${what}.` });

export function assessmentSchema(today: string) {
  return z
    .object({
      requestKey,
      // The latest assessment the assessor saw when the form opened ("" when there was none).
      basis: z.string().trim().max(64).optional(),
      edition: z.enum(["3", "4"], { error: OUT_OF_DATE }),
      kind: z.enum(keys(ASSESSMENT_KINDS), { error: "Choose the kind of assessment." }),
      assessedOn: civilDate("the date of the assessment").refine((d) => !isCivilDate(d) || d <= today, "The assessment date cannot be in the future."),
      d1Rating: rating(1),
      d2Rating: rating(2),
      d3Rating: rating(3),
      d4Rating: rating(4),
      d5Rating: rating(5),
      d6Rating: rating(6),
      d1Narrative: narrative(1),
      d2Narrative: narrative(2),
      d3Narrative: narrative(3),
      d4Narrative: narrative(4),
      d5Narrative: narrative(5),
      d6Narrative: narrative(6),
      recommendedLevel: level("the assessor recommends"),
      placedLevel: level("actually placed"),
      differenceReason: z.enum(keys(DIFFERENCE_REASONS), { error: "Choose a reason from the list." }).optional(),
      differenceNote: optionalText("The reason", 500),
    })
    .superRefine((v: Record<string, unknown>, ctx) => {
      // Runs even when another field failed, so every problem shows at once: read only well-formed levels.
      const recommended = levelOf(v.recommendedLevel);
      const placed = levelOf(v.placedLevel);
      if (!recommended || !placed) return;
      const reason = typeof v.differenceReason === "string" && v.differenceReason in DIFFERENCE_REASONS ? (v.differenceReason as DifferenceReason) : undefined;
      const problems = placementProblems({ recommended, placed, reason, note: typeof v.differenceNote === "string" ? v.differenceNote : undefined });
      if (problems.reason && v.differenceReason === undefined) ctx.addIssue({ code: "custom", path: ["differenceReason"], message: problems.reason });
      if (problems.note) ctx.addIssue({ code: "custom", path: ["differenceNote"], message: problems.note });
    }, EVEN_WITH_FIELD_ERRORS);
}

export type AssessmentInput = z.output<ReturnType<typeof assessmentSchema>>;

/** The six ratings and narratives of a parsed form, by dimension. */
export function dimensionsOf(v: AssessmentInput): { ratings: Ratings; narratives: Record<Dimension, string> } {
  const ratings = {} as Ratings;
  const narratives = {} as Record<Dimension, string>;
  for (const d of DIMENSIONS) {
    ratings[d] = v[`d${d}Rating`];
    narratives[d] = v[`d${d}Narrative`];
  }
  return { ratings, narratives };
}

export const editionSchema = z.object({
  edition: z.enum(["3", "4"], { error: "Choose an edition of The ASAM Criteria." }),
  version: z.coerce.number({ error: OUT_OF_DATE }).int().min(0),
});

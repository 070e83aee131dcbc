/**
 * The treatment plan forms, shared by the browser and the actions. A draft saves whatever is there
 * (nothing typed is lost); signing asks the same form for a complete plan (`planGaps`), so the
 * missing pieces show at their fields in one go.
 */
import { z } from "zod";
import { isCivilDate } from "~/kernel/time";
import { keys, optionalText } from "~/utils/form-schemas";
import { MODALITIES, PLAN_LIMITS, PLAN_REVIEW_DAYS_RANGE, type PlanContent } from "./rules";

const STALE = "The form is out of date; reload the page.";
export const requestKey = z.string({ error: STALE }).regex(/^[0-9a-f-]{36}$/, STALE);
const version = z.coerce.number({ error: STALE }).int().min(1);
const planId = z.string({ error: STALE }).trim().min(1, STALE).max(64, STALE);

/** Text a draft may leave empty: "" when empty, bounded when not. */
const draftText = (label: string, max: number = PLAN_LIMITS.text) => optionalText(label, max).transform((v) => v ?? "");

const objective = z.object({
  text: draftText("An objective"),
  targetDate: z
    .string()
    .trim()
    .optional()
    .transform((v) => v ?? "")
    .refine((v) => v === "" || isCivilDate(v), "Enter the target date as a real date (YYYY-MM-DD)."),
});
const intervention = z.object({
  modality: z
    .enum(keys(MODALITIES), { error: "Choose how the intervention is given from the list." })
    .optional()
    .transform((v) => v ?? ""),
  frequency: draftText("How often", PLAN_LIMITS.short),
  responsible: draftText("Who provides it", PLAN_LIMITS.short),
});
const problem = z.object({
  diagnosisCode: draftText("The diagnosis", 16),
  statement: draftText("The problem"),
  goal: draftText("The goal"),
  objectives: z
    .array(objective)
    .max(PLAN_LIMITS.objectives, `A problem has at most ${PLAN_LIMITS.objectives} objectives.`)
    .optional()
    .transform((v) => v ?? []),
  interventions: z
    .array(intervention)
    .max(PLAN_LIMITS.interventions, `A problem has at most ${PLAN_LIMITS.interventions} interventions.`)
    .optional()
    .transform((v) => v ?? []),
});

/** The plan's content as the draft form sends it. */
export const planContentSchema = z.object({
  problems: z
    .array(problem)
    .max(PLAN_LIMITS.problems, `A plan has at most ${PLAN_LIMITS.problems} problems.`)
    .optional()
    .transform((v) => v ?? []),
  strengths: draftText("Strengths"),
  barriers: draftText("Barriers"),
});

/** Saving a draft, or saving and signing it: the same fields, two buttons. */
export const draftSchema = planContentSchema.extend({
  intent: z.enum(["save", "sign"], { error: STALE }),
  planId,
  version,
});
export type DraftInput = z.output<typeof draftSchema>;

export function contentOf(input: DraftInput): PlanContent {
  return { problems: input.problems, strengths: input.strengths, barriers: input.barriers };
}

/** The plan page's actions: start a draft, co-sign, discard a draft. */
export const planActionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("start"), requestKey }),
  z.object({ intent: z.literal("cosign"), planId, version }),
  z.object({ intent: z.literal("discard"), planId, version }),
]);

/** The patient's acknowledgement on a tablet: their typed name and that they agree. */
export const acknowledgeSchema = z.object({
  planId,
  version,
  typedName: z.string({ error: "Type your full name to sign." }).trim().min(2, "Type your full name to sign.").max(120, "A name is at most 120 characters."),
  agree: z.literal("on", { error: "Tick the box to say you took part in this plan and agree with it." }),
});

const REVIEW_WORDS = `Enter a whole number of days from ${PLAN_REVIEW_DAYS_RANGE.min} to ${PLAN_REVIEW_DAYS_RANGE.max}.`;
export const reviewDaysSchema = z.object({
  days: z
    .string({ error: REVIEW_WORDS })
    .trim()
    .regex(/^\d{1,3}$/, REVIEW_WORDS)
    .transform(Number)
    .refine((n) => n >= PLAN_REVIEW_DAYS_RANGE.min && n <= PLAN_REVIEW_DAYS_RANGE.max, REVIEW_WORDS),
  version: z.coerce.number({ error: STALE }).int(STALE).min(0, STALE),
});

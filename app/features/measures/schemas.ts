/**
 * The measure forms, shared by the browser and the actions. Answers arrive as `q<item>` fields
 * holding the index of the chosen answer; an unanswered item is simply absent (the score is then
 * incomplete, never guessed), an answer that is not one of the item's choices is refused.
 */
import { z } from "zod";
import { civilDate, keys, text } from "~/utils/form-schemas";
import { isCivilDate } from "~/kernel/time";
import { type Answers, MEASURE_INTERVAL_MAX_DAYS, MEASURE_INTERVAL_MIN_DAYS, MEASURES, type MeasureCode, RISK_LEVELS } from "./rules";

const STALE = "The form is out of date; reload the page.";
const requestKey = z.string({ error: STALE }).regex(/^[0-9a-f-]{36}$/, STALE);

/** The field name of an item's answer. */
export const answerField = (n: string) => `q${n}`;

export function responseSchema(code: MeasureCode, today: string) {
  const measure = MEASURES[code];
  const items = Object.fromEntries(
    measure.items.map((item) => [
      answerField(item.n),
      z
        .string()
        .trim()
        .optional()
        .transform((v) => (v ? v : undefined))
        .refine(
          (v) => v === undefined || (/^\d{1,2}$/.test(v) && Number(v) < item.choices.length),
          `Question ${item.n}: choose one of its ${item.choices.length} answers.`,
        ),
    ]),
  );
  return z
    .object({
      requestKey,
      administeredOn: civilDate("the date it was given").refine((d) => !isCivilDate(d) || d <= today, "The date it was given cannot be in the future."),
      ...items,
    })
    .transform((v, ctx) => {
      const answers: Answers = {};
      for (const item of measure.items) {
        const a = (v as Record<string, string | undefined>)[answerField(item.n)];
        if (a !== undefined) answers[item.n] = Number(a);
      }
      if (Object.keys(answers).length === 0) {
        ctx.addIssue({ code: "custom", path: [], message: "Answer at least one question before saving." });
        return z.NEVER;
      }
      return { requestKey: v.requestKey, administeredOn: v.administeredOn, answers };
    });
}
export type ResponseInput = z.infer<ReturnType<typeof responseSchema>>;

export function safetyCheckSchema(today: string) {
  return z.object({
    intent: z.literal("safety-check"),
    flagId: z.string({ error: STALE }).trim().min(1, STALE).max(64),
    version: z.coerce.number({ error: STALE }).int().min(1),
    riskLevel: z.enum(keys(RISK_LEVELS), { error: "Choose the risk level you found." }),
    plan: text("the safety plan", 2000),
    whoWasTold: text("who was told (a name and role, or “no one”, with why)", 300),
    checkedOn: civilDate("the date of the check").refine((d) => !isCivilDate(d) || d <= today, "The check cannot be dated in the future."),
  });
}
export type SafetyCheckInput = z.infer<ReturnType<typeof safetyCheckSchema>>;

const INTERVAL_WORDS = `Enter a whole number of days from ${MEASURE_INTERVAL_MIN_DAYS} to ${MEASURE_INTERVAL_MAX_DAYS}.`;

/** The measure interval setting: whole days within the bounds, and the version the admin saw. */
export const intervalSchema = z.object({
  days: z
    .string({ error: INTERVAL_WORDS })
    .trim()
    .regex(/^\d{1,3}$/, INTERVAL_WORDS)
    .transform(Number)
    .refine((n) => n >= MEASURE_INTERVAL_MIN_DAYS && n <= MEASURE_INTERVAL_MAX_DAYS, INTERVAL_WORDS),
  version: z.coerce.number({ error: STALE }).int(STALE).min(0, STALE),
});

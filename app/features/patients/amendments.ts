/** Amendment requests: the forms' rules, shared by the page and the server. */
import { z } from "zod";

/** HIPAA gives the program 60 days to act on a request. */
export const DECISION_DAYS = 60;

const text = (what: string, max: number) =>
  z
    .string({ error: `Enter ${what}.` })
    .trim()
    .min(1, `Enter ${what}.`)
    .max(max, `Keep it under ${max} characters.`);
const date = (what: string, today: string) =>
  z
    .string({ error: `Enter ${what}.` })
    .regex(/^\d{4}-\d{2}-\d{2}$/, `Enter ${what} as a date.`)
    .refine((d) => d <= today, `${what[0].toUpperCase()}${what.slice(1)} cannot be in the future.`);

export const requestSchema = (today: string) =>
  z.object({
    requestedOn: date("the date of the request", today),
    section: text("which part of the record", 120),
    request: text("what the patient asks to change", 2000),
  });
export const decisionSchema = (today: string) =>
  z.object({
    id: z.string().max(64),
    version: z.coerce.number().int(),
    decision: z.enum(["accepted", "denied"], { error: "Choose accept or deny." }),
    decidedOn: date("the date of the decision", today),
    note: text("what was changed, or the reason for the denial", 2000),
  });
export const disagreementSchema = (today: string) =>
  z.object({
    id: z.string().max(64),
    version: z.coerce.number().int(),
    disagreementOn: date("the date of the statement", today),
    disagreement: text("the patient's statement", 4000),
  });

/** What the amendments page can do, by the `intent` its forms send. */
export const amendmentActionSchema = (today: string) =>
  z.discriminatedUnion("intent", [
    requestSchema(today).extend({ intent: z.literal("request") }),
    decisionSchema(today).extend({ intent: z.literal("decide") }),
    disagreementSchema(today).extend({ intent: z.literal("disagree") }),
  ]);

/**
 * Drug-testing forms, shared by the browser (instant messages) and the actions (the authority).
 * Rules that need the database (the panel's analytes, the time zone, the draw pool) live in the
 * repositories and come back as field messages.
 */
import { z } from "zod";
import { isCivilDate } from "~/kernel/time";
import {
  ANALYTE_CODES,
  type Analyte,
  COLLECTIONS,
  CONFIRMATIONS,
  DRAW_MODES,
  DRAW_POOLS,
  SPECIMENS,
  TEST_REASONS,
  URINE_TEMPERATURE_RANGE,
  VALIDITIES,
} from "./rules";

const keys = <T extends Record<string, string>>(o: T) => Object.keys(o) as [keyof T & string, ...(keyof T & string)[]];

const text = (label: string, max: number) =>
  z
    .string({ error: `Enter ${label}.` })
    .trim()
    .min(1, `Enter ${label}.`)
    .max(max, `Keep ${label} under ${max} characters.`);

const optionalText = (label: string, max: number) =>
  z
    .string()
    .trim()
    .max(max, `Keep ${label} under ${max} characters.`)
    .optional()
    .transform((v) => (v ? v : undefined));

const civilDate = (label: string) =>
  z
    .string({ error: `Enter ${label}.` })
    .trim()
    .min(1, `Enter ${label}.`)
    .refine(isCivilDate, `Enter ${label} as a real date (YYYY-MM-DD).`);

const id = (message: string) => z.string({ error: message }).trim().min(1, message).max(64, message);

const version = z.coerce.number({ error: "The form is out of date; reload the page." }).int().min(1);

const optionalChoice = <T extends Record<string, string>>(o: T) =>
  z
    .string()
    .optional()
    .transform((v) => (v ? v : undefined))
    .pipe(z.enum(keys(o)).optional());

export function collectionSchema(today: string) {
  return z
    .object({
      requestKey: z.string({ error: "The form is out of date; reload the page." }).regex(/^[0-9a-f-]{36}$/, "The form is out of date; reload the page."),
      patientId: id("Choose the patient."),
      collection: z.enum(keys(COLLECTIONS), { error: "Say whether a specimen was collected, refused, or the patient did not come." }),
      date: civilDate("the date").refine((d) => d <= today, "The collection cannot be in the future."),
      time: z
        .string({ error: "Enter the time." })
        .trim()
        .regex(/^([01]\d|2[0-3]):[0-5]\d$/, "Enter the time as HH:MM (24-hour)."),
      reason: z.enum(keys(TEST_REASONS), { error: "Choose why the patient is tested." }),
      specimen: optionalChoice(SPECIMENS),
      panelId: z
        .string()
        .trim()
        .max(64)
        .optional()
        .transform((v) => (v ? v : undefined)),
      observed: z
        .literal("yes")
        .optional()
        .transform((v) => v === "yes"),
      temperatureInRange: optionalChoice({ yes: "Yes", no: "No" }),
      temperatureNote: optionalText("the explanation", 500),
      collectedBy: id("Choose who collected the specimen."),
      note: optionalText("the note", 1000),
    })
    .superRefine((v, ctx) => {
      if (v.collection !== "collected") return;
      if (!v.specimen) ctx.addIssue({ code: "custom", path: ["specimen"], message: "Choose the specimen." });
      if (!v.panelId) ctx.addIssue({ code: "custom", path: ["panelId"], message: "Choose the panel used." });
      if (v.specimen === "urine") {
        if (!v.temperatureInRange)
          ctx.addIssue({
            code: "custom",
            path: ["temperatureInRange"],
            message: `Say whether the urine temperature was in range (${URINE_TEMPERATURE_RANGE}).`,
          });
        if (v.temperatureInRange === "no" && !v.temperatureNote) {
          ctx.addIssue({
            code: "custom",
            path: ["temperatureNote"],
            message: "The temperature was out of range: explain what happened (for example, recollected under observation).",
          });
        }
      }
    });
}
export type CollectionInput = z.output<ReturnType<typeof collectionSchema>>;

export const RESULT_CHOICES = { pending: "Pending", negative: "Negative", positive: "Positive" } as const;
export type ResultChoice = keyof typeof RESULT_CHOICES;

export const ResultsSchema = z.object({
  intent: z.literal("results"),
  version,
  validity: z.enum(keys(VALIDITIES), { error: "Choose the specimen's validity." }),
  // Keyed by analyte; the repository refuses an analyte that is not on the test's panel.
  results: z
    .record(z.string().max(40), z.enum(keys(RESULT_CHOICES), { error: "Choose pending, negative or positive." }), { error: "Enter the results." })
    .default({}),
});
export type ResultsInput = z.output<typeof ResultsSchema>;

export function confirmSchema(today: string) {
  return z.object({
    intent: z.literal("confirm"),
    version,
    analyte: z.enum(ANALYTE_CODES as [Analyte, ...Analyte[]], { error: "Choose the analyte the lab confirmed." }),
    confirmation: z.enum(keys(CONFIRMATIONS), { error: "Choose confirmed positive or confirmed negative." }),
    lab: text("the lab's name", 120),
    accessionNumber: text("the lab's accession number", 60),
    confirmedOn: civilDate("the date the lab reported").refine((d) => d <= today, "The lab's report cannot be dated in the future."),
  });
}
export type ConfirmInput = z.output<ReturnType<typeof confirmSchema>>;

export const AcknowledgeSchema = z.object({
  intent: z.literal("acknowledge"),
  testId: id("Choose the test to acknowledge."),
  note: text("a note on what was done (for example, discussed in session; plan updated)", 1000),
});

export function drawSchema(today: string) {
  return z.object({
    date: civilDate("the day of the draw").refine((d) => d >= today, "A draw is for today or a day ahead, not a day that has passed."),
    pool: z.enum(keys(DRAW_POOLS), { error: "Choose who is eligible." }),
    mode: z.enum(keys(DRAW_MODES), { error: "Choose a rate or a number of patients." }),
    amount: z.coerce.number({ error: "Enter how many to draw." }).int("Enter a whole number.").min(1, "Draw at least 1.").max(1000, "Enter at most 1000."),
    reason: optionalText("the reason", 500),
  });
}
export type DrawInput = z.output<ReturnType<typeof drawSchema>>;

export const PanelSchema = z.object({
  intent: z.enum(["create", "update"]),
  panelId: z.string().trim().max(64).optional(),
  version: z.coerce.number().int().min(1).optional(),
  name: text("the panel's name", 80),
  specimen: z.enum(keys(SPECIMENS), { error: "Choose the specimen the panel is run on." }),
  analytes: z
    .array(z.enum(ANALYTE_CODES as [Analyte, ...Analyte[]], { error: "Choose analytes from the list." }), { error: "Choose at least one analyte." })
    .min(1, "Choose at least one analyte."),
});
export type PanelInput = z.output<typeof PanelSchema>;

export const PanelActiveSchema = z.object({
  intent: z.enum(["deactivate", "reactivate"]),
  panelId: id("Choose a panel."),
  version,
});

/** The panels page's forms: create or update a panel, or retire or reuse one. */
export const PanelActionSchema = z.discriminatedUnion("intent", [PanelSchema, PanelActiveSchema]);

/** A test page's forms: its presumptive results, or a lab's confirmation of one positive. */
export function testActionSchema(today: string) {
  return z.discriminatedUnion("intent", [ResultsSchema, confirmSchema(today)]);
}

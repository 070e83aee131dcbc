/**
 * Drug-testing forms, shared by the browser (instant messages) and the actions (the authority).
 * Rules that need the database (the panel's analytes, the time zone, the draw pool) live in the
 * repositories and come back as field messages.
 */
import { z } from "zod";
import { isCivilDate } from "~/kernel/time";
import { EVEN_WITH_FIELD_ERRORS } from "~/utils/form-schemas";
import {
  ANALYTE_CODES,
  type Analyte,
  COLLECTIONS,
  CONFIRMATIONS,
  DRAW_MODES,
  DRAW_POOLS,
  SPECIMENS,
  classifySpecimen,
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

/**
 * An optional measurement typed as text: empty is null, anything else must be a number in range.
 * `places` limits the decimals a person can type (a strip reads whole or half degrees, a
 * refractometer four places).
 */
const measurement = (message: string, min: number, max: number) =>
  z
    .string()
    .trim()
    .max(20, message)
    .optional()
    .transform((v, ctx) => {
      if (!v) return null;
      const n = Number(v);
      if (!/^-?\d+(\.\d+)?$/.test(v) || !Number.isFinite(n) || n < min || n > max) {
        ctx.addIssue({ code: "custom", message });
        return z.NEVER;
      }
      return n;
    });

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
      // The temperature read from the strip, °F; the older yes/no answer is still accepted from
      // scripts and stays what a reading without a figure records.
      temperatureF: measurement("Enter the temperature in °F as the strip reads it, for example 94.", 32, 120),
      temperatureInRange: optionalChoice({ yes: "Yes", no: "No" }),
      temperatureNote: optionalText("the explanation", 500),
      // The test this collection recollects (after an out-of-range, invalid, tampered or dilute specimen).
      recollectionOf: z
        .string()
        .trim()
        .max(64)
        .optional()
        .transform((v) => (v ? v : undefined)),
      collectedBy: id("Choose who collected the specimen."),
      note: optionalText("the note", 1000),
    })
    .superRefine((v: Record<string, unknown>, ctx) => {
      // Runs even when a field failed (every problem at once): a failed field holds what was typed,
      // or nothing, so each is read as it may be and a failed one gets no second message here.
      if (v.collection !== "collected") return;
      if (!v.specimen) ctx.addIssue({ code: "custom", path: ["specimen"], message: "Choose the specimen." });
      if (!v.panelId) ctx.addIssue({ code: "custom", path: ["panelId"], message: "Choose the panel used." });
      if (v.specimen === "urine") {
        if (v.temperatureF === null && !v.temperatureInRange)
          ctx.addIssue({
            code: "custom",
            path: ["temperatureF"],
            message: `Enter the urine temperature in °F, read within 4 minutes (in range: ${URINE_TEMPERATURE_RANGE}).`,
          });
        if (v.temperatureF === null && v.temperatureInRange === "no" && !v.temperatureNote) {
          ctx.addIssue({
            code: "custom",
            path: ["temperatureNote"],
            message: "The temperature was out of range: explain what happened (for example, recollected under observation).",
          });
        }
      }
    }, EVEN_WITH_FIELD_ERRORS);
}
/** A parsed collection; the temperature figure and the recollected test may be left out by scripts (seeds, benches). */
export type CollectionInput = Omit<z.output<ReturnType<typeof collectionSchema>>, "temperatureF" | "recollectionOf"> & {
  temperatureF?: number | null;
  recollectionOf?: string;
};

export const RESULT_CHOICES = { pending: "Pending", negative: "Negative", positive: "Positive" } as const;
export type ResultChoice = keyof typeof RESULT_CHOICES;

export const ResultsSchema = z
  .object({
    intent: z.literal("results"),
    version,
    validity: z.enum(keys(VALIDITIES), { error: "Choose the specimen's validity." }),
    // The lab's validity tests, when it reports them (49 CFR 40.87).
    creatinine: measurement("Enter creatinine in mg/dL, a number from 0 to 1000.", 0, 1000),
    specificGravity: measurement("Enter the specific gravity as the lab reports it, for example 1.0150.", 0.9, 1.2),
    ph: measurement("Enter the pH, a number from 0 to 14.", 0, 14),
    oxidant: z
      .literal("yes")
      .optional()
      .transform((v) => v === "yes"),
    // Keyed by analyte; the repository refuses an analyte that is not on the test's panel.
    results: z
      .record(z.string().max(40), z.enum(keys(RESULT_CHOICES), { error: "Choose pending, negative or positive." }), { error: "Enter the results." })
      .default({}),
  })
  .superRefine((v: Record<string, unknown>, ctx) => {
    // The measurements decide what they can (rules.ts, classifySpecimen); a chosen validity that
    // contradicts them is refused rather than silently replaced. Runs even when a field failed:
    // with a measurement that failed its own check, the others decide nothing.
    const figure = (x: unknown) => (typeof x === "number" ? x : x === null || x === undefined ? null : undefined);
    const [creatinine, specificGravity, ph] = [figure(v.creatinine), figure(v.specificGravity), figure(v.ph)];
    if (creatinine === undefined || specificGravity === undefined || ph === undefined) return;
    const c = classifySpecimen({ creatinine, specificGravity, ph, oxidant: v.oxidant === true ? true : null });
    if (!c) return;
    if (c.validity === null) {
      ctx.addIssue({ code: "custom", path: ["specificGravity"], message: `Enter the specific gravity too: ${c.why} (49 CFR 40.87(a)).` });
    } else if (c.validity !== "valid" && typeof v.validity === "string" && v.validity in VALIDITIES && c.validity !== v.validity) {
      ctx.addIssue({
        code: "custom",
        path: ["validity"],
        message: `The measurements make this specimen ${VALIDITIES[c.validity].toLowerCase()}: ${c.why}. Choose ${VALIDITIES[c.validity]}, or correct the figures.`,
      });
    }
  }, EVEN_WITH_FIELD_ERRORS);
/** Parsed results; the validity measurements may be left out by scripts (none measured). */
export type ResultsInput = Omit<z.output<typeof ResultsSchema>, "creatinine" | "specificGravity" | "ph" | "oxidant"> &
  Partial<Pick<z.output<typeof ResultsSchema>, "creatinine" | "specificGravity" | "ph" | "oxidant">>;

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

/**
 * Billing forms, shared by the browser (instant messages) and the actions (the authority). What needs
 * the database (the payer is the site's, a second row for the same payer and level, a stale
 * version) comes back from the repository as field or form messages.
 */
import { z } from "zod";
import { EVEN_WITH_FIELD_ERRORS, keys } from "~/utils/form-schemas";
import { CLAIM_TYPES, MAX_MODIFIERS, MODIFIER_PATTERN, PROCEDURE_CODE_PATTERN, REVENUE_CODES, splitModifiers } from "./rules";

/** Rates are money: whole cents, at most $100,000.00 a day. */
const MAX_RATE_CENTS = 10_000_000;

/** "$1,234.50", "1234.5" or "1234" as cents; null when it is not an amount of money. */
export function centsOf(text: string): number | null {
  const t = text.replace(/[$,\s]/g, "");
  if (!/^-?\d+(\.\d{1,2})?$/.test(t)) return null;
  const [whole, frac = ""] = t.replace("-", "").split(".");
  const cents = Number(whole) * 100 + Number(frac.padEnd(2, "0"));
  return t.startsWith("-") ? -cents : cents;
}

export const FeeRowSchema = z
  .object({
    intent: z.literal("save-fee"),
    feeId: z.string().trim().max(64).optional(),
    version: z.coerce.number().int().min(0).optional(),
    payerId: z.string({ error: "Choose the payer." }).trim().min(1, "Choose the payer.").max(64),
    level: z.enum(["IOP", "PHP"], { error: "Choose IOP or PHP." }),
    claimType: z.enum(keys(CLAIM_TYPES), { error: "Choose professional (837P) or institutional (837I)." }),
    procedureCode: z
      .string({ error: "Enter the procedure code (for example H0015)." })
      .trim()
      .min(1, "Enter the procedure code (for example H0015).")
      .max(5, "A procedure code has five characters (for example H0015).")
      .transform((v) => v.toUpperCase())
      .refine((v) => PROCEDURE_CODE_PATTERN.test(v), "A procedure code is a letter and four digits (H0015) or five CPT characters."),
    modifiers: z
      .string()
      .trim()
      .max(20, "Enter at most four two-character modifiers.")
      .optional()
      .transform((v) => splitModifiers(v ?? ""))
      .superRefine((mods, ctx) => {
        const bad = mods.filter((m) => !MODIFIER_PATTERN.test(m));
        if (bad.length)
          ctx.addIssue({ code: "custom", message: `${bad.map((b) => `“${b}”`).join(", ")}: each modifier is two letters or digits (for example HF).` });
        else if (mods.length > MAX_MODIFIERS) ctx.addIssue({ code: "custom", message: `A claim line holds at most ${MAX_MODIFIERS} modifiers.` });
        else if (new Set(mods).size !== mods.length) ctx.addIssue({ code: "custom", message: "Each modifier once." });
      })
      .transform((mods) => mods.join(",")),
    revenueCode: z
      .string()
      .trim()
      .optional()
      .transform((v) => v || "")
      .refine((v) => v === "" || v in REVENUE_CODES, "Choose a revenue code from the list."),
    unitsPerDay: z.coerce
      .number({ error: "Enter the units billed per day (usually 1)." })
      .int("Units are whole numbers.")
      .min(1, "Bill at least 1 unit a day.")
      .max(24, "At most 24 units a day."),
    minMinutes: z.coerce
      .number({ error: "Enter the minutes a day needs." })
      .int("Minutes are whole numbers.")
      .min(1, "A day needs at least 1 attended minute.")
      .max(1440, "A day has 1,440 minutes."),
    requiresSignedNote: z
      .string()
      .optional()
      .transform((v) => v === "yes"),
    rate: z
      .string({ error: "Enter the rate (for example 250.00)." })
      .trim()
      .min(1, "Enter the rate (for example 250.00).")
      .max(16, "Enter the rate as dollars and cents.")
      .transform((v, ctx) => {
        const cents = centsOf(v);
        if (cents === null) {
          ctx.addIssue({ code: "custom", message: "Enter the rate as dollars and cents (for example 250.00)." });
          return z.NEVER;
        }
        if (cents < 0) {
          ctx.addIssue({ code: "custom", message: "A rate cannot be negative." });
          return z.NEVER;
        }
        if (cents > MAX_RATE_CENTS) {
          ctx.addIssue({ code: "custom", message: "A rate is at most $100,000.00." });
          return z.NEVER;
        }
        return cents;
      }),
  })
  .superRefine((v: Record<string, unknown>, ctx) => {
    // Runs even when a field failed, so every problem shows at once; reads each field as it may be.
    if (v.claimType === "institutional" && !v.revenueCode)
      ctx.addIssue({ code: "custom", path: ["revenueCode"], message: "An institutional (837I) claim needs a revenue code: choose one." });
    if (v.claimType === "professional" && typeof v.revenueCode === "string" && v.revenueCode)
      ctx.addIssue({ code: "custom", path: ["revenueCode"], message: "Revenue codes go on institutional (837I) claims only: leave it empty for 837P." });
  }, EVEN_WITH_FIELD_ERRORS);
export type FeeRowInput = z.output<typeof FeeRowSchema>;

/** The charge review screen's refresh button: one week's charges recomputed. */
export const RefreshWeekSchema = z.object({
  intent: z.literal("refresh"),
  week: z
    .string()
    .trim()
    .regex(/^\d{4}-\d{2}-\d{2}$/, "Choose a week."),
});

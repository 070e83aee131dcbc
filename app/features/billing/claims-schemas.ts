/** The claims page's forms: export a batch, import an 835, keep the billing provider. */
import { z } from "zod";
import { keys, text } from "~/utils/form-schemas";
import { CLAIM_TYPES } from "./rules";

const requestKey = z
  .string({ error: "Reload the page and try again." })
  .trim()
  .min(8, "Reload the page and try again.")
  .max(64, "Reload the page and try again.");

export const exportSchema = z.object({
  intent: z.literal("export"),
  claimType: z.enum(keys(CLAIM_TYPES), { error: "Choose a claim type." }),
  requestKey,
});

export const importSchema = z.object({ intent: z.literal("import"), requestKey });

export const providerSchema = z.object({
  intent: z.literal("provider"),
  version: z.coerce.number().int().min(0),
  npi: z
    .string({ error: "Enter the NPI." })
    .trim()
    .regex(/^\d{10}$/, "An NPI is 10 digits."),
  taxId: z
    .string({ error: "Enter the tax id (EIN)." })
    .trim()
    .transform((v) => v.replace(/-/g, ""))
    .pipe(z.string().regex(/^\d{9}$/, "A tax id (EIN) is 9 digits, like 12-3456789.")),
  submitterId: text("the submitter id the clearinghouse gave you", 15),
  receiverName: text("the clearinghouse's name", 60),
  receiverId: text("the clearinghouse's receiver id", 15),
  contactName: text("a contact name for the payer's questions", 60),
  phone: z
    .string({ error: "Enter a phone number." })
    .trim()
    .transform((v) => v.replace(/\D/g, ""))
    .pipe(z.string().regex(/^\d{10}$/, "Enter a 10-digit phone number.")),
});

export const claimsActionSchema = z.discriminatedUnion("intent", [exportSchema, importSchema, providerSchema]);

/** A claim's page: send a replacement (CLM05-3 = 7) or a void (8) of it. */
export const correctionSchema = z.object({
  intent: z.enum(["replace", "void"], { error: "Choose whether to replace or void the claim." }),
  /** What the page showed (claimDetail().basis): a form from an older view is refused as stale. */
  basis: z.string({ error: "Reload the page and try again." }).trim().min(1, "Reload the page and try again.").max(64),
  requestKey,
});

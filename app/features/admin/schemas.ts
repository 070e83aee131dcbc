/** The credentials form of a staff account: one schema for the form and the action. */
import { z } from "zod";
import { EVEN_WITH_FIELD_ERRORS } from "~/utils/form-schemas";
import { CREDENTIAL_CODES, credentialsProblems } from "./credentials";

const yes = z
  .enum(["yes"])
  .optional()
  .transform((v) => v === "yes");

export const CredentialsSchema = z
  .object({
    intent: z.literal("credentials"),
    version: z.coerce.number({ error: "The form is out of date; reload the page." }).int().min(1),
    credentials: z
      .array(z.enum(CREDENTIAL_CODES, { error: "Choose credentials from the list." }))
      .max(CREDENTIAL_CODES.length)
      .optional()
      .transform((v) => [...new Set(v ?? [])]),
    signsIndependently: yes,
    clinicalSupervisor: yes,
    usualSupervisorId: z
      .string()
      .trim()
      .max(64)
      .optional()
      .transform((v) => v || null),
  })
  .superRefine((v, ctx) => {
    // The account's own id is checked by the repository; here, everything the form alone can tell.
    // Runs even when a field failed (every problem at once), but only on a well-formed list of credentials.
    if (!Array.isArray(v.credentials) || !v.credentials.every((c) => (CREDENTIAL_CODES as readonly unknown[]).includes(c))) return;
    if (typeof v.signsIndependently !== "boolean" || typeof v.clinicalSupervisor !== "boolean") return;
    for (const [path, messages] of Object.entries(credentialsProblems("", v))) {
      for (const message of messages) ctx.addIssue({ code: "custom", path: [path], message });
    }
  }, EVEN_WITH_FIELD_ERRORS);

export type CredentialsForm = z.output<typeof CredentialsSchema>;

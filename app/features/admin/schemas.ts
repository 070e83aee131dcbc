/** The credentials form of a staff account: one schema for the form and the action. */
import { z } from "zod";
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
    for (const [path, messages] of Object.entries(credentialsProblems("", v))) {
      for (const message of messages) ctx.addIssue({ code: "custom", path: [path], message });
    }
  });

export type CredentialsForm = z.output<typeof CredentialsSchema>;

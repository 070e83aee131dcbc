import { z } from "zod";
import { isCivilDate } from "~/kernel/time";

const civilDate = z
  .string()
  .trim()
  .refine((v) => v === "" || isCivilDate(v), "Use a date like 2026-11-27.")
  .optional();

/** The audit log's filters, as they arrive in the URL. */
export const AuditFilterSchema = z
  .object({
    user: z.string().trim().max(64, "That user id is too long.").optional(),
    action: z.string().trim().max(80, "That action name is too long.").optional(),
    patient: z.string().trim().max(64, "Search by an MRN or a name of at most 64 characters.").optional(),
    from: civilDate,
    to: civilDate,
  })
  .refine((v) => !v.from || !v.to || v.from <= v.to, { path: ["to"], message: "The end date is before the start date." });

export type AuditFilterInput = z.infer<typeof AuditFilterSchema>;

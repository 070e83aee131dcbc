/** Field rules every form shares, with the same wording everywhere. */
import { z } from "zod";
import { isCivilDate } from "~/kernel/time";

/** The keys of a label map, as the tuple `z.enum` wants. */
export const keys = <T extends Record<string, string>>(o: T) => Object.keys(o) as [keyof T & string, ...(keyof T & string)[]];

export const text = (label: string, max: number) =>
  z
    .string({ error: `Enter ${label}.` })
    .trim()
    .min(1, `Enter ${label}.`)
    .max(max, `${label[0].toUpperCase()}${label.slice(1)} is at most ${max} characters.`);

export const optionalText = (label: string, max: number) =>
  z
    .string()
    .trim()
    .max(max, `${label} is at most ${max} characters.`)
    .optional()
    .transform((v) => (v ? v : undefined));

export const civilDate = (label: string) =>
  z
    .string({ error: `Enter ${label}.` })
    .trim()
    .min(1, `Enter ${label}.`)
    .refine(isCivilDate, `Enter ${label} as a real date (YYYY-MM-DD).`);

export const optionalDate = (label: string) =>
  z
    .string()
    .trim()
    .optional()
    .transform((v) => (v ? v : undefined))
    .refine((v) => v === undefined || isCivilDate(v), `Enter ${label} as a real date (YYYY-MM-DD).`);

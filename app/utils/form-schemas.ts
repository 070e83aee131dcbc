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

/**
 * Pass as the second argument of an object's `superRefine` so its cross-field checks run even when
 * some field failed, and a refused form shows every problem at once (zod 4 skips an object's
 * refinements after a field fails unless `when` says to run them). The check then sees the fields
 * as they are, failed ones included (raw, missing or half-transformed): it must read each field
 * defensively, for example with `wellFormedDate`, and say nothing about a field that already failed.
 */
export const EVEN_WITH_FIELD_ERRORS = { when: (payload: { value: unknown }) => typeof payload.value === "object" && payload.value !== null };

/** A field's value as a civil date when it is one; undefined when it is missing or failed its own check. */
export const wellFormedDate = (v: unknown): string | undefined => (typeof v === "string" && isCivilDate(v) ? v : undefined);

export const optionalDate = (label: string) =>
  z
    .string()
    .trim()
    .optional()
    .transform((v) => (v ? v : undefined))
    .refine((v) => v === undefined || isCivilDate(v), `Enter ${label} as a real date (YYYY-MM-DD).`);

/**
 * What a person's name may hold: letters of any script (\p{L}: "Zoë", "李小龙", "Мария"), combining
 * marks (\p{M}: "Nguyễn" typed decomposed), spaces, hyphens, apostrophes (' and ’) and periods.
 * Variation selectors (U+FE00–FE0F) are marks too, but they only dress up emoji, so they are refused.
 */
const NOT_IN_A_NAME = /[^\p{L}\p{M} '’.-]|[\uFE00-\uFE0F]/gu;

/** A refused character as a person can read it: itself, or its code point when it shows as nothing. */
const shown = (c: string) =>
  /[\p{C}\p{Z}\uFE00-\uFE0F]/u.test(c) ? `an invisible character (U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")})` : `“${c}”`;

function nameCharacters(field: string) {
  return (v: string | undefined, ctx: z.RefinementCtx) => {
    if (!v) return;
    const refused = [...new Set(v.match(NOT_IN_A_NAME) ?? [])];
    if (refused.length) {
      ctx.addIssue({
        code: "custom",
        message: `${field} can hold only letters, spaces, hyphens, apostrophes and periods: remove ${refused.map(shown).join(", ")}.`,
      });
    } else if (!/\p{L}/u.test(v)) {
      ctx.addIssue({ code: "custom", message: `${field} needs at least one letter.` });
    }
  };
}

/** A person's name, required: "Legal first name" gives "Enter the legal first name." and the rules above. Stored in NFC, so "Zoë" is one spelling. */
export const personName = (field: string, max: number) =>
  text(`the ${field.toLowerCase()}`, max)
    .superRefine(nameCharacters(field))
    .transform((v) => v.normalize("NFC"));

/** A person's name that may be left empty. */
export const optionalPersonName = (field: string, max: number) =>
  optionalText(field, max)
    .superRefine(nameCharacters(field))
    .transform((v) => v?.normalize("NFC"));

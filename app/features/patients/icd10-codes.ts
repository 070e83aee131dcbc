/**
 * ICD-10-CM diagnosis codes for the patient chart: the clinic's list of billable codes with their
 * official descriptions, and the look-up that accepts a code or says why not.
 *
 * The list (`icd10-codes.json`) is generated from CMS's ICD-10-CM order file by
 * `scripts/icd10-generate.ts`, which states its fiscal year, source and scope in the file: all of
 * chapter F plus the Z and T codes addiction programs use. Only billable codes (order-file flag 1)
 * are listed; a category header such as F11 or F11.2 is not valid on a claim (ICD-10-CM Official
 * Guidelines for Coding and Reporting FY2026, section I.B.2, level of detail: a code is reported
 * at its highest number of characters, and one not coded to the full number of characters it
 * requires, 7th character included, is invalid).
 *
 * The list is about 170 kB: the module's top level is marked pure so a page that imports only
 * `diagnosisCategory` or `ICD10_PATTERN` (through `rules.ts`, say) does not ship it.
 */

import LIST from "./icd10-codes.json";

export interface Icd10Code {
  code: string;
  description: string;
}

export interface Icd10Group {
  heading: string;
  codes: Icd10Code[];
}

/** What the list is: its fiscal year, when that year is in force, where it came from. */
export const ICD10_LIST = {
  fiscalYear: LIST.fiscalYear,
  effective: LIST.effective,
  source: LIST.source,
  note: "note" in LIST ? LIST.note : null,
  scope: LIST.scope,
  count: LIST.count,
} as const;

/** The billable codes, grouped under their three-character category, in tabular order. */
export const ICD10_GROUPS: readonly Icd10Group[] = /*#__PURE__*/ LIST.groups.map((g) => ({
  heading: g.heading,
  codes: g.codes.map(([code, description]) => ({ code, description })),
}));

/** Every billable code on the list, with its official (long) description. */
export const ICD10_CODES: readonly Icd10Code[] = /*#__PURE__*/ ICD10_GROUPS.flatMap((group) => group.codes);

const BY_CODE = /*#__PURE__*/ new Map(ICD10_CODES.map((c) => [c.code, c]));

/** An ICD-10-CM code's shape: letter, two characters, optional dot and up to four more. */
export const ICD10_PATTERN = /^[A-TV-Z][0-9][0-9AB](\.[0-9A-TV-Z]{1,4})?$/;

/** "f1120", " F11.20 — Opioid dependence…" → "F11.20": the first word, upper case, dotted after three characters. */
export function normalizeIcd10(input: string): string {
  const word = input.trim().split(/\s/)[0].toUpperCase().replace(/\.$/, "");
  const bare = word.replace(".", "");
  return /^[A-Z][0-9A-Z]{2,6}$/.test(bare) && !word.slice(4).includes(".") ? (bare.length > 3 ? `${bare.slice(0, 3)}.${bare.slice(3)}` : bare) : word;
}

export type Icd10Lookup =
  | { ok: true; code: string; description: string }
  | { ok: false; reason: "shape" | "category" | "unknown"; code: string; message: string; suggestions: Icd10Code[] };

const listName = `the FY${LIST.fiscalYear} ICD-10-CM list`;

/**
 * Accepts a billable code on the list and gives its official description; otherwise says why not:
 * a category (a header with billable codes under it: "F11.2 is a category, not a billable code:
 * choose e.g. F11.20 …"), or a code the list does not hold (F99.99 does not exist; I10 is outside
 * the clinic's scope).
 */
export function lookupIcd10(input: string): Icd10Lookup {
  const code = normalizeIcd10(input);
  if (!code) return { ok: false, reason: "shape", code, message: "Enter an ICD-10-CM code.", suggestions: [] };
  const found = BY_CODE.get(code);
  if (found) return { ok: true, code: found.code, description: found.description };
  if (!ICD10_PATTERN.test(code)) {
    return {
      ok: false,
      reason: "shape",
      code,
      message: "That is not an ICD-10-CM code: a letter, two characters, then a dot and up to four more (like F11.20).",
      suggestions: [],
    };
  }
  const bare = code.replace(".", "");
  const under = ICD10_CODES.filter((c) => c.code.replace(".", "").startsWith(bare));
  if (under.length > 0) {
    const shown = under.slice(0, 3);
    return {
      ok: false,
      reason: "category",
      code,
      message: `${code} is a category, not a billable code: choose e.g. ${shown.map((c) => `${c.code} (${c.description})`).join(", ")}${under.length > shown.length ? ` or one of the ${under.length - shown.length} other codes under it` : ""}.`,
      suggestions: under,
    };
  }
  return {
    ok: false,
    reason: "unknown",
    code,
    message: `${code} is not a billable code on ${listName} (chapter F and the Z and T codes addiction programs use). Pick a code from the list.`,
    suggestions: [],
  };
}

/**
 * ICD-10-CM diagnosis codes for the patient chart: a curated pick list and the shape checks around it.
 *
 * Codes and descriptions follow the CMS ICD-10-CM code list in force from 1 October 2025 (FY2026);
 * every listed code was also billable in FY2025. Only billable (leaf) codes are listed, in dotted form.
 */

import ICD10_GROUPS from "./icd10-codes.json";

export interface Icd10Code {
  code: string;
  description: string;
}

/**
 * Curated ICD-10-CM F-chapter codes an addiction IOP uses, billable (leaf) codes with the official
 * short-ish descriptions. The list is data (`icd10-codes.json`, grouped by category), not code.
 */
export const ICD10_CODES: readonly Icd10Code[] = ICD10_GROUPS.flatMap((group) => group.codes);

/** An ICD-10-CM code's shape: letter, two characters, optional dot and up to four more. */
export const ICD10_PATTERN = /^[A-TV-Z][0-9][0-9AB](\.[0-9A-TV-Z]{1,4})?$/;

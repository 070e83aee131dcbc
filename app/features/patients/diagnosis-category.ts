/**
 * Which half of a dual diagnosis an ICD-10-CM code can make.
 *
 * Dual diagnosis (co-occurring disorders) is a substance use disorder together with a mental
 * illness. The program follows SAMHSA's National Survey on Drug Use and Health (NSDUH)
 * definitions, which its co-occurring figures are reported against:
 *
 * - **Substance use disorder** is a disorder of alcohol or drug use. Nicotine dependence is
 *   measured and reported on its own, outside SUD (NSDUH Methodological Summary and Definitions,
 *   section C: "substance use disorder" covers alcohol and illicit drugs; "nicotine dependence"
 *   is a separate measure). So F17 (nicotine dependence) alone does not make the substance half.
 * - **Any mental illness** is "a diagnosable mental, behavioral, or emotional disorder, other than
 *   a developmental or substance use disorder" (NSDUH, same section). So F70–F79 (intellectual
 *   disabilities) and F80–F89 (developmental disorders) do not make the mental-health half.
 * - **Gambling disorder** is an addiction without a substance: DSM-5 places it under
 *   "Substance-Related and Addictive Disorders" as the one non-substance-related disorder, and
 *   it is neither an SUD nor part of NSDUH's mental illness. ICD-10-CM codes it F63.0
 *   (pathological gambling). It makes neither half.
 *
 * The rest of chapter F follows the ICD-10-CM block titles: F10–F19 "Mental and behavioral
 * disorders due to psychoactive substance use"; F01–F09 and F20–F69, F90–F99 mental health.
 * Codes outside chapter F (Z, T, G…) are "other" and make neither half.
 */

export type DiagnosisCategory = "substance" | "nicotine" | "behavioral_addiction" | "mental_health" | "developmental" | "other";

/** How each kind reads on screen. */
export const DIAGNOSIS_CATEGORY_LABELS: Record<DiagnosisCategory, string> = {
  substance: "Substance use",
  nicotine: "Nicotine",
  behavioral_addiction: "Gambling",
  mental_health: "Mental health",
  developmental: "Developmental",
  other: "Other",
};

/** One sentence for pages that show the dual-diagnosis flag or filter. */
export const DUAL_DIAGNOSIS_RULE =
  "Dual diagnosis: an active substance use diagnosis (F10–F19, not nicotine F17) and an active mental-health diagnosis (chapter F, not substance use, gambling F63.0, or intellectual and developmental disorders F70–F89).";

/** The kind of a code, from its category (the three characters before the dot). */
export function diagnosisCategory(code: string): DiagnosisCategory {
  const normalized = code.trim().toUpperCase();
  const category = normalized.slice(0, 3);
  if (!/^F[0-9][0-9]$/.test(category) || category === "F00") return "other";
  const n = Number(category.slice(1));
  if (n === 17) return "nicotine";
  if (n >= 10 && n <= 19) return "substance";
  if (n >= 70 && n <= 89) return "developmental";
  if (category === "F63" && /^F63\.0/.test(normalized)) return "behavioral_addiction";
  return "mental_health";
}

/** The two halves: which kinds count as each. */
export const makesSubstanceHalf = (category: DiagnosisCategory) => category === "substance";
export const makesMentalHealthHalf = (category: DiagnosisCategory) => category === "mental_health";

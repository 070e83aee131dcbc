/**
 * Patient rules with no I/O: the vocabularies an intake uses, how status may move, who is an
 * adolescent, which flags a patient carries. Shared by forms, actions, queries and tests.
 */
import { diagnosisCategory, makesMentalHealthHalf, makesSubstanceHalf } from "./diagnosis-category";
import type { LevelOfCare, MatMedication, PatientStatus } from "#db/schema";

/** The stored vocabularies (db/schema.ts), with this module's labels keyed by them. */
export type { LevelOfCare, PatientStatus, MatMedication };

export const LEVELS_OF_CARE = ["IOP", "PHP", "OP"] as const satisfies readonly LevelOfCare[];
export const LEVEL_LABELS: Record<LevelOfCare, string> = {
  IOP: "IOP — intensive outpatient",
  PHP: "PHP — partial hospitalization",
  OP: "OP — outpatient",
};

export const STATUSES = ["referred", "active", "on_hold", "discharged"] as const satisfies readonly PatientStatus[];
export const STATUS_LABELS: Record<PatientStatus, string> = {
  referred: "Referred",
  active: "Active",
  on_hold: "On hold",
  discharged: "Discharged",
};
/** Where a status may go next (discharge has its own form; re-admission starts a new episode). */
export const STATUS_TRANSITIONS: Record<PatientStatus, PatientStatus[]> = {
  referred: ["active"],
  active: ["on_hold"],
  on_hold: ["active"],
  discharged: [],
};
export const OPEN_STATUSES: PatientStatus[] = ["referred", "active", "on_hold"];
/** The statuses an intake or a re-admission may start in, as their forms offer them. */
export const INITIAL_STATUSES = { active: "Active — attending now", referred: "Referred — not started yet" } as const;

export const REFERRAL_SOURCES = {
  self: "Self or family",
  court: "Court or criminal justice",
  employer: "Employer / EAP",
  inpatient_step_down: "Inpatient or residential step-down",
  detox: "Detox / withdrawal management",
  physician: "Physician or health-care provider",
  other: "Other",
} as const;

export const SEXES = { female: "Female", male: "Male", intersex: "Intersex", unknown: "Unknown / not disclosed" } as const;

export const PAYER_TYPES = {
  commercial: "Commercial insurance",
  medicaid: "Medicaid",
  medicare: "Medicare",
  self_pay: "Self-pay",
  other: "Other",
} as const;

export const DETOX_STATUSES = {
  needed: "Needed before start",
  completed: "Completed",
  not_needed: "Not needed",
} as const;

/** TEDS discharge reasons. */
export const DISCHARGE_REASONS = {
  completed: "Treatment completed",
  transferred: "Transferred to another program or level of care",
  left_before_completion: "Left before completion",
  discharged_by_program: "Discharged by program",
  incarcerated: "Incarcerated",
  died: "Died",
  other: "Other",
} as const;

export const NEXT_LEVELS = {
  none: "No further treatment recommended",
  OP: "Outpatient (OP)",
  IOP: "Intensive outpatient (IOP)",
  PHP: "Partial hospitalization (PHP)",
  residential: "Residential",
  inpatient: "Inpatient / withdrawal management",
} as const;

export const MUTUAL_HELP_GROUPS = {
  aa: "Alcoholics Anonymous (AA)",
  na: "Narcotics Anonymous (NA)",
  smart: "SMART Recovery",
  faith: "Faith-based group",
} as const;

export const MAT_MEDICATIONS = {
  buprenorphine: "Buprenorphine",
  buprenorphine_naloxone: "Buprenorphine/naloxone",
  buprenorphine_xr: "Buprenorphine extended-release injection",
  methadone: "Methadone",
  naltrexone_oral: "Naltrexone (oral)",
  naltrexone_xr: "Naltrexone extended-release injection",
  acamprosate: "Acamprosate",
  disulfiram: "Disulfiram",
  other: "Other",
} as const satisfies Record<MatMedication, unknown>;

/** Short names for flags and lists. */
export const MAT_SHORT: Record<MatMedication, string> = {
  buprenorphine: "Buprenorphine",
  buprenorphine_naloxone: "Bup/naloxone",
  buprenorphine_xr: "Buprenorphine XR",
  methadone: "Methadone",
  naltrexone_oral: "Naltrexone",
  naltrexone_xr: "Naltrexone XR",
  acamprosate: "Acamprosate",
  disulfiram: "Disulfiram",
  other: "Other",
};

/** The analyte a medication shows up as in a drug test (read by drug testing). */
export const MAT_EXPECTED_ANALYTE: Partial<Record<MatMedication, string>> = {
  buprenorphine: "buprenorphine",
  buprenorphine_naloxone: "buprenorphine",
  buprenorphine_xr: "buprenorphine",
  methadone: "methadone",
};

export const MAT_SETTINGS = {
  otp: "Opioid treatment program (OTP)",
  office_based: "Office-based (OBOT)",
  this_program: "This program",
} as const;

export const LANGUAGES = ["English", "Spanish", "Portuguese", "Haitian Creole", "Chinese", "Vietnamese", "Russian", "Arabic", "Polish", "Other"] as const;

export const TRACK_SUGGESTIONS = ["Morning IOP", "Evening IOP", "Weekend IOP", "PHP Day", "OP Weekly"] as const;

/** Whole years between two civil dates. */
export function ageOn(dateOfBirth: string, on: string): number {
  const [by, bm, bd] = dateOfBirth.split("-").map(Number);
  const [y, m, d] = on.split("-").map(Number);
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

/** ASAM sets different hour bands for adolescents: under 18 at the given date. */
export function isAdolescent(dateOfBirth: string, on: string): boolean {
  return ageOn(dateOfBirth, on) < 18;
}

/** Lower-cased, accent-free name text for search and duplicate checks. */
export function searchName(first: string, last: string, preferred?: string | null): string {
  return [first, last, preferred ?? ""]
    .join(" ")
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/\s+/g, " ")
    .trim();
}

export function formatMrn(n: number): string {
  return `MRN-${String(n).padStart(6, "0")}`;
}

export interface FlagInput {
  diagnoses: { code: string; resolved_on: string | null; onset_on?: string | null }[];
  mat: { medication: string; started_on: string; ended_on: string | null }[];
}

export interface PatientFlags {
  dualDiagnosis: boolean;
  /** The active medication's label, when on MAT. */
  mat: string | null;
}

/** A diagnosis is active from onset until the day it is resolved. */
const diagnosisActive = (onset: string | null | undefined, resolved: string | null, on: string) => (!onset || onset <= on) && (!resolved || resolved > on);
/** A MAT episode runs from its start through its end date (the last day of medication). */
export const matActive = (start: string, end: string | null, on: string) => start <= on && (!end || end >= on);

/**
 * Dual diagnosis: an active substance use diagnosis and an active mental-health one, as
 * `diagnosis-category.ts` classifies them (nicotine, gambling and developmental disorders make neither half).
 * MAT: a medication episode running on the given date.
 */
export function patientFlags(input: FlagInput, on: string): PatientFlags {
  const active = input.diagnoses.filter((d) => diagnosisActive(d.onset_on ?? null, d.resolved_on, on));
  const categories = active.map((d) => diagnosisCategory(d.code));
  const dualDiagnosis = categories.some(makesSubstanceHalf) && categories.some(makesMentalHealthHalf);
  const med = input.mat.find((m) => matActive(m.started_on, m.ended_on, on));
  return { dualDiagnosis, mat: med ? (MAT_SHORT[med.medication as MatMedication] ?? med.medication) : null };
}

/**
 * Who may do what. Every loader and action names one of these permissions; roles are granted
 * permissions here and nowhere else. Shared by server and client (the navigation reads it).
 */
import type { Role } from "#db/schema";

/** The stored vocabularies (db/schema.ts), with this module's labels keyed by them. */
export type { Role };
export const ROLES = ["admin", "counselor", "staff", "billing"] as const satisfies readonly Role[];

export const ROLE_LABELS: Record<Role, string> = {
  admin: "Admin",
  counselor: "Counselor",
  staff: "Staff",
  billing: "Billing",
};

export const ROLE_DESCRIPTIONS: Record<Role, string> = {
  admin: "Runs the program: tracks, rooms, groups, staff accounts, reports and the audit log.",
  counselor: "Carries a clinical caseload: enrollment, diagnoses, MAT, progress and risks.",
  staff: "Front desk and techs: attendance and drug-test collections.",
  billing: "Coverage, authorizations, charges and claims: sees who a patient is and the days they attended, never clinical notes.",
};

const GRANTS = {
  "read:home": ["admin", "counselor", "staff", "billing"],
  "update:own-account": ["admin", "counselor", "staff", "billing"],
  "read:patients": ["admin", "counselor", "staff", "billing"],
  "read:patient-clinical": ["admin", "counselor"],
  "write:patients": ["admin", "counselor"],
  "read:schedule": ["admin", "counselor", "staff"],
  "book:sessions": ["admin", "counselor"],
  "take:attendance": ["admin", "counselor", "staff"],
  "read:reports": ["admin", "counselor"],
  "manage:program": ["admin"],
  "record:drug-tests": ["admin", "counselor", "staff"],
  "draw:drug-tests": ["admin", "staff"],
  "acknowledge:drug-test-alerts": ["admin", "counselor"],
  "manage:drug-panels": ["admin"],
  "manage:consents": ["admin", "counselor"],
  "disclose:records": ["admin", "counselor"],
  "manage:users": ["admin"],
  "manage:sites": ["admin"],
  "read:audit": ["admin"],
  "export:audit": ["admin"],
  "enter:measures": ["admin", "counselor", "staff"],
  "read:notes": ["admin", "counselor"],
  "write:notes": ["admin", "counselor"],
  "read:coverage": ["admin", "counselor", "billing"],
  "write:coverage": ["admin", "billing"],
  "manage:payers": ["admin"],
  "bill:claims": ["admin", "billing"],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof GRANTS;

export const PERMISSIONS = Object.keys(GRANTS) as Permission[];

export const PERMISSION_DESCRIPTIONS: Record<Permission, string> = {
  "read:home": "open the home page",
  "update:own-account": "change their own password and sign out their sessions",
  "read:patients": "find patients and see who they are (name, MRN, track)",
  "read:patient-clinical": "read diagnoses, MAT, ASAM assessments, measure scores, treatment plans, level-of-care history and discharge details",
  "write:patients": "enroll patients and change their records",
  "read:schedule": "see the program's schedule",
  "book:sessions": "book individual and family sessions, and change who is on a group's roster",
  "take:attendance": "take roll for any session at their site, correct it with a reason, and print sign-in sheets",
  "read:reports": "see and export reports (counselors: their own caseload only)",
  "manage:program":
    "set up the program's tracks, rooms and recurring groups, which ASAM edition assessments use and how often measures repeat and plans are reviewed",
  "record:drug-tests": "record drug-test collections and results, and see results read against MAT (never diagnoses)",
  "draw:drug-tests": "run the day's random drug-test draw",
  "acknowledge:drug-test-alerts": "acknowledge an unexpected drug-test result with a note",
  "manage:drug-panels": "define the drug-test panels and their analytes",
  "manage:consents": "record a patient's 42 CFR Part 2 consents, and revoke them or mark them expired",
  "disclose:records": "disclose a patient's records under an active consent, and print the accounting of disclosures",
  "manage:users": "create staff accounts, change roles, deactivate and reset passwords",
  "manage:sites": "add sites and change their names, time zones and addresses",
  "read:audit": "read the audit log",
  "export:audit": "export the audit log as CSV",
  "read:notes": "read progress notes and group notes (a patient's chart shows only that patient's part of a group note)",
  "write:notes": "write, sign and add addenda to notes for sessions they facilitate or co-facilitate, and co-sign them as a clinical supervisor",
  "read:coverage": "see a patient's insurance coverage, authorizations with units used and left, and Medicare certifications",
  "write:coverage": "record coverage, authorizations and Medicare certifications",
  "manage:payers": "keep the payer list and the fee schedule (how a day is billed for each payer and level of care)",
  "bill:claims":
    "review charges and why they are held, export claims (837) and import remittances (835), see the diagnosis codes a claim carries (ICD-10-CM code and description, never the clinical record), and open billing's reports (authorization use) with CSV",
  "enter:measures": "enter a patient's answers to a standardized measure (PHQ-9, GAD-7, AUDIT, DAST-10, BAM); scores need clinical access",
};

export function can(role: Role, permission: Permission): boolean {
  return (GRANTS[permission] as readonly Role[]).includes(role);
}

export function rolesWith(permission: Permission): Role[] {
  return [...GRANTS[permission]];
}

export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value);
}

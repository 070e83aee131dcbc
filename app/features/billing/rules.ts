/**
 * Revenue-cycle rules with no I/O (issue 21): the vocabularies of payers, coverage and
 * authorizations, how units are counted down from the days a patient attended, and why a day's
 * charge is held. The repositories feed these with what the database says; the pages, Home's
 * alerts, the charge builder and the reports all read the same answers from here.
 */
import { billableCode, BILLABLE_DAY_RULES } from "~/features/attendance/rules";
import { addDays, daysBetween } from "~/kernel/time";
import type { AuthorizationStatus, ChargeStatus, ClaimType, CoveragePriority, LevelOfCare, PayerKind, SubscriberRelationship, UnitKind } from "#db/schema";

export type { AuthorizationStatus, ChargeStatus, ClaimType, CoveragePriority, PayerKind, SubscriberRelationship, UnitKind };

export const PAYER_KINDS = {
  commercial: "Commercial",
  medicaid: "Medicaid",
  medicare: "Medicare",
  self_pay: "Self-pay",
  grant: "Grant-funded",
} as const satisfies Record<PayerKind, string>;

export const COVERAGE_PRIORITIES = { primary: "Primary", secondary: "Secondary" } as const satisfies Record<CoveragePriority, string>;

export const RELATIONSHIPS = { self: "Self", spouse: "Spouse", child: "Child", other: "Other" } as const satisfies Record<SubscriberRelationship, string>;

export const UNIT_KINDS = { days: "Days", sessions: "Sessions", hours: "Hours" } as const satisfies Record<UnitKind, string>;

export const AUTHORIZATION_STATUSES = {
  requested: "Requested",
  approved: "Approved",
  denied: "Denied",
  expired: "Expired",
} as const satisfies Record<AuthorizationStatus, string>;

export const CLAIM_TYPES = { professional: "Professional (837P)", institutional: "Institutional (837I)" } as const satisfies Record<ClaimType, string>;

export const CHARGE_STATUSES = {
  ready: "Ready",
  held: "Held",
  exported: "Exported",
  paid: "Paid",
  denied: "Denied",
  void: "Void",
} as const satisfies Record<ChargeStatus, string>;

/** Every reason a day's charge can be held, in the order the review screen lists them. */
export const HOLD_REASONS = {
  below_hours: "Below the day's hours",
  note_unsigned: "Note unsigned",
  no_coverage: "No coverage",
  no_fee_schedule: "No fee schedule for this payer and level",
  no_authorization: "No authorization",
  authorization_exhausted: "Authorization exhausted",
  authorization_expired: "Authorization expired",
  no_medicare_certification: "No Medicare certification",
  no_consent: "No Part 2 consent for this payer",
} as const;
export type HoldReason = keyof typeof HOLD_REASONS;
export const HOLD_REASON_KEYS = Object.keys(HOLD_REASONS) as HoldReason[];

/** One day a patient attended, as the charge builder and the unit count see it. */
export interface AttendedDay {
  date: string;
  level: LevelOfCare;
  /** Attended minutes that day, all sessions. */
  minutes: number;
  /** Of those, minutes whose session has a signed note holding this patient's part. */
  documentedMinutes: number;
  /** Sessions attended that day. */
  sessions: number;
}

export interface AuthorizationSpan {
  id: string;
  level: LevelOfCare;
  unitKind: UnitKind;
  unitsApproved: number;
  startsOn: string;
  endsOn: string;
  status: AuthorizationStatus;
}

/**
 * The units one day uses of an authorization: a day is one unit; sessions count each attended
 * session; hours count whole attended hours (a payer authorizing hours pays for hours delivered,
 * so 3 h 40 min uses 3).
 */
export function unitsForDay(kind: UnitKind, day: Pick<AttendedDay, "minutes" | "sessions">): number {
  if (kind === "days") return 1;
  if (kind === "sessions") return day.sessions;
  return Math.floor(day.minutes / 60);
}

/** Is this authorization in force on this date (approved, and the date inside its span)? */
export function authorizationCovers(a: AuthorizationSpan, date: string): boolean {
  return a.status === "approved" && a.startsOn <= date && date <= a.endsOn;
}

export type DayCover =
  | { kind: "covered"; authorizationId: string; units: number }
  | { kind: "exhausted"; authorizationId: string; units: number }
  | { kind: "expired"; authorizationId: string }
  | { kind: "none" };

/**
 * Does this day use authorization units? A day uses them when it is billable by its hours at its
 * level of care (attendance's BILLABLE_DAY_RULES: IOP H0015 from 3 h, PHP S0201 from 5 h, OP never),
 * whether or not its note is signed yet: the service was delivered, and a note signed later must
 * not move which days the authorization covers.
 */
export function usesUnits(day: Pick<AttendedDay, "level" | "minutes">): boolean {
  return billableCode(day.level, day.minutes) !== null;
}

/**
 * Walks a patient's days that use units (`usesUnits`) in date order and counts each against the approved authorization
 * at that day's level whose dates hold it: a day is covered while units remain, and past the
 * approved units the day is "exhausted" (it still counts as used, so the chart shows units
 * exceeded). A day after the end of the patient's last approved authorization at its level is
 * "expired"; a day with no approved authorization at its level at all is "none".
 * Overlapping authorizations at one level are refused when recorded, so at most one holds a day.
 */
export function allocateDays(days: readonly AttendedDay[], authorizations: readonly AuthorizationSpan[]): Map<string, DayCover> {
  const used = new Map<string, number>();
  const out = new Map<string, DayCover>();
  const sorted = days.filter(usesUnits).sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  for (const day of sorted) {
    const auth = authorizations.find((a) => a.level === day.level && authorizationCovers(a, day.date));
    if (!auth) {
      const ended = authorizations
        .filter((a) => a.level === day.level && a.status === "approved" && a.endsOn < day.date)
        .sort((a, b) => (a.endsOn < b.endsOn ? 1 : -1))[0];
      out.set(day.date, ended ? { kind: "expired", authorizationId: ended.id } : { kind: "none" });
      continue;
    }
    const units = unitsForDay(auth.unitKind, day);
    const before = used.get(auth.id) ?? 0;
    used.set(auth.id, before + units);
    out.set(
      day.date,
      before + units <= auth.unitsApproved ? { kind: "covered", authorizationId: auth.id, units } : { kind: "exhausted", authorizationId: auth.id, units },
    );
  }
  return out;
}

/** Used, remaining (negative when exceeded) and calendar days left of one authorization on `today`. */
export function authorizationUse(a: AuthorizationSpan, days: readonly AttendedDay[], today: string): AuthorizationUse {
  return usageFromUnits(a, unitsUsed(a, days), today);
}

/** The units an authorization's attended days inside its dates take (what `authorization_use` keeps). */
export function unitsUsed(a: Pick<AuthorizationSpan, "level" | "unitKind" | "startsOn" | "endsOn">, days: readonly AttendedDay[]): number {
  let used = 0;
  for (const d of days) if (a.startsOn <= d.date && d.date <= a.endsOn) used += unitsOfDay(a, d);
  return used;
}

/** The units one attended day takes from an authorization at its level (0 when it uses none of them). */
export function unitsOfDay(a: Pick<AuthorizationSpan, "level" | "unitKind">, day: Pick<AttendedDay, "level" | "minutes" | "sessions">): number {
  return usesUnits(day) && day.level === a.level ? unitsForDay(a.unitKind, day) : 0;
}

export interface AuthorizationUse {
  used: number;
  remaining: number;
  daysLeft: number;
  exceeded: boolean;
}

/** Remaining, days left and exceeded, from the units used (counted by `authorizationUse`, or kept). */
export function usageFromUnits(a: AuthorizationSpan, used: number, today: string): AuthorizationUse {
  const remaining = a.unitsApproved - used;
  const daysLeft = today > a.endsOn ? 0 : daysBetween(today < a.startsOn ? a.startsOn : today, a.endsOn) + 1;
  return { used, remaining, daysLeft, exceeded: remaining < 0 };
}

/** What the charge builder knows about one day when it decides ready or held. */
export interface DayFacts {
  day: AttendedDay;
  /** The fee schedule row for the day's payer and level, if there is one. */
  fee: { minMinutes: number; requiresSignedNote: boolean } | null;
  hasCoverage: boolean;
  cover: DayCover;
  /** True when the payer is Medicare: a (re)certification must be current that day. */
  medicare: boolean;
  certificationCurrent: boolean;
  /** An active Part 2 consent allows disclosure to this payer for payment. */
  consentAllows: boolean;
  /**
   * Whether the payer needs an authorization at all (default true). Self-pay and grant-funded care
   * has no payer to authorize it, so "no authorization" would be a reason nobody can act on.
   */
  authorizationRequired?: boolean;
}

/** Every reason the day's charge is held (empty when it is ready), in HOLD_REASONS order. */
export function holdReasons(f: DayFacts): HoldReason[] {
  const reasons = new Set<HoldReason>();
  // The payer's own day rule, else the level's (attendance's BILLABLE_DAY_RULES): a short day is
  // named short even when there is no fee schedule row to read the rule from.
  const minMinutes = f.fee?.minMinutes ?? BILLABLE_DAY_RULES[f.day.level]?.minMinutes;
  if (minMinutes !== undefined && f.day.minutes < minMinutes) reasons.add("below_hours");
  if ((f.fee?.requiresSignedNote ?? true) && f.day.documentedMinutes < f.day.minutes) reasons.add("note_unsigned");
  if (!f.hasCoverage) reasons.add("no_coverage");
  else if (!f.fee) reasons.add("no_fee_schedule");
  // An authorization belongs to a coverage: with none, "no coverage" is the reason to act on.
  if (f.hasCoverage && (f.authorizationRequired ?? true)) {
    if (f.cover.kind === "none") reasons.add("no_authorization");
    if (f.cover.kind === "exhausted") reasons.add("authorization_exhausted");
    if (f.cover.kind === "expired") reasons.add("authorization_expired");
  }
  if (f.medicare && !f.certificationCurrent) reasons.add("no_medicare_certification");
  if (f.hasCoverage && !f.consentAllows) reasons.add("no_consent");
  return HOLD_REASON_KEYS.filter((r) => reasons.has(r));
}

/** When Medicare's recertification falls due, per level of care (days; program settings). */
export interface RecertRule {
  /** The first recertification is due on this day of care, counting the admission day as day 1. */
  firstDay: number;
  /** Each later recertification is due this many days after the one before. */
  intervalDays: number;
}

/**
 * Whether a Medicare patient's physician certification covers a date, and when the next
 * recertification is due: an initial certification on or before the date is needed; the first
 * recertification is due on day `firstDay` of care, each later one `intervalDays` after the last.
 * The rule's figures are program settings (see the migration and the settings page for the
 * regulation they follow).
 *
 * The regulation (42 CFR 424.24): PHP, paragraph (e)(3) — the first recertification as of the 18th
 * day of partial hospitalization services, later ones no less often than every 30 days; IOP,
 * paragraph (h)(3), added by the CY 2024 OPPS final rule (88 FR 81540, effective January 1, 2024) —
 * the first recertification as of the 60th day of intensive outpatient services, later ones no less
 * often than every 60 days. Day 1 is the first day of care, so the first one falls due on
 * admission + (firstDay − 1) days; tests/unit/billing-coverage-rules.test.ts counts it by hand.
 */
export function certificationOn(
  certs: readonly { kind: "initial" | "recertification"; certifiedOn: string }[],
  admittedOn: string,
  rule: RecertRule,
  date: string,
): { current: boolean; dueOn: string | null } {
  const upTo = certs.filter((c) => c.certifiedOn <= date);
  if (!upTo.some((c) => c.kind === "initial")) return { current: false, dueOn: null };
  const recerts = upTo.filter((c) => c.kind === "recertification").sort((a, b) => (a.certifiedOn < b.certifiedOn ? -1 : 1));
  const last = recerts[recerts.length - 1];
  const dueOn = last ? addDays(last.certifiedOn, rule.intervalDays) : addDays(admittedOn, rule.firstDay - 1);
  return { current: date <= dueOn, dueOn };
}

/** Two authorizations for one coverage and level whose dates overlap (both inclusive). */
export function spansOverlap(a: { startsOn: string; endsOn: string }, b: { startsOn: string; endsOn: string }): boolean {
  return a.startsOn <= b.endsOn && b.startsOn <= a.endsOn;
}

/** Cents as dollars for screens and CSV: 12345 → "$123.45". */
export function money(cents: number): string {
  const sign = cents < 0 ? "-" : "";
  const abs = Math.abs(Math.round(cents));
  return `${sign}$${Math.floor(abs / 100).toLocaleString("en-US")}.${String(abs % 100).padStart(2, "0")}`;
}

/**
 * The cover of any attended day: what `allocateDays` gave it, or — for a day that uses no units
 * (below its hours, so it is held for that) — the authorization in force that day, counting
 * nothing, so the day is not also blamed on an authorization that is fine.
 */
export function dayCover(day: AttendedDay, allocated: ReadonlyMap<string, DayCover>, authorizations: readonly AuthorizationSpan[]): DayCover {
  const given = allocated.get(day.date);
  if (given) return given;
  const auth = authorizations.find((a) => a.level === day.level && authorizationCovers(a, day.date));
  if (auth) return { kind: "covered", authorizationId: auth.id, units: 0 };
  const ended = authorizations
    .filter((a) => a.level === day.level && a.status === "approved" && a.endsOn < day.date)
    .sort((a, b) => (a.endsOn < b.endsOn ? 1 : -1))[0];
  return ended ? { kind: "expired", authorizationId: ended.id } : { kind: "none" };
}

/**
 * The per-diem procedure codes a fee schedule row offers (HCPCS Level II; a payer may require
 * another code, which the form accepts when it is shaped like one):
 * - H0015 "Alcohol and/or drug services; intensive outpatient (treatment program that operates at
 *   least 3 hours/day and at least 3 days/week and is based on an individualized treatment plan),
 *   including assessment, counseling; crisis intervention, and activity therapies or education"
 *   (HCPCS long descriptor, quoted at carepatron.com/procedure-code/hcpcs-code-h0015).
 * - S9480 "Intensive outpatient psychiatric services, per diem": a temporary national S-code for
 *   commercial payers and some Medicaid programs, not payable by Medicare (pabau.com, "HCPCS Code
 *   S9480"); the mental-health counterpart of H0015.
 * - H0035 "Mental health partial hospitalization, treatment, less than 24 hours" (openpayer.com,
 *   "HCPCS H0035"), billed per diem.
 * - S0201 "Partial hospitalization services, less than 24 hours, per diem": commercial and Medicaid,
 *   not Medicare (pabau.com, "HCPCS Code S0201"); on a facility claim with revenue code 0912/0913.
 * - H2036 "Alcohol and/or other drug treatment program, per diem" (behavehealth.com, "Understanding
 *   HCPCS and CPT billing codes for outpatient addiction treatment: H0015, H2036, S0201 and S9480").
 * - G0410 group psychotherapy in a partial hospitalization or intensive outpatient program, about
 *   45–50 minutes (rvuedge.com/cpt-codes/g-codes/G0410): Medicare pays IOP per diem under the OPPS
 *   from the services billed that day on an institutional claim (type of bill 13X or 76X, condition
 *   code 92, a revenue code and a HCPCS code on each service line: CGS Medicare, "Intensive
 *   Outpatient Program Services", January 2024; MLN MM13222), so a Medicare IOP day bills the
 *   program's group services under G0410 rather than one per-diem code.
 */
export const PROCEDURE_CODES = {
  H0015: "H0015 — SUD intensive outpatient, per diem (3+ h/day)",
  S9480: "S9480 — Intensive outpatient psychiatric, per diem",
  H0035: "H0035 — Mental health partial hospitalization, < 24 h",
  S0201: "S0201 — Partial hospitalization, < 24 h, per diem",
  H2036: "H2036 — Alcohol and/or other drug treatment program, per diem",
  G0410: "G0410 — Group psychotherapy in PHP/IOP (Medicare)",
} as const;

/** A HCPCS Level II code (a letter and four digits) or a CPT code (five characters, digits first). */
export const PROCEDURE_CODE_PATTERN = /^([A-Z]\d{4}|\d{4}[0-9A-Z])$/;

/**
 * Revenue codes (NUBC UB-04 form locator 42) for institutional claims: 0905 "Intensive outpatient
 * services — psychiatric" and 0906 "Intensive outpatient services — chemical dependency", 0912
 * "Partial hospitalization — less intensive" and 0913 "Partial hospitalization — intensive"
 * (findacode.com, "Common UB-04 codes for behavioral health services"; Humana Military, PHP claims:
 * "revenue codes 0913 or 0912 should be filed with the correct HCPCS code"). Medicare IOP claims
 * carry 0905 with condition code 92 (CGS Medicare, above).
 */
export const REVENUE_CODES = {
  "0905": "0905 — Intensive outpatient, psychiatric",
  "0906": "0906 — Intensive outpatient, chemical dependency",
  "0912": "0912 — Partial hospitalization, less intensive",
  "0913": "0913 — Partial hospitalization, intensive",
} as const;
export type RevenueCode = keyof typeof REVENUE_CODES;

/**
 * Modifiers: up to four two-character codes (the 837's SV1-01 / SV2-02 composite holds four), e.g.
 * HF "substance abuse program", which many Medicaid programs require on H0015 (behavehealth.com,
 * "Most common addiction treatment billing CPT and HCPCS code modifiers").
 */
export const MODIFIER_PATTERN = /^[A-Z0-9]{2}$/;
export const MAX_MODIFIERS = 4;

/** Splits "hf, u7" into ["HF", "U7"]: the form's words, before each is checked. */
export function splitModifiers(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((m) => m.trim().toUpperCase())
    .filter(Boolean);
}

/** A code and its modifiers as a claim line reads them: "H0015-HF-U7". */
export function codeWithModifiers(code: string, modifiers: string): string {
  return [code, ...splitModifiers(modifiers)].filter(Boolean).join("-");
}

/** The day rule a new fee schedule row starts from: attendance's BILLABLE_DAY_RULES, signed notes required. */
export function defaultDayRule(level: "IOP" | "PHP"): { minMinutes: number; requiresSignedNote: boolean } {
  return { minMinutes: BILLABLE_DAY_RULES[level].minMinutes, requiresSignedNote: true };
}

/**
 * The middle of a list of day counts, for the days-from-service-to-export report: sorted from
 * smallest to largest, the middle value when there is an odd number of them, and the mean of the
 * two middle values when there is an even number (so 1, 2, 4, 9 → 3; 2, 3 → 2.5). Null when empty.
 */
export function median(values: readonly number[]): number | null {
  if (!values.length) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/**
 * A percentile by the nearest-rank method (the smallest value at least `p` percent of the list is at
 * or below: sorted, the value at rank ⌈p/100 × n⌉, counting from 1), so it is always a value that
 * occurred: the 90th percentile of ten values is the ninth smallest, of eleven the tenth. Null when
 * empty.
 */
export function percentileNearestRank(values: readonly number[], p: number): number | null {
  if (!values.length) return null;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.max(1, Math.ceil((p / 100) * s.length)) - 1];
}

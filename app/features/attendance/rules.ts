/**
 * Attendance rules with no I/O: the marks a roll call can give, what counts as attended, the
 * billable day at each level of care, a week's required hours (age on Monday, partial weeks
 * prorated), roll missing, and the two flags a counselor acts on (below required hours, missed
 * sessions).
 */
import { hourRequirement } from "~/features/scheduling/rules";
import { ageOn } from "~/features/patients/rules";
import { addDays, formatDuration, WEEKDAY_LABELS, weekdayOf } from "~/kernel/time";
import type { AttendanceMode, AttendanceStatus, LevelOfCare } from "#db/schema";

/** The stored vocabularies (db/schema.ts), with this module's labels keyed by them. */
export type { AttendanceStatus, AttendanceMode };

export const ATTENDANCE_STATUSES = {
  present: { label: "Present", short: "Present", key: "p", attended: true },
  late: { label: "Late", short: "Late", key: "l", attended: true },
  left_early: { label: "Left early", short: "Left early", key: "e", attended: true },
  absent_excused: { label: "Absent (excused)", short: "Excused", key: "x", attended: false },
  absent_unexcused: { label: "Absent (unexcused)", short: "Unexcused", key: "a", attended: false },
} as const satisfies Record<AttendanceStatus, unknown>;
export const STATUS_KEYS = Object.keys(ATTENDANCE_STATUSES) as AttendanceStatus[];

export const ATTENDANCE_MODES = { in_person: "In person", telehealth: "Telehealth" } as const satisfies Record<AttendanceMode, unknown>;

export const isAttended = (status: string) => ATTENDANCE_STATUSES[status as AttendanceStatus]?.attended ?? false;

/**
 * What makes a day billable at each level of care: one per-diem unit per patient per day, when the
 * day's attended service reaches the level's own daily minimum.
 *
 * - IOP — HCPCS H0015 "Alcohol and/or drug services; intensive outpatient (treatment program that
 *   operates at least 3 hours/day and at least 3 days/week ...)": a day with at least 3 hours.
 *   (Virginia DMAS, 12VAC30-130-5090 A: "a minimum of three service hours per service day for
 *   adults"; it allows two for adolescents, a state variation not applied here.)
 * - PHP — HCPCS S0201 "Partial hospitalization services, less than 24 hours, per diem", on a facility
 *   claim with revenue code 0912 (less intensive) or 0913 (intensive) where the payer asks for one
 *   (TRICARE Policy Manual ch. 11 §2.5; Blue Cross NC facility behavioral-health reimbursement:
 *   "only one unit of PHP ... per date of service"): a day with at least 5 hours (Virginia DMAS,
 *   12VAC30-130-5100 A.2: "a minimum of 20 hours per week and at least five service hours per
 *   service day").
 * - OP — ASAM Level 1 has no per-diem unit: each counseling service is billed on its own (per
 *   session or per 15 minutes), so an OP day is never a billable day, however long.
 */
export const BILLABLE_DAY_RULES = {
  IOP: { code: "H0015", label: "IOP day (H0015)", minMinutes: 180 },
  PHP: { code: "S0201", label: "PHP day (S0201, rev. 0912/0913)", minMinutes: 300 },
  OP: null,
} as const satisfies Record<LevelOfCare, { code: string; label: string; minMinutes: number } | null>;

/** The IOP threshold (H0015): three hours. Kept for the figures that name it. */
export const BILLABLE_DAY_MINUTES = BILLABLE_DAY_RULES.IOP.minMinutes;

/** The code a day at this level bills under when it reaches its minimum, or null (not billable). */
export function billableCode(level: LevelOfCare, minutes: number): "H0015" | "S0201" | null {
  const rule = BILLABLE_DAY_RULES[level];
  return rule && minutes >= rule.minMinutes ? rule.code : null;
}

export interface DayAttended {
  date: string;
  level: LevelOfCare;
  minutes: number;
}

/** Billable days by code among days attended (each day at the level in effect that day). */
export function billableDays(days: readonly DayAttended[]): { H0015: number; S0201: number; total: number } {
  const out = { H0015: 0, S0201: 0, total: 0 };
  for (const d of days) {
    const code = billableCode(d.level, d.minutes);
    if (code) {
      out[code]++;
      out.total++;
    }
  }
  return out;
}

/**
 * The minutes a mark records: the whole session when present, none when absent, and what was
 * entered for late or left early, which must be said: a late arrival or an early leaver is credited
 * only the time they were there, never the full session by default (issue 18, item 7). Hours toward
 * the level of care are hours of service received (ASAM Criteria, 3rd ed., Level 2.1: "9 or more
 * hours of service a week"; H0015 bills a day of at least three such hours), and a late or early
 * mark with no minutes at all is an absence, so the entry runs from 1 to the session's length.
 * `who` names the patient in the message, which is read on its own beside their row.
 */
export function markMinutes(
  status: AttendanceStatus,
  entered: number | undefined,
  sessionMinutes: number,
  who: string,
): { minutes: number } | { error: string } {
  if (status === "present") return { minutes: sessionMinutes };
  if (!ATTENDANCE_STATUSES[status].attended) return { minutes: 0 };
  if (entered === undefined || Number.isNaN(entered)) return { error: `Say how many minutes ${who} attended (1–${sessionMinutes}).` };
  if (!Number.isInteger(entered) || entered < 1 || entered > sessionMinutes)
    return { error: `Minutes ${who} attended must be a whole number from 1 to ${sessionMinutes}, the session's length.` };
  return { minutes: entered };
}

/** A patient's episode of care as a week's requirement needs it. */
export interface CareSpan {
  dateOfBirth: string;
  admittedOn: string;
  dischargedOn: string | null;
  /** The episode's level-of-care changes (the first on admission), any order. */
  levels: readonly { level: LevelOfCare; effectiveOn: string }[];
  /** The level to use before any change is in effect (the patient's current level). */
  currentLevel: LevelOfCare;
}

export interface WeekRequirement {
  monday: string;
  /** Age on the week's Monday: it sets the ASAM band for the whole week. */
  ageOnMonday: number;
  adolescent: boolean;
  /** The band of the level in effect on the last day in care of the week (what the chart names). */
  band: ReturnType<typeof hourRequirement>;
  level: LevelOfCare;
  /** Days of the week (Monday–Sunday) in the episode: 0 to 7. */
  daysInCare: number;
  /** The minimum for this week in whole minutes, prorated for a partial week; null: not judged. */
  minMinutes: number | null;
  /** Why the week is partial ("admitted Thu", "IOP → OP from Wed"), or empty for a whole week. */
  partialReasons: string[];
  /** What the screen says about the week's requirement (partial weeks, weeks not judged), or null. */
  note: string | null;
  /** What the screen says about the age band: age on Monday decides. */
  ageNote: string;
}

const dayShort = (date: string) => WEEKDAY_LABELS[weekdayOf(date)].slice(0, 3);

/** The level in effect on a date: the latest change effective on or before it, else the fallback. */
export function levelOn(levels: CareSpan["levels"], date: string, fallback: LevelOfCare): LevelOfCare {
  let found: { level: LevelOfCare; effectiveOn: string } | null = null;
  for (const l of levels) if (l.effectiveOn <= date && (!found || l.effectiveOn >= found.effectiveOn)) found = l;
  return found?.level ?? fallback;
}

/**
 * The hours a week requires of a patient, the one rule both the live "Below required hours" flag
 * and the "Weeks at required hours" report use.
 *
 * Age: the band (ASAM adolescent IOP 6–19 h, adult 9–19 h) is set by the patient's age on the
 * week's Monday, for the whole week, so a birthday mid-week never moves the bar part-way through.
 *
 * Partial weeks (admission, discharge or a change of level part-way through) are prorated by
 * calendar days in care: each day in care owes 1/7 of the weekly minimum of the level in effect
 * that day (ASAM gives the floor as a weekly rate, "9 or more hours of service a week"; Virginia
 * DMAS 12VAC30-130-5090 A speaks of "an average of nine to 19 hours of services per week"), summed
 * and rounded up to the whole minute, so attended minutes at or above the figure shown always meet
 * it. Admission and discharge days count as in care; a change of level takes effect on its date.
 * Calendar days rather than program days: they follow from the episode's dates alone, the same for
 * the flag and the report, and a thin schedule cannot lower its own bar (what the flag is there to
 * catch). An OP day owes nothing (no floor), so a week at OP throughout is not judged.
 */
export function weekRequirement(monday: string, span: CareSpan): WeekRequirement {
  const sunday = addDays(monday, 6);
  const age = ageOn(span.dateOfBirth, monday);
  const adolescent = age < 18;
  let owed = 0;
  let daysInCare = 0;
  let anyFloor = false;
  let lastLevel = levelOn(span.levels, monday, span.currentLevel);
  for (let i = 0; i < 7; i++) {
    const day = addDays(monday, i);
    if (day < span.admittedOn || (span.dischargedOn !== null && day > span.dischargedOn)) continue;
    daysInCare++;
    lastLevel = levelOn(span.levels, day, span.currentLevel);
    const min = hourRequirement(lastLevel, adolescent).min;
    if (min !== null) {
      anyFloor = true;
      owed += min * 60;
    }
  }
  const partialReasons: string[] = [];
  if (span.admittedOn > monday && span.admittedOn <= sunday) partialReasons.push(`admitted ${dayShort(span.admittedOn)}`);
  const changes = [...span.levels]
    .filter((l) => l.effectiveOn > monday && l.effectiveOn <= sunday && l.effectiveOn > span.admittedOn)
    .sort((a, b) => (a.effectiveOn < b.effectiveOn ? -1 : 1));
  for (const c of changes) {
    const before = levelOn(span.levels, addDays(c.effectiveOn, -1), span.currentLevel);
    if (before !== c.level) partialReasons.push(`${before} → ${c.level} from ${dayShort(c.effectiveOn)}`);
  }
  if (span.dischargedOn !== null && span.dischargedOn >= monday && span.dischargedOn < sunday) partialReasons.push(`discharged ${dayShort(span.dischargedOn)}`);
  const minMinutes = daysInCare > 0 && anyFloor ? Math.ceil(owed / 7) : null;
  const band = hourRequirement(lastLevel, adolescent);
  let note: string | null = null;
  if (partialReasons.length) {
    const why = `Partial week: ${partialReasons.join(", ")}`;
    note =
      minMinutes === null ? `${why} — not judged (no weekly minimum at ${lastLevel})` : `${why} — required hours prorated to ${formatDuration(minMinutes)}`;
  }
  const bandName = adolescent ? "adolescent" : "adult";
  return {
    monday,
    ageOnMonday: age,
    adolescent,
    band,
    level: lastLevel,
    daysInCare,
    minMinutes,
    partialReasons,
    note,
    ageNote: `Hours band by age on the week's Monday: ${age}, ${bandName} (ASAM IOP ${adolescent ? "6" : "9"}–19 h a week)`,
  };
}

export interface WeekStanding {
  /** Minutes attended this week: the unit of truth, shown with `formatDuration` (never rounded up to an hour). */
  attendedMinutes: number;
  /** Minutes on their roster this week not yet marked and still possible (today or later). */
  remainingMinutes: number;
  /** Minutes of sessions on past days of the week with no mark for them: not possible any more. */
  rollMissingMinutes: number;
  requirement: WeekRequirement;
  /** Even attending everything left, they cannot reach the week's minimum. */
  belowRequired: boolean;
}

/**
 * Where a patient stands in a week. Flagged below required hours as soon as attended plus every
 * session still possible cannot reach the week's minimum (`weekRequirement`). A session whose day
 * is over with no mark for them is "roll missing": it is not possible any more, so it does not hide
 * a shortfall (taking the roll late then credits what they attended). Counted in whole minutes, so
 * the flag and the figures shown beside it (hours and minutes) can never disagree. With nothing
 * remaining (a week that is over), this is the report's judgement of the week.
 */
export function weekStanding(attendedMinutes: number, remainingMinutes: number, requirement: WeekRequirement, rollMissingMinutes = 0): WeekStanding {
  return {
    attendedMinutes,
    remainingMinutes,
    rollMissingMinutes,
    requirement,
    belowRequired: requirement.minMinutes !== null && attendedMinutes + remainingMinutes < requirement.minMinutes,
  };
}

/** An unmarked roster place is still possible through the session's own day (site time), then roll missing. */
export function rollMissing(sessionLocalDate: string, today: string): boolean {
  return sessionLocalDate < today;
}

/** Two unexcused absences in a row, most recent first: the counselor should reach out. */
export function missedSessions(marksNewestFirst: readonly string[]): boolean {
  return marksNewestFirst.length >= 2 && marksNewestFirst[0] === "absent_unexcused" && marksNewestFirst[1] === "absent_unexcused";
}

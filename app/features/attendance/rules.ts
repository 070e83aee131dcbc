/**
 * Attendance rules with no I/O: the marks a roll call can give, what counts as attended, the
 * billable-day threshold, and the two flags a counselor acts on (below required hours, missed
 * sessions).
 */
import { hourRequirement } from "~/features/scheduling/rules";
import type { AttendanceMode, AttendanceStatus } from "#db/schema";

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

/** A day with at least three attended hours of program services is a billable IOP day (HCPCS H0015). */
export const BILLABLE_DAY_MINUTES = 180;

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

/** Billable days among per-day attended minutes. */
export function billableDays(minutesByDay: Map<string, number> | Record<string, number>): number {
  const values = minutesByDay instanceof Map ? [...minutesByDay.values()] : Object.values(minutesByDay);
  return values.filter((m) => m >= BILLABLE_DAY_MINUTES).length;
}

export interface WeekStanding {
  /** Minutes attended this week: the unit of truth, shown with `formatDuration` (never rounded up to an hour). */
  attendedMinutes: number;
  /** Minutes on their roster this week not yet marked (still possible). */
  remainingMinutes: number;
  requirement: ReturnType<typeof hourRequirement>;
  /** Even attending everything left, they cannot reach the weekly minimum. */
  belowRequired: boolean;
}

/**
 * Where a patient stands this week. Flagged below required hours as soon as attended plus every
 * still-unmarked session on their roster cannot reach the minimum for their level and age. Counted
 * in whole minutes against the minimum in minutes, so the flag and the figure shown beside it
 * (hours and minutes) can never disagree.
 */
export function weekStanding(attendedMinutes: number, remainingMinutes: number, level: "IOP" | "PHP" | "OP", adolescent: boolean): WeekStanding {
  const requirement = hourRequirement(level, adolescent);
  return {
    attendedMinutes,
    remainingMinutes,
    requirement,
    belowRequired: requirement.min !== null && attendedMinutes + remainingMinutes < requirement.min * 60,
  };
}

/** Two unexcused absences in a row, most recent first: the counselor should reach out. */
export function missedSessions(marksNewestFirst: readonly string[]): boolean {
  return marksNewestFirst.length >= 2 && marksNewestFirst[0] === "absent_unexcused" && marksNewestFirst[1] === "absent_unexcused";
}

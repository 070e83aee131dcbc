/**
 * Scheduling rules with no I/O: weekly patterns expanded into dated sessions in the program's time
 * zone, overlaps, and the ASAM weekly hour bands. A group keeps its local wall-clock time across
 * daylight-saving changes; a time the clocks skip is reported, never shifted. Dates, weekdays,
 * clock times and zones come from the kernel's time module.
 */
import {
  addDays,
  clocksChangeOn,
  formatDuration,
  isCivilDate,
  isClockTime,
  localTimeExists,
  minutesBetween,
  missingTimeMessage,
  type Weekday,
  WEEKDAY_LABELS,
  WEEKDAYS,
  weekdayOf,
  zonedInstantOrNull,
} from "~/kernel/time";

/** The longest session a pattern may describe. */
const MAX_SESSION_MINUTES = 12 * 60;

export interface WeeklyPattern {
  days: Weekday[];
  startTime: string;
  endTime: string;
  startsOn: string;
  endsOn: string | null;
}

/** One dated session: `date` is the local civil date, the instants are UTC ISO. */
export interface Occurrence {
  date: string;
  startsAt: string;
  endsAt: string;
}

/** The pattern's meeting dates from `from` to `to` (inclusive), clipped to startsOn/endsOn. */
function meetingDates(p: WeeklyPattern, from: string, to: string): string[] {
  for (const d of [from, to, p.startsOn, p.endsOn ?? from]) if (!isCivilDate(d)) throw new Error(`Not a civil date: ${d}`);
  const first = from > p.startsOn ? from : p.startsOn;
  const last = p.endsOn !== null && p.endsOn < to ? p.endsOn : to;
  const dates: string[] = [];
  for (let date = first; date <= last; date = addDays(date, 1)) {
    if (p.days.includes(weekdayOf(date))) dates.push(date);
  }
  return dates;
}

/**
 * The occurrences of a weekly pattern from `from` to `to` (inclusive civil dates, clipped to startsOn/endsOn), in order.
 * A 09:00–12:00 group stays 09:00–12:00 local across DST changes (its UTC instants shift by an hour).
 * Occurrences whose local start or end time does not exist that day are returned in `skipped` with the reason, never silently shifted.
 * Expects a pattern that passes patternProblems (valid clock times, end after start).
 */
export function expandWeekly(
  p: WeeklyPattern,
  from: string,
  to: string,
  timeZone: string,
): { occurrences: Occurrence[]; skipped: { date: string; reason: string }[] } {
  const occurrences: Occurrence[] = [];
  const skipped: { date: string; reason: string }[] = [];
  for (const date of meetingDates(p, from, to)) {
    const startsAt = zonedInstantOrNull(date, p.startTime, timeZone);
    const endsAt = zonedInstantOrNull(date, p.endTime, timeZone);
    if (startsAt === null || endsAt === null) {
      skipped.push({ date, reason: missingTimeMessage(date, startsAt === null ? p.startTime : p.endTime, timeZone) });
    } else {
      occurrences.push({ date, startsAt, endsAt });
    }
  }
  return { occurrences, skipped };
}

/**
 * Validation for a pattern, each problem as a user-facing message keyed by field. A start or end
 * time the clocks skip on some meeting day of the first 53 weeks is reported under that field,
 * naming the first such date. startsOn itself is checked by the form schema. Returns {} when fine.
 */
export function patternProblems(p: WeeklyPattern, timeZone: string): Partial<Record<"days" | "startTime" | "endTime" | "endsOn", string>> {
  const problems: Partial<Record<"days" | "startTime" | "endTime" | "endsOn", string>> = {};
  if (p.days.length === 0) problems.days = "Choose the days the track meets.";
  if (!isClockTime(p.startTime)) problems.startTime = "Enter the start time as HH:MM (24-hour).";
  if (!isClockTime(p.endTime)) problems.endTime = "Enter the end time as HH:MM (24-hour).";
  else if (!problems.startTime) {
    const minutes = minutesBetween(p.startTime, p.endTime);
    if (minutes <= 0) problems.endTime = "The end time must be after the start time.";
    else if (minutes > MAX_SESSION_MINUTES) problems.endTime = "A session can be at most 12 hours long.";
  }
  if (p.endsOn !== null && !isCivilDate(p.endsOn)) problems.endsOn = "Enter the end date as YYYY-MM-DD.";
  else if (p.endsOn !== null && p.endsOn < p.startsOn) problems.endsOn = "The end date cannot be before the start date.";

  if (isCivilDate(p.startsOn) && !problems.endsOn) {
    // Only a date on which the clocks change can lose a time.
    const dates = meetingDates(p, p.startsOn, addDays(p.startsOn, 53 * 7 - 1)).filter((d) => clocksChangeOn(d, timeZone));
    for (const field of ["startTime", "endTime"] as const) {
      if (problems[field]) continue;
      const date = dates.find((d) => !localTimeExists(d, p[field], timeZone));
      if (date) problems[field] = missingTimeMessage(date, p[field], timeZone);
    }
  }
  return problems;
}

/** Half-open intervals [aStart,aEnd) and [bStart,bEnd) overlap (ISO strings compare as text). Touching end-to-start is not an overlap. */
export function overlaps(aStart: string, aEnd: string, bStart: string, bEnd: string): boolean {
  return aStart < bEnd && bStart < aEnd;
}

/**
 * ASAM weekly hour bands by level and age: adult IOP 9–19, adolescent IOP 6–19, PHP 20 or more,
 * OP below the IOP floor (under 9 for adults, under 6 for adolescents). `min` is inclusive and
 * `max` exclusive so the bands meet without gaps: IOP is 9 <= hours < 20; null means unbounded.
 */
export function hourRequirement(level: "IOP" | "PHP" | "OP", adolescent: boolean): { min: number | null; max: number | null; label: string } {
  const iopFloor = adolescent ? 6 : 9;
  switch (level) {
    case "IOP":
      return { min: iopFloor, max: 20, label: `${iopFloor}–19 hours a week` };
    case "PHP":
      return { min: 20, max: null, label: "20 or more hours a week" };
    case "OP":
      return { min: null, max: iopFloor, label: `Under ${iopFloor} hours a week` };
  }
}

/** "Mon, Wed, Fri" in week order. */
export function dayList(days: readonly Weekday[]): string {
  return WEEKDAYS.filter((d) => days.includes(d))
    .map((d) => WEEKDAY_LABELS[d].slice(0, 3))
    .join(", ");
}

/** A track's scheduled minutes a week: its meeting days times the length of its day. */
export function trackWeeklyMinutes(track: { days: readonly Weekday[]; startTime: string; endTime: string }): number {
  return new Set(track.days).size * Math.max(0, minutesBetween(track.startTime, track.endTime));
}

const LEVEL_NAMES: Record<"IOP" | "PHP" | "OP", string> = { IOP: "intensive outpatient", PHP: "partial hospitalization", OP: "outpatient" };

/** "9–19 h a week", "20 h or more a week", "under 9 h a week": the band of hourRequirement in the words of a warning. */
function bandWords(level: "IOP" | "PHP" | "OP", adolescent: boolean): string {
  const { min, max } = hourRequirement(level, adolescent);
  if (min !== null && max !== null) return `${min}–${max - 1} h a week`;
  if (min !== null) return `${min} h or more a week`;
  return `under ${max} h a week`;
}

/**
 * Why a track does not suit a patient's level of care, or null when it does: its scheduled weekly
 * hours against the ASAM band of hourRequirement (adult IOP 9–19 h, adolescent IOP 6–19 h, PHP 20
 * h or more, OP under the IOP floor; ASAM Criteria, 3rd ed., Levels 1, 2.1 and 2.5). The band is
 * judged on whole minutes, so 8 h 59 min is below 9 h and never rounded into it. E.g. "The OP
 * Weekly track is 1 h 30 min a week; intensive outpatient needs 9–19 h a week for an adult."
 */
export function trackHoursMismatch(
  track: { name: string; days: readonly Weekday[]; startTime: string; endTime: string },
  level: "IOP" | "PHP" | "OP",
  adolescent: boolean,
): string | null {
  const minutes = trackWeeklyMinutes(track);
  const { min, max } = hourRequirement(level, adolescent);
  if ((min === null || minutes >= min * 60) && (max === null || minutes < max * 60)) return null;
  const named = /\btrack$/i.test(track.name) ? track.name : `The ${track.name} track`;
  return `${named} is ${formatDuration(minutes)} a week; ${LEVEL_NAMES[level]} needs ${bandWords(level, adolescent)} for ${adolescent ? "an adolescent" : "an adult"}.`;
}

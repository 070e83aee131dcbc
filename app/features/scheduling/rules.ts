/**
 * Scheduling rules with no I/O: weekdays, clock times, weekly patterns expanded into dated
 * sessions in the program's time zone, and the ASAM weekly hour bands. A group keeps its local
 * wall-clock time across daylight-saving changes; a time the clocks skip is reported, never shifted.
 */
import dayjs from "dayjs";
import timezone from "dayjs/plugin/timezone";
import utc from "dayjs/plugin/utc";
import { isCivilDate } from "~/utils/time";

dayjs.extend(utc);
dayjs.extend(timezone);

export const WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
export type Weekday = (typeof WEEKDAYS)[number];
export const WEEKDAY_LABELS: Record<Weekday, string> = {
  mon: "Monday",
  tue: "Tuesday",
  wed: "Wednesday",
  thu: "Thursday",
  fri: "Friday",
  sat: "Saturday",
  sun: "Sunday",
};

const CLOCK_TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
/** The longest session a pattern may describe. */
const MAX_SESSION_MINUTES = 12 * 60;

/** "HH:MM" 24-hour */
export function isClockTime(s: string): boolean {
  return CLOCK_TIME.test(s);
}

const minutesOfDay = (time: string) => {
  const [h, m] = time.split(":").map(Number);
  return h * 60 + m;
};

/** Minutes from a start "HH:MM" to an end "HH:MM" on the same day; negative or zero when end is not after start. */
export function minutesBetween(start: string, end: string): number {
  return minutesOfDay(end) - minutesOfDay(start);
}

/** The weekday of a civil date YYYY-MM-DD. */
export function weekdayOf(date: string): Weekday {
  // getUTCDay counts Sunday as 0; WEEKDAYS starts on Monday.
  return WEEKDAYS[(new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7];
}

/** Civil date plus n days. */
export function addDays(date: string, n: number): string {
  // Plain UTC arithmetic: a civil date has no zone, and this runs for every day of a year-long check.
  return new Date(Date.parse(`${date}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}

/** Monday (civil date) of the week that contains `date` (weeks run Monday–Sunday). */
export function weekStart(date: string): string {
  return addDays(date, -WEEKDAYS.indexOf(weekdayOf(date)));
}

const MINUTE_MS = 60_000;

const noonOffsets = new Map<string, number>();

/**
 * The zone's UTC offset in minutes at local noon of a date (noon is never inside a change). Read from
 * dayjs.tz's offset rather than its formatted output, which depends on the server's own zone. Memoized
 * (zone rules do not change while the server runs) because a year of sessions asks for every day twice.
 */
function noonOffset(date: string, timeZone: string): number {
  const key = `${timeZone} ${date}`;
  let offset = noonOffsets.get(key);
  if (offset === undefined) {
    if (noonOffsets.size >= 20_000) noonOffsets.clear();
    offset = dayjs.tz(`${date}T12:00:00`, timeZone).utcOffset();
    noonOffsets.set(key, offset);
  }
  return offset;
}

/** The zone's UTC offset in minutes at an instant. */
const offsetAt = (ms: number, timeZone: string) => dayjs(ms).tz(timeZone).utcOffset();

/** Do the clocks change between noon the day before and noon the day after (so somewhere on this date)? */
const clocksChangeOn = (date: string, timeZone: string) => noonOffset(addDays(date, -1), timeZone) !== noonOffset(addDays(date, 1), timeZone);

/**
 * Every UTC instant (ms) that reads as this local date and time in the zone, earliest first: none in a
 * spring-forward gap, two in a fall-back overlap. Not dayjs.tz(string) alone: it silently moves a skipped
 * time and picks either side of a repeated one depending on today's offset. Instead each offset the zone
 * uses around that day is tried and kept only if it round-trips (local -> UTC -> the same local time).
 */
function instantsOf(date: string, time: string, timeZone: string): number[] {
  if (!isCivilDate(date) || !isClockTime(time)) throw new Error(`Not a local date and time: ${date} ${time}`);
  const wall = Date.parse(`${date}T${time}:00Z`);
  const before = noonOffset(addDays(date, -1), timeZone);
  const after = noonOffset(addDays(date, 1), timeZone);
  if (before === after) return [wall - before * MINUTE_MS];
  return [before, after]
    .filter((offset) => offsetAt(wall - offset * MINUTE_MS, timeZone) === offset)
    .map((offset) => wall - offset * MINUTE_MS)
    .sort((a, b) => a - b);
}

/** Does this local wall-clock time exist on that date in that zone? (false inside a spring-forward gap, e.g. 02:30 on 2026-03-08 in America/New_York). */
export function localTimeExists(date: string, time: string, timeZone: string): boolean {
  return instantsOf(date, time, timeZone).length > 0;
}

/**
 * UTC ISO instant of a local date+time in a zone; throws if the time does not exist there.
 * A repeated fall-back time (01:30 on 2026-11-01 in New York) resolves to its first occurrence,
 * the one still on daylight time (05:30Z, not 06:30Z): a session booked for 01:30 starts the
 * first time the clock shows 01:30.
 */
export function zonedInstant(date: string, time: string, timeZone: string): string {
  const [first] = instantsOf(date, time, timeZone);
  if (first === undefined) throw new Error(missingTimeMessage(date, time, timeZone));
  return new Date(first).toISOString();
}

/** The user-facing reason a local time cannot be scheduled on a date. */
function missingTimeMessage(date: string, time: string, timeZone: string): string {
  return `${time} does not exist on ${WEEKDAY_LABELS[weekdayOf(date)]} ${date} in ${timeZone} (clocks spring forward)`;
}

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
    const [start] = instantsOf(date, p.startTime, timeZone);
    const [end] = instantsOf(date, p.endTime, timeZone);
    if (start === undefined || end === undefined) {
      skipped.push({ date, reason: missingTimeMessage(date, start === undefined ? p.startTime : p.endTime, timeZone) });
    } else {
      occurrences.push({ date, startsAt: new Date(start).toISOString(), endsAt: new Date(end).toISOString() });
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

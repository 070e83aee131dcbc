/**
 * Time, in one place: civil dates ("YYYY-MM-DD"), weekdays and week starts, clock times ("HH:MM"),
 * site time zones (IANA names) and the UTC instants where the two meet.
 *
 * One mechanism: the platform's `Intl` time-zone data, nothing else. Civil-date arithmetic is plain
 * UTC arithmetic on `Date` (a civil date has no zone), and a zone's offset at an instant is read
 * from `Intl.DateTimeFormat#formatToParts`, so every answer is the same whatever zone the server
 * itself runs in. Not dayjs with its utc/timezone plugins: they read the same `Intl` data through
 * a slower layer, `dayjs.tz(string)` silently moves a time the clocks skip and picks either side
 * of a repeated one depending on today's offset, and two ways of reading an offset had begun to
 * disagree at the edges. (dayjs stays installed only because `@mantine/dates` needs it.)
 *
 * Daylight saving:
 * - A local time inside a spring-forward gap (02:30 on 2026-03-08 in America/New_York) does not
 *   exist: `localTimeExists` says so and `zonedInstant` throws with a message a person can read;
 *   nothing is shifted silently.
 * - A repeated fall-back time (01:30 on 2026-11-01 in New York) resolves to its first occurrence,
 *   the one still on daylight time: a session booked for 01:30 starts the first time the clock
 *   shows 01:30.
 * - A day is [startOfDayUtc, endOfDayUtc): 23 hours on a spring-forward day, 25 on a fall-back
 *   day. Where midnight itself is skipped, the day starts at the change, its first minute.
 * - Weeks run Monday to Sunday.
 */

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

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

// ---------------------------------------------------------------------------------------------
// Formatters

/**
 * Building an `Intl.DateTimeFormat` costs far more than using one (a week's schedule formats
 * 800 clock times: building a formatter for each was half the page's server time). One formatter
 * per locale and options, kept for the life of the process; there are only as many as there are
 * formats times the sites' time zones.
 */
const formatters = new Map<string, Intl.DateTimeFormat>();

export function dateTimeFormat(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, options);
    formatters.set(key, f);
  }
  return f;
}

// ---------------------------------------------------------------------------------------------
// Civil dates and weeks

const CIVIL_DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * A real calendar date written YYYY-MM-DD (not 2026-02-30). Years before 100 are refused: no date
 * the clinic records is that old, and they are what a mistyped year usually looks like.
 */
export function isCivilDate(value: string): boolean {
  if (!CIVIL_DATE.test(value) || value < "0100") return false;
  const ms = Date.parse(`${value}T00:00:00Z`);
  return !Number.isNaN(ms) && new Date(ms).toISOString().slice(0, 10) === value;
}

/** Civil date plus n days. */
export function addDays(date: string, n: number): string {
  // Plain UTC arithmetic: a civil date has no zone, and this runs for every day of a year-long check.
  return new Date(Date.parse(`${date}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

/** Days from one civil date to another (0 on the same day, negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

/** The weekday of a civil date YYYY-MM-DD. */
export function weekdayOf(date: string): Weekday {
  // getUTCDay counts Sunday as 0; WEEKDAYS starts on Monday.
  return WEEKDAYS[(new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7];
}

/** Monday (civil date) of the week that contains `date` (weeks run Monday–Sunday). */
export function weekStart(date: string): string {
  return addDays(date, -WEEKDAYS.indexOf(weekdayOf(date)));
}

// ---------------------------------------------------------------------------------------------
// Clock times

const CLOCK_TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

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

/**
 * A length of time in hours and minutes, as people read it: "8 h 59 min", "9 h" (only when exactly
 * 9 h 0 min), "45 min" under an hour, "0 min" for nothing. Minutes are the unit of truth: a part
 * minute is dropped, never rounded up, so a figure shown beside "Below required hours" never reads
 * as the minimum it falls short of (539 minutes is "8 h 59 min", not "9 h" or "9.0 h").
 */
export function formatDuration(minutes: number): string {
  const whole = Math.max(0, Math.floor(minutes));
  const h = Math.floor(whole / 60);
  const m = whole % 60;
  if (h === 0) return `${m} min`;
  return m === 0 ? `${h} h` : `${h} h ${m} min`;
}

// ---------------------------------------------------------------------------------------------
// Zones

/** The zone a site's pages read days and clock times in; UTC when there is no site. */
export function siteZone(site: { time_zone: string } | null | undefined): string {
  return site?.time_zone ?? "UTC";
}

/** The wall clock in a zone at an instant, as numbers (hourCycle h23: midnight is 0, never 24). */
function wallClock(ms: number, timeZone: string) {
  const parts: Record<string, number> = {};
  const format = dateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  });
  for (const p of format.formatToParts(new Date(ms))) if (p.type !== "literal") parts[p.type] = Number(p.value);
  return parts as { year: number; month: number; day: number; hour: number; minute: number; second: number };
}

/** Minutes the zone is ahead of UTC at an instant. */
function offsetAt(ms: number, timeZone: string): number {
  const w = wallClock(ms, timeZone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return Math.round((asUtc - Math.floor(ms / 1000) * 1000) / MINUTE_MS);
}

const noonOffsets = new Map<string, number>();

/**
 * The zone's UTC offset in minutes at local noon of a date (noon is never inside a change). Memoized
 * (zone rules do not change while the server runs) because a year of sessions asks for every day twice.
 */
function noonOffset(date: string, timeZone: string): number {
  const key = `${timeZone} ${date}`;
  let offset = noonOffsets.get(key);
  if (offset === undefined) {
    if (noonOffsets.size >= 20_000) noonOffsets.clear();
    const noon = Date.parse(`${date}T12:00:00Z`);
    // Noon UTC is within 14 hours of local noon, on the same side of any change as local noon
    // for every zone in use; the second reading settles zones far from UTC.
    offset = offsetAt(noon - offsetAt(noon, timeZone) * MINUTE_MS, timeZone);
    noonOffsets.set(key, offset);
  }
  return offset;
}

/**
 * Do the clocks change between noon the day before and noon the day after? True on every date a
 * change falls on (and on the dates either side of it): a cheap filter before asking whether a time exists.
 */
export function clocksChangeOn(date: string, timeZone: string): boolean {
  return noonOffset(addDays(date, -1), timeZone) !== noonOffset(addDays(date, 1), timeZone);
}

/**
 * Every UTC instant (ms) that reads as this local date and time in the zone, earliest first: none in a
 * spring-forward gap, two in a fall-back overlap. Each offset the zone uses around that day is tried
 * and kept only if it round-trips (local -> UTC -> the same local time).
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

/** The user-facing reason a local time cannot be scheduled on a date. */
export function missingTimeMessage(date: string, time: string, timeZone: string): string {
  return `${clock12(time)} does not exist on ${longDate(date)} in ${timeZone} (clocks spring forward)`;
}

/**
 * UTC ISO instant of a local date+time in a zone, or null where the clocks skip that time. A
 * repeated fall-back time resolves to its first occurrence (see the top of this module).
 */
export function zonedInstantOrNull(date: string, time: string, timeZone: string): string | null {
  const [first] = instantsOf(date, time, timeZone);
  return first === undefined ? null : new Date(first).toISOString();
}

/**
 * UTC ISO instant of a local date+time in a zone; throws if the time does not exist there.
 * A repeated fall-back time (01:30 on 2026-11-01 in New York) resolves to its first occurrence,
 * the one still on daylight time (05:30Z, not 06:30Z): a session booked for 01:30 starts the
 * first time the clock shows 01:30.
 */
export function zonedInstant(date: string, time: string, timeZone: string): string {
  const instant = zonedInstantOrNull(date, time, timeZone);
  if (instant === null) throw new Error(missingTimeMessage(date, time, timeZone));
  return instant;
}

/**
 * The UTC instant at which a civil date starts in a time zone (DST-safe, and the same whatever
 * zone the server itself runs in). Where midnight is skipped by a clock change, the day starts at
 * the first minute that exists.
 */
export function startOfDayUtc(date: string, timeZone: string): string {
  const [first] = instantsOf(date, "00:00", timeZone);
  if (first !== undefined) return new Date(first).toISOString();
  // Midnight falls in a spring-forward gap; read with the offset before the change it lands on the
  // change itself (gaps at midnight start at midnight), the first instant of the new day.
  return new Date(Date.parse(`${date}T00:00:00Z`) - noonOffset(addDays(date, -1), timeZone) * MINUTE_MS).toISOString();
}

/** The UTC instant at which the day after a civil date starts, for half-open ranges. */
export function endOfDayUtc(date: string, timeZone: string): string {
  return startOfDayUtc(addDays(date, 1), timeZone);
}

// ---------------------------------------------------------------------------------------------
// Showing dates and times to people (docs/decisions/0010-dates-and-times-on-screen.md)
//
// One convention for the whole site, US clinics: dates "Sat, Dec 5, 2026" (longDate) or "Dec 5, 2026"
// in dense tables (shortDate), always with the year; times on a 12-hour clock, "9:30 AM" (clock12,
// clockAt); ranges "9:30–11:30 AM", or "11:30 AM–1:00 PM" across noon (timeRange, instantRange);
// instants "Dec 5, 2026, 9:30 AM" in the site's zone (formatInstant), or with seconds and the zone's
// abbreviation where a record's exact moment matters (formatInstantExact). Stored and machine values
// (URLs, form values, CSV cells) stay ISO: "2026-12-05", "09:30", "2026-12-05T14:30:00.000Z".
// Everything goes through Intl "en-US" with a 12-hour clock; a narrow no-break space some ICU
// versions put before AM/PM is made a plain space so the server and the browser render alike.

const tidy = (s: string) => s.replace(/[\u202f\u2009]/g, " ");

const CLOCK_12: Intl.DateTimeFormatOptions = { hour: "numeric", minute: "2-digit", hour12: true };

/** Shows a UTC instant as the clinic reads it, in the site's time zone: "Mar 9, 2026, 9:05 AM". */
export function formatInstant(iso: string, timeZone: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return tidy(dateTimeFormat("en-US", { timeZone, month: "short", day: "numeric", year: "numeric", ...CLOCK_12 }).format(d));
}

/**
 * A UTC instant with seconds and the zone's abbreviation, for records where the exact moment is the
 * point (the audit log, sign-ins): "Mar 9, 2026, 9:05:07 AM EDT".
 */
export function formatInstantExact(iso: string, timeZone: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return tidy(
    dateTimeFormat("en-US", { timeZone, month: "short", day: "numeric", year: "numeric", ...CLOCK_12, second: "2-digit", timeZoneName: "short" }).format(d),
  );
}

/**
 * A UTC instant as the zone's wall clock "HH:MM" on a 24-hour clock: a machine value (a time input's
 * value, a comparison), never for display — show clockAt() instead.
 */
export function localClock(iso: string, timeZone: string): string {
  return dateTimeFormat("en-GB", { timeZone, hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(new Date(iso));
}

/** A stored clock time "HH:MM" (24-hour) as people read it: "09:30" → "9:30 AM", "00:00" → "12:00 AM", "13:05" → "1:05 PM". */
export function clock12(time: string): string {
  if (!isClockTime(time)) return time;
  return tidy(dateTimeFormat("en-US", { timeZone: "UTC", ...CLOCK_12 }).format(new Date(`1970-01-01T${time}:00Z`)));
}

/** A UTC instant as the zone's wall clock, 12-hour: "9:30 AM". */
export function clockAt(iso: string, timeZone: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return tidy(dateTimeFormat("en-US", { timeZone, ...CLOCK_12 }).format(d));
}

/** Two displayed clock times as one range: "9:30–11:30 AM" when both fall on the same side of noon, else "11:30 AM–1:00 PM". */
function joinClocks(start: string, end: string): string {
  const period = / ([AP]M)$/;
  const a = period.exec(start);
  const b = period.exec(end);
  if (a && b && a[1] === b[1]) return `${start.slice(0, a.index)}–${end}`;
  return `${start}–${end}`;
}

/** A range of stored clock times "HH:MM": ("09:30", "11:30") → "9:30–11:30 AM"; ("11:30", "13:00") → "11:30 AM–1:00 PM". */
export function timeRange(start: string, end: string): string {
  return joinClocks(clock12(start), clock12(end));
}

/** A range of UTC instants read in a zone: "9:30–11:30 AM" (the wall clock, so a DST day reads as the clock did). */
export function instantRange(startIso: string, endIso: string, timeZone: string): string {
  return joinClocks(clockAt(startIso, timeZone), clockAt(endIso, timeZone));
}

const civilNoon = (date: string) => new Date(`${date}T12:00:00Z`);

/** Shows a civil date as "Mon, Mar 9, 2026" (read at noon UTC, so no zone can move it to another day). */
export function longDate(date: string): string {
  if (!isCivilDate(date)) return date;
  return dateTimeFormat("en-US", { timeZone: "UTC", weekday: "short", month: "short", day: "numeric", year: "numeric" }).format(civilNoon(date));
}

/** Shows a civil date as "Mar 9, 2026", for dense tables and running text; always with the year. */
export function shortDate(date: string): string {
  if (!isCivilDate(date)) return date;
  return dateTimeFormat("en-US", { timeZone: "UTC", month: "short", day: "numeric", year: "numeric" }).format(civilNoon(date));
}

/** A calendar month "YYYY-MM" as "Oct 2026". */
export function monthYear(month: string): string {
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) return month;
  return dateTimeFormat("en-US", { timeZone: "UTC", month: "short", year: "numeric" }).format(civilNoon(`${month}-15`));
}

/** shortDate, or a dash (or the given word) when there is no date. */
export function shortDateOr(date: string | null | undefined, none = "—"): string {
  return date ? shortDate(date) : none;
}

/** A span of civil dates: "Mar 9, 2026 – Apr 3, 2026"; an open end reads "Mar 9, 2026 – now" (or the given word). */
export function dateRange(from: string, to: string | null | undefined, open = "now"): string {
  return `${shortDate(from)} – ${to ? shortDate(to) : open}`;
}

/** A civil date and a stored clock time: "Mon, Mar 9, 2026, 9:30 AM". */
export function dateAndClock(date: string, time: string): string {
  return `${longDate(date)}, ${clock12(time)}`;
}

/**
 * What a screen or an export says about machine-readable values it carries (CSV cells stay ISO so a
 * spreadsheet sorts them; people are told so).
 */
export const CSV_DATE_NOTE =
  'Dates in this file are written YYYY-MM-DD and months YYYY-MM, in the site\'s time zone; on screen they read "Dec 7, 2026" and "Dec 2026".';

/** Today's civil date in a zone. */
export function todayIn(timeZone: string, now = new Date()): string {
  const w = wallClock(now.getTime(), timeZone);
  return `${String(w.year).padStart(4, "0")}-${String(w.month).padStart(2, "0")}-${String(w.day).padStart(2, "0")}`;
}

import dayjs from "dayjs";
import timezone from "dayjs/plugin/timezone";
import utc from "dayjs/plugin/utc";
import { dateTimeFormat } from "./intl";

dayjs.extend(utc);
dayjs.extend(timezone);

const CIVIL_DATE = /^\d{4}-\d{2}-\d{2}$/;

export function isCivilDate(value: string): boolean {
  if (!CIVIL_DATE.test(value)) return false;
  const d = dayjs.utc(value, "YYYY-MM-DD");
  return d.isValid() && d.format("YYYY-MM-DD") === value;
}

/** Minutes the zone is ahead of UTC at an instant, read from Intl (independent of the server's own zone). */
function offsetMinutes(instantMs: number, timeZone: string): number {
  const parts = Object.fromEntries(
    dateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    })
      .formatToParts(new Date(instantMs))
      .map((p) => [p.type, p.value]),
  );
  const asUtc = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
  return Math.round((asUtc - Math.floor(instantMs / 1000) * 1000) / 60_000);
}

/**
 * The UTC instant at which a civil date starts in a time zone (DST-safe, and the same whatever
 * zone the server itself runs in). Where midnight is skipped by a clock change, the day starts at
 * the first minute that exists.
 */
export function startOfDayUtc(date: string, timeZone: string): string {
  const naive = Date.parse(`${date}T00:00:00Z`);
  let guess = naive - offsetMinutes(naive, timeZone) * 60_000;
  guess = naive - offsetMinutes(guess, timeZone) * 60_000;
  return new Date(guess).toISOString();
}

/** The UTC instant at which the day after a civil date starts, for half-open ranges. */
export function endOfDayUtc(date: string, timeZone: string): string {
  const next = dayjs.utc(date).add(1, "day").format("YYYY-MM-DD");
  return startOfDayUtc(next, timeZone);
}

export function todayIn(timeZone: string, now = new Date()): string {
  return dayjs(now).tz(timeZone).format("YYYY-MM-DD");
}

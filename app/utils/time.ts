import dayjs from "dayjs";
import timezone from "dayjs/plugin/timezone";
import utc from "dayjs/plugin/utc";

dayjs.extend(utc);
dayjs.extend(timezone);

const CIVIL_DATE = /^\d{4}-\d{2}-\d{2}$/;

export function isCivilDate(value: string): boolean {
  if (!CIVIL_DATE.test(value)) return false;
  const d = dayjs.utc(value, "YYYY-MM-DD");
  return d.isValid() && d.format("YYYY-MM-DD") === value;
}

/** The UTC instant at which a civil date starts in a time zone (DST-safe). */
export function startOfDayUtc(date: string, timeZone: string): string {
  return dayjs.tz(`${date}T00:00:00`, timeZone).utc().toISOString();
}

/** The UTC instant at which the day after a civil date starts, for half-open ranges. */
export function endOfDayUtc(date: string, timeZone: string): string {
  const next = dayjs.utc(date).add(1, "day").format("YYYY-MM-DD");
  return startOfDayUtc(next, timeZone);
}

export function todayIn(timeZone: string, now = new Date()): string {
  return dayjs(now).tz(timeZone).format("YYYY-MM-DD");
}

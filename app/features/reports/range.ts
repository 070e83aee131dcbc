/** The filters every report takes, read from the URL with the reasons a range is refused. */
import { addDays, isCivilDate } from "~/kernel/time";

/** The longest range a report reads: two years. */
export const MAX_RANGE_DAYS = 731;

export interface RangeInput {
  from: string;
  to: string;
  trackId: string | null;
  counselorId: string | null;
}

/** A report opens on the last eight weeks unless it says otherwise. */
export const DEFAULT_RANGE_DAYS = 56;

export function readRange(sp: URLSearchParams, today: string, defaultDays = DEFAULT_RANGE_DAYS): { value: RangeInput; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const fromText = sp.get("from") ?? "";
  const toText = sp.get("to") ?? "";
  let to = toText && isCivilDate(toText) ? toText : today;
  let from = fromText && isCivilDate(fromText) ? fromText : addDays(to, -(defaultDays - 1));
  if (fromText && !isCivilDate(fromText)) errors.from = "Enter the first day as a date (YYYY-MM-DD).";
  if (toText && !isCivilDate(toText)) errors.to = "Enter the last day as a date (YYYY-MM-DD).";
  if (!errors.from && !errors.to) {
    if (to < from) {
      errors.to = "The last day is before the first day.";
      to = from;
    } else if (Date.parse(to) - Date.parse(from) > MAX_RANGE_DAYS * 86_400_000) {
      errors.from = "Choose a range of two years or less.";
      from = addDays(to, -MAX_RANGE_DAYS);
    }
  }
  const id = (key: string) => {
    const v = (sp.get(key) ?? "").trim();
    return v && v.length <= 64 ? v : null;
  };
  return { value: { from, to, trackId: id("track"), counselorId: id("counselor") }, errors };
}

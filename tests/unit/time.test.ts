import { describe, expect, it, vi } from "vitest";
import {
  WEEKDAYS,
  WEEKDAY_LABELS,
  addDays,
  clocksChangeOn,
  daysBetween,
  dateAndClock,
  dateRange,
  dateTimeFormat,
  endOfDayUtc,
  clock12,
  clockAt,
  formatInstant,
  formatInstantExact,
  instantRange,
  missingTimeMessage,
  shortDate,
  shortDateOr,
  timeRange,
  isCivilDate,
  isClockTime,
  localClock,
  localTimeExists,
  longDate,
  minutesBetween,
  siteZone,
  startOfDayUtc,
  todayIn,
  weekStart,
  weekdayOf,
  zonedInstant,
  zonedInstantOrNull,
} from "~/kernel/time";

const NY = "America/New_York";
const LONDON = "Europe/London";
const SYDNEY = "Australia/Sydney";
const LA = "America/Los_Angeles";
const AUCKLAND = "Pacific/Auckland";
const HOUR = 3600_000;

describe("weekdays and clock times", () => {
  it("labels every weekday, Monday first", () => {
    expect(WEEKDAYS[0]).toBe("mon");
    expect(WEEKDAYS.map((d) => WEEKDAY_LABELS[d])).toEqual(["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]);
  });

  it("accepts only 24-hour HH:MM", () => {
    for (const ok of ["00:00", "09:05", "12:00", "23:59"]) expect(isClockTime(ok)).toBe(true);
    for (const bad of ["24:00", "9:00", "09:60", "09:00:00", "9am", "", " 09:00"]) expect(isClockTime(bad)).toBe(false);
  });

  it("counts minutes between two times on the same day", () => {
    expect(minutesBetween("09:00", "12:00")).toBe(180);
    expect(minutesBetween("17:30", "20:45")).toBe(195);
    expect(minutesBetween("12:00", "12:00")).toBe(0);
    expect(minutesBetween("12:00", "09:00")).toBe(-180);
  });
});

describe("civil dates", () => {
  it("gives the weekday of a date across a year boundary", () => {
    expect(weekdayOf("2026-12-31")).toBe("thu");
    expect(weekdayOf("2027-01-01")).toBe("fri");
    expect(weekdayOf("2027-01-03")).toBe("sun");
    expect(weekdayOf("2026-03-08")).toBe("sun");
  });

  it("adds days across months, years and leap days", () => {
    expect(addDays("2026-12-31", 1)).toBe("2027-01-01");
    expect(addDays("2026-03-01", -1)).toBe("2026-02-28");
    expect(addDays("2028-02-28", 1)).toBe("2028-02-29");
    expect(addDays("2026-03-07", 2)).toBe("2026-03-09");
    expect(addDays("2026-05-05", 0)).toBe("2026-05-05");
  });

  it("counts calendar days, zero on the same day, across month ends and DST changes", () => {
    const TODAY = "2026-12-01";
    expect(daysBetween(TODAY, TODAY)).toBe(0);
    expect(daysBetween("2026-11-01", TODAY)).toBe(30);
    expect(daysBetween("2026-03-07", "2026-03-09")).toBe(2);
    expect(daysBetween("2024-02-28", "2024-03-01")).toBe(2);
    expect(daysBetween(TODAY, "2026-11-30")).toBe(-1);
  });

  it("finds the Monday that starts the week", () => {
    expect(weekStart("2026-03-09")).toBe("2026-03-09"); // a Monday is its own week start
    expect(weekStart("2026-03-08")).toBe("2026-03-02"); // a Sunday ends the week
    expect(weekStart("2027-01-03")).toBe("2026-12-28"); // across the year boundary
  });
});

describe("localTimeExists and zonedInstant", () => {
  it("knows the spring-forward gap", () => {
    expect(localTimeExists("2026-03-08", "02:30", NY)).toBe(false);
    expect(localTimeExists("2026-03-08", "02:00", NY)).toBe(false);
    expect(localTimeExists("2026-03-08", "01:59", NY)).toBe(true);
    expect(localTimeExists("2026-03-08", "03:00", NY)).toBe(true);
    expect(localTimeExists("2026-03-07", "02:30", NY)).toBe(true);
    expect(localTimeExists("2026-11-01", "01:30", NY)).toBe(true);
  });

  it("converts ordinary local times on either side of a change", () => {
    expect(zonedInstant("2026-03-07", "09:00", NY)).toBe("2026-03-07T14:00:00.000Z");
    expect(zonedInstant("2026-03-08", "03:00", NY)).toBe("2026-03-08T07:00:00.000Z");
    expect(zonedInstant("2026-07-01", "09:00", NY)).toBe("2026-07-01T13:00:00.000Z");
  });

  it("throws instead of shifting a time the clocks skip", () => {
    expect(() => zonedInstant("2026-03-08", "02:30", NY)).toThrow("2:30 AM does not exist on Sun, Mar 8, 2026 in America/New_York");
  });

  it("throws on input that is not a date and time", () => {
    expect(() => zonedInstant("2026-02-30", "09:00", NY)).toThrow();
    expect(() => zonedInstant("2026-03-08", "9:00", NY)).toThrow();
  });

  it("resolves a repeated fall-back time to its first (daylight) occurrence", () => {
    expect(zonedInstant("2026-11-01", "01:30", NY)).toBe("2026-11-01T05:30:00.000Z"); // 01:30 EDT, not 06:30Z EST
    expect(zonedInstant("2026-11-01", "00:59", NY)).toBe("2026-11-01T04:59:00.000Z");
    expect(zonedInstant("2026-11-01", "02:00", NY)).toBe("2026-11-01T07:00:00.000Z"); // only once, after the change
    expect(zonedInstant("2026-10-25", "01:30", LONDON)).toBe("2026-10-25T00:30:00.000Z"); // BST, not GMT
    expect(zonedInstant("2026-04-05", "02:30", SYDNEY)).toBe("2026-04-04T15:30:00.000Z"); // AEDT, not AEST
  });

  it("picks the same occurrence whatever today's date is (dayjs.tz alone guesses from today's offset)", () => {
    vi.useFakeTimers();
    try {
      for (const today of ["2027-01-15T12:00:00Z", "2027-07-15T12:00:00Z"]) {
        vi.setSystemTime(new Date(today));
        expect(zonedInstant("2026-11-01", "01:30", NY)).toBe("2026-11-01T05:30:00.000Z");
        expect(zonedInstant("2026-04-05", "02:30", SYDNEY)).toBe("2026-04-04T15:30:00.000Z");
      }
    } finally {
      vi.useRealTimers();
    }
  });
});

describe("time helpers across the 2026 DST changes in New York", () => {
  it("starts 7 March (EST) at 05:00 UTC", () => {
    expect(startOfDayUtc("2026-03-07", NY)).toBe("2026-03-07T05:00:00.000Z");
  });

  it("makes 8 March 2026, when clocks spring forward, 23 hours long", () => {
    const start = startOfDayUtc("2026-03-08", NY);
    const end = endOfDayUtc("2026-03-08", NY);
    expect(start).toBe("2026-03-08T05:00:00.000Z");
    expect(end).toBe("2026-03-09T04:00:00.000Z");
    expect(Date.parse(end) - Date.parse(start)).toBe(23 * HOUR);
  });

  it("makes 1 November 2026, when clocks fall back, 25 hours long", () => {
    const start = startOfDayUtc("2026-11-01", NY);
    const end = endOfDayUtc("2026-11-01", NY);
    expect(start).toBe("2026-11-01T04:00:00.000Z");
    expect(end).toBe("2026-11-02T05:00:00.000Z");
    expect(Date.parse(end) - Date.parse(start)).toBe(25 * HOUR);
  });

  it("chains days without gaps or overlaps across both changes", () => {
    for (const [day, next] of [
      ["2026-03-07", "2026-03-08"],
      ["2026-03-08", "2026-03-09"],
      ["2026-10-31", "2026-11-01"],
      ["2026-11-01", "2026-11-02"],
      ["2026-12-31", "2027-01-01"],
    ]) {
      expect(endOfDayUtc(day, NY)).toBe(startOfDayUtc(next, NY));
    }
  });

  it("makes ordinary days 24 hours long in summer and winter", () => {
    for (const day of ["2026-01-15", "2026-07-15", "2026-11-02"]) {
      expect(Date.parse(endOfDayUtc(day, NY)) - Date.parse(startOfDayUtc(day, NY))).toBe(24 * HOUR);
    }
  });

  it("tells today's date in the site's zone, not UTC's", () => {
    // 23:30 on 1 Nov in New York (EST, UTC-5) is already 2 Nov in UTC.
    expect(todayIn(NY, new Date("2026-11-02T04:30:00Z"))).toBe("2026-11-01");
    expect(todayIn(NY, new Date("2026-11-02T05:00:00Z"))).toBe("2026-11-02");
    // 23:30 on 7 Mar (EST) and 00:30 on 9 Mar (EDT, UTC-4).
    expect(todayIn(NY, new Date("2026-03-08T04:30:00Z"))).toBe("2026-03-07");
    expect(todayIn(NY, new Date("2026-03-09T04:30:00Z"))).toBe("2026-03-09");
  });

  it.each([
    ["2026-11-27", true],
    ["2028-02-29", true],
    ["2026-02-29", false],
    ["2026-02-30", false],
    ["2026-13-01", false],
    ["2026-1-5", false],
    ["11/27/2026", false],
    [" 2026-11-27", false],
    ["2026-11-27T00:00", false],
  ])("isCivilDate(%j) is %s", (value, ok) => {
    expect(isCivilDate(value as string)).toBe(ok);
  });
});

describe("the spring-forward and fall-back days of 2026 in New York, in every function", () => {
  it("knows which local times exist on each", () => {
    expect(localTimeExists("2026-03-08", "00:00", NY)).toBe(true);
    expect(localTimeExists("2026-03-08", "02:59", NY)).toBe(false);
    expect(localTimeExists("2026-11-01", "00:00", NY)).toBe(true);
    expect(localTimeExists("2026-11-01", "02:30", NY)).toBe(true);
  });

  it("gives no instant for a skipped time and the first of a repeated one", () => {
    expect(zonedInstantOrNull("2026-03-08", "02:30", NY)).toBeNull();
    expect(zonedInstantOrNull("2026-03-08", "01:59", NY)).toBe("2026-03-08T06:59:00.000Z");
    expect(zonedInstantOrNull("2026-11-01", "01:00", NY)).toBe("2026-11-01T05:00:00.000Z");
    expect(zonedInstantOrNull("2026-11-01", "01:59", NY)).toBe("2026-11-01T05:59:00.000Z");
  });

  it("starts each day at local midnight", () => {
    expect(zonedInstant("2026-03-08", "00:00", NY)).toBe(startOfDayUtc("2026-03-08", NY));
    expect(zonedInstant("2026-11-01", "00:00", NY)).toBe(startOfDayUtc("2026-11-01", NY));
  });

  it("flags the dates near a change (noon the day before to noon the day after), never missing one", () => {
    expect(clocksChangeOn("2026-03-08", NY)).toBe(true);
    expect(clocksChangeOn("2026-11-01", NY)).toBe(true);
    expect(clocksChangeOn("2026-03-06", NY)).toBe(false);
    expect(clocksChangeOn("2026-11-03", NY)).toBe(false);
    expect(clocksChangeOn("2026-07-01", "UTC")).toBe(false);
  });
});

describe("a zone west of UTC: America/Los_Angeles", () => {
  it("makes its spring-forward day 23 hours and its fall-back day 25", () => {
    expect(startOfDayUtc("2026-03-08", LA)).toBe("2026-03-08T08:00:00.000Z");
    expect(endOfDayUtc("2026-03-08", LA)).toBe("2026-03-09T07:00:00.000Z");
    expect(startOfDayUtc("2026-11-01", LA)).toBe("2026-11-01T07:00:00.000Z");
    expect(endOfDayUtc("2026-11-01", LA)).toBe("2026-11-02T08:00:00.000Z");
  });

  it("is still on yesterday when UTC has moved on", () => {
    expect(todayIn(LA, new Date("2026-07-01T06:59:00Z"))).toBe("2026-06-30");
    expect(todayIn(LA, new Date("2026-07-01T07:00:00Z"))).toBe("2026-07-01");
  });

  it("skips and repeats the same local hour as New York", () => {
    expect(localTimeExists("2026-03-08", "02:30", LA)).toBe(false);
    expect(zonedInstant("2026-11-01", "01:30", LA)).toBe("2026-11-01T08:30:00.000Z"); // PDT, not PST
  });
});

describe("a zone east of UTC in the southern hemisphere: Pacific/Auckland", () => {
  it("falls back on 5 April 2026: a 25-hour day and 02:30 twice, the first on daylight time", () => {
    expect(startOfDayUtc("2026-04-05", AUCKLAND)).toBe("2026-04-04T11:00:00.000Z"); // NZDT, UTC+13
    expect(endOfDayUtc("2026-04-05", AUCKLAND)).toBe("2026-04-05T12:00:00.000Z"); // NZST, UTC+12
    expect(localTimeExists("2026-04-05", "02:30", AUCKLAND)).toBe(true);
    expect(zonedInstant("2026-04-05", "02:30", AUCKLAND)).toBe("2026-04-04T13:30:00.000Z");
    expect(zonedInstant("2026-04-05", "03:00", AUCKLAND)).toBe("2026-04-04T15:00:00.000Z");
  });

  it("springs forward on 27 September 2026: a 23-hour day without 02:00–02:59", () => {
    expect(startOfDayUtc("2026-09-27", AUCKLAND)).toBe("2026-09-26T12:00:00.000Z");
    expect(endOfDayUtc("2026-09-27", AUCKLAND)).toBe("2026-09-27T11:00:00.000Z");
    expect(localTimeExists("2026-09-27", "02:30", AUCKLAND)).toBe(false);
    expect(() => zonedInstant("2026-09-27", "02:30", AUCKLAND)).toThrow("2:30 AM does not exist on Sun, Sep 27, 2026 in Pacific/Auckland");
    expect(zonedInstant("2026-09-27", "03:00", AUCKLAND)).toBe("2026-09-26T14:00:00.000Z");
  });

  it("is already on tomorrow when UTC is not", () => {
    expect(todayIn(AUCKLAND, new Date("2026-07-01T11:59:00Z"))).toBe("2026-07-01");
    expect(todayIn(AUCKLAND, new Date("2026-07-01T12:00:00Z"))).toBe("2026-07-02");
  });
});

describe("days whose midnight the clocks skip", () => {
  it("start at the first minute that exists (01:00 after the change)", () => {
    // Cuba and Chile move their clocks at midnight.
    expect(startOfDayUtc("2026-03-08", "America/Havana")).toBe("2026-03-08T05:00:00.000Z");
    expect(endOfDayUtc("2026-03-07", "America/Havana")).toBe("2026-03-08T05:00:00.000Z");
    expect(startOfDayUtc("2026-09-06", "America/Santiago")).toBe("2026-09-06T04:00:00.000Z");
    expect(todayIn("America/Havana", new Date("2026-03-08T04:59:00Z"))).toBe("2026-03-07");
    expect(todayIn("America/Havana", new Date("2026-03-08T05:00:00Z"))).toBe("2026-03-08");
  });
});

describe("siteZone, dateTimeFormat and old years", () => {
  it("reads a site's zone, UTC without a site", () => {
    expect(siteZone({ time_zone: NY })).toBe(NY);
    expect(siteZone(null)).toBe("UTC");
    expect(siteZone(undefined)).toBe("UTC");
  });

  it("builds one formatter per locale and options", () => {
    const a = dateTimeFormat("en-US", { timeZone: NY, hour: "2-digit" });
    expect(dateTimeFormat("en-US", { timeZone: NY, hour: "2-digit" })).toBe(a);
    expect(dateTimeFormat("en-US", { timeZone: LA, hour: "2-digit" })).not.toBe(a);
  });

  it("refuses years before 100", () => {
    expect(isCivilDate("0000-01-01")).toBe(false);
    expect(isCivilDate("0099-12-31")).toBe(false);
    expect(isCivilDate("0100-01-01")).toBe(true);
  });
});

describe("showing times and dates", () => {
  it("reads an instant as the zone's 24-hour clock (a machine value), across both changes", () => {
    expect(localClock("2026-03-08T06:59:00.000Z", NY)).toBe("01:59");
    expect(localClock("2026-03-08T07:00:00.000Z", NY)).toBe("03:00");
    expect(localClock("2026-11-01T05:30:00.000Z", NY)).toBe("01:30");
    expect(localClock("2026-11-01T06:30:00.000Z", NY)).toBe("01:30");
    expect(localClock("2026-07-01T12:00:00.000Z", AUCKLAND)).toBe("00:00");
  });

  it("shows a stored clock time on a 12-hour clock", () => {
    expect(clock12("00:00")).toBe("12:00 AM"); // midnight
    expect(clock12("00:30")).toBe("12:30 AM");
    expect(clock12("09:30")).toBe("9:30 AM");
    expect(clock12("11:59")).toBe("11:59 AM");
    expect(clock12("12:00")).toBe("12:00 PM"); // noon
    expect(clock12("13:05")).toBe("1:05 PM");
    expect(clock12("23:59")).toBe("11:59 PM");
    // No narrow no-break space (some ICU versions put one before AM/PM): the server and the browser must agree.
    expect(clock12("13:05")).toBe("1:05\u0020PM");
    // Not a clock time: shown as it came, never guessed at.
    expect(clock12("9am")).toBe("9am");
  });

  it("shows an instant as the zone's 12-hour wall clock, across both daylight-saving changes", () => {
    // 2026-03-08 New York: 01:59 EST is 06:59Z; the next minute is 03:00 EDT (07:00Z).
    expect(clockAt("2026-03-08T06:59:00.000Z", NY)).toBe("1:59 AM");
    expect(clockAt("2026-03-08T07:00:00.000Z", NY)).toBe("3:00 AM");
    // 2026-11-01 New York: 01:30 happens twice, at 05:30Z (EDT) and 06:30Z (EST).
    expect(clockAt("2026-11-01T05:30:00.000Z", NY)).toBe("1:30 AM");
    expect(clockAt("2026-11-01T06:30:00.000Z", NY)).toBe("1:30 AM");
    // Auckland is UTC+12 in July: 12:00Z is midnight there.
    expect(clockAt("2026-07-01T12:00:00.000Z", AUCKLAND)).toBe("12:00 AM");
    // Los Angeles in January is UTC-8: 20:00Z is noon; 21:05Z is 1:05 PM.
    expect(clockAt("2026-01-15T20:00:00.000Z", LA)).toBe("12:00 PM");
    expect(clockAt("2026-01-15T21:05:00.000Z", LA)).toBe("1:05 PM");
    expect(clockAt("not a date", NY)).toBe("not a date");
  });

  it("joins a range once when both ends share AM or PM, and names both across noon or midnight", () => {
    expect(timeRange("09:30", "11:30")).toBe("9:30–11:30 AM");
    expect(timeRange("11:30", "13:00")).toBe("11:30 AM–1:00 PM");
    expect(timeRange("13:00", "16:00")).toBe("1:00–4:00 PM");
    expect(timeRange("12:00", "13:30")).toBe("12:00–1:30 PM"); // noon is PM
    expect(timeRange("00:00", "01:00")).toBe("12:00–1:00 AM"); // midnight is AM
    expect(timeRange("21:00", "22:00")).toBe("9:00–10:00 PM");
    expect(timeRange("10:00", "12:00")).toBe("10:00 AM–12:00 PM");
  });

  it("shows a range of instants as the wall clock read it, even across a clock change", () => {
    // 18:00–19:30 New York in summer (EDT, UTC-4) is 22:00Z–23:30Z.
    expect(instantRange("2026-07-06T22:00:00.000Z", "2026-07-06T23:30:00.000Z", NY)).toBe("6:00–7:30 PM");
    // 11:30 EST (UTC-5) to 13:00 EST is 16:30Z–18:00Z.
    expect(instantRange("2026-12-07T16:30:00.000Z", "2026-12-07T18:00:00.000Z", NY)).toBe("11:30 AM–1:00 PM");
    // 01:00 EST to 04:00 EDT on 2026-03-08 is 06:00Z to 08:00Z: two hours of real time, the clock says 1 to 4.
    expect(instantRange("2026-03-08T06:00:00.000Z", "2026-03-08T08:00:00.000Z", NY)).toBe("1:00–4:00 AM");
  });

  it("shows a civil date the same in every zone, long with the weekday and short without", () => {
    expect(longDate("2026-03-09")).toBe("Mon, Mar 9, 2026");
    expect(longDate("2026-12-05")).toBe("Sat, Dec 5, 2026");
    expect(shortDate("2026-12-05")).toBe("Dec 5, 2026");
    expect(shortDate("2027-01-01")).toBe("Jan 1, 2027");
    expect(shortDate("2028-02-29")).toBe("Feb 29, 2028");
    // The year is always there, this year's dates included: one form everywhere.
    expect(shortDate(todayIn(NY))).toMatch(/, 20\d\d$/);
    // What is not a date is shown as it came.
    expect(shortDate("")).toBe("");
    expect(longDate("not a date")).toBe("not a date");
  });

  it("shows missing dates, spans, and a date with a time", () => {
    expect(shortDateOr(null)).toBe("—");
    expect(shortDateOr(undefined, "never")).toBe("never");
    expect(shortDateOr("2026-10-25")).toBe("Oct 25, 2026");
    expect(dateRange("2026-10-25", "2026-12-05")).toBe("Oct 25, 2026 – Dec 5, 2026");
    expect(dateRange("2026-10-25", null)).toBe("Oct 25, 2026 – now");
    expect(dateAndClock("2026-12-05", "09:30")).toBe("Sat, Dec 5, 2026, 9:30 AM");
  });

  it("says a skipped time in the site's own words", () => {
    expect(missingTimeMessage("2026-03-08", "02:30", NY)).toBe("2:30 AM does not exist on Sun, Mar 8, 2026 in America/New_York (clocks spring forward)");
  });
});

describe("formatInstant", () => {
  it("shows an instant in the site's zone to the minute, and leaves what is not an instant alone", () => {
    expect(formatInstant("2026-03-09T13:05:00.000Z", NY)).toBe("Mar 9, 2026, 9:05 AM");
    expect(formatInstant("2026-12-05T14:30:00.000Z", NY)).toBe("Dec 5, 2026, 9:30 AM");
    expect(formatInstant("2026-12-05T17:00:00.000Z", NY)).toBe("Dec 5, 2026, 12:00 PM");
    // Midnight in Auckland on Jul 2 is noon UTC on Jul 1: the date is the zone's.
    expect(formatInstant("2026-07-01T12:00:00.000Z", AUCKLAND)).toBe("Jul 2, 2026, 12:00 AM");
    expect(formatInstant("not a date", NY)).toBe("not a date");
  });

  it("shows the exact moment of a record with seconds and the zone's name", () => {
    expect(formatInstantExact("2026-03-09T13:05:07.000Z", NY)).toBe("Mar 9, 2026, 9:05:07 AM EDT");
    expect(formatInstantExact("2026-11-01T05:30:00.000Z", NY)).toBe("Nov 1, 2026, 1:30:00 AM EDT");
    expect(formatInstantExact("2026-11-01T06:30:00.000Z", NY)).toBe("Nov 1, 2026, 1:30:00 AM EST");
    expect(formatInstantExact("2026-07-01T12:00:00.000Z", AUCKLAND)).toBe("Jul 2, 2026, 12:00:00 AM GMT+12");
  });
});

import { describe, expect, it } from "vitest";
import { localTimeExists, type Weekday } from "~/kernel/time";
import {
  expandWeekly,
  hourRequirement,
  overlaps,
  patternProblems,
  trackHoursMismatch,
  trackWeeklyMinutes,
  type WeeklyPattern,
} from "~/features/scheduling/rules";

const NY = "America/New_York";
const LONDON = "Europe/London";
const SYDNEY = "Australia/Sydney";

const pattern = (over: Partial<WeeklyPattern> = {}): WeeklyPattern => ({
  days: ["mon", "wed", "fri"],
  startTime: "09:00",
  endTime: "12:00",
  startsOn: "2026-01-01",
  endsOn: null,
  ...over,
});

describe("expandWeekly", () => {
  it("keeps a Mon/Wed/Fri 09:00–12:00 group at 09:00 local across spring-forward", () => {
    const { occurrences, skipped } = expandWeekly(pattern(), "2026-03-02", "2026-03-13", NY);
    expect(skipped).toEqual([]);
    expect(occurrences).toEqual([
      { date: "2026-03-02", startsAt: "2026-03-02T14:00:00.000Z", endsAt: "2026-03-02T17:00:00.000Z" },
      { date: "2026-03-04", startsAt: "2026-03-04T14:00:00.000Z", endsAt: "2026-03-04T17:00:00.000Z" },
      { date: "2026-03-06", startsAt: "2026-03-06T14:00:00.000Z", endsAt: "2026-03-06T17:00:00.000Z" },
      { date: "2026-03-09", startsAt: "2026-03-09T13:00:00.000Z", endsAt: "2026-03-09T16:00:00.000Z" },
      { date: "2026-03-11", startsAt: "2026-03-11T13:00:00.000Z", endsAt: "2026-03-11T16:00:00.000Z" },
      { date: "2026-03-13", startsAt: "2026-03-13T13:00:00.000Z", endsAt: "2026-03-13T16:00:00.000Z" },
    ]);
  });

  it("keeps it at 09:00 local across fall-back, instants moving the other way", () => {
    const { occurrences, skipped } = expandWeekly(pattern(), "2026-10-26", "2026-11-06", NY);
    expect(skipped).toEqual([]);
    expect(occurrences).toEqual([
      { date: "2026-10-26", startsAt: "2026-10-26T13:00:00.000Z", endsAt: "2026-10-26T16:00:00.000Z" },
      { date: "2026-10-28", startsAt: "2026-10-28T13:00:00.000Z", endsAt: "2026-10-28T16:00:00.000Z" },
      { date: "2026-10-30", startsAt: "2026-10-30T13:00:00.000Z", endsAt: "2026-10-30T16:00:00.000Z" },
      { date: "2026-11-02", startsAt: "2026-11-02T14:00:00.000Z", endsAt: "2026-11-02T17:00:00.000Z" },
      { date: "2026-11-04", startsAt: "2026-11-04T14:00:00.000Z", endsAt: "2026-11-04T17:00:00.000Z" },
      { date: "2026-11-06", startsAt: "2026-11-06T14:00:00.000Z", endsAt: "2026-11-06T17:00:00.000Z" },
    ]);
  });

  it("skips a Sat/Sun 02:30–03:30 session on the spring-forward Sunday, with the reason", () => {
    const weekend = pattern({ days: ["sat", "sun"], startTime: "02:30", endTime: "03:30" });
    const { occurrences, skipped } = expandWeekly(weekend, "2026-03-07", "2026-03-15", NY);
    expect(occurrences).toEqual([
      { date: "2026-03-07", startsAt: "2026-03-07T07:30:00.000Z", endsAt: "2026-03-07T08:30:00.000Z" },
      { date: "2026-03-14", startsAt: "2026-03-14T06:30:00.000Z", endsAt: "2026-03-14T07:30:00.000Z" },
      { date: "2026-03-15", startsAt: "2026-03-15T06:30:00.000Z", endsAt: "2026-03-15T07:30:00.000Z" },
    ]);
    expect(skipped).toEqual([{ date: "2026-03-08", reason: "2:30 AM does not exist on Sun, Mar 8, 2026 in America/New_York (clocks spring forward)" }]);
  });

  it("runs the Sat/Sun 02:30–03:30 session normally on the fall-back weekend", () => {
    const weekend = pattern({ days: ["sat", "sun"], startTime: "02:30", endTime: "03:30" });
    expect(expandWeekly(weekend, "2026-10-31", "2026-11-01", NY)).toEqual({
      occurrences: [
        { date: "2026-10-31", startsAt: "2026-10-31T06:30:00.000Z", endsAt: "2026-10-31T07:30:00.000Z" },
        { date: "2026-11-01", startsAt: "2026-11-01T07:30:00.000Z", endsAt: "2026-11-01T08:30:00.000Z" },
      ],
      skipped: [],
    });
  });

  it("starts a session at a repeated 01:30 the first time the clock shows it", () => {
    const early = pattern({ days: ["sun"], startTime: "01:30", endTime: "02:30" });
    expect(expandWeekly(early, "2026-11-01", "2026-11-01", NY).occurrences).toEqual([
      // 01:30 EDT to 02:30 EST: two real hours on the night the clocks go back
      { date: "2026-11-01", startsAt: "2026-11-01T05:30:00.000Z", endsAt: "2026-11-01T07:30:00.000Z" },
    ]);
  });

  it("skips a session whose end time does not exist", () => {
    const early = pattern({ days: ["sun"], startTime: "01:00", endTime: "02:30" });
    expect(expandWeekly(early, "2026-03-08", "2026-03-08", NY)).toEqual({
      occurrences: [],
      skipped: [{ date: "2026-03-08", reason: "2:30 AM does not exist on Sun, Mar 8, 2026 in America/New_York (clocks spring forward)" }],
    });
  });

  it("handles Europe/London's last-Sunday-of-March change", () => {
    const sunday = pattern({ days: ["sun"], startTime: "10:00", endTime: "11:00" });
    expect(expandWeekly(sunday, "2026-03-22", "2026-03-29", LONDON).occurrences).toEqual([
      { date: "2026-03-22", startsAt: "2026-03-22T10:00:00.000Z", endsAt: "2026-03-22T11:00:00.000Z" },
      { date: "2026-03-29", startsAt: "2026-03-29T09:00:00.000Z", endsAt: "2026-03-29T10:00:00.000Z" },
    ]);
    expect(localTimeExists("2026-03-29", "01:30", LONDON)).toBe(false);
  });

  it("handles Australia/Sydney's southern-hemisphere changes (first Sunday of April and October)", () => {
    const sunday = pattern({ days: ["sun"], startTime: "09:00", endTime: "12:00" });
    expect(expandWeekly(sunday, "2026-03-29", "2026-04-05", SYDNEY).occurrences).toEqual([
      { date: "2026-03-29", startsAt: "2026-03-28T22:00:00.000Z", endsAt: "2026-03-29T01:00:00.000Z" },
      { date: "2026-04-05", startsAt: "2026-04-04T23:00:00.000Z", endsAt: "2026-04-05T02:00:00.000Z" },
    ]);
    const night = pattern({ days: ["sun"], startTime: "02:30", endTime: "03:30" });
    expect(expandWeekly(night, "2026-10-04", "2026-10-04", SYDNEY).skipped).toEqual([
      { date: "2026-10-04", reason: "2:30 AM does not exist on Sun, Oct 4, 2026 in Australia/Sydney (clocks spring forward)" },
    ]);
  });

  it("clips to startsOn and endsOn", () => {
    const dated = pattern({ startsOn: "2026-03-04", endsOn: "2026-03-11" });
    const { occurrences } = expandWeekly(dated, "2026-03-01", "2026-03-31", NY);
    expect(occurrences.map((o) => o.date)).toEqual(["2026-03-04", "2026-03-06", "2026-03-09", "2026-03-11"]);
  });

  it("clips to the requested range, inclusive at both ends", () => {
    const { occurrences } = expandWeekly(pattern(), "2026-03-04", "2026-03-09", NY);
    expect(occurrences.map((o) => o.date)).toEqual(["2026-03-04", "2026-03-06", "2026-03-09"]);
  });

  it("returns nothing for an empty range", () => {
    const none = { occurrences: [], skipped: [] };
    expect(expandWeekly(pattern(), "2026-03-10", "2026-03-09", NY)).toEqual(none); // to before from
    expect(expandWeekly(pattern(), "2026-03-07", "2026-03-08", NY)).toEqual(none); // a weekend, no meeting days
    expect(expandWeekly(pattern({ endsOn: "2026-02-01" }), "2026-03-01", "2026-03-31", NY)).toEqual(none); // pattern already ended
    expect(expandWeekly(pattern({ startsOn: "2026-04-01" }), "2026-03-01", "2026-03-31", NY)).toEqual(none); // not started yet
  });

  it("refuses dates that are not civil dates rather than looping", () => {
    expect(() => expandWeekly(pattern(), "2026-03-01", "next week", NY)).toThrow();
  });
});

describe("patternProblems", () => {
  it("returns {} for a good pattern", () => {
    expect(patternProblems(pattern(), NY)).toEqual({});
    expect(patternProblems(pattern({ startTime: "08:00", endTime: "20:00", endsOn: "2026-01-01" }), NY)).toEqual({});
  });

  it("asks for at least one day", () => {
    expect(patternProblems(pattern({ days: [] }), NY)).toEqual({ days: "Choose the days the track meets." });
  });

  it("rejects times that are not HH:MM", () => {
    expect(patternProblems(pattern({ startTime: "9am", endTime: "25:00" }), NY)).toEqual({
      startTime: "Enter the start time as HH:MM (24-hour).",
      endTime: "Enter the end time as HH:MM (24-hour).",
    });
  });

  it("wants the end after the start and at most 12 hours later", () => {
    expect(patternProblems(pattern({ startTime: "12:00", endTime: "09:00" }), NY)).toEqual({
      endTime: "The end time must be after the start time.",
    });
    expect(patternProblems(pattern({ startTime: "12:00", endTime: "12:00" }), NY).endTime).toBe("The end time must be after the start time.");
    expect(patternProblems(pattern({ startTime: "08:00", endTime: "20:01" }), NY)).toEqual({
      endTime: "A session can be at most 12 hours long.",
    });
  });

  it("rejects an end date before the start date", () => {
    expect(patternProblems(pattern({ startsOn: "2026-03-01", endsOn: "2026-02-28" }), NY)).toEqual({
      endsOn: "The end date cannot be before the start date.",
    });
    expect(patternProblems(pattern({ endsOn: "someday" }), NY)).toEqual({ endsOn: "Enter the end date as YYYY-MM-DD." });
  });

  it("names the first date a start time does not exist", () => {
    const sunday = pattern({ days: ["sat", "sun"], startTime: "02:30", endTime: "03:30", startsOn: "2026-01-01" });
    expect(patternProblems(sunday, NY)).toEqual({
      startTime: "2:30 AM does not exist on Sun, Mar 8, 2026 in America/New_York (clocks spring forward)",
    });
  });

  it("looks 53 weeks ahead, so an open-ended pattern meets next year's change", () => {
    const sunday = pattern({ days: ["sun"], startTime: "02:30", endTime: "03:30", startsOn: "2026-03-09" });
    expect(patternProblems(sunday, NY).startTime).toBe("2:30 AM does not exist on Sun, Mar 14, 2027 in America/New_York (clocks spring forward)");
    expect(patternProblems({ ...sunday, endsOn: "2026-12-31" }, NY)).toEqual({}); // ends before any change
    expect(patternProblems({ ...sunday, days: ["mon", "tue"] }, NY)).toEqual({}); // US clocks change on a Sunday
  });

  it("reports an end time the clocks skip under endTime", () => {
    const sunday = pattern({ days: ["sun"], startTime: "01:00", endTime: "02:15" });
    expect(patternProblems(sunday, NY)).toEqual({
      endTime: "2:15 AM does not exist on Sun, Mar 8, 2026 in America/New_York (clocks spring forward)",
    });
  });

  it("uses the zone it is given", () => {
    const sunday = pattern({ days: ["sun"], startTime: "02:30", endTime: "03:30", startsOn: "2026-01-01" });
    expect(patternProblems(sunday, SYDNEY).startTime).toBe("2:30 AM does not exist on Sun, Oct 4, 2026 in Australia/Sydney (clocks spring forward)");
    expect(patternProblems(sunday, "UTC")).toEqual({});
  });
});

describe("overlaps", () => {
  const at = (hh: string) => `2026-03-09T${hh}:00:00.000Z`;

  it("does not count touching end-to-start", () => {
    expect(overlaps(at("09"), at("12"), at("12"), at("15"))).toBe(false);
    expect(overlaps(at("12"), at("15"), at("09"), at("12"))).toBe(false);
  });

  it("counts partial, contained and identical intervals", () => {
    expect(overlaps(at("09"), at("12"), at("11"), at("13"))).toBe(true);
    expect(overlaps(at("09"), at("12"), at("10"), at("11"))).toBe(true);
    expect(overlaps(at("10"), at("11"), at("09"), at("12"))).toBe(true);
    expect(overlaps(at("09"), at("12"), at("09"), at("12"))).toBe(true);
  });

  it("does not count separate intervals", () => {
    expect(overlaps(at("09"), at("10"), at("11"), at("12"))).toBe(false);
  });
});

describe("hourRequirement", () => {
  it.each([
    ["IOP", false, { min: 9, max: 20, label: "9–19 hours a week" }],
    ["IOP", true, { min: 6, max: 20, label: "6–19 hours a week" }],
    ["PHP", false, { min: 20, max: null, label: "20 or more hours a week" }],
    ["PHP", true, { min: 20, max: null, label: "20 or more hours a week" }],
    ["OP", false, { min: null, max: 9, label: "Under 9 hours a week" }],
    ["OP", true, { min: null, max: 6, label: "Under 6 hours a week" }],
  ] as const)("%s, adolescent %s", (level, adolescent, band) => {
    expect(hourRequirement(level, adolescent)).toEqual(band);
  });

  it("tiles the week with no gaps between levels", () => {
    for (const adolescent of [false, true]) {
      expect(hourRequirement("OP", adolescent).max).toBe(hourRequirement("IOP", adolescent).min);
      expect(hourRequirement("IOP", adolescent).max).toBe(hourRequirement("PHP", adolescent).min);
    }
  });
});

describe("a track's weekly hours against the patient's level of care", () => {
  const track = (name: string, days: Weekday[], startTime: string, endTime: string) => ({ name, days, startTime, endTime });
  const op = track("Coastal OP", ["tue"], "17:30", "19:00"); // 1 × 90 min = 1 h 30 min
  const morning = track("Morning IOP", ["mon", "wed", "fri"], "09:00", "12:00"); // 3 × 3 h = 9 h
  const short = track("Short IOP", ["mon", "wed", "fri"], "09:00", "11:59"); // 3 × 179 min = 537 min = 8 h 57 min
  const php = track("PHP Day", ["mon", "tue", "wed", "thu", "fri"], "09:00", "14:00"); // 5 × 5 h = 25 h
  const long = track("Long IOP", ["mon", "tue", "wed", "thu", "fri"], "09:00", "13:00"); // 5 × 4 h = 20 h

  it("counts the meeting days times the length of the day, each day once", () => {
    expect(trackWeeklyMinutes(op)).toBe(90);
    expect(trackWeeklyMinutes(morning)).toBe(540);
    expect(trackWeeklyMinutes(short)).toBe(537);
    expect(trackWeeklyMinutes({ ...op, days: ["tue", "tue"] })).toBe(90);
  });

  it("warns that a 1.5-hour OP track is not intensive outpatient, naming the hours the level needs", () => {
    expect(trackHoursMismatch(op, "IOP", false)).toBe("The Coastal OP track is 1 h 30 min a week; intensive outpatient needs 9–19 h a week for an adult.");
    expect(trackHoursMismatch(op, "IOP", true)).toBe("The Coastal OP track is 1 h 30 min a week; intensive outpatient needs 6–19 h a week for an adolescent.");
    expect(trackHoursMismatch(op, "PHP", false)).toBe(
      "The Coastal OP track is 1 h 30 min a week; partial hospitalization needs 20 h or more a week for an adult.",
    );
  });

  it("accepts a track inside the band, with 9 h exactly meeting the adult IOP floor", () => {
    expect(trackHoursMismatch(morning, "IOP", false)).toBeNull();
    expect(trackHoursMismatch(op, "OP", false)).toBeNull();
    expect(trackHoursMismatch(php, "PHP", false)).toBeNull();
    expect(trackHoursMismatch(short, "IOP", true)).toBeNull(); // 8 h 57 min ≥ 6 h for an adolescent
  });

  it("never rounds up across the floor: 8 h 57 min is below adult IOP", () => {
    expect(trackHoursMismatch(short, "IOP", false)).toBe("The Short IOP track is 8 h 57 min a week; intensive outpatient needs 9–19 h a week for an adult.");
  });

  it("warns above the band too: 20 h is PHP, not IOP; 9 h is too much for adult OP", () => {
    expect(trackHoursMismatch(long, "IOP", false)).toBe("The Long IOP track is 20 h a week; intensive outpatient needs 9–19 h a week for an adult.");
    expect(trackHoursMismatch(morning, "OP", false)).toBe("The Morning IOP track is 9 h a week; outpatient needs under 9 h a week for an adult.");
    expect(trackHoursMismatch(track("Teen OP", ["mon", "wed"], "16:00", "19:00"), "OP", true)).toBe(
      "The Teen OP track is 6 h a week; outpatient needs under 6 h a week for an adolescent.",
    );
  });

  it("does not say 'track' twice when the name already ends with it", () => {
    expect(trackHoursMismatch({ ...op, name: "Tuesday track" }, "IOP", false)).toMatch(/^Tuesday track is 1 h 30 min a week;/);
  });
});

/**
 * Attendance rules, every value computed by hand: what a mark records, the H0015 billable-day
 * threshold (180 minutes), the weekly standing against the ASAM floor for level and age, and the
 * missed-sessions flag.
 */
import { describe, expect, it } from "vitest";
import {
  ATTENDANCE_STATUSES,
  BILLABLE_DAY_MINUTES,
  billableDays,
  isAttended,
  markMinutes,
  missedSessions,
  STATUS_KEYS,
  weekStanding,
} from "~/features/attendance/rules";
import { readRollCallForm } from "~/features/attendance/roll-form";
import { formatDuration } from "~/kernel/time";

const JANE = "Doe, Jane";
const ENTER_90 = "Say how many minutes Doe, Jane attended (1–90).";
const RANGE_90 = "Minutes Doe, Jane attended must be a whole number from 1 to 90, the session's length.";

describe("statuses", () => {
  it("lists the five marks in roll-call order with their keys", () => {
    expect(STATUS_KEYS).toEqual(["present", "late", "left_early", "absent_excused", "absent_unexcused"]);
    expect(STATUS_KEYS.map((s) => ATTENDANCE_STATUSES[s].key)).toEqual(["p", "l", "e", "x", "a"]);
  });

  it("counts present, late and left early as attended; absences and unknown strings not", () => {
    expect(isAttended("present")).toBe(true);
    expect(isAttended("late")).toBe(true);
    expect(isAttended("left_early")).toBe(true);
    expect(isAttended("absent_excused")).toBe(false);
    expect(isAttended("absent_unexcused")).toBe(false);
    expect(isAttended("")).toBe(false);
    expect(isAttended("PRESENT")).toBe(false);
    expect(isAttended("toString")).toBe(false);
  });
});

describe("markMinutes", () => {
  it("gives present the whole session, whatever was typed", () => {
    expect(markMinutes("present", undefined, 90, JANE)).toEqual({ minutes: 90 });
    expect(markMinutes("present", 10, 90, JANE)).toEqual({ minutes: 90 });
    expect(markMinutes("present", -5, 180, JANE)).toEqual({ minutes: 180 });
  });

  it("gives an absence no minutes, whatever was typed", () => {
    expect(markMinutes("absent_excused", undefined, 90, JANE)).toEqual({ minutes: 0 });
    expect(markMinutes("absent_unexcused", 45, 90, JANE)).toEqual({ minutes: 0 });
    expect(markMinutes("absent_unexcused", -1, 90, JANE)).toEqual({ minutes: 0 });
  });

  it("records what was entered for late and left early, from 1 to the full length", () => {
    expect(markMinutes("late", 75, 90, JANE)).toEqual({ minutes: 75 });
    expect(markMinutes("left_early", 45, 90, JANE)).toEqual({ minutes: 45 });
    expect(markMinutes("late", 1, 90, JANE)).toEqual({ minutes: 1 });
    expect(markMinutes("left_early", 90, 90, JANE)).toEqual({ minutes: 90 });
  });

  it("asks for minutes, naming the patient, when late or left early has none", () => {
    expect(markMinutes("late", undefined, 90, JANE)).toEqual({ error: ENTER_90 });
    expect(markMinutes("left_early", Number.NaN, 90, JANE)).toEqual({ error: ENTER_90 });
    expect(markMinutes("late", undefined, 180, "Ortega, Samuel “Sam”")).toEqual({ error: "Say how many minutes Ortega, Samuel “Sam” attended (1–180)." });
  });

  it("refuses 0 (an absence, not a late mark), minutes above the session's length, or not whole", () => {
    expect(markMinutes("late", 0, 90, JANE)).toEqual({ error: RANGE_90 });
    expect(markMinutes("left_early", 0, 90, JANE)).toEqual({ error: RANGE_90 });
    expect(markMinutes("late", -1, 90, JANE)).toEqual({ error: RANGE_90 });
    expect(markMinutes("late", 91, 90, JANE)).toEqual({ error: RANGE_90 });
    expect(markMinutes("left_early", 45.5, 90, JANE)).toEqual({ error: RANGE_90 });
    expect(markMinutes("left_early", Number.POSITIVE_INFINITY, 90, JANE)).toEqual({ error: RANGE_90 });
    expect(markMinutes("late", 181, 180, JANE)).toEqual({ error: "Minutes Doe, Jane attended must be a whole number from 1 to 180, the session's length." });
  });
});

describe("a submitted roll call, read then judged (readRollCallForm, then markMinutes as saveRollCall does)", () => {
  // A 180-minute session; what each patient is credited is worked out by hand beside each line.
  const judged = (fields: [string, string][]) => {
    const form = new FormData();
    for (const [k, v] of fields) form.append(k, v);
    const read = readRollCallForm(form);
    if (!read.ok) throw new Error(read.formError);
    return read.marks.map((m) => markMinutes(m.status, m.minutes, 180, JANE));
  };

  it("refuses late with the minutes box left empty, with the message naming the patient", () => {
    // The form now sends an empty box for a fresh late mark: nothing is credited by default.
    expect(
      judged([
        ["status.p1", "late"],
        ["minutes.p1", ""],
      ]),
    ).toEqual([{ error: "Say how many minutes Doe, Jane attended (1–180)." }]);
    expect(judged([["status.p1", "left_early"]])).toEqual([{ error: "Say how many minutes Doe, Jane attended (1–180)." }]);
  });

  it("credits late with 45 typed as 45 minutes, not the session's 180", () => {
    expect(
      judged([
        ["status.p1", "late"],
        ["minutes.p1", " 45 "],
      ]),
    ).toEqual([{ minutes: 45 }]);
  });

  it("credits present with the full 180 without any minutes sent, and absences 0", () => {
    expect(
      judged([
        ["status.p1", "present"],
        ["status.p2", "absent_excused"],
        ["minutes.p2", "60"],
        ["status.p3", "absent_unexcused"],
      ]),
    ).toEqual([{ minutes: 180 }, { minutes: 0 }, { minutes: 0 }]);
  });
});

describe("billableDays (H0015: a day with at least 180 attended minutes)", () => {
  it("has the threshold at three hours", () => {
    expect(BILLABLE_DAY_MINUTES).toBe(180);
  });

  it("counts a day of exactly 180 minutes and not one of 179", () => {
    expect(billableDays({ "2026-12-07": 180 })).toBe(1);
    expect(billableDays({ "2026-12-07": 179 })).toBe(0);
    expect(billableDays({ "2026-12-07": 150 })).toBe(0);
  });

  it("counts each qualifying day once, from a Map or a record", () => {
    const days = new Map([
      ["2026-12-07", 180],
      ["2026-12-08", 179],
      ["2026-12-09", 240],
      ["2026-12-10", 0],
      ["2026-12-11", 90 + 90],
    ]);
    expect(billableDays(days)).toBe(3);
    expect(billableDays(Object.fromEntries(days))).toBe(3);
    expect(billableDays(new Map())).toBe(0);
    expect(billableDays({})).toBe(0);
  });
});

describe("weekStanding", () => {
  it("adult IOP: exactly 540 possible minutes (9 h) is enough, a minute less is below", () => {
    expect(weekStanding(540, 0, "IOP", false)).toEqual({
      attendedMinutes: 540,
      remainingMinutes: 0,
      requirement: { min: 9, max: 20, label: "9–19 hours a week" },
      belowRequired: false,
    });
    // 539 minutes is 8 h 59 min: below, and the minutes shown with it say so (no rounding to 9).
    expect(weekStanding(539, 0, "IOP", false)).toMatchObject({ attendedMinutes: 539, belowRequired: true });
    expect(formatDuration(weekStanding(539, 0, "IOP", false).attendedMinutes)).toBe("8 h 59 min");
    expect(weekStanding(0, 540, "IOP", false)).toMatchObject({ attendedMinutes: 0, remainingMinutes: 540, belowRequired: false });
    expect(weekStanding(0, 539, "IOP", false).belowRequired).toBe(true);
  });

  it("adult IOP on Morning IOP (M/W/F, 3 h each): the still-possible minutes decide", () => {
    // Monday attended, Wednesday and Friday still ahead: 180 + 360 = 540.
    expect(weekStanding(180, 360, "IOP", false)).toMatchObject({ attendedMinutes: 180, remainingMinutes: 360, belowRequired: false });
    // Monday attended, Wednesday missed, Friday ahead: 180 + 180 = 360 < 540.
    expect(weekStanding(180, 180, "IOP", false)).toMatchObject({ attendedMinutes: 180, remainingMinutes: 180, belowRequired: true });
    // Monday 150 min (late), Wednesday and Friday ahead: 150 + 360 = 510 < 540.
    expect(weekStanding(150, 360, "IOP", false)).toMatchObject({ attendedMinutes: 150, remainingMinutes: 360, belowRequired: true });
    // Monday and Wednesday missed, Friday ahead: 0 + 180 < 540.
    expect(weekStanding(0, 180, "IOP", false)).toMatchObject({ attendedMinutes: 0, remainingMinutes: 180, belowRequired: true });
  });

  it("adolescent IOP: the floor is 6 hours", () => {
    expect(weekStanding(360, 0, "IOP", true)).toEqual({
      attendedMinutes: 360,
      remainingMinutes: 0,
      requirement: { min: 6, max: 20, label: "6–19 hours a week" },
      belowRequired: false,
    });
    expect(weekStanding(359, 0, "IOP", true).belowRequired).toBe(true);
    expect(weekStanding(180, 180, "IOP", true).belowRequired).toBe(false);
    // The same hours put an adult below.
    expect(weekStanding(180, 180, "IOP", false).belowRequired).toBe(true);
  });

  it("PHP: 20 hours, for adults and adolescents alike", () => {
    expect(weekStanding(1200, 0, "PHP", false)).toEqual({
      attendedMinutes: 1200,
      remainingMinutes: 0,
      requirement: { min: 20, max: null, label: "20 or more hours a week" },
      belowRequired: false,
    });
    expect(weekStanding(1199, 0, "PHP", false).belowRequired).toBe(true);
    expect(weekStanding(600, 600, "PHP", true).belowRequired).toBe(false);
    expect(weekStanding(600, 599, "PHP", true).belowRequired).toBe(true);
    // Nine hours is plenty for IOP and far short for PHP.
    expect(weekStanding(0, 540, "PHP", false).belowRequired).toBe(true);
  });

  it("OP: never below, there is no floor", () => {
    expect(weekStanding(0, 0, "OP", false)).toEqual({
      attendedMinutes: 0,
      remainingMinutes: 0,
      requirement: { min: null, max: 9, label: "Under 9 hours a week" },
      belowRequired: false,
    });
    expect(weekStanding(0, 0, "OP", true)).toMatchObject({ requirement: { min: null, max: 6, label: "Under 6 hours a week" }, belowRequired: false });
    expect(weekStanding(30, 0, "OP", false).belowRequired).toBe(false);
  });

  it("keeps whole minutes; what is shown is hours and minutes, never a rounded tenth", () => {
    // 100 min = 1 h 40 min (was "1.7 h"); 50 min (was "0.8 h"); 230 min = 3 h 50 min (was "3.8 h").
    const a = weekStanding(100, 50, "OP", false);
    expect([formatDuration(a.attendedMinutes), formatDuration(a.remainingMinutes)]).toEqual(["1 h 40 min", "50 min"]);
    const b = weekStanding(230, 45, "OP", false);
    expect([formatDuration(b.attendedMinutes), formatDuration(b.remainingMinutes)]).toEqual(["3 h 50 min", "45 min"]);
    expect(formatDuration(weekStanding(510, 0, "OP", false).attendedMinutes)).toBe("8 h 30 min");
  });
});

describe("missedSessions (newest mark first)", () => {
  const U = "absent_unexcused";
  it("flags two unexcused absences in a row", () => {
    expect(missedSessions([U, U])).toBe(true);
    expect(missedSessions([U, U, "present", "present"])).toBe(true);
  });

  it("does not flag fewer than two, or when an attended or excused mark is between", () => {
    expect(missedSessions([])).toBe(false);
    expect(missedSessions([U])).toBe(false);
    expect(missedSessions(["present", U, U])).toBe(false);
    expect(missedSessions(["late", U, U])).toBe(false);
    expect(missedSessions([U, "absent_excused", U])).toBe(false);
    expect(missedSessions(["absent_excused", "absent_excused"])).toBe(false);
    expect(missedSessions([U, "left_early"])).toBe(false);
  });
});

/**
 * Attendance rules, every value computed by hand: what a mark records, the billable day at each
 * level (IOP H0015 from 180 minutes, PHP S0201 from 300, OP never), a week's requirement (age on
 * Monday, partial weeks prorated by calendar days in care), roll missing, the weekly standing, and
 * the missed-sessions flag. The week of Monday 2026-12-07 to Sunday 2026-12-13 throughout.
 */
import { describe, expect, it } from "vitest";
import {
  ATTENDANCE_STATUSES,
  BILLABLE_DAY_MINUTES,
  billableCode,
  billableDays,
  type CareSpan,
  isAttended,
  markMinutes,
  missedSessions,
  rollMissing,
  STATUS_KEYS,
  weekRequirement,
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

describe("billable days by level of care", () => {
  it("IOP (H0015): a day of exactly 180 minutes and not one of 179", () => {
    expect(BILLABLE_DAY_MINUTES).toBe(180);
    expect(billableCode("IOP", 180)).toBe("H0015");
    expect(billableCode("IOP", 179)).toBe(null);
    expect(billableCode("IOP", 90 + 90)).toBe("H0015");
  });

  it("PHP (S0201): 4 h 30 min is not a PHP day, 5 h is", () => {
    expect(billableCode("PHP", 270)).toBe(null);
    expect(billableCode("PHP", 299)).toBe(null);
    expect(billableCode("PHP", 300)).toBe("S0201");
    // Three hours is an IOP day's length, not a PHP day.
    expect(billableCode("PHP", 180)).toBe(null);
  });

  it("OP: a 3-hour day is not an H0015 day (OP bills per service), nor a longer one", () => {
    expect(billableCode("OP", 180)).toBe(null);
    expect(billableCode("OP", 600)).toBe(null);
  });

  it("counts each day once under the level in effect that day", () => {
    const days = [
      { date: "2026-12-07", level: "IOP", minutes: 180 }, // H0015
      { date: "2026-12-08", level: "IOP", minutes: 179 }, // none
      { date: "2026-12-09", level: "PHP", minutes: 270 }, // none (4 h 30 min)
      { date: "2026-12-10", level: "PHP", minutes: 300 }, // S0201
      { date: "2026-12-11", level: "OP", minutes: 180 }, // none
      { date: "2026-12-12", level: "IOP", minutes: 240 }, // H0015
    ] as const;
    expect(billableDays(days)).toEqual({ H0015: 2, S0201: 1, total: 3 });
    expect(billableDays([])).toEqual({ H0015: 0, S0201: 0, total: 0 });
  });
});

const MONDAY = "2026-12-07";
/** An adult (born 1990) in IOP since well before the week, unless told otherwise. */
const span = (over: Partial<CareSpan> = {}): CareSpan => ({
  dateOfBirth: "1990-05-01",
  admittedOn: "2026-11-02",
  dischargedOn: null,
  levels: [{ level: "IOP", effectiveOn: "2026-11-02" }],
  currentLevel: "IOP",
  ...over,
});

describe("weekRequirement: age on the week's Monday", () => {
  it("a patient turning 18 on Wednesday is held to the adolescent band all week, and to the adult band the next", () => {
    // Born 2008-12-09: 17 on Monday 2026-12-07, 18 on Wednesday 2026-12-09.
    const teen = span({ dateOfBirth: "2008-12-09" });
    const week = weekRequirement(MONDAY, teen);
    expect(week).toMatchObject({ ageOnMonday: 17, adolescent: true, minMinutes: 360, note: null, partialReasons: [] });
    expect(week.band.label).toBe("6–19 hours a week");
    expect(week.ageNote).toBe("Hours band by age on the week's Monday: 17, adolescent (ASAM IOP 6–19 h a week)");
    // 6 h attended, nothing left: met for the whole week, Wednesday's birthday notwithstanding.
    expect(weekStanding(360, 0, week).belowRequired).toBe(false);
    expect(weekStanding(359, 0, week).belowRequired).toBe(true);
    const next = weekRequirement("2026-12-14", teen);
    expect(next).toMatchObject({ ageOnMonday: 18, adolescent: false, minMinutes: 540 });
    expect(weekStanding(360, 0, next).belowRequired).toBe(true);
  });

  it("a birthday on the Monday itself counts from that week", () => {
    expect(weekRequirement(MONDAY, span({ dateOfBirth: "2008-12-07" }))).toMatchObject({ ageOnMonday: 18, minMinutes: 540 });
  });
});

describe("weekRequirement: partial weeks, prorated by calendar days in care", () => {
  it("a whole adult IOP week requires 9 h; 8 h 59 min is below, 9 h is not", () => {
    const week = weekRequirement(MONDAY, span());
    expect(week).toMatchObject({ daysInCare: 7, minMinutes: 540, note: null });
    expect(weekStanding(539, 0, week).belowRequired).toBe(true);
    expect(formatDuration(539)).toBe("8 h 59 min");
    expect(weekStanding(540, 0, week).belowRequired).toBe(false);
  });

  it("admitted Thursday: Thu–Sun, 4 days: 540 × 4 / 7 = 308.57, rounded up to 309 min (5 h 9 min)", () => {
    const week = weekRequirement(MONDAY, span({ admittedOn: "2026-12-10", levels: [{ level: "IOP", effectiveOn: "2026-12-10" }] }));
    expect(week).toMatchObject({ daysInCare: 4, minMinutes: 309, partialReasons: ["admitted Thu"] });
    expect(week.note).toBe("Partial week: admitted Thu — required hours prorated to 5 h 9 min");
    // Thursday and Friday's 3-hour groups (360 min) meet it; one of them (180) does not.
    expect(weekStanding(180, 180, week).belowRequired).toBe(false);
    expect(weekStanding(180, 0, week).belowRequired).toBe(true);
    expect(weekStanding(309, 0, week).belowRequired).toBe(false);
    expect(weekStanding(308, 0, week).belowRequired).toBe(true);
  });

  it("admitted Thursday as an adolescent: 360 × 4 / 7 = 205.71 → 206 min (3 h 26 min)", () => {
    const week = weekRequirement(MONDAY, span({ dateOfBirth: "2010-01-01", admittedOn: "2026-12-10" }));
    expect(week.minMinutes).toBe(206);
    expect(week.note).toBe("Partial week: admitted Thu — required hours prorated to 3 h 26 min");
  });

  it("admitted Sunday: 1 day, 540 / 7 = 77.14 → 78 min", () => {
    expect(weekRequirement(MONDAY, span({ admittedOn: "2026-12-13" }))).toMatchObject({ daysInCare: 1, minMinutes: 78, partialReasons: ["admitted Sun"] });
  });

  it("admitted the next week: no day in care, not judged", () => {
    expect(weekRequirement(MONDAY, span({ admittedOn: "2026-12-14" }))).toMatchObject({ daysInCare: 0, minMinutes: null });
  });

  it("step-down IOP → OP on Wednesday: Mon and Tue at IOP, 540 × 2 / 7 = 154.29 → 155 min (2 h 35 min); OP days owe nothing", () => {
    const week = weekRequirement(
      MONDAY,
      span({
        levels: [
          { level: "IOP", effectiveOn: "2026-11-02" },
          { level: "OP", effectiveOn: "2026-12-09" },
        ],
        currentLevel: "OP",
      }),
    );
    expect(week).toMatchObject({ daysInCare: 7, minMinutes: 155, level: "OP", partialReasons: ["IOP → OP from Wed"] });
    expect(week.note).toBe("Partial week: IOP → OP from Wed — required hours prorated to 2 h 35 min");
    // Monday's 3 hours meet it; the whole week is no longer held to the new level (nor to 9 h).
    expect(weekStanding(180, 0, week).belowRequired).toBe(false);
    expect(weekStanding(150, 0, week).belowRequired).toBe(true);
    // The week after is OP throughout: not judged.
    expect(weekRequirement("2026-12-14", span({ levels: [{ level: "OP", effectiveOn: "2026-12-09" }], currentLevel: "OP" }))).toMatchObject({
      minMinutes: null,
      note: null,
    });
  });

  it("step-up IOP → PHP on Thursday: 3 × 540 + 4 × 1200 = 6420 / 7 = 917.14 → 918 min (15 h 18 min)", () => {
    const week = weekRequirement(
      MONDAY,
      span({
        levels: [
          { level: "IOP", effectiveOn: "2026-11-02" },
          { level: "PHP", effectiveOn: "2026-12-10" },
        ],
        currentLevel: "PHP",
      }),
    );
    expect(week.minMinutes).toBe(918);
    expect(week.note).toBe("Partial week: IOP → PHP from Thu — required hours prorated to 15 h 18 min");
  });

  it("discharged Wednesday: Mon–Wed, 540 × 3 / 7 = 231.43 → 232 min (3 h 52 min)", () => {
    const week = weekRequirement(MONDAY, span({ dischargedOn: "2026-12-09" }));
    expect(week).toMatchObject({ daysInCare: 3, minMinutes: 232, partialReasons: ["discharged Wed"] });
    expect(week.note).toBe("Partial week: discharged Wed — required hours prorated to 3 h 52 min");
  });

  it("discharged on the Sunday is a whole week", () => {
    expect(weekRequirement(MONDAY, span({ dischargedOn: "2026-12-13" }))).toMatchObject({ daysInCare: 7, minMinutes: 540, note: null });
  });

  it("OP admitted Thursday: partial, and not judged", () => {
    const week = weekRequirement(MONDAY, span({ admittedOn: "2026-12-10", levels: [{ level: "OP", effectiveOn: "2026-12-10" }], currentLevel: "OP" }));
    expect(week.minMinutes).toBe(null);
    expect(week.note).toBe("Partial week: admitted Thu — not judged (no weekly minimum at OP)");
    expect(weekStanding(0, 0, week).belowRequired).toBe(false);
  });

  it("PHP all week: 20 h", () => {
    const week = weekRequirement(MONDAY, span({ levels: [{ level: "PHP", effectiveOn: "2026-11-02" }], currentLevel: "PHP" }));
    expect(week.minMinutes).toBe(1200);
    expect(weekStanding(1199, 0, week).belowRequired).toBe(true);
    expect(weekStanding(600, 600, week).belowRequired).toBe(false);
  });
});

describe("roll missing", () => {
  it("an unmarked session is still possible through its own day, and roll missing the day after", () => {
    // Today is Wednesday 2026-12-09 (site time).
    expect(rollMissing("2026-12-08", "2026-12-09")).toBe(true);
    expect(rollMissing("2026-12-09", "2026-12-09")).toBe(false);
    expect(rollMissing("2026-12-11", "2026-12-09")).toBe(false);
  });

  it("a session yesterday with no roll no longer hides a shortfall", () => {
    // Morning IOP M/W/F, 3 h each. Monday attended (180); Tuesday's individual session (60) had no roll;
    // Wednesday and Friday ahead (360). Before: 180 + 60 + 360 = 600 ≥ 540, not flagged.
    // Now Tuesday's hour is roll missing: 180 + 360 = 540, still met; had Monday been 179 minutes, below.
    const week = weekRequirement(MONDAY, span());
    expect(weekStanding(180, 360, week, 60)).toMatchObject({ rollMissingMinutes: 60, belowRequired: false });
    expect(weekStanding(179, 360, week, 60).belowRequired).toBe(true);
    // Monday's group with no roll (180 missing), Wednesday and Friday ahead: 0 + 360 < 540.
    expect(weekStanding(0, 360, week, 180)).toMatchObject({ attendedMinutes: 0, remainingMinutes: 360, rollMissingMinutes: 180, belowRequired: true });
  });
});

describe("weekStanding", () => {
  const adultIop = weekRequirement(MONDAY, span());
  const teenIop = weekRequirement(MONDAY, span({ dateOfBirth: "2010-01-01" }));
  const op = weekRequirement(MONDAY, span({ levels: [{ level: "OP", effectiveOn: "2026-11-02" }], currentLevel: "OP" }));

  it("adult IOP on Morning IOP (M/W/F, 3 h each): the still-possible minutes decide", () => {
    expect(weekStanding(0, 540, adultIop).belowRequired).toBe(false);
    expect(weekStanding(0, 539, adultIop).belowRequired).toBe(true);
    // Monday attended, Wednesday and Friday still ahead: 180 + 360 = 540.
    expect(weekStanding(180, 360, adultIop)).toMatchObject({ attendedMinutes: 180, remainingMinutes: 360, belowRequired: false });
    // Monday attended, Wednesday missed, Friday ahead: 180 + 180 = 360 < 540.
    expect(weekStanding(180, 180, adultIop).belowRequired).toBe(true);
    // Monday 150 min (late), Wednesday and Friday ahead: 150 + 360 = 510 < 540.
    expect(weekStanding(150, 360, adultIop).belowRequired).toBe(true);
  });

  it("adolescent IOP: the floor is 6 hours", () => {
    expect(weekStanding(360, 0, teenIop).belowRequired).toBe(false);
    expect(weekStanding(359, 0, teenIop).belowRequired).toBe(true);
    expect(weekStanding(180, 180, teenIop).belowRequired).toBe(false);
    expect(weekStanding(180, 180, adultIop).belowRequired).toBe(true);
  });

  it("OP: never below, there is no floor", () => {
    expect(weekStanding(0, 0, op)).toMatchObject({ belowRequired: false });
    expect(op.band.label).toBe("Under 9 hours a week");
  });

  it("keeps whole minutes; what is shown is hours and minutes, never a rounded tenth", () => {
    // 100 min = 1 h 40 min (was "1.7 h"); 50 min (was "0.8 h"); 230 min = 3 h 50 min (was "3.8 h").
    const a = weekStanding(100, 50, op);
    expect([formatDuration(a.attendedMinutes), formatDuration(a.remainingMinutes)]).toEqual(["1 h 40 min", "50 min"]);
    const b = weekStanding(230, 45, op);
    expect([formatDuration(b.attendedMinutes), formatDuration(b.remainingMinutes)]).toEqual(["3 h 50 min", "45 min"]);
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

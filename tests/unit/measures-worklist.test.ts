/** Home's measures worklist: when a measure is due, overdue or not yet listed, at the boundaries. */
import { describe, expect, it } from "vitest";
import { lateness, measureDue, measureIntervalDays, worklistState } from "~/features/measures/rules";

const TODAY = "2026-12-06";
const state = (lastOn: string | null, admittedOn = "2026-09-01", dischargedOn: string | null = null) =>
  worklistState(measureDue({ admittedOn, dischargedOn, lastOn, today: TODAY, intervalDays: 30 }), TODAY);

describe("the worklist state of a measure", () => {
  it("lists a repeat due within the next 7 days as due, and not one due in 8", () => {
    // Last given Nov 13: due Nov 13 + 30 = Dec 13, 7 days from Dec 6: due.
    expect(state("2026-11-13")).toBe("due");
    // Last given Nov 14: due Dec 14, 8 days ahead: not listed yet.
    expect(state("2026-11-14")).toBeNull();
  });

  it("keeps a measure due through the 7-day grace, then overdue", () => {
    // Last given Oct 30: due Nov 29, 7 days ago: still due.
    expect(state("2026-10-30")).toBe("due");
    // Last given Oct 29: due Nov 28, 8 days ago: overdue.
    expect(state("2026-10-29")).toBe("overdue");
  });

  it("counts the intake from the admission day", () => {
    expect(state(null, "2026-11-29")).toBe("due");
    expect(state(null, "2026-11-28")).toBe("overdue");
    // A measure given before this admission does not count as its intake.
    expect(state("2026-10-01", "2026-12-01")).toBe("due");
  });

  it("lists a discharge measure for 7 days after discharge, then lets it go as missed", () => {
    expect(state("2026-10-01", "2026-09-01", "2026-11-29")).toBe("due");
    expect(state("2026-10-01", "2026-09-01", "2026-11-28")).toBeNull();
    // Given in the week before discharge: done.
    expect(state("2026-11-25", "2026-09-01", "2026-12-01")).toBeNull();
  });

  it("follows the site's interval", () => {
    // 14 days: last given Nov 20 → due Dec 4: due. 30 days: due Dec 20: not yet.
    const due = (interval: number) =>
      worklistState(measureDue({ admittedOn: "2026-09-01", dischargedOn: null, lastOn: "2026-11-20", today: TODAY, intervalDays: interval }), TODAY);
    expect(due(14)).toBe("due");
    expect(due(30)).toBeNull();
  });
});

describe("how late, in words", () => {
  it("reads the days from the due date", () => {
    expect([lateness(-3), lateness(-1), lateness(0), lateness(1), lateness(12)]).toEqual(["in 3 days", "tomorrow", "today", "1 day late", "12 days late"]);
  });
});

describe("the interval setting's bounds", () => {
  it("accepts whole days from 7 to 90 and falls back to 30 otherwise", () => {
    expect([measureIntervalDays("7"), measureIntervalDays("90"), measureIntervalDays("6"), measureIntervalDays("91"), measureIntervalDays("14.5")]).toEqual([
      7, 90, 30, 30, 30,
    ]);
  });
});

/**
 * Issue 21, coverage part: the rules the Coverage section, the authorizations list and Home's
 * utilization alerts read — overlap of two authorizations, units used / remaining / days left, and
 * when Medicare's recertification falls due. Every expected value was worked out by hand (dates
 * counted on a calendar), never computed with the code under test.
 */
import { describe, expect, it } from "vitest";
import { type AttendedDay, type AuthorizationSpan, authorizationUse, certificationOn, spansOverlap } from "~/features/billing/rules";

const day = (date: string, minutes: number, level: AttendedDay["level"] = "IOP", sessions = 1): AttendedDay => ({
  date,
  level,
  minutes,
  documentedMinutes: minutes,
  sessions,
});

describe("spansOverlap (both ends inclusive)", () => {
  it("sees a shared last/first day as an overlap, and the next day as none", () => {
    expect(spansOverlap({ startsOn: "2026-11-01", endsOn: "2026-11-10" }, { startsOn: "2026-11-10", endsOn: "2026-11-20" })).toBe(true);
    expect(spansOverlap({ startsOn: "2026-11-01", endsOn: "2026-11-10" }, { startsOn: "2026-11-11", endsOn: "2026-11-20" })).toBe(false);
    expect(spansOverlap({ startsOn: "2026-11-11", endsOn: "2026-11-20" }, { startsOn: "2026-11-01", endsOn: "2026-11-10" })).toBe(false);
  });
  it("sees one span inside another as an overlap", () => {
    expect(spansOverlap({ startsOn: "2026-11-01", endsOn: "2026-11-30" }, { startsOn: "2026-11-05", endsOn: "2026-11-06" })).toBe(true);
  });
});

describe("authorizationUse", () => {
  // 10 IOP days approved, Monday Nov 2 to Sunday Nov 15, 2026.
  const auth: AuthorizationSpan = {
    id: "a",
    level: "IOP",
    unitKind: "days",
    unitsApproved: 10,
    startsOn: "2026-11-02",
    endsOn: "2026-11-15",
    status: "approved",
  };
  const days = [
    day("2026-11-02", 180), // 3 h: billable IOP day, counts
    day("2026-11-03", 170), // 2 h 50: below IOP's 3 h, does not use a unit
    day("2026-11-04", 300, "PHP"), // another level
    day("2026-11-05", 200), // counts
    day("2026-10-30", 180), // before the span
    day("2026-11-16", 180), // after the span
  ];

  it("counts only days billable by their hours, at the level, inside the dates", () => {
    // Used: Nov 2 and Nov 5 = 2; remaining 10 − 2 = 8; on Nov 10, days left Nov 10..15 = 6.
    expect(authorizationUse(auth, days, "2026-11-10")).toEqual({ used: 2, remaining: 8, daysLeft: 6, exceeded: false });
  });

  it("counts days left from the start before it begins, and none after it ends", () => {
    // Before it starts: Nov 2..15 = 14 days. The last day itself: 1. The day after: 0.
    expect(authorizationUse(auth, days, "2026-10-28").daysLeft).toBe(14);
    expect(authorizationUse(auth, days, "2026-11-15").daysLeft).toBe(1);
    expect(authorizationUse(auth, days, "2026-11-16").daysLeft).toBe(0);
  });

  it("says exceeded, with remaining below zero, past the approved units", () => {
    const two = { ...auth, unitsApproved: 2 };
    const three = [day("2026-11-02", 180), day("2026-11-03", 185), day("2026-11-04", 240)];
    expect(authorizationUse(two, three, "2026-11-05")).toEqual({ used: 3, remaining: -1, daysLeft: 11, exceeded: true });
  });

  it("counts whole attended hours for an hours authorization and sessions for a sessions one", () => {
    // 3 h 40 = 3 hours; 4 h 59 = 4 hours: 7 of 20 used. Sessions: 2 + 3 = 5 of 12.
    const attended = [day("2026-11-02", 220, "IOP", 2), day("2026-11-03", 299, "IOP", 3)];
    expect(authorizationUse({ ...auth, unitKind: "hours", unitsApproved: 20 }, attended, "2026-11-03").used).toBe(7);
    expect(authorizationUse({ ...auth, unitKind: "sessions", unitsApproved: 12 }, attended, "2026-11-03").remaining).toBe(7);
  });
});

describe("certificationOn (42 CFR 424.24: IOP 60th day then every 60; PHP 18th day then every 30)", () => {
  const IOP = { firstDay: 60, intervalDays: 60 };
  const PHP = { firstDay: 18, intervalDays: 30 };
  const initial = { kind: "initial" as const, certifiedOn: "2026-01-05" };

  it("IOP: admitted Jan 5 (day 1), the first recertification is due on day 60, March 5", () => {
    // Jan 5 → Feb 5 is 31 days, Feb 5 → Mar 5 is 28: day 1 + 59 days = Mar 5.
    expect(certificationOn([initial], "2026-01-05", IOP, "2026-03-05")).toEqual({ current: true, dueOn: "2026-03-05" });
    expect(certificationOn([initial], "2026-01-05", IOP, "2026-03-06")).toEqual({ current: false, dueOn: "2026-03-05" });
  });

  it("IOP: a recertification on March 2 moves the next one 60 days on, to May 1", () => {
    // Mar 2 → Apr 2 is 31 days, Apr 2 → May 1 is 29: 60.
    const certs = [initial, { kind: "recertification" as const, certifiedOn: "2026-03-02" }];
    expect(certificationOn(certs, "2026-01-05", IOP, "2026-04-15")).toEqual({ current: true, dueOn: "2026-05-01" });
    // Read before March 2, the recertification does not exist yet.
    expect(certificationOn(certs, "2026-01-05", IOP, "2026-03-01")).toEqual({ current: true, dueOn: "2026-03-05" });
  });

  it("PHP: admitted Jan 5, due on day 18 (Jan 22); recertified Jan 20, next due Feb 19", () => {
    expect(certificationOn([initial], "2026-01-05", PHP, "2026-01-23")).toEqual({ current: false, dueOn: "2026-01-22" });
    const certs = [initial, { kind: "recertification" as const, certifiedOn: "2026-01-20" }];
    expect(certificationOn(certs, "2026-01-05", PHP, "2026-02-19")).toEqual({ current: true, dueOn: "2026-02-19" });
    expect(certificationOn(certs, "2026-01-05", PHP, "2026-02-20").current).toBe(false);
  });

  it("without an initial certification nothing is current", () => {
    expect(certificationOn([], "2026-01-05", IOP, "2026-01-10")).toEqual({ current: false, dueOn: null });
    expect(certificationOn([{ kind: "recertification", certifiedOn: "2026-01-06" }], "2026-01-05", IOP, "2026-01-10")).toEqual({ current: false, dueOn: null });
  });
});

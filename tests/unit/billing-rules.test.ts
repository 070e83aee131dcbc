/**
 * The revenue-cycle rules (app/features/billing/rules.ts) against values worked out by hand:
 * counting authorization units down from attended days, and every reason a day's charge is held;
 * and the fee schedule form's refusals (app/features/billing/schemas.ts).
 */
import { describe, expect, it } from "vitest";
import {
  allocateDays,
  type AttendedDay,
  type AuthorizationSpan,
  codeWithModifiers,
  dayCover,
  type DayFacts,
  holdReasons,
  median,
  money,
  percentileNearestRank,
  splitModifiers,
} from "~/features/billing/rules";
import { centsOf, FeeRowSchema } from "~/features/billing/charge-schemas";

const day = (date: string, minutes = 180, over: Partial<AttendedDay> = {}): AttendedDay => ({
  date,
  level: "IOP",
  minutes,
  documentedMinutes: minutes,
  sessions: 2,
  ...over,
});
const auth = (over: Partial<AuthorizationSpan> = {}): AuthorizationSpan => ({
  id: "A1",
  level: "IOP",
  unitKind: "days",
  unitsApproved: 10,
  startsOn: "2026-11-02",
  endsOn: "2026-11-30",
  status: "approved",
  ...over,
});
// The weekdays 2026-11-02 .. 2026-11-17: twelve days.
const TWELVE = ["02", "03", "04", "05", "06", "09", "10", "11", "12", "13", "16", "17"].map((d) => `2026-11-${d}`);

describe("allocateDays", () => {
  it("covers the first 10 of 12 three-hour days under a 10-day authorization and marks the last 2 exhausted", () => {
    // Given out of order: the count walks them by date.
    const out = allocateDays(
      [...TWELVE].reverse().map((d) => day(d)),
      [auth()],
    );
    expect(TWELVE.map((d) => out.get(d)!.kind)).toEqual([...Array(10).fill("covered"), "exhausted", "exhausted"]);
    expect(out.get("2026-11-16")).toEqual({ kind: "exhausted", authorizationId: "A1", units: 1 });
  });

  it("skips a day below its hours (2 h 59 min at IOP): it uses no unit, so the 11th day is covered", () => {
    const days = TWELVE.map((d, i) => day(d, i === 2 ? 179 : 180));
    const out = allocateDays(days, [auth()]);
    expect(out.has("2026-11-04")).toBe(false);
    expect(out.get("2026-11-16")!.kind).toBe("covered");
    expect(out.get("2026-11-17")!.kind).toBe("exhausted");
  });

  it("counts sessions and whole hours when the payer authorizes those", () => {
    // 6 sessions approved, 2 a day: days 1-3 covered (2, 4, 6), day 4 exhausted (8).
    const sessions = allocateDays(
      TWELVE.slice(0, 4).map((d) => day(d)),
      [auth({ unitKind: "sessions", unitsApproved: 6 })],
    );
    expect(TWELVE.slice(0, 4).map((d) => sessions.get(d)!.kind)).toEqual(["covered", "covered", "covered", "exhausted"]);
    // 10 hours approved: 3 h 40 min uses 3, so 3 + 3 + 3 = 9 covered, the 4th day (12) exhausted.
    const hours = allocateDays(
      TWELVE.slice(0, 4).map((d) => day(d, 220)),
      [auth({ unitKind: "hours", unitsApproved: 10 })],
    );
    expect(TWELVE.slice(0, 4).map((d) => hours.get(d))).toEqual([
      { kind: "covered", authorizationId: "A1", units: 3 },
      { kind: "covered", authorizationId: "A1", units: 3 },
      { kind: "covered", authorizationId: "A1", units: 3 },
      { kind: "exhausted", authorizationId: "A1", units: 3 },
    ]);
  });

  it("names a day after the last approved authorization 'expired', and one with none at its level 'none'", () => {
    const a = auth({ endsOn: "2026-11-06" });
    const out = allocateDays([day("2026-11-05"), day("2026-11-09"), day("2026-11-10", 300, { level: "PHP" })], [a]);
    expect(out.get("2026-11-05")!.kind).toBe("covered");
    expect(out.get("2026-11-09")).toEqual({ kind: "expired", authorizationId: "A1" });
    expect(out.get("2026-11-10")).toEqual({ kind: "none" });
    // A requested (not approved) authorization covers nothing.
    expect(allocateDays([day("2026-11-05")], [auth({ status: "requested" })]).get("2026-11-05")).toEqual({ kind: "none" });
  });

  it("gives a short day the authorization in force, counting nothing (dayCover)", () => {
    const a = auth();
    const short = day("2026-11-03", 150);
    expect(dayCover(short, allocateDays([short], [a]), [a])).toEqual({ kind: "covered", authorizationId: "A1", units: 0 });
    expect(dayCover(day("2026-12-01", 150), new Map(), [a])).toEqual({ kind: "expired", authorizationId: "A1" });
  });
});

describe("holdReasons", () => {
  const ready: DayFacts = {
    day: day("2026-11-02"),
    fee: { minMinutes: 180, requiresSignedNote: true },
    hasCoverage: true,
    cover: { kind: "covered", authorizationId: "A1", units: 1 },
    medicare: false,
    certificationCurrent: true,
    consentAllows: true,
  };

  it("holds nothing back on a documented 3-hour day under an authorization with consent", () => {
    expect(holdReasons(ready)).toEqual([]);
  });

  it("names every reason at once, in the screen's order", () => {
    expect(
      holdReasons({
        ...ready,
        day: day("2026-11-02", 150, { documentedMinutes: 90 }),
        cover: { kind: "exhausted", authorizationId: "A1", units: 1 },
        medicare: true,
        certificationCurrent: false,
        consentAllows: false,
      }),
    ).toEqual(["below_hours", "note_unsigned", "authorization_exhausted", "no_medicare_certification", "no_consent"]);
  });

  it("reads the payer's day rule, and the level's rule when there is no fee schedule row", () => {
    // The payer wants 4 hours: 3 h 30 min is short for them.
    expect(holdReasons({ ...ready, day: day("2026-11-02", 210), fee: { minMinutes: 240, requiresSignedNote: true } })).toEqual(["below_hours"]);
    // No row: IOP's 180 minutes (attendance's BILLABLE_DAY_RULES) still names the short day.
    expect(holdReasons({ ...ready, day: day("2026-11-02", 150), fee: null })).toEqual(["below_hours", "no_fee_schedule"]);
    expect(holdReasons({ ...ready, day: day("2026-11-02", 299, { level: "PHP" }), fee: null })).toEqual(["below_hours", "no_fee_schedule"]);
  });

  it("does not ask for signed notes when the payer's row does not", () => {
    expect(holdReasons({ ...ready, day: day("2026-11-02", 180, { documentedMinutes: 0 }), fee: { minMinutes: 180, requiresSignedNote: false } })).toEqual([]);
  });

  it("says 'no coverage' alone when there is none: no authorization or consent can be sought without a payer", () => {
    expect(holdReasons({ ...ready, fee: null, hasCoverage: false, cover: { kind: "none" }, consentAllows: false })).toEqual(["no_coverage"]);
  });

  it("needs no authorization from self-pay or grant-funded care", () => {
    expect(holdReasons({ ...ready, cover: { kind: "none" }, authorizationRequired: false })).toEqual([]);
    expect(holdReasons({ ...ready, cover: { kind: "expired", authorizationId: "A1" } })).toEqual(["authorization_expired"]);
    expect(holdReasons({ ...ready, cover: { kind: "none" } })).toEqual(["no_authorization"]);
  });
});

describe("fee schedule form", () => {
  const base = {
    intent: "save-fee",
    payerId: "p1",
    level: "IOP",
    claimType: "professional",
    procedureCode: "h0015",
    modifiers: "hf",
    revenueCode: "",
    unitsPerDay: "1",
    minMinutes: "180",
    requiresSignedNote: "yes",
    rate: "$1,250.5",
  };
  const errors = (over: Record<string, string>) => {
    const r = FeeRowSchema.safeParse({ ...base, ...over });
    return r.success ? {} : Object.fromEntries(r.error.issues.map((i) => [String(i.path[0]), i.message]));
  };

  it("reads codes in capitals, modifiers as a list and the rate in cents", () => {
    expect(FeeRowSchema.parse(base)).toMatchObject({ procedureCode: "H0015", modifiers: "HF", rate: 125_050, requiresSignedNote: true, unitsPerDay: 1 });
    expect(centsOf("250")).toBe(25_000);
    expect(centsOf("0.5")).toBe(50);
    expect(centsOf("2.505")).toBeNull();
    expect(splitModifiers(" hf, u7 ")).toEqual(["HF", "U7"]);
    expect(codeWithModifiers("H0015", "HF,U7")).toBe("H0015-HF-U7");
    expect(money(125_050)).toBe("$1,250.50");
  });

  it("refuses a row missing its code, a malformed modifier, a negative rate and an institutional row without a revenue code", () => {
    expect(errors({ procedureCode: "" })).toEqual({ procedureCode: "Enter the procedure code (for example H0015)." });
    expect(errors({ procedureCode: "HH15" })).toEqual({ procedureCode: "A procedure code is a letter and four digits (H0015) or five CPT characters." });
    expect(errors({ modifiers: "HF, U77" })).toEqual({ modifiers: "“U77”: each modifier is two letters or digits (for example HF)." });
    expect(errors({ modifiers: "HF U7 HA HB TF" })).toEqual({ modifiers: "A claim line holds at most 4 modifiers." });
    expect(errors({ rate: "-5.00" })).toEqual({ rate: "A rate cannot be negative." });
    expect(errors({ rate: "five" })).toEqual({ rate: "Enter the rate as dollars and cents (for example 250.00)." });
    expect(errors({ claimType: "institutional" })).toEqual({ revenueCode: "An institutional (837I) claim needs a revenue code: choose one." });
    expect(errors({ revenueCode: "0905" })).toEqual({ revenueCode: "Revenue codes go on institutional (837I) claims only: leave it empty for 837P." });
    expect(errors({ claimType: "institutional", revenueCode: "0999" })).toEqual({ revenueCode: "Choose a revenue code from the list." });
    expect(errors({ claimType: "institutional", revenueCode: "0905" })).toEqual({});
  });
});

describe("days from service to export: median and 90th percentile", () => {
  it("takes the middle value of an odd count and the mean of the two middle values of an even count", () => {
    expect(median([])).toBeNull();
    expect(median([7])).toBe(7);
    // Sorted 2, 5, 30: the second.
    expect(median([30, 2, 5])).toBe(5);
    // Sorted 1, 2, 4, 9: (2 + 4) / 2 = 3.
    expect(median([9, 1, 4, 2])).toBe(3);
    // Sorted 2, 3: (2 + 3) / 2 = 2.5 — a half day is kept, not rounded.
    expect(median([3, 2])).toBe(2.5);
  });

  it("reads the 90th percentile at rank ⌈0.9 × n⌉ of the sorted values", () => {
    expect(percentileNearestRank([], 90)).toBeNull();
    expect(percentileNearestRank([4], 90)).toBe(4);
    // n = 10: rank ⌈9⌉ = 9, the ninth smallest of 1..10 is 9.
    expect(percentileNearestRank([10, 9, 8, 7, 6, 5, 4, 3, 2, 1], 90)).toBe(9);
    // n = 11: rank ⌈9.9⌉ = 10: of 1..11, 10.
    expect(percentileNearestRank([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], 90)).toBe(10);
    // n = 4 (1, 2, 4, 9): rank ⌈3.6⌉ = 4: the longest, 9.
    expect(percentileNearestRank([9, 1, 4, 2], 90)).toBe(9);
  });
});

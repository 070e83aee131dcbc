import { describe, expect, it } from "vitest";
import { engagementEvents, ietOutcome } from "~/features/reports/engagement";

// HEDIS IET (MY2025): two engagement visits on one date count as two events only with different providers.
describe("engagement events", () => {
  it("counts two services on one day with the same provider as one event", () => {
    expect(
      engagementEvents([
        { date: "2026-04-20", providerId: "fay" },
        { date: "2026-04-20", providerId: "fay" },
      ]),
    ).toBe(1);
  });

  it("counts two services on one day with different providers as two events", () => {
    expect(
      engagementEvents([
        { date: "2026-04-20", providerId: "fay" },
        { date: "2026-04-20", providerId: "ed" },
      ]),
    ).toBe(2);
  });

  it("counts services on different days as separate events, whoever gave them", () => {
    expect(
      engagementEvents([
        { date: "2026-04-20", providerId: "fay" },
        { date: "2026-04-21", providerId: "fay" },
        { date: "2026-04-21", providerId: "fay" },
      ]),
    ).toBe(2);
    expect(engagementEvents([])).toBe(0);
  });
});

describe("IET outcome of an episode", () => {
  const admitted = "2026-04-01";

  it("initiates on the first service on day 0–14 and engages with two events in the 34 days after", () => {
    // Day 3 initiates (04-04); 04-05 and 05-08 (= 04-04 + 34) are two events → engaged.
    expect(
      ietOutcome(admitted, [
        { date: "2026-05-08", providerId: "fay" },
        { date: "2026-04-04", providerId: "fay" },
        { date: "2026-04-05", providerId: "fay" },
      ]),
    ).toEqual({ initiatedOn: "2026-04-04", engaged: true });
  });

  it("does not engage on two same-day services from one provider, and does with two providers", () => {
    const initiation = { date: "2026-04-02", providerId: "fay" };
    expect(ietOutcome(admitted, [initiation, { date: "2026-04-10", providerId: "fay" }, { date: "2026-04-10", providerId: "fay" }])).toEqual({
      initiatedOn: "2026-04-02",
      engaged: false,
    });
    expect(ietOutcome(admitted, [initiation, { date: "2026-04-10", providerId: "fay" }, { date: "2026-04-10", providerId: "ed" }])).toEqual({
      initiatedOn: "2026-04-02",
      engaged: true,
    });
  });

  it("leaves out services on the initiation day and after day 34", () => {
    // Initiated 04-02; another on 04-02 (same day) and one on 05-07 (04-02 + 35) do not count.
    expect(
      ietOutcome(admitted, [
        { date: "2026-04-02", providerId: "fay" },
        { date: "2026-04-02", providerId: "ed" },
        { date: "2026-04-20", providerId: "fay" },
        { date: "2026-05-07", providerId: "fay" },
      ]),
    ).toEqual({ initiatedOn: "2026-04-02", engaged: false });
  });

  it("does not initiate when the first service is on day 15", () => {
    expect(ietOutcome(admitted, [{ date: "2026-04-16", providerId: "fay" }])).toEqual({ initiatedOn: null, engaged: false });
    expect(ietOutcome(admitted, [{ date: "2026-04-15", providerId: "fay" }])).toEqual({ initiatedOn: "2026-04-15", engaged: false });
  });
});

import { parseWithZod } from "@conform-to/zod/v4";
import { describe, expect, it } from "vitest";
import {
  chronological,
  dimensionLabel,
  dimensionMoves,
  dimensionName,
  missingRatings,
  moveSummary,
  movementTable,
  placementProblems,
  type Ratings,
  RATING_LABELS,
} from "~/features/assessments/rules";
import { assessmentSchema, dimensionsOf, editionSchema } from "~/features/assessments/schemas";

const r = (...v: number[]) => Object.fromEntries(v.map((x, i) => [i + 1, x])) as unknown as Ratings;

describe("ASAM dimensions", () => {
  it("names the six dimensions in each edition", () => {
    expect(dimensionName("3", 1)).toBe("Acute intoxication and/or withdrawal potential");
    expect(dimensionName("3", 4)).toBe("Readiness to change");
    expect(dimensionName("3", 6)).toBe("Recovery/living environment");
    expect(dimensionName("4", 1)).toBe("Intoxication, withdrawal, and addiction medications");
    expect(dimensionName("4", 4)).toBe("Substance use-related risks");
    expect(dimensionName("4", 6)).toBe("Person-centered considerations");
    expect(dimensionLabel("3", 2)).toBe("Dimension 2: Biomedical conditions and complications");
  });
  it("says what each rating means", () => {
    expect(Object.keys(RATING_LABELS)).toEqual(["0", "1", "2", "3", "4"]);
    expect(RATING_LABELS[0]).toBe("No current risk");
    expect(RATING_LABELS[4]).toMatch(/life-threatening/);
  });
});

describe("movement", () => {
  it("reads each dimension up, down or the same (hand-computed)", () => {
    // intake 3 1 2 3 3 2 → review 1 1 3 2 2 2: D1 −2, D2 0, D3 +1, D4 −1, D5 −1, D6 0
    const moves = dimensionMoves(r(3, 1, 2, 3, 3, 2), r(1, 1, 3, 2, 2, 2));
    expect(moves.map((m) => m.direction)).toEqual(["down", "same", "up", "down", "down", "same"]);
    expect(moves.map((m) => m.change)).toEqual([-2, 0, 1, -1, -1, 0]);
    expect(moves[0]).toEqual({ dimension: 1, from: 3, to: 1, change: -2, direction: "down" });
    expect(moveSummary(moves)).toEqual({ improved: 3, worsened: 1, same: 2 });
  });
  it("builds the dimension × assessment table with arrows from the one before", () => {
    const table = movementTable([
      { id: "a", ratings: r(2, 0, 3, 2, 3, 2) },
      { id: "b", ratings: r(1, 0, 2, 2, 3, 3) },
      { id: "c", ratings: r(0, 1, 2, 1, 2, 3) },
    ]);
    expect(table).toHaveLength(6);
    expect(table[0].cells).toEqual([
      { id: "a", rating: 2, direction: null },
      { id: "b", rating: 1, direction: "down" },
      { id: "c", rating: 0, direction: "down" },
    ]);
    expect(table[1].cells.map((c) => c.direction)).toEqual([null, "same", "up"]);
    expect(table[5].cells.map((c) => c.direction)).toEqual([null, "up", "same"]);
  });
  it("orders assessments by date, then by when they were saved", () => {
    const list = [
      { id: "late", assessedOn: "2026-10-01", createdAt: "2026-10-01T10:00:00Z" },
      { id: "same-day-2", assessedOn: "2026-09-01", createdAt: "2026-09-01T12:00:00Z" },
      { id: "same-day-1", assessedOn: "2026-09-01", createdAt: "2026-09-01T09:00:00Z" },
    ];
    expect(chronological(list).map((a) => a.id)).toEqual(["same-day-1", "same-day-2", "late"]);
  });
});

describe("validation", () => {
  it("finds missing and out-of-range ratings", () => {
    expect(missingRatings({ 1: 0, 2: 4, 3: 2, 4: 1, 5: 3, 6: 0 })).toEqual([]);
    expect(missingRatings({ 1: 0, 2: 5, 3: 2.5, 5: 3, 6: -1 })).toEqual([2, 3, 4, 6]);
  });
  it("asks for a reason only when placed differs from recommended", () => {
    expect(placementProblems({ recommended: "IOP", placed: "IOP" })).toEqual({});
    expect(placementProblems({ recommended: "PHP", placed: "IOP" }).reason).toMatch(/differs/);
    expect(placementProblems({ recommended: "PHP", placed: "IOP", reason: "payer" })).toEqual({});
    expect(placementProblems({ recommended: "PHP", placed: "IOP", reason: "other", note: " " }).note).toMatch(/other reason/);
    expect(placementProblems({ recommended: "PHP", placed: "IOP", reason: "other", note: "Court order" })).toEqual({});
  });

  const form = (over: Record<string, string | undefined> = {}) => {
    const fd = new FormData();
    const values: Record<string, string | undefined> = {
      requestKey: "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b",
      basis: "",
      edition: "3",
      kind: "intake",
      assessedOn: "2026-12-01",
      recommendedLevel: "IOP",
      placedLevel: "IOP",
      ...Object.fromEntries(
        [1, 2, 3, 4, 5, 6].flatMap((d) => [
          [`d${d}Rating`, String(d % 5)],
          [`d${d}Narrative`, `Dimension ${d} findings.`],
        ]),
      ),
      ...over,
    };
    for (const [k, v] of Object.entries(values)) if (v !== undefined) fd.set(k, v);
    return parseWithZod(fd, { schema: assessmentSchema("2026-12-06") });
  };

  it("accepts a complete form and reads its dimensions", () => {
    const s = form();
    expect(s.status).toBe("success");
    if (s.status !== "success") return;
    expect(dimensionsOf(s.value).ratings).toEqual(r(1, 2, 3, 4, 0, 1));
    expect(dimensionsOf(s.value).narratives[6]).toBe("Dimension 6 findings.");
  });
  it("refuses a missing rating, a missing narrative, a future date and an unexplained placement", () => {
    const s = form({ d3Rating: undefined, d5Narrative: "  ", assessedOn: "2026-12-07", placedLevel: "OP" });
    expect(s.status).toBe("error");
    const errors = s.reply().error ?? {};
    expect(errors.d3Rating?.[0]).toMatch(/risk rating from 0 to 4 for dimension 3/);
    expect(errors.d5Narrative?.[0]).toMatch(/Describe dimension 5/);
    expect(errors.assessedOn?.[0]).toMatch(/future/);
    expect(errors.differenceReason?.[0]).toMatch(/differs from the level recommended/);
  });
  it("refuses a rating out of range", () => {
    expect(form({ d1Rating: "5" }).reply().error?.d1Rating?.[0]).toMatch(/0 to 4/);
  });
});

describe("the kind a new assessment starts on", () => {
  it("is intake first, then plan review, and discharge after discharge", async () => {
    const { suggestedKind } = await import("~/features/assessments/rules");
    expect(suggestedKind("active", 0)).toBe("intake");
    expect(suggestedKind("active", 2)).toBe("review");
    expect(suggestedKind("discharged", 1)).toBe("discharge");
  });
});

describe("the edition setting's form", () => {
  it("accepts the first choice of a site that never chose (version 0) and refuses a missing or negative version", () => {
    // A site that never chose follows the network's setting and has no row of its own yet: version 0.
    expect(editionSchema.safeParse({ edition: "4", version: "0" }).success).toBe(true);
    expect(editionSchema.safeParse({ edition: "4", version: "3" }).success).toBe(true);
    expect(editionSchema.safeParse({ edition: "4", version: "-1" }).success).toBe(false);
    expect(editionSchema.safeParse({ edition: "5", version: "0" }).success).toBe(false);
  });
});

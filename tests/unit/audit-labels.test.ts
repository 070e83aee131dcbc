import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ACTION_LABELS, actionLabel, describeChanges } from "~/features/audit/labels";

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? sources(p) : /\.tsx?$/.test(p) ? [p] : [];
  });
}

/** Every action code the app and its scripts write, read from the code as the issue asked (grep `action:`). */
function writtenActions(): string[] {
  const codes = new Set<string>();
  for (const file of [...sources("app"), ...sources("scripts"), ...sources("seeds")]) {
    const text = readFileSync(file, "utf8");
    for (const m of text.matchAll(/action:[^,\n]*?"([a-z_]+\.[a-z_]+)"/g)) codes.add(m[1]);
    // Two-way choices: action: x ? "a.b" : "c.d"
    for (const m of text.matchAll(/action:[^\n]*\?\s*"([a-z_]+\.[a-z_]+)"\s*:\s*"([a-z_]+\.[a-z_]+)"/g)) [m[1], m[2]].forEach((c) => codes.add(c));
    for (const m of text.matchAll(/wrongCode\([^)]*?"([a-z_]+\.[a-z_]+)"/g)) codes.add(m[1]);
  }
  return [...codes].sort();
}

describe("audit action labels", () => {
  it("has a label for every action code the code writes", () => {
    const found = writtenActions();
    expect(found.length).toBeGreaterThan(70);
    expect(found.filter((c) => !(c in ACTION_LABELS))).toEqual([]);
  });

  it("labels the codes written from templates (collection outcomes, amendment decisions, retiring tracks and rooms)", () => {
    for (const c of ["drug_test.refused", "drug_test.no_show", "amendment.accepted", "amendment.denied", "track.deactivated", "room.reactivated"]) {
      expect(ACTION_LABELS[c], c).toBeTruthy();
    }
  });

  it("turns an unknown code into words rather than showing it raw", () => {
    expect(actionLabel("drug_test.results_recorded")).toBe("Recorded drug-test results");
    expect(actionLabel("something_new.happened")).toBe("Something new happened");
  });
});

describe("readable changes", () => {
  it("reads before and after as 'Field: old → new' and details as 'Field: value'", () => {
    const json = JSON.stringify({
      before: { levelOfCare: "IOP", active: 1, address: "1 Main St\nTown" },
      after: { levelOfCare: "OP", active: false, address: "2 Main St\nTown" },
      detail: { section: "history", siteIds: ["a", "b"] },
    });
    expect(describeChanges(json)).toEqual([
      "Level of care: IOP — intensive outpatient → OP — outpatient",
      "Active: Yes → No",
      "Address: 1 Main St\nTown → 2 Main St\nTown",
      "Section: history",
      "Sites: a, b",
    ]);
  });

  it("reads stored dates and instants as the rest of the app shows them, instants in the site's zone", () => {
    const json = JSON.stringify({
      after: { signedOn: "2026-10-26" },
      detail: { collectedAt: "2026-12-05T19:30:07.120Z", window: ["2026-11-02", "2026-11-30"] },
    });
    // 19:30 UTC on Dec 5 is 2:30 PM in New York (EST, UTC−5).
    expect(describeChanges(json, "America/New_York")).toEqual([
      "Signed on: Oct 26, 2026",
      "Collected at: Dec 5, 2026, 2:30 PM",
      "Window: Nov 2, 2026, Nov 30, 2026",
    ]);
  });

  it("reads set-only values, nested records and empty values without JSON", () => {
    const json = JSON.stringify({ after: { "MRN-000012": { status: "late", minutes: 150, note: null }, revokedAt: null } });
    expect(describeChanges(json)).toEqual(["MRN-000012: status Late, minutes 150, note —", "Revoked at: —"]);
    expect(describeChanges(null)).toEqual([]);
  });
});

/**
 * The progress-note rules with no I/O, against values worked out by hand: what keeps a note from
 * being signed (group and individual, every branch), the late-entry line (exactly the late hours
 * is on time, one second more is late), the completion lag, the median, where a note stands and
 * minutes documented per day.
 */
import { describe, expect, it } from "vitest";
import {
  documentedByDay,
  documents,
  EMPTY_ENTRY,
  EMPTY_SHARED,
  type EntryContent,
  entrySections,
  isLateEntry,
  lagHours,
  median,
  noteGaps,
  noteState,
  parseEntry,
  parseShared,
  sessionHeld,
} from "~/features/notes/rules";

const SHARED = { topic: "Relapse warning signs", curriculum: "Matrix Model, session 4", interventions: "Psychoeducation; role-play", process: "Engaged" };
const entry = (over: Partial<EntryContent> = {}): EntryContent => ({ ...EMPTY_ENTRY, sections: {}, ...over });
/** A group member's part with nothing missing. */
const GROUP_DONE = entry({ sections: { response: "Shared a trigger.", plan: "Log cravings." }, participation: "active", harm: "denied", use: "none" });
/** An individual DAP note's part with nothing missing. */
const DAP_DONE = entry({ sections: { data: "Reports 10 days abstinent.", assessment: "Stable.", plan: "Continue weekly." }, harm: "denied", use: "none" });
const paths = (gaps: { path: string }[]) => gaps.map((g) => g.path);

describe("noteGaps: a group note", () => {
  const group = (shared = SHARED) => ({ kind: "group" as const, format: "dap" as const, shared });

  it("has none when the shared part and every member's part are written", () => {
    expect(noteGaps(group(), [{ patientId: "p1", name: "Ann Lee", content: GROUP_DONE }])).toEqual([]);
  });

  it("asks for the topic, interventions and how it went, but not the curriculum (optional), and ignores blank-only text", () => {
    const gaps = noteGaps(group({ topic: "  ", curriculum: "", interventions: "", process: "\n" }), [
      { patientId: "p1", name: "Ann Lee", content: GROUP_DONE },
    ]);
    expect(gaps).toEqual([
      { path: "shared.topic", message: "Write the group's topic." },
      { path: "shared.interventions", message: "Write the group's interventions." },
      { path: "shared.process", message: "Write the group's how the group went." },
    ]);
  });

  it("asks each member for response, plan, participation and both risk answers, keyed by patient and field", () => {
    const gaps = noteGaps(group(), [
      { patientId: "p1", name: "Ann Lee", content: GROUP_DONE },
      { patientId: "p2", name: "Bo Diaz", content: entry() },
    ]);
    expect(paths(gaps)).toEqual(["entry.p2.response", "entry.p2.plan", "entry.p2.participation", "entry.p2.harm", "entry.p2.use"]);
    expect(gaps[0].message).toBe("Bo Diaz: write the response.");
    expect(gaps[2].message).toBe("Bo Diaz: say how they participated.");
  });

  it("asks for a word of detail when harm is not denied or use is not none, and only then", () => {
    const passive = entry({ ...GROUP_DONE, harm: "passive", use: "reported" });
    expect(paths(noteGaps(group(), [{ patientId: "p1", name: "Ann", content: passive }]))).toEqual(["entry.p1.harmDetail", "entry.p1.useDetail"]);
    const active = entry({ ...GROUP_DONE, harm: "active", harmDetail: "Safety plan reviewed", use: "suspected", useDetail: " " });
    expect(paths(noteGaps(group(), [{ patientId: "p1", name: "Ann", content: active }]))).toEqual(["entry.p1.useDetail"]);
    const explained = entry({ ...GROUP_DONE, harm: "passive", harmDetail: "No plan", use: "reported", useDetail: "Beer, Saturday" });
    expect(noteGaps(group(), [{ patientId: "p1", name: "Ann", content: explained }])).toEqual([]);
    // The detail is not asked for when the answer is the reassuring one, even if left empty.
    expect(noteGaps(group(), [{ patientId: "p1", name: "Ann", content: entry({ ...GROUP_DONE, harmDetail: "", useDetail: "" }) }])).toEqual([]);
  });

  it("refuses a note with no one in it, alongside the shared gaps", () => {
    expect(noteGaps(group({ ...SHARED, topic: "" }), [])).toEqual([
      { path: "shared.topic", message: "Write the group's topic." },
      { path: "entries", message: "No one attended: there is no patient to write this note for." },
    ]);
  });
});

describe("noteGaps: an individual note", () => {
  it("uses the format's sections, never asks for participation or a shared part", () => {
    const dap = { kind: "individual" as const, format: "dap" as const, shared: EMPTY_SHARED };
    expect(noteGaps(dap, [{ patientId: "p1", name: "Ann", content: DAP_DONE }])).toEqual([]);
    expect(paths(noteGaps(dap, [{ patientId: "p1", name: "Ann", content: entry() }]))).toEqual([
      "entry.p1.data",
      "entry.p1.assessment",
      "entry.p1.plan",
      "entry.p1.harm",
      "entry.p1.use",
    ]);
  });

  it("asks BIRP and SOAP notes for their own sections, not DAP's", () => {
    const birp = noteGaps({ kind: "individual", format: "birp", shared: EMPTY_SHARED }, [{ patientId: "p1", name: "Ann", content: DAP_DONE }]);
    // DAP's plan counts for BIRP's plan; behavior, intervention and response are missing.
    expect(paths(birp)).toEqual(["entry.p1.behavior", "entry.p1.intervention", "entry.p1.response"]);
    const soap = noteGaps({ kind: "family", format: "soap", shared: EMPTY_SHARED }, [{ patientId: "p1", name: "Ann", content: DAP_DONE }]);
    expect(paths(soap)).toEqual(["entry.p1.subjective", "entry.p1.objective"]);
  });

  it("writes a group member's part in response and plan whatever the program's format", () => {
    expect(entrySections("group", "soap").map((s) => s.key)).toEqual(["response", "plan"]);
    expect(entrySections("individual", "birp").map((s) => s.key)).toEqual(["behavior", "intervention", "response", "plan"]);
  });
});

describe("late entries and completion lag", () => {
  const END = "2026-12-01T15:00:00.000Z";

  it("is on time at exactly the late hours, late one second after", () => {
    expect(isLateEntry(END, "2026-12-02T15:00:00.000Z", 24)).toBe(false);
    expect(isLateEntry(END, "2026-12-02T15:00:01.000Z", 24)).toBe(true);
    expect(isLateEntry(END, "2026-12-01T16:00:00.000Z", 24)).toBe(false);
    // A program that allows 72 hours.
    expect(isLateEntry(END, "2026-12-03T15:00:01.000Z", 72)).toBe(false);
    expect(isLateEntry(END, "2026-12-04T15:00:01.000Z", 72)).toBe(true);
  });

  it("measures hours from the session's end, never negative", () => {
    expect(lagHours(END, "2026-12-01T17:30:00.000Z")).toBe(2.5);
    expect(lagHours(END, "2026-12-03T15:00:00.000Z")).toBe(48);
    // Signed during the session (a note written as it ends): no lag, not a negative one.
    expect(lagHours(END, "2026-12-01T14:45:00.000Z")).toBe(0);
  });

  it("takes the median of an odd count, the mean of the middle two of an even one, and null of none", () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([10, 2, 4, 8])).toBe(6);
    expect(median([7])).toBe(7);
    expect(median([])).toBeNull();
    const values = [3, 1, 2];
    median(values);
    expect(values).toEqual([3, 1, 2]); // not sorted in place
  });
});

describe("where a note stands", () => {
  it("is missing, a draft, waiting for a co-signature or signed", () => {
    expect(noteState(null)).toBe("missing");
    expect(noteState({ signedAt: null, cosignRequired: true, cosignedAt: null })).toBe("draft");
    expect(noteState({ signedAt: "2026-12-01T18:00:00Z", cosignRequired: true, cosignedAt: null })).toBe("awaiting_cosign");
    expect(noteState({ signedAt: "2026-12-01T18:00:00Z", cosignRequired: true, cosignedAt: "2026-12-02T18:00:00Z" })).toBe("signed");
    expect(noteState({ signedAt: "2026-12-01T18:00:00Z", cosignRequired: false, cosignedAt: null })).toBe("signed");
  });

  it("documents the service once the author signs, co-signed or not", () => {
    expect(["missing", "draft", "awaiting_cosign", "signed"].map((s) => documents(s as never))).toEqual([false, false, true, true]);
  });
});

describe("documentedByDay", () => {
  it("adds up minutes attended per day, documented and not", () => {
    const days = documentedByDay([
      { date: "2026-12-01", minutes: 180, documented: true },
      { date: "2026-12-01", minutes: 50, documented: false },
      { date: "2026-12-02", minutes: 150, documented: false },
      { date: "2026-12-01", minutes: 60, documented: true },
    ]);
    expect([...days.entries()]).toEqual([
      ["2026-12-01", { documented: 240, undocumented: 50 }],
      ["2026-12-02", { documented: 0, undocumented: 150 }],
    ]);
    expect(documentedByDay([]).size).toBe(0);
  });
});

describe("reading stored parts", () => {
  it("reads broken or foreign JSON as an empty part rather than failing", () => {
    expect(parseShared("not json")).toEqual(EMPTY_SHARED);
    expect(parseEntry("{")).toEqual(EMPTY_ENTRY);
    expect(parseEntry(JSON.stringify({ sections: { data: "x" }, harm: "maybe" }))).toMatchObject({ sections: { data: "x" }, harm: "" });
  });

  it("counts a session as held from its start", () => {
    expect(sessionHeld("2026-12-01T15:00:00.000Z", new Date("2026-12-01T14:59:59.000Z"))).toBe(false);
    expect(sessionHeld("2026-12-01T15:00:00.000Z", new Date("2026-12-01T15:00:00.000Z"))).toBe(true);
  });
});

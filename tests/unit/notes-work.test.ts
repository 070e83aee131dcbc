/**
 * The pure parts of issue 20's worklists, reports and billing rule: lag rows with hand-computed
 * medians, the merged co-signature queue, overdue, and which days may bill when notes are required.
 */
import { describe, expect, it } from "vitest";
import { daysBillableUnderNotes, documentsPatient, hoursOf } from "~/features/notes/billing";
import { lagRows } from "~/features/notes/report.server";
import { isOverdue, mergeCoSignQueues } from "~/features/notes/worklist.server";

describe("lagRows", () => {
  it("gives each clinician's median hours, late share and unsigned count", () => {
    const signed = [
      // Kim: 2 h, 30 h (late), 5 h, 10 h -> sorted 2, 5, 10, 30 -> median (5 + 10) / 2 = 7.5; 1 of 4 late = 25%.
      { clinicianId: "k", clinician: "Kim", endsAt: "2026-11-16T17:00:00Z", signedAt: "2026-11-16T19:00:00Z", late: false },
      { clinicianId: "k", clinician: "Kim", endsAt: "2026-11-16T17:00:00Z", signedAt: "2026-11-17T23:00:00Z", late: true },
      { clinicianId: "k", clinician: "Kim", endsAt: "2026-11-17T17:00:00Z", signedAt: "2026-11-17T22:00:00Z", late: false },
      { clinicianId: "k", clinician: "Kim", endsAt: "2026-11-18T17:00:00Z", signedAt: "2026-11-19T03:00:00Z", late: false },
      // Al: signed before the session's end (a clock skew) counts as 0 h; 1 h 20 min -> 1.3 (one decimal); 3 -> median 1.3.
      { clinicianId: "a", clinician: "Al", endsAt: "2026-11-16T17:00:00Z", signedAt: "2026-11-16T16:00:00Z", late: false },
      { clinicianId: "a", clinician: "Al", endsAt: "2026-11-16T17:00:00Z", signedAt: "2026-11-16T18:20:00Z", late: false },
      { clinicianId: "a", clinician: "Al", endsAt: "2026-11-16T17:00:00Z", signedAt: "2026-11-16T20:00:00Z", late: false },
    ];
    expect(
      lagRows(signed, [
        { clinicianId: "z", clinician: "Zoe" },
        { clinicianId: "k", clinician: "Kim" },
      ]),
    ).toEqual([
      { clinicianId: "a", clinician: "Al", signed: 3, medianHours: 1.3, late: 0, lateShare: 0, unsigned: 0 },
      { clinicianId: "k", clinician: "Kim", signed: 4, medianHours: 7.5, late: 1, lateShare: 25, unsigned: 1 },
      // Only unsigned notes: no median, no share.
      { clinicianId: "z", clinician: "Zoe", signed: 0, medianHours: null, late: 0, lateShare: null, unsigned: 1 },
    ]);
  });
});

describe("mergeCoSignQueues", () => {
  it("lists plans and notes together, oldest signature first", () => {
    const merged = mergeCoSignQueues(
      [{ patientId: "p1", name: "Doe, Ann", mrn: "M1", signedBy: "Marcus Bell", signedAt: "2026-11-18T10:00:00Z" }],
      [
        { noteId: "n1", sessionId: "s1", title: "Coping skills", date: "2026-11-17", signedBy: "Marcus Bell", signedAt: "2026-11-18T09:00:00Z" },
        { noteId: "n2", sessionId: "s2", title: "Mindfulness", date: "2026-11-18", signedBy: "Elena Ortiz", signedAt: "2026-11-19T09:00:00Z" },
      ],
    );
    expect(merged.map((m) => [m.kind, m.label, m.detail, m.to])).toEqual([
      ["note", "Coping skills", "2026-11-17", "/schedule/sessions/s1/note"],
      ["plan", "Doe, Ann", "M1", "/patients/p1/plan"],
      ["note", "Mindfulness", "2026-11-18", "/schedule/sessions/s2/note"],
    ]);
    expect(mergeCoSignQueues([], [])).toEqual([]);
  });
});

describe("isOverdue", () => {
  it("is overdue only more than the late-entry hours after the end", () => {
    const end = "2026-11-18T17:00:00.000Z";
    expect(isOverdue(end, 24, new Date("2026-11-19T17:00:00.000Z"))).toBe(false);
    expect(isOverdue(end, 24, new Date("2026-11-19T17:00:00.001Z"))).toBe(true);
    expect(isOverdue(end, 1, new Date("2026-11-18T18:30:00.000Z"))).toBe(true);
  });
});

describe("the notes-for-billing rule", () => {
  const days = [
    { date: "2026-11-16", undocumentedMinutes: 180 },
    { date: "2026-11-17", undocumentedMinutes: 0 },
    { date: "2026-11-18", undocumentedMinutes: 1 },
  ];
  it("keeps every day when notes are not required, only fully documented days when they are", () => {
    expect(daysBillableUnderNotes(days, false)).toEqual(days);
    expect(daysBillableUnderNotes(days, true).map((d) => d.date)).toEqual(["2026-11-17"]);
  });
  it("documents a patient only with a signed note (co-signature pending counts) that has their part", () => {
    expect(documentsPatient(null, false)).toBe(false);
    expect(documentsPatient({ signedAt: null, cosignRequired: false, cosignedAt: null }, true)).toBe(false);
    expect(documentsPatient({ signedAt: "2026-11-18T09:00:00Z", cosignRequired: true, cosignedAt: null }, true)).toBe(true);
    expect(documentsPatient({ signedAt: "2026-11-18T09:00:00Z", cosignRequired: false, cosignedAt: null }, true)).toBe(true);
    expect(documentsPatient({ signedAt: "2026-11-18T09:00:00Z", cosignRequired: false, cosignedAt: null }, false)).toBe(false);
  });
  it("gives hours to one decimal", () => {
    expect([hoursOf(0), hoursOf(90), hoursOf(100), hoursOf(540)]).toEqual([0, 1.5, 1.7, 9]);
  });
});

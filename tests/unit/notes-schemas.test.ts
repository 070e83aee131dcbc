import { describe, expect, it } from "vitest";
import { entryContentOf, noteActionSchema, noteFormObject } from "~/features/notes/schemas";

const form = (pairs: [string, string][]) => noteFormObject(pairs);

describe("the note page's forms", () => {
  it("reads a patient's part from flat fields into its stored shape; objectives not addressed are left out", () => {
    const parsed = noteActionSchema.parse(
      form([
        ["intent", "save-entry"],
        ["noteId", "n1"],
        ["patientId", "p1"],
        ["version", "3"],
        ["participation", "active"],
        ["section.response", "Shared openly."],
        ["section.plan", "Receipts."],
        ["objective.p1.o1.text", "Keep a sleep log"],
        ["objective.p1.o1.progress", "progressing"],
        ["objective.p1.o2.text", "Apply for jobs"],
        ["objective.p1.o2.progress", ""],
        ["harm", "denied"],
        ["use", "reported"],
        ["useDetail", "Alcohol on Saturday"],
      ]),
    );
    expect(parsed.intent).toBe("save-entry");
    if (parsed.intent !== "save-entry") return;
    expect(parsed.version).toBe(3);
    expect(entryContentOf(parsed)).toEqual({
      sections: { response: "Shared openly.", plan: "Receipts." },
      participation: "active",
      objectives: [{ key: "p1.o1", text: "Keep a sleep log", progress: "progressing", comment: "" }],
      harm: "denied",
      harmDetail: "",
      use: "reported",
      useDetail: "Alcohol on Saturday",
    });
  });

  it("refuses an answer not on the list, an oversized text and a stale form", () => {
    expect(
      noteActionSchema.safeParse(
        form([
          ["intent", "save-entry"],
          ["noteId", "n"],
          ["patientId", "p"],
          ["version", "1"],
          ["harm", "maybe"],
        ]),
      ).success,
    ).toBe(false);
    expect(
      noteActionSchema.safeParse(
        form([
          ["intent", "save-shared"],
          ["noteId", "n"],
          ["version", "1"],
          ["topic", "x".repeat(201)],
        ]),
      ).success,
    ).toBe(false);
    expect(
      noteActionSchema.safeParse(
        form([
          ["intent", "save-shared"],
          ["noteId", "n"],
        ]),
      ).success,
    ).toBe(false);
    expect(noteActionSchema.safeParse(form([["intent", "delete"]])).success).toBe(false);
  });

  it("bounds the objectives and sections a form may carry", () => {
    const many: [string, string][] = [
      ["intent", "save-entry"],
      ["noteId", "n"],
      ["patientId", "p"],
      ["version", "1"],
    ];
    for (let i = 1; i <= 40; i++) many.push([`objective.p${i}.o1.progress`, "achieved"], [`objective.p${i}.o1.text`, "t"]);
    const obj = form(many);
    expect((obj.objectives as unknown[]).length).toBeLessThanOrEqual(24);
    const sections: [string, string][] = [
      ["intent", "save-entry"],
      ["noteId", "n"],
      ["patientId", "p"],
      ["version", "1"],
    ];
    for (const k of ["a", "b", "c", "d", "e", "f", "g"]) sections.push([`section.${k}`, "x"]);
    expect(noteActionSchema.safeParse(form(sections)).success).toBe(false);
  });

  it("an addendum to the shared part has no patient; its request key must be a real one", () => {
    const ok = noteActionSchema.parse(
      form([
        ["intent", "addendum"],
        ["noteId", "n"],
        ["patientId", ""],
        ["requestKey", "01a24d5f-e0f9-745a-bf5e-a9a3f5ab62ea"],
        ["text", "More."],
      ]),
    );
    expect(ok.intent === "addendum" && ok.patientId).toBe(null);
    expect(
      noteActionSchema.safeParse(
        form([
          ["intent", "addendum"],
          ["noteId", "n"],
          ["requestKey", "x"],
          ["text", "More."],
        ]),
      ).success,
    ).toBe(false);
  });
});

/**
 * Treatment plan rules: what keeps a plan from being signed, where its signatures stand, when its
 * review is due (dates computed by hand in the comments), what changed between two versions, how
 * stored content is read back, and the forms' schemas.
 */
import { parseWithZod } from "@conform-to/zod/v4";
import { describe, expect, it } from "vitest";
import {
  dueState,
  EMPTY_PLAN,
  PLAN_LIMITS,
  type PlanContent,
  planDiff,
  planGaps,
  type PlanSignatures,
  planStatus,
  planWaits,
  parsePlanContent,
  readyToActivate,
  reviewDue,
} from "~/features/plans/rules";
import { acknowledgeSchema, draftSchema, planActionSchema } from "~/features/plans/schemas";

const TODAY = "2026-12-06";
const CODES = ["F10.20", "F32.1"];

function complete(): PlanContent {
  return {
    problems: [
      {
        diagnosisCode: "F10.20",
        statement: "Daily drinking with loss of control.",
        goal: "I want to stop drinking and be there for my kids.",
        objectives: [{ text: "Attend 3 mutual-help meetings a week and log them", targetDate: "2027-01-15" }],
        interventions: [{ modality: "group", frequency: "3 times a week", responsible: "Marcus Bell" }],
      },
    ],
    strengths: "A sister who drives her to group.",
    barriers: "Works night shifts.",
  };
}

describe("planGaps: what keeps a plan from being signed", () => {
  it("finds nothing missing in a complete plan", () => {
    expect(planGaps(complete(), TODAY, CODES)).toEqual([]);
  });

  it("asks an empty plan for a problem, strengths and barriers", () => {
    expect(planGaps(EMPTY_PLAN, TODAY, CODES)).toEqual([
      { path: "problems", message: "Add at least one problem before signing." },
      { path: "strengths", message: "Write the patient's strengths." },
      { path: "barriers", message: "Write the barriers to treatment." },
    ]);
  });

  it("puts each gap of a problem at its field, with its message, in the form's order", () => {
    const plan: PlanContent = {
      ...complete(),
      problems: [
        complete().problems[0],
        {
          diagnosisCode: "",
          statement: "   ",
          goal: "",
          objectives: [
            { text: "", targetDate: "" },
            { text: "Keep a sleep log", targetDate: "2027-02-01" },
          ],
          interventions: [{ modality: "", frequency: " ", responsible: "" }],
        },
        { diagnosisCode: "F32.1", statement: "Low mood.", goal: "Feel like myself.", objectives: [], interventions: [] },
      ],
    };
    expect(planGaps(plan, TODAY, CODES)).toEqual([
      { path: "problems[1].diagnosisCode", message: "Problem 2: choose the diagnosis it addresses." },
      { path: "problems[1].statement", message: "Problem 2: describe the problem." },
      { path: "problems[1].goal", message: "Problem 2: write the goal in the patient's own words." },
      { path: "problems[1].objectives[0].text", message: "Problem 2, objective 1: describe what the patient will do." },
      { path: "problems[1].objectives[0].targetDate", message: "Problem 2, objective 1: give it a target date." },
      { path: "problems[1].interventions[0].modality", message: "Problem 2, intervention 1: choose how it is given." },
      { path: "problems[1].interventions[0].frequency", message: "Problem 2, intervention 1: say how often." },
      { path: "problems[1].interventions[0].responsible", message: "Problem 2, intervention 1: say who provides it." },
      { path: "problems[2].objectives", message: "Problem 3: add at least one measurable objective." },
      { path: "problems[2].interventions", message: "Problem 3: add at least one intervention." },
    ]);
  });

  it("refuses a target date before today and accepts today", () => {
    const withTarget = (targetDate: string) => {
      const plan = complete();
      plan.problems[0].objectives = [{ text: "Name three triggers", targetDate }];
      return planGaps(plan, TODAY, CODES);
    };
    expect(withTarget("2026-12-05")).toEqual([
      { path: "problems[0].objectives[0].targetDate", message: "Problem 1, objective 1: the target date has passed; choose a later one." },
    ]);
    expect(withTarget(TODAY)).toEqual([]);
    expect(withTarget("2026-12-07")).toEqual([]);
  });

  it("refuses a diagnosis that is not one of the patient's current diagnoses", () => {
    const plan = complete();
    plan.problems[0].diagnosisCode = "F11.20";
    expect(planGaps(plan, TODAY, CODES)).toEqual([
      { path: "problems[0].diagnosisCode", message: "Problem 1: F11.20 is not one of the patient's current diagnoses." },
    ]);
    // Resolved since the draft was written: no current diagnoses at all.
    expect(planGaps(complete(), TODAY, [])).toEqual([
      { path: "problems[0].diagnosisCode", message: "Problem 1: F10.20 is not one of the patient's current diagnoses." },
    ]);
  });

  it("takes blank strengths and barriers as missing", () => {
    expect(planGaps({ ...complete(), strengths: "  ", barriers: "\n" }, TODAY, CODES).map((g) => g.path)).toEqual(["strengths", "barriers"]);
  });
});

describe("reviewDue: when the active plan is due for review", () => {
  const due = (levelChanges: string[] = [], unexpectedResults: string[] = [], effectiveOn = "2026-11-01", intervalDays = 30) =>
    reviewDue({ effectiveOn, intervalDays, levelChanges, unexpectedResults });

  it("is the interval after the plan became effective", () => {
    // 2026-11-01 + 30 days: November has 30 days, so Nov 1 + 29 = Nov 30 and + 30 = Dec 1.
    expect(due()).toEqual({ dueOn: "2026-12-01", reason: "scheduled" });
    // 2026-12-20 + 45: Dec 20 + 11 = Dec 31, + 31 more = Jan 31 (42), + 3 = 2027-02-03.
    expect(due([], [], "2026-12-20", 45)).toEqual({ dueOn: "2027-02-03", reason: "scheduled" });
    // 2028 is a leap year: Feb 15 + 14 = Feb 29, + 16 more = Mar 16 (30 in all).
    expect(due([], [], "2028-02-15", 30)).toEqual({ dueOn: "2028-03-16", reason: "scheduled" });
  });

  it("comes at once with a level-of-care change or an unexpected result after that day", () => {
    // Effective Nov 1, scheduled Dec 1; a step up on Nov 10 makes the review due Nov 10.
    expect(due(["2026-11-10"])).toEqual({ dueOn: "2026-11-10", reason: "level_change" });
    expect(due([], ["2026-11-20"])).toEqual({ dueOn: "2026-11-20", reason: "unexpected_result" });
    // The day after the effective day already counts.
    expect(due(["2026-11-02"])).toEqual({ dueOn: "2026-11-02", reason: "level_change" });
  });

  it("does not count an event on the effective day or before it", () => {
    // A change on Nov 1 is what the plan of Nov 1 was written for; Oct 30 is older still.
    expect(due(["2026-11-01", "2026-10-30"], ["2026-11-01"])).toEqual({ dueOn: "2026-12-01", reason: "scheduled" });
  });

  it("keeps the scheduled date when an event comes on it or after it", () => {
    // Dec 1 is the scheduled date itself, Dec 3 is later: the review is due Dec 1 as scheduled.
    expect(due(["2026-12-01"], ["2026-12-03"])).toEqual({ dueOn: "2026-12-01", reason: "scheduled" });
  });

  it("takes the earliest of several events, whatever their order", () => {
    // Level changes Nov 20 and Nov 12, unexpected results Nov 15 and Nov 9: the earliest is Nov 9.
    expect(due(["2026-11-20", "2026-11-12"], ["2026-11-15", "2026-11-09"])).toEqual({ dueOn: "2026-11-09", reason: "unexpected_result" });
    // Without Nov 9, the earliest is the level change of Nov 12.
    expect(due(["2026-11-20", "2026-11-12"], ["2026-11-15"])).toEqual({ dueOn: "2026-11-12", reason: "level_change" });
    // Both on the same day: the level change is named (it is looked at first).
    expect(due(["2026-11-12"], ["2026-11-12"])).toEqual({ dueOn: "2026-11-12", reason: "level_change" });
  });
});

describe("dueState: where a date stands against today", () => {
  it("is due up to today + 7, later from today + 8, overdue from yesterday", () => {
    // Today Dec 6: + 7 = Dec 13 (due), + 8 = Dec 14 (later), yesterday Dec 5 (overdue).
    expect(dueState("2026-12-13", TODAY)).toBe("due");
    expect(dueState("2026-12-14", TODAY)).toBe("later");
    expect(dueState("2026-12-05", TODAY)).toBe("overdue");
    expect(dueState(TODAY, TODAY)).toBe("due");
  });
  it("counts across a month and a year", () => {
    // Dec 28 + 7 = Jan 4 2027 (Dec has 31 days: Dec 28 + 3 = Dec 31, + 4 = Jan 4).
    expect(dueState("2027-01-04", "2026-12-28")).toBe("due");
    expect(dueState("2027-01-05", "2026-12-28")).toBe("later");
    expect(dueState("2026-12-31", "2027-01-01")).toBe("overdue");
  });
  it("takes another window", () => {
    expect(dueState(TODAY, TODAY, 0)).toBe("due");
    expect(dueState("2026-12-07", TODAY, 0)).toBe("later");
  });
});

describe("a plan's signatures", () => {
  const AT = "2026-12-06T15:00:00.000Z";
  const s = (over: Partial<PlanSignatures>): PlanSignatures => ({
    signedAt: null,
    acknowledgedAt: null,
    cosignRequired: false,
    cosignedAt: null,
    activatedAt: null,
    supersededAt: null,
    ...over,
  });
  const signed = { signedAt: AT };
  const cases: [string, PlanSignatures, ReturnType<typeof planStatus>, ReturnType<typeof planWaits>, boolean][] = [
    ["a draft", s({}), "draft", [], false],
    ["a draft of an author who needs a co-signature", s({ cosignRequired: true }), "draft", [], false],
    ["signed alone, not acknowledged", s({ ...signed }), "awaiting", ["acknowledgement"], false],
    ["signed alone, acknowledged", s({ ...signed, acknowledgedAt: AT }), "awaiting", [], true],
    ["signed, needing a co-signature, neither given", s({ ...signed, cosignRequired: true }), "awaiting", ["acknowledgement", "cosignature"], false],
    ["signed, needing a co-signature, acknowledged only", s({ ...signed, cosignRequired: true, acknowledgedAt: AT }), "awaiting", ["cosignature"], false],
    ["signed, needing a co-signature, co-signed only", s({ ...signed, cosignRequired: true, cosignedAt: AT }), "awaiting", ["acknowledgement"], false],
    ["signed, acknowledged and co-signed", s({ ...signed, cosignRequired: true, acknowledgedAt: AT, cosignedAt: AT }), "awaiting", [], true],
    ["active", s({ ...signed, acknowledgedAt: AT, activatedAt: AT }), "active", [], false],
    ["active after a co-signature", s({ ...signed, cosignRequired: true, acknowledgedAt: AT, cosignedAt: AT, activatedAt: AT }), "active", [], false],
    ["replaced while waiting", s({ ...signed, cosignRequired: true, supersededAt: AT }), "superseded", [], false],
    ["replaced after being active", s({ ...signed, acknowledgedAt: AT, activatedAt: AT, supersededAt: AT }), "superseded", [], false],
  ];
  it.each(cases)("%s", (_name, sig, status, waits, ready) => {
    expect(planStatus(sig)).toBe(status);
    expect(planWaits(sig)).toEqual(waits);
    expect(readyToActivate(sig)).toBe(ready);
  });

  it("is ready to activate exactly when it is signed, waiting and waits for nothing more (every combination)", () => {
    const keys = ["signedAt", "acknowledgedAt", "cosignRequired", "cosignedAt", "activatedAt", "supersededAt"] as const;
    for (let bits = 0; bits < 64; bits++) {
      const sig = s(
        Object.fromEntries(keys.map((k, i) => [k, bits & (1 << i) ? (k === "cosignRequired" ? true : AT) : k === "cosignRequired" ? false : null])),
      );
      const status = planStatus(sig);
      const waits = planWaits(sig);
      expect(readyToActivate(sig), JSON.stringify(sig)).toBe(status === "awaiting" && waits.length === 0);
      if (status !== "awaiting") expect(waits, JSON.stringify(sig)).toEqual([]);
      if (sig.supersededAt) expect(status).toBe("superseded");
    }
  });
});

describe("planDiff: what changed between two versions", () => {
  it("is empty when nothing changed (also for a copy)", () => {
    expect(planDiff(complete(), complete())).toEqual([]);
    expect(planDiff(complete(), structuredClone(complete()))).toEqual([]);
    expect(planDiff(EMPTY_PLAN, EMPTY_PLAN)).toEqual([]);
  });

  it("names an added and a removed problem", () => {
    const more = complete();
    more.problems.push({ diagnosisCode: "F32.1", statement: "Low mood.", goal: "Feel like myself.", objectives: [], interventions: [] });
    expect(planDiff(complete(), more)).toEqual([{ where: "Problem 2", change: "added", after: "F32.1 Low mood." }]);
    expect(planDiff(more, complete())).toEqual([{ where: "Problem 2", change: "removed", before: "F32.1 Low mood." }]);
  });

  it("names each changed field of a problem with before and after", () => {
    const after = complete();
    after.problems[0].goal = "Keep my job.";
    after.problems[0].diagnosisCode = "F32.1";
    expect(planDiff(complete(), after)).toEqual([
      { where: "Problem 1", change: "changed", field: "Diagnosis", before: "F10.20", after: "F32.1" },
      {
        where: "Problem 1",
        change: "changed",
        field: "Goal (patient's words)",
        before: "I want to stop drinking and be there for my kids.",
        after: "Keep my job.",
      },
    ]);
  });

  it("names an added, removed and changed objective", () => {
    const after = complete();
    after.problems[0].objectives = [
      { text: "Attend 3 mutual-help meetings a week and log them", targetDate: "2027-02-01" },
      { text: "Name three triggers", targetDate: "" },
    ];
    expect(planDiff(complete(), after)).toEqual([
      {
        where: "Problem 1, objective 1",
        change: "changed",
        before: "Attend 3 mutual-help meetings a week and log them (by Jan 15, 2027)",
        after: "Attend 3 mutual-help meetings a week and log them (by Feb 1, 2027)",
      },
      { where: "Problem 1, objective 2", change: "added", after: "Name three triggers" },
    ]);
    expect(planDiff(after, complete())).toContainEqual({ where: "Problem 1, objective 2", change: "removed", before: "Name three triggers" });
  });

  it("names an added, removed and changed intervention", () => {
    const after = complete();
    after.problems[0].interventions = [
      { modality: "individual", frequency: "weekly", responsible: "Marcus Bell" },
      { modality: "drug_testing", frequency: "random, twice a month", responsible: "Front desk" },
    ];
    expect(planDiff(complete(), after)).toEqual([
      {
        where: "Problem 1, intervention 1",
        change: "changed",
        before: "Group therapy · 3 times a week · Marcus Bell",
        after: "Individual therapy · weekly · Marcus Bell",
      },
      { where: "Problem 1, intervention 2", change: "added", after: "Drug testing · random, twice a month · Front desk" },
    ]);
    const fewer = complete();
    fewer.problems[0].interventions = [];
    expect(planDiff(complete(), fewer)).toEqual([
      { where: "Problem 1, intervention 1", change: "removed", before: "Group therapy · 3 times a week · Marcus Bell" },
    ]);
  });

  it("names changed strengths and barriers last, after the problems", () => {
    const after = { ...complete(), strengths: "Her sister and her job.", barriers: "" };
    after.problems[0].statement = "Drinking most days.";
    expect(planDiff(complete(), after)).toEqual([
      { where: "Problem 1", change: "changed", field: "Problem", before: "Daily drinking with loss of control.", after: "Drinking most days." },
      { where: "Strengths", change: "changed", field: "Strengths", before: "A sister who drives her to group.", after: "Her sister and her job." },
      { where: "Barriers", change: "changed", field: "Barriers", before: "Works night shifts.", after: "" },
    ]);
  });
});

describe("parsePlanContent: stored content read back defensively", () => {
  it("reads back what was stored", () => {
    expect(parsePlanContent(JSON.stringify(complete()))).toEqual(complete());
  });
  it("reads malformed JSON as an empty plan", () => {
    for (const bad of ["", "{", "not json", "{'problems': []}"]) expect(parsePlanContent(bad), bad).toEqual(EMPTY_PLAN);
  });
  it("reads JSON of the wrong shape as empty, field by field", () => {
    for (const odd of ["null", "42", '"text"', "[1, 2]", "{}"]) expect(parsePlanContent(odd), odd).toEqual(EMPTY_PLAN);
    const odd = JSON.stringify({
      strengths: 3,
      barriers: ["no"],
      problems: [
        null,
        { diagnosisCode: 5, statement: "Drinks daily.", goal: {}, objectives: "many", interventions: [{ modality: "yoga", frequency: 2 }, "x"] },
      ],
    });
    expect(parsePlanContent(odd)).toEqual({
      strengths: "",
      barriers: "",
      problems: [
        { diagnosisCode: "", statement: "", goal: "", objectives: [], interventions: [] },
        {
          diagnosisCode: "",
          statement: "Drinks daily.",
          goal: "",
          objectives: [],
          interventions: [
            { modality: "", frequency: "", responsible: "" },
            { modality: "", frequency: "", responsible: "" },
          ],
        },
      ],
    });
  });
  it("takes a modality only from the list, not a name every object has", () => {
    const stored = (modality: string) => JSON.stringify({ problems: [{ interventions: [{ modality, frequency: "weekly" }] }] });
    for (const m of ["toString", "constructor", "__proto__", "hasOwnProperty"]) {
      const plan = parsePlanContent(stored(m));
      expect(plan.problems[0].interventions[0].modality, m).toBe("");
      // What changed then reads as text, never as a function's source.
      expect(JSON.stringify(planDiff(EMPTY_PLAN, plan)), m).not.toMatch(/function|native code/);
    }
    expect(parsePlanContent(stored("family")).problems[0].interventions[0].modality).toBe("family");
  });
});

describe("the plan forms", () => {
  const draft = (fields: Record<string, string> = {}) => {
    const fd = new FormData();
    for (const [k, v] of Object.entries({ intent: "save", planId: "0193a1b2-plan", version: "1", ...fields })) fd.set(k, v);
    return parseWithZod(fd, { schema: draftSchema });
  };

  it("accepts an empty plan as a draft", () => {
    const s = draft();
    expect(s.status).toBe("success");
    if (s.status !== "success") return;
    expect(s.value).toEqual({ intent: "save", planId: "0193a1b2-plan", version: 1, problems: [], strengths: "", barriers: "" });
  });

  it("reads a problem with its objective and intervention as typed", () => {
    const s = draft({
      intent: "sign",
      "problems[0].diagnosisCode": "F10.20",
      "problems[0].statement": " Daily drinking. ",
      "problems[0].objectives[0].text": "Log meetings",
      "problems[0].objectives[0].targetDate": "2027-01-15",
      "problems[0].interventions[0].modality": "group",
      "problems[0].interventions[0].frequency": "3 times a week",
      strengths: "Her sister",
    });
    expect(s.status).toBe("success");
    if (s.status !== "success") return;
    expect(s.value.problems).toEqual([
      {
        diagnosisCode: "F10.20",
        statement: "Daily drinking.",
        goal: "",
        objectives: [{ text: "Log meetings", targetDate: "2027-01-15" }],
        interventions: [{ modality: "group", frequency: "3 times a week", responsible: "" }],
      },
    ]);
  });

  it("refuses a target date that is not a real date, with its message at the field", () => {
    const s = draft({ "problems[0].objectives[0].text": "Log meetings", "problems[0].objectives[0].targetDate": "2027-02-30" });
    expect(s.status).toBe("error");
    expect(s.reply().error?.["problems[0].objectives[0].targetDate"]).toEqual(["Enter the target date as a real date (YYYY-MM-DD)."]);
  });

  it("refuses a modality not on the list", () => {
    const s = draft({ "problems[0].interventions[0].modality": "yoga" });
    expect(s.reply().error?.["problems[0].interventions[0].modality"]).toEqual(["Choose how the intervention is given from the list."]);
  });

  it("refuses more problems, objectives or interventions than a plan holds", () => {
    const many = Object.fromEntries(Array.from({ length: PLAN_LIMITS.problems + 1 }, (_, i) => [`problems[${i}].statement`, `Problem ${i + 1}`]));
    const s = draft(many);
    expect(s.status).toBe("error");
    expect(s.reply().error?.problems).toEqual([`A plan has at most ${PLAN_LIMITS.problems} problems.`]);
    expect(draft(Object.fromEntries(Array.from({ length: PLAN_LIMITS.problems }, (_, i) => [`problems[${i}].statement`, "x"]))).status).toBe("success");
    const objectives = Object.fromEntries(Array.from({ length: PLAN_LIMITS.objectives + 1 }, (_, i) => [`problems[0].objectives[${i}].text`, "x"]));
    expect(draft(objectives).reply().error?.["problems[0].objectives"]).toEqual([`A problem has at most ${PLAN_LIMITS.objectives} objectives.`]);
  });

  it("refuses text longer than its limit, and a form without its plan or version", () => {
    expect(draft({ strengths: "x".repeat(PLAN_LIMITS.text + 1) }).reply().error?.strengths).toEqual([`Strengths is at most ${PLAN_LIMITS.text} characters.`]);
    const stale = draft({ version: "" });
    expect(stale.status).toBe("error");
    expect(draft({ intent: "publish" }).reply().error?.intent).toEqual(["The form is out of date; reload the page."]);
  });

  describe("the patient's acknowledgement", () => {
    const ack = (fields: Record<string, string>) => {
      const fd = new FormData();
      for (const [k, v] of Object.entries({ planId: "0193a1b2-plan", version: "3", ...fields })) fd.set(k, v);
      return parseWithZod(fd, { schema: acknowledgeSchema });
    };
    it("needs the box ticked and a typed name", () => {
      const none = ack({});
      expect(none.status).toBe("error");
      expect(none.reply().error).toMatchObject({
        typedName: ["Type your full name to sign."],
        agree: ["Tick the box to say you took part in this plan and agree with it."],
      });
      expect(ack({ typedName: "J", agree: "on" }).reply().error?.typedName).toEqual(["Type your full name to sign."]);
      expect(ack({ typedName: "   ", agree: "on" }).reply().error?.typedName).toEqual(["Type your full name to sign."]);
      expect(ack({ typedName: "Jane Doe" }).reply().error?.agree).toEqual(["Tick the box to say you took part in this plan and agree with it."]);
    });
    it("accepts the name and the box", () => {
      const ok = ack({ typedName: "  Jane Doe ", agree: "on" });
      expect(ok.status).toBe("success");
      if (ok.status === "success") expect(ok.value).toEqual({ planId: "0193a1b2-plan", version: 3, typedName: "Jane Doe", agree: "on" });
    });
  });

  it("tells a stale or forged plan action to reload", () => {
    const fd = new FormData();
    fd.set("intent", "start");
    fd.set("requestKey", "not-a-key");
    expect(parseWithZod(fd, { schema: planActionSchema }).reply().error?.requestKey).toEqual(["The form is out of date; reload the page."]);
    fd.set("requestKey", "0193a1b2-0000-7000-8000-000000000000");
    expect(parseWithZod(fd, { schema: planActionSchema }).status).toBe("success");
  });
});

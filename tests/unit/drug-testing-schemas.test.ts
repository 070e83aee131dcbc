import { describe, expect, it } from "vitest";
import { collectionSchema, confirmSchema, drawSchema, PanelSchema, ResultsSchema } from "~/features/drug-testing/schemas";

const TODAY = "2026-11-27";
const form = (over: Record<string, string | undefined> = {}) => ({
  requestKey: "01900000-0000-7000-8000-000000000001",
  patientId: "p1",
  collection: "collected",
  date: TODAY,
  time: "10:15",
  reason: "random",
  specimen: "urine",
  panelId: "panel",
  temperatureInRange: "yes",
  collectedBy: "u1",
  ...over,
});
const messages = (r: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) =>
  Object.fromEntries((r.error?.issues ?? []).map((i) => [i.path.join("."), i.message]));

describe("the collection form", () => {
  it("accepts a urine collection with the temperature in range", () => {
    const r = collectionSchema(TODAY).safeParse(form({ observed: "yes" }));
    expect(r.success).toBe(true);
    expect(r.data).toMatchObject({ observed: true, temperatureInRange: "yes" });
    expect(r.data?.temperatureNote).toBeUndefined();
  });

  it("wants an explanation when the urine temperature was out of range", () => {
    expect(messages(collectionSchema(TODAY).safeParse(form({ temperatureInRange: "no" })))).toEqual({
      temperatureNote: "The temperature was out of range: explain what happened (for example, recollected under observation).",
    });
    expect(collectionSchema(TODAY).safeParse(form({ temperatureInRange: "no", temperatureNote: "Recollected observed; in range." })).success).toBe(true);
    expect(messages(collectionSchema(TODAY).safeParse(form({ temperatureInRange: "" })))).toEqual({
      temperatureF: "Enter the urine temperature in °F, read within 4 minutes (in range: 90–100 °F).",
    });
  });

  it("takes the temperature in °F as the strip reads it; out of range needs no note (the test asks for an observed recollection)", () => {
    const r = collectionSchema(TODAY).safeParse(form({ temperatureInRange: "", temperatureF: "88" }));
    expect(r.success).toBe(true);
    expect(r.data?.temperatureF).toBe(88);
    expect(collectionSchema(TODAY).safeParse(form({ temperatureInRange: "", temperatureF: "94.5" })).data?.temperatureF).toBe(94.5);
    expect(messages(collectionSchema(TODAY).safeParse(form({ temperatureInRange: "", temperatureF: "warm" })))).toEqual({
      temperatureF: "Enter the temperature in °F as the strip reads it, for example 94.",
    });
    expect(messages(collectionSchema(TODAY).safeParse(form({ temperatureInRange: "", temperatureF: "300" })))).toEqual({
      temperatureF: "Enter the temperature in °F as the strip reads it, for example 94.",
    });
  });

  it("does not ask about temperature for other specimens, nor about the specimen for a refusal", () => {
    expect(collectionSchema(TODAY).safeParse(form({ specimen: "oral_fluid", temperatureInRange: "" })).success).toBe(true);
    expect(collectionSchema(TODAY).safeParse(form({ collection: "refused", specimen: "", panelId: "", temperatureInRange: "" })).success).toBe(true);
    expect(messages(collectionSchema(TODAY).safeParse(form({ specimen: "", panelId: "" })))).toEqual({
      specimen: "Choose the specimen.",
      panelId: "Choose the panel used.",
    });
  });

  it("refuses a collection dated in the future", () => {
    expect(messages(collectionSchema(TODAY).safeParse(form({ date: "2026-11-28" })))).toEqual({ date: "The collection cannot be in the future." });
    expect(messages(collectionSchema(TODAY).safeParse(form({ date: "2026-02-30" })))).toEqual({ date: "Enter the date as a real date (YYYY-MM-DD)." });
    expect(messages(collectionSchema(TODAY).safeParse(form({ time: "25:00" })))).toEqual({ time: "Enter the time as HH:MM (24-hour)." });
  });
});

describe("the other forms", () => {
  it("results take pending, negative or positive per analyte", () => {
    expect(ResultsSchema.safeParse({ intent: "results", version: "2", validity: "valid", results: { fentanyl: "positive", thc: "pending" } }).success).toBe(
      true,
    );
    expect(messages(ResultsSchema.safeParse({ intent: "results", version: "2", validity: "valid", results: { fentanyl: "maybe" } }))).toEqual({
      "results.fentanyl": "Choose pending, negative or positive.",
    });
    expect(messages(ResultsSchema.safeParse({ intent: "results", version: "2", validity: "cloudy" }))).toEqual({ validity: "Choose the specimen's validity." });
  });

  it("a confirmation names the lab and the accession number, reported no later than today", () => {
    const ok = {
      intent: "confirm",
      version: "2",
      analyte: "fentanyl",
      confirmation: "confirmed_positive",
      lab: "Northeast Tox",
      accessionNumber: "A-1",
      confirmedOn: TODAY,
    };
    expect(confirmSchema(TODAY).safeParse(ok).success).toBe(true);
    expect(messages(confirmSchema(TODAY).safeParse({ ...ok, lab: " ", accessionNumber: "", confirmedOn: "2026-12-01" }))).toEqual({
      lab: "Enter the lab's name.",
      accessionNumber: "Enter the lab's accession number.",
      confirmedOn: "The lab's report cannot be dated in the future.",
    });
  });

  it("a draw is a rate or a number for today or later", () => {
    expect(drawSchema(TODAY).safeParse({ date: TODAY, pool: "attending", mode: "rate", amount: "20" }).data).toMatchObject({ amount: 20, mode: "rate" });
    expect(messages(drawSchema(TODAY).safeParse({ date: TODAY, pool: "everyone", mode: "rate", amount: "0" }))).toEqual({
      pool: "Choose who is eligible.",
      amount: "Draw at least 1.",
    });
  });

  it("a panel needs at least one analyte from the list", () => {
    expect(messages(PanelSchema.safeParse({ intent: "create", name: "X", specimen: "urine", analytes: [] }))).toEqual({
      analytes: "Choose at least one analyte.",
    });
    expect(PanelSchema.safeParse({ intent: "create", name: "X", specimen: "urine", analytes: ["kratom"] }).success).toBe(false);
  });
});

describe("the results form's validity figures", () => {
  const results = (over: Record<string, string> = {}) => ({ intent: "results", version: "1", validity: "valid", ...over });
  it("refuses a validity the figures contradict, and asks for the specific gravity below 20 mg/dL creatinine", () => {
    expect(messages(ResultsSchema.safeParse(results({ creatinine: "15", specificGravity: "1.002" })))).toEqual({
      validity:
        "The measurements make this specimen dilute: creatinine 15 mg/dL (2 to under 20) with specific gravity 1.002 (over 1.0010, under 1.0030). Choose Dilute, or correct the figures.",
    });
    expect(ResultsSchema.safeParse(results({ validity: "dilute", creatinine: "15", specificGravity: "1.002" })).success).toBe(true);
    expect(messages(ResultsSchema.safeParse(results({ creatinine: "15" })))).toEqual({
      specificGravity: "Enter the specific gravity too: creatinine 15 mg/dL is below 20 (49 CFR 40.87(a)).",
    });
    expect(ResultsSchema.safeParse(results({ validity: "adulterated", ph: "3.9" })).success).toBe(true);
    expect(ResultsSchema.safeParse(results()).data).toMatchObject({ creatinine: null, specificGravity: null, ph: null, oxidant: false });
  });
});

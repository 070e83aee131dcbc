import { describe, expect, it } from "vitest";
import { ICD10_CODES, ICD10_LIST, lookupIcd10 } from "~/features/patients/icd10-codes";
import { dotted, groupInScope, inScope, parseOrderFile } from "../../scripts/icd10-order-file";

// Lines as they stand in CMS's icd10cm_order_2026.txt (order number, code, 0 header / 1 billable,
// short description padded to 60, long description).
const pad = (s: string, n: number) => s.padEnd(n, " ");
const line = (order: number, code: string, billable: 0 | 1, short: string, long = short) =>
  `${String(order).padStart(5, "0")} ${pad(code, 7)} ${billable} ${pad(short, 60)} ${long}`;
const SAMPLE = [
  line(5353, "F11", 0, "Opioid related disorders"),
  line(5373, "F112", 0, "Opioid dependence"),
  line(5374, "F1120", 1, "Opioid dependence, uncomplicated"),
  line(76744, "T402", 0, "Poisoning by, adverse effect of and underdosing of opioids", "Poisoning by, adverse effect of and underdosing of other opioids"),
  line(
    76747,
    "T402X1A",
    1,
    "Poisoning by oth opioids, accidental (unintentional), init",
    "Poisoning by other opioids, accidental (unintentional), initial encounter",
  ),
  line(1, "A000", 1, "Cholera due to Vibrio cholerae 01, biovar cholerae"),
].join("\r\n");

describe("the ICD-10-CM order file", () => {
  it("reads the fixed-width columns: dotted code, billable flag, long description", () => {
    const rows = parseOrderFile(SAMPLE);
    expect(rows[2]).toEqual({ code: "F11.20", billable: true, short: "Opioid dependence, uncomplicated", long: "Opioid dependence, uncomplicated" });
    expect(rows[1]).toMatchObject({ code: "F11.2", billable: false });
    expect(rows[4]).toMatchObject({ code: "T40.2X1A", billable: true, long: "Poisoning by other opioids, accidental (unintentional), initial encounter" });
    expect(dotted("F99")).toBe("F99");
  });

  it("refuses a file that is not an order file", () => {
    expect(() => parseOrderFile("code,description\nF1120,Opioid dependence")).toThrow(/Not an ICD-10-CM order-file line/);
  });

  it("keeps only billable codes in scope, under their category's title", () => {
    expect(groupInScope(parseOrderFile(SAMPLE))).toEqual([
      { heading: "F11 Opioid related disorders", codes: [["F11.20", "Opioid dependence, uncomplicated"]] },
      { heading: "T40", codes: [["T40.2X1A", "Poisoning by other opioids, accidental (unintentional), initial encounter"]] },
    ]);
    expect(inScope("Z59.01")).toBe(true);
    expect(inScope("Z71.41")).toBe(true);
    expect(inScope("Z79.891")).toBe(true);
    expect(inScope("Z79.899")).toBe(false);
    expect(inScope("A00.0")).toBe(false);
    expect(inScope("I10")).toBe(false);
  });
});

describe("the clinic's ICD-10-CM list", () => {
  it("states its fiscal year, the dates it is in force and its source", () => {
    expect(ICD10_LIST.fiscalYear).toBe(2026);
    expect(ICD10_LIST.effective).toEqual({ from: "2025-10-01", to: "2026-09-30" });
    expect(ICD10_LIST.source).toContain("icd10cm_order_2026.txt");
    expect(ICD10_LIST.count).toBe(ICD10_CODES.length);
  });

  it("holds all of chapter F's billable codes and the SUD Z and T codes", () => {
    const codes = new Set(ICD10_CODES.map((c) => c.code));
    for (const c of [
      "F01.50",
      "F10.20",
      "F11.20",
      "F17.210",
      "F32.A",
      "F43.10",
      "F99",
      "Z59.01",
      "Z63.72",
      "Z71.41",
      "Z71.51",
      "Z72.0",
      "Z79.891",
      "Z87.891",
    ]) {
      expect(codes.has(c), c).toBe(true);
    }
    for (const c of ["T40.2X1A", "T40.2X1D", "T40.2X1S", "T40.411A", "T42.4X1A", "T43.621A", "T51.0X1A"]) expect(codes.has(c), c).toBe(true);
    // Headers are not on it; nor is anything outside the scope.
    for (const c of ["F11", "F11.2", "T40.2X1", "Z59.0", "I10"]) expect(codes.has(c), c).toBe(false);
    // Every T code carries its 7th character: A initial, D subsequent, S sequela.
    for (const c of codes) if (c.startsWith("T")) expect(c, c).toMatch(/^T\d\d\.[0-9X]{3}[ADS]$/);
  });
});

describe("looking a diagnosis code up", () => {
  it("accepts F11.20 with its official description", () => {
    expect(lookupIcd10("F11.20")).toEqual({ ok: true, code: "F11.20", description: "Opioid dependence, uncomplicated" });
  });

  it("accepts T40.2X1A, a 7-character poisoning code, typed in lower case", () => {
    expect(lookupIcd10("t40.2x1a")).toEqual({
      ok: true,
      code: "T40.2X1A",
      description: "Poisoning by other opioids, accidental (unintentional), initial encounter",
    });
  });

  it("accepts F99, a three-character code with nothing under it", () => {
    expect(lookupIcd10("F99")).toMatchObject({ ok: true, description: "Mental disorder, not otherwise specified" });
  });

  it("refuses F11.2, a category, and names billable codes under it", () => {
    const r = lookupIcd10("F11.2");
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.reason).toBe("category");
    expect(r.message).toMatch(/^F11\.2 is a category, not a billable code: choose e\.g\. F11\.20 \(Opioid dependence, uncomplicated\)/);
    // F11.20, F11.21, F11.220–F11.29: 15 billable codes (counted in the FY2026 order file).
    expect(r.suggestions).toHaveLength(15);
    expect(r.suggestions.every((c) => c.code.startsWith("F11.2"))).toBe(true);
  });

  it("refuses F11, the three-character category", () => {
    const r = lookupIcd10("F11");
    expect(r).toMatchObject({ ok: false, reason: "category" });
    expect(!r.ok && r.message.startsWith("F11 is a category, not a billable code")).toBe(true);
  });

  it("refuses F99.99, which does not exist", () => {
    const r = lookupIcd10("F99.99");
    expect(r).toMatchObject({ ok: false, reason: "unknown", code: "F99.99" });
    expect(!r.ok && r.message).toBe(
      "F99.99 is not a billable code on the FY2026 ICD-10-CM list (chapter F and the Z and T codes addiction programs use). Pick a code from the list.",
    );
  });

  it("refuses what is not a code at all", () => {
    expect(lookupIcd10("opioids")).toMatchObject({ ok: false, reason: "shape" });
    expect(lookupIcd10("")).toMatchObject({ ok: false, reason: "shape", message: "Enter an ICD-10-CM code." });
  });
});

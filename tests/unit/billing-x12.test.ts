/**
 * The 837 and 835 as text: a batch built from plain data parses back with the library (node-x12)
 * with its SE01 segment count, its claims, lines and totals equal to the charges put in; a
 * hand-written 835 reads into claims, lines, dates and CAS adjustments; totals that do not balance
 * are caught. Figures below are computed by hand.
 */
import { X12Parser } from "node-x12";
import { describe, expect, it } from "vitest";
import {
  adjustmentWords,
  type BatchInput,
  build835,
  build837,
  batchProblems,
  cents,
  dollars,
  lineOutcome,
  parse835,
  read837,
  remittanceBalances,
} from "~/features/billing/x12";

const provider = {
  name: "Harbor Light Recovery",
  npi: "1234567893",
  taxId: "123456789",
  address: { line1: "100 Main St", city: "Portland", state: "OR", zip: "97201" },
};
const line = (date: string, amountCents = 25000) => ({ date, procedureCode: "H0015", modifiers: ["HF"], revenueCode: "0906", units: 1, amountCents });

function batch(claimType: BatchInput["claimType"]): BatchInput {
  return {
    claimType,
    controlNumber: 17,
    createdAt: new Date("2026-12-07T01:30:00Z"),
    usage: "T",
    submitter: { name: "Harbor Light Recovery", id: "HLR001", contactName: "Billing Office", phone: "(503) 555-0100" },
    receiver: { name: "Clearinghouse", id: "CLEARHOUSE" },
    billingProvider: provider,
    claims: [
      {
        control: "HL17-1",
        patient: {
          lastName: "Rivera",
          firstName: "Ana",
          birthDate: "1990-04-02",
          sex: "female",
          address: { line1: "1 Elm St", city: "Portland", state: "OR", zip: "97202" },
        },
        subscriber: { relationship: "self", lastName: "Rivera", firstName: "Ana", birthDate: null, memberId: "MEM1", groupNumber: "G1" },
        payer: { name: "Cascade Health", payerId: "CH001", kind: "commercial" },
        diagnoses: ["F10.20", "F12.20"],
        lines: [line("2026-11-02"), line("2026-11-03"), line("2026-11-04", 12550)],
      },
      {
        control: "HL17-2",
        patient: { lastName: "Chen", firstName: "Li", birthDate: "2006-01-09", sex: "male", address: null },
        subscriber: { relationship: "child", lastName: "Chen", firstName: "Wei", birthDate: "1975-05-05", memberId: "MEM2", groupNumber: "" },
        payer: { name: "Oregon Medicaid", payerId: "ORMED", kind: "medicaid" },
        diagnoses: ["F11.20"],
        lines: [line("2026-11-05")],
      },
    ],
  };
}

describe("money in X12", () => {
  it("writes and reads decimal dollars exactly", () => {
    expect(dollars(25000)).toBe("250");
    expect(dollars(12550)).toBe("125.5");
    expect(dollars(1205)).toBe("12.05");
    expect(dollars(0)).toBe("0");
    expect(cents("125.5")).toBe(12550);
    expect(cents("12.05")).toBe(1205);
    expect(cents("-3")).toBe(-300);
    expect(cents("abc")).toBeNull();
    expect(cents("")).toBeNull();
  });
});

describe("837 batches", () => {
  for (const claimType of ["professional", "institutional"] as const) {
    it(`a ${claimType} batch parses back with the same claims, lines, totals and segment count`, () => {
      const b = batch(claimType);
      const text = build837(b);
      // The library itself reads it: one interchange, one group, one transaction.
      const ix = new X12Parser(true).parse(text);
      expect("functionalGroups" in ix).toBe(true);
      const back = read837(text);
      expect(back.guide).toBe(claimType === "professional" ? "005010X222A1" : "005010X223A2");
      expect(back.controlNumber).toBe(17);
      expect(back.segmentCount).toBe(back.countedSegments);
      expect(back.claims.map((c) => c.control)).toEqual(["HL17-1", "HL17-2"]);
      // 250 + 250 + 125.50 = 625.50; 250.
      expect(back.claims.map((c) => c.totalCents)).toEqual([62550, 25000]);
      expect(back.claims[0].lines).toEqual([
        { date: "2026-11-02", code: "H0015", amountCents: 25000, units: 1 },
        { date: "2026-11-03", code: "H0015", amountCents: 25000, units: 1 },
        { date: "2026-11-04", code: "H0015", amountCents: 12550, units: 1 },
      ]);
      const charges = b.claims.flatMap((c) => c.lines).reduce((n, l) => n + l.amountCents, 0);
      expect(back.claims.flatMap((c) => c.lines).reduce((n, l) => n + l.amountCents, 0)).toBe(charges);
      expect(text).toContain("HI*ABK:F1020*ABF:F1220~");
      expect(text).toMatch(/^ISA\*00\*/);
      expect(text).toContain("*000000017*");
    });
  }

  it("puts a dependent patient in a 2000C loop and the professional line in SV1 with its diagnosis pointer", () => {
    const text = build837(batch("professional"));
    // Billing provider HL 1; the first claim's subscriber (the patient) HL 2; the second's subscriber HL 3 with its patient HL 4.
    expect(text).toContain("HL*2*1*22*0~");
    expect(text).toContain("HL*3*1*22*1~");
    expect(text).toContain("HL*4*3*23*0~");
    expect(text).toContain("PAT*19~");
    expect(text).toContain("SV1*HC:H0015:HF*250*UN*1***1~");
    expect(text).toContain("CLM*HL17-1*625.5***57:B:1*Y*A*Y*Y~");
  });

  it("puts the institutional line in SV2 with its revenue code and the statement dates", () => {
    const text = build837(batch("institutional"));
    expect(text).toContain("SV2*0906*HC:H0015:HF*250*UN*1~");
    expect(text).toContain("DTP*434*RD8*20261102-20261104~");
    expect(text).toContain("CLM*HL17-1*625.5***89:A:1**A*Y*Y~");
  });

  it("refuses an empty batch and a provider without NPI or tax id", () => {
    const b = { ...batch("professional"), claims: [] };
    expect(batchProblems(b)).toContain("There are no claims to put in this batch.");
    expect(() => build837(b)).toThrow(/no claims/);
    expect(batchProblems({ ...batch("professional"), billingProvider: { ...provider, npi: "12" } })).toContain("The billing provider's NPI must be 10 digits.");
  });
});

describe("replacement and void claims (CLM05-3 7 and 8, REF*F8)", () => {
  const corrected = (claimType: BatchInput["claimType"], frequency: "7" | "8"): BatchInput => {
    const b = batch(claimType);
    return { ...b, claims: [{ ...b.claims[0], control: "HL18-1", frequency, payerClaimControl: "PAYER1" }] };
  };

  it("writes the frequency into CLM05-3 and the payer's claim number into REF*F8, between CLM and HI", () => {
    const text = build837(corrected("professional", "7"));
    expect(text).toContain("CLM*HL18-1*625.5***57:B:7*Y*A*Y*Y~\nREF*F8*PAYER1~\nHI*ABK:F1020*ABF:F1220~");
    const inst = build837(corrected("institutional", "8"));
    // 837I: after the statement dates and CL1, before HI.
    expect(inst).toContain("CLM*HL18-1*625.5***89:A:8**A*Y*Y~\nDTP*434*RD8*20261102-20261104~\nCL1***30~\nREF*F8*PAYER1~\nHI*");
  });

  it("reads the frequency and REF*F8 back, and an original has frequency 1 and no F8", () => {
    for (const claimType of ["professional", "institutional"] as const) {
      const back = read837(build837(corrected(claimType, "8")));
      expect(back.claims).toHaveLength(1);
      expect(back.claims[0]).toMatchObject({ control: "HL18-1", frequency: "8", payerClaimControl: "PAYER1", totalCents: 62550 });
      expect(back.segmentCount).toBe(back.countedSegments);
      const original = read837(build837(batch(claimType)));
      expect(original.claims.map((c) => [c.frequency, c.payerClaimControl])).toEqual([
        ["1", null],
        ["1", null],
      ]);
    }
    expect(build837(batch("professional"))).not.toContain("REF*F8");
  });

  it("refuses a replacement without the payer's claim number, and an original with one", () => {
    const b = corrected("professional", "7");
    const missing = { ...b, claims: [{ ...b.claims[0], payerClaimControl: " " }] };
    expect(batchProblems(missing)).toContain("Claim HL18-1 replaces or voids an earlier claim but has no payer claim control number (REF*F8).");
    expect(() => build837(missing)).toThrow(/REF\*F8/);
    const original = { ...b, claims: [{ ...b.claims[0], frequency: "1" as const }] };
    expect(batchProblems(original)).toContain("Claim HL18-1 is an original claim: it carries no payer claim control number.");
  });
});

/** A payer's 835, written by hand: two claims, one paid less a contractual reduction, one line denied (CARC 197). */
const HAND_835 = [
  "ISA*00*          *00*          *ZZ*CASCADE        *ZZ*1234567893     *261210*0900*^*00501*000000031*0*P*:~",
  "GS*HP*CASCADE*1234567893*20261210*0900*31*X*005010X221A1~",
  "ST*835*0031~",
  "BPR*I*700*C*ACH*CCP*01*999999999*DA*123456*1512345678**01*888888888*DA*654321*20261210~",
  "TRN*1*EFT445566*1512345678~",
  "N1*PR*CASCADE HEALTH~",
  "N1*PE*HARBOR LIGHT RECOVERY*XX*1234567893~",
  "LX*1~",
  "CLP*HL17-1*1*625.5*450**12*PAYER1~",
  "SVC*HC:H0015:HF*250*225**1~",
  "DTM*472*20261102~",
  "CAS*CO*45*25~",
  "SVC*HC:H0015:HF*250*225**1~",
  "DTM*472*20261103~",
  "CAS*CO*45*25~",
  "SVC*HC:H0015:HF*125.5*0**1~",
  "DTM*472*20261104~",
  "CAS*CO*197*125.5~",
  "CLP*HL17-2*1*250*250**MC*PAYER2~",
  "SVC*HC:H0015:HF*250*250**1~",
  "DTM*472*20261105~",
  "SE*20*0031~",
  "GE*1*31~",
  "IEA*1*000000031~",
].join("\n");

describe("835 remittances", () => {
  it("reads payment, trace, claims, lines, dates and adjustments", () => {
    const parsed = parse835(HAND_835);
    if (!parsed.ok) throw new Error(parsed.message);
    const r = parsed.remittance;
    expect(r.traceNumber).toBe("EFT445566");
    expect(r.totalCents).toBe(70000);
    expect(r.paidOn).toBe("2026-12-10");
    expect(r.payerName).toBe("CASCADE HEALTH");
    expect(r.claims.map((c) => [c.control, c.chargeCents, c.paidCents])).toEqual([
      ["HL17-1", 62550, 45000],
      ["HL17-2", 25000, 25000],
    ]);
    const lines = r.claims[0].lines;
    expect(lines.map((l) => [l.date, l.procedureCode, l.modifiers.join(","), l.chargeCents, l.paidCents])).toEqual([
      ["2026-11-02", "H0015", "HF", 25000, 22500],
      ["2026-11-03", "H0015", "HF", 25000, 22500],
      ["2026-11-04", "H0015", "HF", 12550, 0],
    ]);
    expect(lines[2].adjustments).toEqual([{ group: "CO", reason: "197", cents: 12550 }]);
    expect(lines.map(lineOutcome)).toEqual(["adjusted", "adjusted", "denied"]);
    expect(lineOutcome(r.claims[1].lines[0])).toBe("paid");
    // 450 + 250 = 700 = BPR02.
    expect(remittanceBalances(r)).toEqual({ ok: true });
    expect(adjustmentWords(lines[2].adjustments[0])).toBe("CO-197: Precertification/authorization/notification/pre-treatment absent (contractual obligation)");
  });

  it("catches a BPR total that is not the sum of the claims' payments", () => {
    const parsed = parse835(HAND_835.replace("BPR*I*700*", "BPR*I*710*"));
    if (!parsed.ok) throw new Error(parsed.message);
    expect(remittanceBalances(parsed.remittance)).toEqual({ ok: false, expectedCents: 70000 });
  });

  it("refuses what is not an 835", () => {
    expect(parse835("hello").ok).toBe(false);
    const claims = build837(batch("professional"));
    const p = parse835(claims);
    expect(p.ok).toBe(false);
    if (!p.ok) expect(p.message).toMatch(/not an 835/);
  });

  it("builds an 835 that reads back balanced, with its denial", () => {
    const text = build835({
      payer: { name: "Cascade Health", id: "CH001" },
      payee: { name: "Harbor Light Recovery", npi: "1234567893" },
      traceNumber: "TR1",
      paidOn: "2026-12-10",
      controlNumber: 5,
      createdAt: new Date("2026-12-10T09:00:00Z"),
      claims: [
        {
          control: "HL17-1",
          status: "1",
          chargeCents: 50000,
          lines: [
            { date: "2026-11-02", procedureCode: "H0015", modifiers: [], chargeCents: 25000, paidCents: 25000, units: 1, adjustments: [] },
            {
              date: "2026-11-03",
              procedureCode: "H0015",
              modifiers: [],
              chargeCents: 25000,
              paidCents: 0,
              units: 1,
              adjustments: [{ group: "CO", reason: "197", cents: 25000 }],
            },
          ],
        },
      ],
    });
    const parsed = parse835(text);
    if (!parsed.ok) throw new Error(parsed.message);
    expect(parsed.remittance.totalCents).toBe(25000);
    expect(remittanceBalances(parsed.remittance)).toEqual({ ok: true });
    expect(parsed.remittance.claims[0].lines[1].adjustments).toEqual([{ group: "CO", reason: "197", cents: 25000 }]);
  });
});

/**
 * Claims out and remittances in, as X12 text, with no I/O: an 837 batch (professional 005010X222A1
 * or institutional 005010X223A2) built from plain data, and an 835 (005010X221A1) read into claims,
 * service lines and adjustments. The envelope and the segment counts (SE01, GE01, IEA01) are the
 * library's (`node-x12`, docs/decisions/0012); which segments go where, and what each element
 * holds, are the implementation guides' (ASC X12N TR3s, cited beside each segment).
 *
 * Money is integer cents here and decimal dollars in X12 ("R" type: no trailing zeros needed, no
 * thousands separators; X12 005010 standard, data element type R). Dates are CCYYMMDD ("D8").
 */
import { JSEDINotation, X12Generator, X12Interchange, X12Parser, type X12Segment } from "node-x12";
import type { ClaimType } from "#db/schema";

export const IMPLEMENTATION_GUIDES: Record<ClaimType, string> = {
  professional: "005010X222A1",
  institutional: "005010X223A2",
};
export const REMITTANCE_GUIDE = "005010X221A1";

/** Delimiters most clearinghouses expect (the TR3s' examples use `*`, `:` and `~`; ISA11 `^` in 00501). */
const OPTIONS = { segmentTerminator: "~", elementDelimiter: "*", subElementDelimiter: ":", repetitionDelimiter: "^", endOfLine: "\n", format: true };

export interface Address {
  line1: string;
  city: string;
  state: string;
  zip: string;
}

export interface BillingProvider {
  name: string;
  /** 10-digit National Provider Identifier (NM109 with NM108 = XX). */
  npi: string;
  /** 9-digit employer identification number (REF*EI). */
  taxId: string;
  address: Address;
}

export interface ClaimLine {
  /** YYYY-MM-DD */
  date: string;
  procedureCode: string;
  modifiers: string[];
  /** Institutional claims only (SV201). */
  revenueCode: string;
  units: number;
  amountCents: number;
}

export interface ClaimInput {
  /** CLM01, the patient control number the 835 returns in CLP01 (at most 20 characters in 837 5010). */
  control: string;
  patient: { lastName: string; firstName: string; birthDate: string; sex: string; address: Address | null };
  subscriber: {
    relationship: "self" | "spouse" | "child" | "other";
    lastName: string;
    firstName: string;
    birthDate: string | null;
    memberId: string;
    groupNumber: string;
  };
  payer: { name: string; payerId: string; kind: string };
  /** ICD-10-CM codes, principal first (with or without the dot; X12 carries them without). */
  diagnoses: string[];
  lines: ClaimLine[];
  /**
   * CLM05-3 claim frequency (NUBC type-of-bill frequency codes, which both 837 TR3s use): 1 original
   * (the default), 7 replacement of prior claim, 8 void/cancel of prior claim.
   */
  frequency?: ClaimFrequency;
  /**
   * REF*F8 (loop 2300, Payer Claim Control Number): the payer's number for the claim a 7 or 8
   * replaces or voids. 005010X222A1 and 005010X223A2, 2300 REF (F8): "Required when CLM05-3 (Claim
   * Frequency Code) indicates this claim is a replacement or void to a previously adjudicated claim.
   * If not required by this implementation guide, do not send." (quoted in X12 RFI 1538 and 2110,
   * x12.org/resources/requests-for-interpretation): so it is sent with 7 and 8 only.
   */
  payerClaimControl?: string;
}

export type ClaimFrequency = "1" | "7" | "8";
export const CLAIM_FREQUENCIES: Record<ClaimFrequency, string> = { "1": "Original", "7": "Replacement", "8": "Void" };

export interface BatchInput {
  claimType: ClaimType;
  /** ISA13 / GS06 / BHT03: unique per site, counted up. */
  controlNumber: number;
  createdAt: Date;
  /** ISA15: P production, T test. */
  usage: "P" | "T";
  submitter: { name: string; id: string; contactName: string; phone: string };
  receiver: { name: string; id: string };
  billingProvider: BillingProvider;
  claims: ClaimInput[];
}

/** Decimal dollars as X12 writes them: "250", "250.5", "0". */
export function dollars(cents: number): string {
  const sign = cents < 0 ? "-" : "";
  const abs = Math.abs(Math.round(cents));
  const whole = Math.floor(abs / 100);
  const frac = abs % 100;
  if (!frac) return `${sign}${whole}`;
  return `${sign}${whole}.${String(frac).padStart(2, "0").replace(/0$/, "")}`;
}

/** Decimal dollars read back into cents, exactly (no floating point): "250.5" → 25050. Null if not a number. */
export function cents(value: string | undefined | null): number | null {
  const m = /^(-?)(\d*)(?:\.(\d{0,2})\d*)?$/.exec((value ?? "").trim());
  if (!m || (!m[2] && !m[3])) return null;
  const n = Number(m[2] || "0") * 100 + Number((m[3] ?? "").padEnd(2, "0"));
  return m[1] ? -n : n;
}

const d8 = (date: string) => date.replaceAll("-", "");
const fromD8 = (v: string | undefined) => (v && /^\d{8}$/.test(v) ? `${v.slice(0, 4)}-${v.slice(4, 6)}-${v.slice(6, 8)}` : null);

/** X12 text: upper case, no delimiter characters, collapsed spaces (the basic character set). */
function text(v: string, max = 60): string {
  return v
    .toUpperCase()
    .replace(/[~*:^\r\n]/g, " ")
    .replace(/\s+/g, " ")
    .trim()
    .slice(0, max);
}

/** Trailing empty elements are not sent (X12 syntax: a segment ends at its last element with data). */
function trimmed(elements: string[]): string[] {
  const out = [...elements];
  while (out.length && out[out.length - 1] === "") out.pop();
  return out;
}

const pad = (v: string, n: number) => v.slice(0, n).padEnd(n, " ");

/** 837 SBR09 claim filing indicator (005010X222A1 2000B SBR09): by payer kind. */
const FILING_INDICATOR: Record<string, string> = { commercial: "CI", medicaid: "MC", medicare: "MB", grant: "11", self_pay: "ZZ" };
/** 837 PAT01 individual relationship code for a patient who is not the subscriber (2000C PAT01). */
const PATIENT_RELATIONSHIP: Record<string, string> = { spouse: "01", child: "19", other: "G8" };
/** DMG03 gender code: F, M or U (2010BA/2010CA DMG03). */
const GENDER: Record<string, string> = { female: "F", male: "M" };

/**
 * Place of service for the professional claim (CLM05-1): 57 "Non-residential Substance Abuse
 * Treatment Facility" (CMS Place of Service Code Set, cms.gov/medicare/coding-billing/place-of-service-codes).
 */
export const PLACE_OF_SERVICE = "57";
/**
 * Facility type for the institutional claim (CLM05-1, the first two digits of the type of bill):
 * 89 "special facility — other" is what freestanding outpatient SUD programs commonly use; a
 * hospital-based program would use 13 (NUBC UB-04 type of bill, form locator 4).
 */
export const FACILITY_TYPE = "89";

/** The ISA header's sixteen elements (005010 interchange control header; ISA06/ISA08 are 15 characters, ISA13 9 digits). */
function isaHeader(b: BatchInput): string[] {
  const t = b.createdAt.toISOString();
  return [
    "00",
    pad("", 10),
    "00",
    pad("", 10),
    "ZZ",
    pad(text(b.submitter.id, 15), 15),
    "ZZ",
    pad(text(b.receiver.id, 15), 15),
    t.slice(2, 10).replaceAll("-", ""),
    t.slice(11, 16).replace(":", ""),
    "^",
    "00501",
    String(b.controlNumber).padStart(9, "0"),
    "1",
    b.usage,
    ":",
  ];
}

/** A batch that cannot be sent: refused before any text is made. */
export function batchProblems(b: BatchInput): string[] {
  const problems: string[] = [];
  if (!b.claims.length) problems.push("There are no claims to put in this batch.");
  if (!/^\d{10}$/.test(b.billingProvider.npi)) problems.push("The billing provider's NPI must be 10 digits.");
  if (!/^\d{9}$/.test(b.billingProvider.taxId)) problems.push("The billing provider's tax id (EIN) must be 9 digits.");
  if (!Number.isInteger(b.controlNumber) || b.controlNumber < 1 || b.controlNumber > 999_999_999) problems.push("The control number must be 1 to 999999999.");
  for (const c of b.claims) {
    if (!c.lines.length) problems.push(`Claim ${c.control} has no service lines.`);
    if (!c.diagnoses.length) problems.push(`Claim ${c.control} has no diagnosis code.`);
    if (c.control.length > 20) problems.push(`Claim ${c.control}: the patient control number is longer than 20 characters.`);
    const corrects = c.frequency === "7" || c.frequency === "8";
    if (corrects && !c.payerClaimControl?.trim())
      problems.push(`Claim ${c.control} replaces or voids an earlier claim but has no payer claim control number (REF*F8).`);
    if (!corrects && c.payerClaimControl) problems.push(`Claim ${c.control} is an original claim: it carries no payer claim control number.`);
  }
  return problems;
}

/**
 * One 837 interchange: ISA / GS / one ST…SE per batch / GE / IEA, the claims in 2000B subscriber
 * loops under one 2000A billing provider. Throws if `batchProblems` finds any.
 */
export function build837(b: BatchInput): string {
  const problems = batchProblems(b);
  if (problems.length) throw new Error(problems.join(" "));
  const guide = IMPLEMENTATION_GUIDES[b.claimType];
  const institutional = b.claimType === "institutional";
  const stamp = b.createdAt.toISOString();
  const date = stamp.slice(0, 10).replaceAll("-", "");
  const time = stamp.slice(11, 16).replace(":", "");
  const control = String(b.controlNumber);

  const jsen = new JSEDINotation(isaHeader(b));
  // GS: HC = health care claim (837); GS08 is the guide's version/release/industry identifier.
  const group = jsen.addFunctionalGroup(["HC", text(b.submitter.id, 15), text(b.receiver.id, 15), date, time, control, "X", guide]);
  // ST01 837, ST02 transaction set control number, ST03 the guide (both 837 TR3s: ST03 required).
  const tx = group.addTransaction(["837", control.padStart(4, "0"), guide]);
  const seg = (tag: string, elements: string[]) => tx.addSegment(tag, trimmed(elements));

  // BHT: 0019 = information source, subscriber, dependent; 00 = original; BHT06 CH = chargeable.
  seg("BHT", ["0019", "00", control, date, time, "CH"]);
  // Loop 1000A submitter: NM1*41, 2 = non-person, 46 = electronic transmitter id; PER*IC contact.
  seg("NM1", ["41", "2", text(b.submitter.name), "", "", "", "", "46", text(b.submitter.id, 80)]);
  seg("PER", ["IC", text(b.submitter.contactName), "TE", b.submitter.phone.replace(/\D/g, "")]);
  // Loop 1000B receiver: NM1*40.
  seg("NM1", ["40", "2", text(b.receiver.name), "", "", "", "", "46", text(b.receiver.id, 80)]);

  // Loop 2000A billing provider hierarchical level: HL*1**20*1 (20 = information source, has children).
  let hl = 1;
  seg("HL", [String(hl), "", "20", "1"]);
  const bp = b.billingProvider;
  // Loop 2010AA: NM1*85 billing provider with NPI (XX); N3/N4 address; REF*EI employer id.
  seg("NM1", ["85", "2", text(bp.name), "", "", "", "", "XX", bp.npi]);
  seg("N3", [text(bp.address.line1, 55)]);
  seg("N4", [text(bp.address.city, 30), text(bp.address.state, 2), bp.address.zip.replace(/\D/g, "")]);
  seg("REF", ["EI", bp.taxId]);

  for (const c of b.claims) {
    const self = c.subscriber.relationship === "self";
    const subscriberHl = ++hl;
    // Loop 2000B subscriber: HL*n*1*22*(0 no child | 1 the patient follows in 2000C).
    seg("HL", [String(subscriberHl), "1", "22", self ? "0" : "1"]);
    // SBR01 P primary; SBR02 18 = self (only when the subscriber is the patient); SBR03 group; SBR09 filing indicator.
    seg("SBR", ["P", self ? "18" : "", text(c.subscriber.groupNumber, 50), "", "", "", "", "", FILING_INDICATOR[c.payer.kind] ?? "CI"]);
    // Loop 2010BA subscriber: NM1*IL, 1 = person, MI = member id.
    seg("NM1", ["IL", "1", text(c.subscriber.lastName), text(c.subscriber.firstName, 35), "", "", "", "MI", text(c.subscriber.memberId, 80)]);
    if (self && c.patient.address) {
      seg("N3", [text(c.patient.address.line1, 55)]);
      seg("N4", [text(c.patient.address.city, 30), text(c.patient.address.state, 2), c.patient.address.zip.replace(/\D/g, "")]);
    }
    const subscriberBirth = self ? c.patient.birthDate : c.subscriber.birthDate;
    if (subscriberBirth) seg("DMG", ["D8", d8(subscriberBirth), self ? (GENDER[c.patient.sex] ?? "U") : "U"]);
    // Loop 2010BB payer: NM1*PR, PI = payer identification.
    seg("NM1", ["PR", "2", text(c.payer.name), "", "", "", "", "PI", text(c.payer.payerId || "UNKNOWN", 80)]);
    if (!self) {
      // Loop 2000C patient: HL*n*parent*23*0; PAT01 relationship to the subscriber; 2010CA NM1*QC.
      seg("HL", [String(++hl), String(subscriberHl), "23", "0"]);
      seg("PAT", [PATIENT_RELATIONSHIP[c.subscriber.relationship] ?? "G8"]);
      seg("NM1", ["QC", "1", text(c.patient.lastName), text(c.patient.firstName, 35)]);
      if (c.patient.address) {
        seg("N3", [text(c.patient.address.line1, 55)]);
        seg("N4", [text(c.patient.address.city, 30), text(c.patient.address.state, 2), c.patient.address.zip.replace(/\D/g, "")]);
      }
      seg("DMG", ["D8", d8(c.patient.birthDate), GENDER[c.patient.sex] ?? "U"]);
    }

    const total = c.lines.reduce((n, l) => n + l.amountCents, 0);
    // Loop 2300 CLM: CLM01 patient control number, CLM02 total charge, CLM05 composite
    // (place of service or facility type : B/A qualifier : claim frequency 1 original, 7 replacement, 8 void),
    // CLM06 provider signature on file Y (837P only), CLM07 assignment A, CLM08 benefits assigned Y, CLM09 release of information Y.
    const frequency = c.frequency ?? "1";
    seg(
      "CLM",
      institutional
        ? [c.control, dollars(total), "", "", `${FACILITY_TYPE}:A:${frequency}`, "", "A", "Y", "Y"]
        : [c.control, dollars(total), "", "", `${PLACE_OF_SERVICE}:B:${frequency}`, "Y", "A", "Y", "Y"],
    );
    const dates = c.lines.map((l) => l.date).sort();
    if (institutional) {
      // 837I 2300 DTP*434 statement from–through dates (RD8); CL1 institutional claim code, CL103 patient status 30 = still a patient.
      seg("DTP", ["434", "RD8", `${d8(dates[0])}-${d8(dates[dates.length - 1])}`]);
      seg("CL1", ["", "", "30"]);
    }
    // 2300 REF*F8 payer claim control number, after CLM/DTP/CL1 and before HI in both TR3s' order;
    // only with frequency 7 or 8 (see `payerClaimControl`).
    if (frequency !== "1") seg("REF", ["F8", text(c.payerClaimControl ?? "", 50)]);
    // HI: ABK = ICD-10-CM principal diagnosis, ABF = other diagnoses (837P: up to 12; 837I other diagnoses use ABF too).
    const codes = c.diagnoses.map((d) => d.replace(".", "").toUpperCase()).slice(0, 12);
    seg(
      "HI",
      codes.map((code, i) => `${i === 0 ? "ABK" : "ABF"}:${code}`),
    );

    c.lines.forEach((l, i) => {
      // Loop 2400: LX service line number.
      seg("LX", [String(i + 1)]);
      const procedure = ["HC", l.procedureCode, ...l.modifiers.slice(0, 4)].join(":");
      if (institutional) {
        // SV2: SV201 revenue code, SV202 HC:HCPCS[:modifiers], SV203 charge, SV204 UN units, SV205 quantity.
        seg("SV2", [l.revenueCode, procedure, dollars(l.amountCents), "UN", String(l.units)]);
      } else {
        // SV1: SV101 HC:procedure[:modifiers], SV102 charge, SV103 UN units, SV104 quantity, SV107 diagnosis pointer 1.
        seg("SV1", [procedure, dollars(l.amountCents), "UN", String(l.units), "", "", "1"]);
      }
      // DTP*472 service date (D8).
      seg("DTP", ["472", "D8", d8(l.date)]);
    });
  }
  return new X12Generator(jsen, OPTIONS).toString();
}

function interchangeOf(content: string): X12Interchange {
  const parsed = new X12Parser(true).parse(content);
  if (!(parsed instanceof X12Interchange)) throw new Error("This file holds more than one interchange (ISA): send them one at a time.");
  return parsed;
}

const values = (s: X12Segment) => s.elements.map((e) => e.value);

/** What an 837 batch reads back as, with the library: for tests and checks before a file is stored. */
export function read837(content: string) {
  const ix = interchangeOf(content);
  const group = ix.functionalGroups[0];
  const tx = group.transactions[0];
  const claims: {
    control: string;
    totalCents: number;
    /** CLM05-3. */
    frequency: string;
    /** 2300 REF*F8, or null. */
    payerClaimControl: string | null;
    lines: { date: string | null; code: string; amountCents: number; units: number }[];
  }[] = [];
  let lineCode: { code: string; amountCents: number; units: number } | null = null;
  for (const s of tx.segments) {
    const v = values(s);
    if (s.tag === "CLM") claims.push({ control: v[0], totalCents: cents(v[1]) ?? 0, frequency: v[4]?.split(":")[2] ?? "", payerClaimControl: null, lines: [] });
    else if (s.tag === "REF" && v[0] === "F8" && claims.length) claims[claims.length - 1].payerClaimControl = v[1] ?? "";
    else if (s.tag === "SV1") lineCode = { code: v[0].split(":")[1] ?? "", amountCents: cents(v[1]) ?? 0, units: Number(v[3]) };
    else if (s.tag === "SV2") lineCode = { code: v[1].split(":")[1] ?? "", amountCents: cents(v[2]) ?? 0, units: Number(v[4]) };
    else if (s.tag === "DTP" && v[0] === "472" && lineCode) {
      claims[claims.length - 1]?.lines.push({ ...lineCode, date: fromD8(v[2]) });
      lineCode = null;
    }
  }
  return {
    controlNumber: Number(ix.header.valueOf(13)),
    guide: group.header.valueOf(8),
    /** SE01: segments in the transaction set, ST and SE included. */
    segmentCount: Number(tx.trailer.valueOf(1)),
    /** ST…SE counted as parsed: equals SE01 when the generator counted right. */
    countedSegments: tx.segments.length + 2,
    claims,
  };
}

// --- 835 -------------------------------------------------------------------------------------

export interface Adjustment {
  /** CAS01 claim adjustment group code: CO, PR, OA, PI, CR. */
  group: string;
  /** CAS02/05/08…: a claim adjustment reason code (CARC). */
  reason: string;
  cents: number;
}

export interface RemittanceLine {
  date: string | null;
  procedureCode: string;
  modifiers: string[];
  revenueCode: string;
  chargeCents: number;
  paidCents: number;
  units: number | null;
  adjustments: Adjustment[];
}

export interface RemittanceClaim {
  /** CLP01: CLM01 of the claim this answers. */
  control: string;
  /** CLP02: 1/2/3 processed as primary/secondary/tertiary, 4 denied, 22 reversal. */
  status: string;
  chargeCents: number;
  paidCents: number;
  patientResponsibilityCents: number;
  payerClaimControl: string;
  /** Claim-level CAS (loop 2100). */
  adjustments: Adjustment[];
  lines: RemittanceLine[];
}

export interface Remittance {
  payerName: string;
  payeeName: string;
  /** TRN02: the check or EFT trace number. */
  traceNumber: string;
  /** BPR02: total actual provider payment. */
  totalCents: number;
  /** BPR16: the check issue or EFT effective date. */
  paidOn: string | null;
  /** PLB provider-level adjustments (positive reduces the payment). */
  providerAdjustmentCents: number;
  claims: RemittanceClaim[];
}

export type RemittanceParse = { ok: true; remittance: Remittance } | { ok: false; message: string };

/** CAS01 group, then reason/amount/quantity triplets (CAS02–CAS19: up to six). */
function casAdjustments(v: string[]): Adjustment[] {
  const out: Adjustment[] = [];
  for (let i = 1; i + 1 < v.length && i <= 16; i += 3) {
    const amount = cents(v[i + 1]);
    if (v[i] && amount !== null) out.push({ group: v[0], reason: v[i], cents: amount });
  }
  return out;
}

/**
 * Reads an 835 (005010X221A1): BPR (payment), TRN (trace), N1*PR / N1*PE (payer, payee), each
 * loop 2100 CLP with its CAS, each loop 2110 SVC with its DTM*472 and CAS, and PLB. Every
 * transaction set (ST) in the interchange is read. Anything that is not an 835 is refused in words.
 */
export function parse835(content: string): RemittanceParse {
  let ix: X12Interchange;
  try {
    ix = interchangeOf(content.trim());
  } catch (e) {
    return { ok: false, message: `This file is not a readable X12 interchange: ${e instanceof Error ? e.message : String(e)}`.slice(0, 400) };
  }
  const txs = ix.functionalGroups.flatMap((g) => g.transactions);
  if (!txs.length || txs.some((t) => t.header.valueOf(1) !== "835"))
    return { ok: false, message: "This file is not an 835 remittance (its transaction sets are not 835)." };
  const out: Remittance = { payerName: "", payeeName: "", traceNumber: "", totalCents: 0, paidOn: null, providerAdjustmentCents: 0, claims: [] };
  for (const tx of txs) {
    let claim: RemittanceClaim | null = null;
    let line: RemittanceLine | null = null;
    for (const s of tx.segments) {
      const v = values(s);
      switch (s.tag) {
        case "BPR":
          out.totalCents += cents(v[1]) ?? 0;
          out.paidOn = fromD8(v[15]) ?? out.paidOn;
          break;
        case "TRN":
          out.traceNumber ||= v[1] ?? "";
          break;
        case "N1":
          if (v[0] === "PR") out.payerName ||= v[1] ?? "";
          if (v[0] === "PE") out.payeeName ||= v[1] ?? "";
          break;
        case "CLP":
          claim = {
            control: v[0] ?? "",
            status: v[1] ?? "",
            chargeCents: cents(v[2]) ?? 0,
            paidCents: cents(v[3]) ?? 0,
            patientResponsibilityCents: cents(v[4]) ?? 0,
            payerClaimControl: v[6] ?? "",
            adjustments: [],
            lines: [],
          };
          line = null;
          out.claims.push(claim);
          break;
        case "SVC": {
          if (!claim) break;
          // SVC01 composite: HC:procedure:modifiers…, or NU:revenue code; SVC04 revenue code; SVC05 units paid.
          const [qualifier, code, ...mods] = (v[0] ?? "").split(":");
          line = {
            date: null,
            procedureCode: qualifier === "NU" ? "" : (code ?? ""),
            modifiers: mods.filter(Boolean),
            revenueCode: qualifier === "NU" ? (code ?? "") : (v[3] ?? ""),
            chargeCents: cents(v[1]) ?? 0,
            paidCents: cents(v[2]) ?? 0,
            units: v[4] ? Number(v[4]) : null,
            adjustments: [],
          };
          claim.lines.push(line);
          break;
        }
        case "DTM":
          // DTM*472 service date in loop 2110 (150/151 are a service period's ends).
          if (line && (v[0] === "472" || v[0] === "150")) line.date = fromD8(v[1]);
          break;
        case "CAS":
          if (line) line.adjustments.push(...casAdjustments(v));
          else if (claim) claim.adjustments.push(...casAdjustments(v));
          break;
        case "PLB":
          // PLB03-2, 05-2…: adjustment amounts in pairs (reason:reference, amount) after PLB01/PLB02.
          for (let i = 3; i < v.length; i += 2) out.providerAdjustmentCents += cents(v[i]) ?? 0;
          break;
      }
    }
  }
  if (!out.traceNumber) return { ok: false, message: "This 835 has no trace number (TRN02): it cannot be told apart from another payment." };
  return { ok: true, remittance: out };
}

/**
 * BPR02 equals the claims' payments less provider-level adjustments: "the sum of all CLP04 amounts
 * minus the sum of all PLB adjustments" (005010X221A1, section 1.10.2.1, balancing). A file that does
 * not balance is refused rather than half posted.
 */
export function remittanceBalances(r: Remittance): { ok: true } | { ok: false; expectedCents: number } {
  const expected = r.claims.reduce((n, c) => n + c.paidCents, 0) - r.providerAdjustmentCents;
  return expected === r.totalCents ? { ok: true } : { ok: false, expectedCents: expected };
}

/** Paid in full, paid less than billed (adjusted), or nothing paid (denied). */
export function lineOutcome(l: { chargeCents: number; paidCents: number }): "paid" | "adjusted" | "denied" {
  if (l.paidCents <= 0) return "denied";
  return l.paidCents >= l.chargeCents ? "paid" : "adjusted";
}

/**
 * Claim adjustment group codes (CAS01), X12's code list (x12.org/codes/claim-adjustment-group-codes).
 */
export const ADJUSTMENT_GROUPS: Record<string, string> = {
  CO: "Contractual obligation",
  PR: "Patient responsibility",
  OA: "Other adjustment",
  PI: "Payer-initiated reduction",
  CR: "Correction or reversal",
};

/**
 * Claim adjustment reason codes (CARC) a behavioral-health program meets most, in X12's words,
 * shortened (x12.org/codes/claim-adjustment-reason-codes; the list is maintained by the X12 CARC/RARC
 * committee and changes three times a year: an unknown code is shown as its number).
 */
export const CARC: Record<string, string> = {
  "1": "Deductible amount",
  "2": "Coinsurance amount",
  "3": "Co-payment amount",
  "4": "The procedure code is inconsistent with the modifier used, or a required modifier is missing",
  "16": "Claim or service lacks information or has submission/billing errors",
  "18": "Exact duplicate claim or service",
  "22": "This care may be covered by another payer per coordination of benefits",
  "26": "Expenses incurred before coverage",
  "27": "Expenses incurred after coverage terminated",
  "29": "The time limit for filing has expired",
  "45": "Charge exceeds fee schedule/maximum allowable or contracted/legislated fee arrangement",
  "50": "Non-covered: not deemed a medical necessity by the payer",
  "96": "Non-covered charge(s)",
  "97": "The benefit for this service is included in the payment for another service already adjudicated",
  "109": "Claim or service not covered by this payer; send it to the correct payer",
  "119": "Benefit maximum for this time period or occurrence has been reached",
  "167": "This diagnosis is not covered",
  "197": "Precertification/authorization/notification/pre-treatment absent",
  "198": "Precertification/notification/authorization/pre-treatment exceeded",
  "204": "This service is not covered under the patient's current benefit plan",
  "242": "Services not provided by network/primary care providers",
  "253": "Sequestration — reduction in federal payment",
};

export function adjustmentWords(a: Adjustment): string {
  return `${a.group}-${a.reason}: ${CARC[a.reason] ?? "reason code " + a.reason} (${ADJUSTMENT_GROUPS[a.group]?.toLowerCase() ?? a.group})`;
}

export interface RemittanceInput {
  payer: { name: string; id: string };
  payee: { name: string; npi: string };
  traceNumber: string;
  paidOn: string;
  controlNumber: number;
  createdAt: Date;
  claims: {
    control: string;
    status: string;
    chargeCents: number;
    lines: { date: string; procedureCode: string; modifiers: string[]; chargeCents: number; paidCents: number; units: number; adjustments: Adjustment[] }[];
  }[];
}

/**
 * An 835 from plain data (what a payer would send): for the demo clinic and for tests. BPR02 is the
 * sum of the claims' payments; each claim's CLP04 the sum of its lines'.
 */
export function build835(r: RemittanceInput): string {
  const stamp = r.createdAt.toISOString();
  const date = stamp.slice(0, 10).replaceAll("-", "");
  const time = stamp.slice(11, 16).replace(":", "");
  const control = String(r.controlNumber);
  const claimPaid = (c: RemittanceInput["claims"][number]) => c.lines.reduce((n, l) => n + l.paidCents, 0);
  const total = r.claims.reduce((n, c) => n + claimPaid(c), 0);
  const jsen = new JSEDINotation(
    isaHeader({
      submitter: { id: r.payer.id },
      receiver: { id: r.payee.npi },
      createdAt: r.createdAt,
      controlNumber: r.controlNumber,
      usage: "P",
    } as BatchInput),
  );
  // GS01 HP = health care claim payment/advice (835).
  const group = jsen.addFunctionalGroup(["HP", text(r.payer.id, 15), text(r.payee.npi, 15), date, time, control, "X", REMITTANCE_GUIDE]);
  const tx = group.addTransaction(["835", control.padStart(4, "0"), REMITTANCE_GUIDE]);
  const seg = (tag: string, elements: string[]) => tx.addSegment(tag, trimmed(elements));
  // BPR01 I = remittance information only (no payment order), BPR02 amount, BPR03 C credit, BPR04 NON = non-payment data; BPR16 date.
  seg("BPR", ["I", dollars(total), "C", "NON", "", "", "", "", "", "", "", "", "", "", "", d8(r.paidOn)]);
  // TRN01 1 = current transaction trace numbers; TRN02 the check/EFT number; TRN03 the payer's id.
  seg("TRN", ["1", r.traceNumber, `1${r.payer.id.replace(/\D/g, "").padStart(9, "0").slice(-9)}`]);
  // Loop 1000A payer identification N1*PR; loop 1000B payee N1*PE with NPI (XX).
  seg("N1", ["PR", text(r.payer.name)]);
  seg("N1", ["PE", text(r.payee.name), "XX", r.payee.npi]);
  // Loop 2000 header number (LX) groups the claims.
  seg("LX", ["1"]);
  for (const c of r.claims) {
    const paid = claimPaid(c);
    const owed = c.lines.reduce((n, l) => n + l.adjustments.filter((a) => a.group === "PR").reduce((m, a) => m + a.cents, 0), 0);
    // CLP01 patient control number, CLP02 status, CLP03 charge, CLP04 paid, CLP05 patient responsibility, CLP06 12 = PPO (filing indicator), CLP07 payer claim control.
    seg("CLP", [c.control, c.status, dollars(c.chargeCents), dollars(paid), owed ? dollars(owed) : "", "12", `${r.traceNumber}${c.control}`.slice(0, 30)]);
    for (const l of c.lines) {
      seg("SVC", [["HC", l.procedureCode, ...l.modifiers].join(":"), dollars(l.chargeCents), dollars(l.paidCents), "", String(l.units)]);
      seg("DTM", ["472", d8(l.date)]);
      // One CAS per group code, its reasons as triplets.
      const groups = [...new Set(l.adjustments.map((a) => a.group))];
      for (const g of groups) seg("CAS", [g, ...l.adjustments.filter((a) => a.group === g).flatMap((a) => [a.reason, dollars(a.cents), ""])]);
    }
  }
  return new X12Generator(jsen, OPTIONS).toString();
}

/**
 * Drug-testing rules with no I/O: the vocabulary (specimens, reasons, analytes, validity), how a
 * result is read against the patient's MAT on the collection date, the overall outcome, which
 * findings alert a counselor, and how a patient's history and the program's negative rate add up.
 *
 * The reading of every analyte comes from ONE table, `INTERPRETATION_RULES`: the first row whose
 * conditions match wins. tests/unit/drug-testing-rules.test.ts exercises every row.
 */
import { MAT_EXPECTED_ANALYTE, type MatMedication, matActive } from "~/features/patients/rules";
import { daysBetween } from "~/kernel/time";
import type { Collection, Confirmation, DrawMode, DrawPool, FindingKind, Outcome, Presumptive, Reading, Specimen, TestReason, Validity } from "#db/schema";

/** The stored vocabularies (db/schema.ts), with this module's labels keyed by them. */
export type { Specimen, TestReason, Collection, Validity, Outcome, Presumptive, Confirmation, Reading, DrawPool, DrawMode, FindingKind };

export const SPECIMENS = { urine: "Urine", oral_fluid: "Oral fluid", breath: "Breath", blood: "Blood" } as const satisfies Record<Specimen, unknown>;

export const TEST_REASONS = { random: "Random", scheduled: "Scheduled", for_cause: "For cause", intake: "Intake" } as const satisfies Record<
  TestReason,
  unknown
>;

/** What happened when the patient was asked for a specimen. */
export const COLLECTIONS = { collected: "Collected", refused: "Refused", no_show: "No-show" } as const satisfies Record<Collection, unknown>;

export const VALIDITIES = {
  valid: "Valid",
  dilute: "Dilute",
  substituted: "Substituted",
  adulterated: "Adulterated",
  invalid: "Invalid",
} as const satisfies Record<Validity, unknown>;
/** Specimens whose analyte results cannot be relied on: the test's outcome is "invalid". */
export const UNUSABLE_VALIDITIES: Validity[] = ["substituted", "adulterated", "invalid"];

export const OUTCOMES = {
  pending: "Pending",
  negative: "Negative",
  positive: "Positive",
  invalid: "Invalid",
  refused: "Refused",
  no_show: "No-show",
} as const satisfies Record<Outcome, unknown>;

export const PRESUMPTIVE = { negative: "Negative", positive: "Positive" } as const satisfies Record<Presumptive, unknown>;
export const CONFIRMATIONS = { confirmed_positive: "Confirmed positive", confirmed_negative: "Confirmed negative" } as const satisfies Record<
  Confirmation,
  unknown
>;

/*
 * Specimen validity. A clinic's own drug testing is not DOT-regulated (49 CFR Part 40 governs
 * transportation workplace testing, not treatment programs); the app follows DOT's thresholds, and
 * the HHS Mandatory Guidelines they point to, as the published reference for when a specimen can
 * be relied on and when to collect again. Each rule cites its section beside it.
 */

/**
 * 49 CFR 40.65(b): the collector reads the temperature within 4 minutes of collection; the
 * acceptable range is 32–38 °C / 90–100 °F, both ends included. Out of range, the collector
 * immediately collects a second specimen under direct observation (40.65(b)(5), 40.67).
 */
export const URINE_TEMPERATURE_F = { min: 90, max: 100 } as const;
export const URINE_TEMPERATURE_RANGE = `${URINE_TEMPERATURE_F.min}–${URINE_TEMPERATURE_F.max} °F`;
export const temperatureInRange = (fahrenheit: number) => fahrenheit >= URINE_TEMPERATURE_F.min && fahrenheit <= URINE_TEMPERATURE_F.max;

/** What a lab's validity tests measured (49 CFR 40.87: creatinine, specific gravity below 20 mg/dL creatinine, pH, oxidants). */
export interface ValidityMeasures {
  creatinine: number | null;
  specificGravity: number | null;
  ph: number | null;
  /** An oxidizing adulterant was found (true), tested and not found (false), or not reported (null). */
  oxidant: boolean | null;
}

export type SpecimenClass = { validity: Validity; why: string } | { validity: null; why: string; needs: "specificGravity" };

/**
 * Classifies a urine specimen from its validity measurements, or null when nothing was measured
 * (the validity the lab reported then stands). The first matching rule wins, most serious first.
 */
export function classifySpecimen(m: ValidityMeasures): SpecimenClass | null {
  const { creatinine: cr, specificGravity: sg, ph, oxidant } = m;
  // Adulterated (49 CFR 40.96 and 40.93, HHS Mandatory Guidelines 2017 § 3.8): pH < 4 or ≥ 11, or
  // an oxidizing adulterant at or above its cutoff. (Guidelines before 2010 used pH < 3.)
  if (ph !== null && (ph < 4 || ph >= 11)) return { validity: "adulterated", why: `pH ${ph} is below 4 or 11 and above` };
  if (oxidant) return { validity: "adulterated", why: "an oxidizing adulterant was found" };
  if (cr !== null && cr < 20 && sg === null) {
    // 49 CFR 40.87(a): specific gravity is measured whenever creatinine is below 20 mg/dL.
    return { validity: null, why: `creatinine ${cr} mg/dL is below 20`, needs: "specificGravity" };
  }
  if (cr !== null && sg !== null) {
    // Substituted (49 CFR 40.88(b), formerly 40.93(b)): creatinine < 2 mg/dL and SG ≤ 1.0010 or ≥ 1.0200.
    if (cr < 2 && (sg <= 1.001 || sg >= 1.02))
      return { validity: "substituted", why: `creatinine ${cr} mg/dL below 2 with specific gravity ${sg} (≤ 1.0010 or ≥ 1.0200)` };
    // Invalid (HHS Mandatory Guidelines § 3.8; 49 CFR 40.159 for what follows): creatinine and SG
    // that do not agree — creatinine < 2 with SG between them, or SG ≤ 1.0010 with creatinine ≥ 2.
    if (cr < 2) return { validity: "invalid", why: `creatinine ${cr} mg/dL below 2 with specific gravity ${sg}, which do not agree` };
    if (sg <= 1.001) return { validity: "invalid", why: `specific gravity ${sg} at or below 1.0010 with creatinine ${cr} mg/dL, which do not agree` };
  }
  // Invalid (HHS Mandatory Guidelines § 3.8): pH ≥ 4 and < 4.5, or ≥ 9 and < 11.
  if (ph !== null && ((ph >= 4 && ph < 4.5) || (ph >= 9 && ph < 11))) return { validity: "invalid", why: `pH ${ph} is outside 4.5–9` };
  // Dilute (49 CFR 40.88(a), formerly 40.93(a)): creatinine ≥ 2 but < 20 mg/dL and SG > 1.0010 but < 1.0030.
  if (cr !== null && sg !== null && cr >= 2 && cr < 20 && sg > 1.001 && sg < 1.003)
    return { validity: "dilute", why: `creatinine ${cr} mg/dL (2 to under 20) with specific gravity ${sg} (over 1.0010, under 1.0030)` };
  if (cr === null && sg === null && ph === null && oxidant === null) return null;
  return { validity: "valid", why: "the measurements are those of a normal specimen" };
}

/**
 * A negative that is also dilute: every result is in and nothing unexpected was found, but the
 * specimen was dilute, so the absence of a substance cannot be relied on (49 CFR 40.155). Expected
 * MAT positives do not change this (the test reads as negative for everything else).
 */
export const isDiluteNegative = (validity: Validity | null, outcome: Outcome, unexpectedPositive: boolean) =>
  validity === "dilute" && (outcome === "negative" || outcome === "positive") && !unexpectedPositive;

/**
 * 49 CFR 40.155(c) and 40.197(b): a negative-dilute with creatinine 2–5 mg/dL is recollected at
 * once under direct observation; any other negative-dilute may be recollected (unobserved).
 */
export const diluteNeedsObservation = (creatinine: number | null) => creatinine !== null && creatinine >= 2 && creatinine <= 5;

/** The findings that ask for a new specimen, and whether it must be collected under direct observation. */
export const RECOLLECTION_ASKS: Partial<Record<FindingKind, { observed: boolean; why: string }>> = {
  // 49 CFR 40.65(b)(5): out-of-range temperature → a new collection under direct observation at once.
  temperature: { observed: true, why: "49 CFR 40.65(b)(5)" },
  // 49 CFR 40.159(a)(5): an invalid result without a medical explanation → recollect under direct observation.
  invalid: { observed: true, why: "49 CFR 40.159" },
  // A tampered specimen tells nothing about use: the next one is collected under direct observation
  // (40.67(b) lists observed collections after signs of tampering).
  adulterated: { observed: true, why: "49 CFR 40.67(b)" },
  substituted: { observed: true, why: "49 CFR 40.67(b)" },
  dilute_negative: { observed: false, why: "49 CFR 40.155, 40.197" },
  dilute_negative_observed: { observed: true, why: "49 CFR 40.155(c), 40.197(b)(1)" },
};

/** What a finding asks of the collector, in words, or null when it asks for no recollection. */
export function recollectionAsk(kind: string): string | null {
  const ask = RECOLLECTION_ASKS[kind as FindingKind];
  if (!ask) return null;
  return ask.observed ? "Recollect under direct observation" : "Recollect (observation not required)";
}

/** Facts about the specimen, beyond its validity, that findings are drawn from. */
export interface SpecimenFacts {
  /** The urine temperature in °F, when read. */
  temperatureF?: number | null;
  /** Recorded as in range or not (older rows and strip readings without a figure). */
  temperatureInRange?: boolean | null;
  creatinine?: number | null;
}

/** How an analyte behaves against MAT: the rules match on kinds, not on individual analytes. */
export type AnalyteKind = "buprenorphine" | "buprenorphine_metabolite" | "methadone" | "methadone_metabolite" | "opioid" | "sedative" | "alcohol" | "other";

/** Every kind that is an opioid (MAT agonists included: they are opioids when not prescribed). */
export const OPIOID_KINDS: AnalyteKind[] = ["buprenorphine", "buprenorphine_metabolite", "methadone", "methadone_metabolite", "opioid"];

interface AnalyteInfo {
  label: string;
  kind: AnalyteKind;
  /** Only tested in breath; every other analyte is never tested in breath. */
  breath?: true;
}

/** The analytes a panel can include. The first sixteen are the default set. */
export const ANALYTES = {
  amphetamine: { label: "Amphetamine", kind: "other" },
  methamphetamine: { label: "Methamphetamine", kind: "other" },
  mdma: { label: "MDMA", kind: "other" },
  barbiturates: { label: "Barbiturates", kind: "sedative" },
  benzodiazepines: { label: "Benzodiazepines", kind: "sedative" },
  buprenorphine: { label: "Buprenorphine", kind: "buprenorphine" },
  cocaine: { label: "Cocaine", kind: "other" },
  thc: { label: "THC", kind: "other" },
  methadone: { label: "Methadone", kind: "methadone" },
  eddp: { label: "EDDP (methadone metabolite)", kind: "methadone_metabolite" },
  opiates: { label: "Opiates", kind: "opioid" },
  oxycodone: { label: "Oxycodone", kind: "opioid" },
  fentanyl: { label: "Fentanyl", kind: "opioid" },
  pcp: { label: "PCP", kind: "other" },
  etg: { label: "Alcohol (EtG)", kind: "alcohol" },
  breath_alcohol: { label: "Breath alcohol", kind: "alcohol", breath: true },
  // Beyond the default set, for panels that need them.
  norbuprenorphine: { label: "Norbuprenorphine", kind: "buprenorphine_metabolite" },
  six_mam: { label: "6-MAM (heroin)", kind: "opioid" },
  tramadol: { label: "Tramadol", kind: "opioid" },
  xylazine: { label: "Xylazine", kind: "sedative" },
} as const satisfies Record<string, AnalyteInfo>;
export type Analyte = keyof typeof ANALYTES;
export const ANALYTE_CODES = Object.keys(ANALYTES) as Analyte[];

export const isAnalyte = (code: string): code is Analyte => Object.hasOwn(ANALYTES, code);
export const analyteLabel = (code: string) => (isAnalyte(code) ? ANALYTES[code].label : code);
const isBreathOnly = (a: Analyte) => "breath" in ANALYTES[a];

/** Which analytes a panel on this specimen may include (breath alcohol is only ever breath). */
export function analytesFor(specimen: Specimen): Analyte[] {
  return ANALYTE_CODES.filter((a) => (specimen === "breath") === isBreathOnly(a));
}

/** The analytes of a panel that do not fit its specimen, as a message, or null when all fit. */
export function panelMismatch(specimen: Specimen, analytes: string[]): string | null {
  const allowed = new Set<string>(analytesFor(specimen));
  const wrong = analytes.filter((a) => !allowed.has(a));
  if (!wrong.length) return null;
  return specimen === "breath"
    ? `A breath panel tests breath alcohol only; remove ${wrong.map(analyteLabel).join(", ")}.`
    : `${wrong.map(analyteLabel).join(", ")} is tested in breath only; make a separate breath panel.`;
}

/**
 * The regimens that change how a result reads. A patient can be on more than one (methadone and
 * disulfiram, say); a rule names the regimens it applies to and matches when the patient is on any.
 */
export type MatRegimen = "buprenorphine" | "methadone" | "naltrexone" | "disulfiram";
export const MAT_REGIMEN_LABELS: Record<MatRegimen, string> = {
  buprenorphine: "buprenorphine",
  methadone: "methadone",
  naltrexone: "naltrexone",
  disulfiram: "disulfiram",
};

/** A medication's regimen: the agonists through the analyte they show up as (patients/rules.ts), then the antagonists. */
export function regimenOf(medication: string): MatRegimen | null {
  const expected = MAT_EXPECTED_ANALYTE[medication as MatMedication];
  if (expected === "buprenorphine" || expected === "methadone") return expected;
  if (medication === "naltrexone_oral" || medication === "naltrexone_xr") return "naltrexone";
  if (medication === "disulfiram") return "disulfiram";
  return null;
}

export interface MatEpisodeLike {
  medication: string;
  started_on: string;
  ended_on: string | null;
}

/** The MAT episodes running on a date (start through end, inclusive), as stored with a test. */
export function matOn(episodes: MatEpisodeLike[], date: string) {
  return episodes
    .filter((e) => matActive(e.started_on, e.ended_on, date))
    .map((e) => ({ medication: e.medication, startedOn: e.started_on, endedOn: e.ended_on }));
}

export const regimensOf = (context: { medication: string }[]): MatRegimen[] => [
  ...new Set(context.map((c) => regimenOf(c.medication)).filter((r): r is MatRegimen => r !== null)),
];

export const READINGS = {
  pending: "Pending",
  expected_negative: "Negative",
  expected_positive: "Expected (prescribed)",
  unexpected_positive: "Unexpected positive",
  unexpected_negative: "Prescribed medication not detected",
} as const satisfies Record<Reading, unknown>;
export const isUnexpected = (r: string) => r === "unexpected_positive" || r === "unexpected_negative";

export interface InterpretationRule {
  /** Stable name, stored with each result. */
  id: string;
  /** The patient is on any of these regimens on the collection date, or "any" patient. */
  regimens: MatRegimen[] | "any";
  kinds: AnalyteKind[] | "any";
  result: Presumptive;
  reading: Exclude<Reading, "pending">;
  highRisk: boolean;
  /** Why, for counselors (names the medication, so staff see only the reading). */
  note: string;
}

/**
 * THE interpretation table. Order matters: the first matching row wins, so the prescribed-medication
 * rows come before "an opioid is unexpected for everyone".
 */
export const INTERPRETATION_RULES: InterpretationRule[] = [
  {
    id: "buprenorphine-present",
    regimens: ["buprenorphine"],
    kinds: ["buprenorphine", "buprenorphine_metabolite"],
    result: "positive",
    reading: "expected_positive",
    highRisk: false,
    note: "Expected: buprenorphine is prescribed.",
  },
  {
    id: "buprenorphine-absent",
    regimens: ["buprenorphine"],
    kinds: ["buprenorphine"],
    result: "negative",
    reading: "unexpected_negative",
    highRisk: false,
    note: "Buprenorphine is prescribed but was not detected: possible non-adherence or diversion.",
  },
  {
    id: "norbuprenorphine-absent",
    regimens: ["buprenorphine"],
    kinds: ["buprenorphine_metabolite"],
    result: "negative",
    reading: "unexpected_negative",
    highRisk: false,
    note: "Norbuprenorphine (what the body makes of buprenorphine) was not detected: possible non-adherence, or buprenorphine added to the specimen.",
  },
  {
    id: "methadone-present",
    regimens: ["methadone"],
    kinds: ["methadone", "methadone_metabolite"],
    result: "positive",
    reading: "expected_positive",
    highRisk: false,
    note: "Expected: methadone is prescribed.",
  },
  {
    id: "methadone-absent",
    regimens: ["methadone"],
    kinds: ["methadone"],
    result: "negative",
    reading: "unexpected_negative",
    highRisk: false,
    note: "Methadone is prescribed but was not detected: possible non-adherence or diversion.",
  },
  {
    id: "eddp-absent",
    regimens: ["methadone"],
    kinds: ["methadone_metabolite"],
    result: "negative",
    reading: "unexpected_negative",
    highRisk: false,
    note: "EDDP (what the body makes of methadone) was not detected: possible non-adherence, or methadone added to the specimen.",
  },
  {
    id: "opioid-on-naltrexone",
    regimens: ["naltrexone"],
    kinds: OPIOID_KINDS,
    result: "positive",
    reading: "unexpected_positive",
    highRisk: true,
    note: "Opioid use on naltrexone: a higher overdose risk (using over the blockade, or after it wears off with tolerance lost).",
  },
  {
    id: "sedative-on-agonist",
    regimens: ["buprenorphine", "methadone"],
    kinds: ["sedative"],
    result: "positive",
    reading: "unexpected_positive",
    highRisk: true,
    note: "A sedative with buprenorphine or methadone: a higher overdose risk (breathing slows).",
  },
  {
    id: "alcohol-on-disulfiram",
    regimens: ["disulfiram"],
    kinds: ["alcohol"],
    result: "positive",
    reading: "unexpected_positive",
    highRisk: true,
    note: "Alcohol on disulfiram: risk of a disulfiram–alcohol reaction.",
  },
  {
    id: "opioid-not-prescribed",
    regimens: "any",
    kinds: OPIOID_KINDS,
    result: "positive",
    reading: "unexpected_positive",
    highRisk: false,
    note: "An opioid this patient is not prescribed.",
  },
  {
    id: "other-positive",
    regimens: "any",
    kinds: "any",
    result: "positive",
    reading: "unexpected_positive",
    highRisk: false,
    note: "A substance this patient is not prescribed.",
  },
  {
    id: "negative",
    regimens: "any",
    kinds: "any",
    result: "negative",
    reading: "expected_negative",
    highRisk: false,
    note: "Not detected.",
  },
];

export interface Interpretation {
  reading: Reading;
  highRisk: boolean;
  rule: string | null;
  note: string;
}

/** A lab confirmation replaces the presumptive result; without either the analyte is pending. */
export function effectiveResult(result: Presumptive | null, confirmation: Confirmation | null): Presumptive | null {
  if (confirmation === "confirmed_positive") return "positive";
  if (confirmation === "confirmed_negative") return "negative";
  return result;
}

/** Reads one analyte's (effective) result against the regimens the patient was on that day. */
export function interpret(analyte: Analyte, result: Presumptive | null, regimens: MatRegimen[]): Interpretation {
  if (result === null) return { reading: "pending", highRisk: false, rule: null, note: "Awaiting the result." };
  const kind = ANALYTES[analyte].kind;
  const rule = INTERPRETATION_RULES.find(
    (r) => r.result === result && (r.kinds === "any" || r.kinds.includes(kind)) && (r.regimens === "any" || r.regimens.some((g) => regimens.includes(g))),
  );
  // The last two rows match everything, so a rule is always found.
  return { reading: rule!.reading, highRisk: rule!.highRisk, rule: rule!.id, note: rule!.note };
}

export interface ResultLike {
  analyte: string;
  result: Presumptive | null;
  confirmation: Confirmation | null;
}

/** The test's outcome. Refused and no-show stay what they are; an unusable specimen is invalid whatever it showed. */
export function overallOutcome(collection: Collection, validity: Validity | null, results: ResultLike[]): Outcome {
  if (collection === "refused") return "refused";
  if (collection === "no_show") return "no_show";
  if (validity && UNUSABLE_VALIDITIES.includes(validity)) return "invalid";
  const effective = results.map((r) => effectiveResult(r.result, r.confirmation));
  if (!validity || effective.some((r) => r === null)) return "pending";
  return effective.includes("positive") ? "positive" : "negative";
}

export interface Finding {
  /** Unique within a test. */
  key: string;
  kind: FindingKind;
  analyte: Analyte | null;
  label: string;
  highRisk: boolean;
}

/**
 * What puts the "Unexpected result" flag on a patient: an unexpected positive, a prescribed
 * medication not detected, a refusal or a no-show, and every specimen that cannot be relied on — a
 * urine temperature out of range, an invalid, adulterated or substituted specimen, and a negative
 * that is dilute — each of which asks for a recollection (`RECOLLECTION_ASKS`). Expected MAT
 * positives, plain negatives and a dilute positive (a positive stands) do not.
 */
export function findingsOf(
  collection: Collection,
  validity: Validity | null,
  readings: { analyte: Analyte; reading: Reading; highRisk: boolean }[],
  specimen: SpecimenFacts = {},
): Finding[] {
  if (collection === "refused") return [{ key: "refused", kind: "refused", analyte: null, label: "Refused", highRisk: false }];
  if (collection === "no_show") return [{ key: "no_show", kind: "no_show", analyte: null, label: "No-show", highRisk: false }];
  const out: Finding[] = [];
  const f = specimen.temperatureF ?? null;
  if (f !== null ? !temperatureInRange(f) : specimen.temperatureInRange === false) {
    out.push({
      key: "temperature",
      kind: "temperature",
      analyte: null,
      label: f !== null ? `Temperature out of range (${f} °F)` : "Temperature out of range",
      highRisk: false,
    });
  }
  if (validity === "adulterated" || validity === "substituted" || validity === "invalid") {
    out.push({ key: validity, kind: validity, analyte: null, label: `${VALIDITIES[validity]} specimen`, highRisk: false });
  }
  const complete = readings.length > 0 && readings.every((r) => r.reading !== "pending");
  if (validity === "dilute" && complete && !readings.some((r) => r.reading === "unexpected_positive")) {
    const observed = diluteNeedsObservation(specimen.creatinine ?? null);
    out.push({
      key: "dilute_negative",
      kind: observed ? "dilute_negative_observed" : "dilute_negative",
      analyte: null,
      label: observed ? "Negative, dilute (creatinine 2–5 mg/dL)" : "Negative, dilute",
      highRisk: false,
    });
  }
  for (const r of readings) {
    if (r.reading === "unexpected_positive")
      out.push({
        key: `unexpected_positive:${r.analyte}`,
        kind: "unexpected_positive",
        analyte: r.analyte,
        label: ANALYTES[r.analyte].label,
        highRisk: r.highRisk,
      });
    if (r.reading === "unexpected_negative")
      out.push({
        key: `unexpected_negative:${r.analyte}`,
        kind: "unexpected_negative",
        analyte: r.analyte,
        label: `${ANALYTES[r.analyte].label} not detected`,
        highRisk: false,
      });
  }
  return out;
}

export interface TestSummary {
  collectedOn: string;
  outcome: Outcome;
  unexpectedPositive: boolean;
  /**
   * A prescribed buprenorphine or methadone (or what the body makes of it) was not detected: some
   * result of the test reads "unexpected_negative" ("Prescribed medication not detected").
   */
  medicationMissing: boolean;
  /**
   * The specimen was dilute (49 CFR 40.88(a)). A dilute negative is not a negative: see
   * `countsAsNegative`. Optional for callers that never see validity (taken as false).
   */
  dilute?: boolean;
}

type Counted = Pick<TestSummary, "outcome" | "unexpectedPositive" | "medicationMissing" | "dilute">;

/**
 * Counts toward the negative rate and the streak: a completed, usable test with no unexpected
 * positive and every prescribed medication detected is negative (expected MAT positives count as
 * negative); refused, no-show and invalid count as not negative; pending tests are not counted yet
 * (null).
 *
 * A test that does not detect the buprenorphine or methadone the patient is prescribed is not a
 * negative: it counts as not negative, so it ends a negative streak and sits in the negative rate's
 * denominator but not its numerator. An expected result on medication is "positive for prescribed
 * medication and negative for unexpected substances"; a test negative for the prescribed
 * medication is not one, and its cause must be explored with the patient (possible non-adherence,
 * diversion, an unfilled prescription, the wrong test), though it does not by itself prove
 * diversion. Source: ASAM, "Appropriate Use of Drug Testing in Clinical Addiction Medicine"
 * (consensus statement, J Addict Med 2017;11(3):163–173, doi:10.1097/ADM.0000000000000323),
 * Part 5 "Settings", "Responding to Test Results" (also in ASAM's Drug Testing pocket guide).
 *
 * A dilute negative is not a negative either: it counts as a test, not as a negative, so it ends a
 * negative streak and sits in the rate's denominator only. A dilute specimen's "not detected" may
 * only mean the drug was below the cutoff in watered-down urine, which is why DOT reports it as
 * "negative-dilute" and asks for a recollection (49 CFR 40.155, 40.197); the recollection's own
 * result then counts. A dilute positive is a positive as usual.
 */
export function countsAsNegative(t: Counted): boolean | null {
  if (t.outcome === "pending") return null;
  if (t.outcome === "negative" || t.outcome === "positive") return !t.unexpectedPositive && !t.medicationMissing && !t.dilute;
  return false;
}

/**
 * Negative tests in a row, counting back from the most recent completed one. Tests newest first. A
 * refusal, a no-show, an invalid specimen, an unexpected positive, a prescribed medication not
 * detected or a dilute negative ends it; a pending test is passed over.
 */
export function negativeStreak(newestFirst: Counted[]): number {
  let n = 0;
  for (const t of newestFirst) {
    const negative = countsAsNegative(t);
    if (negative === null) continue;
    if (!negative) break;
    n++;
  }
  return n;
}

/** Days from the last unexpected positive to today, or null when there has been none. Tests newest first. */
export function daysSinceUnexpectedPositive(newestFirst: TestSummary[], today: string): number | null {
  const last = newestFirst.find((t) => t.unexpectedPositive);
  if (!last) return null;
  return daysBetween(last.collectedOn, today);
}

/** Share of counted tests that are negative, as a whole percent, or null with nothing counted. */
export function negativeRate(tests: Counted[]): {
  counted: number;
  negative: number;
  percent: number | null;
} {
  let counted = 0;
  let negative = 0;
  for (const t of tests) {
    const n = countsAsNegative(t);
    if (n === null) continue;
    counted++;
    if (n) negative++;
  }
  return { counted, negative, percent: counted ? Math.round((negative / counted) * 100) : null };
}

export const DRAW_POOLS = { attending: "Patients attending that day", all_active: "All active patients" } as const satisfies Record<DrawPool, unknown>;
export const DRAW_MODES = { rate: "percent of the eligible patients", number: "patients" } as const satisfies Record<DrawMode, unknown>;

/**
 * How many to draw. A rate is rounded up, so 20 % of 12 draws 3 (at least the rate is tested);
 * a number may not exceed the pool. An empty pool is refused.
 */
export function drawSize(eligible: number, mode: DrawMode, amount: number): { ok: true; size: number } | { ok: false; message: string } {
  if (eligible === 0)
    return { ok: false, message: "No patients are eligible for this draw, so there is no one to draw from. Try all active patients, or another day." };
  if (!Number.isInteger(amount) || amount < 1)
    return { ok: false, message: mode === "rate" ? "Enter a rate from 1 to 100 percent." : "Enter how many patients to draw (at least 1)." };
  if (mode === "rate") {
    if (amount > 100) return { ok: false, message: "Enter a rate from 1 to 100 percent." };
    return { ok: true, size: Math.min(eligible, Math.ceil((eligible * amount) / 100)) };
  }
  if (amount > eligible)
    return { ok: false, message: `Only ${eligible} ${eligible === 1 ? "patient is" : "patients are"} eligible; draw at most ${eligible}.` };
  return { ok: true, size: amount };
}

/**
 * What a role without clinical access (`read:patient-clinical`: front desk and techs) reads about a
 * result. Minimum necessary (HIPAA 45 CFR 164.502(b), 164.514(d)) and 42 CFR Part 2 (§ 2.13(a):
 * disclose only what is necessary): staff record specimens and the presumptive result of each
 * analyte on the panel, so the panel's analytes and the results they entered are theirs to see. What
 * the reading against MAT adds — which medication is prescribed, that it was not detected (possible
 * non-adherence), that a substance is higher risk with it — is treatment information, so staff get
 * it only as a neutral flag: a test is "not as expected" and goes to the counselor, and a positive
 * that is only the prescribed medication is "expected medication". No per-analyte reading, no
 * higher-risk mark, no rule's explanation and no counselor's note is sent to them.
 */
export const NEUTRAL = { expected: "Expected medication", notAsExpected: "Not as expected" } as const;

/** Findings from reading results against MAT; the others (refused, no-show, adulterated, substituted) are what the collector recorded. */
const READ_AGAINST_MAT: string[] = ["unexpected_positive", "unexpected_negative"];

/**
 * A finding's label as a role without clinical access reads it: a result read against MAT becomes
 * "Not as expected"; a refusal, a no-show or a tampered specimen keeps its own words.
 */
export const neutralFindingLabel = (kind: string, label: string) => (READ_AGAINST_MAT.includes(kind) ? NEUTRAL.notAsExpected : label);

/**
 * A list of findings in neutral words, without repeats ("Not as expected" once per state, however
 * many analytes) and without their kind (its name says how the result was read).
 */
export function neutralFindings<T extends { kind: string; label: string; open?: boolean }>(findings: T[]): Omit<T, "kind">[] {
  const out: Omit<T, "kind">[] = [];
  for (const { kind, ...f } of findings) {
    const label = neutralFindingLabel(kind, f.label);
    if (!out.some((o) => o.label === label && o.open === f.open)) out.push({ ...f, label });
  }
  return out;
}

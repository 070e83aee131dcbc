/**
 * What the drug-testing pages show, built from what the repositories return: labels instead of
 * codes, clock times in the site's zone, and for roles without clinical access the same facts in
 * neutral words (no analyte read against MAT, no higher-risk mark, never a counselor's note; see
 * docs/security.md).
 */
import { MAT_MEDICATIONS, type MatMedication } from "~/features/patients/rules";
import type { acknowledgedAlertsOf, openAlertsOf } from "./alerts.server";
import type { getTest, testsOn } from "./collections.server";
import type { drawBoard, StoredDraw } from "./draws.server";
import type { patientHistory } from "./history.server";
import type { BoardRow, TestRow } from "./views";
import {
  analyteLabel,
  CONFIRMATIONS,
  type Confirmation,
  DRAW_POOLS,
  INTERPRETATION_RULES,
  neutralFindingLabel,
  neutralFindings,
  RECOLLECTION_ASKS,
  recollectionAsk,
  URINE_TEMPERATURE_RANGE,
  SPECIMENS,
  type Specimen,
  TEST_REASONS,
  type TestReason,
} from "./rules";
import { todayIn, clockAt, shortDate, shortDateOr } from "~/kernel/time";

export const reasonLabel = (reason: string) => TEST_REASONS[reason as TestReason] ?? reason;
const specimenLabel = (specimen: string | null) => (specimen ? SPECIMENS[specimen as Specimen] : null);

/** How many a draw picked and by which rule, e.g. "20 % of 41, rounded up". */
export function drawRule(draw: Pick<StoredDraw, "mode" | "amount" | "eligible">, eligibleWord = "") {
  const of = `${draw.eligible.length}${eligibleWord ? ` ${eligibleWord}` : ""}`;
  return draw.mode === "rate" ? `${draw.amount} % of ${of}, rounded up` : `${draw.amount} of ${of}`;
}

export function boardRows(board: Awaited<ReturnType<typeof drawBoard>>, timeZone: string): BoardRow[] {
  return board.map((b) => ({ ...b, time: b.test ? clockAt(b.test.collectedAt, timeZone) : null }));
}

export function drawSummary(draw: StoredDraw, count: number, timeZone: string) {
  return {
    id: draw.id,
    sequence: draw.sequence,
    count,
    by: draw.drawnBy,
    at: clockAt(draw.drawnAt, timeZone),
    pool: DRAW_POOLS[draw.pool],
    rule: drawRule(draw),
    selected: draw.selected.length,
    eligible: draw.eligible.length,
    reason: draw.reason,
  };
}

type Listed = Awaited<ReturnType<typeof testsOn>>[number] | Awaited<ReturnType<typeof patientHistory>>["tests"][number];

/** What every list of tests shows of one: when, why, which specimen on which panel, how it came out and what it flagged. */
function listedRow(t: Listed, timeZone: string, clinical: boolean) {
  return {
    id: t.id,
    time: clockAt(t.collected_at, timeZone),
    reason: reasonLabel(t.reason),
    specimen: specimenLabel(t.specimen),
    panel: t.panel_name,
    outcome: t.outcome,
    validity: t.validity,
    unexpectedPositive: t.unexpected_positive,
    findings: clinical ? t.findings : neutralFindings(t.findings),
  };
}

/** A site's tests of one day as its list shows them. */
export function dayTestRows(tests: Awaited<ReturnType<typeof testsOn>>, timeZone: string, clinical: boolean): TestRow[] {
  return tests.map((t) => ({ ...listedRow(t, timeZone, clinical), patientId: t.patient_id, name: t.name, mrn: t.mrn }));
}

type History = Awaited<ReturnType<typeof patientHistory>>;

/** One patient's page of tests, with the summary figures and the strip. */
export function patientHistoryView(history: History, timeZone: string, clinical: boolean) {
  return {
    ...history,
    tests: history.tests.map((t) => ({
      ...listedRow(t, timeZone, clinical),
      date: t.collected_on,
      observed: t.observed,
      collector: t.collector,
      expectedPositives: clinical ? t.expectedPositives : null,
    })),
  };
}

/** The recollection a set of findings asks for: under direct observation if any asks it, or null when none asks. */
function askOf(kinds: string[]): string | null {
  const asks = kinds.map((k) => RECOLLECTION_ASKS[k as keyof typeof RECOLLECTION_ASKS]).filter((a) => a !== undefined);
  if (!asks.length) return null;
  return recollectionAsk(asks.some((a) => a.observed) ? "temperature" : "dilute_negative");
}

/**
 * A patient's open alerts, grouped by test, each with the recollection it asks for; staff read
 * them in neutral words without risk marks.
 */
export function openAlertsView(open: Awaited<ReturnType<typeof openAlertsOf>>, clinical: boolean) {
  return open.map((o) => ({
    ...o,
    findings: clinical ? o.findings : neutralFindings(o.findings).map((f) => ({ ...f, highRisk: false })),
    reason: reasonLabel(o.reason),
    recollect: askOf(o.findings.map((f) => f.kind)),
  }));
}

/** A patient's acknowledged (and withdrawn) alerts; staff see one neutral line a state, never the note. */
export function acknowledgedView(acknowledged: Awaited<ReturnType<typeof acknowledgedAlertsOf>>, timeZone: string, clinical: boolean) {
  const shown = clinical
    ? acknowledged
    : acknowledged
        .map((a) => ({ ...a, label: neutralFindingLabel(a.kind, a.label), note: a.status === "withdrawn" ? "Withdrawn: the finding no longer stands." : null }))
        .filter((a, i, all) => all.findIndex((o) => o.test_id === a.test_id && o.label === a.label && o.status === a.status) === i);
  return shown.map((a) => ({
    id: a.id,
    testId: a.test_id,
    label: a.label,
    status: a.status,
    note: a.note,
    by: a.by_name,
    date: a.collected_on,
    on: a.closed_at ? todayIn(timeZone, new Date(a.closed_at)) : null,
  }));
}

type Test = NonNullable<Awaited<ReturnType<typeof getTest>>>;

/**
 * What the test asks of the collector: a new specimen (under direct observation, or not) because of
 * the findings that still stand (open or acknowledged), with their labels; null when nothing asks.
 * A collection specimen fact, so staff read it too (no MAT in it).
 */
function recollectionOf(t: Test) {
  const standing = t.alerts.filter((a) => a.status !== "withdrawn" && RECOLLECTION_ASKS[a.kind]);
  if (!standing.length) return null;
  return {
    observed: standing.some((a) => RECOLLECTION_ASKS[a.kind]?.observed),
    reasons: standing.map((a) => a.label),
    sources: [...new Set(standing.map((a) => RECOLLECTION_ASKS[a.kind]!.why))],
    done: t.recollections.length > 0,
  };
}

/**
 * A test's alerts as the reader may see them: counselors and admins in full; staff in neutral words
 * ("Not as expected" once per state), with no higher-risk mark and never the counselor's note.
 */
function alertsFor(clinical: boolean, alerts: Test["alerts"]) {
  if (clinical) return alerts.map((a) => ({ ...a, highRisk: a.high_risk }));
  const out: (Omit<Test["alerts"][number], "kind"> & { kind: Test["alerts"][number]["kind"] | ""; highRisk: boolean })[] = [];
  for (const a of alerts) {
    const label = neutralFindingLabel(a.kind, a.label);
    if (!out.some((o) => o.label === label && o.status === a.status)) out.push({ ...a, label, kind: "", highRisk: false, note: null });
  }
  return out;
}

const RULE_NOTES = new Map(INTERPRETATION_RULES.map((r) => [r.id, r.note]));

/** One test as its page shows it. */
export function testDetail(t: Test, clinical: boolean) {
  const tz = t.time_zone;
  return {
    id: t.id,
    version: t.version,
    patientId: t.patient_id,
    patientName: t.patientName,
    mrn: t.mrn,
    date: t.collected_on,
    time: clockAt(t.collected_at, tz),
    collection: t.collection,
    reason: reasonLabel(t.reason),
    draw: t.draw_id ? { id: t.draw_id, sequence: Number(t.draw_sequence) } : null,
    specimen: specimenLabel(t.specimen),
    urine: t.specimen === "urine",
    observed: t.observed === null ? null : Boolean(t.observed),
    temperatureInRange: t.temperature_in_range === null ? null : Boolean(t.temperature_in_range),
    temperatureNote: t.temperature_note,
    temperatureF: t.temperature_f === null ? null : Number(t.temperature_f),
    temperatureRange: URINE_TEMPERATURE_RANGE,
    measures: {
      creatinine: t.creatinine_mg_dl === null ? null : Number(t.creatinine_mg_dl),
      specificGravity: t.specific_gravity === null ? null : Number(t.specific_gravity),
      ph: t.ph === null ? null : Number(t.ph),
      oxidant: t.oxidant === null ? null : Boolean(t.oxidant),
    },
    recollects: t.recollects,
    recollections: t.recollections,
    recollection: recollectionOf(t),
    panel: t.panel_name,
    collector: t.collector_name,
    recorder: t.recorder_name,
    validity: t.validity,
    outcome: t.outcome,
    unexpectedPositive: Boolean(t.unexpected_positive),
    note: t.note,
    // Staff see the reading, never which medication it was read against.
    mat: clinical ? t.matContext.map((m) => `${MAT_MEDICATIONS[m.medication as MatMedication] ?? m.medication} (since ${shortDate(m.startedOn)})`) : null,
    results: t.results.map((r) => ({
      analyte: r.analyte,
      label: analyteLabel(r.analyte),
      result: r.result ?? "pending",
      confirmation: r.confirmation
        ? `${CONFIRMATIONS[r.confirmation as Confirmation]} by ${r.lab} (accession ${r.accession_number}, reported ${shortDateOr(r.confirmed_on)})`
        : null,
      // Staff enter the result; what it means against the patient's MAT is for counselors.
      reading: clinical ? r.reading : null,
      highRisk: clinical && r.high_risk,
      // Counselors see why a reading is what it is; a plain negative needs no explanation.
      note: clinical && r.rule && r.reading !== "expected_negative" ? (RULE_NOTES.get(r.rule) ?? null) : null,
    })),
    alerts: alertsFor(clinical, t.alerts).map((a) => ({
      id: a.id,
      label: a.label,
      status: a.status,
      highRisk: a.highRisk,
      note: a.note,
      by: a.by_name,
      on: a.closed_at ? todayIn(tz, new Date(a.closed_at)) : null,
    })),
  };
}

/** What a saved result tells the person about flags; staff learn that something went to the counselor, not what. */
export function flaggedNote(clinical: boolean, raised: string[], withdrawn: string[]) {
  return clinical
    ? [raised.length ? ` Flagged for the counselor: ${raised.join(", ")}.` : "", withdrawn.length ? ` No longer flagged: ${withdrawn.join(", ")}.` : ""].join(
        "",
      )
    : [raised.length ? " Flagged for the counselor: not as expected." : "", withdrawn.length ? " A flag no longer stands." : ""].join("");
}

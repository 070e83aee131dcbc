/**
 * Collections and their results. A collection (or a refusal, or a no-show) is recorded first;
 * results follow, at once for a point-of-care cup or later from the lab, and a lab confirmation
 * may follow a presumptive positive. Every change re-reads the results against the patient's MAT
 * on the collection date, recomputes the outcome and brings the alerts in line, in one transaction
 * with its audit record.
 */
import { sql } from "kysely";
import { type DB, isUniqueViolation, type Trx } from "~/kernel/db";
import type { Actor } from "~/kernel/actor";
import type { WriteResult } from "~/kernel/results";
import { recordAudit } from "~/features/audit/audit.server";
import { OPEN_STATUSES } from "~/features/patients/rules";
import { localTimeExists, zonedInstant, clock12, longDate, clockAt, shortDate } from "~/kernel/time";
import { newId } from "~/utils/ids";
import type { ClientMeta } from "~/utils/request.server";
import { syncAlerts } from "./alerts.server";
import { getPanel, type Panel, panelRecordedOn } from "./panels.server";
import { listedTests, PATIENT_IDENTITY, personName, testAtSites, withFindings } from "./queries.server";
import {
  ANALYTES,
  type Analyte,
  analyteLabel,
  type Collection,
  type Confirmation,
  effectiveResult,
  findingsOf,
  interpret,
  isAnalyte,
  matOn,
  RECOLLECTION_ASKS,
  temperatureInRange,
  type Outcome,
  overallOutcome,
  type Presumptive,
  regimensOf,
  SPECIMENS,
  type Specimen,
  type Validity,
} from "./rules";
import type { CollectionInput, ConfirmInput, ResultsInput } from "./schemas";

const STALE = "Someone else changed this test while you were working. Reload to see their change, then try again.";
const NO_TEST = { ok: false as const, status: 404 as const, formError: "There is no such test at your sites." };

/** Records a collection, a refusal or a no-show. A double submit of the same form finds the first. */
export async function recordCollection(
  db: DB,
  actor: Actor,
  input: CollectionInput,
  siteIds: string[],
  meta: ClientMeta,
  now = new Date(),
): Promise<WriteResult<{ id: string; repeated: boolean; patientName: string }>> {
  const refuse = (field: string, message: string) => ({ ok: false as const, status: 400 as const, fieldErrors: { [field]: [message] } });
  const patient = await db
    .selectFrom("patients as p")
    .innerJoin("sites as s", "s.id", "p.site_id")
    .select(["p.id", "p.site_id", "p.status", ...PATIENT_IDENTITY, "s.time_zone"])
    .where("p.id", "=", input.patientId)
    .where("p.site_id", "in", siteIds.length ? siteIds : [""])
    .executeTakeFirst();
  if (!patient) return refuse("patientId", "Choose a patient at your site.");
  const name = personName(patient);
  const earlier = await db.selectFrom("drug_tests").select(["id", "patient_id"]).where("request_key", "=", input.requestKey).executeTakeFirst();
  if (earlier) {
    if (earlier.patient_id === patient.id) return { ok: true, id: earlier.id, repeated: true, patientName: name };
    return { ok: false, status: 409, formError: "This form was already used to record a collection. Reload the page to record another." };
  }
  if (!(OPEN_STATUSES as string[]).includes(patient.status))
    return refuse("patientId", `${name} is discharged; tests are recorded for patients in the program.`);
  const tz = patient.time_zone;

  if (!localTimeExists(input.date, input.time, tz))
    return refuse("time", `${clock12(input.time)} does not exist on ${longDate(input.date)} in ${tz} (the clocks change); enter the time the clock showed.`);
  const collectedAt = zonedInstant(input.date, input.time, tz);
  if (collectedAt > now.toISOString()) {
    return refuse("time", `The collection cannot be in the future: it is ${clockAt(now.toISOString(), tz)} at the site now.`);
  }

  const collector = await activeStaffAt(db, patient.site_id).select(["users.id", "users.name"]).where("users.id", "=", input.collectedBy).executeTakeFirst();
  if (!collector) return refuse("collectedBy", "Choose someone who works at this site.");

  const collection = input.collection;
  let panel: Panel | null = null;
  if (collection === "collected") {
    // Only a panel of the collection's own site (issue 16, 7d).
    panel = input.panelId ? await getPanel(db, input.panelId, patient.site_id) : null;
    if (!panel || !panel.active) return refuse("panelId", "Choose a panel in use.");
    if (panel.specimen !== input.specimen) {
      return refuse(
        "panelId",
        `${panel.name} is run on ${SPECIMENS[panel.specimen].toLowerCase()}, not ${SPECIMENS[input.specimen as Specimen].toLowerCase()}; choose a ${SPECIMENS[input.specimen as Specimen].toLowerCase()} panel.`,
      );
    }
  }

  // A random test answers the day's draw: the patient must be in its selection.
  let drawId: string | null = null;
  if (input.reason === "random") {
    const draw = await db
      .selectFrom("drug_test_draws")
      .select(["id", "selected"])
      .where("site_id", "=", patient.site_id)
      .where("draw_date", "=", input.date)
      .orderBy("sequence", "desc")
      .executeTakeFirst();
    if (!draw || !(JSON.parse(draw.selected) as string[]).includes(patient.id)) {
      return refuse("reason", `${name} was not selected in a random draw on ${shortDate(input.date)}; choose another reason, or run that day's draw first.`);
    }
    drawId = draw.id;
  }

  // A recollection names the test it replaces: one of this patient's collected tests at these
  // sites, collected before it. When that test asks for direct observation, so must this one.
  let recollectionOf: string | null = null;
  if (input.recollectionOf) {
    const original = await testAtSites(db, input.recollectionOf, siteIds)
      ?.select(["t.id", "t.collected_at", "t.collection"])
      .where("t.patient_id", "=", patient.id)
      .executeTakeFirst();
    if (!original || original.collection !== "collected")
      return { ok: false, status: 400, formError: `The test this would recollect is not one of ${name}'s collected tests; start again from that test's page.` };
    if (collection !== "collected") return refuse("collection", "A recollection is a collected specimen; record a refusal or a no-show on its own.");
    // The observed recollection follows at once (49 CFR 40.65(b)(5): "immediately"), often within
    // the same minute the form records, so only a time before the original is refused.
    if (original.collected_at > collectedAt)
      return refuse("time", "A recollection cannot be collected before the collection it replaces; check the date and time.");
    const asks = await db.selectFrom("drug_test_alerts").select("kind").where("test_id", "=", original.id).where("status", "!=", "withdrawn").execute();
    if (asks.some((a) => RECOLLECTION_ASKS[a.kind]?.observed) && !input.observed)
      return refuse(
        "observed",
        "This recollection must be collected under direct observation (49 CFR 40.65, 40.67, 40.155, 40.159); observe it, then tick the box.",
      );
    recollectionOf = original.id;
  }

  const episodes = await db.selectFrom("mat_episodes").select(["medication", "started_on", "ended_on"]).where("patient_id", "=", patient.id).execute();
  const matContext = matOn(episodes, input.date);
  const urine = collection === "collected" && input.specimen === "urine";
  // The figure, when read, decides "in range" (49 CFR 40.65(b): 90–100 °F); without one, the yes/no answer does.
  const temperatureF = urine ? (input.temperatureF ?? null) : null;
  const inRange = urine ? (temperatureF !== null ? temperatureInRange(temperatureF) : input.temperatureInRange === "yes") : null;
  const id = newId();
  const nowIso = now.toISOString();
  const outcome = overallOutcome(collection, null, []);
  try {
    await db.transaction().execute(async (trx) => {
      await trx
        .insertInto("drug_tests")
        .values({
          id,
          site_id: patient.site_id,
          patient_id: patient.id,
          draw_id: drawId,
          request_key: input.requestKey,
          collected_at: collectedAt,
          collected_on: input.date,
          collection,
          reason: input.reason,
          specimen: collection === "collected" ? (input.specimen ?? null) : null,
          observed: collection === "collected" ? (input.observed ? 1 : 0) : null,
          temperature_in_range: inRange === null ? null : inRange ? 1 : 0,
          temperature_note: inRange === false ? (input.temperatureNote ?? null) : null,
          temperature_f: temperatureF,
          recollection_of: recollectionOf,
          panel_id: panel?.id ?? null,
          collected_by: collector.id,
          validity: null,
          outcome,
          unexpected_positive: 0,
          mat_context: JSON.stringify(matContext),
          note: input.note ?? null,
          recorded_by: actor.id,
          created_at: nowIso,
          updated_at: nowIso,
          completed_at: collection === "collected" ? null : nowIso,
        })
        .execute();
      if (panel) {
        await trx
          .insertInto("drug_test_results")
          .values(
            panel.analytes.map((a) => ({
              id: newId(),
              test_id: id,
              analyte: a,
              result: null,
              confirmation: null,
              lab: null,
              accession_number: null,
              confirmed_on: null,
              reading: "pending",
              high_risk: 0,
              rule: null,
              updated_by: actor.id,
              updated_at: nowIso,
            })),
          )
          .execute();
      }
      const alerts = await syncAlerts(
        trx,
        { id, patientId: patient.id },
        findingsOf(collection, null, [], { temperatureF, temperatureInRange: inRange }),
        nowIso,
      );
      await recordAudit(trx, {
        actor,
        action: collection === "collected" ? "drug_test.collected" : `drug_test.${collection}`,
        entityType: "drug_test",
        entityId: id,
        patientId: patient.id,
        siteId: patient.site_id,
        after: {
          collectedAt,
          reason: input.reason,
          specimen: input.specimen ?? null,
          observed: collection === "collected" ? input.observed : null,
          temperatureF,
          temperatureInRange: inRange,
          temperatureNote: inRange === false ? (input.temperatureNote ?? null) : null,
          recollectionOf,
          panel: panel?.name ?? null,
          collectedBy: collector.name,
          drawId,
          outcome,
        },
        detail: alerts.raised.length ? { alertsRaised: alerts.raised } : undefined,
        meta,
      });
    });
  } catch (e) {
    // The same form sent twice at once: the second finds the first's collection.
    if (isUniqueViolation(e)) {
      const first = await db.selectFrom("drug_tests").select(["id", "patient_id"]).where("request_key", "=", input.requestKey).executeTakeFirst();
      if (first && first.patient_id === patient.id) return { ok: true, id: first.id, repeated: true, patientName: name };
    }
    throw e;
  }
  return { ok: true, id, repeated: false, patientName: name };
}

interface TestRow {
  id: string;
  site_id: string;
  patient_id: string;
  collection: Collection;
  collected_on: string;
  panel_id: string | null;
  validity: Validity | null;
  outcome: Outcome;
  version: number | string;
  temperature_f: number | null;
  temperature_in_range: number | null;
}

/** The lab's validity measurements as stored on the test. */
interface Measures {
  creatinine_mg_dl: number | null;
  specific_gravity: number | null;
  ph: number | null;
  oxidant: number | null;
}

/**
 * Reads every result against the MAT episodes running on the collection date (read afresh, so a
 * late-recorded episode counts), then writes the readings, the outcome and the alerts. The
 * test row's version is the claim: a stale form changes nothing.
 */
async function reread(
  trx: Trx,
  test: TestRow,
  validity: Validity | null,
  measures: Measures,
  results: {
    analyte: Analyte;
    result: Presumptive | null;
    confirmation: Confirmation | null;
    lab: string | null;
    accession_number: string | null;
    confirmed_on: string | null;
  }[],
  expectedVersion: number,
  actor: Actor,
  nowIso: string,
) {
  const episodes = await trx.selectFrom("mat_episodes").select(["medication", "started_on", "ended_on"]).where("patient_id", "=", test.patient_id).execute();
  const matContext = matOn(episodes, test.collected_on);
  const regimens = regimensOf(matContext);
  const collection = test.collection;
  const readings = results.map((r) => ({ ...r, ...interpret(r.analyte, effectiveResult(r.result, r.confirmation), regimens) }));
  const outcome = overallOutcome(collection, validity, results);
  const unexpectedPositive = readings.some((r) => r.reading === "unexpected_positive");
  const claimed = await trx
    .updateTable("drug_tests")
    .set({
      validity,
      ...measures,
      outcome,
      unexpected_positive: unexpectedPositive ? 1 : 0,
      mat_context: JSON.stringify(matContext),
      updated_at: nowIso,
      completed_at: outcome === "pending" ? null : nowIso,
      version: sql`version + 1`,
    })
    .where("id", "=", test.id)
    .where("version", "=", expectedVersion)
    .executeTakeFirst();
  if (Number(claimed.numUpdatedRows) !== 1) return null;
  for (const r of readings) {
    await trx
      .updateTable("drug_test_results")
      .set({
        result: r.result,
        confirmation: r.confirmation,
        lab: r.lab,
        accession_number: r.accession_number,
        confirmed_on: r.confirmed_on,
        reading: r.reading,
        high_risk: r.highRisk ? 1 : 0,
        rule: r.rule,
        updated_by: actor.id,
        updated_at: nowIso,
      })
      .where("test_id", "=", test.id)
      .where("analyte", "=", r.analyte)
      .execute();
  }
  const findings = findingsOf(
    collection,
    validity,
    readings.map((r) => ({ analyte: r.analyte, reading: r.reading, highRisk: r.highRisk })),
    {
      temperatureF: test.temperature_f === null ? null : Number(test.temperature_f),
      temperatureInRange: test.temperature_in_range === null ? null : Boolean(test.temperature_in_range),
      creatinine: measures.creatinine_mg_dl,
    },
  );
  const alerts = await syncAlerts(trx, { id: test.id, patientId: test.patient_id }, findings, nowIso);
  return { outcome, unexpectedPositive, alerts, readings };
}

const noSpecimen = (collection: string) =>
  `No specimen was collected (${collection === "refused" ? "the patient refused" : "the patient did not come"}), so there are no results to enter.`;

/** A collected test at these sites with its stored results and panel, ready for a change of results; or why there is none. */
async function loadCollected(db: DB, testId: string, siteIds: string[]) {
  const test = await testAtSites(db, testId, siteIds)
    ?.select([
      "t.id",
      "t.site_id",
      "t.patient_id",
      "t.collection",
      "t.collected_on",
      "t.panel_id",
      "t.validity",
      "t.outcome",
      "t.version",
      "t.temperature_f",
      "t.temperature_in_range",
      "t.creatinine_mg_dl",
      "t.specific_gravity",
      "t.ph",
      "t.oxidant",
    ])
    .executeTakeFirst();
  if (!test) return NO_TEST;
  const results = await db
    .selectFrom("drug_test_results")
    .select(["id", "analyte", "result", "confirmation", "lab", "accession_number", "confirmed_on", "reading"])
    .where("test_id", "=", test.id)
    .execute();
  const panel = test.panel_id ? await panelRecordedOn(db, test.panel_id) : null;
  if (test.collection !== "collected" || !panel) return { ok: false as const, status: 400 as const, formError: noSpecimen(test.collection) };
  return { ok: true as const, test, results, panel };
}

type ResultsChange = WriteResult<{ outcome: string; raised: string[]; withdrawn: string[] }>;
type NextResult = Parameters<typeof reread>[4][number];

/** A result's lab confirmation as stored (none yet: all null). */
const labConfirmation = (r: Pick<NextResult, "confirmation" | "lab" | "accession_number" | "confirmed_on">) => ({
  confirmation: r.confirmation,
  lab: r.lab,
  accession_number: r.accession_number,
  confirmed_on: r.confirmed_on,
});

/**
 * Writes a change of a test's results: re-reads them, then records the audit entry `audit` describes
 * from what the re-reading found, in one transaction. A stale version changes nothing.
 */
async function commitResults(
  db: DB,
  actor: Actor,
  meta: ClientMeta,
  change: { test: TestRow; validity: Validity | null; measures: Measures; results: NextResult[]; version: number; now: Date },
  audit: (done: NonNullable<Awaited<ReturnType<typeof reread>>>) => {
    action: string;
    before: Record<string, unknown>;
    after: Record<string, unknown>;
    detail: Record<string, unknown>;
  },
): Promise<ResultsChange> {
  const { test } = change;
  return db.transaction().execute(async (trx) => {
    const done = await reread(trx, test, change.validity, change.measures, change.results, change.version, actor, change.now.toISOString());
    if (!done) return { ok: false as const, status: 409 as const, formError: STALE };
    await recordAudit(trx, { actor, entityType: "drug_test", entityId: test.id, patientId: test.patient_id, siteId: test.site_id, ...audit(done), meta });
    return { ok: true as const, outcome: done.outcome, raised: done.alerts.raised, withdrawn: done.alerts.withdrawn };
  });
}

/** Enters or corrects a test's presumptive results and the specimen's validity. */
export async function saveResults(
  db: DB,
  actor: Actor,
  testId: string,
  input: ResultsInput,
  siteIds: string[],
  meta: ClientMeta,
  now = new Date(),
): Promise<ResultsChange> {
  const loaded = await loadCollected(db, testId, siteIds);
  if (!loaded.ok) return loaded;
  const { test, results, panel } = loaded;
  const onPanel = new Set(results.map((r) => r.analyte));
  const offPanel = Object.keys(input.results).filter((a) => !onPanel.has(a));
  if (offPanel.length) {
    return {
      ok: false,
      status: 400,
      formError: `${offPanel.map((a) => analyteLabel(a.slice(0, 40))).join(", ")} ${offPanel.length === 1 ? "is" : "are"} not on this test's panel (${panel.name}); enter results for its analytes only.`,
    };
  }
  const changedConfirmed = results.filter((r) => r.confirmation && (input.results[r.analyte] ?? "pending") !== r.result);
  if (changedConfirmed.length) {
    return {
      ok: false,
      status: 400,
      formError: `${changedConfirmed.map((r) => analyteLabel(r.analyte)).join(", ")} already has a lab confirmation; its presumptive result stays as it was.`,
    };
  }
  const next = results
    .filter((r) => isAnalyte(r.analyte))
    .map((r) => {
      const choice = input.results[r.analyte] ?? "pending";
      return { analyte: r.analyte as Analyte, result: choice === "pending" ? null : choice, ...labConfirmation(r) };
    });
  const measures: Measures = {
    creatinine_mg_dl: input.creatinine ?? null,
    specific_gravity: input.specificGravity ?? null,
    ph: input.ph ?? null,
    oxidant: input.oxidant ? 1 : input.creatinine != null || input.specificGravity != null || input.ph != null ? 0 : null,
  };
  const measured = (m: Measures) => ({ creatinine: m.creatinine_mg_dl, specificGravity: m.specific_gravity, ph: m.ph, oxidant: m.oxidant });
  return commitResults(db, actor, meta, { test, validity: input.validity, measures, results: next, version: input.version, now }, (done) => ({
    action: "drug_test.results_recorded",
    before: {
      validity: test.validity,
      ...measured(test),
      outcome: test.outcome,
      results: Object.fromEntries(results.map((r) => [r.analyte, r.result ?? "pending"])),
    },
    after: {
      validity: input.validity,
      ...measured(measures),
      outcome: done.outcome,
      results: Object.fromEntries(next.map((r) => [r.analyte, r.result ?? "pending"])),
    },
    detail: {
      alertsRaised: done.alerts.raised,
      alertsWithdrawn: done.alerts.withdrawn,
      readings: Object.fromEntries(done.readings.map((r) => [r.analyte, r.reading])),
    },
  }));
}

/** Records a lab's confirmation of a presumptive positive. */
export async function confirmResult(
  db: DB,
  actor: Actor,
  testId: string,
  input: ConfirmInput,
  siteIds: string[],
  meta: ClientMeta,
  now = new Date(),
): Promise<ResultsChange> {
  const loaded = await loadCollected(db, testId, siteIds);
  if (!loaded.ok) return loaded;
  const { test, results, panel } = loaded;
  if (!results.some((r) => r.result === "positive")) {
    return {
      ok: false,
      status: 400,
      formError: "This test has no presumptive positive, so there is nothing for a lab to confirm. Enter the presumptive results first.",
    };
  }
  const target = results.find((r) => r.analyte === input.analyte);
  if (!target) return { ok: false, status: 400, fieldErrors: { analyte: [`${ANALYTES[input.analyte].label} is not on this test's panel (${panel.name}).`] } };
  if (target.result !== "positive") {
    return {
      ok: false,
      status: 400,
      fieldErrors: { analyte: [`${ANALYTES[input.analyte].label} was not a presumptive positive; only a presumptive positive is confirmed.`] },
    };
  }
  if (input.confirmedOn < test.collected_on)
    return {
      ok: false,
      status: 400,
      fieldErrors: { confirmedOn: [`The lab cannot report before the specimen was collected (${shortDate(test.collected_on)}).`] },
    };
  const confirmed = { confirmation: input.confirmation, lab: input.lab, accession_number: input.accessionNumber, confirmed_on: input.confirmedOn };
  const next = results
    .filter((r) => isAnalyte(r.analyte))
    .map((r) => ({ analyte: r.analyte as Analyte, result: r.result, ...(r.analyte === input.analyte ? confirmed : labConfirmation(r)) }));
  const measures: Measures = { creatinine_mg_dl: test.creatinine_mg_dl, specific_gravity: test.specific_gravity, ph: test.ph, oxidant: test.oxidant };
  return commitResults(db, actor, meta, { test, validity: test.validity, measures, results: next, version: input.version, now }, (done) => ({
    action: "drug_test.confirmed",
    before: { analyte: input.analyte, confirmation: target.confirmation, lab: target.lab, accessionNumber: target.accession_number },
    after: {
      analyte: input.analyte,
      confirmation: input.confirmation,
      lab: input.lab,
      accessionNumber: input.accessionNumber,
      confirmedOn: input.confirmedOn,
      outcome: done.outcome,
    },
    detail: { alertsRaised: done.alerts.raised, alertsWithdrawn: done.alerts.withdrawn },
  }));
}

/** One test as its page shows it. */
export async function getTest(db: DB, testId: string, siteIds: string[]) {
  const t = await testAtSites(db, testId, siteIds)
    ?.innerJoin("patients as p", "p.id", "t.patient_id")
    .innerJoin("sites as s", "s.id", "t.site_id")
    .innerJoin("users as c", "c.id", "t.collected_by")
    .innerJoin("users as r", "r.id", "t.recorded_by")
    .leftJoin("drug_test_panels as panel", "panel.id", "t.panel_id")
    .leftJoin("drug_test_draws as d", "d.id", "t.draw_id")
    .selectAll("t")
    .select([
      ...PATIENT_IDENTITY,
      "s.time_zone",
      "c.name as collector_name",
      "r.name as recorder_name",
      "panel.name as panel_name",
      "d.draw_date",
      "d.sequence as draw_sequence",
    ])
    .executeTakeFirst();
  if (!t) return null;
  const results = await db.selectFrom("drug_test_results").selectAll().where("test_id", "=", t.id).execute();
  const alerts = await db
    .selectFrom("drug_test_alerts as a")
    .leftJoin("users as u", "u.id", "a.closed_by")
    .select(["a.id", "a.kind", "a.label", "a.status", "a.high_risk", "a.note", "a.closed_at", "u.name as by_name"])
    .where("a.test_id", "=", t.id)
    .orderBy("a.raised_at")
    .execute();
  // The test this one recollects, and the recollections of this one.
  const related = await db
    .selectFrom("drug_tests")
    .select(["id", "collected_on", "collected_at", "observed", "outcome", "recollection_of"])
    .where((eb) => eb.or([eb("recollection_of", "=", t.id), ...(t.recollection_of ? [eb("id", "=", t.recollection_of)] : [])]))
    .where("patient_id", "=", t.patient_id)
    .orderBy("collected_at")
    .execute();
  const link = (r: (typeof related)[number]) => ({
    id: r.id,
    collectedOn: r.collected_on,
    collectedAt: r.collected_at,
    observed: Boolean(r.observed),
    outcome: r.outcome,
  });
  const panelOrder = t.panel_id ? ((await panelRecordedOn(db, t.panel_id))?.analytes ?? []) : [];
  const order = (a: string) => {
    const i = panelOrder.indexOf(a as Analyte);
    return i === -1 ? 999 : i;
  };
  return {
    ...t,
    version: Number(t.version),
    patientName: personName(t),
    matContext: JSON.parse(t.mat_context) as { medication: string; startedOn: string; endedOn: string | null }[],
    results: results.sort((a, b) => order(a.analyte) - order(b.analyte)).map((r) => ({ ...r, high_risk: Boolean(r.high_risk) })),
    alerts: alerts.map((a) => ({ ...a, high_risk: Boolean(a.high_risk) })),
    recollects: related.filter((r) => r.id === t.recollection_of).map(link)[0] ?? null,
    recollections: related.filter((r) => r.recollection_of === t.id).map(link),
  };
}

/**
 * The test a new collection would recollect, as the collection form shows it: whose, when, why, and
 * whether the recollection must be observed; null when there is no such collected test at these sites.
 */
export async function recollectionTarget(db: DB, testId: string, siteIds: string[]) {
  const t = await testAtSites(db, testId, siteIds)
    ?.select(["t.id", "t.patient_id", "t.collected_on", "t.reason", "t.specimen", "t.panel_id", "t.collection"])
    .executeTakeFirst();
  if (!t || t.collection !== "collected") return null;
  const asks = await db.selectFrom("drug_test_alerts").select("kind").where("test_id", "=", t.id).where("status", "!=", "withdrawn").execute();
  return {
    id: t.id,
    patientId: t.patient_id,
    collectedOn: t.collected_on,
    reason: t.reason,
    specimen: t.specimen,
    panelId: t.panel_id,
    observed: asks.some((a) => RECOLLECTION_ASKS[a.kind]?.observed),
  };
}

/** The tests a site collected on one day, in time order. */
export async function testsOn(db: DB, siteId: string, date: string) {
  const rows = await listedTests(db)
    .innerJoin("patients as p", "p.id", "t.patient_id")
    .select(["t.patient_id", ...PATIENT_IDENTITY])
    .where("t.site_id", "=", siteId)
    .where("t.collected_on", "=", date)
    .orderBy("t.collected_at")
    .limit(500)
    .execute();
  return (await withFindings(db, rows)).map((r) => ({ ...r, name: personName(r) }));
}

/** The active people who work at a site: those who can be named as a collection's collector. */
const activeStaffAt = (db: DB, siteId: string) =>
  db.selectFrom("users").innerJoin("user_sites", "user_sites.user_id", "users.id").where("user_sites.site_id", "=", siteId).where("users.active", "=", 1);

/** People at a site who can be named as the collector. */
export async function collectorsAt(db: DB, siteId: string) {
  return activeStaffAt(db, siteId).select(["users.id", "users.name", "users.role"]).orderBy("users.name").execute();
}

/** The time zone of the site that collected a test (UTC when there is no such test at these sites). */
export async function testTimeZone(db: DB, testId: string, siteIds: string[]): Promise<string> {
  const row = await testAtSites(db, testId, siteIds)?.innerJoin("sites as s", "s.id", "t.site_id").select("s.time_zone").executeTakeFirst();
  return row?.time_zone ?? "UTC";
}

/**
 * Shared set-up for the drug-testing integration tests (not a test file itself): the demo staff,
 * a handful of patients on different MAT regimens, and helpers that write through the app's own
 * repositories. "Now" is Friday, Nov 27, 2026, noon in New York.
 */
import { randomUUID } from "node:crypto";
import type { Kysely } from "kysely";
import type { Database, MatMedication } from "../../db/schema";
import { recordCollection, saveResults } from "~/features/drug-testing/collections.server";
import { listPanels, type Panel } from "~/features/drug-testing/panels.server";
import type { CollectionInput, ResultChoice } from "~/features/drug-testing/schemas";
import { addMatEpisode } from "~/features/patients/clinical.server";
import { dischargePatient } from "~/features/patients/patients.server";
import { meta, seed } from "../support/demo";
import { dischargeInput, enroll, version } from "./patients-support";

export const TZ = "America/New_York";
export const NOW = new Date("2026-11-27T17:00:00.000Z");
export const TODAY = "2026-11-27";

type Actor = { id: string; name: string };

export interface DrugTestWorld {
  db: Kysely<Database>;
  site: { id: string; time_zone: string };
  siteIds: string[];
  admin: Actor;
  counselor: Actor;
  otherCounselor: Actor;
  staff: Actor;
  urine: Panel;
  breath: Panel;
  oral: Panel;
  /** On buprenorphine/naloxone since Sep 1. */
  bup: string;
  /** On methadone since Sep 1. */
  methadone: string;
  /** On XR naltrexone since Sep 1. */
  naltrexone: string;
  /** No MAT. */
  nomat: string;
  /** Discharged on Oct 20. */
  discharged: string;
}

export async function drugTestWorld(db: Kysely<Database>): Promise<DrugTestWorld> {
  const clinic = await seed(db);
  const u = (key: string) => ({ id: clinic.users[key].id, name: clinic.users[key].name });
  const counselor = u("marcus.bell");
  const siteIds = [clinic.siteId];
  const mat = async (patientId: string, medication: MatMedication) => {
    const r = await addMatEpisode(
      db,
      counselor,
      patientId,
      { medication, dose: "16 mg", schedule: "daily", prescriber: "Dr. Adeyemi", setting: "office_based", startedOn: "2026-09-01" },
      siteIds,
      meta,
    );
    if (!r.ok) throw new Error(JSON.stringify(r));
  };
  const bup = (await enroll(db, counselor, clinic.siteId, { legalFirstName: "Bea", legalLastName: "Bupren" })).id;
  await mat(bup, "buprenorphine_naloxone");
  const methadone = (await enroll(db, counselor, clinic.siteId, { legalFirstName: "Mel", legalLastName: "Meadows" })).id;
  await mat(methadone, "methadone");
  const naltrexone = (await enroll(db, counselor, clinic.siteId, { legalFirstName: "Nia", legalLastName: "Nolan" })).id;
  await mat(naltrexone, "naltrexone_xr");
  const nomat = (await enroll(db, u("priya.raman"), clinic.siteId, { legalFirstName: "Ray", legalLastName: "Rivers" })).id;
  const discharged = (await enroll(db, counselor, clinic.siteId, { legalFirstName: "Dee", legalLastName: "Departed" })).id;
  const d = await dischargePatient(db, counselor, discharged, dischargeInput(await version(db, discharged)), siteIds, meta);
  if (!d.ok) throw new Error(JSON.stringify(d));
  const panels = await listPanels(db, clinic.siteId);
  return {
    db,
    site: { id: clinic.siteId, time_zone: TZ },
    siteIds,
    admin: u("dana.whitfield"),
    counselor,
    otherCounselor: u("priya.raman"),
    staff: u("tom.kowalski"),
    urine: panels.find((p) => p.specimen === "urine")!,
    breath: panels.find((p) => p.specimen === "breath")!,
    oral: panels.find((p) => p.specimen === "oral_fluid")!,
    bup,
    methadone,
    naltrexone,
    nomat,
    discharged,
  };
}

/** A new patient of the world's counselor, on one MAT medication since 2026-09-01. */
export async function enrollOnMat(w: DrugTestWorld, legalFirstName: string, legalLastName: string, medication: MatMedication): Promise<string> {
  const id = (await enroll(w.db, w.counselor, w.site.id, { legalFirstName, legalLastName })).id;
  const r = await addMatEpisode(
    w.db,
    w.counselor,
    id,
    { medication, dose: "16 mg", schedule: "daily", prescriber: "Dr. Adeyemi", setting: "office_based", startedOn: "2026-09-01" },
    w.siteIds,
    meta,
  );
  if (!r.ok) throw new Error(JSON.stringify(r));
  return id;
}

/** A collection as the form hands it over after parsing: urine, standard panel, scheduled, in range. */
export function collection(w: DrugTestWorld, over: Partial<CollectionInput> = {}): CollectionInput {
  return {
    requestKey: randomUUID(),
    patientId: w.bup,
    collection: "collected",
    date: "2026-11-27",
    time: "10:15",
    reason: "scheduled",
    specimen: "urine",
    panelId: w.urine.id,
    observed: true,
    temperatureInRange: "yes",
    temperatureNote: undefined,
    collectedBy: w.staff.id,
    note: undefined,
    ...over,
  };
}

/** Records a collection and returns its id, failing the test if it was refused. */
export async function collect(w: DrugTestWorld, over: Partial<CollectionInput> = {}, now = NOW): Promise<string> {
  const r = await recordCollection(w.db, w.staff, collection(w, over), w.siteIds, meta, now);
  if (!r.ok) throw new Error(`collection refused: ${JSON.stringify(r)}`);
  return r.id;
}

/** Every analyte of the panel negative, except those given. */
export function results(panel: Panel, over: Partial<Record<string, ResultChoice>> = {}): Record<string, ResultChoice> {
  return { ...Object.fromEntries(panel.analytes.map((a) => [a, "negative" as ResultChoice])), ...over } as Record<string, ResultChoice>;
}

export async function testVersion(db: Kysely<Database>, testId: string): Promise<number> {
  return Number((await db.selectFrom("drug_tests").select("version").where("id", "=", testId).executeTakeFirstOrThrow()).version);
}

/** Enters results, failing the test if they were refused. */
export async function enterResults(
  w: DrugTestWorld,
  testId: string,
  over: Partial<Record<string, ResultChoice>>,
  validity: "valid" | "dilute" | "substituted" | "adulterated" | "invalid" = "valid",
  panel = w.urine,
) {
  const r = await saveResults(
    w.db,
    w.staff,
    testId,
    { intent: "results", version: await testVersion(w.db, testId), validity, results: results(panel, over) },
    w.siteIds,
    meta,
    NOW,
  );
  if (!r.ok) throw new Error(`results refused: ${JSON.stringify(r)}`);
  return r;
}

/** Rows that a refused write must leave untouched, and the audit length. */
export async function drugSnapshot(db: Kysely<Database>) {
  const out: Record<string, unknown> = {};
  for (const table of ["drug_tests", "drug_test_results", "drug_test_alerts", "drug_test_draws", "drug_test_panels"] as const) {
    out[table] = await db.selectFrom(table).selectAll().orderBy("id").execute();
  }
  const row = await db
    .selectFrom("audit_events")
    .select((eb) => eb.fn.max("seq").as("m"))
    .executeTakeFirstOrThrow();
  out.audit = Number(row.m ?? 0);
  return out;
}

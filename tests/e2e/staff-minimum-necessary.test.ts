/**
 * Minimum necessary for staff (front desk and techs: no `read:patient-clinical`), over plain HTTP
 * against the production build of the shared demo clinic. Signed in as staff, every page staff can
 * open is fetched twice — its HTML and its single-fetch `.data` payload — for the demo patients who
 * carry the most clinical information (on MAT, with acknowledged drug-test alerts, every one with
 * diagnoses), and none of them may carry:
 *
 * - a MAT medication's name, or a drug-test analyte read against MAT ("Buprenorphine not detected",
 *   "Expected (prescribed)", a rule's explanation, "Read against MAT", a higher-risk mark). The bare
 *   name of a panel's analyte ("Buprenorphine", "Methadone") is allowed where it stands alone: it is
 *   the drug tested for, which the tech records, not a statement about the patient's treatment;
 * - any ICD-10 code or description of the demo's diagnoses;
 * - any clinical note: the counselors' acknowledgement notes, discharge notes, level-of-care reasons,
 *   amendment requests (read from the demo's own database, so the test follows the seed).
 *
 * The list of pages comes from the route-access matrix: every route whose page staff may open.
 */
import type { Kysely } from "kysely";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createDb } from "../../db/database";
import type { Database } from "../../db/schema";
import { INTERPRETATION_RULES, READINGS } from "~/features/drug-testing/rules";
import { MAT_MEDICATIONS, MAT_SHORT } from "~/features/patients/rules";
import { STAFF } from "./helpers";
import { signInCookie } from "../support/server";
import { scanPages } from "./minimum-necessary";

const baseUrl = inject("baseUrl");
let db: Kysely<Database>;
let cookie = "";
/** Every page staff can open, with real ids from the demo. */
const pages: string[] = [];
/** Clinical text of the demo that staff must never receive. */
const clinicalTexts: string[] = [];
const diagnoses: { code: string; description: string }[] = [];
const chartIds: string[] = [];

/** Bare analyte names as a panel lists them: allowed when they stand alone (a cell, a list item, a string). */
const ANALYTE_NAMES = ["EDDP (methadone metabolite)", "Norbuprenorphine", "Buprenorphine", "Methadone"];
/**
 * The same analytes' codes, allowed as a whole string (the form's field names and ids say which
 * analyte a result is for). A MAT medication sent as its bare code ("methadone") would pass here;
 * sent as anything people read, it is caught.
 */
const ANALYTE_CODES = ["norbuprenorphine", "buprenorphine", "methadone"];
/** MAT medications (and their brands) that are never a panel analyte: never shown to staff at all. */
const MEDICATIONS = /naltrexone|acamprosate|disulfiram|naloxone|suboxone|subutex|sublocade|brixadi|zubsolv|vivitrol|antabuse|campral|lofexidine|lucemyra/i;
/** What reads a result against MAT, or says a patient is on it. */
const READING_PHRASES = [
  READINGS.expected_positive,
  READINGS.unexpected_negative,
  "expected_positive",
  "unexpected_positive",
  "unexpected_negative",
  "Read against MAT",
  "Higher risk",
  "is prescribed",
  "non-adherence",
  "Dual diagnosis",
  "MAT:",
  "prescribed MAT",
  "Unexpected positive",
];

/** Decodes what HTML and the turbo-stream payload escape, so a phrase is found however it was sent. */
function normalise(body: string): string {
  return body
    .replaceAll('\\"', '"')
    .replaceAll("\\u0026", "&")
    .replaceAll("&#x27;", "'")
    .replaceAll("&#39;", "'")
    .replaceAll("&quot;", '"')
    .replaceAll("&amp;", "&")
    .replaceAll("&lt;", "<")
    .replaceAll("&gt;", ">");
}

/** The clinical content a staff page carries, as a list of findings (empty when it is clean). */
function leaks(raw: string): string[] {
  const body = normalise(raw);
  const found: string[] = [];
  const med = MEDICATIONS.exec(body);
  if (med) found.push(`MAT medication "${med[0]}" in …${body.slice(Math.max(0, med.index - 60), med.index + 60)}…`);
  // Remove the analyte names where they stand alone (between tags, quotes or list commas); any
  // buprenorphine or methadone left is a reading, a medication or a note.
  let rest = body;
  for (const name of ANALYTE_NAMES) {
    const escaped = name.replace(/[()]/g, (c) => `\\${c}`);
    rest = rest.replace(new RegExp(`(?<=[>"]|, )${escaped}(?=[<",])`, "g"), "");
  }
  for (const code of ANALYTE_CODES) rest = rest.replace(new RegExp(`(?<=["]|analyte-|results\\.)${code}(?=")`, "g"), "");
  const mat = /buprenorphine|methadone|\bbup\b/i.exec(rest);
  if (mat) found.push(`MAT read in …${rest.slice(Math.max(0, mat.index - 60), mat.index + 80)}…`);
  for (const phrase of READING_PHRASES) if (body.includes(phrase)) found.push(`"${phrase}"`);
  for (const r of INTERPRETATION_RULES) if (r.note.length > 20 && body.includes(r.note)) found.push(`rule note "${r.note}"`);
  const lower = body.toLowerCase();
  for (const d of diagnoses) {
    if (body.includes(d.code)) found.push(`ICD-10 code ${d.code}`);
    if (lower.includes(d.description.toLowerCase())) found.push(`diagnosis "${d.description}"`);
  }
  for (const text of clinicalTexts) if (body.includes(text)) found.push(`clinical note "${text.slice(0, 50)}…"`);
  return found;
}

beforeAll(async () => {
  db = createDb(inject("databaseUrl"));
  cookie = await signInCookie(baseUrl, STAFF);

  const staff = await db
    .selectFrom("users")
    .innerJoin("user_sites", "user_sites.user_id", "users.id")
    .select("user_sites.site_id")
    .where("users.email", "=", STAFF)
    .executeTakeFirstOrThrow();
  const siteId = staff.site_id;

  // The demo's clinical text, straight from its database.
  const notes = await db.selectFrom("drug_test_alerts").select("note").where("status", "=", "acknowledged").where("note", "is not", null).execute();
  const discharge = await db.selectFrom("patient_episodes").select("discharge_note as note").where("discharge_note", "is not", null).execute();
  const levels = await db.selectFrom("level_of_care_changes").select("reason as note").execute();
  const amendments = await db.selectFrom("amendment_requests").select("request as note").execute();
  for (const n of [...notes, ...discharge, ...levels, ...amendments]) if (n.note && n.note.length >= 20) clinicalTexts.push(n.note);
  diagnoses.push(...(await db.selectFrom("patient_diagnoses").select(["code", "description"]).distinct().execute()));

  // The patients who carry the most: every one with a drug-test alert (acknowledged or open), every
  // one on MAT, and a few more; every demo patient has diagnoses.
  const alerted = await db.selectFrom("drug_test_alerts").select("patient_id").distinct().execute();
  const onMat = await db.selectFrom("mat_episodes").select("patient_id").distinct().execute();
  const atSite = await db.selectFrom("patients").select(["id", "legal_last_name"]).where("site_id", "=", siteId).orderBy("mrn").execute();
  const wanted = new Set([...alerted.map((r) => r.patient_id), ...onMat.map((r) => r.patient_id), ...atSite.slice(0, 3).map((p) => p.id)]);
  const patients = atSite.filter((p) => wanted.has(p.id));
  expect(onMat.length, "the demo has patients on MAT").toBeGreaterThan(0);
  expect(notes.length, "the demo has acknowledged alerts with notes").toBeGreaterThan(0);
  expect(diagnoses.length, "the demo has diagnoses").toBeGreaterThan(0);

  // Their drug tests: every test that raised an alert, and each patient's latest (MAT patients'
  // read "expected" against their medication).
  const alertTests = await db.selectFrom("drug_test_alerts").select("test_id").distinct().execute();
  const latest = await db
    .selectFrom("drug_tests")
    .select(["id", "patient_id", "collected_on"])
    .where("patient_id", "in", [...wanted])
    .orderBy("collected_at", "desc")
    .execute();
  const testIds = new Set(alertTests.map((t) => t.test_id));
  const seen = new Set<string>();
  for (const t of latest) {
    if (seen.has(t.patient_id)) continue;
    seen.add(t.patient_id);
    testIds.add(t.id);
  }
  const dates = new Set(
    (
      await db
        .selectFrom("drug_tests")
        .select("collected_on")
        .where("id", "in", [...testIds])
        .execute()
    ).map((t) => t.collected_on),
  );
  const draws = await db.selectFrom("drug_test_draws").select("id").where("site_id", "=", siteId).execute();
  // Sessions: today's and the last few with a roster.
  const sessions = await db
    .selectFrom("sessions")
    .select(["id"])
    .where("site_id", "=", siteId)
    .where("starts_at", "<=", new Date(Date.now() + 86_400_000).toISOString())
    .orderBy("starts_at", "desc")
    .limit(6)
    .execute();

  pages.push(
    "/",
    "/shell",
    "/account",
    "/account/two-factor",
    "/account/password",
    "/patients",
    "/patients?status=all",
    "/schedule",
    "/schedule/today",
    "/drug-tests",
    "/drug-tests/new",
  );
  for (const p of patients) {
    chartIds.push(p.id);
    pages.push(
      `/patients/${p.id}`,
      `/patients/${p.id}/schedule`,
      `/patients/${p.id}/attendance`,
      `/patients/${p.id}/drug-tests`,
      `/drug-tests/new?patient=${p.id}`,
    );
    pages.push(`/patients/search?q=${encodeURIComponent(p.legal_last_name)}`);
  }
  for (const id of testIds) pages.push(`/drug-tests/${id}`);
  for (const d of dates) pages.push(`/drug-tests?date=${d}`);
  for (const d of draws) pages.push(`/drug-tests/draws/${d.id}`);
  for (const s of sessions) pages.push(`/schedule/sessions/${s.id}`, `/schedule/sessions/${s.id}/roll`, `/schedule/sessions/${s.id}/sign-in-sheet`);
}, 120_000);

afterAll(async () => {
  await db?.destroy();
});

describe("staff see who a patient is, never their treatment", () => {
  it("no page staff can open carries MAT, a reading against it, a diagnosis or a clinical note, in its HTML or its .data", async () => {
    const { fetched, problems } = await scanPages(baseUrl, cookie, pages, leaks);
    expect(fetched).toBeGreaterThan(100);
    expect(problems.slice(0, 30)).toEqual([]);
  }, 300_000);

  it("the same check finds MAT, readings and notes where a counselor reads them (it can fail)", async () => {
    // Signed in as the counselor, the pages that staff get in neutral words do carry the clinical
    // reading, so an empty finding above is the loader holding it back, not a blind check.
    const counselor = await signInCookie(baseUrl, "marcus.bell@harborlight.example");
    const found: string[] = [];
    for (const id of chartIds) {
      const body = await (await fetch(`${baseUrl}/patients/${id}/drug-tests`, { headers: { Cookie: counselor } })).text();
      found.push(...leaks(body));
    }
    expect(found.some((f) => f.startsWith("clinical note"))).toBe(true);
    expect(found.some((f) => f.startsWith("MAT read"))).toBe(true);
  }, 120_000);

  it("MAT names and medication labels of the app itself are what the check looks for", () => {
    // Every medication the app can record is caught: by name (the brands and antagonists) or as a
    // MAT read (the agonists, whose analyte names alone are allowed).
    for (const label of [...Object.values(MAT_MEDICATIONS), ...Object.values(MAT_SHORT)].filter((l) => l !== "Other")) {
      expect(leaks(`<p>On ${label} since May</p>`), label).not.toEqual([]);
    }
    expect(leaks(`<td>Buprenorphine</td><td>Positive</td>`)).toEqual([]);
    expect(leaks(`<span>Buprenorphine not detected</span>`)).not.toEqual([]);
  });

  it("a chart's page title names the MRN, not the patient", async () => {
    const [id] = chartIds;
    const p = await db
      .selectFrom("patients")
      .select(["mrn", "legal_first_name", "legal_last_name", "preferred_name"])
      .where("id", "=", id)
      .executeTakeFirstOrThrow();
    const test = await db.selectFrom("drug_tests").select("id").where("patient_id", "=", id).executeTakeFirst();
    for (const path of [`/patients/${id}`, `/patients/${id}/drug-tests`, ...(test ? [`/drug-tests/${test.id}`] : [])]) {
      const html = await (await fetch(`${baseUrl}${path}`, { headers: { Cookie: cookie } })).text();
      const title = /<title>([^<]*)<\/title>/.exec(html)?.[1] ?? "";
      expect(title, path).toContain(p.mrn);
      for (const name of [p.legal_first_name, p.legal_last_name, p.preferred_name].filter((n): n is string => Boolean(n)))
        expect(title, path).not.toContain(name);
    }
  });
});

/**
 * Minimum necessary for billing staff (issue 21, item 8: "demographics, coverage, authorizations,
 * charges, days attended and the diagnosis codes a claim needs — never notes, plans, MAT or
 * drug-test results"), over plain HTTP against the production build of the shared demo clinic.
 * Signed in as the demo's billing person, every page billing can open is fetched twice — its HTML
 * and its single-fetch `.data` payload — for the demo patients who carry the most clinical
 * information (signed notes, treatment plans, MAT, drug-test alerts, ASAM assessments, measures),
 * and none of them may carry:
 *
 * - any text of a progress or group note, a note's addendum, a counseling note, a treatment plan,
 *   an ASAM narrative, a safety check, a drug-test alert's note, a discharge note, a level-of-care
 *   reason or an amendment request (read from the demo's own database, so the test follows the seed);
 * - a MAT medication, dose or prescriber;
 * - a drug-test result: an analyte as a result row names it, a reading against MAT, a panel's name;
 * - a measure's name or a score's band (PHQ-9, GAD-7, AUDIT, DAST-10, BAM), or a safety flag.
 *
 * Billing does see the diagnosis codes a claim needs (code and description, under `bill:claims`):
 * the overview's "Diagnosis codes for claims" is checked to list exactly the codes in effect.
 * Every clinical page of those charts answers billing with a 403, in HTML and in `.data`.
 * The same check run as a counselor finds note and plan text, so an empty finding is not a blind check.
 */
import type { Kysely } from "kysely";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createDb } from "../../db/database";
import type { Database } from "../../db/schema";
import { ANALYTES, INTERPRETATION_RULES, READINGS } from "~/features/drug-testing/rules";
import { MAT_MEDICATIONS, MAT_SHORT } from "~/features/patients/rules";
import { MEASURES } from "~/features/measures/rules";
import { PERMISSION_DESCRIPTIONS } from "~/features/auth/permissions";
import { BILLING, COUNSELOR } from "./helpers";
import { signInCookie } from "../support/server";
import { ensureSignedNote } from "./notes-support";
import { dataUrl, scanPages } from "./minimum-necessary";

const baseUrl = inject("baseUrl");
let db: Kysely<Database>;
let cookie = "";
let siteId = "";
/** Every page billing can open, with real ids from the demo. */
const pages: string[] = [];
/** Clinical pages of the same charts: billing is refused each one. */
const refused: string[] = [];
/** Clinical text of the demo that billing must never receive. */
const clinicalTexts = new Set<string>();
const matWords = new Set<string>();
const chartIds: string[] = [];
let note = { noteId: "", patientId: "" };

/** Any MAT medication (generic or brand) by name. */
const MEDICATIONS =
  /buprenorphine|methadone|naltrexone|acamprosate|disulfiram|naloxone|suboxone|subutex|sublocade|brixadi|zubsolv|vivitrol|antabuse|campral|lofexidine|lucemyra/i;
/** What a drug-test result or a reading against MAT says. */
const RESULT_PHRASES = [
  ...Object.values(READINGS).filter((r) => r.length > 8),
  "expected_positive",
  "unexpected_positive",
  "unexpected_negative",
  "Read against MAT",
  "Higher risk",
  "Confirmed positive",
  "Dual diagnosis",
  "Safety flag",
  "safety flag",
  "PHQ-9 item 9",
];
/** A measure named where its score would be. */
const MEASURE_NAMES = new RegExp(
  Object.values(MEASURES)
    .map((m) => `\\b${m.name.replace("-", "\\-")}\\b`)
    .join("|"),
);

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

/** The clinical content a billing page carries, as a list of findings (empty when it is clean). */
function leaks(raw: string): string[] {
  const body = normalise(raw);
  const found: string[] = [];
  const med = MEDICATIONS.exec(body);
  if (med) found.push(`MAT medication "${med[0]}" in …${body.slice(Math.max(0, med.index - 60), med.index + 60)}…`);
  for (const w of matWords) if (body.includes(w)) found.push(`MAT detail "${w}"`);
  for (const a of Object.values(ANALYTES)) if (body.includes(`>${a.label}<`) || body.includes(`"${a.label}"`)) found.push(`analyte "${a.label}"`);
  for (const phrase of RESULT_PHRASES) if (body.includes(phrase)) found.push(`"${phrase}"`);
  for (const r of INTERPRETATION_RULES) if (r.note.length > 20 && body.includes(r.note)) found.push(`drug-test rule note "${r.note.slice(0, 40)}"`);
  const measure = MEASURE_NAMES.exec(body);
  if (measure) found.push(`measure "${measure[0]}" in …${body.slice(Math.max(0, measure.index - 60), measure.index + 60)}…`);
  for (const text of clinicalTexts) if (body.includes(text)) found.push(`clinical text "${text.slice(0, 50)}…"`);
  return found;
}

/** Every string of 20 characters or more inside a JSON document (a plan's or a note's content). */
function longStrings(json: string | null): string[] {
  const out: string[] = [];
  const walk = (v: unknown) => {
    if (typeof v === "string") {
      if (v.trim().length >= 20) out.push(v.trim());
    } else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === "object") Object.values(v).forEach(walk);
  };
  try {
    walk(JSON.parse(json ?? "null"));
  } catch {
    if (json && json.length >= 20) out.push(json);
  }
  return out;
}

beforeAll(async () => {
  db = createDb(inject("databaseUrl"));
  cookie = await signInCookie(baseUrl, BILLING);
  note = await ensureSignedNote(db);
  siteId = (
    await db
      .selectFrom("users")
      .innerJoin("user_sites", "user_sites.user_id", "users.id")
      .select("user_sites.site_id")
      .where("users.email", "=", BILLING)
      .executeTakeFirstOrThrow()
  ).site_id;

  // The demo's clinical text, straight from its database.
  const add = (texts: (string | null)[]) => {
    for (const t of texts) if (t && t.trim().length >= 20) clinicalTexts.add(t.trim());
  };
  for (const n of await db.selectFrom("notes").select("shared").execute()) add(longStrings(n.shared));
  for (const e of await db.selectFrom("note_entries").select("content").execute()) add(longStrings(e.content));
  add((await db.selectFrom("note_addenda").select("text").execute()).map((r) => r.text));
  add((await db.selectFrom("counseling_notes").select("text").execute()).map((r) => r.text));
  for (const p of await db.selectFrom("treatment_plans").select("content").execute()) add(longStrings(p.content));
  for (const a of await db.selectFrom("asam_assessments").selectAll().execute())
    add([a.d1_narrative, a.d2_narrative, a.d3_narrative, a.d4_narrative, a.d5_narrative, a.d6_narrative, a.difference_note]);
  add((await db.selectFrom("safety_flags").select(["plan"]).execute()).map((r) => r.plan));
  add((await db.selectFrom("drug_test_alerts").select("note").execute()).map((r) => r.note));
  add((await db.selectFrom("patient_episodes").select("discharge_note").execute()).map((r) => r.discharge_note));
  add((await db.selectFrom("level_of_care_changes").select("reason").execute()).map((r) => r.reason));
  add((await db.selectFrom("amendment_requests").select("request").execute()).map((r) => r.request));
  const mat = await db.selectFrom("mat_episodes").select(["patient_id", "prescriber", "dose"]).execute();
  for (const m of mat) {
    if (m.prescriber.length >= 8) matWords.add(m.prescriber);
  }
  for (const label of [...Object.values(MAT_MEDICATIONS), ...Object.values(MAT_SHORT)]) if (label.length > 6 && label !== "Other") matWords.add(label);
  expect(clinicalTexts.size, "the demo has clinical text to look for").toBeGreaterThan(100);

  // The patients who carry the most: with a signed note, a plan, MAT, a drug-test alert, an ASAM
  // assessment or a measure; and the first few by MRN.
  const ids = async (table: "note_entries" | "treatment_plans" | "mat_episodes" | "drug_test_alerts" | "asam_assessments" | "measure_responses") =>
    (await db.selectFrom(table).select("patient_id").distinct().limit(4).execute()).map((r) => r.patient_id);
  const atSite = await db.selectFrom("patients").select(["id", "legal_last_name"]).where("site_id", "=", siteId).orderBy("mrn").execute();
  const wanted = new Set([
    note.patientId,
    ...(await ids("note_entries")),
    ...(await ids("treatment_plans")),
    ...(await ids("mat_episodes")),
    ...(await ids("drug_test_alerts")),
    ...(await ids("asam_assessments")),
    ...(await ids("measure_responses")),
    ...atSite.slice(0, 3).map((p) => p.id),
  ]);
  const patients = atSite.filter((p) => wanted.has(p.id));
  expect(patients.length).toBeGreaterThan(5);

  pages.push(
    "/",
    "/shell",
    "/account",
    "/account/two-factor",
    "/account/password",
    "/patients",
    "/patients?status=all",
    "/reports",
    "/reports/authorization-use",
    "/reports/authorization-use?from=2026-01-01",
    "/reports/authorization-use.csv",
  );
  for (const p of patients) {
    chartIds.push(p.id);
    pages.push(
      `/patients/${p.id}`,
      `/patients/${p.id}/schedule`,
      `/patients/${p.id}/attendance`,
      `/patients/search?q=${encodeURIComponent(p.legal_last_name)}`,
    );
  }
  for (const id of chartIds.slice(0, 4))
    for (const section of [
      "diagnoses",
      "assessments",
      "measures",
      "measures/phq9",
      "plan",
      "notes",
      "mat",
      "care",
      "discharge",
      "drug-tests",
      "history",
      "amendments",
      "consents",
      "disclosures",
      "edit",
    ])
      refused.push(`/patients/${id}/${section}`);
  refused.push(
    `/patients/${note.patientId}/notes/${note.noteId}`,
    `/patients/${note.patientId}/notes/print?note=${note.noteId}`,
    `/patients/${note.patientId}/accounting-of-disclosures`,
    "/reports/caseload-sizes",
    "/reports/drug-tests",
    "/reports/billable-days",
    "/reports/caseload-sizes.csv",
    "/schedule",
    "/schedule/today",
    "/drug-tests",
  );
}, 120_000);

afterAll(async () => {
  await db?.destroy();
});

describe("billing sees what a claim needs, never the treatment", () => {
  it("no page billing can open carries note or plan text, MAT, a drug-test result, a measure or a counseling note, in its HTML or its .data", async () => {
    const { fetched, problems } = await scanPages(baseUrl, cookie, pages, leaks);
    expect(fetched).toBeGreaterThan(60);
    expect(problems.slice(0, 30)).toEqual([]);
  }, 300_000);

  it("refuses billing every clinical page of those charts, the schedule, drug tests and reports, in HTML and .data", async () => {
    const wrong: string[] = [];
    // A refusal names the permission it needs, in the matrix's words ("… standardized measure (PHQ-9, …)"): that is not a score.
    const refusal = async (res: Response) => {
      let body = normalise(await res.text());
      for (const d of Object.values(PERMISSION_DESCRIPTIONS)) body = body.replaceAll(d, "");
      return body;
    };
    for (const path of refused) {
      const html = await fetch(`${baseUrl}${path}`, { headers: { Cookie: cookie }, redirect: "manual" });
      if (html.status !== 403) wrong.push(`${path}: ${html.status}`);
      for (const l of leaks(await refusal(html))) wrong.push(`${path}: ${l}`);
      if (path.endsWith(".csv")) continue;
      const data = await fetch(`${baseUrl}${dataUrl(path)}`, { headers: { Cookie: cookie }, redirect: "manual" });
      if (data.status !== 403) wrong.push(`${dataUrl(path)}: ${data.status}`);
      for (const l of leaks(await refusal(data))) wrong.push(`${dataUrl(path)}: ${l}`);
    }
    expect(refused.length).toBeGreaterThan(60);
    expect(wrong).toEqual([]);
  }, 120_000);

  it("the same check finds note and plan text and MAT where a counselor reads them (it can fail)", async () => {
    const counselor = await signInCookie(baseUrl, COUNSELOR);
    const admin = await signInCookie(baseUrl, "dana.whitfield@harborlight.example");
    const found: string[] = [];
    const noteBody = await (await fetch(`${baseUrl}/patients/${note.patientId}/notes/${note.noteId}`, { headers: { Cookie: admin } })).text();
    found.push(...leaks(noteBody));
    for (const id of chartIds) {
      for (const section of ["plan", "mat", "measures"]) {
        const res = await fetch(`${baseUrl}/patients/${id}/${section}`, { headers: { Cookie: counselor } });
        found.push(...leaks(await res.text()));
      }
    }
    expect(found.some((f) => f.startsWith("clinical text"))).toBe(true);
    expect(found.some((f) => f.startsWith("MAT"))).toBe(true);
    expect(found.some((f) => f.startsWith("measure"))).toBe(true);
  }, 120_000);

  it("the chart overview lists exactly the diagnosis codes in effect, code and description, and no onset or category", async () => {
    for (const id of chartIds.slice(0, 5)) {
      const active = await db
        .selectFrom("patient_diagnoses")
        .select(["code", "description"])
        .where("patient_id", "=", id)
        .where("resolved_on", "is", null)
        .execute();
      const resolved = await db.selectFrom("patient_diagnoses").select(["code"]).where("patient_id", "=", id).where("resolved_on", "is not", null).execute();
      const body = normalise(await (await fetch(`${baseUrl}/patients/${id}`, { headers: { Cookie: cookie } })).text());
      expect(body).toContain("Diagnosis codes for claims");
      expect(body).toContain("Date of birth");
      for (const d of active) {
        expect(body, id).toContain(d.code);
        expect(body, id).toContain(d.description);
      }
      for (const d of resolved) if (!active.some((a) => a.code === d.code)) expect(body, id).not.toContain(`>${d.code}<`);
      expect(body).not.toContain("Onset");
      expect(body).not.toContain("Emergency contact");
      expect(body).not.toContain("Primary counselor");
    }
  });

  it("billing's reports are billing's own: Authorization use opens for billing and admins with CSV, never for counselors or staff", async () => {
    const list = normalise(await (await fetch(`${baseUrl}/reports`, { headers: { Cookie: cookie } })).text());
    expect(list).toContain("Authorization use");
    for (const clinical of ["Caseload sizes by counselor", "Drug-test results", "Treatment plans", "Measure change"]) expect(list).not.toContain(clinical);
    const csv = await fetch(`${baseUrl}/reports/authorization-use.csv`, { headers: { Cookie: cookie } });
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toContain("text/csv");
    const text = await csv.text();
    expect(text.split("\r\n")[0]).toBe("42 CFR part 2 prohibits unauthorized use or disclosure of these records.");
    expect(text).toContain("Authorization use");
    expect(text).toContain("Approved,Used,Remaining,Days left");
    const admin = await signInCookie(baseUrl, "dana.whitfield@harborlight.example");
    expect((await fetch(`${baseUrl}/reports/authorization-use`, { headers: { Cookie: admin } })).status).toBe(200);
    for (const email of [COUNSELOR, "tom.kowalski@harborlight.example"]) {
      const other = await signInCookie(baseUrl, email);
      for (const path of ["/reports/authorization-use", "/reports/authorization-use.csv"])
        expect((await fetch(`${baseUrl}${path}`, { headers: { Cookie: other }, redirect: "manual" })).status, `${email} ${path}`).toBe(403);
    }
  });

  it("Home shows billing who attended this week, with days attended, and nothing else about patients", async () => {
    const body = normalise(await (await fetch(`${baseUrl}/`, { headers: { Cookie: cookie } })).text());
    expect(body).toContain("Attended this week");
    // Early on a Monday, before the week's first roll call, the card says no one attended and has no table.
    if (!/: 0 patients attended/.test(body.replaceAll("<!-- -->", ""))) expect(body).toContain("Days attended");
    for (const card of ["Needs attention", "Today's random draw", "Notes to write", "Treatment plans due", "Measures due", "Safety flags", "Census"])
      expect(body).not.toContain(card);
  });
});

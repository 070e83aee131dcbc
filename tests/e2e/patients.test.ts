import type { Kysely } from "kysely";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createDb } from "../../db/database";
import type { Database } from "../../db/schema";
import { addDiagnosis, addMatEpisode } from "~/features/patients/clinical.server";
import { dischargePatient, enrollPatient } from "~/features/patients/patients.server";
import { shortDate } from "~/kernel/time";
import { launchBrowser } from "../support/browser";
import { meta } from "../support/demo";
import { dischargeInput, intakeInput } from "../integration/patients-support";
import { COUNSELOR, hydrated, signIn, STAFF, visible } from "./helpers";
import { openChartSection } from "./chart-sections";

const baseUrl = inject("baseUrl");
let browser: Browser;
let db: Kysely<Database>;

beforeAll(async () => {
  browser = await launchBrowser();
  db = createDb(inject("databaseUrl"));
});
afterAll(async () => {
  await browser?.close();
  await db?.destroy();
});

/**
 * A patient of the counselor's, written straight through the app's repositories so a test that
 * needs one does not depend on another test having enrolled them: returns the chart's URL.
 */
async function patientOfCounselor(
  first: string,
  last: string,
  dateOfBirth: string,
  chart: (id: string, counselor: { id: string; name: string }, siteIds: string[]) => Promise<void> = async () => {},
) {
  const counselor = await db.selectFrom("users").select(["id", "name"]).where("email", "=", COUNSELOR).executeTakeFirstOrThrow();
  const siteIds = (await db.selectFrom("user_sites").select("site_id").where("user_id", "=", counselor.id).execute()).map((s) => s.site_id);
  const enrolled = await enrollPatient(
    db,
    counselor,
    intakeInput(siteIds[0], counselor.id, { legalFirstName: first, legalLastName: last, dateOfBirth, confirmDuplicate: "yes" }),
    siteIds,
    meta,
  );
  if (!enrolled.ok) throw new Error(JSON.stringify(enrolled));
  await chart(enrolled.id, counselor, siteIds);
  return `${baseUrl}/patients/${enrolled.id}`;
}

async function signedIn(email: string): Promise<{ ctx: BrowserContext; page: Page }> {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await signIn(page, baseUrl, email);
  await page.waitForURL(`${baseUrl}/`);
  return { ctx, page };
}

async function chooseTab(page: Page, name: string) {
  await openChartSection(page, name);
}

describe("a counselor's patient, from intake to discharge", () => {
  it("enrolls a patient with two diagnoses and MAT, finds the flags on the caseload, steps down and discharges", async () => {
    const { ctx, page } = await signedIn(COUNSELOR);
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Patients" }).click();
    await visible(page.getByRole("heading", { name: "My caseload" }));
    await page.getByRole("link", { name: "Enroll a patient" }).click();
    await page.waitForURL(`${baseUrl}/patients/new`);
    await hydrated(page);

    // A birth date in the future is refused with a clear message, and what was typed stays.
    await page.getByLabel("Legal first name").fill("Quinn");
    await page.getByLabel("Legal last name").fill("Harlowe");
    await page.getByLabel("Date of birth").fill("2031-01-01");
    await page.getByLabel("Sex").selectOption("female");
    await page.getByLabel("Referral source").selectOption("detox");
    await page.getByLabel("Payer").selectOption("medicaid");
    await page.getByRole("button", { name: "Enroll patient" }).click();
    await visible(page.getByText("The date of birth cannot be in the future."));
    await visible(page.getByText("Enter the member id: insurers deny claims without it."));
    expect(await page.getByLabel("Legal last name").inputValue()).toBe("Harlowe");

    await page.getByLabel("Date of birth").fill("1991-04-12");
    // The server's own today (the admission date it fills in), not the test's clock at load: every
    // date below counts from it, so the story holds across New York midnight.
    const today = await page.getByLabel("Admission date").inputValue();
    expect(today).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    await page.getByLabel("Member id").fill("MCD-7745120");
    await page.getByLabel("Track (optional)").selectOption({ label: "Evening IOP · Mon, Tue, Wed, Thu 6:00–9:00 PM" });
    await page.getByRole("button", { name: "Enroll patient" }).click();
    await page.waitForURL(/\/patients\/[0-9a-f-]{36}$/);
    const patientUrl = page.url();
    await visible(page.getByRole("heading", { name: "Quinn Harlowe" }));
    await visible(page.getByText(/Enrolled Quinn Harlowe as MRN-\d{6}\./));

    await chooseTab(page, "Diagnoses");
    const code = page.getByLabel("ICD-10-CM code").and(page.locator("input"));
    await code.fill("opioid dependence, uncomplicated");
    await page.getByRole("option", { name: /^F11\.20 — Opioid dependence, uncomplicated$/ }).click();
    expect(await page.getByLabel("Description").inputValue()).toBe("Opioid dependence, uncomplicated");
    await page.getByLabel("Primary diagnosis").check();
    await page.getByRole("button", { name: "Add diagnosis" }).click();
    await visible(page.getByText("Added F11.20."));
    // A malformed code is refused; a bare code from the list gets its description filled in.
    await page.getByLabel("ICD-10-CM code").and(page.locator("input")).fill("PTSD");
    await page.getByRole("button", { name: "Add diagnosis" }).click();
    await visible(page.getByText(/That is not an ICD-10-CM code/));
    await page.getByLabel("ICD-10-CM code").and(page.locator("input")).fill("F43.10");
    await page.getByRole("button", { name: "Add diagnosis" }).click();
    await visible(page.getByText("Added F43.10."));
    await visible(page.getByRole("cell", { name: "Post-traumatic stress disorder, unspecified" }));
    await visible(page.getByText("Dual diagnosis", { exact: true }));

    await chooseTab(page, "MAT");
    await page.getByLabel("Medication").selectOption("buprenorphine_naloxone");
    await page.getByLabel("Dose").fill("16 mg/4 mg");
    await page.getByLabel("Schedule").fill("once daily");
    await page.getByLabel("Prescriber").fill("Dr. Naomi Adeyemi, MD");
    await page.getByLabel("End date (optional)").fill("2020-01-01");
    await page.getByRole("button", { name: "Record medication" }).click();
    await visible(page.getByText("The end date is before the start date."));
    await page.getByLabel("End date (optional)").fill("");
    await page.getByRole("button", { name: "Record medication" }).click();
    await visible(page.getByText("Buprenorphine/naloxone recorded."));
    await visible(page.getByText("MAT: Bup/naloxone"));

    // On the caseload, with both flags.
    await page.goto(`${baseUrl}/patients?q=harlowe`);
    await hydrated(page);
    const row = page.getByRole("row", { name: /Harlowe, Quinn/ });
    await visible(row.getByText("Dual diagnosis"));
    await visible(row.getByText("MAT: Bup/naloxone"));
    await row.getByRole("link", { name: "Harlowe, Quinn" }).click();
    await page.waitForURL(patientUrl);

    await chooseTab(page, "Level of care");
    await page.getByLabel("New level of care").selectOption("OP");
    await page.getByLabel("Effective").fill(today);
    await page.getByLabel("Clinical reason").fill("Stable on buprenorphine, working full time; meets OP criteria.");
    await page.getByRole("button", { name: "Change level of care" }).click();
    await visible(page.getByText(`Level of care: step-down to OP from ${shortDate(today)}.`));
    await visible(page.getByRole("cell", { name: "Stable on buprenorphine, working full time; meets OP criteria." }));
    await visible(page.getByLabel("Level of care OP"));

    await chooseTab(page, "Discharge");
    await page.getByLabel("Discharge date").fill(today);
    await page.getByLabel("Reason", { exact: true }).selectOption("completed");
    await page.getByLabel("Level of care recommended next").selectOption("OP");
    await page.getByLabel("Step-down provider (optional)").fill("Riverside Community Counseling");
    await page.getByLabel("Narcotics Anonymous (NA)").check();
    await page.getByLabel("Joins the alumni program").check();
    await page.getByLabel("Follow-up appointment (optional)").fill("2000-01-01");
    await page.getByRole("button", { name: "Discharge patient" }).click();
    await visible(page.getByText("The follow-up appointment is before the discharge date."));
    await page.getByLabel("Follow-up appointment (optional)").fill(today);
    await page.getByRole("button", { name: "Discharge patient" }).click();
    await visible(page.getByText(`Quinn Harlowe discharged on ${shortDate(today)}.`));
    await visible(page.getByText("Mutual-help groups: Narcotics Anonymous (NA)"));
    await visible(page.getByText("Step-down provider: Riverside Community Counseling"));
    await visible(page.getByRole("heading", { name: "Re-admit" }));

    await chooseTab(page, "Chart history");
    for (const what of ["Enrolled", "Added a diagnosis", "Recorded a MAT episode", "Changed level of care", "Discharged", "Opened a chart"]) {
      await visible(page.getByRole("cell", { name: what }).first());
    }
    await ctx.close();
  });

  it("staff see who the patient is, and the diagnoses by no URL", async () => {
    // A discharged patient of the counselor's with two diagnoses and MAT, made for this test.
    const patientUrl = await patientOfCounselor("Sage", "Pemberton", "1989-06-14", async (id, counselor, siteIds) => {
      for (const dx of [
        { code: "F11.20", description: "Opioid dependence, uncomplicated", isPrimary: "yes" as const },
        { code: "F43.10", description: "Post-traumatic stress disorder, unspecified" },
      ]) {
        if (!(await addDiagnosis(db, counselor, id, dx, siteIds, meta)).ok) throw new Error(`diagnosis ${dx.code} refused`);
      }
      const mat = await addMatEpisode(
        db,
        counselor,
        id,
        {
          medication: "buprenorphine_naloxone",
          dose: "16 mg/4 mg",
          schedule: "once daily",
          prescriber: "Dr. Naomi Adeyemi, MD",
          setting: "office_based",
          startedOn: "2026-09-01",
        },
        siteIds,
        meta,
      );
      if (!mat.ok) throw new Error(JSON.stringify(mat));
      const version = Number((await db.selectFrom("patients").select("version").where("id", "=", id).executeTakeFirstOrThrow()).version);
      const discharged = await dischargePatient(
        db,
        counselor,
        id,
        dischargeInput(version, { stepDownProvider: "Riverside Community Counseling" }),
        siteIds,
        meta,
      );
      if (!discharged.ok) throw new Error(JSON.stringify(discharged));
    });
    // What staff must not see is on the chart for a counselor (so its absence below means something).
    const counselor = await signedIn(COUNSELOR);
    const counselorCookie = (await counselor.ctx.cookies()).find((c) => c.name === "iop_session")!;
    const seen = (
      await Promise.all(
        ["/diagnoses", "/mat", "/discharge"].map(async (path) =>
          (await fetch(`${patientUrl}${path}`, { headers: { Cookie: `iop_session=${counselorCookie.value}` } })).text(),
        ),
      )
    ).join("");
    for (const secret of ["F11.20", "F43.10", "Opioid", "Bup/naloxone", "Dual diagnosis", "Riverside Community Counseling"])
      expect(seen, secret).toContain(secret);
    await counselor.ctx.close();

    const { ctx, page } = await signedIn(STAFF);
    await page.goto(patientUrl);
    await hydrated(page);
    await visible(page.getByRole("heading", { name: "Sage Pemberton" }));
    await visible(page.getByText(/Clinical details are visible to the patient's counselors/));
    expect(await page.getByRole("navigation", { name: "Chart sections" }).getByRole("link").allTextContents()).toEqual([
      "Overview",
      "Schedule",
      "Attendance",
      "Drug tests",
      // Staff enter measure answers there (never see scores).
      "Measures",
    ]);
    const html = await page.content();
    for (const secret of ["F11.20", "F43.10", "Opioid", "Bup/naloxone", "Dual diagnosis", "Riverside Community Counseling"]) expect(html).not.toContain(secret);

    const cookie = (await ctx.cookies()).find((c) => c.name === "iop_session")!;
    const headers = { Cookie: `iop_session=${cookie.value}` };
    for (const path of ["/diagnoses", "/mat", "/care", "/discharge", "/history", "/edit"]) {
      const res = await fetch(`${patientUrl}${path}`, { headers, redirect: "manual" });
      expect(res.status, path).toBe(403);
      expect(await res.text()).not.toContain("F11.20");
      const dataRes = await fetch(`${patientUrl}${path}.data`, { headers, redirect: "manual" });
      expect(await dataRes.text()).not.toContain("F11.20");
    }
    const list = await (await fetch(`${baseUrl}/patients?q=pemberton&status=all&flag=dual`, { headers })).text();
    expect(list).toContain("Pemberton, Sage");
    expect(list).not.toContain("Dual diagnosis");
    await ctx.close();
  });
});

/** The enroll form's required fields for a self-paying, self-referred woman; the rest keep their defaults. */
async function fillEnrollForm(page: Page, first: string, last: string, dateOfBirth: string) {
  await page.getByLabel("Legal first name").fill(first);
  await page.getByLabel("Legal last name").fill(last);
  await page.getByLabel("Date of birth").fill(dateOfBirth);
  await page.getByLabel("Sex").selectOption("female");
  await page.getByLabel("Referral source").selectOption("self");
  await page.getByLabel("Payer").selectOption("self_pay");
}

describe("patients: conflicts and duplicates", () => {
  it("warns of a possible duplicate before saving, and enrolls anyway when told they differ", async () => {
    const existingUrl = await patientOfCounselor("Rowan", "Ashby", "1988-02-03");
    const { ctx, page } = await signedIn(COUNSELOR);
    await page.goto(`${baseUrl}/patients/new`);
    await hydrated(page);
    await fillEnrollForm(page, "Rowan", "Ashby", "1988-02-03");
    await page.getByRole("button", { name: "Enroll patient" }).click();
    await visible(page.getByText("Possible duplicate"));
    await visible(page.getByRole("link", { name: "Rowan Ashby" }));
    expect(await page.getByRole("link", { name: "Rowan Ashby" }).getAttribute("href")).toBe(existingUrl.slice(baseUrl.length));
    await page.getByRole("button", { name: "This is a different person: enroll anyway" }).click();
    await page.waitForURL(/\/patients\/[0-9a-f-]{36}$/);
    expect(page.url()).not.toBe(existingUrl);
    await ctx.close();
  });

  it("refuses the second of two simultaneous edits, keeping what the second person typed", async () => {
    const a = await signedIn(COUNSELOR);
    const b = await signedIn("priya.raman@harborlight.example");
    await a.page.goto(`${baseUrl}/patients?status=active&q=alvarez`);
    await a.page.getByRole("link", { name: "Alvarez, Jasmine" }).click();
    await a.page.waitForURL(/\/patients\/[0-9a-f-]{36}$/);
    await hydrated(a.page);
    const editUrl = `${a.page.url()}/edit`;
    for (const p of [a.page, b.page]) {
      await p.goto(editUrl);
      await hydrated(p);
    }
    await a.page.getByLabel("Phone (optional)", { exact: true }).fill("(718) 555-0101");
    await a.page.getByRole("button", { name: "Save details" }).click();
    await visible(a.page.getByText("Details saved."));

    await b.page.getByLabel("Phone (optional)", { exact: true }).fill("(718) 555-0202");
    await b.page.getByRole("button", { name: "Save details" }).click();
    await visible(b.page.getByText(/Someone else changed this patient's record while you were working/));
    expect(await b.page.getByLabel("Phone (optional)", { exact: true }).inputValue()).toBe("(718) 555-0202");
    await a.page.goto(a.page.url().replace(/\/edit$/, ""));
    await visible(a.page.getByRole("cell", { name: "(718) 555-0101" }));
    await a.ctx.close();
    await b.ctx.close();
  });
});

describe("patients: every problem of an intake at once", () => {
  it("names the missing fields and an admission before birth in one submit, and keeps what was typed", async () => {
    const { ctx, page } = await signedIn(COUNSELOR);
    await page.goto(`${baseUrl}/patients/new`);
    await hydrated(page);
    await page.getByLabel("Legal first name").fill("Imogen");
    await page.getByLabel("Date of birth").fill("1990-05-05");
    await page.getByLabel("Admission date").fill("1989-01-01");
    await page.getByRole("button", { name: "Enroll patient" }).click();
    // Basic field errors and the cross-field one, together: not the dates' order only once the rest is valid.
    await visible(page.getByText("Enter the legal last name."));
    await visible(page.getByText("Choose the sex recorded for the patient."));
    await visible(page.getByText("The admission date is before the date of birth."));
    expect(page.url()).toBe(`${baseUrl}/patients/new`);
    expect(await page.getByLabel("Legal first name").inputValue()).toBe("Imogen");
    await ctx.close();
  });
});

describe("patients: names", () => {
  it("refuses an emoji in a legal name with a message naming the field, keeps what was typed, and enrolls the name in letters", async () => {
    const { ctx, page } = await signedIn(COUNSELOR);
    await page.goto(`${baseUrl}/patients/new`);
    await hydrated(page);
    await fillEnrollForm(page, "Zoë 😀", "Nguyễn-O’Hara", "1993-07-14");
    await page.getByRole("button", { name: "Enroll patient" }).click();
    await visible(page.getByText("Legal first name can hold only letters, spaces, hyphens, apostrophes and periods: remove “😀”."));
    expect(page.url()).toBe(`${baseUrl}/patients/new`);
    expect(await page.getByLabel("Legal first name").inputValue()).toBe("Zoë 😀");
    expect(await page.getByLabel("Legal last name").inputValue()).toBe("Nguyễn-O’Hara");

    await page.getByLabel("Legal first name").fill("Zoë");
    await page.getByRole("button", { name: "Enroll patient" }).click();
    await visible(page.getByText(/Enrolled Zoë Nguyễn-O’Hara as MRN-\d{6}\./));
    await ctx.close();
  });
});

/**
 * The ASAM assessment as a counselor meets it, in Chromium against the production build: on a
 * patient with no assessment yet, an incomplete form is refused with every message and nothing
 * lost; the intake is saved (recommended PHP, placed IOP because of the payer) and shows on the
 * chart; a plan review lower in most dimensions then shows how each one moved. Staff never see
 * the tab, its HTML or its data. Uses a patient the demo has not assessed (a referral).
 */
import type { Kysely } from "kysely";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createDb } from "../../db/database";
import type { Database } from "../../db/schema";
import { launchBrowser } from "../support/browser";
import { signInCookie } from "../support/server";
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

async function rate(page: Page, ratings: (number | null)[], narrative: (d: number) => string) {
  const labels = ["0 No current risk", "1 Mild", "2 Moderate", "3 Severe", "4 Extreme, life-threatening"];
  for (const [i, r] of ratings.entries()) {
    if (r !== null)
      await page
        .getByRole("radiogroup", { name: `Risk rating, dimension ${i + 1}` })
        .getByLabel(labels[r])
        .check();
    await page.getByLabel(`Narrative, dimension ${i + 1}`).fill(narrative(i + 1));
  }
}

describe("ASAM assessment, end to end", () => {
  it("a counselor records an intake, sees it on the chart, records a review and sees each dimension move", async () => {
    const counselorId = (await db.selectFrom("users").select("id").where("email", "=", COUNSELOR).executeTakeFirstOrThrow()).id;
    const patient = await db
      .selectFrom("patients as p")
      .innerJoin("user_sites as us", "us.site_id", "p.site_id")
      .select(["p.id"])
      .where("us.user_id", "=", counselorId)
      .where("p.status", "=", "referred")
      .where((eb) => eb.not(eb.exists(eb.selectFrom("asam_assessments as a").select("a.id").whereRef("a.patient_id", "=", "p.id"))))
      .orderBy("p.mrn")
      .executeTakeFirstOrThrow();
    const tab = `${baseUrl}/patients/${patient.id}/assessments`;

    const page = await (await browser.newContext({ viewport: { width: 1366, height: 900 } })).newPage();
    await signIn(page, baseUrl, COUNSELOR);
    await page.waitForURL(`${baseUrl}/`);
    await page.goto(`${baseUrl}/patients/${patient.id}`);
    await hydrated(page);
    await openChartSection(page, "Assessments");
    expect(page.url()).toBe(tab);
    await visible(page.getByText("No ASAM assessment recorded yet."));
    expect(await page.getByLabel("Kind of assessment").inputValue()).toBe("intake");

    // Incomplete: a rating missing and a placement that differs without a reason.
    await rate(page, [2, 1, 3, null, 3, 3], (d) => `Intake finding for dimension ${d}.`);
    await page.getByLabel("Level the assessor recommends").selectOption("PHP");
    await page.getByLabel("Level actually placed").selectOption("IOP");
    await page.getByRole("button", { name: "Save assessment" }).click();
    await visible(page.getByText("Choose a risk rating from 0 to 4 for dimension 4."));
    await visible(page.getByText("The level placed (IOP) differs from the level recommended (PHP): say why."));
    // Nothing typed is lost.
    expect(await page.getByLabel("Narrative, dimension 6").inputValue()).toBe("Intake finding for dimension 6.");
    expect(await db.selectFrom("asam_assessments").select("id").where("patient_id", "=", patient.id).execute()).toEqual([]);

    await page.getByRole("radiogroup", { name: "Risk rating, dimension 4" }).getByLabel("2 Moderate").check();
    await page.getByLabel("Why they differ (optional)").selectOption("payer");
    await page.getByRole("button", { name: "Save assessment" }).click();
    await page.waitForURL(/\/assessments\?recorded=/);
    await hydrated(page);
    await visible(page.getByRole("heading", { name: /^Latest assessment: Intake/ }));
    const latest = page.locator("section", { hasText: "1. Acute intoxication and/or withdrawal potential" }).first();
    expect(await latest.textContent()).toContain("2 · Moderate");
    expect(await latest.textContent()).toContain("Intake finding for dimension 1.");
    await visible(page.getByText("Payer (insurance authorization)"));
    // The form starts empty again, ready for the next one: a plan review.
    expect(await page.getByLabel("Narrative, dimension 1").inputValue()).toBe("");
    expect(await page.getByLabel("Kind of assessment").inputValue()).toBe("review");

    // The 30-day review: lower risk in four dimensions, higher in one, the same in one.
    const afterIntake = page.url();
    await rate(page, [1, 1, 2, 1, 2, 4], (d) => `Review finding for dimension ${d}.`);
    await page.getByLabel("Level the assessor recommends").selectOption("IOP");
    await page.getByLabel("Level actually placed").selectOption("IOP");
    await page.getByRole("button", { name: "Save assessment" }).click();
    await page.waitForURL((u) => u.href !== afterIntake && u.search.includes("recorded="));
    await hydrated(page);
    await visible(page.getByRole("heading", { name: /^Latest assessment: Plan review/ }));
    await visible(page.getByText(/Since the intake assessment of .*: lower risk in 4, higher in 1, unchanged in 1 of 6 dimensions\./));
    const table = page.getByRole("table", { name: "Dimension ratings by assessment" });
    const row = (name: string) => table.getByRole("row", { name: new RegExp(`^${name}`) });
    expect((await row("1. Acute intoxication").textContent())?.replace(/\s+/g, " ")).toContain("2 1 ↓lower risk");
    expect((await row("2. Biomedical").textContent())?.replace(/\s+/g, " ")).toContain("1 1 →no change");
    expect((await row("6. Recovery/living").textContent())?.replace(/\s+/g, " ")).toContain("3 4 ↑higher risk");

    // Both saves audited.
    const audit = await db
      .selectFrom("audit_events")
      .select("action")
      .where("patient_id", "=", patient.id)
      .where("action", "=", "assessment.recorded")
      .execute();
    expect(audit).toHaveLength(2);

    // Staff see no Assessments tab, and neither the page nor its data.
    const staff = await signInCookie(baseUrl, STAFF);
    const chart = await (await fetch(`${baseUrl}/patients/${patient.id}`, { headers: { Cookie: staff } })).text();
    expect(chart).not.toContain("/assessments");
    for (const path of [`/patients/${patient.id}/assessments`, `/patients/${patient.id}/assessments.data`]) {
      const res = await fetch(`${baseUrl}${path}`, { headers: { Cookie: staff }, redirect: "manual" });
      const body = await res.text();
      expect(res.status, path).toBe(403);
      expect(body).not.toContain("Review finding");
      expect(body).not.toContain("Intake finding");
    }
  });
});

/**
 * A counselor records a Part 2 consent, is refused a disclosure for a purpose it does not cover,
 * makes one it does cover (the document opens with the §2.32 notice), finds it in the accounting
 * of disclosures, then revokes the consent and is refused the next disclosure.
 */
import type { Kysely } from "kysely";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createDb } from "../../db/database";
import type { Database } from "../../db/schema";
import { addDays, shortDate, todayIn } from "~/kernel/time";
import { launchBrowser } from "../support/browser";
import { COUNSELOR, hydrated, signIn, visible } from "./helpers";
import { openChartSection } from "./chart-sections";
import { enrollPatient } from "~/features/patients/patients.server";
import { meta } from "../support/demo";
import { intakeInput } from "../integration/patients-support";

// No date here is the test process's own "today": a run may cross midnight in the clinic's time
// zone (America/New_York) between two steps. Each date is read from what the server wrote —
// the form's pre-filled signature date, the disclosure and the consent rows by their ids — and
// each is checked to be the site's date at some moment while the step ran (`siteDayDuring`).
const TZ = "America/New_York";
const baseUrl = inject("baseUrl");
const JUDGE = "Judge Ada Whitcomb, Kings County Drug Court";
let browser: Browser;
let db: Kysely<Database>;

let patientId = "";

beforeAll(async () => {
  browser = await launchBrowser();
  db = createDb(inject("databaseUrl"));
  const counselor = await db.selectFrom("users").select(["id", "name"]).where("email", "=", COUNSELOR).executeTakeFirstOrThrow();
  const siteIds = (await db.selectFrom("user_sites").select("site_id").where("user_id", "=", counselor.id).execute()).map((s) => s.site_id);
  const enrolled = await enrollPatient(
    db,
    counselor,
    intakeInput(siteIds[0], counselor.id, { legalFirstName: "Consuela", legalLastName: "Partwell", dateOfBirth: "1981-04-22", confirmDuplicate: "yes" }),
    siteIds,
    meta,
  );
  if (!enrolled.ok) throw new Error(JSON.stringify(enrolled));
  patientId = enrolled.id;
});
afterAll(async () => {
  await browser?.close();
  await db?.destroy();
});

/** Runs a step and gives the site's dates at its start and its end (one date, or two if midnight fell inside). */
async function siteDayDuring(step: () => Promise<unknown>): Promise<string[]> {
  const before = todayIn(TZ);
  await step();
  return [...new Set([before, todayIn(TZ)])];
}

async function chooseTab(page: Page, name: string) {
  await openChartSection(page, name);
}

async function disclose(page: Page, purpose: string) {
  await page.getByLabel("Recipient", { exact: true }).fill(JUDGE);
  await page.getByLabel("Purpose", { exact: true }).selectOption(purpose);
  await page.getByRole("button", { name: "Disclose records" }).click();
}

describe("Part 2 consents and disclosures", () => {
  it("records a consent, refuses an uncovered purpose, discloses a covered one with the notice, accounts for it, and refuses after revocation", async () => {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    await signIn(page, baseUrl, COUNSELOR);
    await page.waitForURL(`${baseUrl}/`);
    // The test's own patient: the first on a shared list can be one another test has changed.
    await page.goto(`${baseUrl}/patients/${patientId}`);
    await hydrated(page);
    const chartUrl = page.url();

    // Record the consent; an expiry before the signature is refused first, and what was typed stays.
    // The signature date the server pre-fills (the site's today when the page was drawn) is the one submitted.
    const drawnOn = await siteDayDuring(() => chooseTab(page, "Consents"));
    const signed = await page.getByLabel("Signed on").inputValue();
    expect(drawnOn).toContain(signed);
    await page.getByLabel("Recipient", { exact: true }).fill(JUDGE);
    await page.getByRole("checkbox", { name: "Court, probation or parole" }).check();
    await page.getByRole("checkbox", { name: "Attendance" }).check();
    await page.getByRole("checkbox", { name: "Drug-test results" }).check();
    await page.getByLabel("Expires on (optional)").fill(addDays(signed, -1));
    await page.getByRole("checkbox", { name: "The patient was told they may revoke this consent" }).check();
    await page.getByRole("button", { name: "Record consent" }).click();
    await visible(page.getByText(`The expiry date must be after the signature date (${shortDate(signed)}).`));
    expect(await page.getByLabel("Recipient", { exact: true }).inputValue()).toBe(JUDGE);
    await page.getByLabel("Expires on (optional)").fill(addDays(signed, 180));
    await page.getByRole("button", { name: "Record consent" }).click();
    const card = page.getByRole("region", { name: JUDGE });
    await visible(card);
    await visible(card.getByText("Active", { exact: true }));

    // A purpose the consent does not cover is refused with the reason.
    await chooseTab(page, "Disclosures");
    await disclose(page, "employer");
    await visible(
      page.getByText(
        `No active consent lets you disclose to ${JUDGE} for employer or employee assistance program: the consent signed ${shortDate(signed)} covers court, probation or parole only.`,
      ),
    );
    expect(await page.getByRole("table", { name: "Disclosures" }).getByRole("row").filter({ hasText: JUDGE }).count()).toBe(0);

    // The covered purpose, with only the covered information, produces the document.
    await page.getByRole("checkbox", { name: "Level of care and dates of treatment" }).uncheck();
    const disclosedDuring = await siteDayDuring(async () => {
      await disclose(page, "court_probation");
      await page.waitForURL(/\/disclosures\/[0-9a-f-]{36}$/);
    });
    await hydrated(page);
    const documentUrl = page.url();
    const disclosure = await db
      .selectFrom("disclosures")
      .select(["disclosed_on", "consent_id"])
      .where("id", "=", documentUrl.split("/").pop()!)
      .executeTakeFirstOrThrow();
    expect(disclosedDuring).toContain(disclosure.disclosed_on);
    const notice = page.getByRole("region", { name: "Notice to accompany disclosure (42 CFR § 2.32)" });
    await visible(notice.getByText(/^This record which has been disclosed to you is protected by Federal confidentiality rules \(42 CFR part 2\)\./));
    await visible(page.getByRole("heading", { name: "Patient summary" }));
    await visible(page.getByRole("heading", { name: "Attendance" }));
    await visible(page.getByRole("heading", { name: "Drug-test results" }));
    expect(await page.getByRole("heading", { name: "Diagnoses" }).count()).toBe(0);
    // The notice comes before everything the document discloses.
    const [noticeTop, summaryTop] = await Promise.all([notice.boundingBox(), page.getByRole("heading", { name: "Patient summary" }).boundingBox()]);
    expect(noticeTop!.y).toBeLessThan(summaryTop!.y);

    // The chart lists it, and the accounting of disclosures shows it.
    await page.getByRole("link", { name: "Back to the chart's disclosures" }).click();
    await page.waitForURL(`${chartUrl}/disclosures`);
    await hydrated(page);
    const row = page.getByRole("table", { name: "Disclosures" }).getByRole("row").filter({ hasText: JUDGE });
    await visible(row);
    expect(await row.getByRole("link").getAttribute("href")).toBe(new URL(documentUrl).pathname);
    await page.getByRole("link", { name: /Print the accounting of disclosures/ }).click();
    await page.waitForURL(`${chartUrl}/accounting-of-disclosures`);
    await hydrated(page);
    await visible(page.getByRole("heading", { name: "Accounting of disclosures" }));
    const entry = page.getByRole("table", { name: "Disclosures" }).getByRole("row").filter({ hasText: JUDGE });
    await visible(entry);
    expect(await entry.innerText()).toMatch(
      new RegExp(
        `${shortDate(disclosure.disclosed_on)}[\\s\\S]*Court, probation or parole[\\s\\S]*Attendance, Drug-test results[\\s\\S]*Signed ${shortDate(signed)}[\\s\\S]*Marcus Bell`,
      ),
    );

    // Revoke: the consent stays listed, inactive, and the next disclosure is refused.
    await page.goto(`${chartUrl}/consents`);
    await hydrated(page);
    await card.getByLabel("How the patient revoked it").fill("Patient handed in a signed revocation at the front desk.");
    const revokedDuring = await siteDayDuring(async () => {
      await card.getByRole("button", { name: "Revoke consent" }).click();
      await visible(card.getByText(/^Revoked [A-Z][a-z]{2} \d{1,2}, \d{4}$/));
    });
    const consent = await db.selectFrom("consents").select(["signed_on", "revoked_on"]).where("id", "=", disclosure.consent_id).executeTakeFirstOrThrow();
    expect(consent.signed_on).toBe(signed);
    expect(revokedDuring).toContain(consent.revoked_on);
    await visible(card.getByText(`Revoked ${shortDate(consent.revoked_on!)}`, { exact: true }));
    await visible(card.getByText(/Patient handed in a signed revocation/));
    await chooseTab(page, "Disclosures");
    await page.getByRole("checkbox", { name: "Level of care and dates of treatment" }).uncheck();
    await disclose(page, "court_probation");
    await visible(
      page.getByText(
        `No active consent lets you disclose to ${JUDGE}: the consent signed ${shortDate(signed)} is no longer in force (it was revoked on ${shortDate(consent.revoked_on!)}).`,
      ),
    );
    expect(page.url()).toBe(`${chartUrl}/disclosures`);
    await ctx.close();
  });
});

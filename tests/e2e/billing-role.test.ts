/**
 * The billing role as people meet it, in Chromium: an admin creates a billing account (the role's
 * label and description are on the form), and the demo's billing person finds only what billing
 * may open — Home with who attended this week, Patients, a chart of Overview (what a claim needs,
 * with the diagnosis codes for claims), Schedule and Attendance, and Reports with billing's own.
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { launchBrowser } from "../support/browser";
import { ADMIN, BILLING, hydrated, signIn, visible } from "./helpers";

const baseUrl = inject("baseUrl");
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(() => browser?.close());

describe("the billing role", () => {
  it("an admin creates a billing account, with the role's label and description on the form", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await signIn(page, baseUrl, ADMIN);
    await page.waitForURL(`${baseUrl}/`);
    await page.goto(`${baseUrl}/admin/users/new`);
    await hydrated(page);
    const role = page.getByLabel("Role", { exact: true });
    expect(await role.locator("option", { hasText: "Billing" }).count()).toBe(1);
    await visible(page.getByText(/Billing: Coverage, authorizations, charges and claims/));
    await page.getByLabel("Full name").fill("Jamie Chen");
    await page.getByLabel("Email").fill("jamie.chen.billing@harborlight.example");
    await role.selectOption("billing");
    await page.getByLabel("Temporary password").fill("maple-lantern-orbit-52");
    await page.getByRole("button", { name: "Create account" }).click();
    await page.waitForURL(/\/admin\/users\/[0-9a-f-]{36}$/);
    await visible(page.getByRole("heading", { name: "Jamie Chen" }));
    await visible(page.getByText("Billing", { exact: true }).first());
    await context.close();
  });

  it("billing staff see Home, Patients and their reports, who attended this week, and a chart with claim details and diagnosis codes only", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await signIn(page, baseUrl, BILLING);
    await page.waitForURL(`${baseUrl}/`);
    await hydrated(page);
    const nav = page.getByRole("navigation", { name: "Main" });
    await visible(nav.getByRole("link", { name: "Home" }));
    const links = await nav.getByRole("link").allInnerTexts();
    expect(links.map((l) => l.trim())).toEqual(["Home", "Patients", "Reports", "Charges", "Claims", "Authorizations"]);

    const week = page.getByRole("table", { name: "Patients who attended this week" });
    // No card that links to a page billing cannot open.
    expect(await page.getByRole("link", { name: "Open today's list" }).count()).toBe(0);
    if (await page.getByText(/: 0 patients attended/).count()) {
      // Early on a Monday, before the week's first roll call, no one has attended yet: the card
      // says so and has no table; a chart's attendance is then reached from the patient list.
      expect(await week.count()).toBe(0);
      await nav.getByRole("link", { name: "Patients" }).click();
      await page.waitForURL(`${baseUrl}/patients`);
      await hydrated(page);
      await page.getByRole("main").getByRole("table").getByRole("link").first().click();
      await page.waitForURL(/\/patients\/[0-9a-f-]{36}$/);
      await hydrated(page);
      await page.getByRole("navigation", { name: "Chart sections" }).getByRole("link", { name: "Attendance", exact: true }).click();
    } else {
      await visible(week);
      expect(await week.getByRole("columnheader", { name: "Days attended" }).count()).toBe(1);
      await week.getByRole("link").first().click();
    }
    await page.waitForURL(/\/patients\/[0-9a-f-]{36}\/attendance$/);
    await hydrated(page);
    await visible(page.getByRole("heading", { name: "Recent sessions" }));
    // Session titles are text for billing: the schedule is not theirs to open.
    expect(await page.locator('a[href^="/schedule/"]').count()).toBe(0);
    const tabs = page.getByRole("navigation", { name: "Chart sections" });
    expect((await tabs.getByRole("link").allInnerTexts()).map((t) => t.trim())).toEqual(["Overview", "Schedule", "Attendance", "Coverage"]);

    await tabs.getByRole("link", { name: "Overview", exact: true }).click();
    await visible(page.getByRole("heading", { name: "Diagnosis codes for claims" }));
    await visible(page.getByRole("heading", { name: "Patient for claims" }));
    await visible(page.getByRole("columnheader", { name: "ICD-10-CM code" }));
    expect(await page.getByText("Date of birth").count()).toBe(1);

    // Billing's reports: Authorization use, with its definition and a CSV.
    await nav.getByRole("link", { name: "Reports" }).click();
    await page.waitForURL(`${baseUrl}/reports`);
    await hydrated(page);
    expect(await page.getByRole("link", { name: "Caseload sizes by counselor" }).count()).toBe(0);
    await page.getByRole("link", { name: "Authorization use" }).click();
    await page.waitForURL(/\/reports\/authorization-use/);
    await hydrated(page);
    await visible(page.getByRole("heading", { name: "How this is counted" }));
    await visible(page.getByRole("link", { name: "Download CSV" }));
    await context.close();
  });
});

/**
 * The billing role as people meet it, in Chromium: an admin creates a billing account (the role's
 * label and description are on the form), and the demo's billing person finds only what billing
 * may open — Home with who attended this week, Patients, a chart of Overview (what a claim needs,
 * with the diagnosis codes for claims), Schedule and Attendance, and Reports with billing's own.
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { launchBrowser } from "../support/browser";
import { ADMIN, BILLING, COUNSELOR, downloadText, hydrated, signIn, visible } from "./helpers";

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

  // Issue 21, item 7: billing's revenue reports, each with figures from the demo, one as CSV; a counselor is refused.
  const REVENUE_REPORTS = [
    ["Charges by payer and week", "charges-by-payer-week"],
    ["Held charges by reason", "held-charges-by-reason"],
    ["Denials by reason", "denials-by-reason"],
    ["Days from service to export", "days-service-to-export"],
  ] as const;

  it("billing staff open the four revenue reports and download denials by reason as CSV; a counselor cannot open them", async () => {
    const context = await browser.newContext({ acceptDownloads: true });
    const page = await context.newPage();
    await signIn(page, baseUrl, BILLING);
    await page.waitForURL(`${baseUrl}/`);
    for (const [title, id] of REVENUE_REPORTS) {
      await page.goto(`${baseUrl}/reports`);
      await hydrated(page);
      await page.getByRole("link", { name: title, exact: true }).click();
      await page.waitForURL(new RegExp(`/reports/${id}$`));
      await hydrated(page);
      const table = page.getByRole("table", { name: title });
      await visible(table);
      // A header row and at least one row of figures from the demo's charges, exports and 835.
      expect(await table.getByRole("row").count(), title).toBeGreaterThan(1);
      await visible(page.getByRole("heading", { name: "How this is counted" }));
    }
    // The demo's 835 denied one day for no precertification (CO-197).
    await visible(page.getByRole("table", { name: "Days from service to export" }).getByRole("row", { name: /All payers/ }));
    await page.goto(`${baseUrl}/reports/denials-by-reason`);
    await hydrated(page);
    await visible(page.getByRole("table", { name: "Denials by reason" }).getByRole("row", { name: /CO-197.*Precertification.*\$\d/ }));
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Download CSV" }).click()]);
    expect(download.suggestedFilename()).toMatch(/^denials-by-reason-\d{4}-\d{2}-\d{2}-to-\d{4}-\d{2}-\d{2}\.csv$/);
    const lines = (await downloadText(download)).split("\r\n");
    expect(lines[0]).toMatch(/42 CFR part 2/i);
    expect(lines).toContain("Payer,Code,Reason,Denied lines,Amount denied");
    expect(
      lines.some((l) => /^[^,]+,CO-197,Precertification\/authorization\/notification\/pre-treatment absent \(contractual obligation\),1,\d+\.\d{2}$/.test(l)),
    ).toBe(true);
    await context.close();

    const counselor = await browser.newContext();
    const other = await counselor.newPage();
    await signIn(other, baseUrl, COUNSELOR);
    await other.waitForURL(`${baseUrl}/`);
    for (const [, id] of REVENUE_REPORTS) {
      expect((await other.goto(`${baseUrl}/reports/${id}`))?.status(), id).toBe(403);
      expect((await other.request.get(`${baseUrl}/reports/${id}.csv`)).status(), `${id}.csv`).toBe(403);
    }
    await counselor.close();
  });
});

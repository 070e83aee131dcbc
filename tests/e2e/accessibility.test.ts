import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { launchBrowser } from "../support/browser";
import { ADMIN, COUNSELOR, hydrated, seriousViolations, signIn, STAFF } from "./helpers";

const baseUrl = inject("baseUrl");
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(() => browser?.close());

const ADMIN_PAGES = [
  "/",
  "/account",
  "/account/password",
  "/admin/users",
  "/admin/users/new",
  "/admin/audit",
  "/admin/audit?from=2026-13-01",
  "/patients",
  "/patients?status=all&flag=dual",
  "/patients/new",
  "/admin/program",
  "/admin/program/groups/new",
  "/schedule",
  "/schedule/today",
  "/schedule/mine",
  "/schedule/book",
  "/reports",
  "/reports/caseload-sizes",
  "/reports/drug-tests",
  "/drug-tests",
  "/drug-tests/new",
  "/drug-tests/panels",
  "/account/two-factor",
  "/admin/security",
  "/admin/emergency-access",
];
const CHART_TABS = [
  "",
  "/schedule",
  "/attendance",
  "/drug-tests",
  "/edit",
  "/diagnoses",
  "/mat",
  "/care",
  "/discharge",
  "/consents",
  "/disclosures",
  "/accounting-of-disclosures",
  "/amendments",
  "/history",
];

describe.each(["light", "dark"] as const)("accessibility (%s mode)", (colorScheme) => {
  it("the sign-in page, with and without an error, has no serious or critical violations", async () => {
    const context = await browser.newContext({ colorScheme });
    const page = await context.newPage();
    await page.goto(`${baseUrl}/login?reason=timeout`);
    await hydrated(page);
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByLabel("Email").fill("someone@harborlight.example");
    await page.getByLabel("Password").fill("wrong-password-here");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("alert").waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await context.close();
  });

  it("the account page showing a new calendar address has no serious or critical violations", async () => {
    const context = await browser.newContext({ colorScheme });
    const page = await context.newPage();
    await signIn(page, baseUrl, COUNSELOR);
    await page.waitForURL(`${baseUrl}/`);
    await page.goto(`${baseUrl}/account`);
    await hydrated(page);
    await page.getByRole("button", { name: /(Create|Replace) calendar address/ }).click();
    await page.getByLabel("Calendar address", { exact: true }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole("button", { name: "Turn off calendar address" }).click();
    await page.getByText(/Your calendar address is turned off/).waitFor();
    await context.close();
  });

  it("every admin page has no serious or critical violations", async () => {
    const context = await browser.newContext({ colorScheme });
    const page = await context.newPage();
    await signIn(page, baseUrl, ADMIN);
    await page.waitForURL(`${baseUrl}/`);
    const failures: Record<string, string[]> = {};
    const pages = [...ADMIN_PAGES];
    await page.goto(`${baseUrl}/admin/users`);
    const firstUser = await page.getByRole("link", { name: "Marcus Bell" }).getAttribute("href");
    pages.push(firstUser!);
    await page.goto(`${baseUrl}/schedule`);
    const sessionPage = (await page.locator('a[href^="/schedule/sessions/"]').first().getAttribute("href"))!;
    pages.push(sessionPage, `${sessionPage}/roll`, `${sessionPage}/sign-in-sheet`);
    await page.goto(`${baseUrl}/drug-tests`);
    const drawPage = (await page.locator('a[href^="/drug-tests/draws/"]').last().getAttribute("href"))!;
    await page.goto(`${baseUrl}${drawPage}`);
    pages.push(drawPage, `${drawPage}?rerun=1`, (await page.locator('table a[href^="/drug-tests/"]').first().getAttribute("href"))!);
    await page.goto(`${baseUrl}/admin/program`);
    pages.push((await page.locator('a[href^="/admin/program/groups/"]:not([href$="/new"])').first().getAttribute("href"))!);
    for (const q of ["status=active&flag=mat", "status=discharged"]) {
      await page.goto(`${baseUrl}/patients?${q}`);
      const chart = await page.getByRole("table", { name: "Patients" }).getByRole("link").first().getAttribute("href");
      pages.push(...CHART_TABS.map((t) => `${chart}${t}`));
    }
    // A disclosure's own page: the first chart on the program list that has one (most demo patients
    // do). Its absence fails the scan rather than quietly leaving the page out.
    await page.goto(`${baseUrl}/patients?status=all`);
    const charts = await page
      .getByRole("table", { name: "Patients" })
      .locator('a[href^="/patients/"]')
      .evaluateAll((links) => links.map((a) => a.getAttribute("href")!));
    let disclosurePage: string | null = null;
    for (const chart of charts.slice(0, 15)) {
      await page.goto(`${baseUrl}${chart}/disclosures`);
      await hydrated(page);
      disclosurePage = await page
        .locator('a[href^="/disclosures/"]')
        .first()
        .getAttribute("href", { timeout: 1_000 })
        .catch(() => null);
      if (disclosurePage) break;
    }
    expect(disclosurePage, "a disclosure page to scan").toMatch(/^\/disclosures\/[0-9a-f-]{36}$/);
    pages.push(disclosurePage!);
    for (const path of pages) {
      await page.goto(`${baseUrl}${path}`);
      await hydrated(page);
      const v = await seriousViolations(page);
      if (v.length) failures[path] = v;
    }
    expect(failures).toEqual({});
    await context.close();
  }, 360_000);

  it("a patient chart as staff see it has no serious or critical violations", async () => {
    const context = await browser.newContext({ colorScheme });
    const page = await context.newPage();
    await signIn(page, baseUrl, STAFF);
    await page.waitForURL(`${baseUrl}/`);
    await page.goto(`${baseUrl}/patients`);
    await page.getByRole("table", { name: "Patients" }).getByRole("link").first().click();
    await page.waitForURL(/\/patients\/[0-9a-f-]{36}$/);
    await hydrated(page);
    expect(await seriousViolations(page)).toEqual([]);
    await context.close();
  });

  it("the emergency access form, as a counselor named for it, has no serious or critical violations", async () => {
    const context = await browser.newContext({ colorScheme });
    const page = await context.newPage();
    await signIn(page, baseUrl, "elena.ortiz@harborlight.example");
    await page.waitForURL(`${baseUrl}/`);
    await page.goto(`${baseUrl}/patients/emergency-access`);
    await hydrated(page);
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole("button", { name: "Open the chart under emergency access" }).click();
    await page.getByText("Enter the patient's MRN.").first().waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await context.close();
  });

  it("the 403 page has no serious or critical violations", async () => {
    const context = await browser.newContext({ colorScheme });
    const page = await context.newPage();
    await signIn(page, baseUrl, STAFF);
    await page.waitForURL(`${baseUrl}/`);
    await page.goto(`${baseUrl}/admin/audit`);
    await hydrated(page);
    expect(await seriousViolations(page)).toEqual([]);
    await context.close();
  });
});

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

/**
 * every-page.test.ts scans each page every role can open, in both schemes. This file scans what
 * that sweep does not reach: pages in a particular state (a refused filter, a filtered list, a
 * draw being re-run, a discharged patient's chart), forms after a refusal, and the 403 page.
 */
const ADMIN_STATES = ["/admin/audit?from=2026-13-01", "/patients?status=all&flag=dual"];
const CHART_TABS = ["", "/attendance", "/diagnoses", "/care", "/discharge", "/consents", "/history"];

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

  it("admin pages in states the every-page sweep does not open have no serious or critical violations", async () => {
    const context = await browser.newContext({ colorScheme });
    const page = await context.newPage();
    await signIn(page, baseUrl, ADMIN);
    await page.waitForURL(`${baseUrl}/`);
    const failures: Record<string, string[]> = {};
    const pages = [...ADMIN_STATES];
    await page.goto(`${baseUrl}/drug-tests`);
    const drawPage = (await page.locator('a[href^="/drug-tests/draws/"]').last().getAttribute("href"))!;
    pages.push(`${drawPage}?rerun=1`);
    // A discharged patient's chart: its discharge, level-of-care and consent tabs hold what an active one's do not.
    await page.goto(`${baseUrl}/patients?status=discharged`);
    const chart = await page.getByRole("table", { name: "Patients" }).getByRole("link").first().getAttribute("href");
    pages.push(...CHART_TABS.map((t) => `${chart}${t}`));
    for (const path of pages) {
      await page.goto(`${baseUrl}${path}`);
      await hydrated(page);
      const v = await seriousViolations(page);
      if (v.length) failures[path] = v;
    }
    expect(failures).toEqual({});
    await context.close();
  }, 180_000);

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

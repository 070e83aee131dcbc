/**
 * The chart's grouped sections, in Chromium: at a laptop's 1366 px and a tablet's 820 px the group
 * row and the open group's sections each sit on one line inside the window (nothing wraps, nothing
 * runs off screen), the page shown and its group are marked for screen readers, and the keyboard
 * reaches and follows the links.
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { launchBrowser } from "../support/browser";
import { signInCookie } from "../support/server";
import { chartNav, openChartSection } from "./chart-sections";
import { COUNSELOR, hydrated, visible } from "./helpers";

const baseUrl = inject("baseUrl");
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(() => browser?.close());

describe("the chart's grouped sections", () => {
  it.each([1366, 820])("fit on one line each at %i px, with the current page and group marked", async (width) => {
    const [name, value] = (await signInCookie(baseUrl, COUNSELOR)).split("=");
    const ctx = await browser.newContext({ viewport: { width, height: 900 } });
    await ctx.addCookies([{ name, value, url: baseUrl }]);
    const page = await ctx.newPage();
    await page.goto(`${baseUrl}/patients`);
    await hydrated(page);
    await page.getByRole("table", { name: "Patients" }).getByRole("link").first().click();
    await page.waitForURL(/\/patients\/[^/]+$/);
    await hydrated(page);
    const nav = chartNav(page);
    await visible(nav.getByRole("link", { name: "Privacy & records" }));
    expect(await nav.getByRole("link").allTextContents()).toEqual(["Overview", "Program", "Clinical record", "Privacy & records"]);
    expect(await nav.getByRole("link", { name: "Overview" }).getAttribute("aria-current")).toBe("page");

    for (const section of ["Level of care", "Chart history", "Drug tests"]) {
      await openChartSection(page, section);
      // Every row of links: one line, inside its own box and inside the window.
      const rows = await nav.locator("ul").evaluateAll((uls) =>
        uls.map((ul) => {
          const links = [...ul.querySelectorAll("a")].map((a) => a.getBoundingClientRect());
          return {
            tops: [...new Set(links.map((r) => Math.round(r.top)))].length,
            overflow: ul.scrollWidth - ul.clientWidth,
            right: Math.max(...links.map((r) => r.right)),
          };
        }),
      );
      expect(rows, `${section} at ${width}px`).toHaveLength(2);
      for (const row of rows) {
        expect(row.tops, `${section} at ${width}px`).toBe(1);
        expect(row.overflow, `${section} at ${width}px`).toBeLessThanOrEqual(0);
        expect(row.right, `${section} at ${width}px`).toBeLessThanOrEqual(width);
      }
    }
    expect(await nav.locator('a[aria-current="true"]').allTextContents()).toEqual(["Program"]);
    expect(await nav.locator('a[aria-current="page"]').allTextContents()).toEqual(["Drug tests"]);
    expect(await nav.getByRole("list", { name: "Program sections" }).getByRole("link").allTextContents()).toEqual([
      "Schedule",
      "Attendance",
      "Drug tests",
      "Coverage",
    ]);

    // The keyboard: focus the group link and follow it with Enter.
    const clinical = nav.getByRole("link", { name: "Clinical record", exact: true });
    await clinical.focus();
    await page.keyboard.press("Enter");
    await page.waitForURL(/\/diagnoses$/);
    await visible(nav.locator('a[aria-current="page"]', { hasText: "Diagnoses" }));
    await ctx.close();
  });
});

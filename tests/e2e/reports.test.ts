/**
 * Reports as an admin and a counselor use them: live figures with their definition, a CSV that
 * opens in a spreadsheet with the Part 2 notice on top, and a counselor kept to their own caseload.
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { launchBrowser } from "../support/browser";
import { addDays, todayIn } from "~/kernel/time";
import { DEMO_SITE } from "../../seeds/demo-people";
import { ADMIN, COUNSELOR, downloadText, hydrated, signIn, visible } from "./helpers";

const baseUrl = inject("baseUrl");
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(() => browser?.close());

describe("reports", () => {
  it("an admin opens a report, narrows it, and downloads it as CSV with the Part 2 notice first", async () => {
    const ctx = await browser.newContext({ acceptDownloads: true });
    const page = await ctx.newPage();
    await signIn(page, baseUrl, ADMIN);
    await page.waitForURL(`${baseUrl}/`);
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Reports" }).click();
    await page.waitForURL(`${baseUrl}/reports`);
    await hydrated(page);
    await page.getByRole("link", { name: "Caseload sizes by counselor" }).click();
    await page.waitForURL(/\/reports\/caseload-sizes/);
    await hydrated(page);
    const table = page.getByRole("table", { name: "Caseload sizes by counselor" });
    await visible(table.getByRole("row", { name: /Marcus Bell/ }));
    await visible(page.getByRole("heading", { name: "How this is counted" }));

    // A range that ends before it starts is said, not silently used.
    await page.getByLabel("From", { exact: true }).fill("2026-11-20");
    await page.getByLabel("To", { exact: true }).fill("2026-11-01");
    await page.getByRole("button", { name: "Show" }).click();
    await visible(page.getByText("The last day is before the first day."));
    // The message under "To" does not push the filter row out of line: every box and button starts at one height.
    const tops = await Promise.all(
      [
        page.getByLabel("From", { exact: true }),
        page.getByLabel("To", { exact: true }),
        page.getByLabel("Track"),
        page.getByRole("button", { name: "Show" }),
      ].map(async (l) => Math.round((await l.boundingBox())!.y)),
    );
    expect(new Set(tops).size).toBe(1);

    await page.getByLabel("To", { exact: true }).fill("2026-11-26");
    await page.getByRole("button", { name: "Show" }).click();
    await page.waitForURL(/to=2026-11-26/);
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Download CSV" }).click()]);
    expect(download.suggestedFilename()).toBe("caseload-sizes-2026-11-20-to-2026-11-26.csv");
    const csv = await downloadText(download);
    const lines = csv.split("\r\n");
    expect(lines[0]).toMatch(/42 CFR part 2/i);
    expect(csv).toContain("Counselor,Patients on caseload");
    expect(csv).toMatch(/Marcus Bell,\d+/);
    await ctx.close();
  });

  it("opens Retention on the last year, so 60- and 90-day retention show figures, not dashes", async () => {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    await signIn(page, baseUrl, ADMIN);
    await page.waitForURL(`${baseUrl}/`);
    await page.goto(`${baseUrl}/reports/retention`);
    await hydrated(page);
    const today = todayIn(DEMO_SITE.timeZone);
    expect(await page.getByLabel("From", { exact: true }).inputValue()).toBe(addDays(today, -364));
    expect(await page.getByLabel("To", { exact: true }).inputValue()).toBe(today);
    const table = page.getByRole("table", { name: "Retention at 30, 60 and 90 days" });
    await visible(table);
    // The cells of the 60- and 90-day columns, read by their headers.
    const column = (header: string) =>
      table.evaluate((t, h) => {
        const index = [...t.querySelectorAll("thead th")].findIndex((th) => th.textContent?.trim() === h);
        return [...t.querySelectorAll("tbody tr")].map((tr) => tr.querySelectorAll("td")[index]?.textContent?.trim() ?? "");
      }, header);
    for (const header of ["Retained at 60 days", "Retained at 90 days"]) {
      const cells = await column(header);
      expect(cells.filter((c) => /\d%$/.test(c)).length, header).toBeGreaterThanOrEqual(3);
    }
    // The caseload report keeps its eight weeks.
    await page.goto(`${baseUrl}/reports/caseload-sizes`);
    await hydrated(page);
    expect(await page.getByLabel("From", { exact: true }).inputValue()).toBe(addDays(today, -55));
    await ctx.close();
  });

  it("keeps a counselor to their own caseload", async () => {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    await signIn(page, baseUrl, COUNSELOR);
    await page.waitForURL(`${baseUrl}/`);
    await page.goto(`${baseUrl}/reports/caseload-sizes`);
    await hydrated(page);
    const table = page.getByRole("table", { name: "Caseload sizes by counselor" });
    await visible(table.getByRole("row", { name: /Marcus Bell/ }));
    expect(await table.getByRole("row", { name: /Priya Raman/ }).count()).toBe(0);
    expect(await page.getByRole("combobox", { name: "Counselor" }).count()).toBe(0);
    // Asking for someone else's caseload by URL is refused.
    const res = await page.goto(`${baseUrl}/reports/caseload-sizes?counselor=01900000-0000-7000-8000-000000000000`);
    expect(res?.status()).toBe(403);
    await visible(page.getByText("You can see reports for your own caseload only."));
    await ctx.close();
  });
});

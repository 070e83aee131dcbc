/**
 * At tablet width (820 px, an iPad Air held upright) a counselor can work without a laptop: the
 * navigation folds behind a button that opens it, the caseload fits the screen with every column
 * in view, no badge cuts its text short, and the header still says who is signed in.
 */
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { launchBrowser } from "../support/browser";
import { signInCookie } from "../support/server";
import { COUNSELOR, hydrated, visible } from "./helpers";

const baseUrl = inject("baseUrl");
let browser: Browser;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  browser = await launchBrowser();
  context = await browser.newContext({ viewport: { width: 820, height: 1180 } });
  const [name, value] = (await signInCookie(baseUrl, COUNSELOR)).split("=");
  await context.addCookies([{ name, value, url: baseUrl }]);
  page = await context.newPage();
});
afterAll(() => browser?.close());

/** Badges (Mantine's and the flag badges) whose text is cut: wider than the box that shows it. */
const clippedBadges = (p: Page) =>
  p.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>(".mantine-Badge-label, .mantine-Badge-root, [class*='badge']")]
      .filter((el) => el.offsetParent !== null && el.scrollWidth > el.clientWidth + 1)
      .map((el) => `${el.textContent} (${el.scrollWidth} > ${el.clientWidth})`),
  );

describe.each(["light", "dark"] as const)("at 820 px wide (%s)", (scheme) => {
  beforeAll(() => context.addCookies([{ name: "iop_color_scheme", value: scheme, url: baseUrl }]));

  it("folds the navigation behind a button that opens and closes it", async () => {
    await page.goto(`${baseUrl}/`);
    await hydrated(page);
    const nav = page.getByRole("navigation", { name: "Main" });
    // Folded: not on screen and not reachable (hidden, so no link in it is found by role).
    expect(await nav.getByRole("link", { name: "Patients" }).isVisible()).toBe(false);
    const open = page.getByRole("button", { name: "Open navigation" });
    expect(await open.getAttribute("aria-expanded")).toBe("false");
    await open.click();
    const link = await visible(nav.getByRole("link", { name: "Patients" }));
    // The navigation slides in: judge where it comes to rest.
    await expect.poll(async () => (await link.boundingBox())?.x, { timeout: 5_000 }).toBeGreaterThanOrEqual(0);
    const box = (await link.boundingBox())!;
    expect(box.x + box.width).toBeLessThanOrEqual(820);
    expect(await page.getByRole("button", { name: "Close navigation" }).getAttribute("aria-expanded")).toBe("true");
    // Choosing a section goes there and folds the navigation again.
    await link.click();
    await page.waitForURL(`${baseUrl}/patients`);
    await visible(page.getByRole("button", { name: "Open navigation" }));
    await nav.getByRole("link", { name: "Patients" }).waitFor({ state: "hidden" });
  });

  it("keeps the signed-in person's name in the header", async () => {
    await page.goto(`${baseUrl}/`);
    await hydrated(page);
    const name = page.getByRole("banner").getByText("Marcus Bell", { exact: true });
    await visible(name);
    const box = (await name.boundingBox())!;
    expect(box.x + box.width).toBeLessThanOrEqual(820);
  });

  it("shows the whole caseload without a sideways scroll, Days, Counselor and Flags in view", async () => {
    await page.goto(`${baseUrl}/patients?counselor=all`);
    await hydrated(page);
    const table = page.getByRole("table", { name: "Patients" });
    await visible(table.getByRole("row").nth(1));
    for (const header of ["Name", "Level", "Status", "Days", "Counselor", "Flags"]) {
      // A sortable column's header is a button (to sort by it); the others are plain column headers.
      const box = (await table
        .locator("thead th")
        .filter({ hasText: new RegExp(`^${header}`) })
        .first()
        .boundingBox())!;
      expect(box, header).not.toBeNull();
      expect(box.x, header).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width, header).toBeLessThanOrEqual(820);
    }
    // Nothing wider than its box: not the page, not the table's scroll area, not a cell.
    const overflowing = await page.evaluate(() =>
      [document.documentElement, ...document.querySelectorAll<HTMLElement>("main .mantine-ScrollArea-viewport, main table, main td")]
        .filter((el) => el.scrollWidth > el.clientWidth + 1)
        .map((el) => `${el.tagName} ${el.className} ${el.textContent?.slice(0, 40)} (${el.scrollWidth} > ${el.clientWidth})`),
    );
    expect(overflowing).toEqual([]);
    // The MRN and track, whose own columns step aside, are under each name.
    const first = table.getByRole("row").nth(1);
    expect(
      await first
        .getByText(/^MRN-\d+/)
        .filter({ visible: true })
        .count(),
    ).toBe(1);
    expect(await clippedBadges(page)).toEqual([]);
  });

  it("cuts no badge short on Home, a chart and the drug tests", async () => {
    await page.goto(`${baseUrl}/patients?counselor=all&status=active&flag=mat`);
    await hydrated(page);
    const chart = (await page.getByRole("table", { name: "Patients" }).getByRole("link").first().getAttribute("href"))!;
    for (const path of ["/", chart, `${chart}/drug-tests`, `${chart}/consents`, `${chart}/schedule`, "/drug-tests"]) {
      await page.goto(`${baseUrl}${path}`);
      await hydrated(page);
      expect(await clippedBadges(page), path).toEqual([]);
      expect(await page.evaluate(() => document.documentElement.scrollWidth), path).toBeLessThanOrEqual(820);
    }
  });
});

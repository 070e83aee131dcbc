/**
 * One convention for dates and times on every screen (docs/decisions/0010-dates-and-times-on-screen.md):
 * dates read "Sat, Dec 5, 2026" or "Dec 5, 2026", times on a 12-hour clock "9:30 AM", never an ISO
 * date or a 24-hour time. The pages a clinic day runs on are read as a person sees them (the main
 * region's visible text, after hydration, so the browser's own rendering is what is checked).
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { launchBrowser } from "../support/browser";
import { ADMIN, hydrated, signIn } from "./helpers";

const baseUrl = inject("baseUrl");
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(() => browser?.close());

const ISO_DATE = /\b(19|20)\d\d-\d\d-\d\d\b/;
const TWENTY_FOUR_HOUR = /\b(1[3-9]|2[0-3]):[0-5]\d\b/;
const TWELVE_HOUR = /\b(1[0-2]|[1-9]):[0-5]\d(–(1[0-2]|[1-9]):[0-5]\d)? [AP]M\b/;

/** The main region's visible text once the page has hydrated. */
async function mainText(page: Page, path: string): Promise<string> {
  await page.goto(`${baseUrl}${path}`);
  await hydrated(page);
  return page.locator("main").innerText();
}

/** The first link in the main region whose address matches, as a path. */
async function firstLink(page: Page, pattern: RegExp): Promise<string> {
  const hrefs = await page.locator("main a[href]").evaluateAll((as) => as.map((a) => a.getAttribute("href") ?? ""));
  const href = hrefs.find((h) => pattern.test(h));
  if (!href) throw new Error(`no link matching ${pattern} on ${page.url()}`);
  return href;
}

function expectUsConvention(path: string, text: string) {
  expect(text.match(ISO_DATE)?.[0], `ISO date on ${path}`).toBeUndefined();
  expect(text.match(TWENTY_FOUR_HOUR)?.[0], `24-hour time on ${path}`).toBeUndefined();
}

describe("dates and times", () => {
  it("read as US dates and 12-hour times on the schedule, a roll call, a chart, drug tests and a report", async () => {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    await signIn(page, baseUrl, ADMIN);
    await page.waitForURL(`${baseUrl}/`);

    const home = await mainText(page, "/");
    expectUsConvention("/", home);

    // The week and the day: every session has a time, and every time says AM or PM.
    const week = await mainText(page, "/schedule");
    expectUsConvention("/schedule", week);
    expect(week).toMatch(TWELVE_HOUR);
    expect(week).toMatch(/Week of (Mon), [A-Z][a-z]{2} \d{1,2}, 20\d\d/);
    const session = await firstLink(page, /^\/schedule\/sessions\/[^/]+$/);
    const nextWeek = await firstLink(page, /^\/schedule\?week=/);
    expectUsConvention(nextWeek, await mainText(page, nextWeek));
    const day = await mainText(page, "/schedule/today");
    expectUsConvention("/schedule/today", day);

    // A session and its roll call.
    const sessionText = await mainText(page, session);
    expectUsConvention(session, sessionText);
    expect(sessionText).toMatch(new RegExp(`[A-Z][a-z]{2}, [A-Z][a-z]{2} \\d{1,2}, 20\\d\\d, ${TWELVE_HOUR.source}`));
    const roll = `${session}/roll`;
    const rollText = await mainText(page, roll);
    expectUsConvention(roll, rollText);
    expect(rollText).toMatch(TWELVE_HOUR);

    // A chart's overview and its attendance.
    await mainText(page, "/patients");
    const chart = await firstLink(page, /^\/patients\/[0-9a-f-]{36}$/);
    const chartText = await mainText(page, chart);
    expectUsConvention(chart, chartText);
    expect(chartText).toMatch(/[A-Z][a-z]{2} \d{1,2}, 20\d\d/);
    expectUsConvention(`${chart}/attendance`, await mainText(page, `${chart}/attendance`));

    // Drug tests of the day, and a weekly report whose first column is a date.
    expectUsConvention("/drug-tests", await mainText(page, "/drug-tests"));
    const report = await mainText(page, "/reports/attendance-by-week");
    expectUsConvention("/reports/attendance-by-week", report);
    expect(report).toMatch(/\b[A-Z][a-z]{2} \d{1,2}, 20\d\d\b/);
    expect(report).toContain("The CSV writes dates as YYYY-MM-DD");
    await ctx.close();
  }, 240_000); // ten pages on a shared two-core machine

  it("keeps ISO values in a report's CSV and says so in a note and in the date column's header", async () => {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    await signIn(page, baseUrl, ADMIN);
    await page.waitForURL(`${baseUrl}/`);
    const res = await page.request.get(`${baseUrl}/reports/attendance-by-week.csv`);
    expect(res.status()).toBe(200);
    const csv = await res.text();
    expect(csv).toContain("Dates in this file are written YYYY-MM-DD");
    expect(csv).toContain("Week of (Monday) (YYYY-MM-DD)");
    // The cells stay machine-readable: a week's Monday as YYYY-MM-DD at the start of a row.
    expect(csv).toMatch(/\r\n20\d\d-\d\d-\d\d,/);
    await ctx.close();
  });
});

import AxeBuilder from "@axe-core/playwright";
import type { Download, Locator, Page } from "playwright-core";
import { DEMO_PASSWORD } from "../../seeds/demo-people";
import { endOfDayUtc, todayIn } from "~/kernel/time";

export { DEMO_PASSWORD };

export const ADMIN = "dana.whitfield@harborlight.example";
export const COUNSELOR = "marcus.bell@harborlight.example";
export const STAFF = "tom.kowalski@harborlight.example";
export const BILLING = "renee.okafor@harborlight.example";

/** Waits until React has hydrated, so a stale server or server-only HTML cannot pass a test. */
export async function hydrated(page: Page): Promise<void> {
  await page.waitForSelector("body[data-hydrated]", { timeout: 15_000 });
}

export async function signIn(page: Page, baseUrl: string, email: string, password = DEMO_PASSWORD, path = "/login") {
  await page.goto(`${baseUrl}${path}`);
  await hydrated(page);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

export async function signOut(page: Page) {
  await page.getByRole("button", { name: /Account menu/ }).click();
  await page.getByRole("menuitem", { name: "Sign out" }).click();
  await page.waitForURL(/\/login/);
}

/** Waits for a locator to be visible (playwright-core has no auto-waiting expect). */
export async function visible(locator: Locator, timeout = 10_000): Promise<Locator> {
  await locator.first().waitFor({ state: "visible", timeout });
  return locator;
}

/**
 * An axe scan of `page` (WCAG 2.1 A and AA, and best practice), optionally of one part of it.
 * Legacy mode runs axe in the page itself: the default opens a second, blank page for every scan
 * to merge the frames' results, which doubled the cost of the suite's scans and our pages have no
 * frames to merge. Only violations come back in full (passes are not read), which keeps the result
 * the browser serialises small.
 */
export function axeScan(page: Page, only?: string): AxeBuilder {
  const builder = new AxeBuilder({ page })
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"])
    .options({ resultTypes: ["violations"] })
    .setLegacyMode(true);
  return only ? builder.include(only) : builder;
}

/** The axe rules a colour scheme decides: text contrast, and links told from text by colour alone. */
export const COLOUR_RULES = ["color-contrast", "link-in-text-block"];

/**
 * The page's serious and critical WCAG 2.1 AA (and best-practice) violations, by axe; with
 * `rules`, only those rules' (a second scheme of a page already scanned whole needs only its colours).
 */
export async function seriousViolations(page: Page, rules?: string[]): Promise<string[]> {
  const builder = axeScan(page);
  const results = await (rules ? builder.withRules(rules) : builder).analyze();
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help} — ${v.nodes
          .map((n) => n.target.join(" "))
          .slice(0, 3)
          .join(", ")}`,
    );
}

/** Milliseconds from `now` until the next midnight in a time zone (DST-safe, via endOfDayUtc). */
export function msToMidnight(timeZone: string, now = new Date()): number {
  return Date.parse(endOfDayUtc(todayIn(timeZone, now), timeZone)) - now.getTime();
}

/**
 * For a flow the app itself confines to one clinic day (a draw and the next draw "of the day", a
 * collection "later today"): when the clinic's midnight is less than `marginMs` away, wait until
 * it has passed. The test server runs on this host's clock, so afterwards the server's "today"
 * stays one date for at least a day minus the wait. Returns how long it waited (0 almost always).
 */
export async function clearOfMidnight(timeZone: string, marginMs: number): Promise<number> {
  const left = msToMidnight(timeZone);
  if (left > marginMs) return 0;
  const wait = left + 2_000;
  await new Promise((resolve) => setTimeout(resolve, wait));
  return wait;
}

/** A download's content as text, read through the browser's connection (the shared browser cannot hand over a file path). */
export async function downloadText(download: Download): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of await download.createReadStream()) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/**
 * Sites on a screen: an admin adds a site with a two-line address, changes its time zone, sees the
 * address's lines kept, and finds both changes in the audit log in words. On the test's own clinic,
 * because adding a site assigns the admin to it, which would change what other tests see.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createDb } from "../../db/database";
import { migrateToLatest } from "../../db/migrator";
import { seedDemo } from "../../seeds/demo";
import { emptyDatabase } from "../support/databases";
import { ADMIN, hydrated, signIn, visible } from "./helpers";
import { serveOwnClinic } from "./support/server";

let drop: () => Promise<void>;
let own: Awaited<ReturnType<typeof serveOwnClinic>> | undefined;
let baseUrl = "";
let browser: Browser;

beforeAll(async () => {
  const fresh = await emptyDatabase(inject("dialect"));
  drop = fresh.drop;
  const db = createDb(fresh.url);
  await migrateToLatest(db);
  await seedDemo(db, { patients: false });
  // The admin signs in with the password alone here; two-factor sign-in is proved in security.test.ts.
  await db.updateTable("program_settings").set({ value: "none" }).where("key", "=", "two_factor_required_for").execute();
  await db.destroy();
  own = await serveOwnClinic(fresh.url);
  baseUrl = own.server.url;
  browser = own.browser;
}, 120_000);
afterAll(async () => {
  await own?.close();
  await drop?.();
});

const NAME = "Harbor Light – Boulder";
const LINES = ["2400 Canyon Boulevard, Suite 110", "Boulder, CO 80302"];

/** The address cell of the site's row, as the browser lays it out (line breaks included). */
async function addressOf(page: Page): Promise<string> {
  return page
    .getByRole("table", { name: "Sites" })
    .getByRole("row", { name: new RegExp(NAME) })
    .locator("address")
    .innerText();
}

describe("sites", () => {
  it("an admin adds a site with a two-line address, changes its time zone, and the audit log shows both", async () => {
    const ctx = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    const page = await ctx.newPage();
    await signIn(page, baseUrl, ADMIN);
    await page.waitForURL(`${baseUrl}/`);
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Sites" }).click();
    await page.waitForURL(`${baseUrl}/admin/sites`);
    await hydrated(page);
    await page.getByRole("link", { name: "Add a site" }).click();
    await page.waitForURL(`${baseUrl}/admin/sites/new`);
    await hydrated(page);

    // Without a time zone the form says so and keeps what was typed.
    await page.getByLabel("Site name").fill(NAME);
    await page.getByLabel("Address (optional)").fill(LINES.join("\n"));
    await page.getByRole("button", { name: "Add site" }).click();
    await visible(page.getByText("Choose the site's time zone."));
    expect(await page.getByLabel("Address (optional)").inputValue()).toBe(LINES.join("\n"));
    await page.getByLabel("Time zone").selectOption("America/New_York");
    await page.getByRole("button", { name: "Add site" }).click();
    await visible(page.getByText(`Site ${NAME} added.`));
    await hydrated(page);
    expect(await page.getByLabel("Address (optional)").inputValue()).toBe(LINES.join("\n"));

    // Its time zone changes; the address keeps its two lines.
    await page.getByLabel("Time zone").selectOption("America/Denver");
    await page.getByRole("button", { name: "Save site" }).click();
    await visible(page.getByText("Site saved."));
    await page.getByRole("link", { name: "← Sites" }).click();
    await page.waitForURL(`${baseUrl}/admin/sites`);
    await hydrated(page);
    const row = page.getByRole("table", { name: "Sites" }).getByRole("row", { name: new RegExp(NAME) });
    await visible(row.getByText("America/Denver"));
    expect(await addressOf(page)).toBe(LINES.join("\n"));
    expect(await row.locator("address").evaluate((el) => el.getBoundingClientRect().height / parseFloat(getComputedStyle(el).lineHeight))).toBeGreaterThan(1.5);

    // The audit log: both, in words, with before and after.
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Audit log" }).click();
    await page.waitForURL(`${baseUrl}/admin/audit`);
    await hydrated(page);
    await page.getByLabel("Action").selectOption({ label: "Changed a site" });
    await page.getByRole("button", { name: "Filter" }).click();
    await page.waitForURL(/action=site.updated/);
    await hydrated(page);
    const table = page.getByRole("table", { name: "Audit events" });
    await visible(table.getByText("Time zone: America/New_York → America/Denver"));
    expect(await table.innerText()).toContain(`Site: ${NAME}`);

    await page.getByLabel("Action").selectOption({ label: "Added a site" });
    await page.getByRole("button", { name: "Filter" }).click();
    await page.waitForURL(/action=site.created/);
    await hydrated(page);
    await visible(table.getByText(`Name: ${NAME}`));
    expect(await table.innerText()).toContain(`Address: ${LINES[0]}\n${LINES[1]}`);
    await ctx.close();
  });

  it("refuses a stale edit instead of overwriting it", async () => {
    const ctx = await browser.newContext();
    const [a, b] = [await ctx.newPage(), await ctx.newPage()];
    await signIn(a, baseUrl, ADMIN);
    await a.waitForURL(`${baseUrl}/`);
    await a.goto(`${baseUrl}/admin/sites`);
    await hydrated(a);
    const href = await a.getByRole("link", { name: NAME }).getAttribute("href");
    for (const p of [a, b]) {
      await p.goto(`${baseUrl}${href}`);
      await hydrated(p);
    }
    await a.getByLabel("Time zone").selectOption("America/Chicago");
    await a.getByRole("button", { name: "Save site" }).click();
    await visible(a.getByText("Site saved."));
    await b.getByLabel("Time zone").selectOption("America/Phoenix");
    await b.getByRole("button", { name: "Save site" }).click();
    await visible(b.getByText(/Someone else changed this site while you were editing/));
    expect(await b.getByLabel("Time zone").inputValue()).toBe("America/Phoenix");
    await ctx.close();
  });
});

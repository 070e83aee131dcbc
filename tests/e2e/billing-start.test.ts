/**
 * Issue 21 in Chromium: the admin moves the demo site's "Bill days from" date on Program setup ›
 * Progress notes; a form opened before someone else's save is refused with a clear message and
 * the date typed kept; once saved, the charge review shows no ready or held day before the date.
 * The demo's own date (eight weeks ago, a Monday) is put back afterwards.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { sql } from "kysely";
import { createDb } from "../../db/database";
import { billingStartForm, setBillingStart } from "~/features/billing/billing-start.server";
import { addDays, shortDate } from "~/kernel/time";
import { meta } from "../support/demo";
import { launchBrowser } from "../support/browser";
import { ADMIN, hydrated, signIn, visible } from "./helpers";

const baseUrl = inject("baseUrl");
const SITE = "Harbor Light Recovery – Riverside";
let browser: Browser;
let page: Page;
let demoStart: string;

async function withDb<T>(run: (db: ReturnType<typeof createDb>, siteId: string) => Promise<T>): Promise<T> {
  const db = createDb(inject("databaseUrl"));
  try {
    const site = await db.selectFrom("sites").select("id").where("name", "=", SITE).executeTakeFirstOrThrow();
    return await run(db, site.id);
  } finally {
    await db.destroy();
  }
}

beforeAll(async () => {
  demoStart = (await withDb((db, siteId) => billingStartForm(db, siteId))).value!;
  browser = await launchBrowser();
  page = await (await browser.newContext()).newPage();
  await signIn(page, baseUrl, ADMIN);
  await page.waitForURL(`${baseUrl}/`);
}, 60_000);
afterAll(async () => {
  await browser?.close();
  // Put the demo's date back for the tests after this one.
  await withDb(async (db, siteId) => {
    const admin = await db.selectFrom("users").select(["id", "name"]).where("email", "=", ADMIN).executeTakeFirstOrThrow();
    const { version } = await billingStartForm(db, siteId);
    await setBillingStart(db, admin, siteId, { billFrom: demoStart, version }, meta);
  });
});

describe("bill days from", () => {
  it("is set by the admin, refuses a stale form, and the charge review then shows no open day before it", async () => {
    expect(demoStart).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const later = addDays(demoStart, 14);
    const table = page.getByRole("table", { name: "Charges" });
    const oldest = async (status: string) => {
      await page.goto(`${baseUrl}/billing/charges?status=${status}&sort=date&dir=asc`);
      await hydrated(page);
      const first = (await table.getByRole("row").nth(1).getByRole("cell").first().innerText()).trim();
      return new Date(`${first} 12:00 UTC`).toISOString().slice(0, 10);
    };
    // Before: the demo has held days from its first weeks of billing.
    const heldBefore = await oldest("held");
    expect(heldBefore >= demoStart && heldBefore < later, `oldest held day ${heldBefore}`).toBe(true);
    await page.goto(`${baseUrl}/admin/program`);
    await page.getByRole("link", { name: "Progress notes: format, late entries and billing" }).click();
    await page.waitForURL(`${baseUrl}/admin/program/notes`);
    await hydrated(page);
    const field = page.getByLabel("Bill days from");
    expect(await field.inputValue()).toBe(demoStart);

    // Someone else saves the date while this form is open: refused, the date typed still there.
    await field.fill(later);
    await withDb((db, siteId) =>
      db
        .updateTable("site_settings")
        .set({ version: sql`version + 1` })
        .where("site_id", "=", siteId)
        .where("key", "=", "billing_starts_on")
        .execute(),
    );
    await page.getByRole("button", { name: "Save billing start" }).click();
    await visible(page.getByText("Someone else changed the billing start date while you were looking at it. Reload to see it, then make your change again."));
    expect(await page.getByLabel("Bill days from").inputValue()).toBe(later);

    await page.reload();
    await hydrated(page);
    await page.getByLabel("Bill days from").fill(later);
    await page.getByRole("button", { name: "Save billing start" }).click();
    await visible(page.getByText(new RegExp(`days from ${shortDate(later)} on are billed \\(\\d+ unexported charges removed, 0 made\\)`)));
    expect(await page.getByLabel("Bill days from").inputValue()).toBe(later);

    // The oldest ready and the oldest held day on the review are on or after the new date.
    for (const status of ["ready", "held"]) {
      const iso = await oldest(status);
      expect(iso >= later, `${status} ${iso} is before ${later}`).toBe(true);
    }
    // The week the demo started billing in has no open day left.
    await page.goto(`${baseUrl}/billing/charges?week=${demoStart}&status=held`);
    await visible(page.getByText("No charges match these filters."));
  });
});

/**
 * Issue 21, items 4 and 5, in Chromium as an admin would use them: the fee schedule form (each
 * refusal said beside its field with what was typed kept, a row added, a second row for the same
 * payer and level refused, a stale form refused), and the charge review screen's filters (payer,
 * hold reason, status, week, patient) kept in the URL, with each held day's reasons in words.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { sql } from "kysely";
import { createDb } from "../../db/database";
import { createPayer } from "~/features/billing/payers.server";
import { meta } from "../support/demo";
import { weekStart } from "~/kernel/time";
import { launchBrowser } from "../support/browser";
import { ADMIN, hydrated, signIn, visible } from "./helpers";

const baseUrl = inject("baseUrl");
let browser: Browser;
let page: Page;
const PAYER = "E2E Recovery Grant Fund";

beforeAll(async () => {
  const db = createDb(inject("databaseUrl"));
  try {
    const site = await db.selectFrom("sites").select("id").where("name", "=", "Harbor Light Recovery – Riverside").executeTakeFirstOrThrow();
    const admin = await db.selectFrom("users").select(["id", "name"]).where("email", "=", ADMIN).executeTakeFirstOrThrow();
    const added = await createPayer(db, admin, site.id, { name: PAYER, kind: "grant", active: "yes" }, meta);
    if (!added.ok) throw new Error(JSON.stringify(added));
  } finally {
    await db.destroy();
  }
  browser = await launchBrowser();
  page = await (await browser.newContext()).newPage();
  await signIn(page, baseUrl, ADMIN);
  await page.waitForURL(`${baseUrl}/`);
}, 60_000);
afterAll(() => browser?.close());

describe("fee schedule", () => {
  it("says what is wrong with a row beside each field, keeps what was typed, and adds it once", async () => {
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Charges" }).click();
    await page.waitForURL(`${baseUrl}/billing/charges`);
    await page.getByRole("link", { name: "Fee schedule" }).click();
    await page.waitForURL(`${baseUrl}/admin/fee-schedule`);
    await hydrated(page);
    await visible(page.getByRole("table", { name: "Fee schedule" }));

    await page.getByLabel("Payer").selectOption({ label: `${PAYER} (Grant-funded)` });
    await page.getByLabel("Claim type").selectOption("institutional");
    await page.getByLabel("Procedure code").fill("");
    await page.getByLabel("Modifiers (optional)").fill("H");
    await page.getByLabel("Rate (dollars per unit)").fill("-5");
    await page.getByRole("button", { name: "Add row" }).click();
    await visible(page.getByText("Enter the procedure code (for example H0015)."));
    await visible(page.getByText("“H”: each modifier is two letters or digits (for example HF)."));
    await visible(page.getByText("A rate cannot be negative."));
    await visible(page.getByText("An institutional (837I) claim needs a revenue code: choose one."));
    expect(await page.getByLabel("Rate (dollars per unit)").inputValue()).toBe("-5");

    await page.getByLabel("Claim type").selectOption("professional");
    await page.getByLabel("Procedure code").fill("h2036");
    await page.getByLabel("Modifiers (optional)").fill("");
    await page.getByLabel("Rate (dollars per unit)").fill("180");
    await page.getByRole("button", { name: "Add row" }).click();
    await visible(page.getByText("IOP row added: H2036."));
    const row = page.getByRole("table", { name: "Fee schedule" }).getByRole("row", { name: new RegExp(PAYER) });
    await visible(row.getByText("H2036"));
    await visible(row.getByText("$180.00 a day"));

    // The same payer and level again: refused by the server, everything typed still there.
    await page.getByLabel("Payer").selectOption({ label: `${PAYER} (Grant-funded)` });
    await page.getByLabel("Procedure code").fill("H0015");
    await page.getByLabel("Rate (dollars per unit)").fill("199.99");
    await page.getByRole("button", { name: "Add row" }).click();
    await visible(page.getByText(`${PAYER} already has an IOP row: change that row instead of adding another.`));
    expect(await page.getByLabel("Rate (dollars per unit)").inputValue()).toBe("199.99");
  });

  it("refuses a form started from an older version of the row, keeping the change typed", async () => {
    await page.goto(`${baseUrl}/admin/fee-schedule`);
    await hydrated(page);
    await page.getByRole("link", { name: `Edit ${PAYER} IOP` }).click();
    await visible(page.getByRole("heading", { name: `Edit ${PAYER} IOP` }));
    await page.getByLabel("Rate (dollars per unit)").fill("190.00");
    // Someone else saves the row meanwhile.
    const db = createDb(inject("databaseUrl"));
    try {
      await db
        .updateTable("fee_schedule")
        .set({ version: sql`version + 1` })
        .where("payer_id", "in", db.selectFrom("payers").select("id").where("name", "=", PAYER))
        .execute();
    } finally {
      await db.destroy();
    }
    await page.getByRole("button", { name: "Save row" }).click();
    await visible(page.getByText(/Someone else changed this fee schedule row while you were working/));
    expect(await page.getByLabel("Rate (dollars per unit)").inputValue()).toBe("190.00");
  });
});

describe("charge review", () => {
  it("filters by hold reason, status, week, payer and patient, in the URL, and says why each day is held", async () => {
    await page.goto(`${baseUrl}/billing/charges`);
    await hydrated(page);
    const table = page.getByRole("table", { name: "Charges" });
    await visible(page.getByLabel("Held total"));

    await page.getByLabel("Hold reason").selectOption({ label: "Below the day's hours" });
    await page.getByLabel("Status").selectOption("held");
    await page.getByRole("button", { name: "Filter" }).click();
    await page.waitForURL(/reason=below_hours/);
    expect(page.url()).toContain("status=held");
    await visible(table.getByText(/a billable (IOP|PHP) day needs/).first());
    // The URL changes as the new page's data arrives: wait for the rows to follow it.
    const rows = async () => (await table.getByRole("row").allInnerTexts()).slice(1);
    await expect.poll(async () => (await rows()).every((r) => r.includes("Below the day's hours")), { timeout: 10_000 }).toBe(true);
    expect((await rows()).length).toBeGreaterThan(0);

    // One week: every date shown falls in it.
    const firstDate = (await table.getByRole("row").nth(1).getByRole("cell").first().innerText()).trim();
    const date = new Date(`${firstDate} 12:00 UTC`).toISOString().slice(0, 10);
    await page.getByLabel("Week of").fill(date);
    await page.getByRole("button", { name: "Filter" }).click();
    await page.waitForURL(new RegExp(`week=${date}`));
    const monday = weekStart(date);
    const sunday = new Date(Date.parse(`${monday}T12:00:00Z`) + 6 * 86_400_000).toISOString().slice(0, 10);
    const inWeek = (r: string) => {
      const iso = new Date(`${r.split("\n")[0].trim()} 12:00 UTC`).toISOString().slice(0, 10);
      return iso >= monday && iso <= sunday && r.includes("Below the day's hours");
    };
    await expect.poll(async () => (await rows()).every(inWeek), { timeout: 10_000 }).toBe(true);

    // One patient, by MRN, from the first row shown.
    const mrn = (await table.getByRole("row").nth(1).getByRole("cell").nth(1).innerText()).split("\n").pop()!.trim();
    await page.getByLabel("Patient (MRN or name)").fill(mrn);
    await page.getByRole("button", { name: "Filter" }).click();
    await page.waitForURL(new RegExp(`patient=${mrn}`));
    await expect.poll(async () => (await rows()).every((r) => r.includes(mrn) && inWeek(r)), { timeout: 10_000 }).toBe(true);

    // A payer nobody is charged to yet: nothing matches, and the totals say so.
    await page.getByLabel("Payer").selectOption({ label: PAYER });
    await page.getByRole("button", { name: "Filter" }).click();
    // The earlier filters already put an empty "payer=" in the URL: wait for the one chosen.
    await page.waitForURL(/payer=[^&]/);
    await expect.poll(async () => (await rows()).some((r) => r.includes(mrn)), { timeout: 10_000 }).toBe(false);
    await visible(page.getByText("No charges match these filters."));
    // Said once: an empty list shows no pager repeating it.
    expect(await page.getByText("No charges match these filters.").count()).toBe(1);
    expect(await page.getByRole("button", { name: "Next page" }).count()).toBe(0);
    // Nor a bare pager line under it (it read "0" when the table was handed page 0).
    expect((await page.locator(".mantine-datatable").innerText()).trim()).not.toMatch(/\n\s*0$/);
    await visible(page.getByLabel("Ready total").getByText("0 days"));
  });
});

/**
 * Issue 21, coverage part, in Chromium as a new user would go: Home shows the utilization-review
 * alerts the demo sets up (an authorization ending this week, a patient attending without one); an
 * admin adds a payer (a duplicate name refused); on a patient's chart, adds a coverage with it (a
 * second overlapping primary refused, then secondary), records an authorization (zero units
 * refused) and reads the units used counted from the patient's real attendance, and the remaining.
 *
 * The expected units are counted here straight from the attendance rows: the days in the span on
 * which the patient attended at least 3 hours (IOP's billable day), by hand-written SQL, not with
 * the code under test.
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createDb } from "../../db/database";
import { addDays, todayIn } from "~/kernel/time";
import { launchBrowser } from "../support/browser";
import { openChartSection } from "./chart-sections";
import { ADMIN, hydrated, signIn, visible } from "./helpers";

const baseUrl = inject("baseUrl");
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(() => browser?.close());

describe("coverage and authorizations", () => {
  it("an admin sees Home's alerts, adds a payer, a coverage and an authorization, and reads units used from attendance", async () => {
    const today = todayIn("America/New_York");
    const from = addDays(today, -13);
    // A patient at IOP for the whole span who attended at least one 3-hour day in it.
    const db = createDb(inject("databaseUrl"));
    let patientId = "";
    let expected = 0;
    try {
      const rows = await db
        .selectFrom("attendance as a")
        .innerJoin("patients as p", "p.id", "a.patient_id")
        .select(["a.patient_id", "a.local_date", (eb) => eb.fn.sum<number>("a.minutes").as("minutes")])
        .where("p.status", "=", "active")
        .where("p.level_of_care", "=", "IOP")
        .where("p.level_since", "<=", from)
        .where("a.status", "in", ["present", "late", "left_early"])
        .where("a.local_date", ">=", from)
        .where("a.local_date", "<=", today)
        .groupBy(["a.patient_id", "a.local_date"])
        .execute();
      const billable = new Map<string, number>();
      for (const r of rows) if (Number(r.minutes) >= 180) billable.set(r.patient_id, (billable.get(r.patient_id) ?? 0) + 1);
      [patientId, expected] = [...billable.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0];
    } finally {
      await db.destroy();
    }
    expect(expected).toBeGreaterThan(0);

    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    await signIn(page, baseUrl, ADMIN);
    await page.waitForURL(`${baseUrl}/`);
    await hydrated(page);
    const alerts = page.getByRole("table", { name: "Utilization review" });
    await visible(alerts.getByText("Authorization ending"));
    await visible(alerts.getByText("Attending without an authorization"));
    // An alert opens the patient's Coverage section.
    const href = await alerts.getByRole("link").first().getAttribute("href");
    expect(href).toMatch(/^\/patients\/[0-9a-f-]{36}\/coverage$/);

    // Payers, from Program setup.
    await page.goto(`${baseUrl}/admin/program`);
    await hydrated(page);
    await page.getByRole("link", { name: /^Payers/ }).click();
    await page.waitForURL(`${baseUrl}/admin/payers`);
    await hydrated(page);
    await page.getByLabel("Payer name").fill("Liberty Harbor Health");
    await page.getByLabel("Kind").selectOption({ label: "Commercial" });
    await page.getByLabel("Electronic payer id (optional)").fill("LHH01");
    await page.getByRole("button", { name: "Add payer" }).click();
    await visible(page.getByText("Payer Liberty Harbor Health added."));
    await visible(page.getByRole("table", { name: "Payers" }).getByRole("link", { name: "Liberty Harbor Health" }));
    await page.getByLabel("Payer name").fill("liberty harbor health");
    await page.getByLabel("Kind").selectOption({ label: "Commercial" });
    await page.getByRole("button", { name: "Add payer" }).click();
    await visible(page.getByText("This site already has a payer with that name."));

    // The chart's Coverage section.
    await page.goto(`${baseUrl}/patients/${patientId}`);
    await hydrated(page);
    await openChartSection(page, "Coverage");
    await page.getByLabel("Payer", { exact: true }).selectOption({ label: "Liberty Harbor Health (Commercial)" });
    await page.getByLabel("Priority").selectOption({ label: "Primary" });
    await page.getByLabel("Member id").fill("LHH-778812");
    await page.getByLabel("Effective from").fill(addDays(today, -30));
    await page.getByRole("button", { name: "Add coverage" }).click();
    await visible(page.getByText(/two primary coverages cannot overlap/));
    // What was typed is kept; as secondary it is added.
    expect(await page.getByLabel("Member id").inputValue()).toBe("LHH-778812");
    await page.getByLabel("Priority").selectOption({ label: "Secondary" });
    await page.getByRole("button", { name: "Add coverage" }).click();
    await visible(page.getByText("Coverage added."));
    await visible(page.getByRole("heading", { name: "Liberty Harbor Health" }));

    await page.getByLabel("Coverage", { exact: true }).selectOption({ label: "Liberty Harbor Health (Secondary)" });
    await page.getByLabel("Level of care", { exact: true }).selectOption("IOP");
    await page.getByLabel("Units approved").fill("0");
    await page.getByLabel("First day").fill(from);
    await page.getByLabel("Last day").fill(addDays(today, 14));
    await page.getByLabel("Authorization number (optional)").fill("LHH-A1");
    await page.getByRole("button", { name: "Record authorization" }).click();
    await visible(page.getByText("Units approved must be at least 1."));
    await page.getByLabel("Units approved").fill("20");
    await page.getByRole("button", { name: "Record authorization" }).click();
    await visible(page.getByText("Authorization recorded."));
    const row = page.getByRole("table", { name: "Authorizations on Liberty Harbor Health" }).getByRole("row", { name: /LHH-A1/ });
    await visible(row);
    const cells = await row.getByRole("cell").allTextContents();
    // Level, number, dates, status, used of approved, remaining, days left (today .. today+14 = 15).
    expect([cells[0], cells[1], cells[3], cells[4], cells[5], cells[6]]).toEqual([
      "IOP",
      "LHH-A1",
      "Approved",
      `${expected} of 20 days`,
      `${20 - expected} left`,
      "15",
    ]);
    await ctx.close();
  });
});

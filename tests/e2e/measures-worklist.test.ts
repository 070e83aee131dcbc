/**
 * Issue 19, items 5 and 6 for measures, in Chromium against the production build on the demo
 * clinic: the counselor sees an overdue PHQ-9 on Home and follows its link to the form; the admin
 * sees the counts per counselor, changes the site's measure interval (a bad value and a stale form
 * refused, the change audited) and opens the Measure change report and its CSV. The interval is
 * put back to the network's 30 days at the end, for the tests after this one.
 */
import type { Kysely } from "kysely";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { measureCountsByCounselor, measuresDueAt } from "~/features/measures/worklist.server";
import { todayIn } from "~/kernel/time";
import { createDb } from "../../db/database";
import type { Database } from "../../db/schema";
import { launchBrowser } from "../support/browser";
import { postForm, signInCookie } from "../support/server";
import { ADMIN, COUNSELOR, downloadText, hydrated, signIn, visible } from "./helpers";

const baseUrl = inject("baseUrl");
let browser: Browser;
let db: Kysely<Database>;
let site: { id: string; name: string; time_zone: string };

beforeAll(async () => {
  browser = await launchBrowser();
  db = createDb(inject("databaseUrl"));
  site = await db.selectFrom("sites").select(["id", "name", "time_zone"]).orderBy("created_at").executeTakeFirstOrThrow();
});
afterAll(async () => {
  // Back to the network's interval: the site's own row goes, as if it never chose.
  await db?.deleteFrom("site_settings").where("key", "=", "measure_interval_days").execute();
  await browser?.close();
  await db?.destroy();
});

async function signedIn(email: string, width = 1366): Promise<Page> {
  const page = await (await browser.newContext({ viewport: { width, height: 1000 }, acceptDownloads: true })).newPage();
  await signIn(page, baseUrl, email);
  await page.waitForURL(`${baseUrl}/`);
  await hydrated(page);
  return page;
}

describe("measures due on Home, the interval setting and the Measure change report", () => {
  it("a counselor sees an overdue PHQ-9 on Home and follows the link to its form", async () => {
    const marcus = await db.selectFrom("users").select("id").where("email", "=", COUNSELOR).executeTakeFirstOrThrow();
    const due = await measuresDueAt(db, site.id, todayIn(site.time_zone), marcus.id);
    const overdue = due.find((i) => i.code === "phq9" && i.state === "overdue");
    expect(overdue, "the demo gives Marcus an overdue PHQ-9").toBeTruthy();
    const page = await signedIn(COUNSELOR);
    const table = page.getByRole("table", { name: "Measures due" });
    const link = page.getByRole("link", { name: `Give PHQ-9 to ${overdue!.name}` });
    // By MRN too: other tests on the shared server enroll patients who share a name.
    const row = table.getByRole("row").filter({ has: link, hasText: overdue!.mrn });
    await visible(row);
    expect(await row.textContent()).toContain("Overdue");
    expect(await row.textContent()).toContain(`${overdue!.daysLate} days late`);
    await row.getByRole("link", { name: `Give PHQ-9 to ${overdue!.name}` }).click();
    await page.waitForURL(`${baseUrl}/patients/${overdue!.patientId}/measures/phq9`);
    await hydrated(page);
    await visible(page.getByRole("button", { name: "Save PHQ-9" }));
    await page.context().close();
  });

  it("an admin sees the counts per counselor and no patient's name in them", async () => {
    const counts = await measureCountsByCounselor(db, site.id, todayIn(site.time_zone));
    const marcus = counts.find((c) => c.counselor === "Marcus Bell")!;
    const page = await signedIn(ADMIN);
    const table = page.getByRole("table", { name: "Measures and safety flags by counselor" });
    const row = table.getByRole("row", { name: /Marcus Bell/ });
    await visible(row);
    expect((await row.getByRole("cell").allInnerTexts()).map((s) => s.trim())).toEqual([
      "Marcus Bell",
      String(marcus.due),
      String(marcus.overdue),
      String(marcus.safetyFlags),
    ]);
    expect(await page.getByRole("table", { name: "Measures due" }).count()).toBe(0);
    await page.context().close();
  });

  it("an admin changes the measure interval: a bad value and a stale form are refused, the change is audited", async () => {
    const page = await signedIn(ADMIN);
    await page.goto(`${baseUrl}/admin/program`);
    await hydrated(page);
    await page.getByRole("link", { name: "Standardized measures: how often they are repeated" }).click();
    await page.waitForURL(`${baseUrl}/admin/program/measures`);
    await hydrated(page);
    const days = page.getByLabel("Days between repeat measures");
    expect(await days.inputValue()).toBe("30");
    await days.fill("120");
    await page.getByRole("button", { name: "Save interval" }).click();
    await visible(page.getByText("Enter a whole number of days from 7 to 90."));
    expect(await days.inputValue()).toBe("120");

    await days.fill("14");
    await page.getByRole("button", { name: "Save interval" }).click();
    await visible(page.getByText(`Measures at ${site.name} now repeat every 14 days.`));
    expect(await page.getByLabel("Days between repeat measures").inputValue()).toBe("14");
    const event = await db
      .selectFrom("audit_events")
      .select(["action", "site_id", "changes"])
      .where("action", "=", "settings.measure_interval_changed")
      .orderBy("seq", "desc")
      .executeTakeFirstOrThrow();
    expect(event.site_id).toBe(site.id);
    expect(JSON.parse(event.changes ?? "{}")).toMatchObject({ after: { days: 14 } });

    // A form opened before that change (version 0) is refused, and nothing changes.
    const cookie = await signInCookie(baseUrl, ADMIN);
    const stale = await postForm(baseUrl, "/admin/program/measures", cookie, { days: "21", version: "0" });
    expect(stale.status).toBe(409);
    expect(await stale.text()).toContain("Someone else changed this setting");
    await page.reload();
    await hydrated(page);
    expect(await page.getByLabel("Days between repeat measures").inputValue()).toBe("14");
    await page.context().close();
  });

  it("the Measure change report shows intake against latest and discharge, and downloads as CSV with the Part 2 notice", async () => {
    const page = await signedIn(ADMIN, 820);
    await page.goto(`${baseUrl}/reports`);
    await hydrated(page);
    await page.getByRole("link", { name: "Measure change" }).click();
    await page.waitForURL(/\/reports\/measure-change/);
    await hydrated(page);
    const table = page.getByRole("table", { name: "Measure change" });
    await visible(table.getByRole("row", { name: /Intake → latest PHQ-9/ }));
    await visible(table.getByRole("row", { name: /Intake → discharge BAM: Protective factors/ }));
    await visible(page.getByText(/at least 5 points lower \(Löwe et al\. 2004/));
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Download CSV" }).click()]);
    expect(download.suggestedFilename()).toMatch(/^measure-change-\d{4}-\d\d-\d\d-to-\d{4}-\d\d-\d\d\.csv$/);
    const csv = await downloadText(download);
    expect(csv.split("\r\n")[0]).toMatch(/42 CFR part 2/i);
    expect(csv).toContain("Comparison,Measure,Patients,Mean at intake,Mean latest or at discharge,Mean change,Improved,Worse");
    expect(csv).toMatch(/Intake → latest,PHQ-9,\d+,/);
    await page.context().close();
  });
});

/**
 * "Who looked at this patient?" answered from the audit log as an admin reads it: the patient
 * found by MRN or name, named with their MRN, each action in words and each change as
 * "Field: old → new"; the log and the chart's history fit a laptop and a tablet without a
 * sideways scrollbar. The patient is this test's own, enrolled through the repositories.
 */
import type { Kysely } from "kysely";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createDb } from "../../db/database";
import type { Database } from "../../db/schema";
import { changeLevelOfCare } from "~/features/patients/patients.server";
import { launchBrowser } from "../support/browser";
import { meta } from "../support/demo";
import { enroll } from "../integration/patients-support";
import { ADMIN, COUNSELOR, hydrated, signIn, visible } from "./helpers";

const baseUrl = inject("baseUrl");
let db: Kysely<Database>;
let browser: Browser;
/** Letters only: names accept no digits. */
const tag = Array.from({ length: 6 }, () => String.fromCharCode(97 + Math.floor(Math.random() * 26))).join("");
const last = `Auditson${tag}`;
let patient: { id: string; mrn: string };

beforeAll(async () => {
  db = createDb(inject("databaseUrl"));
  browser = await launchBrowser();
  const counselor = await db.selectFrom("users").select(["id", "name"]).where("email", "=", COUNSELOR).executeTakeFirstOrThrow();
  const siteId = (await db.selectFrom("user_sites").select("site_id").where("user_id", "=", counselor.id).executeTakeFirstOrThrow()).site_id;
  patient = await enroll(db, counselor, siteId, { legalFirstName: "Wren", legalLastName: last, dateOfBirth: "1988-04-09" });
  const today = new Date().toISOString().slice(0, 10);
  const changed = await changeLevelOfCare(
    db,
    counselor,
    patient.id,
    { version: 1, levelOfCare: "PHP", effectiveOn: "2026-09-02", reason: "Needs more support" },
    [siteId],
    meta,
  );
  if (!changed.ok) throw new Error(`${today}: ${JSON.stringify(changed)}`);
});
afterAll(async () => {
  await browser?.close();
  await db?.destroy();
});

/** Nothing on the page is wider than the window, and no table scrolls sideways inside it. */
async function fits(page: Page) {
  return page.evaluate(() => {
    const doc = document.documentElement;
    const scrollers = [...document.querySelectorAll<HTMLElement>(".mantine-ScrollArea-viewport, [data-scrollbars], table")]
      .map((el) => ({ el: el.className || el.tagName, over: el.scrollWidth - el.clientWidth }))
      .filter((x) => x.over > 1);
    return { page: doc.scrollWidth <= doc.clientWidth, scrollWidth: doc.scrollWidth, clientWidth: doc.clientWidth, scrollers };
  });
}

describe("the readable audit log", () => {
  it("an admin finds who opened a patient's chart by MRN or name, in words, and the log fits a laptop and a tablet", async () => {
    const ctx = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    const page = await ctx.newPage();
    await signIn(page, baseUrl, ADMIN);
    await page.waitForURL(`${baseUrl}/`);
    // The admin opens the chart: that view is what the log must show.
    await page.goto(`${baseUrl}/patients/${patient.id}`);
    await hydrated(page);

    await page.goto(`${baseUrl}/admin/audit`);
    await hydrated(page);
    await page.getByLabel("Patient (MRN or name)").fill(patient.mrn);
    await page.getByRole("button", { name: "Filter" }).click();
    await page.waitForURL(/patient=/);
    await hydrated(page);
    const table = page.getByRole("table", { name: "Audit events" });
    await visible(table.getByText("Opened a chart"));
    const text = await table.innerText();
    expect(text).toContain(`Wren ${last} · ${patient.mrn}`);
    expect(text).toContain("Dana Whitfield");
    expect(text).toContain("Changed level of care");
    expect(text).toContain("Level of care: IOP — intensive outpatient → PHP — partial hospitalization");
    expect(text).toContain("Enrolled a patient");
    // No raw codes, no JSON, no truncated ids.
    expect(text).not.toMatch(/patient\.(viewed|level_changed)|[{}]|"levelOfCare"/);
    expect(text).not.toContain(patient.id.slice(-8));
    expect(await fits(page)).toMatchObject({ page: true, scrollers: [] });

    // By part of the name, and by action chosen by its label.
    await page.getByLabel("Patient (MRN or name)").fill(`wren ${last.toLowerCase()}`);
    await page.getByLabel("Action").selectOption({ label: "Changed level of care" });
    await page.getByRole("button", { name: "Filter" }).click();
    await page.waitForURL(/action=patient.level_changed/);
    await hydrated(page);
    await visible(table.getByText("Level of care: IOP — intensive outpatient → PHP — partial hospitalization"));
    // The one change, and nothing else.
    await visible(page.getByText("1–1 of 1"));
    expect(await table.getByText("Opened a chart").count()).toBe(0);

    // The whole log, unfiltered, at a tablet's width: still no sideways scroll.
    await page.setViewportSize({ width: 820, height: 1180 });
    await page.goto(`${baseUrl}/admin/audit`);
    await hydrated(page);
    await visible(page.getByRole("table", { name: "Audit events" }).getByRole("row").nth(5));
    expect(await fits(page)).toMatchObject({ page: true, scrollers: [] });
    await page.setViewportSize({ width: 1366, height: 900 });
    await page.reload();
    await hydrated(page);
    expect(await fits(page)).toMatchObject({ page: true, scrollers: [] });
    await ctx.close();
  });

  it("the chart's own history reads the same way and fits", async () => {
    const ctx = await browser.newContext({ viewport: { width: 820, height: 1180 } });
    const page = await ctx.newPage();
    await signIn(page, baseUrl, ADMIN);
    await page.waitForURL(`${baseUrl}/`);
    await page.goto(`${baseUrl}/patients/${patient.id}/history`);
    await hydrated(page);
    const table = page.getByRole("table", { name: "Chart history" });
    await visible(table.getByText("Changed level of care"));
    const text = await table.innerText();
    expect(text).toContain("Level of care: IOP — intensive outpatient → PHP — partial hospitalization");
    expect(text).toContain("Section: history");
    expect(text).not.toMatch(/patient\.viewed|[{}]/);
    expect(await fits(page)).toMatchObject({ page: true, scrollers: [] });
    await page.setViewportSize({ width: 1366, height: 900 });
    await page.reload();
    await hydrated(page);
    expect(await fits(page)).toMatchObject({ page: true, scrollers: [] });
    await ctx.close();
  });
});

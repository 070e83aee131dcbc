/**
 * A counselor adding a diagnosis: a category code (F11.2) is refused with billable codes to choose
 * instead; picking F11.20 from the list shows and stores its official description.
 */
import type { Kysely } from "kysely";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, inject, it } from "vitest";
import { createDb } from "../../db/database";
import type { Database } from "../../db/schema";
import { enrollPatient } from "~/features/patients/patients.server";
import { launchBrowser } from "../support/browser";
import { meta } from "../support/demo";
import { intakeInput } from "../integration/patients-support";
import { COUNSELOR, hydrated, signIn, visible } from "./helpers";

const baseUrl = inject("baseUrl");
let browser: Browser;
let db: Kysely<Database>;

beforeAll(async () => {
  browser = await launchBrowser();
  db = createDb(inject("databaseUrl"));
});
afterAll(async () => {
  await browser?.close();
  await db?.destroy();
});

it("refuses F11.2 as a category and stores F11.20 picked from the list with its official description", async () => {
  const counselor = await db.selectFrom("users").select(["id", "name"]).where("email", "=", COUNSELOR).executeTakeFirstOrThrow();
  const siteIds = (await db.selectFrom("user_sites").select("site_id").where("user_id", "=", counselor.id).execute()).map((s) => s.site_id);
  const enrolled = await enrollPatient(
    db,
    counselor,
    intakeInput(siteIds[0], counselor.id, { legalFirstName: "Corinne", legalLastName: "Codewell", dateOfBirth: "1988-03-14", confirmDuplicate: "yes" }),
    siteIds,
    meta,
  );
  if (!enrolled.ok) throw new Error(JSON.stringify(enrolled));

  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  try {
    await signIn(page, baseUrl, COUNSELOR);
    await page.waitForURL(`${baseUrl}/`);
    await page.goto(`${baseUrl}/patients/${enrolled.id}/diagnoses`);
    await hydrated(page);
    await visible(page.getByText(/Billable codes of ICD-10-CM FY2026/));

    const code = page.getByLabel("ICD-10-CM code").and(page.locator("input"));
    await code.fill("F11.2");
    await page.keyboard.press("Escape");
    await page.getByRole("button", { name: "Add diagnosis" }).click();
    await visible(page.getByText(/F11\.2 is a category, not a billable code: choose e\.g\. F11\.20 \(Opioid dependence, uncomplicated\)/));
    expect(await page.getByRole("cell", { name: "F11.2" }).count()).toBe(0);

    // The typed F11.2 still narrows the list to the codes under it: pick F11.20.
    await code.click();
    await page.getByRole("option", { name: /^F11\.20 — Opioid dependence, uncomplicated$/ }).click();
    expect(await code.inputValue()).toBe("F11.20");
    expect(await page.getByLabel("Official description").inputValue()).toBe("Opioid dependence, uncomplicated");
    await page.getByRole("button", { name: "Add diagnosis" }).click();
    await visible(page.getByText("Added F11.20."));
    await visible(page.getByRole("cell", { name: "Opioid dependence, uncomplicated" }));
  } finally {
    await ctx.close();
  }
});

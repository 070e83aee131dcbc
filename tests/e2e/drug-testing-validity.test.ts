/**
 * Specimen validity as a tech meets it, in Chromium against the production build: a urine
 * collection logged at 88 °F opens on a test page that asks for an observed recollection; the
 * recollection is recorded from there, linked to the first, and its results entered as dilute
 * (creatinine 15 mg/dL, SG 1.0020) — the patient's drug tests then show "Negative, dilute".
 * Uses its own patient (no MAT, no tests today), so other tests on the shared server do not matter.
 */
import type { Kysely } from "kysely";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createDb } from "../../db/database";
import type { Database } from "../../db/schema";
import { launchBrowser } from "../support/browser";
import { hydrated, signIn, STAFF, visible } from "./helpers";

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

async function signedIn(email: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await signIn(page, baseUrl, email);
  await page.waitForURL(`${baseUrl}/`);
  await hydrated(page);
  return page;
}

describe("specimen validity, end to end", () => {
  it("a tech logs 88 °F and is asked for an observed recollection; the recollection, dilute and negative, shows as 'Negative, dilute'", async () => {
    // A patient in the program at the tech's site, on no MAT and with no open alerts.
    const staffId = (await db.selectFrom("users").select("id").where("email", "=", STAFF).executeTakeFirstOrThrow()).id;
    const patient = await db
      .selectFrom("patients as p")
      .innerJoin("user_sites as us", "us.site_id", "p.site_id")
      .select(["p.id", "p.legal_last_name"])
      .where("us.user_id", "=", staffId)
      .where("p.status", "=", "active")
      .where((eb) => eb.not(eb.exists(eb.selectFrom("mat_episodes as m").select("m.id").whereRef("m.patient_id", "=", "p.id"))))
      .where((eb) =>
        eb.not(eb.exists(eb.selectFrom("drug_test_alerts as a").select("a.id").whereRef("a.patient_id", "=", "p.id").where("a.status", "=", "open"))),
      )
      .orderBy("p.mrn", "desc")
      .executeTakeFirstOrThrow();

    const page = await signedIn(STAFF);
    await page.goto(`${baseUrl}/drug-tests/new?patient=${patient.id}`);
    await hydrated(page);
    await page.getByLabel("Reason").selectOption("for_cause");
    await page.getByLabel("Urine temperature (°F)").fill("88");
    // The form warns before anything is saved.
    await visible(page.getByText("Out of range: collect again under direct observation"));
    await page.getByRole("button", { name: "Record collection" }).click();
    await page.waitForURL(/\/drug-tests\/[0-9a-f-]{36}$/);
    await hydrated(page);
    const firstId = page.url().split("/").pop()!;

    // The alert asks for an observed recollection.
    const ask = page.getByRole("alert").filter({ hasText: "Observed recollection needed" });
    await visible(ask);
    expect(await ask.textContent()).toContain("Temperature out of range (88 °F)");
    expect(await ask.textContent()).toContain("under direct observation");
    await visible(page.getByText("88 °F, out of range (90–100 °F)"));
    const alert = await db.selectFrom("drug_test_alerts").select(["kind", "status"]).where("test_id", "=", firstId).execute();
    expect(alert).toEqual([{ kind: "temperature", status: "open" }]);

    // Record the observed recollection from the alert: same patient, observed already ticked.
    await ask.getByRole("link", { name: "Record the observed recollection" }).click();
    await page.waitForURL(/\/drug-tests\/new\?/);
    await hydrated(page);
    await visible(page.getByText(/This collection recollects the test of .*, and must be collected under direct observation/));
    expect(await page.getByLabel("The collection was observed").isChecked()).toBe(true);
    await page.getByLabel("Urine temperature (°F)").fill("96");
    await page.getByRole("button", { name: "Record collection" }).click();
    await page.waitForURL((url) => /\/drug-tests\/[0-9a-f-]{36}$/.test(url.pathname) && !url.pathname.endsWith(firstId));
    await hydrated(page);
    const secondId = page.url().split("/").pop()!;
    await visible(page.getByRole("link", { name: /^the test on / }));
    expect((await db.selectFrom("drug_tests").select("recollection_of").where("id", "=", secondId).executeTakeFirstOrThrow()).recollection_of).toBe(firstId);

    // Its results: dilute by the lab's figures, nothing detected.
    await page.getByLabel("Specimen validity").selectOption("dilute");
    await page.getByLabel("Creatinine (mg/dL, optional)").fill("15");
    await page.getByLabel("Specific gravity (optional)").fill("1.002");
    await page.getByRole("button", { name: "Mark the pending ones negative" }).click();
    await page.getByRole("button", { name: "Save results" }).click();
    await visible(page.getByText("Recollection needed", { exact: true }));
    await visible(page.getByText("Negative, dilute", { exact: true }).first());

    // The patient's drug tests show it as "Negative, dilute", not as a plain negative.
    await page.goto(`${baseUrl}/patients/${patient.id}/drug-tests`);
    await hydrated(page);
    const table = page.getByRole("table", { name: "Drug tests" });
    await visible(table);
    expect(await table.getByText("Negative, dilute", { exact: true }).count()).toBeGreaterThan(0);
    await page.context().close();
  }, 200_000);
});

/**
 * Quick search ("Find a patient", the header button or `/`): Enter opens the first match, even when
 * pressed before the matches have come, and the match the arrow keys highlighted after they moved.
 */
import type { Kysely } from "kysely";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createDb } from "../../db/database";
import type { Database } from "../../db/schema";
import { searchPatients } from "~/features/patients/caseload.server";
import { launchBrowser } from "../support/browser";
import { COUNSELOR, hydrated, signIn, visible } from "./helpers";

const baseUrl = inject("baseUrl");
let browser: Browser;
let db: Kysely<Database>;
let ctx: BrowserContext;
let page: Page;
let siteIds: string[];

beforeAll(async () => {
  browser = await launchBrowser();
  db = createDb(inject("databaseUrl"));
  const counselor = await db.selectFrom("users").select("id").where("email", "=", COUNSELOR).executeTakeFirstOrThrow();
  siteIds = (await db.selectFrom("user_sites").select("site_id").where("user_id", "=", counselor.id).execute()).map((s) => s.site_id);
  ctx = await browser.newContext();
  page = await ctx.newPage();
  await signIn(page, baseUrl, COUNSELOR);
  await page.waitForURL(`${baseUrl}/`);
  await hydrated(page);
});
afterAll(async () => {
  await ctx?.close();
  await browser?.close();
  await db?.destroy();
});

/** What the search answers for a text, in its order (the app's own query, on the test's database). */
const matches = (q: string) => searchPatients(db, q, siteIds);

/** A part of a demo patient's last name that finds that patient alone. */
async function partOfOneName(): Promise<{ part: string; id: string }> {
  const patients = await db.selectFrom("patients").select(["id", "legal_last_name"]).where("site_id", "in", siteIds).orderBy("mrn").execute();
  for (const p of patients) {
    const part = p.legal_last_name.slice(0, 5).toLowerCase();
    const found = await matches(part);
    if (found.length === 1 && found[0].id === p.id) return { part, id: p.id };
  }
  throw new Error("No demo patient has a last name whose first five letters find them alone.");
}

async function openSearch(how: "button" | "slash") {
  await page.goto(`${baseUrl}/`);
  await hydrated(page);
  if (how === "button") await page.getByRole("button", { name: "Find a patient" }).click();
  else await page.keyboard.press("/");
  const box = page.getByLabel("Find a patient by name or MRN");
  await visible(box);
  return box;
}

async function landedOn(id: string) {
  await page.waitForURL(`${baseUrl}/patients/${id}`);
  await hydrated(page);
  const name = (await db.selectFrom("patients").select("legal_last_name").where("id", "=", id).executeTakeFirstOrThrow()).legal_last_name;
  await visible(page.getByRole("heading", { level: 1, name: new RegExp(name) }));
}

describe("quick search", () => {
  it("opens the only match when Enter is pressed straight after typing, before the matches show", async () => {
    const { part, id } = await partOfOneName();
    const box = await openSearch("slash");
    await box.fill(part);
    await box.press("Enter");
    await landedOn(id);
  });

  it("opens the first match, highlighted, when Enter is pressed with the list on screen", async () => {
    const found = await matches("an");
    expect(found.length).toBeGreaterThanOrEqual(2);
    const box = await openSearch("button");
    await box.fill("an");
    const list = page.getByRole("dialog").getByLabel("Matching patients");
    await visible(list.getByRole("button", { name: found[0].name }));
    await visible(list.locator("[data-selected]", { hasText: found[0].name }));
    await box.press("Enter");
    await landedOn(found[0].id);
  });

  it("opens the match the arrow keys moved to", async () => {
    const found = await matches("an");
    const box = await openSearch("slash");
    await box.fill("an");
    await visible(page.getByRole("dialog").getByRole("button", { name: found[1].name }));
    await box.press("ArrowDown");
    await box.press("Enter");
    await landedOn(found[1].id);
  });
});

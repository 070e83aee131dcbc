/**
 * Credentials and supervision, in Chromium against the production build: an admin tries to let an
 * intern sign alone and is refused (what they ticked stays), then records that Elena Ortiz now
 * holds a CADC and is co-signed by Priya Raman; the staff list shows it beside her name. A
 * counselor posting the same form is refused and changes nothing.
 */
import type { Kysely } from "kysely";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createDb } from "../../db/database";
import type { Database } from "../../db/schema";
import { launchBrowser } from "../support/browser";
import { postForm, signInCookie } from "../support/server";
import { ADMIN, COUNSELOR, hydrated, visible } from "./helpers";

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

async function pageAs(email: string): Promise<Page> {
  const [name, value] = (await signInCookie(baseUrl, email)).split("=");
  const ctx = await browser.newContext();
  await ctx.addCookies([{ name, value, url: baseUrl }]);
  return ctx.newPage();
}

const elenaRow = async () =>
  db
    .selectFrom("users")
    .select(["id", "credentials", "signs_independently", "clinical_supervisor", "usual_supervisor_id", "version"])
    .where("email", "=", "elena.ortiz@harborlight.example")
    .executeTakeFirstOrThrow();

describe("credentials and supervision", () => {
  it("an admin records a counselor's credential and co-signing supervisor and sees them in the staff list", async () => {
    const page = await pageAs(ADMIN);
    await page.goto(`${baseUrl}/admin/users?q=Elena`);
    await hydrated(page);
    await page.getByRole("table", { name: "Staff accounts" }).getByRole("link", { name: "Elena Ortiz" }).click();
    await page.waitForURL(/\/admin\/users\/[^/]+$/);
    await hydrated(page);
    await visible(page.getByRole("heading", { name: "Credentials and supervision" }));

    // An intern may never sign alone: refused, and what the admin ticked is still ticked.
    expect(await page.getByLabel("Intern or trainee").isChecked()).toBe(true);
    await page.getByLabel("May sign clinical documents independently").check();
    await page.getByRole("button", { name: "Save credentials" }).click();
    await visible(page.getByText(/An intern or trainee cannot sign clinical documents independently/));
    expect(await page.getByLabel("May sign clinical documents independently").isChecked()).toBe(true);
    const untouched = await elenaRow();
    expect(untouched.credentials).toBe("INTERN");

    // She passed her CADC: still co-signed, by Priya.
    await page.getByLabel("Intern or trainee").uncheck();
    await page.getByLabel("Certified Alcohol and Drug Counselor (CADC)").check();
    await page.getByLabel("May sign clinical documents independently").uncheck();
    await page.getByLabel("Usual co-signing supervisor (optional)").selectOption({ label: "Priya Raman, LCSW" });
    await page.getByRole("button", { name: "Save credentials" }).click();
    await visible(page.getByText("Credentials saved."));
    await visible(page.getByLabel("Credentials: CADC"));
    const saved = await elenaRow();
    expect(saved).toMatchObject({ credentials: "CADC", signs_independently: 0, clinical_supervisor: 0, version: untouched.version + 1 });
    const priya = await db.selectFrom("users").select("id").where("email", "=", "priya.raman@harborlight.example").executeTakeFirstOrThrow();
    expect(saved.usual_supervisor_id).toBe(priya.id);
    const audit = await db
      .selectFrom("audit_events")
      .select(["changes", "user_name"])
      .where("entity_id", "=", saved.id)
      .where("action", "=", "user.credentials_changed")
      .orderBy("seq", "desc")
      .executeTakeFirstOrThrow();
    expect(audit.user_name).toBe("Dana Whitfield");
    expect(JSON.parse(audit.changes!)).toEqual({ before: { credentials: ["INTERN"] }, after: { credentials: ["CADC"] } });

    await page.getByRole("link", { name: "← Staff accounts" }).click();
    await page.waitForURL(/\/admin\/users$/);
    await hydrated(page);
    const row = page.getByRole("table", { name: "Staff accounts" }).getByRole("row").filter({ hasText: "Elena Ortiz" });
    await visible(row.getByText(", CADC"));
    await visible(row.getByText("Needs co-signature"));
    await visible(page.getByRole("row").filter({ hasText: "Priya Raman" }).getByText("Supervisor", { exact: true }));
    await page.context().close();
  });

  it("refuses a counselor who posts the credentials form, and changes nothing", async () => {
    const before = await elenaRow();
    const cookie = await signInCookie(baseUrl, COUNSELOR);
    const res = await postForm(baseUrl, `/admin/users/${before.id}`, cookie, {
      intent: "credentials",
      version: String(before.version),
      credentials: "LCSW",
      signsIndependently: "yes",
      clinicalSupervisor: "yes",
    });
    expect(res.status).toBe(403);
    expect(await elenaRow()).toEqual(before);
  });
});

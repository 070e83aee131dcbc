import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { launchBrowser } from "../support/browser";
import { ADMIN, COUNSELOR, hydrated, signIn, visible } from "./helpers";

const baseUrl = inject("baseUrl");
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(() => browser?.close());

describe("sites and sessions", () => {
  it("someone who works at two sites switches between them; one site shows no switcher", async () => {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    await signIn(page, baseUrl, inject("multiSiteEmail"), "correct-horse-battery-staple");
    await page.waitForURL(`${baseUrl}/`);
    await hydrated(page);
    const site = page.getByLabel("Site");
    await visible(site);
    expect(await site.locator("option").allTextContents()).toEqual(["Harbor Light Recovery – Eastside", "Harbor Light Recovery – Riverside"]);
    await site.selectOption({ label: "Harbor Light Recovery – Riverside" });
    await visible(page.getByText("Harbor Light Recovery – Riverside (America/New_York)"));
    await site.selectOption({ label: "Harbor Light Recovery – Eastside" });
    await visible(page.getByText("Harbor Light Recovery – Eastside (America/Chicago)"));
    // The choice belongs to the session: it holds on the next page load.
    await page.reload();
    await visible(page.getByText("Harbor Light Recovery – Eastside (America/Chicago)"));
    await ctx.close();

    const single = await browser.newContext();
    const other = await single.newPage();
    await signIn(other, baseUrl, COUNSELOR);
    await other.waitForURL(`${baseUrl}/`);
    await hydrated(other);
    expect(await other.getByLabel("Site").count()).toBe(0);
    await single.close();
  });

  it("'Sign out everywhere' ends the person's sessions on every device", async () => {
    const laptop = await browser.newContext();
    const desk = await browser.newContext();
    const a = await laptop.newPage();
    const b = await desk.newPage();
    for (const p of [a, b]) {
      await signIn(p, baseUrl, ADMIN);
      await p.waitForURL(`${baseUrl}/`);
    }
    const deskCookie = (await desk.cookies()).find((c) => c.name === "iop_session")!.value;
    await a.goto(`${baseUrl}/account`);
    await hydrated(a);
    await a.getByRole("button", { name: "Sign out everywhere" }).click();
    await a.waitForURL(/\/login/);
    await b.goto(`${baseUrl}/admin/users`);
    await b.waitForURL(/\/login\?redirectTo=%2Fadmin%2Fusers/);
    // Replaying the old cookie gets nothing.
    const replay = await fetch(`${baseUrl}/`, { headers: { Cookie: `iop_session=${deskCookie}` }, redirect: "manual" });
    expect(replay.status).toBe(302);
    expect(replay.headers.get("location")).toContain("/login");
    await laptop.close();
    await desk.close();
  });
});

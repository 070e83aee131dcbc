import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { launchBrowser } from "../support/browser";
import { COUNSELOR, hydrated, signIn, visible } from "./helpers";

const baseUrl = inject("baseUrl");
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(() => browser?.close());

const NOT_VALID = "This calendar address is not valid (it may have been revoked).";

describe("calendar subscription", () => {
  it("a counselor makes a calendar address, a calendar app reads it without signing in, and turning it off ends it", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await signIn(page, baseUrl, COUNSELOR);
    await page.waitForURL(`${baseUrl}/`);
    await page.goto(`${baseUrl}/account`);
    await hydrated(page);
    await visible(page.getByRole("heading", { name: "Calendar subscription" }));

    await page.getByRole("button", { name: "Create calendar address" }).click();
    const field = page.getByLabel("Calendar address", { exact: true });
    await visible(field);
    const address = await field.inputValue();
    expect(address).toMatch(new RegExp(`^${baseUrl}/calendar/[0-9a-f-]{36}\\.[A-Za-z0-9_-]{43}\\.ics$`));
    await visible(page.getByText(/It will not be shown again/));
    await visible(page.getByRole("button", { name: "Copy the address" }));
    await visible(page.getByRole("button", { name: "Replace calendar address" }));

    // A calendar app carries no cookie: the address alone is the key.
    const res = await fetch(address);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/calendar; charset=utf-8");
    expect(res.headers.get("cache-control")).toBe("no-store");
    const ics = await res.text();
    expect(ics).toContain("BEGIN:VCALENDAR");
    expect(ics).toContain("Morning Process Group");
    expect(ics).not.toContain("Relapse Prevention"); // someone else's group

    // The page says the address is on and has been read; the address itself is not shown again.
    await page.reload();
    await hydrated(page);
    await visible(page.getByText(/A calendar app last read it/));
    expect(await page.getByLabel("Calendar address", { exact: true }).count()).toBe(0);

    await page.getByRole("button", { name: "Turn off calendar address" }).click();
    await visible(page.getByText("Your calendar address is turned off.", { exact: false }));
    await visible(page.getByRole("button", { name: "Create calendar address" }));

    const after = await fetch(address);
    expect(after.status).toBe(404);
    expect(after.headers.get("content-type")).toContain("text/plain");
    expect(await after.text()).toBe(NOT_VALID);
    await context.close();
  });

  it("an address that was never made, or is malformed, gets the same 404", async () => {
    for (const path of [
      "/calendar/nothing.ics",
      "/calendar/01900000-0000-7000-8000-000000000000.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.ics",
      "/calendar/01900000-0000-7000-8000-000000000000.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
    ]) {
      const res = await fetch(`${baseUrl}${path}`, { redirect: "manual" });
      expect(res.status, path).toBe(404);
      expect(await res.text()).toBe(NOT_VALID);
    }
  });
});

import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { launchBrowser } from "../support/browser";
import { ADMIN, DEMO_PASSWORD, hydrated, signIn, visible } from "./helpers";

// This server runs with a short SESSION_IDLE_TIMEOUT_SECONDS (global-setup.ts).
const baseUrl = inject("shortIdleUrl");
const idleSeconds = inject("shortIdleSeconds");
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(() => browser?.close());

describe("inactivity time-out", () => {
  it("sends an idle screen back to sign-in and returns the person where they were", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await signIn(page, baseUrl, ADMIN);
    await page.waitForURL(`${baseUrl}/`);
    await page.goto(`${baseUrl}/admin/users?sort=email&dir=desc`);
    await hydrated(page);
    await visible(page.getByRole("heading", { name: "Staff accounts" }));

    // Nobody touches the screen: it leaves the patient-facing page on its own.
    // The page checks 1.5 s after the time-out; allow for a slow answer on a loaded machine.
    await page.waitForURL(/\/login\?/, { timeout: idleSeconds * 1000 + 20_000 });
    await visible(page.getByText(/Nothing happened for .* minutes, so your session ended/));
    expect(new URL(page.url()).searchParams.get("redirectTo")).toBe("/admin/users?sort=email&dir=desc");

    await hydrated(page);
    await page.getByLabel("Email").fill(ADMIN);
    await page.getByLabel("Password").fill(DEMO_PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(`${baseUrl}/admin/users?sort=email&dir=desc`);
    await visible(page.getByRole("heading", { name: "Staff accounts" }));
    await context.close();
  });
});

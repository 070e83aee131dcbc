/**
 * Setting up two-factor sign-in and choosing a password, in Chromium, on a clinic of its own with
 * the program's default policy (admins must use two-factor sign-in):
 *  - with JavaScript off (a locked-down browser, or a page whose script has not loaded), the admin's
 *    first sign-in still sets up the authenticator app, shows the ten recovery codes, and reaches
 *    Home signed in; a counselor turns it on from their account page the same way;
 *  - the recovery codes can be copied, downloaded as a text file and printed on their own;
 *  - a password from a list of breached passwords is refused with a clear reason.
 * Codes are computed from the key the page shows, as an authenticator app would.
 */
import { decodeBase32IgnorePadding } from "@oslojs/encoding";
import { generateHOTP } from "@oslojs/otp";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createDb } from "../../db/database";
import { migrateToLatest } from "../../db/migrator";
import { seedDemo } from "../../seeds/demo";
import { emptyDatabase } from "../support/databases";
import { ADMIN, COUNSELOR, DEMO_PASSWORD, downloadText, hydrated, seriousViolations, signIn, STAFF, visible } from "./helpers";
import type { RunningServer } from "../support/server";
import { serveOwnClinic } from "./support/server";

let drop: () => Promise<void>;
let server: RunningServer;
let browser: Browser;
let own: Awaited<ReturnType<typeof serveOwnClinic>> | undefined;

/** The code an authenticator app shows now for `key`, `offset` 30-second steps away. */
const totp = (key: string, offset = 0) => generateHOTP(decodeBase32IgnorePadding(key), BigInt(Math.floor(Date.now() / 30_000) + offset), 6);

beforeAll(async () => {
  const fresh = await emptyDatabase(inject("dialect"));
  drop = fresh.drop;
  const db = createDb(fresh.url);
  await migrateToLatest(db);
  await seedDemo(db, { patients: false });
  await db.destroy();
  own = await serveOwnClinic(fresh.url);
  ({ server, browser } = own);
});

afterAll(async () => {
  await own?.close();
  await drop?.();
});

/** Signs in through the plain HTML form (no script runs without JavaScript). */
async function signInWithoutScript(page: Page, email: string) {
  await page.goto(`${server.url}/login`);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
}

const shownKey = async (page: Page) => (await page.getByLabel("Key for typing in by hand").innerText()).replace(/\s+/g, "");

async function recoveryCodesShown(page: Page): Promise<string[]> {
  const list = page.getByRole("list", { name: "Recovery codes" });
  await visible(list);
  const codes = (await list.getByRole("listitem").allInnerTexts()).map((c) => c.trim());
  expect(codes).toHaveLength(10);
  for (const c of codes) expect(c).toMatch(/^[a-z2-7]{5}-[a-z2-7]{5}$/);
  return codes;
}

async function sessionCookie(ctx: BrowserContext) {
  return (await ctx.cookies(server.url)).find((c) => c.name === "iop_session")?.value ?? null;
}

describe("two-factor set-up without JavaScript", () => {
  it("sets up the admin's authenticator app at first sign-in, shows the ten recovery codes, and reaches Home signed in", async () => {
    const ctx = await browser.newContext({ javaScriptEnabled: false });
    const page = await ctx.newPage();
    await signInWithoutScript(page, ADMIN);
    await page.waitForURL(/\/login\/two-factor-setup/);
    await visible(page.getByRole("heading", { name: "Set up two-factor sign-in" }));
    const key = await shownKey(page);
    expect(key).toMatch(/^[A-Z2-7]{32}$/);
    const pendingSession = await sessionCookie(ctx);
    expect(pendingSession).not.toBeNull();

    // A wrong code says why and keeps the same key on screen: the app already holds that key.
    await page.getByLabel("Code from the app").fill(totp(key, 6));
    await page.getByRole("button", { name: "Turn on two-factor sign-in" }).click();
    await visible(page.getByText("That code is not right."));
    expect(await shownKey(page)).toBe(key);

    await page.getByLabel("Code from the app").fill(totp(key));
    await page.getByRole("button", { name: "Turn on two-factor sign-in" }).click();
    await visible(page.getByText("Two-factor sign-in is on."));
    await recoveryCodesShown(page);
    // The page that shows the codes also carried the new, full session (a new token, not the
    // password-only one).
    const fullSession = await sessionCookie(ctx);
    expect(fullSession).not.toBeNull();
    expect(fullSession).not.toBe(pendingSession);
    // Without script the codes are plain text on the page, to read or select.
    expect(await page.getByRole("button", { name: "Download codes" }).count()).toBe(0);

    await page.getByRole("link", { name: "I have saved my recovery codes" }).click();
    await page.waitForURL(`${server.url}/`);
    await visible(page.getByRole("heading", { level: 1, name: /Good (morning|afternoon|evening)/ }));
    await page.goto(`${server.url}/account/two-factor`);
    await visible(page.getByText(/10 of 10 recovery codes are unused/));
    await ctx.close();
  });

  it("turns it on from a counselor's account page and shows the codes", async () => {
    const ctx = await browser.newContext({ javaScriptEnabled: false });
    const page = await ctx.newPage();
    await signInWithoutScript(page, COUNSELOR);
    await page.waitForURL(`${server.url}/`);
    await page.goto(`${server.url}/account/two-factor`);
    const key = await shownKey(page);
    await page.getByLabel("Code from the app").fill(totp(key, 6));
    await page.getByRole("button", { name: "Turn on two-factor sign-in" }).click();
    await visible(page.getByText("That code is not right."));
    expect(await shownKey(page)).toBe(key);
    await page.getByLabel("Code from the app").fill(totp(key));
    await page.getByRole("button", { name: "Turn on two-factor sign-in" }).click();
    await recoveryCodesShown(page);
    await visible(page.getByText(/10 of 10 recovery codes are unused/));
    await ctx.close();
  });
});

describe("recovery codes", () => {
  it("can be copied, downloaded as a text file, and printed on their own", async () => {
    const ctx = await browser.newContext({ permissions: ["clipboard-read", "clipboard-write"] });
    const page = await ctx.newPage();
    await signIn(page, server.url, STAFF);
    await page.waitForURL(`${server.url}/`);
    await page.goto(`${server.url}/account/two-factor`);
    await hydrated(page);
    const key = await shownKey(page);
    await page.getByLabel("Code from the app").fill(totp(key));
    await page.getByRole("button", { name: "Turn on two-factor sign-in" }).click();
    const codes = await recoveryCodesShown(page);
    await visible(page.getByRole("button", { name: "Copy codes" }));
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByRole("button", { name: "Copy codes" }).click();
    await visible(page.getByRole("button", { name: "Copied" }));
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    for (const c of codes) expect(copied).toContain(c);

    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Download codes" }).click()]);
    expect(download.suggestedFilename()).toBe("iop-dashboard-recovery-codes.txt");
    const text = await downloadText(download);
    for (const c of codes) expect(text).toContain(c);
    expect(text).toContain("tom.kowalski@harborlight.example");

    await page.evaluate(() => {
      (window as unknown as { printed: number }).printed = 0;
      window.print = () => void (window as unknown as { printed: number }).printed++;
    });
    await page.getByRole("button", { name: "Print codes" }).click();
    expect(await page.evaluate(() => (window as unknown as { printed: number }).printed)).toBe(1);
    // On paper: the codes and what they are, not the page around them or its buttons.
    await page.emulateMedia({ media: "print" });
    expect(await page.getByRole("list", { name: "Recovery codes" }).isVisible()).toBe(true);
    expect(await page.getByRole("heading", { name: "Recovery codes" }).isVisible()).toBe(true);
    expect(await page.getByRole("heading", { level: 1, name: "Two-factor sign-in" }).isVisible()).toBe(false);
    expect(await page.getByRole("button", { name: "Print codes" }).isVisible()).toBe(false);
    expect(await page.getByRole("button", { name: "Make new recovery codes" }).isVisible()).toBe(false);
    await page.emulateMedia({ media: "screen" });
    await ctx.close();
  });
});

describe("breached passwords", () => {
  it("refuses a new password found in a list of breached passwords, and saves one that is not", async () => {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    await signIn(page, server.url, "aisha.grant@harborlight.example");
    await page.waitForURL(`${server.url}/`);
    await page.goto(`${server.url}/account/password`);
    await hydrated(page);
    // Long enough, and zxcvbn scores it strong: only the breach list knows better.
    await page.getByLabel("Current password").fill(DEMO_PASSWORD);
    await page.getByLabel("New password", { exact: true }).fill("30secondstomars");
    await page.getByLabel("Confirm new password").fill("30secondstomars");
    await page.getByRole("button", { name: "Save new password" }).click();
    await visible(page.getByText("This password appears in a list of passwords exposed in data breaches; choose another."));
    await page.getByLabel("Current password").fill(DEMO_PASSWORD);
    await page.getByLabel("New password", { exact: true }).fill("lantern quietly orbit 4 mosaic");
    await page.getByLabel("Confirm new password").fill("lantern quietly orbit 4 mosaic");
    await page.getByRole("button", { name: "Save new password" }).click();
    await page.waitForURL(`${server.url}/`);
    await visible(page.getByText("Your password was changed."));
    await ctx.close();
  });
});

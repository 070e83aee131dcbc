import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, inject, it } from "vitest";
import { launchBrowser } from "../support/browser";
import { ADMIN, COUNSELOR, DEMO_PASSWORD, hydrated, signIn, signOut, STAFF, visible } from "./helpers";

const baseUrl = inject("baseUrl");
let browser: Browser;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(() => browser?.close());
beforeEach(async () => {
  context = await browser.newContext();
  page = await context.newPage();
});
afterEach(() => context?.close());

async function navLabels(p: Page): Promise<string[]> {
  const nav = p.getByRole("navigation", { name: "Main" });
  await visible(nav.getByRole("link").first());
  return (await nav.getByRole("link").allTextContents()).map((s) => s.trim());
}

describe("signing in by role", () => {
  it.each([
    [
      ADMIN,
      "Admin",
      ["Home", "Patients", "Schedule", "Drug tests", "Reports", "Charges", "Claims", "Authorizations", "Program setup", "Staff accounts", "Sites", "Audit log"],
    ],
    [COUNSELOR, "Counselor", ["Home", "Patients", "Schedule", "Drug tests", "Reports"]],
    [STAFF, "Staff", ["Home", "Patients", "Schedule", "Drug tests"]],
  ])("%s signs in and sees the %s navigation only", async (email, role, expected) => {
    await signIn(page, baseUrl, email);
    await page.waitForURL(`${baseUrl}/`);
    await hydrated(page);
    expect(await navLabels(page)).toEqual(expected);
    // Every section but Home has its card on Home, saying what it holds.
    for (const section of expected.slice(1)) {
      const card = page
        .getByRole("main")
        .locator(".mantine-Card-root")
        .filter({ has: page.getByRole("link", { name: section, exact: true }) })
        .last();
      expect((await card.innerText()).replace(section, "").trim().length, section).toBeGreaterThan(20);
    }
    await visible(page.getByRole("button", { name: /Account menu/ }).getByText(role, { exact: true }));
    await signOut(page);
    // Signed out for real: the home page sends them back to sign in.
    await page.goto(`${baseUrl}/`);
    await page.waitForURL(/\/login\?redirectTo=%2F/);
  });

  it("describes on Home only what the role can do, and titles the next-week card by what it says", async () => {
    await signIn(page, baseUrl, STAFF);
    await page.waitForURL(`${baseUrl}/`);
    await hydrated(page);
    const patientsCard = page.locator(".mantine-Card-root").filter({ has: page.getByRole("link", { name: "Patients", exact: true }) });
    await visible(patientsCard.getByText(/Who is in the program/));
    const main = await page.getByRole("main").innerText();
    // Staff see who a patient is, never the clinical record, and do not book sessions.
    expect(main).not.toMatch(/diagnoses|\bMAT\b|booking/i);
    await signOut(page);

    await signIn(page, baseUrl, COUNSELOR);
    await page.waitForURL(`${baseUrl}/`);
    await hydrated(page);
    await visible(page.getByText(/Caseloads, intake, diagnoses, MAT/));
    // The next-week card's title agrees with what it says: "Next week" when everyone on the
    // caseload is booked (as in the fresh demo), "Nothing scheduled next week" over the list of
    // those who are not (other tests on this server may have enrolled someone since).
    const nextWeek = page.locator(".mantine-Card-root").filter({ has: page.getByRole("heading", { name: /^(Next week|Nothing scheduled next week)$/ }) });
    await visible(nextWeek);
    const everyoneBooked = (await nextWeek.getByText(/Every active patient on your caseload has a session/).count()) > 0;
    await visible(nextWeek.getByRole("heading", { name: everyoneBooked ? "Next week" : "Nothing scheduled next week", exact: true }));
    await signOut(page);
  });

  it("tells a person with a wrong password, and keeps the email they typed", async () => {
    await signIn(page, baseUrl, COUNSELOR, "not-the-password-at-all");
    await visible(page.getByRole("alert").getByText("That email and password do not match an active account."));
    expect(await page.getByLabel("Email").inputValue()).toBe(COUNSELOR);
    expect(await page.getByLabel("Password").inputValue()).toBe("");
  });

  it("says what is missing when the form is sent empty", async () => {
    await page.goto(`${baseUrl}/login`);
    await hydrated(page);
    await page.getByLabel("Email").fill("not-an-email");
    await page.getByRole("button", { name: "Sign in" }).click();
    await visible(page.getByText("Enter a valid email address, like name@clinic.org."));
    await visible(page.getByText("Enter your password."));
  });

  it("locks the account on the sixth attempt after five wrong passwords", async () => {
    const email = inject("lockoutEmail");
    for (let i = 0; i < 5; i++) {
      await signIn(page, baseUrl, email, `wrong-password-${i}-xyz`);
      await visible(page.getByText("That email and password do not match an active account."));
    }
    await signIn(page, baseUrl, email, "correct-horse-battery-staple");
    await visible(page.getByText(/Too many failed attempts\. Sign-in for this account is paused for 15 minutes/));
    expect(page.url()).toContain("/login");
  });

  it("returns a person to the page they asked for after signing in", async () => {
    await page.goto(`${baseUrl}/admin/audit?action=auth.sign_in`);
    await page.waitForURL(/\/login\?redirectTo=/);
    await hydrated(page);
    await page.getByLabel("Email").fill(ADMIN);
    await page.getByLabel("Password").fill(DEMO_PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(`${baseUrl}/admin/audit?action=auth.sign_in`);
    await visible(page.getByRole("heading", { name: "Audit log" }));
  });

  it("shows the 403 page, naming what is missing, when staff open an admin page", async () => {
    await signIn(page, baseUrl, STAFF);
    await page.waitForURL(`${baseUrl}/`);
    const res = await page.goto(`${baseUrl}/admin/users`);
    expect(res?.status()).toBe(403);
    await visible(page.getByRole("heading", { name: "You don't have access to this page" }));
    await visible(page.getByText(/needs permission to create staff accounts.*admin role has\. You are signed in as staff\./));
    // The shell is still there, so they can get back to work.
    expect(await navLabels(page)).toEqual(["Home", "Patients", "Schedule", "Drug tests"]);
  });
});

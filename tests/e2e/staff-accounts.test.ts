import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { launchBrowser } from "../support/browser";
import { ADMIN, hydrated, signIn, signOut, visible } from "./helpers";

const baseUrl = inject("baseUrl");
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(() => browser?.close());

describe("staff accounts", () => {
  it("an admin creates a counselor, who must set their own password at first sign-in", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await signIn(page, baseUrl, ADMIN);
    await page.waitForURL(`${baseUrl}/`);
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Staff accounts" }).click();
    await page.getByRole("link", { name: "Add a staff member" }).click();
    await page.waitForURL(`${baseUrl}/admin/users/new`);
    await hydrated(page);

    // A weak temporary password is refused, with the rest of the form kept.
    await page.getByLabel("Full name").fill("Jordan Reyes");
    await page.getByLabel("Email").fill("jordan.reyes@harborlight.example");
    await page.getByLabel("Role", { exact: true }).selectOption("counselor");
    await page.getByLabel("Temporary password").fill("password1234");
    await page.getByRole("button", { name: "Create account" }).click();
    await visible(page.getByText(/too common or too easy to guess/));
    expect(await page.getByLabel("Full name").inputValue()).toBe("Jordan Reyes");
    expect(await page.getByLabel("Role", { exact: true }).inputValue()).toBe("counselor");

    await page.getByLabel("Temporary password").fill("maple-lantern-orbit-47");
    await page.getByRole("button", { name: "Create account" }).click();
    await page.waitForURL(/\/admin\/users\/[0-9a-f-]{36}$/);
    await visible(page.getByRole("heading", { name: "Jordan Reyes" }));
    await visible(page.getByText("Must set password").first());
    await signOut(page);

    await signIn(page, baseUrl, "jordan.reyes@harborlight.example", "maple-lantern-orbit-47");
    await page.waitForURL(`${baseUrl}/account/password`);
    await visible(page.getByRole("heading", { name: "Set your own password" }));
    // Until they do, every other page sends them back here.
    await page.goto(`${baseUrl}/`);
    await page.waitForURL(`${baseUrl}/account/password`);
    await hydrated(page);
    await page.getByLabel("Current password").fill("maple-lantern-orbit-47");
    await page.getByLabel("New password", { exact: true }).fill("quiet-river-copper-kite");
    await page.getByLabel("Confirm new password").fill("quiet-river-copper-kite");
    await page.getByRole("button", { name: "Save new password" }).click();
    await page.waitForURL(`${baseUrl}/`);
    await visible(page.getByRole("heading", { name: /Jordan/ }));
    await visible(page.getByText("Your password was changed."));
    await signOut(page);

    // The new password works; the temporary one no longer does.
    await signIn(page, baseUrl, "jordan.reyes@harborlight.example", "maple-lantern-orbit-47");
    await visible(page.getByText("That email and password do not match an active account."));
    await signIn(page, baseUrl, "jordan.reyes@harborlight.example", "quiet-river-copper-kite");
    await page.waitForURL(`${baseUrl}/`);
    await context.close();
  });

  it("deactivating a user signs them out at once", async () => {
    const adminCtx = await browser.newContext();
    const userCtx = await browser.newContext();
    const admin = await adminCtx.newPage();
    const user = await userCtx.newPage();
    await signIn(user, baseUrl, "aisha.grant@harborlight.example");
    await user.waitForURL(`${baseUrl}/`);

    await signIn(admin, baseUrl, ADMIN);
    await admin.waitForURL(`${baseUrl}/`);
    await admin.goto(`${baseUrl}/admin/users?q=aisha`);
    await admin.getByRole("link", { name: "Aisha Grant" }).click();
    await hydrated(admin);
    await admin.getByRole("button", { name: "Deactivate account" }).click();
    await visible(admin.getByText(/Account deactivated; \d+ open sessions? ended\./)); // at least hers; other tests may have signed her in too
    await visible(admin.getByRole("button", { name: "Reactivate account" }));

    await user.reload();
    await user.waitForURL(/\/login/);
    await signIn(user, baseUrl, "aisha.grant@harborlight.example");
    await visible(user.getByText("That email and password do not match an active account."));

    // Put her back for other tests.
    await admin.getByRole("button", { name: "Reactivate account" }).click();
    await visible(admin.getByText("Account reactivated."));
    await adminCtx.close();
    await userCtx.close();
  });
});

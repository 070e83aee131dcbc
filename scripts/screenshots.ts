/**
 * Takes a screenshot of each page for a person to look at: `npx tsx scripts/screenshots.ts`
 * with the demo running (BASE_URL, default http://localhost:3000). Writes to OUT (default
 * ./screenshots).
 */
import { mkdirSync } from "node:fs";
import { decodeBase32IgnorePadding } from "@oslojs/encoding";
import { generateTOTP } from "@oslojs/otp";
import { launchBrowser } from "../tests/support/browser";
import { DEMO_PASSWORD } from "../seeds/demo-people";

const base = process.env.BASE_URL ?? "http://localhost:3000";
const out = process.env.OUT ?? "./screenshots";
const pages = (process.env.PAGES ?? "/,/account,/account/password,/admin/users,/admin/users/new,/admin/audit").split(",");
const email = process.env.EMAIL ?? "dana.whitfield@harborlight.example";
mkdirSync(out, { recursive: true });

const browser = await launchBrowser();
const page = await browser.newPage({ viewport: { width: 1280, height: 860 }, colorScheme: (process.env.SCHEME as "dark") ?? "light" });
await page.goto(`${base}/login`);
await page.screenshot({ path: `${out}/login.png`, fullPage: true });
await page.getByLabel("Email").fill(email);
await page.getByLabel("Password", { exact: true }).fill(process.env.PASSWORD ?? DEMO_PASSWORD);
await page.getByRole("button", { name: "Sign in" }).click();
await page.waitForURL((u) => u.pathname !== "/login");
// Two-factor sign-in: set it up on first sign-in (printing the key for later runs), or answer
// with a code from TOTP_KEY.
const totp = (key: string) => generateTOTP(decodeBase32IgnorePadding(key), 30, 6);
if (new URL(page.url()).pathname === "/login/two-factor-setup") {
  await page.waitForSelector("body[data-hydrated]");
  await page.screenshot({ path: `${out}/login-two-factor-setup.png`, fullPage: true });
  const key = (await page.getByLabel("Key for typing in by hand").innerText()).replace(/\s+/g, "");
  console.log(`two-factor key for ${email}: ${key} (pass it as TOTP_KEY next time)`);
  await page.getByLabel("Code from the app").fill(totp(key));
  await page.getByRole("button", { name: "Turn on two-factor sign-in" }).click();
  await page.getByRole("list", { name: "Recovery codes" }).waitFor();
  await page.screenshot({ path: `${out}/login-recovery-codes.png`, fullPage: true });
  await page.getByRole("link", { name: "I have saved my recovery codes" }).click();
} else if (new URL(page.url()).pathname === "/login/two-factor") {
  await page.waitForSelector("body[data-hydrated]");
  await page.screenshot({ path: `${out}/login-two-factor.png`, fullPage: true });
  if (!process.env.TOTP_KEY) throw new Error(`${email} uses two-factor sign-in: set TOTP_KEY to its key.`);
  await page.getByLabel("Authentication code").fill(totp(process.env.TOTP_KEY));
  await page.getByRole("button", { name: "Verify" }).click();
}
await page.waitForURL((u) => !u.pathname.startsWith("/login"));
for (const p of pages) {
  await page.goto(`${base}${p}`);
  await page.waitForLoadState("networkidle");
  const name = p === "/" ? "home" : p.slice(1).replaceAll("/", "-");
  await page.screenshot({ path: `${out}/${name}.png`, fullPage: true });
  console.log(`${out}/${name}.png`);
}
await browser.close();

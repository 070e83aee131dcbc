/**
 * Takes a screenshot of each page for a person to look at: `npx tsx scripts/screenshots.ts`
 * with the demo running (BASE_URL, default http://localhost:3000). Writes to OUT (default
 * ./screenshots).
 */
import { mkdirSync } from "node:fs";
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
await page.waitForURL((u) => !u.pathname.startsWith("/login"));
for (const p of pages) {
  await page.goto(`${base}${p}`);
  await page.waitForLoadState("networkidle");
  const name = p === "/" ? "home" : p.slice(1).replaceAll("/", "-");
  await page.screenshot({ path: `${out}/${name}.png`, fullPage: true });
  console.log(`${out}/${name}.png`);
}
await browser.close();

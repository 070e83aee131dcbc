import { launchBrowser } from "../tests/support/browser";
const base = "http://127.0.0.1:3152";
const b = await launchBrowser();
for (const width of [1280, 820]) {
  const ctx = await b.newContext({ viewport: { width, height: 900 } });
  const page = await ctx.newPage();
  await page.goto(`${base}/login`);
  await page.getByLabel("Email").fill("renee.okafor@harborlight.example");
  await page.getByLabel("Password").fill("harbor-light-demo-2026");
  await page.getByRole("button", { name: /sign in/i }).click();
  await page.waitForURL(`${base}/`);
  for (const id of ["charges-by-payer-week", "held-charges-by-reason", "denials-by-reason", "days-service-to-export"]) {
    await page.goto(`${base}/reports/${id}`);
    await page.waitForTimeout(800);
    await page.screenshot({ path: `tmpdbg/${id}-${width}.png`, fullPage: false });
  }
  await ctx.close();
}
await b.close();

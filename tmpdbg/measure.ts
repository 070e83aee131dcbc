import { launchBrowser } from "../tests/support/browser";
const base = "http://127.0.0.1:3152";
const b = await launchBrowser();
const ctx = await b.newContext({ viewport: { width: 1280, height: 900 } });
const page = await ctx.newPage();
await page.goto(`${base}/login`);
await page.getByLabel("Email").fill("renee.okafor@harborlight.example");
await page.getByLabel("Password").fill("harbor-light-demo-2026");
await page.getByRole("button", { name: /sign in/i }).click();
await page.waitForURL(`${base}/`);
await page.goto(`${base}/reports/charges-by-payer-week`);
console.log(await page.evaluate(() => {
  const out: string[] = [`doc ${document.documentElement.scrollWidth}`];
  let el: HTMLElement | null = document.querySelector('[role="region"]');
  while (el && el !== document.body) { const cs = getComputedStyle(el); out.push(`${el.tagName}.${el.className.toString().slice(0,40)} w=${el.getBoundingClientRect().width} disp=${cs.display} ov=${cs.overflow}`); el = el.parentElement; }
  return out.join("\n");
}));
await b.close();

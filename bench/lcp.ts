/**
 * Largest Contentful Paint of signed-in pages in Debian's Chromium with the CPU slowed 4× (a clinic
 * tablet), for issue 22's target 5. Each page is loaded once to warm the browser's cache (a tablet
 * that uses the app daily has its scripts cached), then `loads` more times, each in a fresh tab;
 * the figure is the median. LCP is read with a buffered PerformanceObserver after the load event
 * and a short settle, which is the last candidate the browser reported.
 */
import { launchBrowser } from "../tests/support/browser";
import { median } from "./targets";

export const CPU_SLOWDOWN = 4;

export interface LcpFigure {
  samples: number[];
  median: number;
}

/** Evaluated in the page as a string, so nothing the bundler adds to functions leaks into it. */
const READ_LCP = `new Promise((resolve) => {
  let last = NaN;
  const observer = new PerformanceObserver((list) => { for (const e of list.getEntries()) last = e.startTime; });
  observer.observe({ type: "largest-contentful-paint", buffered: true });
  // The buffered entries arrive in a task of their own; give them one, then answer.
  setTimeout(() => { observer.disconnect(); resolve(last); }, 300);
})`;

export async function measureLcp(base: string, pages: { name: string; path: string; cookie: string }[], loads = 3): Promise<Record<string, LcpFigure>> {
  const browser = await launchBrowser();
  const out: Record<string, LcpFigure> = {};
  try {
    for (const p of pages) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      const [name, ...rest] = p.cookie.split("=");
      await context.addCookies([{ name, value: rest.join("="), url: base }]);
      const samples: number[] = [];
      for (let i = 0; i <= loads; i++) {
        const page = await context.newPage();
        const cdp = await context.newCDPSession(page);
        await cdp.send("Emulation.setCPUThrottlingRate", { rate: CPU_SLOWDOWN });
        await page.goto(`${base}${p.path}`, { waitUntil: "load", timeout: 60_000 });
        await page.waitForTimeout(500);
        const lcp = (await page.evaluate(READ_LCP)) as number;
        if (i > 0) samples.push(lcp);
        await page.close();
      }
      await context.close();
      out[p.name] = { samples, median: median(samples.filter(Number.isFinite)) };
    }
  } finally {
    await browser.close();
  }
  return out;
}

/**
 * The scan both minimum-necessary tests (staff's and billing's) run over every page a role can
 * open: each page and its single-fetch data must answer 200 and carry nothing `leaks` finds.
 */
import { expect } from "vitest";

/** A page's single-fetch data URL: /a/b?x → /a/b.data?x, / → /_root.data. */
export function dataUrl(path: string): string {
  const [pathname, search] = path.split("?");
  return `${pathname === "/" ? "/_root" : pathname}.data${search ? `?${search}` : ""}`;
}

/** Fetches every page (three at a time) and, for HTML, its .data; returns how many were fetched and every finding, once each. */
export async function scanPages(baseUrl: string, cookie: string, pages: readonly string[], leaks: (body: string) => string[]) {
  const problems: string[] = [];
  let fetched = 0;
  const queue = [...pages];
  const get = async (path: string) => {
    const res = await fetch(`${baseUrl}${path}`, { headers: { Cookie: cookie }, redirect: "manual" });
    expect(res.status, path).toBe(200);
    fetched++;
    for (const l of leaks(await res.text())) problems.push(`${path}: ${l}`);
    return res;
  };
  const worker = async () => {
    for (let path = queue.shift(); path; path = queue.shift()) {
      const page = await get(path);
      if (page.headers.get("content-type")?.includes("text/html")) await get(dataUrl(path));
    }
  };
  await Promise.all([worker(), worker(), worker()]);
  return { fetched, problems: [...new Set(problems)] };
}

/**
 * Moving around a patient's chart the way a person does: its sections sit in groups (Overview,
 * Program, Clinical record, Privacy & records), and a section of another group is one click on
 * the group, then one on the section.
 */
import type { Page } from "playwright-core";
import { hydrated, visible } from "./helpers";

export const CHART_GROUPS: Record<string, string> = {
  Schedule: "Program",
  Attendance: "Program",
  "Drug tests": "Program",
  Coverage: "Program",
  Diagnoses: "Clinical record",
  Assessments: "Clinical record",
  Measures: "Clinical record",
  Plan: "Clinical record",
  Notes: "Clinical record",
  MAT: "Clinical record",
  "Level of care": "Clinical record",
  Discharge: "Clinical record",
  Consents: "Privacy & records",
  Disclosures: "Privacy & records",
  Amendments: "Privacy & records",
  "Chart history": "Privacy & records",
};

export const chartNav = (page: Page) => page.getByRole("navigation", { name: "Chart sections" });

/** Opens a chart section by its link's name, through its group when the group is not open; waits for the page. */
export async function openChartSection(page: Page, name: string): Promise<void> {
  const nav = chartNav(page);
  const link = nav.getByRole("link", { name, exact: true });
  const group = CHART_GROUPS[name];
  if (group && !(await link.count())) {
    const groupLink = nav.getByRole("link", { name: group, exact: true });
    const href = await groupLink.getAttribute("href");
    await groupLink.click();
    await page.waitForURL((url) => url.pathname === href);
    await hydrated(page);
  }
  const href = await link.getAttribute("href");
  await link.click();
  await page.waitForURL((url) => url.pathname === href);
  await hydrated(page);
  await visible(nav.locator(`a[aria-current="page"]`, { hasText: name }));
}

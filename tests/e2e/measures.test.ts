/**
 * Standardized measures as a counselor and a front-desk tech meet them, in Chromium against the
 * production build: the counselor scores a PHQ-9 with item 9 above 0, sees the safety flag on the
 * chart and on Home, records the safety check, and the flag goes; a tech enters a GAD-7 on a
 * tablet-width screen and sees only "Saved" — no score in the page or in its `.data`. Uses its own
 * patient of the counselor's caseload with no open safety flag.
 */
import { randomUUID } from "node:crypto";
import type { Kysely } from "kysely";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createDb } from "../../db/database";
import type { Database } from "../../db/schema";
import { launchBrowser } from "../support/browser";
import { postForm, signInCookie } from "../support/server";
import { COUNSELOR, hydrated, signIn, STAFF, visible } from "./helpers";

const baseUrl = inject("baseUrl");
let browser: Browser;
let db: Kysely<Database>;
let patient: { id: string; name: string };

beforeAll(async () => {
  browser = await launchBrowser();
  db = createDb(inject("databaseUrl"));
  const counselorId = (await db.selectFrom("users").select("id").where("email", "=", COUNSELOR).executeTakeFirstOrThrow()).id;
  const row = await db
    .selectFrom("patients as p")
    .select(["p.id", "p.legal_first_name", "p.legal_last_name", "p.preferred_name"])
    .where("p.primary_counselor_id", "=", counselorId)
    .where("p.status", "=", "active")
    .where((eb) => eb.not(eb.exists(eb.selectFrom("safety_flags as f").select("f.id").whereRef("f.patient_id", "=", "p.id"))))
    .orderBy("p.mrn", "desc")
    .executeTakeFirstOrThrow();
  patient = { id: row.id, name: `${row.legal_last_name}, ${row.preferred_name || row.legal_first_name}` };
});
afterAll(async () => {
  await browser?.close();
  await db?.destroy();
});

async function signedIn(email: string, width = 1366): Promise<Page> {
  const page = await (await browser.newContext({ viewport: { width, height: 1000 } })).newPage();
  await signIn(page, baseUrl, email);
  await page.waitForURL(`${baseUrl}/`);
  await hydrated(page);
  return page;
}

/** Chooses an answer to one question, found by the question's words and the answer's. */
async function answer(page: Page, question: RegExp, choice: string) {
  await page.getByRole("radiogroup", { name: question }).getByRole("radio", { name: choice, exact: true }).check();
}

describe("standardized measures, end to end", () => {
  it("a counselor scores a PHQ-9 with item 9 above 0, sees the safety flag on the chart and Home, records the safety check, and the flag goes", async () => {
    const page = await signedIn(COUNSELOR);
    await page.goto(`${baseUrl}/patients/${patient.id}/measures`);
    await hydrated(page);
    await page.getByRole("link", { name: "Give the PHQ-9" }).click();
    await page.waitForURL(/\/measures\/phq9$/);
    await hydrated(page);
    for (let n = 1; n <= 8; n++) await answer(page, new RegExp(`^${n}\\. `), "Several days");
    // Not yet answered: the form says the score would be incomplete.
    await visible(page.getByText("1 question is not answered"));
    await answer(page, /^9\. Thoughts that you would be better off dead/, "Several days");
    await page.getByRole("button", { name: "Save PHQ-9" }).click();
    await page.waitForURL(`${baseUrl}/patients/${patient.id}/measures`);
    await hydrated(page);
    // 9 × 1 = 9: mild. The flag is on the measures tab and in the chart's header.
    await visible(page.getByText("PHQ-9 saved: 9, mild."));
    await visible(page.getByRole("alert").filter({ hasText: "Safety flag: PHQ-9 item 9" }));
    await visible(page.getByRole("alert").filter({ hasText: "Safety flag open" }));

    // Home lists the patient under safety flags.
    await page.goto(`${baseUrl}/`);
    await hydrated(page);
    const card = page.getByRole("table", { name: "Safety flags" });
    await visible(card.getByRole("link", { name: patient.name }));

    // Record the safety check from the chart.
    await card.getByRole("link", { name: patient.name }).click();
    await page.waitForURL(`${baseUrl}/patients/${patient.id}/measures`);
    await hydrated(page);
    await page.getByRole("button", { name: "Record safety check" }).click();
    // Nothing filled in: clear messages, nothing recorded.
    await visible(page.getByText("Choose the risk level you found."));
    await page.getByLabel("Risk level").selectOption("moderate");
    await page.getByLabel("Safety plan").fill("Passive thoughts, no plan. Safety plan written together; 988 and sister as supports; seen again tomorrow.");
    await page.getByLabel("Who was told").fill("Dr. Adeyemi, clinical supervisor");
    await page.getByRole("button", { name: "Record safety check" }).click();
    await visible(page.getByText("Safety check recorded; the flag is closed."));
    await visible(page.getByText("Safety checks recorded"));
    expect(await page.getByRole("alert").filter({ hasText: "Safety flag open" }).count()).toBe(0);
    const flags = await db.selectFrom("safety_flags").select(["status", "risk_level"]).where("patient_id", "=", patient.id).execute();
    expect(flags).toEqual([{ status: "closed", risk_level: "moderate" }]);

    await page.goto(`${baseUrl}/`);
    await hydrated(page);
    expect(await page.getByRole("table", { name: "Safety flags" }).getByRole("link", { name: patient.name }).count()).toBe(0);
    await page.context().close();
  });

  it("a tech enters a GAD-7 on a tablet and sees only 'Saved': no score in the page or its data", async () => {
    const page = await signedIn(STAFF, 820);
    await page.goto(`${baseUrl}/patients/${patient.id}/measures`);
    await hydrated(page);
    await page.getByRole("link", { name: "Enter GAD-7 answers" }).click();
    await page.waitForURL(/\/measures\/gad7$/);
    await hydrated(page);
    for (let n = 1; n <= 7; n++) await answer(page, new RegExp(`^${n}\\. `), "More than half the days");
    await page.getByRole("button", { name: "Save GAD-7" }).click();
    await page.waitForURL(`${baseUrl}/patients/${patient.id}/measures`);
    await hydrated(page);
    await visible(page.getByText("Saved.", { exact: true }));
    const html = await page.content();
    // 7 × 2 = 14, moderate: neither the score nor the band, nor the earlier PHQ-9 or its flag.
    for (const secret of ["14", "Moderate", "moderate", "/ 21", "Mild", "Safety", "safety"]) expect(html, secret).not.toContain(`>${secret}`);
    expect(html).not.toMatch(/Safety flag|safety check|PHQ-9 saved|GAD-7 saved|Needs attention|Minimal|Severe/);
    const saved = await db
      .selectFrom("measure_responses")
      .select(["total", "band"])
      .where("patient_id", "=", patient.id)
      .where("measure", "=", "gad7")
      .orderBy("entered_at", "desc")
      .executeTakeFirstOrThrow();
    expect([Number(saved.total), saved.band]).toEqual([14, "moderate"]);

    // The loaders' data, fetched as the page does: no scores, bands, answers or flags.
    const cookie = await signInCookie(baseUrl, STAFF);
    for (const path of [`/patients/${patient.id}/measures.data`, `/patients/${patient.id}/measures/gad7.data`]) {
      const res = await fetch(`${baseUrl}${path}`, { headers: { Cookie: cookie } });
      expect(res.status, path).toBe(200);
      const body = await res.text();
      expect(body, path).not.toMatch(/"(total|band|subscales|trend|flags|latest|answers|measures)"/);
      expect(body, path).not.toMatch(/moderate|Moderate|Several days/);
    }
    await page.context().close();
  });

  it("refuses an answer out of range with a clear message, and saves a double submit once", async () => {
    const cookie = await signInCookie(baseUrl, STAFF);
    const path = `/patients/${patient.id}/measures/audit`;
    const today = (
      await db
        .selectFrom("measure_responses")
        .select("administered_on")
        .where("patient_id", "=", patient.id)
        .orderBy("administered_on", "desc")
        .executeTakeFirstOrThrow()
    ).administered_on;
    const bad = await postForm(baseUrl, path, cookie, { requestKey: randomUUID(), administeredOn: today, q1: "0", q9: "3" });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain("Question 9: choose one of its 3 answers.");
    const requestKey = randomUUID();
    const form = { requestKey, administeredOn: today, q1: "1", q2: "0", q3: "0", q4: "0", q5: "0", q6: "0", q7: "0", q8: "0", q9: "0", q10: "2" };
    const [a, b] = await Promise.all([postForm(baseUrl, path, cookie, form), postForm(baseUrl, path, cookie, form)]);
    expect([a.status, b.status]).toEqual([302, 302]);
    const rows = await db.selectFrom("measure_responses").select(["total", "band"]).where("request_key", "=", requestKey).execute();
    // Item 1 "monthly or less" (1) + item 10 "yes, during the last year" (4) = 5, zone I.
    expect(rows.map((r) => [Number(r.total), r.band])).toEqual([[5, "zone1"]]);
  });
});

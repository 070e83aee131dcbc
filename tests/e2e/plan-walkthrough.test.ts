/**
 * The clinical record's first half as a new counselor meets it, in Chromium against the production
 * build: Marcus Bell (a trainee whose documents need a supervisor's co-signature) assesses a newly
 * admitted patient, scores a PHQ-9 with item 9 above 0 and sees the safety flag, writes a plan —
 * refused while an objective has no target date, nothing typed lost — and signs it; the patient
 * acknowledges it on a tablet-width screen (refused without the box ticked); Priya Raman, the
 * clinical supervisor, finds it in her co-signature queue on Home and co-signs it, and it becomes
 * active; 30 days on (its activation dated back), the review is due on Marcus's Home.
 */
import type { Kysely } from "kysely";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createDb } from "../../db/database";
import type { Database } from "../../db/schema";
import { addDiagnosis } from "~/features/patients/clinical.server";
import { enrollPatient } from "~/features/patients/patients.server";
import { addDays, shortDate, todayIn } from "~/kernel/time";
import { launchBrowser } from "../support/browser";
import { meta } from "../support/demo";
import { mintSessionCookie } from "../support/server";
import { intakeInput } from "../integration/patients-support";
import { openChartSection } from "./chart-sections";
import { ADMIN, COUNSELOR, hydrated, signIn, visible } from "./helpers";

const baseUrl = inject("baseUrl");
const databaseUrl = inject("databaseUrl");
const SUPERVISOR = "priya.raman@harborlight.example";
const ZONE = "America/New_York";
let browser: Browser;
let db: Kysely<Database>;
let patientId = "";
let today = "";

beforeAll(async () => {
  browser = await launchBrowser();
  db = createDb(databaseUrl);
  today = todayIn(ZONE);
  const counselor = await db.selectFrom("users").select(["id", "name"]).where("email", "=", COUNSELOR).executeTakeFirstOrThrow();
  const siteIds = (await db.selectFrom("user_sites").select("site_id").where("user_id", "=", counselor.id).execute()).map((s) => s.site_id);
  const enrolled = await enrollPatient(
    db,
    counselor,
    intakeInput(siteIds[0], counselor.id, {
      legalFirstName: "Rosalind",
      legalLastName: "Planwright",
      dateOfBirth: "1984-07-19",
      admittedOn: today,
      part2NoticeOn: today,
      confirmDuplicate: "yes",
    }),
    siteIds,
    meta,
  );
  if (!enrolled.ok) throw new Error(JSON.stringify(enrolled));
  patientId = enrolled.id;
  const dx = await addDiagnosis(db, counselor, patientId, { code: "F10.20", isPrimary: "yes" }, siteIds, meta);
  if (!dx.ok) throw new Error(JSON.stringify(dx));
});
afterAll(async () => {
  // Back to the network's review interval for the tests after this one.
  await db?.deleteFrom("site_settings").where("key", "=", "plan_review_days").execute();
  await browser?.close();
  await db?.destroy();
});

async function counselorPage(width: number): Promise<{ ctx: BrowserContext; page: Page }> {
  const ctx = await browser.newContext({ viewport: { width, height: 1000 } });
  const page = await ctx.newPage();
  await signIn(page, baseUrl, COUNSELOR);
  await page.waitForURL(`${baseUrl}/`);
  return { ctx, page };
}

describe("assessment, measure, plan and signatures, end to end", () => {
  it("a counselor assesses, flags, writes and signs a plan; the patient acknowledges it at tablet width; the supervisor co-signs; the review comes due 30 days later", async () => {
    const chart = `${baseUrl}/patients/${patientId}`;
    const { ctx, page } = await counselorPage(1366);
    try {
      // 1. The intake assessment.
      await page.goto(chart);
      await hydrated(page);
      await openChartSection(page, "Assessments");
      const labels = ["0 No current risk", "1 Mild", "2 Moderate", "3 Severe", "4 Extreme, life-threatening"];
      for (const [i, r] of [1, 1, 2, 3, 2, 2].entries()) {
        await page
          .getByRole("radiogroup", { name: `Risk rating, dimension ${i + 1}` })
          .getByLabel(labels[r])
          .check();
        await page.getByLabel(`Narrative, dimension ${i + 1}`).fill(`Intake finding ${i + 1}.`);
      }
      await page.getByLabel("Level the assessor recommends").selectOption("IOP");
      await page.getByLabel("Level actually placed").selectOption("IOP");
      await page.getByRole("button", { name: "Save assessment" }).click();
      await visible(page.getByText(/Intake assessment of .* recorded\./));

      // 2. A PHQ-9 with item 9 above 0 raises the safety flag on the chart.
      await page.goto(`${chart}/measures/phq9`);
      await hydrated(page);
      for (let n = 1; n <= 9; n++)
        await page
          .getByRole("radiogroup", { name: new RegExp(`^${n}\\. `) })
          .getByRole("radio", { name: "Several days", exact: true })
          .check();
      await page.getByRole("button", { name: "Save PHQ-9" }).click();
      await page.waitForURL(`${chart}/measures`);
      await visible(page.getByText(/safety/i));

      // 3. The first plan: refused while the objective has no target date; nothing typed is lost.
      await openChartSection(page, "Plan");
      await visible(page.getByText("This patient has no active treatment plan yet."));
      await page.getByRole("button", { name: "Write the first plan" }).click();
      await page.waitForURL(`${chart}/plan/edit`);
      await hydrated(page);
      await page.getByRole("button", { name: "Add a problem" }).click();
      await page.getByLabel("Problem 1: diagnosis it addresses").selectOption("F10.20");
      await page.getByLabel("Problem 1: the problem").fill("Drinks most evenings to cope with work stress; lost a job last year.");
      await page.getByLabel("Problem 1: goal in the patient's own words").fill("I want to be sober for my son's graduation.");
      await page.getByLabel("Problem 1, objective 1", { exact: true }).fill("Attend 3 mutual-help meetings a week and log them");
      await page.getByLabel("Problem 1, intervention 1: how", { exact: true }).selectOption("group");
      await page.getByLabel("Problem 1, intervention 1: how often").fill("3 times a week");
      await page.getByLabel("Problem 1, intervention 1: who").fill("IOP group facilitators");
      await page.getByLabel("Strengths").fill("Supportive sister; steady housing.");
      await page.getByLabel("Barriers").fill("Works late shifts.");
      await page.getByRole("button", { name: "Sign plan" }).click();
      await visible(page.getByText("Problem 1, objective 1: give it a target date."));
      await visible(page.getByText(/The plan is not complete, so it was not signed/));
      expect(await page.getByLabel("Problem 1: the problem").inputValue()).toBe("Drinks most evenings to cope with work stress; lost a job last year.");
      expect(await page.getByLabel("Strengths").inputValue()).toBe("Supportive sister; steady housing.");
      await page.getByLabel("Problem 1, objective 1: target date").fill(addDays(today, 30));
      await page.getByRole("button", { name: "Sign plan" }).click();
      await page.waitForURL(`${chart}/plan`);
      await visible(page.getByText("Plan signed. Next: the patient's acknowledgement and a supervisor's co-signature."));
      await visible(page.getByText("Waiting for the patient's acknowledgement"));
      await visible(page.getByText("Waiting for a supervisor's co-signature"));
      // The author cannot co-sign their own plan, and says so.
      await visible(page.getByText(/You cannot co-sign it: No one can co-sign their own document\./));
    } finally {
      await ctx.close();
    }

    // 4. The patient acknowledges it on a tablet: refused without the box ticked.
    const tablet = await counselorPage(820);
    try {
      const page = tablet.page;
      await page.goto(`${chart}/plan`);
      await hydrated(page);
      await page.getByRole("link", { name: "Ask the patient to acknowledge it" }).click();
      await page.waitForURL(`${chart}/plan/acknowledge`);
      await hydrated(page);
      await visible(page.getByRole("heading", { name: "Rosalind, this is your treatment plan" }));
      await visible(page.getByText("“I want to be sober for my son's graduation.”"));
      await page.getByLabel("Your full name, as your signature").fill("Rosalind Planwright");
      await page.getByRole("button", { name: "Sign the plan" }).click();
      await visible(page.getByText("Tick the box to say you took part in this plan and agree with it."));
      expect(await page.getByLabel("Your full name, as your signature").inputValue()).toBe("Rosalind Planwright");
      // Nothing on this screen runs past the tablet's width.
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(820);
      const box = await page.getByRole("button", { name: "Sign the plan" }).boundingBox();
      expect(box!.height).toBeGreaterThanOrEqual(44);
      await page.getByLabel(/I took part in writing this plan/).check();
      await page.getByRole("button", { name: "Sign the plan" }).click();
      await page.waitForURL(`${chart}/plan`);
      await visible(page.getByText("The patient acknowledged the plan. It waits for a supervisor's co-signature."));
      await visible(page.getByText(/Acknowledged by the patient as “Rosalind Planwright”/));
    } finally {
      await tablet.ctx.close();
    }

    // 5. The supervisor finds it in her queue on Home and co-signs it: the plan is active.
    const supervisor = await db.selectFrom("users").select("id").where("email", "=", SUPERVISOR).executeTakeFirstOrThrow();
    const site = await db.selectFrom("patients").select("site_id").where("id", "=", patientId).executeTakeFirstOrThrow();
    const cookie = await mintSessionCookie(db, supervisor.id, site.site_id);
    const sctx = await browser.newContext({ viewport: { width: 1366, height: 1000 } });
    try {
      await sctx.addCookies([{ name: "iop_session", value: cookie.split("=")[1], url: baseUrl }]);
      const page = await sctx.newPage();
      await page.goto(`${baseUrl}/`);
      await hydrated(page);
      const queue = page.getByRole("table", { name: "Waiting for your co-signature" });
      await visible(queue);
      await queue.getByRole("link", { name: "Planwright, Rosalind" }).click();
      await page.waitForURL(`${chart}/plan`);
      await hydrated(page);
      await page.getByRole("button", { name: "Co-sign version 1" }).click();
      await visible(page.getByText("Plan co-signed. It is now the active plan."));
      await visible(page.getByText(`Next review`));
      await visible(page.getByText(`${shortDate(addDays(today, 30))} · Scheduled review`));
      const row = await db.selectFrom("treatment_plans").select(["effective_on", "review_days"]).where("patient_id", "=", patientId).executeTakeFirstOrThrow();
      expect(row).toEqual({ effective_on: today, review_days: 30 });
    } finally {
      await sctx.close();
    }

    // 6. Thirty days later the review is due on the counselor's Home. Time is moved by dating the
    // plan's activation 30 days back (what is written after signing may change; its content may not),
    // not by a second server with a shifted clock, which would leave rows dated in the future in the
    // database the other tests share.
    const monthAgo = addDays(today, -30);
    await db
      .updateTable("treatment_plans")
      .set({ effective_on: monthAgo, activated_at: new Date(Date.now() - 30 * 86_400_000).toISOString() })
      .where("patient_id", "=", patientId)
      .execute();
    const later = await counselorPage(1366);
    try {
      const page = later.page;
      await hydrated(page);
      const due = page.getByRole("table", { name: "Treatment plans due" });
      await visible(due);
      const line = due.getByRole("row").filter({ hasText: "Planwright, Rosalind" });
      await visible(line);
      // Effective 30 days ago + 30 days = due today: listed as a scheduled review, due today's date.
      expect(await line.textContent()).toContain("Scheduled review");
      expect(await line.textContent()).toContain(shortDate(today));
    } finally {
      await later.ctx.close();
    }
  });

  it("an admin sets how often plans at the site are reviewed: a bad value is refused and kept, a good one saved and audited", async () => {
    const page = await (await browser.newContext({ viewport: { width: 820, height: 1000 } })).newPage();
    await signIn(page, baseUrl, ADMIN);
    await page.waitForURL(`${baseUrl}/`);
    await page.goto(`${baseUrl}/admin/program`);
    await hydrated(page);
    await page.getByRole("link", { name: "Treatment plans: how often they are reviewed" }).click();
    await page.waitForURL(`${baseUrl}/admin/program/plans`);
    await hydrated(page);
    const days = page.getByLabel("Days between plan reviews");
    expect(await days.inputValue()).toBe("30");
    await days.fill("5");
    await page.getByRole("button", { name: "Save interval" }).click();
    await visible(page.getByText("Enter a whole number of days from 7 to 90."));
    expect(await days.inputValue()).toBe("5");
    await days.fill("21");
    await page.getByRole("button", { name: "Save interval" }).click();
    await visible(page.getByText(/now come up for review every 21 days\./));
    expect(await page.getByLabel("Days between plan reviews").inputValue()).toBe("21");
    const event = await db
      .selectFrom("audit_events")
      .select("changes")
      .where("action", "=", "settings.plan_review_changed")
      .orderBy("seq", "desc")
      .executeTakeFirstOrThrow();
    expect(JSON.parse(event.changes ?? "{}")).toEqual({ before: { days: 30 }, after: { days: 21 } });
    await page.context().close();
  });
});

import type { Kysely } from "kysely";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createDb } from "../../db/database";
import type { Database } from "../../db/schema";
import { dischargePatient, enrollPatient } from "~/features/patients/patients.server";
import { extendSchedules } from "~/features/scheduling/groups.server";
import { addDays, todayIn, weekdayOf, weekStart } from "~/kernel/time";
import { launchBrowser } from "../support/browser";
import { meta } from "../support/demo";
import { dischargeInput, intakeInput } from "../integration/patients-support";
import { COUNSELOR, hydrated, signIn, visible } from "./helpers";

const baseUrl = inject("baseUrl");
let browser: Browser;
let db: Kysely<Database>;

beforeAll(async () => {
  browser = await launchBrowser();
  db = createDb(inject("databaseUrl"));
});
afterAll(async () => {
  await browser?.close();
  await db?.destroy();
});

/** Letters only (names refuse digits), different on every run so no duplicate check interferes. */
const uniqueName = () => Array.from({ length: 7 }, (_, i) => String.fromCharCode((i === 0 ? 65 : 97) + Math.floor(Math.random() * 26))).join("");

async function signedIn(email: string): Promise<{ ctx: BrowserContext; page: Page }> {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await signIn(page, baseUrl, email);
  await page.waitForURL(`${baseUrl}/`);
  return { ctx, page };
}

async function counselorAndSite() {
  const counselor = await db.selectFrom("users").select(["id", "name"]).where("email", "=", COUNSELOR).executeTakeFirstOrThrow();
  const site = await db
    .selectFrom("user_sites as us")
    .innerJoin("sites as s", "s.id", "us.site_id")
    .select(["s.id", "s.time_zone"])
    .where("us.user_id", "=", counselor.id)
    .executeTakeFirstOrThrow();
  return { counselor, site };
}

describe("forms that say everything at once, and ask before an out-of-band track", () => {
  it("a refused booking shows the cross-field errors together with the missing patient", async () => {
    const { ctx, page } = await signedIn(COUNSELOR);
    await page.goto(`${baseUrl}/schedule/book`);
    await hydrated(page);
    await page.getByLabel("Kind").selectOption("family");
    await page.getByRole("button", { name: "Book session" }).click();
    // No patient, no family member named, in person with no room: all three at once.
    await visible(page.getByText("Choose the patient."));
    await visible(page.getByText("Name at least one family member who will come."));
    await visible(page.getByText("Choose a room, or book it as telehealth."));
    expect(page.url()).toBe(`${baseUrl}/schedule/book`);
    await ctx.close();
  });

  it("enrolling an IOP patient in the 1.5-hour OP track warns with the hours the level needs, and saves only after confirming", async () => {
    const { ctx, page } = await signedIn(COUNSELOR);
    await page.goto(`${baseUrl}/patients/new`);
    await hydrated(page);
    const last = uniqueName();
    await page.getByLabel("Legal first name").fill("Coral");
    await page.getByLabel("Legal last name").fill(last);
    await page.getByLabel("Date of birth").fill("1988-06-14");
    await page.getByLabel("Sex").selectOption("female");
    await page.getByLabel("Referral source").selectOption("self");
    await page.getByLabel("Payer").selectOption("self_pay");
    expect(await page.getByLabel("Level of care").inputValue()).toBe("IOP");
    const op = await page.getByLabel("Track (optional)").locator("option", { hasText: "OP Weekly" }).getAttribute("value");
    await page.getByLabel("Track (optional)").selectOption(op!);
    await page.getByRole("button", { name: "Enroll patient" }).click();
    const warning = page.getByRole("alert").filter({ hasText: "Check the track's hours" });
    await visible(warning.getByText("The OP Weekly track is 1 h 30 min a week; intensive outpatient needs 9–19 h a week for an adult. Enroll anyway?"));
    // Nothing saved yet, and what was typed is still there.
    expect(page.url()).toBe(`${baseUrl}/patients/new`);
    expect(await db.selectFrom("patients").select("id").where("legal_last_name", "=", last).execute()).toHaveLength(0);
    expect(await page.getByLabel("Legal last name").inputValue()).toBe(last);
    await warning.getByRole("button", { name: "Enroll anyway" }).click();
    await page.waitForURL(/\/patients\/[0-9a-f-]{36}$/);
    await visible(page.getByText(new RegExp(`Enrolled Coral ${last} as MRN-\\d{6}\\.`)));
    const saved = await db
      .selectFrom("patients as p")
      .innerJoin("tracks as t", "t.id", "p.track_id")
      .select("t.name")
      .where("p.legal_last_name", "=", last)
      .execute();
    expect(saved).toEqual([{ name: "OP Weekly" }]);
    await ctx.close();
  });

  it("a weekly booking until discharge shows sessions beyond 12 weeks, and none after discharge", async () => {
    const { counselor, site } = await counselorAndSite();
    const last = uniqueName();
    const enrolled = await enrollPatient(
      db,
      counselor,
      intakeInput(site.id, counselor.id, { legalFirstName: "Dallas", legalLastName: last, admittedOn: todayIn(site.time_zone), confirmDuplicate: "yes" }),
      [site.id],
      meta,
    );
    if (!enrolled.ok) throw new Error(JSON.stringify(enrolled));
    const today = todayIn(site.time_zone);
    let first = addDays(today, 2);
    while (weekdayOf(first) !== "tue") first = addDays(first, 1);

    const { ctx, page } = await signedIn(COUNSELOR);
    await page.goto(`${baseUrl}/schedule/book?patient=${enrolled.id}`);
    await hydrated(page);
    await page.getByLabel("Approach").selectOption("cbt");
    await page.getByLabel("Date").fill(first);
    await page.getByLabel("Starts at").fill("07:10");
    await page.getByLabel("Where").selectOption("telehealth");
    await page.getByLabel("Repeats").selectOption({ label: "Weekly until discharge" });
    await page.getByRole("button", { name: "Book session" }).click();
    await page.waitForURL(/\/schedule\/sessions\//);
    await visible(page.getByText(/Individual session booked: .*, then weekly until discharge\./));

    // The daily extension, ten weeks on, keeps the booking eight weeks ahead of that day.
    const series = await db.selectFrom("group_series").select(["id", "ends_on"]).where("patient_id", "=", enrolled.id).executeTakeFirstOrThrow();
    expect(series.ends_on).toBeNull();
    await extendSchedules(db, { now: new Date(Date.now() + 70 * 86_400_000), seriesIds: [series.id] });
    const week15 = addDays(first, 7 * 14);
    const title = `Individual session (CBT): Dallas ${last}`;
    await page.goto(`${baseUrl}/schedule?week=${weekStart(week15)}`);
    await hydrated(page);
    const session = page.getByRole("listitem").filter({ has: page.getByRole("link", { name: title }) });
    await visible(session);
    expect(await session.getByText("Cancelled").count()).toBe(0);

    // Discharged today: the booking's later sessions are cancelled, and the week says so.
    const v = await db.selectFrom("patients").select("version").where("id", "=", enrolled.id).executeTakeFirstOrThrow();
    const discharged = await dischargePatient(
      db,
      counselor,
      enrolled.id,
      dischargeInput(Number(v.version), { dischargedOn: today, followUpOn: undefined }),
      [site.id],
      meta,
    );
    expect(discharged).toMatchObject({ ok: true });
    await page.reload();
    await hydrated(page);
    await visible(session.getByText("Cancelled"));
    const future = await db.selectFrom("sessions").select("status").where("series_id", "=", series.id).where("local_date", ">", today).execute();
    expect(future.length).toBeGreaterThan(12);
    expect(future.every((s) => s.status === "cancelled")).toBe(true);
    await ctx.close();
  });
});

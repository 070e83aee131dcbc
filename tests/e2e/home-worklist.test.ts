/**
 * Home's "Needs attention" list is a worklist shown 25 patients at a time: a whole site can have
 * hundreds on it. This clinic has thirty IOP patients with nothing scheduled this week, so all
 * thirty are below their required hours; the admin sees the count, the first 25 by name, and pages
 * on to the last five and back.
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createDb } from "../../db/database";
import { migrateToLatest } from "../../db/migrator";
import { todayIn } from "~/kernel/time";
import { seedDemo } from "../../seeds/demo";
import { enroll } from "../integration/patients-support";
import { emptyDatabase } from "../support/databases";
import { ADMIN, hydrated, signIn, visible } from "./helpers";
import type { RunningServer } from "../support/server";
import { serveOwnClinic } from "./support/server";

const PATIENTS = 30;
const name = (n: number) => `Worklist${String(n).padStart(2, "0")}`;

let drop: () => Promise<void>;
let server: RunningServer;
let browser: Browser;
let own: Awaited<ReturnType<typeof serveOwnClinic>> | undefined;

beforeAll(async () => {
  const fresh = await emptyDatabase(inject("dialect"));
  drop = fresh.drop;
  const db = createDb(fresh.url);
  await migrateToLatest(db);
  const clinic = await seedDemo(db, { patients: false });
  // The admin signs in with the password alone here; two-factor sign-in is proved in security.test.ts.
  await db.updateTable("program_settings").set({ value: "none" }).where("key", "=", "two_factor_required_for").execute();
  const admin = { id: clinic.users["dana.whitfield"].id, name: "Dana Whitfield" };
  const today = todayIn("America/New_York");
  for (let n = 1; n <= PATIENTS; n++) {
    await enroll(db, admin, clinic.siteId, {
      legalFirstName: "Pat",
      legalLastName: name(n),
      dateOfBirth: `1980-01-${String(n).padStart(2, "0")}`,
      admittedOn: today,
      part2NoticeOn: today,
      primaryCounselorId: clinic.users["marcus.bell"].id,
    });
  }
  await db.destroy();
  own = await serveOwnClinic(fresh.url);
  ({ server, browser } = own);
});

afterAll(async () => {
  await own?.close();
  await drop?.();
});

describe("Home's worklist", () => {
  it("shows the count and 25 patients a page, and pages on and back", async () => {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    await signIn(page, server.url, ADMIN);
    await page.waitForURL(`${server.url}/`);
    await hydrated(page);
    await visible(page.getByRole("heading", { name: `Needs attention (${PATIENTS})` }));
    const list = page.getByRole("table", { name: "Needs attention" });
    const patientRows = list.getByRole("row").filter({ hasText: "Below required hours" });
    expect(await patientRows.count()).toBe(25);
    await visible(list.getByRole("row", { name: new RegExp(name(1)) }));
    await visible(list.getByRole("row", { name: new RegExp(name(25)) }));
    expect(await list.getByRole("row", { name: new RegExp(name(26)) }).count()).toBe(0);
    const pages = page.getByRole("navigation", { name: "Needs attention pages" });
    await visible(pages.getByText("1–25 of 30 · page 1 of 2"));

    await pages.getByRole("link", { name: "Next 5 ›" }).click();
    await page.waitForURL(`${server.url}/?attention=2`);
    await visible(pages.getByText("26–30 of 30 · page 2 of 2"));
    expect(await patientRows.count()).toBe(5);
    await visible(list.getByRole("row", { name: new RegExp(name(30)) }));
    expect(await list.getByRole("row", { name: new RegExp(name(1)) }).count()).toBe(0);
    expect(await pages.getByRole("link", { name: /Next/ }).count()).toBe(0);

    await pages.getByRole("link", { name: "‹ Previous 25" }).click();
    await page.waitForURL(`${server.url}/?attention=1`);
    await visible(pages.getByText("1–25 of 30 · page 1 of 2"));
    // A page past the end shows the last page rather than an empty list.
    await page.goto(`${server.url}/?attention=9`);
    await visible(pages.getByText("26–30 of 30 · page 2 of 2"));
    await ctx.close();
  });
});

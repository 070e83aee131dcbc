/**
 * Scheduling as a clinic does it: an admin sets up a new evening track with three weekly groups,
 * the track's patients land on every future session's roster, a counselor books a weekly
 * individual session that is refused at a time the patient is in group and accepted at another,
 * and the week shows it all in the site's time zone.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { addDays } from "~/kernel/time";
import { launchBrowser } from "../support/browser";
import { ADMIN, COUNSELOR, hydrated, signIn, visible } from "./helpers";

const baseUrl = inject("baseUrl");
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(() => browser?.close());

// The groups start next Monday, so every session in the test is still ahead. Which Monday that is
// comes from the server (its week view's "Next week" link) when the test starts, not from this
// process at load: even if New York's midnight passes during the run, that Monday's 18:00 is ahead.
let nextMonday: string;

async function addGroup(page: Page, g: { title: string; kind: string; facilitator: string; room: string; days: string[]; start: string; end: string }) {
  await page.goto(`${baseUrl}/admin/program/groups/new`);
  await hydrated(page);
  await page.getByLabel("Title").fill(g.title);
  await page.getByLabel("Kind").selectOption(g.kind);
  await page.getByLabel("Track (optional)").selectOption({ label: "West Evening IOP (IOP)" });
  await page.getByLabel("Facilitator", { exact: true }).selectOption({ label: g.facilitator });
  await page.getByLabel("Room", { exact: true }).selectOption({ label: g.room });
  await page.getByLabel("Capacity").fill("8");
  for (const d of g.days) await page.getByLabel(d, { exact: true }).check();
  await page.getByLabel("Starts at").fill(g.start);
  await page.getByLabel("Ends at").fill(g.end);
  await page.getByLabel("First date").fill(nextMonday);
  expect(await page.getByLabel("Enroll the track's patients automatically").isChecked()).toBe(true);
  await page.getByRole("button", { name: "Schedule group" }).click();
  await page.waitForURL(`${baseUrl}/admin/program`);
  await visible(page.getByText(new RegExp(`${g.title}: \\d+ sessions scheduled, 2 patients from the track on each roster\\.`)));
}

async function openChart(page: Page, name: string): Promise<string> {
  await page.goto(`${baseUrl}/patients?counselor=all&q=${encodeURIComponent(name)}`);
  await hydrated(page);
  const href = (await page.getByRole("table", { name: "Patients" }).getByRole("link").first().getAttribute("href"))!;
  return href;
}

describe("scheduling, end to end", () => {
  it("a new evening track with three groups fills its rosters, and a weekly individual session is refused on a clash and booked at another time", async () => {
    const ctx = await browser.newContext();
    const admin = await ctx.newPage();
    await signIn(admin, baseUrl, ADMIN);
    await admin.waitForURL(`${baseUrl}/`);
    await admin.goto(`${baseUrl}/schedule`);
    await hydrated(admin);
    nextMonday = new URL((await admin.getByRole("link", { name: "Next week" }).getAttribute("href"))!, baseUrl).searchParams.get("week")!;
    expect(nextMonday).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(new Date(`${nextMonday}T12:00:00Z`).getUTCDay()).toBe(1);

    // 1. The track.
    await admin.goto(`${baseUrl}/admin/program`);
    await hydrated(admin);
    await admin.getByLabel("Track name").fill("West Evening IOP");
    await admin.getByLabel("Level of care").selectOption("IOP");
    for (const d of ["Monday", "Wednesday", "Thursday"]) await admin.getByLabel(d).check();
    await admin.getByLabel("Starts at").fill("18:00");
    await admin.getByLabel("Ends at").fill("21:00");
    await admin.getByRole("button", { name: "Add track" }).click();
    await visible(admin.getByText("Track West Evening IOP added."));

    // 2. Two patients move into it from their charts (a counselor's job, dated and kept).
    const counselorCtx = await browser.newContext();
    const counselor = await counselorCtx.newPage();
    await signIn(counselor, baseUrl, COUNSELOR);
    await counselor.waitForURL(`${baseUrl}/`);
    const charts: string[] = [];
    for (const name of ["Jasmine Alvarez", "Luis Hollister"]) {
      const chart = await openChart(counselor, name);
      charts.push(chart);
      await counselor.goto(`${baseUrl}${chart}/schedule`);
      await hydrated(counselor);
      await counselor.getByLabel("Track", { exact: true }).selectOption({ label: "West Evening IOP · Mon, Wed, Thu 6:00–9:00 PM" });
      await counselor.getByRole("button", { name: /Move track|Put in track/ }).click();
      if (name === "Luis Hollister") {
        // Luis is at outpatient level: a 9-hour IOP track is more than OP, and the page asks before moving him.
        await visible(counselor.getByText(/The West Evening IOP track is 9 h a week; outpatient needs/));
        await counselor.getByRole("button", { name: /Move anyway|Put in track anyway/ }).click();
      }
      await visible(counselor.getByText(/Track changed from [A-Z][a-z]{2} \d{1,2}, \d{4}/));
      await visible(counselor.getByText(/West Evening IOP: [A-Z][a-z]{2} \d{1,2}, \d{4} – now/));
    }

    // 3. Three weekly groups for the track, each enrolling both patients.
    await addGroup(admin, {
      title: "West Process Group",
      kind: "process",
      facilitator: "Dana Whitfield",
      room: "Group Room B — holds 10",
      days: ["Monday", "Wednesday"],
      start: "18:00",
      end: "19:30",
    });
    await addGroup(admin, {
      title: "West Relapse Prevention",
      kind: "relapse_prevention",
      facilitator: "Elena Ortiz",
      room: "Group Room B — holds 10",
      days: ["Monday", "Wednesday"],
      start: "19:30",
      end: "21:00",
    });
    await addGroup(admin, {
      title: "West Family Group",
      kind: "family",
      facilitator: "Elena Ortiz",
      room: "Group Room B — holds 10",
      days: ["Thursday"],
      start: "18:00",
      end: "19:30",
    });

    // Every future session of the group lists both patients.
    await admin.getByRole("table", { name: "Group series" }).getByRole("link", { name: "West Process Group" }).click();
    await admin.waitForURL(/\/admin\/program\/groups\//);
    await hydrated(admin);
    const coming = admin.getByRole("row").filter({ hasText: /Mon|Wed/ });
    expect(await coming.count()).toBeGreaterThanOrEqual(8);
    for (const row of await coming.all()) await visible(row.getByText("2 of 8"));
    await coming.first().getByRole("link").click();
    await admin.waitForURL(/\/schedule\/sessions\//);
    const roster = admin.getByRole("table", { name: "Patients on this session" });
    await visible(roster.getByRole("link", { name: "Alvarez, Jasmine" }));
    await visible(roster.getByRole("link", { name: "Hollister, Luis" }));

    // 4. A weekly individual session for Jasmine: at 18:30 on Monday she is in group, so it is refused by name.
    await counselor.goto(`${baseUrl}${charts[0]}/schedule`);
    await hydrated(counselor);
    await counselor.getByRole("link", { name: "Book an individual or family session" }).click();
    await counselor.waitForURL(/\/schedule\/book\?patient=/);
    await hydrated(counselor);
    await counselor.getByLabel("Approach").selectOption("cbt");
    await counselor.getByLabel("Date").fill(nextMonday);
    await counselor.getByLabel("Starts at").fill("18:30");
    await counselor.getByLabel("Repeats").selectOption({ label: "Weekly for 4 weeks" });
    await counselor.getByLabel("Room", { exact: true }).selectOption({ label: "Counseling Office 1 — holds 3" });
    await counselor.getByRole("button", { name: "Book session" }).click();
    // Said once: the alert is titled "Not booked" and its message says why and what to do.
    const refusal = counselor.getByRole("alert").filter({ hasText: "Not booked" });
    await visible(refusal.getByText(/^Jasmine Alvarez is already booked for West Process Group on Mon, .*6:00–7:30 PM\. Choose another time\.$/));
    expect((await refusal.innerText()).match(/Not booked/g)).toHaveLength(1);
    // The patient list does not open by itself over the date and time the message is about.
    await counselor.waitForTimeout(300);
    expect(await counselor.getByRole("listbox").count()).toBe(0);

    // Everything typed is kept; only the day and time change.
    const tuesday = addDays(nextMonday, 1);
    await counselor.getByLabel("Date").fill(tuesday);
    await counselor.getByLabel("Starts at").fill("13:00");
    await counselor.getByRole("button", { name: "Book session" }).click();
    await counselor.waitForURL(/\/schedule\/sessions\//);
    await visible(counselor.getByText(/Individual session booked: .* at 1:00 PM, then weekly for 4 weeks\./));
    await visible(counselor.getByRole("heading", { name: "Individual session (CBT)" }));

    // 5. The week shows the groups and the session at the site's clock times.
    await counselor.goto(`${baseUrl}/schedule?week=${nextMonday}`);
    await hydrated(counselor);
    const monday = counselor.locator("section").filter({ hasText: /^Mon,/ });
    await visible(monday.getByText("West Process Group"));
    await visible(monday.getByText("6:00–7:30 PM").first());
    await visible(monday.getByText("West Relapse Prevention"));
    const thursday = counselor.locator("section").filter({ hasText: /^Thu,/ });
    await visible(thursday.getByText("West Family Group"));
    const tue = counselor.locator("section").filter({ hasText: /^Tue,/ });
    await visible(tue.getByText("Individual session (CBT): Jasmine Alvarez"));
    await visible(tue.getByText("1:00–1:50 PM"));

    // Jasmine's chart counts the hours: 3 + 1.5 group hours on Mon/Wed, 1.5 on Thursday, 50 minutes alone.
    await counselor.goto(`${baseUrl}${charts[0]}/schedule`);
    await hydrated(counselor);
    const week = counselor.getByLabel(
      new RegExp(
        `Week of ${new Intl.DateTimeFormat("en-US", { timeZone: "UTC", weekday: "short", month: "short", day: "numeric", year: "numeric" }).format(new Date(`${nextMonday}T12:00:00Z`))}`,
      ),
    );
    // 500 minutes: shown as hours and minutes, not rounded to tenths of an hour.
    await visible(week.getByText("8 h 20 min", { exact: true }));
    await ctx.close();
    await counselorCtx.close();
  });
});

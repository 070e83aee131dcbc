import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { launchBrowser } from "../support/browser";
import { ADMIN, hydrated, signIn, STAFF, visible } from "./helpers";

const baseUrl = inject("baseUrl");
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(() => browser?.close());

/** Waits for a refusal titled `title` whose message matches `message`: the title says what failed, the message only why. */
async function refusal(page: Page, title: string, message: RegExp) {
  const alert = page.getByRole("alert").filter({ hasText: title });
  await visible(alert);
  const text = alert.locator(".mantine-Alert-message");
  await expect.poll(() => text.innerText(), { timeout: 10_000 }).toMatch(message);
  expect(await text.innerText()).not.toContain(title);
}

describe("group series and the week", () => {
  it("an admin schedules a weekly evening group; a clash is refused by name, another room is accepted, and the week shows it", async () => {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    await signIn(page, baseUrl, ADMIN);
    await page.waitForURL(`${baseUrl}/`);
    await page.goto(`${baseUrl}/admin/program`);
    await hydrated(page);
    await page.getByRole("link", { name: "Add a group series" }).click();
    await page.waitForURL(`${baseUrl}/admin/program/groups/new`);
    await hydrated(page);

    await page.getByLabel("Title").fill("Family Group");
    await page.getByLabel("Kind").selectOption("family");
    await page.getByLabel("Track (optional)").selectOption({ label: "Evening IOP (IOP)" });
    await page.getByLabel("Facilitator", { exact: true }).selectOption({ label: "Marcus Bell" });
    await page.getByLabel("Room", { exact: true }).selectOption({ label: "Group Room A — holds 14" });
    await page.getByLabel("Thursday").check();
    await page.getByLabel("Starts at").fill("18:00");
    await page.getByLabel("Ends at").fill("19:30");
    await page.getByRole("button", { name: "Schedule group" }).click();
    await refusal(page, "Not saved", /^Group Room A is already booked for Coping Skills \(DBT\) on Thu, .*6:00–7:30 PM\./);
    // Everything typed is still there; only the room changes.
    expect(await page.getByLabel("Title").inputValue()).toBe("Family Group");
    await page.getByLabel("Room", { exact: true }).selectOption({ label: "Family Room — holds 8" });
    await page.getByLabel("Capacity").fill("8");
    await page.getByRole("button", { name: "Schedule group" }).click();
    // The track's patients are in their own group at that hour: a double-booking, named.
    await refusal(page, "Not saved", /^.+ is already booked for Coping Skills \(DBT\) on Thu, .*6:00–7:30 PM\./);
    await page.getByLabel("Starts at").fill("21:00");
    await page.getByLabel("Ends at").fill("22:00");
    await page.getByRole("button", { name: "Schedule group" }).click();
    await page.waitForURL(`${baseUrl}/admin/program`);
    await visible(page.getByText(/Family Group: \d+ sessions scheduled, \d+ patients from the track on each roster\./));
    await visible(page.getByRole("table", { name: "Group series" }).getByText("Family Group"));

    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Schedule" }).click();
    await page.waitForURL(`${baseUrl}/schedule`);
    await hydrated(page);
    await page.getByRole("link", { name: "Next week" }).click();
    await page.waitForURL(/week=/);
    const thursday = page.locator("section").filter({ hasText: /^Thu,/ });
    await visible(thursday.getByText("Family Group"));
    await visible(thursday.getByText("9:00–10:00 PM").first());
    await visible(thursday.getByText("Family Room"));
    await ctx.close();
  });

  it("staff read the week and filter it by track, but cannot plan groups", async () => {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    await signIn(page, baseUrl, STAFF);
    await page.waitForURL(`${baseUrl}/`);
    // (The DST weeks are covered against fixed dates in tests/integration/scheduling-groups.test.ts.)
    // This week is the server's week (no date from this process, which a run across New York midnight
    // could put a week apart from it).
    await page.goto(`${baseUrl}/schedule`);
    await hydrated(page);
    await visible(page.getByRole("heading", { name: /^Week of/ }));
    expect(await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Program setup" }).count()).toBe(0);
    const filter = page.getByLabel("Track");
    await filter.selectOption({ label: "Morning IOP" });
    await page.getByRole("button", { name: "Show" }).click();
    await page.waitForURL(/track=/);
    await page.getByText("PHP Morning Group").first().waitFor({ state: "detached", timeout: 10_000 });
    const monday09 = page.locator("section").filter({ hasText: /^Mon,/ });
    await visible(monday09.getByText("Morning Process Group"));
    await visible(monday09.getByText("9:00–10:30 AM"));
    await ctx.close();
  });

  it("an admin moves one session and cancels another from the week, leaving the rest of the series", async () => {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    await signIn(page, baseUrl, ADMIN);
    await page.waitForURL(`${baseUrl}/`);
    // Next week's session: ahead, so no roll call has been taken for it. Which week is "next" is
    // the server's answer (its Next week link), even if New York's midnight passes during the run.
    await page.goto(`${baseUrl}/schedule`);
    await hydrated(page);
    await page.getByRole("link", { name: "Next week" }).click();
    await page.waitForURL(/\/schedule\?week=\d{4}-\d{2}-\d{2}/);
    await hydrated(page);
    const tuesday = page.locator("section").filter({ hasText: /^Tue,/ });
    await tuesday.getByRole("link", { name: "OP Recovery Check-in" }).click();
    await page.waitForURL(/\/schedule\/sessions\//);
    await hydrated(page);
    await visible(page.getByRole("heading", { name: "OP Recovery Check-in" }));
    // Into the evening groups' room at their time: refused by name.
    await page.getByLabel("Room", { exact: true }).selectOption({ label: "Group Room A — holds 14" });
    await page.getByLabel("Starts at").fill("18:00");
    await page.getByLabel("Ends at").fill("19:00");
    await page.getByRole("button", { name: "Move session" }).click();
    await refusal(page, "Not moved", /^Group Room A is already booked for Coping Skills \(DBT\)/);
    await page.getByLabel("Room", { exact: true }).selectOption({ label: "Counseling Office 1 — holds 3" });
    await page.getByRole("button", { name: "Move session" }).click();
    await visible(page.getByText(/Counseling Office 1 holds 3; this group is for 10\./));
    await page.getByLabel("Room", { exact: true }).selectOption({ label: "Group Room B — holds 10" });
    await page.getByLabel("Starts at").fill("19:00");
    await page.getByLabel("Ends at").fill("20:30");
    await page.getByRole("button", { name: "Move session" }).click();
    await visible(page.getByText(/Session moved to .*7:00–8:30 PM\./));

    await page.getByLabel("Reason").fill("Facilitator at a state training");
    await page.getByRole("button", { name: "Cancel session" }).click();
    await visible(page.getByText("Session cancelled. The rest of the series is unchanged."));
    await visible(page.getByRole("cell", { name: "Facilitator at a state training" }));
    expect(await page.getByRole("button", { name: "Move session" }).count()).toBe(0);
    const sessionUrl = page.url();
    await ctx.close();

    const staff = await browser.newContext();
    const sp = await staff.newPage();
    await signIn(sp, baseUrl, STAFF);
    await sp.waitForURL(`${baseUrl}/`);
    await sp.goto(sessionUrl);
    await hydrated(sp);
    await visible(sp.getByRole("heading", { name: "OP Recovery Check-in" }));
    expect(await sp.getByRole("button", { name: "Cancel session" }).count()).toBe(0);
    await staff.close();
  });
});

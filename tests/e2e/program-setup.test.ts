import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { launchBrowser } from "../support/browser";
import { ADMIN, hydrated, signIn, visible } from "./helpers";

const baseUrl = inject("baseUrl");
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(() => browser?.close());

describe("program setup", () => {
  it("an admin adds a track and a room, with clear refusals for a bad pattern", async () => {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    await signIn(page, baseUrl, ADMIN);
    await page.waitForURL(`${baseUrl}/`);
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Program setup" }).click();
    await page.waitForURL(`${baseUrl}/admin/program`);
    await hydrated(page);
    const tracks = page.getByRole("table", { name: "Tracks" });
    await visible(tracks.getByRole("link", { name: "Evening IOP" }));

    // No days, and an end before the start: both said, nothing saved.
    await page.getByLabel("Track name").fill("Late Evening IOP");
    await page.getByLabel("Level of care").selectOption("IOP");
    await page.getByLabel("Starts at").fill("20:00");
    await page.getByLabel("Ends at").fill("19:00");
    await page.getByRole("button", { name: "Add track" }).click();
    await visible(page.getByText("Choose the days the track meets."));
    await visible(page.getByText("It must end after it starts, on the same day."));

    for (const d of ["Monday", "Tuesday", "Thursday"]) await page.getByLabel(d).check();
    await page.getByLabel("Starts at").fill("18:30");
    await page.getByLabel("Ends at").fill("21:30");
    await page.getByRole("button", { name: "Add track" }).click();
    await visible(page.getByText("Track Late Evening IOP added."));
    const row = tracks.getByRole("row", { name: /Late Evening IOP/ });
    await visible(row.getByText("Mon, Tue, Thu · 6:30–9:30 PM"));
    await visible(row.getByRole("cell", { name: /^9/ }));

    // A duplicate name is refused.
    await page.getByLabel("Track name").fill("late evening iop");
    await page.getByLabel("Level of care").selectOption("IOP");
    await page.getByLabel("Monday").check();
    await page.getByLabel("Starts at").fill("18:30");
    await page.getByLabel("Ends at").fill("21:30");
    await page.getByRole("button", { name: "Add track" }).click();
    await visible(page.getByText("This site already has a track with that name."));

    await page.getByLabel("Room name").fill("Group Room C");
    await page.getByLabel("Capacity").fill("0");
    await page.getByRole("button", { name: "Add room" }).click();
    await visible(page.getByText("A room holds at least one person."));
    await page.getByLabel("Capacity").fill("12");
    await page.getByRole("button", { name: "Add room" }).click();
    await visible(page.getByText("Room Group Room C added."));
    await visible(page.getByRole("table", { name: "Rooms" }).getByRole("link", { name: "Group Room C" }));

    // Retire the new track; it stays listed as retired.
    await tracks.getByRole("link", { name: "Late Evening IOP" }).click();
    await hydrated(page);
    await page.getByRole("button", { name: "Retire track" }).click();
    await visible(page.getByText("Track retired."));
    await page.goto(`${baseUrl}/admin/audit?action=track.created`);
    await visible(page.getByText("Late Evening IOP").first());
    expect(await page.getByRole("table", { name: "Audit events" }).getByRole("row").count()).toBeGreaterThan(1);
    await ctx.close();
  });
});

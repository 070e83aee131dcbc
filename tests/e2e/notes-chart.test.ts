/**
 * A patient's notes in the chart, in Chromium against the production build: Marcus Bell opens a
 * group member's chart, its Notes section, filters it, opens the group note (the shared part and
 * this member's part, never another member's name), prints it (the 42 CFR part 2 notice on the
 * page, the print audited) and prints a date range; writes an SUD counseling note that Dana
 * Whitfield (admin) never sees; staff get no Notes link and a 403 for the page and its data.
 */
import type { Kysely } from "kysely";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createDb } from "../../db/database";
import type { Database } from "../../db/schema";
import { openNote, saveEntry, saveShared, signNote } from "~/features/notes/notes.server";
import { EMPTY_ENTRY } from "~/features/notes/rules";
import { enrollPatient } from "~/features/patients/patients.server";
import { addDays, todayIn } from "~/kernel/time";
import { newId } from "~/utils/ids";
import { launchBrowser } from "../support/browser";
import { meta } from "../support/demo";
import { signInCookie } from "../support/server";
import { intakeInput } from "../integration/patients-support";
import { chartNav, openChartSection } from "./chart-sections";
import { ADMIN, COUNSELOR, hydrated, signIn, STAFF, visible } from "./helpers";

const baseUrl = inject("baseUrl");
const databaseUrl = inject("databaseUrl");
const ZONE = "America/New_York";
let browser: Browser;
let db: Kysely<Database>;
const patients: Record<"quill" | "ravel" | "sable", string> = { quill: "", ravel: "", sable: "" };
let groupNoteId = "";
let day = "";

beforeAll(async () => {
  browser = await launchBrowser();
  db = createDb(databaseUrl);
  const today = todayIn(ZONE);
  day = addDays(today, -2);
  const counselor = await db.selectFrom("users").select(["id", "name"]).where("email", "=", COUNSELOR).executeTakeFirstOrThrow();
  const siteId = (await db.selectFrom("user_sites").select("site_id").where("user_id", "=", counselor.id).executeTakeFirstOrThrow()).site_id;
  const names = { quill: ["Quill", "Notewright"], ravel: ["Ravel", "Groupmate"], sable: ["Sable", "Othermember"] } as const;
  for (const key of Object.keys(names) as (keyof typeof names)[]) {
    const r = await enrollPatient(
      db,
      counselor,
      intakeInput(siteId, counselor.id, {
        legalFirstName: names[key][0],
        legalLastName: names[key][1],
        dateOfBirth: "1988-03-04",
        admittedOn: addDays(today, -10),
        part2NoticeOn: addDays(today, -10),
        confirmDuplicate: "yes",
      }),
      [siteId],
      meta,
    );
    if (!r.ok) throw new Error(JSON.stringify(r));
    patients[key] = r.id;
  }
  /** A past session Marcus facilitated, everyone named present, its note written and signed through the repositories. */
  async function note(kind: "group" | "individual", title: string, date: string, members: string[], words: Record<string, string>) {
    const sessionId = newId();
    const startsAt = `${date}T15:00:00.000Z`;
    await db
      .insertInto("sessions")
      .values({
        id: sessionId,
        site_id: siteId,
        kind,
        group_kind: kind === "group" ? "process" : null,
        title,
        facilitator_id: counselor.id,
        modality: "in_person",
        capacity: 12,
        local_date: date,
        starts_at: startsAt,
        ends_at: `${date}T16:30:00.000Z`,
        status: "scheduled",
        cancel_reason: null,
        patient_id: kind === "individual" ? members[0] : null,
        created_at: startsAt,
        updated_at: startsAt,
      })
      .execute();
    await db
      .insertInto("attendance")
      .values(
        members.map((p) => ({
          id: newId(),
          session_id: sessionId,
          patient_id: p,
          status: "present" as const,
          mode: "in_person" as const,
          minutes: 90,
          note: null,
          local_date: date,
          starts_at: startsAt,
          recorded_by: counselor.id,
          recorded_at: startsAt,
        })),
      )
      .execute();
    const at = new Date(`${date}T17:00:00.000Z`);
    const opened = await openNote(db, counselor, sessionId, siteId, meta, at);
    if (!opened.ok) throw new Error(JSON.stringify(opened));
    if (kind === "group") {
      const shared = { topic: "Repairing trust at home", curriculum: "", interventions: "Role-play.", process: "Warm and focused." };
      const r = await saveShared(db, counselor, opened.id, { version: 1, shared }, siteId, meta, at);
      if (!r.ok) throw new Error(JSON.stringify(r));
    }
    for (const p of members) {
      const sections: Record<string, string> =
        kind === "group" ? { response: words[p], plan: "Next week." } : { data: words[p], assessment: "Steady.", plan: "Next week." };
      const content = {
        ...EMPTY_ENTRY,
        sections,
        participation: kind === "group" ? ("active" as const) : ("" as const),
        harm: "denied" as const,
        use: "none" as const,
      };
      const r = await saveEntry(db, counselor, opened.id, p, { version: 1, content }, siteId, meta, at);
      if (!r.ok) throw new Error(JSON.stringify(r));
    }
    const signed = await signNote(db, counselor, opened.id, siteId, meta, at);
    if (!signed.ok) throw new Error(JSON.stringify(signed));
    return opened.id;
  }
  groupNoteId = await note("group", "Family roles group", day, [patients.quill, patients.ravel, patients.sable], {
    [patients.quill]: "Quill spoke about the garden project.",
    [patients.ravel]: "Ravel described the lighthouse dream.",
    [patients.sable]: "Sable shared the violin story.",
  });
  await note("individual", "Individual check-in", addDays(today, -1), [patients.quill], { [patients.quill]: "Quill reviewed the week alone." });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await db?.destroy();
});

describe("notes in the chart, end to end", () => {
  it("a counselor filters, opens and prints a group note with only this member's part, and keeps a counseling note to themself", async () => {
    const ctx = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    const page = await ctx.newPage();
    try {
      await signIn(page, baseUrl, COUNSELOR);
      await page.waitForURL(`${baseUrl}/`);
      await page.goto(`${baseUrl}/patients/${patients.quill}`);
      await hydrated(page);
      await openChartSection(page, "Notes");
      const table = page.getByRole("table", { name: "Notes" });
      await visible(table.getByRole("link", { name: "Family roles group" }));
      await visible(table.getByRole("link", { name: "Individual check-in" }));

      // Filter: the group notes only, then a search that matches another member's part finds nothing.
      await page.getByLabel("Kind").selectOption("group");
      await page.getByRole("button", { name: "Filter" }).click();
      await page.waitForURL((u) => u.searchParams.get("kind") === "group");
      await hydrated(page);
      // The filtered list replaces the table once its data arrives.
      await table.getByRole("link", { name: "Individual check-in" }).waitFor({ state: "detached", timeout: 10_000 });
      await page.getByLabel("Search the notes").fill("lighthouse");
      await page.getByRole("button", { name: "Filter" }).click();
      await page.waitForURL((u) => u.searchParams.get("q") === "lighthouse");
      await visible(page.getByText("No note matches these filters."));
      await page.getByLabel("Search the notes").fill("garden");
      await page.getByRole("button", { name: "Filter" }).click();
      await page.waitForURL((u) => u.searchParams.get("q") === "garden");
      await table.getByRole("link", { name: "Family roles group" }).click();
      await page.waitForURL(`${baseUrl}/patients/${patients.quill}/notes/${groupNoteId}`);
      await hydrated(page);

      const doc = page.getByRole("article");
      await visible(doc.getByText("Repairing trust at home"));
      await visible(doc.getByText("Quill spoke about the garden project."));
      await visible(doc.getByText("Awaiting a clinical supervisor's co-signature"));
      const html = await page.content();
      for (const other of ["Ravel", "Groupmate", "lighthouse", "Sable", "Othermember", "violin"]) expect(html).not.toContain(other);
      const dataRes = await page.request.get(`${baseUrl}/patients/${patients.quill}/notes/${groupNoteId}.data`);
      const data = await dataRes.text();
      expect(dataRes.status()).toBe(200);
      for (const other of ["Ravel", "Groupmate", "lighthouse", "Sable", "violin"]) expect(data).not.toContain(other);

      // Print this note: the notice, no other member; audited with the count.
      const before = await db
        .selectFrom("audit_events")
        .select((eb) => eb.fn.max("seq").as("seq"))
        .executeTakeFirstOrThrow();
      await page.getByRole("link", { name: "Print this note" }).click();
      await page.waitForURL((u) => u.pathname.endsWith("/notes/print"));
      await hydrated(page);
      const printed = await page.locator("body").innerText();
      expect(printed).toContain("42 CFR part 2 prohibits unauthorized use or disclosure of these records.");
      expect(printed).toContain("Quill spoke about the garden project.");
      for (const other of ["Ravel", "Groupmate", "lighthouse", "Sable", "violin"]) expect(printed).not.toContain(other);
      await expect(page.getByRole("navigation", { name: "Chart sections" }).count()).resolves.toBe(0);
      const audit = await db
        .selectFrom("audit_events")
        .select(["action", "changes", "patient_id"])
        .where("seq", ">", Number(before.seq))
        .where("action", "=", "note.printed")
        .execute();
      expect(audit).toHaveLength(1);
      expect(audit[0].patient_id).toBe(patients.quill);
      expect(JSON.parse(audit[0].changes!)).toMatchObject({ detail: { notes: 1, noteId: groupNoteId } });
      expect(audit[0].changes).not.toContain("garden");

      // Print a range from the list.
      await page.goto(`${baseUrl}/patients/${patients.quill}/notes`);
      await hydrated(page);
      await page.getByLabel("Print signed notes from").fill(addDays(day, -1));
      await page.getByLabel("through").fill(addDays(day, 5));
      await page.getByRole("button", { name: "Print notes" }).click();
      await page.waitForURL((u) => u.pathname.endsWith("/notes/print") && u.searchParams.has("from"));
      // The address changes before the printed page replaces the list: wait for its count line.
      await page
        .getByText(/\d+ signed notes?\b/)
        .first()
        .waitFor();
      await hydrated(page);
      const range = await page.locator("body").innerText();
      expect(range).toContain("2 signed notes");
      expect(range).toContain("Quill reviewed the week alone.");
      for (const other of ["Ravel", "Sable", "violin", "lighthouse"]) expect(range).not.toContain(other);

      // A counseling note: kept for Marcus alone.
      await page.goto(`${baseUrl}/patients/${patients.quill}/notes`);
      await hydrated(page);
      await page.getByLabel("New counseling note").fill("Counseling-only: the anger sits on grief.");
      await page.getByRole("button", { name: "Save counseling note" }).click();
      await visible(page.getByRole("list", { name: "Your counseling notes" }).getByText("Counseling-only: the anger sits on grief."));
    } finally {
      await ctx.close();
    }

    // The admin reads the notes, but nothing of Marcus's counseling notes, not even that there are
    // some: an admin who facilitates sessions keeps counseling notes of their own, and sees only those.
    const admin = await signInCookie(baseUrl, ADMIN);
    const adminPage = await (await fetch(`${baseUrl}/patients/${patients.quill}/notes`, { headers: { Cookie: admin } })).text();
    expect(adminPage).toContain("Family roles group");
    expect(adminPage).not.toContain("anger sits on grief");
    expect(adminPage).not.toContain("Counseling-only");
    expect(adminPage).toContain("You have written none on this patient.");
  });

  it("staff get no Notes link and are refused the notes, their data and their print", async () => {
    const ctx = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    const page = await ctx.newPage();
    try {
      await signIn(page, baseUrl, STAFF);
      await page.waitForURL(`${baseUrl}/`);
      await page.goto(`${baseUrl}/patients/${patients.quill}`);
      await hydrated(page);
      await expect(chartNav(page).getByRole("link", { name: "Notes", exact: true }).count()).resolves.toBe(0);
      expect(await page.content()).not.toContain(`/patients/${patients.quill}/notes`);
    } finally {
      await ctx.close();
    }
    const staff = await signInCookie(baseUrl, STAFF);
    for (const path of [
      `/patients/${patients.quill}/notes`,
      `/patients/${patients.quill}/notes.data`,
      `/patients/${patients.quill}/notes/${groupNoteId}`,
      `/patients/${patients.quill}/notes/${groupNoteId}.data`,
      `/patients/${patients.quill}/notes/print?note=${groupNoteId}`,
    ]) {
      const res = await fetch(`${baseUrl}${path}`, { headers: { Cookie: staff }, redirect: "manual" });
      expect(res.status, path).toBe(403);
      const body = await res.text();
      expect(body).not.toContain("garden");
    }
  });
});

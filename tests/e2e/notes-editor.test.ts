/**
 * Issue 20, the note-writing screen, in Chromium against the production build on the demo clinic:
 * Marcus Bell (an intern-level counselor whose notes need a co-signature) opens a held group
 * session's note from the session page, writes the group part once, moves between patients with
 * Alt+↓ / Alt+↑, sees each part save itself (a reload keeps the text); Elena Ortiz, his
 * co-facilitator, saves the group part meanwhile, and Marcus's next save is refused with his text
 * kept and hers beside it; signing with a gap shows it at its field; signing complete shows the
 * note read-only, waiting for co-signature; an empty addendum is refused, a written one added;
 * Priya Raman, the clinical supervisor, co-signs it.
 */
import type { Kysely } from "kysely";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { noteForSession, saveShared } from "~/features/notes/notes.server";
import { createDb } from "../../db/database";
import type { Database } from "../../db/schema";
import { launchBrowser } from "../support/browser";
import { meta } from "../support/demo";
import { COUNSELOR, hydrated, signIn, visible } from "./helpers";

const baseUrl = inject("baseUrl");
const SUPERVISOR = "priya.raman@harborlight.example";
const CO_FACILITATOR = "elena.ortiz@harborlight.example";
let browser: Browser;
let db: Kysely<Database>;
let siteId = "";
let sessionId = "";
let elena: { id: string; name: string };

beforeAll(async () => {
  browser = await launchBrowser();
  db = createDb(inject("databaseUrl"));
  const site = await db.selectFrom("sites").select("id").orderBy("created_at").executeTakeFirstOrThrow();
  siteId = site.id;
  const marcus = await db.selectFrom("users").select("id").where("email", "=", COUNSELOR).executeTakeFirstOrThrow();
  elena = await db.selectFrom("users").select(["id", "name"]).where("email", "=", CO_FACILITATOR).executeTakeFirstOrThrow();
  // A held group session of the demo with at least three patients marked attended and no note yet;
  // Marcus facilitates it for this test, with Elena as co-facilitator.
  const now = new Date().toISOString();
  const held = await db
    .selectFrom("sessions as s")
    .select("s.id")
    .where("s.site_id", "=", siteId)
    .where("s.kind", "=", "group")
    .where("s.status", "=", "scheduled")
    .where("s.ends_at", "<", now)
    .where((eb) => eb.not(eb.exists(eb.selectFrom("notes as n").select("n.id").whereRef("n.session_id", "=", "s.id"))))
    .where((eb) =>
      eb(
        eb
          .selectFrom("attendance as a")
          .select((e) => e.fn.countAll().as("n"))
          .whereRef("a.session_id", "=", "s.id")
          .where("a.status", "in", ["present", "late", "left_early"]),
        ">=",
        3,
      ),
    )
    .orderBy("s.starts_at", "desc")
    .executeTakeFirstOrThrow();
  sessionId = held.id;
  await db.updateTable("sessions").set({ facilitator_id: marcus.id, co_facilitator_id: elena.id }).where("id", "=", sessionId).execute();
});
afterAll(async () => {
  await browser?.close();
  await db?.destroy();
});

async function signedIn(email: string, width = 1366): Promise<Page> {
  const page = await (await browser.newContext({ viewport: { width, height: 1000 } })).newPage();
  await signIn(page, baseUrl, email);
  await page.waitForURL(`${baseUrl}/`);
  return page;
}

const partOf = (page: Page, id: string) => page.locator(`#part-${id}`);
const savedIn = (page: Page, id: string) => visible(partOf(page, id).locator('[data-save-state="saved"]'), 15_000);
const focusedPart = (page: Page) => page.evaluate(() => document.activeElement?.closest("[data-part]")?.id ?? null);

describe("the note-writing screen", () => {
  it("a facilitator writes a group note from one screen, keeps his text through a conflict, signs it; the supervisor co-signs", async () => {
    const note = `${baseUrl}/schedule/sessions/${sessionId}/note`;
    const page = await signedIn(COUNSELOR);

    // From the session page: "Write notes" starts the note.
    await page.goto(`${baseUrl}/schedule/sessions/${sessionId}`);
    await hydrated(page);
    await visible(page.getByText("Note: No note"));
    await page.getByRole("button", { name: "Write notes" }).click();
    await page.waitForURL(note);
    await hydrated(page);
    await visible(page.locator("[data-part]")).catch(async (e) => {
      console.log(await page.locator("main").textContent());
      throw e;
    });
    const parts = await page.locator("[data-part]").evaluateAll((els) => els.map((e) => e.id.replace(/^part-/, "")));
    expect(parts[0]).toBe("shared");
    const patients = parts.slice(1);
    expect(patients.length).toBeGreaterThanOrEqual(3);

    // The group part, written once; it saves itself, and a reload keeps it.
    await page.getByLabel("Topic").fill("Budgeting on a fixed income");
    await savedIn(page, "shared");
    await page.reload();
    await hydrated(page);
    expect(await page.getByLabel("Topic").inputValue()).toBe("Budgeting on a fixed income");

    // Alt+↓ / Alt+↑ move between the parts' first fields.
    await page.getByLabel("Topic").focus();
    await page.keyboard.press("Alt+ArrowDown");
    expect(await focusedPart(page)).toBe(`part-${patients[0]}`);
    expect(await page.evaluate(() => document.activeElement?.getAttribute("name"))).toBe("participation");
    await page.keyboard.press("Alt+ArrowDown");
    expect(await focusedPart(page)).toBe(`part-${patients[1]}`);
    await page.keyboard.press("Alt+ArrowUp");
    expect(await focusedPart(page)).toBe(`part-${patients[0]}`);
    await visible(page.getByText(/Move between the group part and each patient with/));

    // Elena saves the group part meanwhile: Marcus's next save is refused, his text kept, hers shown.
    const draft = (await noteForSession(db, sessionId, siteId))!;
    const theirs = await saveShared(
      db,
      elena,
      draft.id,
      { version: draft.sharedVersion, shared: { ...draft.shared, interventions: "Elena's motivational interviewing" } },
      siteId,
      meta,
    );
    expect(theirs.ok).toBe(true);
    await page.getByLabel("Interventions").fill("Psychoeducation with a budgeting worksheet");
    const conflict = partOf(page, "shared").getByRole("alert");
    await visible(conflict.getByText("Someone else saved this part first"), 15_000);
    expect(await conflict.textContent()).toContain("Elena's motivational interviewing");
    expect(await page.getByLabel("Interventions").inputValue()).toBe("Psychoeducation with a budgeting worksheet");
    // The person decides: the next save goes through over hers.
    await conflict.getByRole("button", { name: "Save my text over theirs" }).click();
    await savedIn(page, "shared");

    // Signing with gaps: each gap at its field, nothing typed lost.
    await page.getByRole("button", { name: "Sign note" }).click();
    await visible(page.getByText(/The note is not complete, so it was not signed/));
    await visible(partOf(page, patients[0]!).getByText(/say how they participated/));
    expect(await page.getByLabel("Interventions").inputValue()).toBe("Psychoeducation with a budgeting worksheet");

    // Complete it: the group part, then each patient (a quick phrase, the risk quick fill).
    await page.getByLabel("How the group went").fill("Engaged discussion; two members shared budgets.");
    for (const id of patients) {
      const card = partOf(page, id);
      await card.getByRole("combobox", { name: /^Participation/ }).selectOption("active");
      await card.getByRole("button", { name: "Add to response: Gave feedback to peers." }).click();
      await card.getByRole("textbox", { name: /^Plan/ }).fill("Bring a week of receipts.");
      await card.getByRole("button", { name: "Denies harm, no use" }).click();
    }
    expect(
      await partOf(page, patients[0]!)
        .getByRole("textbox", { name: /^Response/ })
        .inputValue(),
    ).toBe("Gave feedback to peers.");
    await page.getByRole("button", { name: "Sign note" }).click();
    await visible(page.getByText(/Signed by Marcus Bell/), 20_000);
    await visible(page.getByText("Waiting for co-signature by a clinical supervisor."));
    expect(await page.getByRole("button", { name: "Sign note" }).count()).toBe(0);
    expect(await page.getByLabel("Topic").count()).toBe(0);

    // Addenda: an empty one is refused; a written one is added, dated and signed.
    const label = "Addendum to the group part";
    await page.getByRole("button", { name: "Add addendum" }).first().click();
    await visible(page.getByText("Write the addendum: an empty addendum adds nothing."));
    await page.getByLabel(label).fill("Corrected: the worksheet was the weekly version.");
    await page.getByRole("button", { name: "Add addendum" }).first().click();
    await visible(page.getByText(/Addendum by Marcus Bell/), 20_000);
    await visible(page.getByText("Corrected: the worksheet was the weekly version."));
    await page.context().close();

    // Elena, not a supervisor, is told why she cannot co-sign; Priya co-signs.
    const other = await signedIn(CO_FACILITATOR);
    await other.goto(note);
    await hydrated(other);
    await visible(other.getByText(/You cannot co-sign it/));
    await other.context().close();
    const supervisor = await signedIn(SUPERVISOR);
    await supervisor.goto(note);
    await hydrated(supervisor);
    await supervisor.getByRole("button", { name: "Co-sign the note" }).click();
    await visible(supervisor.getByText(/Co-signed by Priya Raman/));
    const audit = await db.selectFrom("audit_events").select("action").where("entity_id", "=", draft.id).execute();
    const actions = new Set(audit.map((a) => a.action));
    for (const a of ["note.started", "note.viewed", "note.draft_saved", "note.signed", "note.addendum_added", "note.cosigned"]) expect(actions).toContain(a);
    await supervisor.context().close();
  });
});

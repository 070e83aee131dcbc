/**
 * Issue 21's "Done when", walked in Chromium as the demo's billing person would, on SQLite and on
 * PostgreSQL (E2E_DIALECT=postgres): a new patient with a 10-day IOP authorization attends twelve
 * documented 3-hour days; 10 charges are ready and 2 held for "authorization exhausted"; the 837
 * export parses back with the same totals; an 835 marks 9 paid and 1 denied with its reason; and
 * billing never sees a clinical note.
 *
 * The clinic's side (patient, payer with H0015 at $250.00 a day, consent, twelve attended and
 * signed days) is made through the repositories by revenue-walkthrough-support.ts; billing's side —
 * coverage, authorization, charge review, export, download, remittance — through the pages.
 *
 * Counted by hand. The twelve days are the twelve weekdays before today, d1..d12, all inside the
 * authorization (d1 .. d12 + 7 days), each attended 180 minutes with a signed note, so each is a
 * billable IOP day (3 hours, documented) using one unit, in date order:
 *
 *   day      d1 d2 d3 d4 d5 d6 d7 d8 d9 d10 | d11  d12
 *   used      1  2  3  4  5  6  7  8  9  10 |  11   12    (attended billable days, as the chart counts them)
 *   left      9  8  7  6  5  4  3  2  1   0 |  -1   -2    (shown "1 over", "2 over": units exceeded)
 *   charge   ready ×10, $250.00 each        | held: authorization exhausted (the 10 were used on earlier days)
 *
 *   ready: 10 days, $2,500.00 · held: 2 days, $500.00 · authorization: "12 of 10 days", "2 over"
 *   837: one claim for the patient, 10 lines on d1..d10 at $250.00, claim total $2,500.00
 *   835: d4 denied CO-50 (not medically necessary), $0 paid; the other 9 paid in full: $2,250.00
 */
import { randomUUID } from "node:crypto";
import type { Kysely } from "kysely";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createDb } from "../../db/database";
import type { Database } from "../../db/schema";
import { build835, read837 } from "~/features/billing/x12";
import { addDays, shortDate } from "~/kernel/time";
import { launchBrowser } from "../support/browser";
import { signInCookie } from "../support/server";
import { chartNav, openChartSection } from "./chart-sections";
import { ADMIN, BILLING, COUNSELOR, hydrated, signIn, visible } from "./helpers";
import { RATE_CENTS, setUpWalkthrough, type Walkthrough } from "./revenue-walkthrough-support";

const baseUrl = inject("baseUrl");
let browser: Browser;
let db: Kysely<Database>;
let w: Walkthrough;
/** A phrase no page of the demo holds, written into every section of the twelve notes. */
const PHRASE = `harbor-walk-${randomUUID().slice(0, 8)} spoke of the lighthouse keeper's ledger`;
const AUTH_NUMBER = `LM-${randomUUID().slice(0, 6).toUpperCase()}`;

/** The hand count above: per day, units used and left after it, and its charge's status. */
const BY_HAND = [
  [1, 9, "Ready"],
  [2, 8, "Ready"],
  [3, 7, "Ready"],
  [4, 6, "Ready"],
  [5, 5, "Ready"],
  [6, 4, "Ready"],
  [7, 3, "Ready"],
  [8, 2, "Ready"],
  [9, 1, "Ready"],
  [10, 0, "Ready"],
  [11, -1, "Held"],
  [12, -2, "Held"],
] as const;
const DENIED = 3; // d4

beforeAll(async () => {
  db = createDb(inject("databaseUrl"));
  w = await setUpWalkthrough(db, { admin: ADMIN, counselor: COUNSELOR }, PHRASE);
  browser = await launchBrowser();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await db?.destroy();
});

/** The charges of the patient on /billing/charges, filtered by MRN the way a person would: [date, status, why held, amount] by date. */
async function chargeRows(page: Page, expected: number): Promise<string[][]> {
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Charges" }).click();
  await page.waitForURL(`${baseUrl}/billing/charges`);
  await hydrated(page);
  await page.getByLabel("Patient (MRN or name)").fill(w.mrn);
  await page.getByRole("button", { name: "Filter" }).click();
  await page.waitForURL(new RegExp(`patient=${w.mrn}`));
  const table = page.getByRole("table", { name: "Charges" });
  const read = async () => {
    const rows = (await table.getByRole("row").all()).slice(1);
    // Text as written (a status badge is shown in capitals by CSS only).
    return Promise.all(rows.map(async (r) => (await r.getByRole("cell").allTextContents()).map((c) => c.trim())));
  };
  // The URL changes as the filtered page's data arrives: wait for the rows to follow it.
  await expect.poll(async () => (await read()).filter((r) => r[1]?.includes(w.mrn)).length, { timeout: 10_000 }).toBe(expected);
  const rows = await read();
  expect(rows.every((r) => r[1].includes(w.mrn))).toBe(true);
  const iso = (shown: string) => w.days.find((d) => shortDate(d) === shown) ?? shown;
  return rows.map((r) => [iso(r[0]), r[2], r[3], r[7]]).sort((a, b) => a[0].localeCompare(b[0]));
}

describe("issue 21, done when: a 10-day authorization, twelve documented days, the 837 and the 835, in billing's hands", () => {
  it("holds the two days past the authorization, bills ten, posts the payer's 835, and never shows billing a note", async () => {
    const { days } = w;
    expect(days).toHaveLength(12);
    // The notes hold the phrase (so not finding it below means something), and a counselor reads it.
    const counselor = await signInCookie(baseUrl, COUNSELOR);
    const asCounselor = await fetch(`${baseUrl}/patients/${w.patientId}/notes/${w.noteIds[0]}`, { headers: { Cookie: counselor } });
    expect(asCounselor.status).toBe(200);
    expect(await asCounselor.text()).toContain(PHRASE);

    const ctx = await browser.newContext({ acceptDownloads: true });
    const page = await ctx.newPage();
    // Every page and data response billing receives, kept to search for the note's text at the end.
    const bodies: Promise<string>[] = [];
    page.on("response", (res) => {
      const type = res.request().resourceType();
      if (type === "document" || type === "fetch" || type === "xhr") bodies.push(res.text().catch(() => `${res.url()}: ${res.status()}`));
    });
    await signIn(page, baseUrl, BILLING);
    await page.waitForURL(`${baseUrl}/`);
    await hydrated(page);

    // The chart, to its Coverage section: billing's chart has no clinical sections.
    await page.goto(`${baseUrl}/patients/${w.patientId}`);
    await hydrated(page);
    const sections = (await chartNav(page).getByRole("link").allInnerTexts()).map((t) => t.trim());
    expect(sections).toContain("Coverage");
    for (const clinical of ["Notes", "Plan", "MAT", "Drug tests", "Clinical record", "Assessments", "Measures"]) expect(sections).not.toContain(clinical);
    await openChartSection(page, "Coverage");

    await page.getByLabel("Payer", { exact: true }).selectOption({ label: `${w.payerName} (Commercial)` });
    await page.getByLabel("Priority").selectOption({ label: "Primary" });
    await page.getByLabel("Member id").fill("LM-4471902");
    await page.getByLabel("Patient's relationship to the subscriber").selectOption({ label: "Self" });
    await page.getByLabel("Effective from").fill(addDays(days[0], -7));
    await page.getByRole("button", { name: "Add coverage" }).click();
    await visible(page.getByText("Coverage added."));
    await visible(page.getByRole("heading", { name: w.payerName }));

    await page.getByLabel("Coverage", { exact: true }).selectOption({ label: `${w.payerName} (Primary)` });
    await page.getByLabel("Level of care", { exact: true }).selectOption("IOP");
    await page.getByLabel("Status", { exact: true }).selectOption({ label: "Approved" });
    await page.getByLabel("Units approved").fill("10");
    await page.getByLabel("Unit", { exact: true }).selectOption({ label: "Days" });
    await page.getByLabel("Authorization number (optional)").fill(AUTH_NUMBER);
    await page.getByLabel("First day").fill(days[0]);
    await page.getByLabel("Last day").fill(addDays(days[11], 7));
    await page.getByRole("button", { name: "Record authorization" }).click();
    await visible(page.getByText("Authorization recorded."));
    const auth = page.getByRole("table", { name: `Authorizations on ${w.payerName}` }).getByRole("row", { name: new RegExp(AUTH_NUMBER) });
    await visible(auth);
    const cells = (await auth.getByRole("cell").allInnerTexts()).map((c) => c.trim());
    // Level, number, dates, status, used of approved, remaining: after d12, as counted by hand (two days past the ten).
    const [used, left] = BY_HAND[11];
    expect([cells[0], cells[1], cells[3], cells[4], cells[5]]).toEqual(["IOP", AUTH_NUMBER, "Approved", `${used} of 10 days`, `${-left} over`]);

    // The charge review: ten ready, the last two held for the exhausted authorization, in words.
    const exhausted = `Authorization exhausted: All 10 days of authorization ${AUTH_NUMBER} (${shortDate(days[0])}–${shortDate(addDays(days[11], 7))}) were used on earlier days.`;
    const rows = await chargeRows(page, 12);
    expect(rows).toEqual(days.map((d, i) => [d, BY_HAND[i][2], BY_HAND[i][2] === "Ready" ? "Nothing: ready to bill" : exhausted, "$250.00"]));
    await visible(page.getByLabel("Ready total").getByText("10 days"));
    await visible(page.getByLabel("Ready total").getByText("$2,500.00"));
    await visible(page.getByLabel("Held total").getByText("2 days"));
    await visible(page.getByLabel("Held total").getByText("$500.00"));

    // The claims page: export the ready professional charges as an 837P batch.
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Claims" }).click();
    await page.waitForURL(`${baseUrl}/billing/claims`);
    await hydrated(page);
    await page.getByRole("button", { name: "Export 837P batch" }).click();
    await visible(page.getByText(/Exported \d+ claims?/));
    const claim = await db
      .selectFrom("claims as c")
      .innerJoin("claim_batches as b", "b.id", "c.batch_id")
      .select(["c.control", "c.total_cents", "b.control_number"])
      .where("c.patient_id", "=", w.patientId)
      .executeTakeFirstOrThrow();
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("link", { name: `Download batch ${claim.control_number} as 837` }).click(),
    ]);
    const chunks: Buffer[] = [];
    for await (const c of (await download.createReadStream())!) chunks.push(c as Buffer);
    const x12 = Buffer.concat(chunks).toString("utf8");
    const back = read837(x12);
    expect(back.countedSegments).toBe(back.segmentCount);
    const ours = back.claims.filter((c) => c.control === claim.control);
    expect(ours).toHaveLength(1);
    expect(ours[0].lines).toEqual(days.slice(0, 10).map((date) => ({ date, code: "H0015", amountCents: RATE_CENTS, units: 1 })));
    expect(ours[0].totalCents).toBe(10 * RATE_CENTS);
    const billed = await db.selectFrom("charges").select(["amount_cents", "status"]).where("patient_id", "=", w.patientId).execute();
    const exported = billed.filter((c) => c.status === "exported");
    expect(exported).toHaveLength(10);
    expect(ours[0].totalCents).toBe(exported.reduce((sum, c) => sum + Number(c.amount_cents), 0));
    expect(Number(claim.total_cents)).toBe(ours[0].totalCents);
    expect(x12).not.toContain(PHRASE);

    // The payer's 835: d4 denied as not medically necessary (CARC 50, group CO), the rest paid in full.
    const remittance = build835({
      payer: { name: w.payerName, id: w.payerCode },
      payee: { name: "Harbor Light Recovery", npi: "1234567893" },
      traceNumber: `EFT-${randomUUID().slice(0, 8)}`,
      paidOn: addDays(days[11], 1),
      controlNumber: 21,
      createdAt: new Date(),
      claims: [
        {
          control: claim.control,
          status: "1",
          chargeCents: 10 * RATE_CENTS,
          lines: days.slice(0, 10).map((date, i) => ({
            date,
            procedureCode: "H0015",
            modifiers: ["HF"],
            chargeCents: RATE_CENTS,
            paidCents: i === DENIED ? 0 : RATE_CENTS,
            units: 1,
            adjustments: i === DENIED ? [{ group: "CO", reason: "50", cents: RATE_CENTS }] : [],
          })),
        },
      ],
    });
    await page.getByLabel("835 file").setInputFiles({ name: "lakeshore.835", mimeType: "text/plain", buffer: Buffer.from(remittance) });
    await page.getByRole("button", { name: "Import 835" }).click();
    await page.waitForURL(/\/billing\/remittances\/[^/]+$/);
    await hydrated(page);
    await visible(page.getByText("Imported 10 lines."));
    const posted = page.getByRole("table", { name: "Posted to charges" });
    await visible(posted);
    const lines = await Promise.all(
      (await posted.getByRole("row").all()).slice(1).map(async (r) => (await r.getByRole("cell").allInnerTexts()).map((c) => c.trim())),
    );
    const outcome = (l: string[]) => [l[2], l[5], l[6], l[7]];
    expect(lines.map(outcome).sort((a, b) => Date.parse(a[0]) - Date.parse(b[0]))).toEqual(
      days
        .slice(0, 10)
        .map((d, i) =>
          i === DENIED
            ? [shortDate(d), "$0.00", "Denied", "CO-50: Non-covered: not deemed a medical necessity by the payer (contractual obligation) — $250.00"]
            : [shortDate(d), "$250.00", "Paid", "—"],
        ),
    );

    // The charge review shows the same: 9 paid, d4 denied, the last two still held.
    const after = await chargeRows(page, 12);
    expect(after.map((r) => [r[0], r[1]])).toEqual(days.map((d, i) => [d, i >= 10 ? "Held" : i === DENIED ? "Denied" : "Paid"]));

    // Billing asks for the notes anyway, by their addresses: refused, and none of the note's text sent.
    for (const path of [
      `/patients/${w.patientId}/notes`,
      `/patients/${w.patientId}/notes/${w.noteIds[0]}`,
      `/patients/${w.patientId}/notes/${w.noteIds[11]}`,
      `/patients/${w.patientId}/notes/print?note=${w.noteIds[0]}`,
    ]) {
      const res = await page.goto(`${baseUrl}${path}`);
      expect(res?.status(), path).toBe(403);
      expect(await page.locator("body").innerText(), path).not.toContain(PHRASE);
      const [pathname, search] = path.split("?");
      const data = await page.request.get(`${baseUrl}${pathname}.data${search ? `?${search}` : ""}`);
      expect(data.status(), `${path} .data`).toBe(403);
      expect(await data.text()).not.toContain(PHRASE);
    }

    // Nothing billing received during the walk carried the notes' text.
    const received = await Promise.all(bodies);
    expect(received.length).toBeGreaterThan(10);
    expect(received.filter((b) => b.includes(PHRASE) || b.includes(PHRASE.slice(0, 20)))).toEqual([]);
    await ctx.close();
  }, 60_000);
});

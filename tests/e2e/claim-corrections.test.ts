/**
 * A billing person corrects an exported claim in Chromium: after a counselor's roll-call correction
 * leaves one claimed day 30 minutes short of its hours (saved through the attendance repository, as
 * the roll-call page saves it), the claims page shows the claim as "Needs correction" with that day
 * in words; on the claim's page "Send a replacement" sends a frequency-7 claim in a batch of its
 * own, and its 837 downloads and parses back with CLM05-3 = 7, the payer's claim number in REF*F8
 * and every day but the short one.
 */
import type { Kysely } from "kysely";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createDb } from "../../db/database";
import type { Database } from "../../db/schema";
import { dayLabel, payerClaimControl } from "~/features/billing/corrections.server";
import { read837 } from "~/features/billing/x12";
import { launchBrowser } from "../support/browser";
import { claimToCorrect, shortenClaimedDay } from "../../seeds/demo-billing-corrections";
import { BILLING, COUNSELOR, hydrated, signIn, visible } from "./helpers";

const baseUrl = inject("baseUrl");
let browser: Browser;
let db: Kysely<Database>;
let claim: { id: string; control: string; days: string[] };
let short: { date: string; minutes: number; need: number };
let f8 = "";

beforeAll(async () => {
  browser = await launchBrowser();
  db = createDb(inject("databaseUrl"));
  const site = await db.selectFrom("sites").select("id").where("name", "=", "Harbor Light Recovery – Riverside").executeTakeFirstOrThrow();
  const counselor = await db.selectFrom("users").select(["id", "name"]).where("email", "=", COUNSELOR).executeTakeFirstOrThrow();
  // The newest exported claim whose first day has a roll call to correct: other tests export claims
  // of their own (some from fixtures with no attendance), and the suite shares one database.
  const tried: string[] = [];
  let shortened: Awaited<ReturnType<typeof shortenClaimedDay>> = null;
  let id: string | null = null;
  for (let n = 0; n < 20 && !shortened; n++) {
    id = await claimToCorrect(db, site.id, tried);
    if (!id) break;
    tried.push(id);
    const row = await db.selectFrom("claims").select(["control"]).where("id", "=", id).executeTakeFirstOrThrow();
    f8 = (await payerClaimControl(db, row, site.id)).value;
    shortened = await shortenClaimedDay(db, counselor, site.id, id, "Left at 11:00 for a court date; the roll call said present.");
  }
  if (!id || !shortened) throw new Error("the demo has no exported claim of two days or more whose first day has a roll call to correct");
  const row = await db.selectFrom("claims").select(["control"]).where("id", "=", id).executeTakeFirstOrThrow();
  const days = (await db.selectFrom("charges").select("service_date").where("claim_id", "=", id).orderBy("service_date").execute()).map((c) => c.service_date);
  claim = { id, control: row.control, days };
  short = shortened;
});
afterAll(async () => {
  await browser?.close();
  await db?.destroy();
});

describe("claim corrections", () => {
  it("shows the claim as needing correction and sends a replacement whose 837 parses with frequency 7", async () => {
    const ctx = await browser.newContext({ acceptDownloads: true });
    const page = await ctx.newPage();
    await signIn(page, baseUrl, BILLING);
    await page.waitForURL(`${baseUrl}/`);
    await page.goto(`${baseUrl}/billing/claims`);
    await hydrated(page);

    const claims = page.getByRole("table", { name: "Claims sent" });
    const row = claims.getByRole("row").filter({ has: page.getByRole("link", { name: `Claim ${claim.control}` }) });
    await visible(row.getByText("Needs correction"));
    const words = `${dayLabel(short.date)}: attendance now ${short.minutes} min, below the ${short.need} min the day needs`;
    await visible(row.getByText(words));

    await row.getByRole("link", { name: `Claim ${claim.control}` }).click();
    await page.waitForURL(`${baseUrl}/billing/claims/${claim.id}`);
    await hydrated(page);
    await visible(page.getByRole("alert").filter({ hasText: "Needs correction" }).getByText(words));
    await page.getByRole("button", { name: "Send a replacement" }).click();
    await visible(page.getByText("Replacement claim sent in a batch of its own: download its 837 below."));
    await visible(page.getByRole("heading", { name: "Replacement claim, sent" }));
    await visible(page.getByRole("link", { name: claim.control }));

    const replacement = await db
      .selectFrom("claims as cl")
      .innerJoin("claim_batches as b", "b.id", "cl.batch_id")
      .select(["cl.control", "b.control_number", "b.content"])
      .where("cl.replaces_claim_id", "=", claim.id)
      .executeTakeFirstOrThrow();
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("link", { name: `Download batch ${replacement.control_number} as 837` }).click(),
    ]);
    const chunks: Buffer[] = [];
    for await (const c of (await download.createReadStream())!) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString("utf8");
    expect(text).toBe(replacement.content);
    const back = read837(text);
    expect(back.segmentCount).toBe(back.countedSegments);
    expect(back.claims).toHaveLength(1);
    expect(back.claims[0]).toMatchObject({ control: replacement.control, frequency: "7", payerClaimControl: f8 });
    expect(back.claims[0].lines.map((l) => l.date)).toEqual(claim.days.filter((d) => d !== short.date));

    // Back on the original: replaced, nothing more to send.
    await page.goto(`${baseUrl}/billing/claims/${claim.id}`);
    await visible(page.getByText(`Replaced by claim`));
    await expect(page.getByRole("button", { name: "Send a replacement" }).count()).resolves.toBe(0);
    await ctx.close();
  });
});

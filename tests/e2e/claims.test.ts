/**
 * Billing staff's claims page in Chromium: a patient's ten ready days at a payer go out as one 837P
 * batch; the 837 downloads exactly as stored and parses back to $2,500; the payer's 835 (nine days
 * paid, one denied for want of precertification) is uploaded and the remittance shows the denial's
 * reason in words; an 835 that does not add up is refused with the file's problem named.
 */
import { randomUUID } from "node:crypto";
import type { Kysely } from "kysely";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createDb } from "../../db/database";
import type { Database } from "../../db/schema";
import { build835, read837 } from "~/features/billing/x12";
import { enrollPatient } from "~/features/patients/patients.server";
import { launchBrowser } from "../support/browser";
import { meta } from "../support/demo";
import { signInCookie } from "../support/server";
import { insure, payer, readyCharges, weekdays } from "../integration/claims-support";
import { intakeInput } from "../integration/patients-support";
import { ADMIN, hydrated, signIn, visible } from "./helpers";

const baseUrl = inject("baseUrl");
let browser: Browser;
let db: Kysely<Database>;
let patientId = "";
let payerName = "";
const days = weekdays("2025-03-03", 10);

beforeAll(async () => {
  browser = await launchBrowser();
  db = createDb(inject("databaseUrl"));
  const admin = await db.selectFrom("users").select(["id", "name"]).where("email", "=", ADMIN).executeTakeFirstOrThrow();
  const site = await db.selectFrom("sites").select("id").where("name", "=", "Harbor Light Recovery – Riverside").executeTakeFirstOrThrow();
  const enrolled = await enrollPatient(
    db,
    admin,
    intakeInput(site.id, admin.id, {
      legalFirstName: "Clara",
      legalLastName: "Billwell",
      dateOfBirth: "1984-02-11",
      confirmDuplicate: "yes",
      admittedOn: "2025-02-24",
    }),
    [site.id],
    meta,
  );
  if (!enrolled.ok) throw new Error(JSON.stringify(enrolled));
  patientId = enrolled.id;
  payerName = `Summit Health ${randomUUID().slice(0, 6)}`;
  const p = await payer(db, site.id, payerName, "professional");
  await readyCharges(db, site.id, patientId, await insure(db, admin, site.id, patientId, p), p, days);
});
afterAll(async () => {
  await browser?.close();
  await db?.destroy();
});

describe("claims and remittances", () => {
  it("exports ready days as an 837P, downloads it byte for byte, and posts the payer's 835 with its denial", async () => {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    await signIn(page, baseUrl, ADMIN);
    await page.waitForURL(`${baseUrl}/`);
    await page.goto(`${baseUrl}/billing/claims`);
    await hydrated(page);

    // The billing provider, once (the demo may have set it already).
    const npi = page.getByLabel("NPI", { exact: true });
    if (!(await npi.inputValue())) {
      await npi.fill("1234567893");
      await page.getByLabel("Tax id (EIN)").fill("13-1234567");
      await page.getByLabel("Submitter id").fill("HARBORLIGHT01");
      await page.getByLabel("Clearinghouse name").fill("Demo Clearinghouse");
      await page.getByLabel("Clearinghouse receiver id").fill("DEMOCLEAR");
      await page.getByLabel("Billing contact").fill("Billing Office");
      await page.getByLabel("Billing phone").fill("212-555-0140");
      await page.getByRole("button", { name: "Save billing provider" }).click();
      await visible(page.getByText("Billing provider saved."));
    }

    const before = await db.selectFrom("claim_batches").select("id").execute();
    await page.getByRole("button", { name: "Export 837P batch" }).click();
    await visible(page.getByText(/Exported \d+ claims?/)).catch(async (e) => {
      console.error(`The claims page when the export did not say so:\n${(await page.locator("main").innerText()).slice(0, 2000)}`);
      throw e;
    });
    const batches = await db.selectFrom("claim_batches").select(["id", "control_number", "content"]).orderBy("created_at", "desc").execute();
    expect(batches.length).toBe(before.length + 1);
    const batch = batches[0];

    // The download link of the new batch gives the stored 837 exactly.
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("link", { name: `Download batch ${batch.control_number} as 837` }).click(),
    ]);
    const chunks: Buffer[] = [];
    for await (const c of (await download.createReadStream())!) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString("utf8");
    expect(text).toBe(batch.content);
    const back = read837(text);
    const clara = await db
      .selectFrom("claims")
      .select(["control", "total_cents"])
      .where("batch_id", "=", batch.id)
      .where("patient_id", "=", patientId)
      .executeTakeFirstOrThrow();
    const claim = back.claims.find((c) => c.control === clara.control)!;
    expect(claim.lines.map((l) => l.date)).toEqual(days);
    expect(claim.totalCents).toBe(250000);

    // The CSV carries the Part 2 notice and one row per day.
    const csv = await (
      await fetch(`${baseUrl}/billing/claims/${batch.id}/download?format=csv`, { headers: { Cookie: await signInCookie(baseUrl, ADMIN) } })
    ).text();
    expect(csv).toMatch(/42 CFR part 2/i);
    expect(csv.split("\r\n").filter((l) => l.startsWith(clara.control))).toHaveLength(10);

    // The payer's 835: day 5 denied (CO-197), the rest paid.
    const remit = (total?: string) => {
      const t = build835({
        payer: { name: payerName, id: "SUMMIT1" },
        payee: { name: "Harbor Light Recovery", npi: "1234567893" },
        traceNumber: `EFT-${randomUUID().slice(0, 8)}`,
        paidOn: "2025-04-01",
        controlNumber: 7,
        createdAt: new Date(),
        claims: [
          {
            control: clara.control,
            status: "1",
            chargeCents: 250000,
            lines: days.map((date, i) => ({
              date,
              procedureCode: "H0015",
              modifiers: ["HF"],
              chargeCents: 25000,
              paidCents: i === 4 ? 0 : 25000,
              units: 1,
              adjustments: i === 4 ? [{ group: "CO", reason: "197", cents: 25000 }] : [],
            })),
          },
        ],
      });
      return total ? t.replace(/BPR\*I\*[0-9.]+\*/, `BPR*I*${total}*`) : t;
    };
    const file = page.getByLabel("835 file");
    await file.setInputFiles({ name: "bad.835", mimeType: "text/plain", buffer: Buffer.from(remit("9999")) });
    await page.getByRole("button", { name: "Import 835" }).click();
    await visible(page.getByText(/This 835 does not add up: its payment \(BPR02\) is \$9,999\.00 but its claims' payments come to \$2,250\.00/));

    await page.getByLabel("835 file").setInputFiles({ name: "summit.835", mimeType: "text/plain", buffer: Buffer.from(remit()) });
    await page.getByRole("button", { name: "Import 835" }).click();
    await page.waitForURL(/\/billing\/remittances\//);
    await hydrated(page);
    await visible(page.getByText("Imported 10 lines."));
    const posted = page.getByRole("table", { name: "Posted to charges" });
    await visible(posted.getByText("Denied"));
    await visible(posted.getByText(/CO-197: Precertification\/authorization\/notification\/pre-treatment absent/));
    expect(await posted.getByRole("cell", { name: "Paid", exact: true }).count()).toBe(9);
    const statuses = await db.selectFrom("charges").select("status").where("patient_id", "=", patientId).execute();
    expect(statuses.filter((s) => s.status === "paid")).toHaveLength(9);
    expect(statuses.filter((s) => s.status === "denied")).toHaveLength(1);
    await ctx.close();
  });
});

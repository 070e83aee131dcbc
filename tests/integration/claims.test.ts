/**
 * Claims out and remittances in (issue 21, items 6 and 7) on real databases.
 *
 * Ann (IOP) has 10 ready days at Cascade Health (837P, $250 a day): $2,500. Ben has 2 ready days
 * at Cascade: $500. Cal has 3 ready days at River Care (837I, $300 a day) and Dee 1 day at Cascade
 * but no consent to disclose to it. Worked out by hand:
 *   the professional export: 2 claims (Ann, Ben), 12 lines, $3,000; Dee is named and left ready;
 *   the institutional export: 1 claim, 3 lines, $900, control number 2;
 *   the 835: Ann's 10 lines 9 paid at $250 and 1 denied (CO-197), Ben's 2 paid: BPR $2,750.
 */
import { randomUUID } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { countChargeDayTotals, keptChargeDayTotals } from "~/features/billing/charge-totals.server";
import { batchForDownload, exportClaims, importRemittance, listBatches, npiValid, remittanceById, splitAddress } from "~/features/billing/claims.server";
import { build835, parse835, read837 } from "~/features/billing/x12";
import { disclosuresOf } from "~/features/consents/disclosures.server";
import { createTestDatabase, dialects, type TestDatabase } from "../support/databases";
import { meta, seed } from "../support/demo";
import { insure, payer, readyCharges, setUpProvider, weekdays } from "./claims-support";
import { enroll } from "./patients-support";
import { seedDemoBillingClaims } from "../../seeds/demo-billing-claims";

const NOW = new Date("2026-12-07T15:00:00.000Z");

describe.each(dialects)("claims and remittances on %s", (dialect) => {
  let t: TestDatabase;
  let site: { id: string; name: string; address: string | null; timeZone: string };
  let dana: { id: string; name: string };
  let ann: string, ben: string, cal: string, dee: string;
  let annCharges: string[];
  const annDays = weekdays("2026-11-02", 10);
  let cascade: Awaited<ReturnType<typeof payer>>;
  let firstBatch = "";

  const statuses = async (ids: string[]) =>
    (await t.db.selectFrom("charges").select(["id", "status"]).where("id", "in", ids).execute()).map((r) => r.status).sort();

  beforeAll(async () => {
    t = await createTestDatabase(dialect);
    const clinic = await seed(t.db);
    dana = { id: clinic.users["dana.whitfield"].id, name: clinic.users["dana.whitfield"].name };
    await setUpProvider(t.db, dana, clinic.siteId);
    const s = await t.db.selectFrom("sites").select(["id", "name", "address", "time_zone"]).where("id", "=", clinic.siteId).executeTakeFirstOrThrow();
    site = { id: s.id, name: s.name, address: s.address, timeZone: s.time_zone };
    const person = (first: string) =>
      enroll(t.db, dana, site.id, { legalFirstName: first, legalLastName: "Claims", admittedOn: "2026-10-26", address: "1 Elm St\nPortland, OR 97202" });
    [ann, ben, cal, dee] = (await Promise.all(["Ann", "Ben", "Cal", "Dee"].map(person))).map((p) => p.id);
    cascade = await payer(t.db, site.id, "Cascade Health", "professional");
    const river = await payer(t.db, site.id, "River Care", "institutional", 30000);
    annCharges = await readyCharges(t.db, site.id, ann, await insure(t.db, dana, site.id, ann, cascade), cascade, annDays);
    await readyCharges(t.db, site.id, ben, await insure(t.db, dana, site.id, ben, cascade), cascade, weekdays("2026-11-02", 2));
    await readyCharges(t.db, site.id, cal, await insure(t.db, dana, site.id, cal, river), river, weekdays("2026-11-09", 3));
    await readyCharges(t.db, site.id, dee, await insure(t.db, dana, site.id, dee, cascade, false), cascade, ["2026-11-02"]);
  });
  afterAll(() => t?.destroy());
  // Every charge write here (a refresh, an export, a remittance, a correction) moves the kept day
  // totals the charge review reads (migration 28's triggers): they must equal a count from scratch.
  afterEach(async () => {
    expect(await keptChargeDayTotals(t.db)).toEqual(await countChargeDayTotals(t.db));
  });

  it("reads NPIs and addresses as the claim needs them", () => {
    expect(npiValid("1234567893")).toBe(true);
    expect(npiValid("1234567890")).toBe(false);
    expect(splitAddress("100 Main St\nPortland, OR 97201")).toEqual({ line1: "100 Main St", city: "Portland", state: "OR", zip: "97201" });
    expect(splitAddress("somewhere")).toBeNull();
    expect(splitAddress("123 Maple Ave, Brooklyn, NY 11210")).toEqual({ line1: "123 Maple Ave", city: "Brooklyn", state: "NY", zip: "11210" });
  });

  it("exports the ready professional charges as one 837P batch that parses back to their totals", async () => {
    const key = randomUUID();
    const r = await exportClaims(t.db, dana, site.id, { claimType: "professional", requestKey: key }, meta, NOW);
    if (!r.ok) throw new Error(JSON.stringify(r));
    firstBatch = r.batchId;
    expect(r.claims).toBe(2);
    expect(r.skipped).toHaveLength(1);
    expect(r.skipped[0].patient).toMatch(/^Dee Claims/);

    const file = await batchForDownload(t.db, r.batchId, site.id);
    const back = read837(file!.content);
    expect(back.guide).toBe("005010X222A1");
    expect(back.controlNumber).toBe(1);
    expect(back.segmentCount).toBe(back.countedSegments);
    expect(back.claims).toHaveLength(2);
    expect(back.claims.flatMap((c) => c.lines)).toHaveLength(12);
    expect(back.claims.reduce((n, c) => n + c.totalCents, 0)).toBe(300000);
    const annClaim = back.claims.find((c) => c.lines.length === 10)!;
    expect(annClaim.lines.map((l) => l.date)).toEqual(annDays);
    expect(file!.rows).toHaveLength(12);

    const batch = (await listBatches(t.db, site.id))[0];
    expect(batch).toMatchObject({ controlNumber: 1, claims: 2, lines: 12, totalCents: 300000, claimType: "professional" });
    expect(await statuses(annCharges)).toEqual(Array(10).fill("exported"));
    // Dee's day stays ready: no consent lets it go to Cascade Health.
    expect(await t.db.selectFrom("charges").select("status").where("patient_id", "=", dee).executeTakeFirstOrThrow()).toEqual({ status: "ready" });

    // The accounting of disclosures names the payer, for payment, with the claim's categories.
    const d = await disclosuresOf(t.db, ann);
    expect(d).toHaveLength(1);
    expect(d[0]).toMatchObject({
      recipient: "Cascade Health",
      purpose: "Payment",
      information: ["Attendance", "Level of care and dates of treatment", "Diagnoses"],
    });
    expect(await disclosuresOf(t.db, dee)).toHaveLength(0);

    const audit = await t.db
      .selectFrom("audit_events")
      .select(["action", "patient_id"])
      .where("action", "in", ["claim_batch.exported", "claim.exported"])
      .execute();
    expect(audit.filter((a) => a.action === "claim_batch.exported")).toHaveLength(1);
    expect(
      audit
        .filter((a) => a.action === "claim.exported")
        .map((a) => a.patient_id)
        .sort(),
    ).toEqual([ann, ben].sort());

    // A double submit finds the first batch and makes nothing.
    const again = await exportClaims(t.db, dana, site.id, { claimType: "professional", requestKey: key }, meta, NOW);
    expect(again).toMatchObject({ ok: true, batchId: r.batchId, repeated: true });
    expect(await t.db.selectFrom("claim_batches").select("id").execute()).toHaveLength(1);
  });

  it("never bills a day twice: a second export has nothing ready and is refused as empty", async () => {
    const r = await exportClaims(t.db, dana, site.id, { claimType: "professional", requestKey: randomUUID() }, meta, NOW);
    // Dee's charge is still ready but cannot go out: the refusal names why.
    expect(r).toMatchObject({ ok: false, status: 400 });
    if (!r.ok) expect(r.formError).toMatch(/No claim could go out: Dee Claims/);
    const billed = await t.db.selectFrom("charges").select(["patient_id", "service_date"]).where("claim_id", "is not", null).execute();
    expect(new Set(billed.map((b) => `${b.patient_id}|${b.service_date}`)).size).toBe(billed.length);
    expect(billed).toHaveLength(12);
  });

  it("counts control numbers up per site and exports the institutional charges as an 837I", async () => {
    const r = await exportClaims(t.db, dana, site.id, { claimType: "institutional", requestKey: randomUUID() }, meta, NOW);
    if (!r.ok) throw new Error(JSON.stringify(r));
    const file = await batchForDownload(t.db, r.batchId, site.id);
    const back = read837(file!.content);
    expect(back.guide).toBe("005010X223A2");
    expect(back.controlNumber).toBe(2);
    expect(back.claims.map((c) => c.totalCents)).toEqual([90000]);
    expect(file!.content).toContain("SV2*0906*HC:H0015*300*UN*1~");
    const numbers = (await listBatches(t.db, site.id)).map((b) => b.controlNumber);
    expect(numbers).toEqual([2, 1]);
    // Empty now: refused with the plain message.
    const empty = await exportClaims(t.db, dana, site.id, { claimType: "institutional", requestKey: randomUUID() }, meta, NOW);
    expect(empty).toMatchObject({ ok: false, status: 400, formError: expect.stringMatching(/no ready charges/) });
  });

  it("hides another site's batch", async () => {
    expect(await batchForDownload(t.db, firstBatch, "some-other-site")).toBeNull();
  });

  /** The 835 the payer sends for the first batch: Ann's 5th day denied for want of precertification. */
  async function remittance(trace: string, over: { total?: number; unknown?: boolean } = {}) {
    const claims = await t.db.selectFrom("claims").select(["id", "control", "patient_id", "total_cents"]).where("batch_id", "=", firstBatch).execute();
    const text = build835({
      payer: { name: "Cascade Health", id: "CH001" },
      payee: { name: site.name, npi: "1234567893" },
      traceNumber: trace,
      paidOn: "2026-12-05",
      controlNumber: 9,
      createdAt: NOW,
      claims: await Promise.all(
        claims.map(async (c) => {
          const charges = await t.db
            .selectFrom("charges")
            .select(["service_date", "amount_cents"])
            .where("claim_id", "=", c.id)
            .orderBy("service_date")
            .execute();
          return {
            control: over.unknown ? `ZZ-${c.control}` : c.control,
            status: "1",
            chargeCents: c.total_cents,
            lines: charges.map((ch) => {
              const denied = c.patient_id === ann && ch.service_date === annDays[4];
              return {
                date: ch.service_date,
                procedureCode: "H0015",
                modifiers: ["HF"],
                chargeCents: ch.amount_cents,
                paidCents: denied ? 0 : ch.amount_cents,
                units: 1,
                adjustments: denied ? [{ group: "CO", reason: "197", cents: ch.amount_cents }] : [],
              };
            }),
          };
        }),
      ),
    });
    return over.total === undefined ? text : text.replace(/BPR\*I\*[0-9.]+\*/, `BPR*I*${over.total}*`);
  }

  it("refuses an 835 whose total does not add up, with nothing posted", async () => {
    const content = await remittance("TRN-BAD", { total: 2800 });
    const r = await importRemittance(t.db, dana, site.id, { content, requestKey: randomUUID() }, meta, NOW);
    expect(r).toMatchObject({ ok: false, status: 400 });
    if (!r.ok) expect(r.fieldErrors?.file?.[0]).toMatch(/does not add up: its payment \(BPR02\) is \$2,800\.00 but its claims' payments come to \$2,750\.00/);
    expect(await t.db.selectFrom("remittances").select("id").execute()).toHaveLength(0);
  });

  it("posts an 835: 9 of Ann's days paid and 1 denied with its reason, Ben's paid", async () => {
    const content = await remittance("TRN-1");
    expect(parse835(content).ok).toBe(true);
    const key = randomUUID();
    const r = await importRemittance(t.db, dana, site.id, { content, requestKey: key }, meta, NOW);
    if (!r.ok) throw new Error(JSON.stringify(r));
    expect(r).toMatchObject({ lines: 12, unmatched: 0 });
    const ann10 = await t.db
      .selectFrom("charges")
      .select(["service_date", "status", "paid_cents", "adjustments"])
      .where("id", "in", annCharges)
      .orderBy("service_date")
      .execute();
    expect(ann10.filter((c) => c.status === "paid")).toHaveLength(9);
    const denied = ann10.filter((c) => c.status === "denied");
    expect(denied).toEqual([
      { service_date: annDays[4], status: "denied", paid_cents: 0, adjustments: JSON.stringify([{ group: "CO", reason: "197", cents: 25000 }]) },
    ]);
    const claims = await t.db.selectFrom("claims").select(["patient_id", "status"]).where("batch_id", "=", firstBatch).execute();
    expect(claims.find((c) => c.patient_id === ann)?.status).toBe("partly_paid");
    expect(claims.find((c) => c.patient_id === ben)?.status).toBe("paid");

    const view = await remittanceById(t.db, r.remittanceId, site.id);
    expect(view).toMatchObject({ traceNumber: "TRN-1", paid: "$2,750.00", lineCount: 12, unmatchedCount: 0 });
    const deniedLine = view!.lines.find((l) => l.outcome === "denied")!;
    expect(deniedLine.reasons).toEqual(["CO-197: Precertification/authorization/notification/pre-treatment absent (contractual obligation) — $250.00"]);
    expect(deniedLine.patient).toMatch(/^Ann Claims/);
    expect(await remittanceById(t.db, r.remittanceId, "some-other-site")).toBeNull();
    expect(await t.db.selectFrom("audit_events").select("id").where("action", "=", "remittance.imported").execute()).toHaveLength(1);

    // The same request again: the first import, nothing twice. The same trace number in a new request: refused.
    expect(await importRemittance(t.db, dana, site.id, { content, requestKey: key }, meta, NOW)).toMatchObject({
      ok: true,
      repeated: true,
      remittanceId: r.remittanceId,
    });
    const dup = await importRemittance(t.db, dana, site.id, { content, requestKey: randomUUID() }, meta, NOW);
    expect(dup).toMatchObject({ ok: false, status: 400 });
    if (!dup.ok) expect(dup.fieldErrors?.file?.[0]).toMatch(/trace number TRN-1 was imported already/);
    expect(await t.db.selectFrom("remittances").select("id").execute()).toHaveLength(1);
  });

  it("keeps every line of an 835 for unknown claims, unmatched", async () => {
    const content = await remittance("TRN-2", { unknown: true });
    const r = await importRemittance(t.db, dana, site.id, { content, requestKey: randomUUID() }, meta, NOW);
    if (!r.ok) throw new Error(JSON.stringify(r));
    expect(r).toMatchObject({ lines: 12, unmatched: 12 });
    const lines = await t.db.selectFrom("remittance_lines").select(["charge_id", "claim_control"]).where("remittance_id", "=", r.remittanceId).execute();
    expect(lines).toHaveLength(12);
    expect(lines.every((l) => l.charge_id === null && l.claim_control.startsWith("ZZ-"))).toBe(true);
    // Nothing about Ann's charges changed.
    expect((await statuses(annCharges)).filter((s) => s === "denied")).toHaveLength(1);
  });

  it("seeds the demo's past batch and its 835 with one denial through the repositories", async () => {
    const eve = (await enroll(t.db, dana, site.id, { legalFirstName: "Eve", legalLastName: "Claims", admittedOn: "2026-10-01" })).id;
    const days = weekdays("2026-10-05", 3);
    const eveCharges = await readyCharges(t.db, site.id, eve, await insure(t.db, dana, site.id, eve, cascade), cascade, days);
    // A recent day stays ready for the charge review: only days three weeks old go out.
    const recent = await readyCharges(
      t.db,
      site.id,
      eve,
      (await t.db.selectFrom("coverages").select("id").where("patient_id", "=", eve).executeTakeFirstOrThrow()).id,
      cascade,
      ["2026-12-01"],
    );
    const clinic = { siteId: site.id, users: { dana: { ...dana, email: "", role: "admin" } } };
    await seedDemoBillingClaims(t.db, clinic, "2026-12-07");
    const eveRows = await t.db
      .selectFrom("charges")
      .select(["service_date", "status"])
      .where("id", "in", [...eveCharges, ...recent])
      .orderBy("service_date")
      .execute();
    expect(eveRows.map((r) => r.status)).toEqual(["paid", "denied", "paid", "ready"]);
    const r = await t.db
      .selectFrom("remittances")
      .select(["trace_number", "unmatched_count"])
      .where("trace_number", "=", "EFT2026120701")
      .executeTakeFirstOrThrow();
    expect(r.unmatched_count).toBe(0);
  });

  it("refuses a file that is not an 835", async () => {
    const file = await batchForDownload(t.db, firstBatch, site.id);
    const r = await importRemittance(t.db, dana, site.id, { content: file!.content, requestKey: randomUUID() }, meta, NOW);
    expect(r).toMatchObject({ ok: false, status: 400, fieldErrors: { file: [expect.stringMatching(/not an 835/)] } });
  });
});

/**
 * Corrections to exported claims (issue 21, item 5's last part) on real databases.
 *
 * Ann (IOP) is covered by Cascade Health (837P, H0015 HF, 1 unit, $250 a day, 180 minutes; this
 * test's fee row asks for attendance only, no signed note) with authorization A-1 (20 days,
 * 2026-11-02..11-30) and a consent to disclose to Cascade for payment. She attends five 3-hour
 * days, 11-02..11-06: five ready charges, $1,250. Worked out by hand:
 *   the export: claim 1 (frequency 1), 5 lines, $1,250; nothing needs correction;
 *   11-04 corrected to "left early" after 120 min: the exported charge stays as it was, and the
 *     claim needs correction: "4 Nov: attendance now 120 min, below the 180 min the day needs";
 *   the replacement: claim 2 (frequency 7, REF*F8 = claim 1's CLM01, no 835 yet), 4 lines,
 *     $1,000; claim 1's 5 charges void; 11-04 held again (below the day's hours);
 *   an 835 pays claim 2 (CLP07 "TRN-C1" + its CLM01); the void: claim 3 (frequency 8, REF*F8 =
 *     that CLP07), the same 4 lines, $1,000; the 4 days are ready again, and the next export bills
 *     them as a new original (frequency 1), $1,000.
 */
import { randomUUID } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { countChargeDayTotals, keptChargeDayTotals } from "~/features/billing/charge-totals.server";
import { exportClaims, importRemittance } from "~/features/billing/claims.server";
import { claimDetail, correctClaim, listClaims } from "~/features/billing/corrections.server";
import { refreshCharges } from "~/features/billing/charges.server";
import { build835, read837 } from "~/features/billing/x12";
import { disclosuresOf } from "~/features/consents/disclosures.server";
import { newId } from "~/utils/ids";
import { createTestDatabase, dialects, type TestDatabase } from "../support/databases";
import { meta, seed } from "../support/demo";
import { insure, payer, setUpProvider, weekdays } from "./claims-support";
import { enroll } from "./patients-support";
import { groupSession, markRoll } from "./roll-call-support";

const NOW = new Date("2026-12-07T15:00:00.000Z");
const DAYS = weekdays("2026-11-02", 5);

describe.each(dialects)("claim corrections on %s", (dialect) => {
  let t: TestDatabase;
  let site: { id: string; time_zone: string };
  let dana: { id: string; name: string };
  let ann: string;
  const rollOf = new Map<string, string>();
  let first = { id: "", control: "" };
  let replacement = { id: "", control: "", batchId: "" };

  const chargesOf = async () =>
    (
      await t.db
        .selectFrom("charges")
        .select(["service_date", "status", "claim_id", "amount_cents", "hold_reasons"])
        .where("patient_id", "=", ann)
        .orderBy("service_date")
        .orderBy("created_at")
        .execute()
    ).map((c) => ({ date: c.service_date, status: c.status, claim: c.claim_id, cents: Number(c.amount_cents), reasons: JSON.parse(c.hold_reasons) }));
  const contentOf = async (batchId: string) =>
    (await t.db.selectFrom("claim_batches").select("content").where("id", "=", batchId).executeTakeFirstOrThrow()).content;

  beforeAll(async () => {
    t = await createTestDatabase(dialect);
    const clinic = await seed(t.db);
    dana = { id: clinic.users["dana.whitfield"].id, name: clinic.users["dana.whitfield"].name };
    const priya = { id: clinic.users["priya.raman"].id, name: clinic.users["priya.raman"].name };
    await setUpProvider(t.db, dana, clinic.siteId);
    site = await t.db.selectFrom("sites").select(["id", "time_zone"]).where("id", "=", clinic.siteId).executeTakeFirstOrThrow();
    ann = (
      await enroll(t.db, dana, site.id, { legalFirstName: "Ann", legalLastName: "Fixes", admittedOn: "2026-10-26", address: "1 Elm St\nPortland, OR 97202" })
    ).id;
    const cascade = await payer(t.db, site.id, "Cascade Health", "professional");
    await t.db.updateTable("fee_schedule").set({ requires_signed_note: 0 }).where("id", "=", cascade.feeId).execute();
    const coverageId = await insure(t.db, dana, site.id, ann, cascade);
    await t.db
      .insertInto("authorizations")
      .values({
        id: newId(),
        coverage_id: coverageId,
        patient_id: ann,
        level_of_care: "IOP",
        unit_kind: "days",
        units_approved: 20,
        starts_on: "2026-11-02",
        ends_on: "2026-11-30",
        status: "approved",
        number: "A-1",
        created_by: dana.id,
        created_at: "2026-11-01T12:00:00.000Z",
        updated_at: "2026-11-01T12:00:00.000Z",
      })
      .execute();
    for (const day of DAYS) rollOf.set(day, await groupSession(t.db, dana, priya, site, day, 180, [[ann, "present"]]));
  });
  afterAll(() => t?.destroy());
  // Every charge write here (a refresh, an export, a remittance, a correction) moves the kept day
  // totals the charge review reads (migration 28's triggers): they must equal a count from scratch.
  afterEach(async () => {
    expect(await keptChargeDayTotals(t.db)).toEqual(await countChargeDayTotals(t.db));
  });

  it("exports five ready days as one original claim that needs no correction", async () => {
    expect((await chargesOf()).map((c) => c.status)).toEqual(Array(5).fill("ready"));
    const r = await exportClaims(t.db, dana, site.id, { claimType: "professional", requestKey: randomUUID() }, meta, NOW);
    if (!r.ok) throw new Error(JSON.stringify(r));
    const claims = await listClaims(t.db, site.id);
    expect(claims).toHaveLength(1);
    expect(claims[0]).toMatchObject({ kind: "Original", status: "Sent", total: "$1,250.00", needsCorrection: false, differences: [] });
    first = { id: claims[0].id, control: claims[0].control };
  });

  it("leaves the exported charge alone after a roll-call correction, and says what now differs", async () => {
    await markRoll(t.db, dana, site, rollOf.get(DAYS[2])!, [[ann, "left_early", 120]], new Date("2026-11-20T15:00:00.000Z"), "Left at 11:00.");
    const charges = await chargesOf();
    expect(charges.map((c) => [c.status, c.cents])).toEqual(Array(5).fill(["exported", 25000]));
    const [claim] = await listClaims(t.db, site.id);
    expect(claim.needsCorrection).toBe(true);
    expect(claim.differences).toEqual(["4 Nov: attendance now 120 min, below the 180 min the day needs"]);
    const detail = (await claimDetail(t.db, first.id, site.id))!;
    expect(detail.payerClaimControl).toEqual({ value: first.control, from: "claim" });
    expect(detail.replacementLines.map((l) => l.date)).toEqual([DAYS[0], DAYS[1], DAYS[3], DAYS[4]]);
    // Another site sees no such claim.
    expect(await claimDetail(t.db, first.id, "another-site")).toBeNull();
  });

  it("refuses a stale form and an unknown claim with a clear message, sending nothing", async () => {
    const stale = await correctClaim(
      t.db,
      dana,
      site.id,
      { claimId: first.id, kind: "replace", basis: "0000000000000000", requestKey: randomUUID() },
      meta,
      NOW,
    );
    expect(stale).toMatchObject({ ok: false, status: 409, formError: expect.stringMatching(/changed since you opened it. Nothing was sent/) });
    const unknown = await correctClaim(t.db, dana, site.id, { claimId: "no-such-claim", kind: "void", basis: "x", requestKey: randomUUID() }, meta, NOW);
    expect(unknown).toMatchObject({ ok: false, status: 404, formError: expect.stringMatching(/only a claim that went out can be replaced or voided/) });
    expect(await t.db.selectFrom("claim_batches").select("id").execute()).toHaveLength(1);
  });

  it("sends a replacement (7) with the corrected lines and REF*F8, once, voiding the original's charges", async () => {
    const detail = (await claimDetail(t.db, first.id, site.id))!;
    const key = randomUUID();
    const r = await correctClaim(t.db, dana, site.id, { claimId: first.id, kind: "replace", basis: detail.basis, requestKey: key }, meta, NOW);
    if (!r.ok) throw new Error(JSON.stringify(r));
    const back = read837(await contentOf(r.batchId));
    expect(back.controlNumber).toBe(2);
    expect(back.segmentCount).toBe(back.countedSegments);
    expect(back.claims).toHaveLength(1);
    expect(back.claims[0]).toMatchObject({ frequency: "7", payerClaimControl: first.control, totalCents: 100000 });
    expect(back.claims[0].lines.map((l) => l.date)).toEqual([DAYS[0], DAYS[1], DAYS[3], DAYS[4]]);
    replacement = { id: r.claimId, control: back.claims[0].control, batchId: r.batchId };

    const charges = await chargesOf();
    expect(charges.filter((c) => c.claim === first.id).map((c) => c.status)).toEqual(Array(5).fill("void"));
    expect(charges.filter((c) => c.claim === r.claimId).map((c) => [c.date, c.status, c.cents])).toEqual(
      [DAYS[0], DAYS[1], DAYS[3], DAYS[4]].map((d) => [d, "exported", 25000]),
    );
    expect(charges.filter((c) => c.status === "held")).toEqual([{ date: DAYS[2], status: "held", claim: null, cents: 25000, reasons: ["below_hours"] }]);

    const claims = await listClaims(t.db, site.id);
    expect(claims.map((c) => [c.kind, c.status, c.total, c.needsCorrection])).toEqual([
      ["Replacement", "Sent", "$1,000.00", false],
      ["Original", "Replaced", "$1,250.00", false],
    ]);
    // In the accounting of disclosures, like the export; audited with what differed.
    expect(await disclosuresOf(t.db, ann)).toHaveLength(2);
    const audit = await t.db.selectFrom("audit_events").select(["action", "patient_id", "changes"]).where("action", "=", "claim.replaced").execute();
    expect(audit).toHaveLength(1);
    expect(audit[0].patient_id).toBe(ann);
    expect(audit[0].changes).toContain("4 Nov: attendance now 120 min");

    // A double submit answers with the first correction and makes nothing.
    const again = await correctClaim(t.db, dana, site.id, { claimId: first.id, kind: "replace", basis: detail.basis, requestKey: key }, meta, NOW);
    expect(again).toMatchObject({ ok: true, repeated: true, batchId: r.batchId, claimId: r.claimId });
    // A second correction of the same claim is refused, naming the replacement.
    const twice = await correctClaim(t.db, dana, site.id, { claimId: first.id, kind: "void", basis: detail.basis, requestKey: randomUUID() }, meta, NOW);
    expect(twice).toMatchObject({
      ok: false,
      status: 409,
      formError: `Claim ${first.control} was already replaced by claim ${replacement.control}: correct that claim instead.`,
    });
    expect(await t.db.selectFrom("claim_batches").select("id").execute()).toHaveLength(2);
    // A refresh from scratch agrees with what the correction left.
    expect(await refreshCharges(t.db, site.id, { from: "2026-11-01", to: "2026-11-30" })).toMatchObject({ created: 0, updated: 0, removed: 0 });
  });

  it("voids a paid claim (8) with the payer's CLP07 in REF*F8; its days are billed again only as a new original", async () => {
    const remit = build835({
      payer: { name: "Cascade Health", id: "CH001" },
      payee: { name: "Harbor Light", npi: "1234567893" },
      traceNumber: "TRN-C1",
      paidOn: "2026-12-05",
      controlNumber: 9,
      createdAt: NOW,
      claims: [
        {
          control: replacement.control,
          status: "1",
          chargeCents: 100000,
          lines: [DAYS[0], DAYS[1], DAYS[3], DAYS[4]].map((date) => ({
            date,
            procedureCode: "H0015",
            modifiers: ["HF"],
            chargeCents: 25000,
            paidCents: 25000,
            units: 1,
            adjustments: [],
          })),
        },
      ],
    });
    const posted = await importRemittance(t.db, dana, site.id, { content: remit, requestKey: randomUUID() }, meta, NOW);
    expect(posted).toMatchObject({ ok: true, lines: 4, unmatched: 0 });
    const detail = (await claimDetail(t.db, replacement.id, site.id))!;
    const clp07 = `TRN-C1${replacement.control}`.slice(0, 30);
    expect(detail).toMatchObject({ status: "Paid", payerClaimControl: { value: clp07, from: "remittance" }, differences: [] });

    const r = await correctClaim(t.db, dana, site.id, { claimId: replacement.id, kind: "void", basis: detail.basis, requestKey: randomUUID() }, meta, NOW);
    if (!r.ok) throw new Error(JSON.stringify(r));
    const back = read837(await contentOf(r.batchId));
    expect(back.claims[0]).toMatchObject({ frequency: "8", payerClaimControl: clp07, totalCents: 100000 });
    expect(back.claims[0].lines).toHaveLength(4);
    const claims = await listClaims(t.db, site.id);
    expect(claims.map((c) => [c.kind, c.status])).toEqual([
      ["Void", "Sent"],
      ["Replacement", "Voided"],
      ["Original", "Replaced"],
    ]);
    // The void is final: voiding it or its original again is refused.
    const voidAgain = await correctClaim(t.db, dana, site.id, { claimId: r.claimId, kind: "void", basis: "x", requestKey: randomUUID() }, meta, NOW);
    expect(voidAgain).toMatchObject({ ok: false, status: 409, formError: expect.stringMatching(/is itself a void/) });

    // The four days are ready again (still billable); 11-04 still held. The next export bills them as a new original.
    const open = (await chargesOf()).filter((c) => c.status === "ready" || c.status === "held");
    expect(open.map((c) => [c.date, c.status])).toEqual(DAYS.map((d) => [d, d === DAYS[2] ? "held" : "ready"]));
    const next = await exportClaims(t.db, dana, site.id, { claimType: "professional", requestKey: randomUUID() }, meta, NOW);
    if (!next.ok) throw new Error(JSON.stringify(next));
    const again = read837(await contentOf(next.batchId));
    expect(again.claims[0]).toMatchObject({ frequency: "1", payerClaimControl: null, totalCents: 100000 });
    expect(await disclosuresOf(t.db, ann)).toHaveLength(4);
  });
});

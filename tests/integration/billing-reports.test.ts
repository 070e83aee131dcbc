/**
 * Billing's revenue reports (issue 21, item 7) on real databases: charges by payer and week, held
 * charges by reason, denials by reason and days from service to export, computed by hand from a small
 * clinic built with the claims fixture (claims-support.ts) and the real export and 835 import.
 *
 * Site zone America/New_York. Cascade Health: 837P, $250 a day. River Care: 837I, $300 a day.
 *   Ann (Cascade): 11-02..11-06 exported; 11-12 held (authorization exhausted), 11-13 held (note
 *     unsigned + authorization exhausted).
 *   Ben (Cascade): 11-09, 11-10 exported; 11-16 held (below the day's hours).
 *   Cal (River, counselor Marcus Bell): 11-09..11-11 exported; 11-16, 11-17 ready after the export.
 *   Dee: 11-18 held for no coverage, no payer, $0.
 * Batch 1 (837P) on 2026-11-16 10:00 local; batch 2 (837I) at 2026-11-21T03:00Z = 11-20 22:00 local.
 * 835 #1 (Cascade, paid 11-30): Ann 11-04 denied CO-197 $250; Ann 11-05 denied CO-197 $150 + CO-16
 *   $100; Ben 11-10 denied CO-16 $250; the rest paid in full.
 * 835 #2 ("RIVER CARE PLAN", paid 12-03): Cal 11-09 denied CO-197 $300, 11-10 paid, 11-11 not
 *   answered (stays sent); an unknown claim ZZ-9 with one line denied CO-29 $300 (unmatched).
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exportClaims, importRemittance } from "~/features/billing/claims.server";
import { chargesByPayerWeekReport, denialsByReasonReport, heldChargesByReasonReport, serviceToExportReport } from "~/features/billing/reports-revenue.server";
import type { ReportDefinition, ReportParams } from "~/features/reports/report";
import { REPORTS } from "~/features/reports/registry.server";
import { build835 } from "~/features/billing/x12";
import type { Adjustment } from "~/features/billing/x12";
import { createTestDatabase, dialects, type TestDatabase } from "../support/databases";
import { meta, seed } from "../support/demo";
import { hold, insure, payer, readyCharges, setUpProvider, weekdays } from "./claims-support";
import { enroll } from "./patients-support";

describe.each(dialects)("billing revenue reports on %s", (dialect) => {
  let t: TestDatabase;
  let siteId = "";
  let marcus = "";
  const params = (over: Partial<ReportParams> = {}): ReportParams => ({
    siteId,
    timeZone: "America/New_York",
    from: "2026-11-01",
    to: "2026-11-30",
    trackId: null,
    counselorId: null,
    today: "2026-12-07",
    ...over,
  });
  const run = (r: ReportDefinition, over: Partial<ReportParams> = {}) => r.compute(t.db, params(over));

  beforeAll(async () => {
    t = await createTestDatabase(dialect);
    const clinic = await seed(t.db);
    siteId = clinic.siteId;
    marcus = clinic.users["marcus.bell"].id;
    const dana = { id: clinic.users["dana.whitfield"].id, name: clinic.users["dana.whitfield"].name };
    expect((await t.db.selectFrom("sites").select("time_zone").where("id", "=", siteId).executeTakeFirstOrThrow()).time_zone).toBe("America/New_York");
    await setUpProvider(t.db, dana, siteId);
    const person = (first: string, counselor = dana.id) =>
      enroll(t.db, dana, siteId, {
        legalFirstName: first,
        legalLastName: "Reports",
        admittedOn: "2026-10-26",
        address: "1 Elm St\nPortland, OR 97202",
        primaryCounselorId: counselor,
      });
    const [ann, ben, cal, dee] = [await person("Ann"), await person("Ben"), await person("Cal", marcus), await person("Dee")].map((p) => p.id);
    const cascade = await payer(t.db, siteId, "Cascade Health", "professional");
    const river = await payer(t.db, siteId, "River Care", "institutional", 30000);
    const annCov = await insure(t.db, dana, siteId, ann, cascade);
    const benCov = await insure(t.db, dana, siteId, ben, cascade);
    const calCov = await insure(t.db, dana, siteId, cal, river);
    await readyCharges(t.db, siteId, ann, annCov, cascade, weekdays("2026-11-02", 5));
    const [a12, a13] = await readyCharges(t.db, siteId, ann, annCov, cascade, ["2026-11-12", "2026-11-13"]);
    await hold(t.db, [a12], ["authorization_exhausted"]);
    await hold(t.db, [a13], ["note_unsigned", "authorization_exhausted"]);
    await readyCharges(t.db, siteId, ben, benCov, cascade, ["2026-11-09", "2026-11-10"]);
    await hold(t.db, await readyCharges(t.db, siteId, ben, benCov, cascade, ["2026-11-16"]), ["below_hours"]);
    await readyCharges(t.db, siteId, cal, calCov, river, weekdays("2026-11-09", 3));
    await hold(t.db, await readyCharges(t.db, siteId, dee, await insure(t.db, dana, siteId, dee, cascade, false), cascade, ["2026-11-18"]), ["no_coverage"], {
      noPayer: true,
    });

    for (const [claimType, at] of [
      ["professional", "2026-11-16T15:00:00.000Z"],
      ["institutional", "2026-11-21T03:00:00.000Z"],
    ] as const) {
      const r = await exportClaims(t.db, dana, siteId, { claimType, requestKey: randomUUID() }, meta, new Date(at));
      if (!r.ok) throw new Error(JSON.stringify(r));
    }
    await readyCharges(t.db, siteId, cal, calCov, river, ["2026-11-16", "2026-11-17"]);

    // The payers' answers, line by line (date → paid cents and adjustments; a date left out is not answered).
    const answer = async (trace: string, payerName: string, paidOn: string, patients: string[], reply: Record<string, Adjustment[]>) => {
      const claims = await t.db.selectFrom("claims").select(["id", "control", "total_cents"]).where("patient_id", "in", patients).orderBy("control").execute();
      const claimLines = await Promise.all(
        claims.map(async (c) => {
          const charges = await t.db
            .selectFrom("charges")
            .select(["service_date", "amount_cents", "patient_id"])
            .where("claim_id", "=", c.id)
            .orderBy("service_date")
            .execute();
          return {
            control: c.control,
            status: "1",
            chargeCents: c.total_cents,
            lines: charges.map((ch) => {
              const adj = reply[`${ch.patient_id}:${ch.service_date}`] ?? [];
              return {
                date: ch.service_date,
                procedureCode: "H0015",
                modifiers: [],
                chargeCents: ch.amount_cents,
                paidCents: adj.length ? 0 : ch.amount_cents,
                units: 1,
                adjustments: adj,
              };
            }),
          };
        }),
      );
      return build835({
        payer: { name: payerName, id: "P1" },
        payee: { name: "Harbor Light Recovery", npi: "1234567893" },
        traceNumber: trace,
        paidOn,
        controlNumber: 7,
        createdAt: new Date(`${paidOn}T15:00:00.000Z`),
        claims: claimLines,
      });
    };
    const first = await answer("TRN-R1", "Cascade Health", "2026-11-30", [ann, ben], {
      [`${ann}:2026-11-04`]: [{ group: "CO", reason: "197", cents: 25000 }],
      [`${ann}:2026-11-05`]: [
        { group: "CO", reason: "197", cents: 15000 },
        { group: "CO", reason: "16", cents: 10000 },
      ],
      [`${ben}:2026-11-10`]: [{ group: "CO", reason: "16", cents: 25000 }],
    });
    const r1 = await importRemittance(t.db, dana, siteId, { content: first, requestKey: randomUUID() }, meta, new Date("2026-11-30T15:00:00.000Z"));
    if (!r1.ok) throw new Error(JSON.stringify(r1));
    // Cal's 11-11 is not answered; an unknown claim ZZ-9 comes in the same file.
    const withUnknown = build835({
      payer: { name: "RIVER CARE PLAN", id: "P1" },
      payee: { name: "Harbor Light Recovery", npi: "1234567893" },
      traceNumber: "TRN-R2",
      paidOn: "2026-12-03",
      controlNumber: 8,
      createdAt: new Date("2026-12-03T15:00:00.000Z"),
      claims: [
        ...(await t.db
          .selectFrom("claims")
          .select(["control", "total_cents"])
          .where("patient_id", "=", cal)
          .execute()
          .then((cs) =>
            cs.map((c) => ({
              control: c.control,
              status: "1",
              chargeCents: c.total_cents,
              lines: [
                {
                  date: "2026-11-09",
                  procedureCode: "H0015",
                  modifiers: [],
                  chargeCents: 30000,
                  paidCents: 0,
                  units: 1,
                  adjustments: [{ group: "CO", reason: "197", cents: 30000 }],
                },
                { date: "2026-11-10", procedureCode: "H0015", modifiers: [], chargeCents: 30000, paidCents: 30000, units: 1, adjustments: [] },
              ],
            })),
          )),
        {
          control: "ZZ-9",
          status: "4",
          chargeCents: 30000,
          lines: [
            {
              date: "2026-11-12",
              procedureCode: "H0015",
              modifiers: [],
              chargeCents: 30000,
              paidCents: 0,
              units: 1,
              adjustments: [{ group: "CO", reason: "29", cents: 30000 }],
            },
          ],
        },
      ],
    });
    const r2 = await importRemittance(t.db, dana, siteId, { content: withUnknown, requestKey: randomUUID() }, meta, new Date("2026-12-03T15:00:00.000Z"));
    if (!r2.ok) throw new Error(JSON.stringify(r2));
    expect(r2).toMatchObject({ lines: 3, unmatched: 1 });
  });
  afterAll(() => t?.destroy());

  it("registers the four after authorization use, for billing's permission", () => {
    const ids = REPORTS.map((r) => r.id);
    const at = ids.indexOf("authorization-use");
    expect(ids.slice(at, at + 5)).toEqual([
      "authorization-use",
      "charges-by-payer-week",
      "held-charges-by-reason",
      "denials-by-reason",
      "days-service-to-export",
    ]);
    for (const r of REPORTS.slice(at + 1, at + 5)) expect(r.permission).toBe("bill:claims");
  });

  it("counts charges by payer and week of service, by status, with a totals row", async () => {
    const r = await run(chargesByPayerWeekReport);
    const pick = (row: Record<string, unknown>) => [
      row.week,
      row.payer,
      row.ready,
      row.readyAmount,
      row.held,
      row.heldAmount,
      row.exported,
      row.exportedAmount,
      row.paid,
      row.paidAmount,
      row.denied,
      row.deniedAmount,
      row.total,
      row.totalAmount,
    ];
    expect(r.rows.map(pick)).toEqual([
      // week, payer, ready n $, held n $, sent n $, paid n $, denied n $, all n $
      ["2026-11-02", "Cascade Health", 0, 0, 0, 0, 0, 0, 3, 750, 2, 500, 5, 1250], // Ann 11-02..06: 04 and 05 denied
      ["2026-11-09", "Cascade Health", 0, 0, 2, 500, 0, 0, 1, 250, 1, 250, 4, 1000], // Ann 11-12, 11-13 held; Ben 11-09 paid, 11-10 denied
      ["2026-11-09", "River Care", 0, 0, 0, 0, 1, 300, 1, 300, 1, 300, 3, 900], // Cal: 11-09 denied, 11-10 paid, 11-11 unanswered
      ["2026-11-16", "Cascade Health", 0, 0, 1, 250, 0, 0, 0, 0, 0, 0, 1, 250], // Ben 11-16 held
      ["2026-11-16", "No payer", 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0], // Dee 11-18 held for no coverage
      ["2026-11-16", "River Care", 2, 600, 0, 0, 0, 0, 0, 0, 0, 0, 2, 600], // Cal 11-16, 11-17 ready
      // 2 + 4 + 1 + 5 + 4 = 16 charges; $600 + $750 + $300 + $1,300 + $1,050 = $4,000
      [null, "Total", 2, 600, 4, 750, 1, 300, 5, 1300, 4, 1050, 16, 4000],
    ]);
    expect(r.summary).toBe("16 charges billing $4,000.00: 2 ready, 4 held, 1 sent, 5 paid, 4 denied.");
    expect(r.columns.find((c) => c.key === "paidAmount")).toMatchObject({ label: "Paid amount", kind: "money" });

    // Service dates 11-09..11-15 only; the counselor filter keeps Cal alone.
    expect((await run(chargesByPayerWeekReport, { from: "2026-11-09", to: "2026-11-15" })).rows.map((x) => [x.week, x.payer, x.total])).toEqual([
      ["2026-11-09", "Cascade Health", 4],
      ["2026-11-09", "River Care", 3],
      [null, "Total", 7],
    ]);
    expect((await run(chargesByPayerWeekReport, { counselorId: marcus })).rows.map((x) => [x.week, x.payer, x.total])).toEqual([
      ["2026-11-09", "River Care", 3],
      ["2026-11-16", "River Care", 2],
      [null, "Total", 5],
    ]);
    expect((await run(chargesByPayerWeekReport, { from: "2026-10-01", to: "2026-10-31" })).rows).toEqual([]);
  });

  it("counts held charges under every reason they name, with the oldest day held", async () => {
    const r = await run(heldChargesByReasonReport);
    expect(r.rows).toEqual([
      // In HOLD_REASONS order.
      { reason: "Below the day's hours", charges: 1, amount: 250, oldest: "2026-11-16" }, // Ben
      { reason: "Note unsigned", charges: 1, amount: 250, oldest: "2026-11-13" }, // Ann 11-13
      { reason: "No coverage", charges: 1, amount: 0, oldest: "2026-11-18" }, // Dee, no fee
      { reason: "Authorization exhausted", charges: 2, amount: 500, oldest: "2026-11-12" }, // Ann 11-12, 11-13
    ]);
    // Four held charges, $250 × 3 + $0; 11-13 counts under two reasons, so the rows add up to 5.
    expect(r.summary).toBe("4 held charges billing $750.00; a charge held for more than one reason is counted under each.");
    expect((await run(heldChargesByReasonReport, { from: "2026-11-13" })).rows.find((x) => x.reason === "Authorization exhausted")).toEqual({
      reason: "Authorization exhausted",
      charges: 1,
      amount: 250,
      oldest: "2026-11-13",
    });
    expect((await run(heldChargesByReasonReport, { counselorId: marcus })).rows).toEqual([]);
  });

  it("counts denied 835 lines per payer and reason code, by the remittance's payment date", async () => {
    const r = await run(denialsByReasonReport, { to: "2026-12-07" });
    expect(r.rows).toEqual([
      // Ann 11-05 ($100) and Ben 11-10 ($250).
      {
        payer: "Cascade Health",
        code: "CO-16",
        reason: "Claim or service lacks information or has submission/billing errors (contractual obligation)",
        lines: 2,
        amount: 350,
      },
      // Ann 11-04 ($250) and 11-05 ($150).
      {
        payer: "Cascade Health",
        code: "CO-197",
        reason: "Precertification/authorization/notification/pre-treatment absent (contractual obligation)",
        lines: 2,
        amount: 400,
      },
      {
        payer: "River Care",
        code: "CO-197",
        reason: "Precertification/authorization/notification/pre-treatment absent (contractual obligation)",
        lines: 1,
        amount: 300,
      },
      // The unmatched ZZ-9 line, under the payer the 835 names.
      { payer: "RIVER CARE PLAN", code: "CO-29", reason: "The time limit for filing has expired (contractual obligation)", lines: 1, amount: 300 },
    ]);
    // $250 × 3 + $300 × 2 billed on the five denied lines.
    expect(r.summary).toBe("5 denied lines billing $1,350.00, from 3 payers; a line giving more than one reason is counted under each.");
    // November alone: only the 835 paid 11-30.
    expect((await run(denialsByReasonReport)).rows.map((x) => [x.payer, x.code, x.lines, x.amount])).toEqual([
      ["Cascade Health", "CO-16", 2, 350],
      ["Cascade Health", "CO-197", 2, 400],
    ]);
    // A counselor filter keeps matched lines of that caseload: Cal's, not the unmatched one.
    expect((await run(denialsByReasonReport, { to: "2026-12-07", counselorId: marcus })).rows.map((x) => [x.payer, x.code, x.lines])).toEqual([
      ["River Care", "CO-197", 1],
    ]);
  });

  it("measures days from service to export per payer: median (even count halves), 90th percentile, longest", async () => {
    const r = await run(serviceToExportReport);
    expect(r.rows).toEqual([
      // Batch 1 on 11-16: Ann 11-02..06 → 14, 13, 12, 11, 10; Ben 11-09, 11-10 → 7, 6.
      // Sorted 6, 7, 10, 11, 12, 13, 14: median the 4th = 11; 90th at rank ⌈6.3⌉ = 7 → 14.
      { payer: "Cascade Health", charges: 7, median: 11, p90: 14, longest: 14 },
      // Batch 2 at 03:00Z on 11-21, which is 11-20 in New York: Cal 11-09..11 → 11, 10, 9.
      // Median 10; 90th at rank ⌈2.7⌉ = 3 → 11.
      { payer: "River Care", charges: 3, median: 10, p90: 11, longest: 11 },
      // All ten sorted 6, 7, 9, 10, 10, 11, 11, 12, 13, 14: median (10 + 11) / 2 = 10.5; 90th at rank 9 → 13.
      { payer: "All payers", charges: 10, median: 10.5, p90: 13, longest: 14 },
    ]);
    expect(r.summary).toBe("10 charges exported: half went out within 10.5 days of service, nine in ten within 13, the longest took 14.");
    // The range reads the export date at the site: 11-17..11-20 holds batch 2 only, 11-21 nothing.
    expect((await run(serviceToExportReport, { from: "2026-11-17", to: "2026-11-20" })).rows.map((x) => [x.payer, x.charges])).toEqual([
      ["River Care", 3],
      ["All payers", 3],
    ]);
    expect((await run(serviceToExportReport, { from: "2026-11-21", to: "2026-11-30" })).rows).toEqual([]);
    expect((await run(serviceToExportReport, { counselorId: marcus })).rows.map((x) => [x.payer, x.median])).toEqual([
      ["River Care", 10],
      ["All payers", 10],
    ]);
  });
});

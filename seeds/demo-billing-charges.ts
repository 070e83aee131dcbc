/**
 * The demo's fee schedule and charges (issue 21, items 4 and 5), written through the billing
 * repositories: a row per payer and level with the defaults a clinic like this one would use, then
 * the charges of the last eight weeks built from what the demo attended and signed.
 *
 * Runs after the payers, coverages and authorizations of demo-billing-coverage.ts when that seed is
 * there; without it, it adds one payer of each insured kind so the fee schedule has rows, and the
 * charges come out held for "no coverage" — which is what they are.
 */
import type { Kysely } from "kysely";
import type { Database } from "../db/schema";
import { refreshCharges } from "../app/features/billing/charges.server";
import { billingStartForm, setBillingStart } from "../app/features/billing/billing-start.server";
import { saveFeeRow } from "../app/features/billing/fee-schedule.server";
import type { PayerKind } from "../app/features/billing/rules";
import type { FeeRowInput } from "../app/features/billing/charge-schemas";
import { addDays, weekStart } from "../app/kernel/time";
import type { DemoClinic } from "./demo";

const meta = { ip: "127.0.0.1", userAgent: "demo seed" };

type Row = Omit<FeeRowInput, "intent" | "payerId" | "feeId" | "version">;
const perDiem = (level: "IOP" | "PHP", procedureCode: string, rateCents: number, modifiers = ""): Row => ({
  level,
  claimType: "professional",
  procedureCode,
  modifiers,
  revenueCode: "",
  unitsPerDay: 1,
  minMinutes: level === "IOP" ? 180 : 300,
  requiresSignedNote: true,
  rate: rateCents,
});

/**
 * Each kind of payer's defaults (codes and their sources: app/features/billing/rules.ts).
 * - Commercial: H0015 per diem on an 837P for IOP, S0201 per diem for PHP.
 * - Medicaid: H0015 with HF ("substance abuse program"), H0035 with HF for PHP.
 * - Medicare: IOP on an 837I with revenue code 0905 and condition code 92, each day's group services
 *   as G0410 (three a day: the OPPS IOP per diem for 3 services, APC 5851/5861). Medicare does not
 *   take 0912/0913 for PHP from a program like this one (a CMHC or hospital bills PHP on its own
 *   terms), so it has no PHP row and a Medicare PHP day says so.
 * - Self-pay and grant-funded: the per-diem codes at the program's own rates.
 */
export const DEFAULTS: Record<PayerKind, Row[]> = {
  commercial: [perDiem("IOP", "H0015", 27_500), perDiem("PHP", "S0201", 55_000)],
  medicaid: [perDiem("IOP", "H0015", 18_500, "HF"), perDiem("PHP", "H0035", 35_000, "HF")],
  medicare: [{ ...perDiem("IOP", "G0410", 9_500), claimType: "institutional", revenueCode: "0905", unitsPerDay: 3 }],
  self_pay: [perDiem("IOP", "H0015", 15_000), perDiem("PHP", "S0201", 30_000)],
  grant: [perDiem("IOP", "H0015", 20_000), perDiem("PHP", "S0201", 40_000)],
};

export async function seedDemoBillingCharges(db: Kysely<Database>, clinic: DemoClinic, today: string): Promise<void> {
  const admin = Object.values(clinic.users).find((u) => u.role === "admin")!;
  const actor = { id: admin.id, name: admin.name };
  // The payers come from the coverage seed (demo-billing-coverage.ts), which runs first.
  const payers = await db.selectFrom("payers").select(["id", "kind"]).where("site_id", "=", clinic.siteId).execute();
  const existing = new Set(
    (await db.selectFrom("fee_schedule").select(["payer_id", "level_of_care"]).where("site_id", "=", clinic.siteId).execute()).map(
      (r) => `${r.payer_id}|${r.level_of_care}`,
    ),
  );
  for (const payer of payers)
    for (const row of DEFAULTS[payer.kind] ?? []) {
      if (existing.has(`${payer.id}|${row.level}`)) continue;
      const saved = await saveFeeRow(db, actor, clinic.siteId, { intent: "save-fee", payerId: payer.id, ...row }, meta);
      if (!saved.ok) throw new Error(`demo fee schedule refused: ${JSON.stringify(saved)}`);
    }
  // The last eight weeks' charges, from what was attended and signed.
  await refreshCharges(db, clinic.siteId, { from: addDays(today, -56), to: today }, { actor, meta, because: "demo seed" });
}

/**
 * The demo clinic started billing through the dashboard eight weeks ago (on that week's Monday):
 * the days it attended before then were billed another way, so its charges are the "eight
 * weeks of charges", not a year of held ones. Set by the admin through the settings repository,
 * before the roll calls, signatures and coverage whose refreshes would otherwise make them.
 */
export async function seedDemoBillingStart(db: Kysely<Database>, clinic: DemoClinic, today: string): Promise<string> {
  const admin = Object.values(clinic.users).find((u) => u.role === "admin")!;
  const billFrom = weekStart(addDays(today, -56));
  const { version } = await billingStartForm(db, clinic.siteId);
  const saved = await setBillingStart(db, { id: admin.id, name: admin.name }, clinic.siteId, { billFrom, version }, meta);
  if (!saved.ok) throw new Error(`demo billing start refused: ${JSON.stringify(saved)}`);
  return billFrom;
}

/**
 * The demo clinic's claims (issue 21, items 6 and 7), through the claims repository as billing
 * staff would make them: the billing provider, one past batch of each claim type holding the ready
 * charges more than three weeks old, and one 835 for the first batch that pays every day in full
 * but one, denied for want of precertification (CARC 197). Does nothing when there are no ready
 * charges (the charges seed runs before this one).
 */
import type { Kysely } from "kysely";
import type { Database } from "../db/schema";
import { billingProvider, exportClaims, importRemittance, saveBillingProvider } from "../app/features/billing/claims.server";
import { build835 } from "../app/features/billing/x12";
import { addDays } from "../app/kernel/time";
import { newId } from "../app/utils/ids";
import type { DemoClinic } from "./demo";
import { seedDemoBillingCorrections } from "./demo-billing-corrections";

const meta = { ip: null, userAgent: "demo seed" };

/** A made-up NPI with a valid check digit (CMS's own example number), and a made-up EIN. */
export const DEMO_PROVIDER = {
  npi: "1234567893",
  taxId: "131234567",
  submitterId: "HARBORLIGHT01",
  receiverName: "Demo Clearinghouse",
  receiverId: "DEMOCLEAR",
  contactName: "Billing Office",
  phone: "2125550140",
};

export async function seedDemoBillingClaims(db: Kysely<Database>, clinic: DemoClinic, today: string): Promise<void> {
  const through = addDays(today, -21);
  const any = await db
    .selectFrom("charges")
    .select("id")
    .where("site_id", "=", clinic.siteId)
    .where("status", "=", "ready")
    .where("service_date", "<=", through)
    .limit(1)
    .executeTakeFirst();
  if (!any) return;
  const admin = Object.values(clinic.users).find((u) => u.role === "billing") ?? Object.values(clinic.users).find((u) => u.role === "admin")!;
  const actor = { id: admin.id, name: admin.name };
  const current = await billingProvider(db, clinic.siteId);
  if (!current.settings) {
    const saved = await saveBillingProvider(db, actor, clinic.siteId, { ...DEMO_PROVIDER, version: current.version }, meta);
    if (!saved.ok) throw new Error(`demo billing provider refused: ${JSON.stringify(saved)}`);
  }
  const batches: string[] = [];
  for (const claimType of ["professional", "institutional"] as const) {
    const r = await exportClaims(db, actor, clinic.siteId, { claimType, requestKey: newId(), through }, meta);
    if (r.ok) batches.push(r.batchId);
  }
  if (!batches.length) return;

  const batchId = batches[0];
  const claims = await db.selectFrom("claims").select(["id", "control", "total_cents"]).where("batch_id", "=", batchId).orderBy("control").execute();
  const charges = await db
    .selectFrom("charges")
    .select(["claim_id", "service_date", "procedure_code", "modifiers", "units", "amount_cents"])
    .where(
      "claim_id",
      "in",
      claims.map((c) => c.id),
    )
    .orderBy("service_date")
    .execute();
  let denied = false;
  const content = build835({
    payer: { name: "Demo payers (via clearinghouse)", id: "DEMOPAYER" },
    payee: { name: "Harbor Light Recovery", npi: DEMO_PROVIDER.npi },
    traceNumber: `EFT${today.replaceAll("-", "")}01`,
    paidOn: addDays(today, -7),
    controlNumber: 1,
    createdAt: new Date(),
    claims: claims.map((c) => ({
      control: c.control,
      status: "1",
      chargeCents: c.total_cents,
      lines: charges
        .filter((ch) => ch.claim_id === c.id)
        .map((ch, i) => {
          // One day of the first claim with more than one day: denied, no precertification on file.
          const deny = !denied && i === 1;
          if (deny) denied = true;
          return {
            date: ch.service_date,
            procedureCode: ch.procedure_code,
            modifiers: ch.modifiers ? ch.modifiers.split(",") : [],
            chargeCents: ch.amount_cents,
            paidCents: deny ? 0 : ch.amount_cents,
            units: ch.units,
            adjustments: deny ? [{ group: "CO", reason: "197", cents: ch.amount_cents }] : [],
          };
        }),
    })),
  });
  const imported = await importRemittance(db, actor, clinic.siteId, { content, requestKey: newId() }, meta);
  if (!imported.ok) throw new Error(`demo remittance refused: ${JSON.stringify(imported)}`);
  // One claim replaced after a roll-call correction (seeds/demo-billing-corrections.ts).
  await seedDemoBillingCorrections(db, clinic);
}

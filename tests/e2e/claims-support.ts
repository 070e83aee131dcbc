/**
 * A claim batch and a remittance in the running app's database, for the pages that need their ids:
 * the demo's own when it has them, else made now through the claims repository (a payer, coverage,
 * consent, diagnosis and two ready days for a patient enrolled for it, exported; then an 835 for it).
 */
import type { Kysely } from "kysely";
import type { Database } from "../../db/schema";
import { billingProvider, exportClaims, importRemittance, saveBillingProvider } from "~/features/billing/claims.server";
import { build835 } from "~/features/billing/x12";
import { newId } from "~/utils/ids";
import { meta } from "../support/demo";
import { insure, payer, PROVIDER, readyCharges } from "../integration/claims-support";
import { intakeInput } from "../integration/patients-support";
import { enrollPatient } from "~/features/patients/patients.server";

/** An 835 for claims no one sent, imported at `siteId`: every line kept, unmatched. */
export async function northRemittance(db: Kysely<Database>, siteId: string, userId: string): Promise<string> {
  const content = build835({
    payer: { name: "Northshore Payer", id: "NORTH1" },
    payee: { name: "Northshore", npi: "1234567893" },
    traceNumber: `NORTH-${newId().slice(-8)}`,
    paidOn: "2026-11-30",
    controlNumber: 1,
    createdAt: new Date(),
    claims: [
      {
        control: "NS-1",
        status: "1",
        chargeCents: 25000,
        lines: [{ date: "2026-11-02", procedureCode: "H0015", modifiers: [], chargeCents: 25000, paidCents: 25000, units: 1, adjustments: [] }],
      },
    ],
  });
  const r = await importRemittance(db, { id: userId, name: "Northshore" }, siteId, { content, requestKey: newId() }, meta);
  if (!r.ok) throw new Error(JSON.stringify(r));
  return r.remittanceId;
}

export async function ensureClaims(db: Kysely<Database>): Promise<{ batchId: string; remittanceId: string }> {
  const site = await db.selectFrom("sites").select("id").where("name", "=", "Harbor Light Recovery – Riverside").executeTakeFirstOrThrow();
  const existing = await db
    .selectFrom("remittances as r")
    .innerJoin("remittance_lines as l", "l.remittance_id", "r.id")
    .innerJoin("charges as c", "c.id", "l.charge_id")
    .select(["r.id", "c.claim_id"])
    .where("r.site_id", "=", site.id)
    .limit(1)
    .executeTakeFirst();
  if (existing) {
    const claim = await db.selectFrom("claims").select("batch_id").where("id", "=", existing.claim_id!).executeTakeFirstOrThrow();
    return { batchId: claim.batch_id, remittanceId: existing.id };
  }
  const admin = await db.selectFrom("users").select(["id", "name"]).where("role", "=", "admin").orderBy("email").limit(1).executeTakeFirstOrThrow();
  // The demo site's own address ("New York, NY 10032") is the billing provider's.
  const provider = await billingProvider(db, site.id);
  if (!provider.settings) {
    const saved = await saveBillingProvider(db, admin, site.id, { ...PROVIDER, version: provider.version }, meta);
    if (!saved.ok) throw new Error(JSON.stringify(saved));
  }
  // A patient of its own, so no demo chart gains a diagnosis or a disclosure from this.
  const enrolled = await enrollPatient(
    db,
    admin,
    intakeInput(site.id, admin.id, {
      legalFirstName: "Remy",
      legalLastName: "Claimsworth",
      dateOfBirth: "1979-08-30",
      confirmDuplicate: "yes",
      admittedOn: "2025-01-02",
    }),
    [site.id],
    meta,
  );
  if (!enrolled.ok) throw new Error(JSON.stringify(enrolled));
  const patient = { id: enrolled.id };
  const p = await payer(db, site.id, `E2E Payer ${newId().slice(-6)}`, "professional");
  // Days long before the demo's charges, so no day is charged twice.
  await readyCharges(db, site.id, patient.id, await insure(db, admin, site.id, patient.id, p), p, ["2025-01-06", "2025-01-07"]);
  const exported = await exportClaims(db, admin, site.id, { claimType: "professional", requestKey: newId(), through: "2025-01-31" }, meta);
  if (!exported.ok) throw new Error(JSON.stringify(exported));
  const claim = await db.selectFrom("claims").select(["control", "total_cents"]).where("batch_id", "=", exported.batchId).executeTakeFirstOrThrow();
  const content = build835({
    payer: { name: p.name, id: "E2E1" },
    payee: { name: "Harbor Light Recovery", npi: "1234567893" },
    traceNumber: `E2E-${newId().slice(-8)}`,
    paidOn: "2025-02-10",
    controlNumber: 1,
    createdAt: new Date(),
    claims: [
      {
        control: claim.control,
        status: "1",
        chargeCents: claim.total_cents,
        lines: [
          { date: "2025-01-06", procedureCode: "H0015", modifiers: ["HF"], chargeCents: 25000, paidCents: 25000, units: 1, adjustments: [] },
          {
            date: "2025-01-07",
            procedureCode: "H0015",
            modifiers: ["HF"],
            chargeCents: 25000,
            paidCents: 0,
            units: 1,
            adjustments: [{ group: "CO", reason: "197", cents: 25000 }],
          },
        ],
      },
    ],
  });
  const imported = await importRemittance(db, admin, site.id, { content, requestKey: newId() }, meta);
  if (!imported.ok) throw new Error(JSON.stringify(imported));
  return { batchId: exported.batchId, remittanceId: imported.remittanceId };
}

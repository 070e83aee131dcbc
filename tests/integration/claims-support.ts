/**
 * A small billing fixture for the claims tests (not a test file itself): a payer, a fee schedule
 * row, a coverage, a diagnosis, a Part 2 consent to the payer for payment, and `ready` charges
 * inserted as the charge builder would leave them (the builder is another part of issue 21).
 */
import { randomUUID } from "node:crypto";
import type { Kysely } from "kysely";
import type { ClaimType, Database } from "../../db/schema";
import { recordConsent } from "~/features/consents/consents.server";
import { saveBillingProvider } from "~/features/billing/claims.server";
import { newId } from "~/utils/ids";
import { meta } from "../support/demo";

type DB = Kysely<Database>;
type Actor = { id: string; name: string };
const T = "2026-10-01T12:00:00.000Z";

export const PROVIDER = {
  npi: "1234567893",
  taxId: "123456789",
  submitterId: "HLR001",
  receiverName: "Clearinghouse",
  receiverId: "CLEARHOUSE",
  contactName: "Billing Office",
  phone: "503-555-0100",
};

export async function setUpProvider(db: DB, actor: Actor, siteId: string) {
  await db.updateTable("sites").set({ address: "100 Main St\nPortland, OR 97201" }).where("id", "=", siteId).execute();
  const r = await saveBillingProvider(db, actor, siteId, { ...PROVIDER, version: 0 }, meta);
  if (!r.ok) throw new Error(JSON.stringify(r));
}

export async function payer(db: DB, siteId: string, name: string, claimType: ClaimType, rateCents = 25000) {
  const id = newId();
  await db
    .insertInto("payers")
    .values({ id, site_id: siteId, name, kind: "commercial", payer_code: `P${id.slice(-5)}`, created_at: T, updated_at: T })
    .execute();
  const feeId = newId();
  await db
    .insertInto("fee_schedule")
    .values({
      id: feeId,
      site_id: siteId,
      payer_id: id,
      level_of_care: "IOP",
      claim_type: claimType,
      procedure_code: claimType === "professional" ? "H0015" : "H0015",
      modifiers: claimType === "professional" ? "HF" : "",
      revenue_code: claimType === "institutional" ? "0906" : "",
      units_per_day: 1,
      min_minutes: 180,
      requires_signed_note: 1,
      rate_cents: rateCents,
      created_at: T,
      updated_at: T,
    })
    .execute();
  return { id, name, feeId, claimType, rateCents };
}

/** Coverage, a current diagnosis and (unless `consent` is false) a consent to disclose to the payer for payment. */
export async function insure(db: DB, actor: Actor, siteId: string, patientId: string, p: { id: string; name: string }, consent = true) {
  const coverageId = newId();
  await db
    .insertInto("coverages")
    .values({
      id: coverageId,
      patient_id: patientId,
      payer_id: p.id,
      member_id: `M${patientId.slice(-6)}`,
      group_number: "GRP1",
      subscriber_name: "",
      relationship: "self",
      priority: "primary",
      effective_from: "2026-01-01",
      created_by: actor.id,
      created_at: T,
      updated_at: T,
    })
    .execute();
  await db
    .insertInto("patient_diagnoses")
    .values({
      id: newId(),
      patient_id: patientId,
      code: "F10.20",
      description: "Alcohol dependence, uncomplicated",
      category: "substance",
      is_primary: 1,
      created_by: actor.id,
      created_at: T,
      updated_at: T,
    })
    .execute();
  if (consent) {
    const r = await recordConsent(
      db,
      actor,
      patientId,
      {
        requestKey: randomUUID(),
        disclosingParty: "Harbor Light Recovery",
        information: ["attendance", "level_of_care", "diagnoses"],
        recipient: p.name,
        recipientDesignation: "named",
        purposes: ["payment"],
        purposeOther: undefined,
        expiresOn: "2027-09-01",
        expiryEvent: "none",
        expiryEventText: undefined,
        signedOn: "2026-09-02",
        signedBy: "patient",
        signerName: undefined,
        revocationExplained: "yes",
        note: undefined,
      },
      [siteId],
      meta,
    );
    if (!r.ok) throw new Error(JSON.stringify(r));
  }
  return coverageId;
}

/** Ready charges, one per date, at the payer's rate. */
export async function readyCharges(
  db: DB,
  siteId: string,
  patientId: string,
  coverageId: string,
  p: { id: string; feeId: string; claimType: ClaimType; rateCents: number },
  dates: string[],
) {
  const ids: string[] = [];
  for (const date of dates) {
    const id = newId();
    ids.push(id);
    await db
      .insertInto("charges")
      .values({
        id,
        site_id: siteId,
        patient_id: patientId,
        service_date: date,
        level_of_care: "IOP",
        minutes: 180,
        documented_minutes: 180,
        coverage_id: coverageId,
        payer_id: p.id,
        authorization_id: null,
        fee_schedule_id: p.feeId,
        procedure_code: "H0015",
        modifiers: p.claimType === "professional" ? "HF" : "",
        revenue_code: p.claimType === "institutional" ? "0906" : "",
        units: 1,
        amount_cents: p.rateCents,
        status: "ready",
        created_at: T,
        updated_at: T,
      })
      .execute();
  }
  return ids;
}

/** Weekdays from `from`, `n` of them (YYYY-MM-DD). */
export function weekdays(from: string, n: number): string[] {
  const out: string[] = [];
  const d = new Date(`${from}T12:00:00Z`);
  while (out.length < n) {
    if (d.getUTCDay() !== 0 && d.getUTCDay() !== 6) out.push(d.toISOString().slice(0, 10));
    d.setUTCDate(d.getUTCDate() + 1);
  }
  return out;
}

/** Holds charges for the given reasons, as the charge builder leaves a held day (its amount kept). */
export async function hold(db: DB, ids: string[], reasons: string[], over: { noPayer?: boolean } = {}) {
  await db
    .updateTable("charges")
    .set({
      status: "held",
      hold_reasons: JSON.stringify(reasons),
      ...(over.noPayer ? { payer_id: null, coverage_id: null, fee_schedule_id: null, amount_cents: 0 } : {}),
    })
    .where("id", "in", ids)
    .execute();
}

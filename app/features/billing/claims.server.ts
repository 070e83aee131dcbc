/**
 * Claims out and remittances in (issue 21, items 6 and 7), for one site:
 *
 * - `exportClaims`: the site's `ready` charges of one claim type become one 837 batch (and its
 *   CSV): one claim per patient per coverage, one line per day, control numbers counted up per
 *   site, every charge moved to `exported` with its claim, each claim recorded in the patient's
 *   accounting of disclosures, audited; all in one transaction (docs/decisions/0012).
 * - `importRemittance`: an 835 is read, checked to balance and to be new (trace number), and each
 *   line posted to its charge (CLP01 = the claim's control number, then service date and code);
 *   lines that match nothing are kept with no charge.
 *
 * Repositories take `db` first and return camelCase views.
 */
import type { Selectable } from "kysely";
import type { ClaimType, ConsentsTable } from "#db/schema";
import { recordAudit } from "~/features/audit/audit.server";
import { dischargeDatesOf, termsOf } from "~/features/consents/consents.server";
import { recordClaimDisclosure } from "~/features/consents/disclosures.server";
import { chooseConsent, type Information } from "~/features/consents/rules";
import { LEVEL_LABELS } from "~/features/patients/rules";
import type { Actor } from "~/kernel/actor";
import { type DB, isUniqueViolation, type Queryable } from "~/kernel/db";
import { type Refusal, Refused, refusalAs409, type WriteResult } from "~/kernel/results";
import { siteSetting, saveSiteSetting } from "~/kernel/site-settings.server";
import { todayIn } from "~/kernel/time";
import { newId } from "~/utils/ids";
import type { ClientMeta } from "~/utils/request.server";
import { CLAIM_TYPES, money } from "./rules";
import { type Address, type Adjustment, adjustmentWords, batchProblems, build837, type ClaimInput, lineOutcome, parse835, remittanceBalances } from "./x12";

/** What a claim discloses to the payer (42 CFR §2.31(a)(3) categories): the days, the level of care, the diagnoses. */
export const CLAIM_INFORMATION: Information[] = ["attendance", "level_of_care", "diagnoses"];

/** The largest 835 file accepted, refused before it is read (an 835 of a few hundred claims is well under 100 KB). */
export const MAX_REMITTANCE_BYTES = 512 * 1024;

// --- the billing provider -------------------------------------------------------------------

const PROVIDER_KEY = "billing_provider";

export interface BillingProviderSettings {
  npi: string;
  taxId: string;
  submitterId: string;
  receiverName: string;
  receiverId: string;
  contactName: string;
  phone: string;
}

/**
 * The NPI's check digit: Luhn over the 9 digits with the prefix 80840 (CMS, "Requirements for
 * National Provider Identifier (NPI) and NPI Enumeration", check digit calculation; ISO 7812).
 */
export function npiValid(npi: string): boolean {
  if (!/^\d{10}$/.test(npi)) return false;
  const digits = `80840${npi.slice(0, 9)}`;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return (10 - (sum % 10)) % 10 === Number(npi[9]);
}

export async function billingProvider(db: Queryable, siteId: string): Promise<{ settings: BillingProviderSettings | null; version: number }> {
  const row = await siteSetting(db, siteId, PROVIDER_KEY);
  return { settings: row ? (JSON.parse(row.value) as BillingProviderSettings) : null, version: row?.version ?? 0 };
}

export async function saveBillingProvider(
  db: DB,
  actor: Actor,
  siteId: string,
  input: BillingProviderSettings & { version: number },
  meta: ClientMeta,
): Promise<WriteResult> {
  if (!npiValid(input.npi)) return { ok: false, status: 400, fieldErrors: { npi: ["This is not a valid NPI: 10 digits whose last is the check digit."] } };
  const { version, ...settings } = input;
  const current = await billingProvider(db, siteId);
  if (current.version !== version)
    return { ok: false, status: 409, formError: "Someone saved the billing provider while you were editing. Reload the page to see their change." };
  return db
    .transaction()
    .execute(async (trx) => {
      const saved = await saveSiteSetting(trx, {
        siteId,
        key: PROVIDER_KEY,
        value: JSON.stringify(settings),
        actorId: actor.id,
        version,
        ownChoice: version > 0,
      });
      if (!saved) throw new Refused("Someone saved the billing provider while you were editing. Reload the page to see their change.");
      await recordAudit(trx, {
        actor,
        action: "billing.provider_saved",
        entityType: "site",
        entityId: siteId,
        siteId,
        before: current.settings ? { ...current.settings } : undefined,
        after: { ...settings },
        meta,
      });
      return { ok: true as const };
    })
    .catch(refusalAs409);
}

/** "100 Main St\nPortland, OR 97201" → its first line, city, state and ZIP; null when the last line is not "City, ST 12345". */
export function splitAddress(text: string | null): Address | null {
  const lines = (text ?? "")
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
  if (lines.length === 1) {
    // One line: "123 Maple Ave, Brooklyn, NY 11210".
    const one = /^(.+?),\s*([^,]+?),?\s+([A-Za-z]{2})\s+(\d{5}(?:-?\d{4})?)$/.exec(lines[0]);
    return one ? { line1: one[1], city: one[2], state: one[3].toUpperCase(), zip: one[4] } : null;
  }
  if (lines.length < 2) return null;
  const m = /^(.+?),?\s+([A-Za-z]{2})\s+(\d{5}(?:-?\d{4})?)$/.exec(lines[lines.length - 1]);
  if (!m) return null;
  return { line1: lines[0], city: m[1].replace(/,$/, ""), state: m[2].toUpperCase(), zip: m[3] };
}

/** "Rivera, Ana" or "Ana Rivera" → last and first. */
export function splitName(name: string): { lastName: string; firstName: string } {
  const t = name.trim();
  if (t.includes(",")) {
    const [last, first] = t.split(",", 2);
    return { lastName: last.trim(), firstName: first.trim() };
  }
  const at = t.lastIndexOf(" ");
  return at < 0 ? { lastName: t, firstName: "" } : { lastName: t.slice(at + 1), firstName: t.slice(0, at) };
}

// --- export ---------------------------------------------------------------------------------

/** Ready charges of the site per claim type, for the export buttons. */
/** One day of a claim as stored: its modifiers comma-separated, as the fee schedule keeps them. */
export type ClaimLineRow = { date: string; procedureCode: string; modifiers: string; revenueCode: string; units: number; amountCents: number };

/** What a claim row carries about the patient, the subscriber and the payer. */
export interface ClaimPartyRow {
  legal_last_name: string;
  legal_first_name: string;
  date_of_birth: string;
  sex: string;
  address: string | null;
  relationship: string | null;
  subscriber_name: string | null;
  subscriber_birth_date: string | null;
  member_id: string | null;
  group_number: string | null;
  payer_name: string | null;
  payer_code: string | null;
  payer_kind: string | null;
}

/**
 * The body of one 837 claim: patient, subscriber (the patient when the relationship is self),
 * payer, diagnoses and one line per day. Originals (the export) and corrections add their control
 * number and frequency to it.
 */
export function claimBody(r: ClaimPartyRow, diagnoses: string[], lines: ClaimLineRow[]): Omit<ClaimInput, "control"> {
  const subscriber = r.relationship === "self" ? { lastName: r.legal_last_name, firstName: r.legal_first_name } : splitName(r.subscriber_name ?? "");
  return {
    patient: { lastName: r.legal_last_name, firstName: r.legal_first_name, birthDate: r.date_of_birth, sex: r.sex, address: splitAddress(r.address) },
    subscriber: {
      relationship: (r.relationship ?? "self") as ClaimInput["subscriber"]["relationship"],
      ...subscriber,
      birthDate: r.subscriber_birth_date ?? null,
      memberId: r.member_id ?? "",
      groupNumber: r.group_number ?? "",
    },
    payer: { name: r.payer_name ?? "", payerId: r.payer_code ?? "", kind: r.payer_kind ?? "commercial" },
    diagnoses,
    lines: lines.map((l) => ({
      date: l.date,
      procedureCode: l.procedureCode,
      modifiers: l.modifiers
        ? l.modifiers
            .split(",")
            .map((m) => m.trim())
            .filter(Boolean)
        : [],
      revenueCode: l.revenueCode,
      units: l.units,
      amountCents: l.amountCents,
    })),
  };
}

export async function readyCharges(db: DB, siteId: string) {
  const rows = await db
    .selectFrom("charges as c")
    .innerJoin("fee_schedule as f", "f.id", "c.fee_schedule_id")
    .innerJoin("payers as py", "py.id", "c.payer_id")
    .select(["f.claim_type", (eb) => eb.fn.countAll<number>().as("n"), (eb) => eb.fn.sum<number>("c.amount_cents").as("cents")])
    .where("c.site_id", "=", siteId)
    .where("c.status", "=", "ready")
    .where("py.kind", "<>", "self_pay")
    .groupBy("f.claim_type")
    .execute();
  return (Object.keys(CLAIM_TYPES) as ClaimType[]).map((claimType) => {
    const r = rows.find((x) => x.claim_type === claimType);
    return { claimType, label: CLAIM_TYPES[claimType], charges: Number(r?.n ?? 0), totalCents: Number(r?.cents ?? 0) };
  });
}

export interface ExportInput {
  claimType: ClaimType;
  requestKey: string;
  /** Only days up to and including this date (YYYY-MM-DD); all ready days when absent. */
  through?: string;
}

export interface Skipped {
  patient: string;
  reason: string;
}

type ChargeRow = Awaited<ReturnType<typeof readyRows>>[number];
async function readyRows(db: Queryable, siteId: string, claimType: ClaimType, through?: string) {
  let q = db
    .selectFrom("charges as c")
    .innerJoin("fee_schedule as f", "f.id", "c.fee_schedule_id")
    .innerJoin("patients as p", "p.id", "c.patient_id")
    .leftJoin("coverages as cv", "cv.id", "c.coverage_id")
    .leftJoin("payers as py", "py.id", "c.payer_id")
    .select([
      "c.id",
      "c.patient_id",
      "c.service_date",
      "c.level_of_care",
      "c.minutes",
      "c.coverage_id",
      "c.procedure_code",
      "c.modifiers",
      "c.revenue_code",
      "c.units",
      "c.amount_cents",
      "p.legal_first_name",
      "p.legal_last_name",
      "p.date_of_birth",
      "p.sex",
      "p.mrn",
      "p.address",
      "cv.member_id",
      "cv.group_number",
      "cv.subscriber_name",
      "cv.subscriber_birth_date",
      "cv.relationship",
      "py.name as payer_name",
      "py.payer_code",
      "py.kind as payer_kind",
    ])
    .where("c.site_id", "=", siteId)
    .where("c.status", "=", "ready")
    // A self-pay day is billed to the patient, never sent to a payer on an 837.
    .where("py.kind", "<>", "self_pay")
    .where("f.claim_type", "=", claimType);
  if (through) q = q.where("c.service_date", "<=", through);
  return q.orderBy("p.legal_last_name").orderBy("c.patient_id").orderBy("c.service_date").execute();
}

const NOTHING_READY = "There are no ready charges of this claim type to export: nothing was exported. Charges become ready when their day is billable.";

/**
 * Exports the site's ready charges of one claim type as one 837 batch. A double submit (same
 * request key) answers with the first batch; a second export finds no ready charges (a day is
 * never billed twice); an empty batch is refused. Patients whose consents do not allow the
 * disclosure to their payer are left out and named (their charges stay ready).
 */
export async function exportClaims(
  db: DB,
  actor: Actor,
  siteId: string,
  input: ExportInput,
  meta: ClientMeta,
  now = new Date(),
): Promise<WriteResult<{ batchId: string; repeated: boolean; claims: number; skipped: Skipped[] }>> {
  const row = await db.selectFrom("sites").select(["id", "name", "address", "time_zone"]).where("id", "=", siteId).executeTakeFirst();
  if (!row) return { ok: false, status: 404, formError: "There is no such site." };
  const site = { id: row.id, name: row.name, address: row.address, timeZone: row.time_zone };
  const earlier = await db.selectFrom("claim_batches").select(["id", "site_id", "claim_count"]).where("request_key", "=", input.requestKey).executeTakeFirst();
  if (earlier) {
    if (earlier.site_id === site.id) return { ok: true, batchId: earlier.id, repeated: true, claims: earlier.claim_count, skipped: [] };
    return { ok: false, status: 409, formError: "This form was already used. Reload the page to export again." };
  }
  const provider = (await billingProvider(db, site.id)).settings;
  if (!provider)
    return { ok: false, status: 400, formError: "Record the billing provider (NPI, tax id, submitter id) first: a claim cannot go out without them." };
  const providerAddress = splitAddress(site.address);
  if (!providerAddress)
    return {
      ok: false,
      status: 400,
      formError: "The site's address must end with a line like \"Portland, OR 97201\": the claim's billing provider address is read from it.",
    };
  const today = todayIn(site.timeZone, now);
  const at = now.toISOString();

  const rows = await readyRows(db, site.id, input.claimType, input.through);
  if (!rows.length) return { ok: false, status: 400, formError: NOTHING_READY };

  // One claim per patient per coverage.
  const groups = new Map<string, ChargeRow[]>();
  for (const r of rows) {
    const key = `${r.patient_id}|${r.coverage_id ?? ""}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  const patientIds = [...new Set(rows.map((r) => r.patient_id))];
  const [diagnoses, consents] = await Promise.all([
    db
      .selectFrom("patient_diagnoses")
      .select(["patient_id", "code", "description", "is_primary"])
      .where("patient_id", "in", patientIds)
      .where("resolved_on", "is", null)
      .orderBy("is_primary", "desc")
      .orderBy("code")
      .execute(),
    db.selectFrom("consents").selectAll().where("patient_id", "in", patientIds).execute(),
  ]);

  const skipped: Skipped[] = [];
  type Planned = {
    rows: ChargeRow[];
    consent: Selectable<ConsentsTable>;
    claim: Omit<ClaimInput, "control">;
    diagnoses: { code: string; description: string }[];
  };
  const planned: Planned[] = [];
  for (const list of groups.values()) {
    const first = list[0];
    const who = `${first.legal_first_name} ${first.legal_last_name} (${first.mrn})`;
    if (!first.coverage_id || !first.payer_name) {
      skipped.push({ patient: who, reason: "no coverage on the charge" });
      continue;
    }
    const dx = diagnoses.filter((d) => d.patient_id === first.patient_id);
    if (!dx.length) {
      skipped.push({ patient: who, reason: "no current diagnosis code" });
      continue;
    }
    const mine = consents.filter((c) => c.patient_id === first.patient_id);
    const choice = chooseConsent(
      mine.map((r) => ({ ...termsOf(r), row: r })),
      { recipient: first.payer_name, purpose: "payment", information: CLAIM_INFORMATION, on: today },
      await dischargeDatesOf(db, first.patient_id),
    );
    if (!choice.ok) {
      skipped.push({ patient: who, reason: choice.message });
      continue;
    }
    planned.push({
      rows: list,
      consent: choice.consent.row,
      diagnoses: dx.map((d) => ({ code: d.code, description: d.description })),
      claim: claimBody(
        first,
        dx.map((d) => d.code),
        list.map((r) => ({
          date: r.service_date,
          procedureCode: r.procedure_code,
          modifiers: r.modifiers,
          revenueCode: r.revenue_code,
          units: r.units,
          amountCents: r.amount_cents,
        })),
      ),
    });
  }
  if (!planned.length)
    return {
      ok: false,
      status: 400,
      formError: `No claim could go out: ${skipped.map((s) => `${s.patient}: ${s.reason}`).join("; ")}`.slice(0, 1500),
    };

  const batchId = newId();
  try {
    const out = await db.transaction().execute(async (trx) => {
      const max = await trx
        .selectFrom("claim_batches")
        .select((eb) => eb.fn.max("control_number").as("m"))
        .where("site_id", "=", site.id)
        .executeTakeFirst();
      const controlNumber = Number(max?.m ?? 0) + 1;
      const suffix = batchId
        .replace(/[^0-9a-z]/gi, "")
        .slice(-4)
        .toUpperCase();
      const claims = planned.map((p, i) => ({ ...p, id: newId(), control: `${controlNumber}-${i + 1}-${suffix}` }));
      const batch = {
        claimType: input.claimType,
        controlNumber,
        createdAt: now,
        usage: "P" as const,
        submitter: { name: site.name, id: provider.submitterId, contactName: provider.contactName, phone: provider.phone },
        receiver: { name: provider.receiverName, id: provider.receiverId },
        billingProvider: { name: site.name, npi: provider.npi, taxId: provider.taxId, address: providerAddress },
        claims: claims.map((c) => ({ ...c.claim, control: c.control })),
      };
      const problems = batchProblems(batch);
      if (problems.length) throw new Refused(problems.join(" "));
      const content = build837(batch);
      const lineCount = claims.reduce((n, c) => n + c.rows.length, 0);
      const total = claims.reduce((n, c) => n + c.rows.reduce((m, r) => m + r.amount_cents, 0), 0);
      await trx
        .insertInto("claim_batches")
        .values({
          id: batchId,
          site_id: site.id,
          claim_type: input.claimType,
          control_number: controlNumber,
          claim_count: claims.length,
          line_count: lineCount,
          total_cents: total,
          content,
          request_key: input.requestKey,
          created_by: actor.id,
          created_at: at,
        })
        .execute();
      for (const c of claims) {
        const first = c.rows[0];
        const claimTotal = c.rows.reduce((n, r) => n + r.amount_cents, 0);
        await trx
          .insertInto("claims")
          .values({
            id: c.id,
            batch_id: batchId,
            patient_id: first.patient_id,
            coverage_id: first.coverage_id!,
            control: c.control,
            frequency: "1",
            replaces_claim_id: null,
            total_cents: claimTotal,
            status: "sent",
            created_at: at,
          })
          .execute();
        // Only charges still ready move: a charge another export took meanwhile is not billed twice.
        const moved = await trx
          .updateTable("charges")
          .set((eb) => ({ status: "exported", claim_id: c.id, updated_at: at, version: eb("version", "+", 1) }))
          .where(
            "id",
            "in",
            c.rows.map((r) => r.id),
          )
          .where("status", "=", "ready")
          .executeTakeFirst();
        if (Number(moved.numUpdatedRows) !== c.rows.length)
          throw new Refused("Some of these charges changed while the batch was being made (another export or a correction). Nothing was exported: try again.");
        const disclosureId = await recordClaimDisclosure(
          trx,
          actor,
          {
            patientId: first.patient_id,
            siteId: site.id,
            consent: c.consent,
            requestKey: `${input.requestKey}:${c.id}`.slice(0, 120),
            recipient: first.payer_name!,
            information: CLAIM_INFORMATION,
            patient: { name: `${first.legal_first_name} ${first.legal_last_name}`, dateOfBirth: first.date_of_birth, mrn: first.mrn },
            programAddress: site.address,
            days: c.rows.map((r) => ({
              date: r.service_date,
              service: [r.revenue_code, r.procedure_code, r.modifiers].filter(Boolean).join(" ") + ` × ${r.units}`,
              hours: Math.round((r.minutes / 60) * 10) / 10,
            })),
            diagnoses: c.diagnoses,
            level: LEVEL_LABELS[first.level_of_care as keyof typeof LEVEL_LABELS] ?? first.level_of_care,
            today,
            note: `Claim ${c.control} (${CLAIM_TYPES[input.claimType]}, batch ${controlNumber}).`,
          },
          at,
        );
        await recordAudit(trx, {
          actor,
          action: "claim.exported",
          entityType: "claim",
          entityId: c.id,
          patientId: first.patient_id,
          siteId: site.id,
          after: {
            control: c.control,
            batch: controlNumber,
            payer: first.payer_name,
            days: c.rows.map((r) => r.service_date),
            totalCents: claimTotal,
            disclosureId,
          },
          meta,
        });
      }
      await recordAudit(trx, {
        actor,
        action: "claim_batch.exported",
        entityType: "claim_batch",
        entityId: batchId,
        siteId: site.id,
        after: { controlNumber, claimType: input.claimType, claims: claims.length, lines: lineCount, totalCents: total, skipped: skipped.length },
        meta,
      });
      return { claims: claims.length };
    });
    return { ok: true, batchId, repeated: false, claims: out.claims, skipped };
  } catch (e) {
    if (isUniqueViolation(e)) {
      const first = await db
        .selectFrom("claim_batches")
        .select(["id", "site_id", "claim_count"])
        .where("request_key", "=", input.requestKey)
        .executeTakeFirst();
      if (first && first.site_id === site.id) return { ok: true, batchId: first.id, repeated: true, claims: first.claim_count, skipped: [] };
      return { ok: false, status: 409, formError: "Another export ran at the same moment. Nothing was exported by this one: reload the page and try again." };
    }
    return refusalAs409(e) as Refusal;
  }
}

export async function listBatches(db: DB, siteId: string, limit = 50) {
  const rows = await db
    .selectFrom("claim_batches as b")
    .innerJoin("users as u", "u.id", "b.created_by")
    .select(["b.id", "b.claim_type", "b.control_number", "b.claim_count", "b.line_count", "b.total_cents", "b.created_at", "u.name as by"])
    .where("b.site_id", "=", siteId)
    .orderBy("b.control_number", "desc")
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    claimType: r.claim_type,
    claimTypeLabel: CLAIM_TYPES[r.claim_type],
    controlNumber: r.control_number,
    claims: r.claim_count,
    lines: r.line_count,
    totalCents: r.total_cents,
    total: money(r.total_cents),
    createdAt: r.created_at,
    by: r.by,
  }));
}

/** A batch's 837 exactly as exported, and its lines as CSV rows; null for another site's or an unknown batch. Audited by the caller. */
export async function batchForDownload(db: DB, batchId: string, siteId: string) {
  if (batchId.length > 64) return null;
  const batch = await db
    .selectFrom("claim_batches")
    .select(["id", "claim_type", "control_number", "content", "total_cents", "created_at"])
    .where("id", "=", batchId)
    .where("site_id", "=", siteId)
    .executeTakeFirst();
  if (!batch) return null;
  const lines = await db
    .selectFrom("claims as cl")
    .innerJoin("charges as c", "c.claim_id", "cl.id")
    .innerJoin("patients as p", "p.id", "cl.patient_id")
    .innerJoin("coverages as cv", "cv.id", "cl.coverage_id")
    .innerJoin("payers as py", "py.id", "cv.payer_id")
    .select([
      "cl.control",
      "p.legal_last_name",
      "p.legal_first_name",
      "p.mrn",
      "cv.member_id",
      "py.name as payer",
      "c.service_date",
      "c.procedure_code",
      "c.modifiers",
      "c.revenue_code",
      "c.units",
      "c.amount_cents",
    ])
    .where("cl.batch_id", "=", batch.id)
    .orderBy("cl.control")
    .orderBy("c.service_date")
    .execute();
  return {
    id: batch.id,
    claimType: batch.claim_type,
    controlNumber: batch.control_number,
    content: batch.content,
    createdAt: batch.created_at,
    header: ["Claim (CLM01)", "Patient", "MRN", "Member id", "Payer", "Service date (YYYY-MM-DD)", "Procedure", "Modifiers", "Revenue code", "Units", "Amount"],
    rows: lines.map((l) => [
      l.control,
      `${l.legal_last_name}, ${l.legal_first_name}`,
      l.mrn,
      l.member_id,
      l.payer,
      l.service_date,
      l.procedure_code,
      l.modifiers,
      l.revenue_code,
      l.units,
      (l.amount_cents / 100).toFixed(2),
    ]),
    totalCents: batch.total_cents,
  };
}

// --- remittances ----------------------------------------------------------------------------

export interface RemittanceImport {
  content: string;
  requestKey: string;
}

type Posting = {
  chargeId: string | null;
  claimId: string | null;
  control: string;
  date: string | null;
  code: string;
  chargeCents: number;
  paidCents: number;
  outcome: "paid" | "adjusted" | "denied";
  adjustments: Adjustment[];
};

/**
 * Posts an 835 to the site's charges. Refused whole, with nothing written, when it is not an 835,
 * does not balance (BPR02 ≠ ΣCLP04 − ΣPLB), or its trace number was imported before.
 */
export async function importRemittance(
  db: DB,
  actor: Actor,
  siteId: string,
  input: RemittanceImport,
  meta: ClientMeta,
  now = new Date(),
): Promise<WriteResult<{ remittanceId: string; repeated: boolean; lines: number; unmatched: number }>> {
  const earlier = await db
    .selectFrom("remittances")
    .select(["id", "site_id", "line_count", "unmatched_count"])
    .where("request_key", "=", input.requestKey)
    .executeTakeFirst();
  if (earlier) {
    if (earlier.site_id === siteId)
      return { ok: true, remittanceId: earlier.id, repeated: true, lines: earlier.line_count, unmatched: earlier.unmatched_count };
    return { ok: false, status: 409, formError: "This form was already used. Reload the page to import another file." };
  }
  const parsed = parse835(input.content);
  if (!parsed.ok) return { ok: false, status: 400, fieldErrors: { file: [parsed.message] } };
  const r = parsed.remittance;
  const balance = remittanceBalances(r);
  if (!balance.ok)
    return {
      ok: false,
      status: 400,
      fieldErrors: {
        file: [
          `This 835 does not add up: its payment (BPR02) is ${money(r.totalCents)} but its claims' payments${r.providerAdjustmentCents ? " less provider adjustments" : ""} come to ${money(balance.expectedCents)}. Nothing was posted: ask the payer for a corrected file.`,
        ],
      },
    };
  const dup = await db
    .selectFrom("remittances")
    .select(["id", "created_at"])
    .where("site_id", "=", siteId)
    .where("trace_number", "=", r.traceNumber)
    .executeTakeFirst();
  if (dup)
    return {
      ok: false,
      status: 400,
      fieldErrors: {
        file: [`The payment with trace number ${r.traceNumber} was imported already (${dup.created_at.slice(0, 10)}). Nothing was posted twice.`],
      },
    };

  // The claims this file answers, at this site only; their charges.
  const controls = [...new Set(r.claims.map((c) => c.control))];
  const claims = controls.length
    ? await db
        .selectFrom("claims as cl")
        .innerJoin("claim_batches as b", "b.id", "cl.batch_id")
        .select(["cl.id", "cl.control"])
        .where("b.site_id", "=", siteId)
        .where("cl.control", "in", controls)
        .execute()
    : [];
  const charges = claims.length
    ? await db
        .selectFrom("charges")
        .select(["id", "claim_id", "service_date", "procedure_code", "revenue_code", "amount_cents"])
        // A charge a replacement or void took back is not posted to: its line is listed as unmatched.
        .where("status", "<>", "void")
        .where(
          "claim_id",
          "in",
          claims.map((c) => c.id),
        )
        .execute()
    : [];

  const postings: Posting[] = [];
  const used = new Set<string>();
  for (const c of r.claims) {
    const claim = claims.find((x) => x.control === c.control) ?? null;
    const mine = claim ? charges.filter((ch) => ch.claim_id === claim.id) : [];
    if (!c.lines.length) {
      // A claim answered without service lines: a whole-claim denial posts to every charge of it; anything else is listed.
      if (claim && c.paidCents === 0 && mine.length) {
        for (const ch of mine) {
          used.add(ch.id);
          postings.push({
            chargeId: ch.id,
            claimId: claim.id,
            control: c.control,
            date: ch.service_date,
            code: ch.procedure_code,
            chargeCents: ch.amount_cents,
            paidCents: 0,
            outcome: "denied",
            adjustments: c.adjustments,
          });
        }
      } else
        postings.push({
          chargeId: null,
          claimId: claim?.id ?? null,
          control: c.control,
          date: null,
          code: "",
          chargeCents: c.chargeCents,
          paidCents: c.paidCents,
          outcome: lineOutcome(c),
          adjustments: c.adjustments,
        });
      continue;
    }
    for (const l of c.lines) {
      const free = mine.filter((ch) => !used.has(ch.id) && ch.service_date === l.date);
      const match =
        free.find((ch) => (l.procedureCode && ch.procedure_code === l.procedureCode) || (l.revenueCode && ch.revenue_code === l.revenueCode)) ??
        (free.length === 1 ? free[0] : undefined);
      if (match) used.add(match.id);
      postings.push({
        chargeId: match?.id ?? null,
        claimId: claim?.id ?? null,
        control: c.control,
        date: l.date,
        code: l.procedureCode || l.revenueCode,
        chargeCents: l.chargeCents,
        paidCents: l.paidCents,
        outcome: lineOutcome(l),
        adjustments: [...l.adjustments, ...(c.lines.length === 1 ? c.adjustments : [])],
      });
    }
  }

  const remittanceId = newId();
  const at = now.toISOString();
  const unmatched = postings.filter((p) => !p.chargeId).length;
  try {
    await db.transaction().execute(async (trx) => {
      await trx
        .insertInto("remittances")
        .values({
          id: remittanceId,
          site_id: siteId,
          payer_name: r.payerName || "Unknown payer",
          trace_number: r.traceNumber,
          paid_on: r.paidOn,
          paid_cents: r.totalCents,
          line_count: postings.length,
          unmatched_count: unmatched,
          content: input.content,
          request_key: input.requestKey,
          created_by: actor.id,
          created_at: at,
        })
        .execute();
      for (const p of postings) {
        await trx
          .insertInto("remittance_lines")
          .values({
            id: newId(),
            remittance_id: remittanceId,
            charge_id: p.chargeId,
            claim_control: p.control,
            service_date: p.date,
            procedure_code: p.code,
            charge_cents: p.chargeCents,
            paid_cents: p.paidCents,
            outcome: p.outcome,
            adjustments: JSON.stringify(p.adjustments),
          })
          .execute();
        if (p.chargeId)
          await trx
            .updateTable("charges")
            .set((eb) => ({
              status: p.outcome === "denied" ? "denied" : "paid",
              paid_cents: p.paidCents,
              adjustments: JSON.stringify(p.adjustments),
              updated_at: at,
              version: eb("version", "+", 1),
            }))
            .where("id", "=", p.chargeId)
            .execute();
      }
      // Each claim's status from its lines: all paid, all denied, or partly paid.
      for (const claimId of new Set(postings.filter((p) => p.claimId && p.chargeId).map((p) => p.claimId!))) {
        const lines = postings.filter((p) => p.claimId === claimId && p.chargeId);
        const status = lines.every((p) => p.outcome === "denied") ? "denied" : lines.every((p) => p.outcome === "paid") ? "paid" : "partly_paid";
        await trx.updateTable("claims").set({ status }).where("id", "=", claimId).execute();
      }
      await recordAudit(trx, {
        actor,
        action: "remittance.imported",
        entityType: "remittance",
        entityId: remittanceId,
        siteId,
        after: {
          payer: r.payerName,
          traceNumber: r.traceNumber,
          paidCents: r.totalCents,
          lines: postings.length,
          unmatched,
          denied: postings.filter((p) => p.outcome === "denied").length,
        },
        meta,
      });
    });
  } catch (e) {
    if (isUniqueViolation(e)) {
      const first = await db
        .selectFrom("remittances")
        .select(["id", "site_id", "line_count", "unmatched_count"])
        .where("request_key", "=", input.requestKey)
        .executeTakeFirst();
      if (first && first.site_id === siteId)
        return { ok: true, remittanceId: first.id, repeated: true, lines: first.line_count, unmatched: first.unmatched_count };
      return {
        ok: false,
        status: 400,
        fieldErrors: { file: [`The payment with trace number ${r.traceNumber} was imported already. Nothing was posted twice.`] },
      };
    }
    throw e;
  }
  return { ok: true, remittanceId, repeated: false, lines: postings.length, unmatched };
}

export async function listRemittances(db: DB, siteId: string, limit = 50) {
  const rows = await db
    .selectFrom("remittances")
    .select(["id", "payer_name", "trace_number", "paid_on", "paid_cents", "line_count", "unmatched_count", "created_at"])
    .where("site_id", "=", siteId)
    .orderBy("created_at", "desc")
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    payer: r.payer_name,
    traceNumber: r.trace_number,
    paidOn: r.paid_on,
    paid: money(r.paid_cents),
    lines: r.line_count,
    unmatched: r.unmatched_count,
    importedAt: r.created_at,
  }));
}

/** One remittance with its lines, their charges' patients and the CAS reasons in words; null when not this site's. */
export async function remittanceById(db: DB, remittanceId: string, siteId: string) {
  if (remittanceId.length > 64) return null;
  const r = await db
    .selectFrom("remittances as r")
    .innerJoin("users as u", "u.id", "r.created_by")
    .select(["r.id", "r.payer_name", "r.trace_number", "r.paid_on", "r.paid_cents", "r.line_count", "r.unmatched_count", "r.created_at", "u.name as by"])
    .where("r.id", "=", remittanceId)
    .where("r.site_id", "=", siteId)
    .executeTakeFirst();
  if (!r) return null;
  const lines = await db
    .selectFrom("remittance_lines as l")
    .leftJoin("charges as c", "c.id", "l.charge_id")
    .leftJoin("patients as p", "p.id", "c.patient_id")
    .select([
      "l.id",
      "l.charge_id",
      "l.claim_control",
      "l.service_date",
      "l.procedure_code",
      "l.charge_cents",
      "l.paid_cents",
      "l.outcome",
      "l.adjustments",
      "p.legal_first_name",
      "p.legal_last_name",
      "p.mrn",
    ])
    .where("l.remittance_id", "=", r.id)
    .orderBy("l.claim_control")
    .orderBy("l.service_date")
    .execute();
  return {
    id: r.id,
    payer: r.payer_name,
    traceNumber: r.trace_number,
    paidOn: r.paid_on,
    paid: money(r.paid_cents),
    lineCount: r.line_count,
    unmatchedCount: r.unmatched_count,
    importedAt: r.created_at,
    by: r.by,
    lines: lines.map((l) => {
      const adjustments = JSON.parse(l.adjustments) as Adjustment[];
      return {
        id: l.id,
        matched: Boolean(l.charge_id),
        patient: l.legal_last_name ? `${l.legal_first_name} ${l.legal_last_name} (${l.mrn})` : null,
        claimControl: l.claim_control,
        serviceDate: l.service_date,
        code: l.procedure_code,
        charged: money(l.charge_cents),
        paid: money(l.paid_cents),
        outcome: l.outcome,
        reasons: adjustments.map((a) => `${adjustmentWords(a)} — ${money(a.cents)}`),
      };
    }),
  };
}

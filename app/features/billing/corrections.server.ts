/**
 * Corrections to exported claims (issue 21, item 5's last part): an exported charge is never
 * rewritten by a refresh; when a roll-call correction, a note or a coverage change would bill its
 * day differently, the claim "needs correction", and the biller sends a replacement (CLM05-3 = 7)
 * or a void (CLM05-3 = 8) of it.
 *
 * - What differs is computed when it is read, by `planCharges` — the very rules `refreshCharges`
 *   writes open charges by — compared with the claim's exported charges, so the two can never
 *   drift (no stored flag to keep in step).
 * - A replacement or void goes out at once in a batch of its own (one claim, its own control
 *   number, its own 837 to download), not in the next export: the biller sending a correction wants
 *   the file now, and the next export stays the ready charges' alone. X12 allows corrections in the
 *   same batch as originals; keeping them apart makes each correction one audited, idempotent write.
 * - The original's charges become `void` (they keep their claim and any payment for the record);
 *   a replacement's lines are new charges, `exported` on the new claim, made from what the day is
 *   now; a day the replacement cannot carry (no longer billable, or now another payer's) gets its
 *   open charge back from a refresh and is billed later, only as a new original once ready.
 * - The payer's claim control number for REF*F8 is CLP07 of the latest 835 that answered the
 *   claim, or the claim's own CLM01 when no remittance was posted.
 */
import { createHash } from "node:crypto";
import type { ClaimStatus, ClaimType } from "#db/schema";
import { recordAudit } from "~/features/audit/audit.server";
import { dischargeDatesOf, termsOf } from "~/features/consents/consents.server";
import { recordClaimDisclosure } from "~/features/consents/disclosures.server";
import { chooseConsent } from "~/features/consents/rules";
import { LEVEL_LABELS } from "~/features/patients/rules";
import type { Actor } from "~/kernel/actor";
import { type DB, isUniqueViolation, type Queryable } from "~/kernel/db";
import { Refused, refusalAs409, type WriteResult } from "~/kernel/results";
import { todayIn } from "~/kernel/time";
import { newId } from "~/utils/ids";
import type { ClientMeta } from "~/utils/request.server";
import { type Computed, planCharges, refreshCharges } from "./charges.server";
import { billingProvider, CLAIM_INFORMATION, claimBody, type ClaimLineRow, splitAddress } from "./claims.server";
import { CHARGE_STATUSES, CLAIM_TYPES, HOLD_REASONS, type HoldReason, money } from "./rules";
import { build837, CLAIM_FREQUENCIES, type ClaimFrequency, type ClaimInput, parse835 } from "./x12";

/** The statuses of a claim that can still be corrected; `replaced` and `voided` are final. */
const CORRECTABLE: ClaimStatus[] = ["sent", "paid", "partly_paid", "denied"];
/** A claim's charges that it carries (a void one was taken back by a correction). */
const CARRIED = ["exported", "paid", "denied"] as const;

export const CLAIM_STATUS_LABELS: Record<ClaimStatus, string> = {
  sent: "Sent",
  paid: "Paid",
  partly_paid: "Partly paid",
  denied: "Denied",
  replaced: "Replaced",
  voided: "Voided",
};

export interface ClaimDifference {
  date: string;
  /** "12 Mar: attendance now 120 min, below the 180 min the day needs" */
  words: string;
}

const dayMonth = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", timeZone: "UTC" });
/** "2026-03-12" → "12 Mar". */
export function dayLabel(date: string): string {
  return dayMonth.format(new Date(`${date}T12:00:00Z`));
}

/** Why a day's charge is held now, in a biller's words (the day's own figures). */
function heldWords(reason: HoldReason, c: Computed): string {
  switch (reason) {
    case "below_hours":
      return `attendance now ${c.day.minutes} min, below the ${c.minMinutes} min the day needs`;
    case "note_unsigned":
      return `only ${c.day.documentedMinutes} of ${c.day.minutes} min are documented by a signed note now`;
    case "no_coverage":
      return "no primary coverage is in effect on the day now";
    case "no_fee_schedule":
      return `${c.payerName ?? "the payer"} has no ${c.day.level} row in the fee schedule now`;
    case "no_authorization":
      return `no approved ${c.day.level} authorization covers the day now`;
    case "authorization_exhausted":
      return "the authorization's units are used up by earlier days now";
    case "authorization_expired":
      return "the authorization ended before the day";
    default:
      return HOLD_REASONS[reason].toLowerCase();
  }
}

interface CarriedCharge {
  id: string;
  patient_id: string;
  service_date: string;
  level_of_care: string;
  coverage_id: string | null;
  procedure_code: string;
  modifiers: string;
  revenue_code: string;
  units: number;
  amount_cents: number;
}

const codeOf = (c: { procedure_code?: string; procedureCode?: string; modifiers: string; revenue_code?: string; revenueCode?: string }) =>
  [c.revenue_code ?? c.revenueCode, c.procedure_code ?? c.procedureCode, c.modifiers.replaceAll(",", " ")].filter(Boolean).join(" ");

/**
 * What differs between a claim's exported charges and what their days are now: one sentence per
 * day that would be billed differently (a day that is still billed the same is not mentioned).
 */
export function differencesOf(claim: { coverageId: string }, carried: CarriedCharge[], now: Map<string, Computed>): ClaimDifference[] {
  const out: ClaimDifference[] = [];
  for (const ch of carried) {
    const c = now.get(`${ch.patient_id}|${ch.service_date}`);
    const say = (words: string) => out.push({ date: ch.service_date, words: `${dayLabel(ch.service_date)}: ${words}` });
    if (!c) {
      say(`no ${ch.level_of_care} attendance is recorded for the day now`);
      continue;
    }
    if (c.status === "held") {
      say(c.reasons.map((r) => heldWords(r, c)).join("; "));
      continue;
    }
    const parts: string[] = [];
    if (c.coverageId !== claim.coverageId) parts.push(`now billed to ${c.payerName ?? "another payer"} under another coverage`);
    else {
      if (c.day.level !== ch.level_of_care) parts.push(`now a ${c.day.level} day, not ${ch.level_of_care}`);
      const was = codeOf(ch);
      const is = codeOf(c);
      if (was !== is) parts.push(`billed now as ${is}, not ${was}`);
      if (c.units !== ch.units) parts.push(`now ${c.units} ${c.units === 1 ? "unit" : "units"}, not ${ch.units}`);
      if (c.amountCents !== ch.amount_cents) parts.push(`now ${money(c.amountCents)}, not ${money(ch.amount_cents)}`);
    }
    if (parts.length) say(parts.join("; "));
  }
  return out;
}

/** The days a replacement of the claim carries: those billable now under the claim's own coverage. */
function replacementLines(claim: { coverageId: string }, carried: CarriedCharge[], now: Map<string, Computed>): Computed[] {
  return carried
    .map((ch) => now.get(`${ch.patient_id}|${ch.service_date}`))
    .filter((c): c is Computed => !!c && c.status === "ready" && c.coverageId === claim.coverageId);
}

/** A short fingerprint of what the page showed: a form sent from an older view of the claim is stale. */
function basisOf(status: string, differences: ClaimDifference[], lines: Computed[]): string {
  const text = JSON.stringify([status, differences.map((d) => d.words), lines.map((l) => [l.day.date, codeOf(l), l.units, l.amountCents])]);
  return createHash("sha256").update(text).digest("hex").slice(0, 16);
}

async function carriedCharges(db: Queryable, claimIds: string[]): Promise<(CarriedCharge & { claim_id: string })[]> {
  if (!claimIds.length) return [];
  const rows = await db
    .selectFrom("charges")
    .select([
      "id",
      "claim_id",
      "patient_id",
      "service_date",
      "level_of_care",
      "coverage_id",
      "procedure_code",
      "modifiers",
      "revenue_code",
      "units",
      "amount_cents",
    ])
    .where("claim_id", "in", claimIds)
    .where("status", "in", [...CARRIED])
    .orderBy("service_date")
    .execute();
  return rows.map((r) => ({ ...r, claim_id: r.claim_id!, units: Number(r.units), amount_cents: Number(r.amount_cents) }));
}

/** What every day of these claims' patients would be billed as now, keyed "patient|date". */
async function nowFor(db: Queryable, siteId: string, carried: CarriedCharge[]): Promise<Map<string, Computed>> {
  if (!carried.length) return new Map();
  const dates = carried.map((c) => c.service_date).sort();
  const plan = await planCharges(db, siteId, { patientIds: [...new Set(carried.map((c) => c.patient_id))], from: dates[0], to: dates[dates.length - 1] });
  return new Map(plan.computed.map((c) => [`${c.patientId}|${c.day.date}`, c]));
}

// --- the claims list --------------------------------------------------------------------------

/** The site's most recent claims, each with whether it needs correction and why. */
export async function listClaims(db: DB, siteId: string, limit = 50) {
  const rows = await db
    .selectFrom("claims as cl")
    .innerJoin("claim_batches as b", "b.id", "cl.batch_id")
    .innerJoin("patients as p", "p.id", "cl.patient_id")
    .innerJoin("coverages as cv", "cv.id", "cl.coverage_id")
    .innerJoin("payers as py", "py.id", "cv.payer_id")
    .select([
      "cl.id",
      "cl.control",
      "cl.frequency",
      "cl.status",
      "cl.total_cents",
      "cl.coverage_id",
      "cl.created_at",
      "b.control_number",
      "p.legal_first_name",
      "p.legal_last_name",
      "p.mrn",
      "py.name as payer",
    ])
    .where("b.site_id", "=", siteId)
    .orderBy("cl.created_at", "desc")
    .orderBy("cl.control", "desc")
    .limit(limit)
    .execute();
  const open = rows.filter((r) => r.frequency !== "8" && CORRECTABLE.includes(r.status));
  const carried = await carriedCharges(
    db,
    open.map((r) => r.id),
  );
  const now = await nowFor(db, siteId, carried);
  return rows.map((r) => {
    const mine = carried.filter((c) => c.claim_id === r.id);
    const differences = open.includes(r) ? differencesOf({ coverageId: r.coverage_id }, mine, now) : [];
    return {
      id: r.id,
      control: r.control,
      batch: r.control_number,
      kind: CLAIM_FREQUENCIES[r.frequency as ClaimFrequency] ?? r.frequency,
      status: CLAIM_STATUS_LABELS[r.status] ?? r.status,
      patient: `${r.legal_last_name}, ${r.legal_first_name} (${r.mrn})`,
      payer: r.payer,
      total: money(Number(r.total_cents)),
      createdAt: r.created_at,
      needsCorrection: differences.length > 0,
      differences: differences.map((d) => d.words),
    };
  });
}

// --- one claim --------------------------------------------------------------------------------

async function claimRow(db: Queryable, claimId: string, siteId: string) {
  if (claimId.length > 64) return null;
  return db
    .selectFrom("claims as cl")
    .innerJoin("claim_batches as b", "b.id", "cl.batch_id")
    .innerJoin("patients as p", "p.id", "cl.patient_id")
    .innerJoin("coverages as cv", "cv.id", "cl.coverage_id")
    .innerJoin("payers as py", "py.id", "cv.payer_id")
    .select([
      "cl.id",
      "cl.batch_id",
      "cl.control",
      "cl.frequency",
      "cl.status",
      "cl.total_cents",
      "cl.patient_id",
      "cl.coverage_id",
      "cl.replaces_claim_id",
      "cl.created_at",
      "b.claim_type",
      "b.control_number",
      "p.legal_first_name",
      "p.legal_last_name",
      "p.mrn",
      "p.date_of_birth",
      "p.sex",
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
    .where("cl.id", "=", claimId)
    .where("b.site_id", "=", siteId)
    .executeTakeFirst();
}
type ClaimRow = NonNullable<Awaited<ReturnType<typeof claimRow>>>;

/**
 * The payer's claim control number for REF*F8: CLP07 of the latest 835 posted for the claim (its
 * CLP01 is our CLM01), or the claim's own CLM01 when no remittance answered it yet.
 */
export async function payerClaimControl(db: Queryable, claim: { control: string }, siteId: string): Promise<{ value: string; from: "remittance" | "claim" }> {
  const remits = await db
    .selectFrom("remittances as r")
    .select(["r.content"])
    .where("r.site_id", "=", siteId)
    .where("r.id", "in", (eb) => eb.selectFrom("remittance_lines").select("remittance_id").where("claim_control", "=", claim.control))
    .orderBy("r.created_at", "desc")
    .limit(5)
    .execute();
  for (const r of remits) {
    const parsed = parse835(r.content);
    const clp = parsed.ok ? parsed.remittance.claims.find((c) => c.control === claim.control && c.payerClaimControl) : undefined;
    if (clp) return { value: clp.payerClaimControl, from: "remittance" };
  }
  return { value: claim.control, from: "claim" };
}

/** One claim with its lines, what differs now, its corrections, and the basis its forms carry; null when not this site's. */
export async function claimDetail(db: DB, claimId: string, siteId: string) {
  const claim = await claimRow(db, claimId, siteId);
  if (!claim) return null;
  const [lines, related, f8] = await Promise.all([
    db
      .selectFrom("charges")
      .select(["id", "service_date", "procedure_code", "modifiers", "revenue_code", "units", "amount_cents", "status", "paid_cents"])
      .where("claim_id", "=", claim.id)
      .orderBy("service_date")
      .execute(),
    db
      .selectFrom("claims")
      .select(["id", "control", "frequency", "replaces_claim_id", "created_at"])
      .where((eb) => eb.or([eb("replaces_claim_id", "=", claim.id), eb("id", "=", claim.replaces_claim_id ?? "")]))
      .execute(),
    payerClaimControl(db, claim, siteId),
  ]);
  const correctable = claim.frequency !== "8" && CORRECTABLE.includes(claim.status);
  const carried = correctable ? await carriedCharges(db, [claim.id]) : [];
  const now = await nowFor(db, siteId, carried);
  const differences = differencesOf({ coverageId: claim.coverage_id }, carried, now);
  const replacement = replacementLines({ coverageId: claim.coverage_id }, carried, now);
  const link = (r: (typeof related)[number]) => ({ id: r.id, control: r.control, kind: CLAIM_FREQUENCIES[r.frequency as ClaimFrequency] ?? r.frequency });
  return {
    id: claim.id,
    batchId: claim.batch_id,
    control: claim.control,
    batch: claim.control_number,
    claimType: CLAIM_TYPES[claim.claim_type],
    kind: CLAIM_FREQUENCIES[claim.frequency as ClaimFrequency] ?? claim.frequency,
    status: CLAIM_STATUS_LABELS[claim.status] ?? claim.status,
    patient: `${claim.legal_last_name}, ${claim.legal_first_name} (${claim.mrn})`,
    patientId: claim.patient_id,
    payer: claim.payer_name,
    memberId: claim.member_id,
    total: money(Number(claim.total_cents)),
    createdAt: claim.created_at,
    payerClaimControl: f8,
    lines: lines.map((l) => ({
      id: l.id,
      date: l.service_date,
      code: codeOf(l),
      units: Number(l.units),
      amount: money(Number(l.amount_cents)),
      status: CHARGE_STATUSES[l.status],
      paid: l.paid_cents === null ? null : money(Number(l.paid_cents)),
    })),
    replaces: related.filter((r) => r.id === claim.replaces_claim_id).map(link)[0] ?? null,
    correctedBy: related.filter((r) => r.replaces_claim_id === claim.id).map(link)[0] ?? null,
    correctable,
    differences: differences.map((d) => d.words),
    replacementLines: replacement.map((l) => ({ date: l.day.date, code: codeOf(l), units: l.units, amount: money(l.amountCents) })),
    basis: basisOf(claim.status, differences, replacement),
  };
}

// --- sending a correction ---------------------------------------------------------------------

export interface CorrectionInput {
  claimId: string;
  kind: "replace" | "void";
  /** The basis the page showed (claimDetail().basis): a different one now means the form is stale. */
  basis: string;
  requestKey: string;
}

const WORD = { replace: "replacement", void: "void" } as const;

/**
 * Sends a replacement (7) or void (8) of an exported claim in a batch of its own, in one
 * transaction: the original is marked replaced or voided (only from a correctable status, so two
 * corrections of one claim cannot both win), its charges become void, a replacement's corrected
 * lines become new exported charges, the days left out get open charges back, the 837 is stored,
 * the disclosure is recorded in the patient's accounting, and the whole is audited. A double submit
 * (same request key) answers with the first correction.
 */
export async function correctClaim(
  db: DB,
  actor: Actor,
  siteId: string,
  input: CorrectionInput,
  meta: ClientMeta,
  now = new Date(),
): Promise<WriteResult<{ batchId: string; claimId: string; repeated: boolean }>> {
  const earlier = await db
    .selectFrom("claim_batches as b")
    .innerJoin("claims as cl", "cl.batch_id", "b.id")
    .select(["b.id", "b.site_id", "cl.id as claim_id", "cl.replaces_claim_id"])
    .where("b.request_key", "=", input.requestKey)
    .executeTakeFirst();
  if (earlier) {
    if (earlier.site_id === siteId && earlier.replaces_claim_id === input.claimId)
      return { ok: true, batchId: earlier.id, claimId: earlier.claim_id, repeated: true };
    return { ok: false, status: 409, formError: "This form was already used. Reload the page to send a correction." };
  }
  const claim = await claimRow(db, input.claimId, siteId);
  if (!claim)
    return { ok: false, status: 404, formError: "There is no such exported claim at this site: only a claim that went out can be replaced or voided." };
  if (claim.frequency === "8")
    return { ok: false, status: 409, formError: `Claim ${claim.control} is itself a void: there is nothing left to replace or void.` };
  if (!CORRECTABLE.includes(claim.status)) {
    const by = await db.selectFrom("claims").select(["control", "frequency"]).where("replaces_claim_id", "=", claim.id).executeTakeFirst();
    const what = claim.status === "voided" ? "voided" : "replaced";
    return {
      ok: false,
      status: 409,
      formError: `Claim ${claim.control} was already ${what}${by ? ` by claim ${by.control}` : ""}: correct ${by ? "that claim" : "the newest claim"} instead.`,
    };
  }
  const site = await db.selectFrom("sites").select(["name", "address", "time_zone"]).where("id", "=", siteId).executeTakeFirstOrThrow();
  const provider = (await billingProvider(db, siteId)).settings;
  if (!provider)
    return { ok: false, status: 400, formError: "Record the billing provider (NPI, tax id, submitter id) first: a claim cannot go out without them." };
  const providerAddress = splitAddress(site.address);
  if (!providerAddress)
    return {
      ok: false,
      status: 400,
      formError: "The site's address must end with a line like \"Portland, OR 97201\": the claim's billing provider address is read from it.",
    };
  const [dx, consents, discharges] = await Promise.all([
    db
      .selectFrom("patient_diagnoses")
      .select(["code", "description"])
      .where("patient_id", "=", claim.patient_id)
      .where("resolved_on", "is", null)
      .orderBy("is_primary", "desc")
      .orderBy("code")
      .execute(),
    db.selectFrom("consents").selectAll().where("patient_id", "=", claim.patient_id).execute(),
    dischargeDatesOf(db, claim.patient_id),
  ]);
  const today = todayIn(site.time_zone, now);
  if (!dx.length) return { ok: false, status: 400, formError: "The patient has no current diagnosis code: a claim cannot go out without one." };
  const choice = chooseConsent(
    consents.map((r) => ({ ...termsOf(r), row: r })),
    { recipient: claim.payer_name, purpose: "payment", information: CLAIM_INFORMATION, on: today },
    discharges,
  );
  if (!choice.ok) return { ok: false, status: 400, formError: `No ${WORD[input.kind]} can go out to ${claim.payer_name}: ${choice.message}` };
  const at = now.toISOString();

  try {
    return await db.transaction().execute(async (trx) => {
      const carried = await carriedCharges(trx, [claim.id]);
      if (!carried.length) throw new Refused(`Claim ${claim.control} carries no exported charge any more: there is nothing to ${input.kind}.`);
      const current = await nowFor(trx, siteId, carried);
      const differences = differencesOf({ coverageId: claim.coverage_id }, carried, current);
      const corrected = replacementLines({ coverageId: claim.coverage_id }, carried, current);
      if (basisOf(claim.status, differences, corrected) !== input.basis)
        throw new Refused(`Claim ${claim.control} or its days changed since you opened it. Nothing was sent: look at what differs now and send again.`);
      if (input.kind === "replace" && !corrected.length)
        throw new Refused(`No day of claim ${claim.control} is billable to ${claim.payer_name} now: void the claim instead.`);
      // The original leaves the correctable statuses here, once: a second correction finds it gone.
      const taken = await trx
        .updateTable("claims")
        .set({ status: input.kind === "replace" ? "replaced" : "voided" })
        .where("id", "=", claim.id)
        .where("status", "in", CORRECTABLE)
        .executeTakeFirst();
      if (Number(taken.numUpdatedRows) !== 1)
        throw new Refused(`Claim ${claim.control} was corrected by someone else a moment ago. Reload the page to see it.`);
      await trx
        .updateTable("charges")
        .set((eb) => ({ status: "void", updated_at: at, version: eb("version", "+", 1) }))
        .where("claim_id", "=", claim.id)
        .where("status", "in", [...CARRIED])
        .execute();

      const frequency: ClaimFrequency = input.kind === "replace" ? "7" : "8";
      const lines =
        input.kind === "replace"
          ? corrected.map((c) => ({
              date: c.day.date,
              level: c.day.level as string,
              minutes: c.day.minutes,
              procedureCode: c.procedureCode,
              modifiers: c.modifiers,
              revenueCode: c.revenueCode,
              units: c.units,
              amountCents: c.amountCents,
            }))
          : carried.map((c) => ({
              date: c.service_date,
              level: c.level_of_care,
              minutes: 0,
              procedureCode: c.procedure_code,
              modifiers: c.modifiers,
              revenueCode: c.revenue_code,
              units: c.units,
              amountCents: c.amount_cents,
            }));
      const total = lines.reduce((n, l) => n + l.amountCents, 0);
      const f8 = await payerClaimControl(trx, claim, siteId);
      const batchId = newId();
      const newClaimId = newId();
      const max = await trx
        .selectFrom("claim_batches")
        .select((eb) => eb.fn.max("control_number").as("m"))
        .where("site_id", "=", siteId)
        .executeTakeFirst();
      const controlNumber = Number(max?.m ?? 0) + 1;
      const control = `${controlNumber}-1-${batchId
        .replace(/[^0-9a-z]/gi, "")
        .slice(-4)
        .toUpperCase()}`;
      const claimInput = claimInputOf(claim, control, dx, lines, frequency, f8.value);
      const content = build837({
        claimType: claim.claim_type as ClaimType,
        controlNumber,
        createdAt: now,
        usage: "P",
        submitter: { name: site.name, id: provider.submitterId, contactName: provider.contactName, phone: provider.phone },
        receiver: { name: provider.receiverName, id: provider.receiverId },
        billingProvider: { name: site.name, npi: provider.npi, taxId: provider.taxId, address: providerAddress },
        claims: [claimInput],
      });
      await trx
        .insertInto("claim_batches")
        .values({
          id: batchId,
          site_id: siteId,
          claim_type: claim.claim_type,
          control_number: controlNumber,
          claim_count: 1,
          line_count: lines.length,
          total_cents: total,
          content,
          request_key: input.requestKey,
          created_by: actor.id,
          created_at: at,
        })
        .execute();
      await trx
        .insertInto("claims")
        .values({
          id: newClaimId,
          batch_id: batchId,
          patient_id: claim.patient_id,
          coverage_id: claim.coverage_id,
          control,
          frequency,
          replaces_claim_id: claim.id,
          total_cents: total,
          status: "sent",
          created_at: at,
        })
        .execute();
      if (input.kind === "replace")
        for (const c of corrected)
          await trx
            .insertInto("charges")
            .values({
              id: newId(),
              site_id: siteId,
              patient_id: c.patientId,
              service_date: c.day.date,
              level_of_care: c.day.level,
              minutes: c.day.minutes,
              documented_minutes: c.day.documentedMinutes,
              coverage_id: c.coverageId,
              payer_id: c.payerId,
              authorization_id: c.authorizationId,
              fee_schedule_id: c.feeId,
              procedure_code: c.procedureCode,
              modifiers: c.modifiers,
              revenue_code: c.revenueCode,
              units: c.units,
              amount_cents: c.amountCents,
              status: "exported",
              hold_reasons: "[]",
              claim_id: newClaimId,
              created_at: at,
              updated_at: at,
            })
            .execute();
      // The days the correction does not carry get their open (held, or another payer's ready) charge back.
      const dates = carried.map((c) => c.service_date).sort();
      await refreshCharges(trx, siteId, { patientIds: [claim.patient_id], from: dates[0], to: dates[dates.length - 1] });

      const disclosureId = await recordClaimDisclosure(
        trx,
        actor,
        {
          patientId: claim.patient_id,
          siteId,
          consent: choice.consent.row,
          requestKey: `${input.requestKey}:${newClaimId}`.slice(0, 120),
          recipient: claim.payer_name,
          information: CLAIM_INFORMATION,
          patient: { name: `${claim.legal_first_name} ${claim.legal_last_name}`, dateOfBirth: claim.date_of_birth, mrn: claim.mrn },
          programAddress: site.address,
          days: lines.map((l) => ({
            date: l.date,
            service: [l.revenueCode, l.procedureCode, l.modifiers].filter(Boolean).join(" ") + ` × ${l.units}`,
            hours: Math.round((l.minutes / 60) * 10) / 10,
          })),
          diagnoses: dx,
          level: LEVEL_LABELS[lines[0].level as keyof typeof LEVEL_LABELS] ?? lines[0].level,
          today,
          note: `${CLAIM_FREQUENCIES[frequency]} claim ${control} of claim ${claim.control} (payer's claim number ${f8.value}, batch ${controlNumber}).`,
        },
        at,
      );
      await recordAudit(trx, {
        actor,
        action: input.kind === "replace" ? "claim.replaced" : "claim.voided",
        entityType: "claim",
        entityId: claim.id,
        patientId: claim.patient_id,
        siteId,
        before: { control: claim.control, status: claim.status, days: carried.map((c) => c.service_date), totalCents: Number(claim.total_cents) },
        after: {
          claim: control,
          frequency,
          batch: controlNumber,
          payerClaimControl: f8.value,
          days: lines.map((l) => l.date),
          totalCents: total,
          differences: differences.map((d) => d.words),
          disclosureId,
        },
        meta,
      });
      return { ok: true as const, batchId, claimId: newClaimId, repeated: false };
    });
  } catch (e) {
    if (isUniqueViolation(e)) {
      const first = await db
        .selectFrom("claim_batches as b")
        .innerJoin("claims as cl", "cl.batch_id", "b.id")
        .select(["b.id", "b.site_id", "cl.id as claim_id", "cl.replaces_claim_id"])
        .where("b.request_key", "=", input.requestKey)
        .executeTakeFirst();
      if (first && first.site_id === siteId && first.replaces_claim_id === input.claimId)
        return { ok: true, batchId: first.id, claimId: first.claim_id, repeated: true };
      return { ok: false, status: 409, formError: "Another correction or export ran at the same moment. Nothing was sent by this one: reload the page." };
    }
    return refusalAs409(e);
  }
}

type Line = ClaimLineRow;

function claimInputOf(
  claim: ClaimRow,
  control: string,
  dx: { code: string }[],
  lines: Line[],
  frequency: ClaimFrequency,
  payerClaimControlValue: string,
): ClaimInput {
  return {
    ...claimBody(
      claim,
      dx.map((d) => d.code),
      lines,
    ),
    control,
    frequency,
    payerClaimControl: payerClaimControlValue,
  };
}

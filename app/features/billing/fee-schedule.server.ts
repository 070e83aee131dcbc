/**
 * The fee schedule: for one payer at one level of care, how a day is billed — claim type, procedure
 * code and modifiers, revenue code (institutional claims), units per day, the day rule (attended
 * minutes, signed notes) and the rate in cents. One row per payer and level; each change is audited
 * with what it was, and a form started from an older version is refused.
 */
import { sql } from "kysely";
import { type DB, isUniqueViolation, type Queryable, type Trx } from "~/kernel/db";
import type { Actor } from "~/kernel/actor";
import type { WriteResult } from "~/kernel/results";
import { recordAudit } from "~/features/audit/audit.server";
import { refreshCharges } from "./charges.server";
import { newId } from "~/utils/ids";
import type { ClientMeta } from "~/utils/request.server";
import type { ClaimType, PayerKind } from "./rules";
import type { FeeRowInput } from "./schemas";

export interface FeeRow {
  id: string;
  payerId: string;
  payerName: string;
  payerKind: PayerKind;
  level: "IOP" | "PHP";
  claimType: ClaimType;
  procedureCode: string;
  modifiers: string;
  revenueCode: string;
  unitsPerDay: number;
  minMinutes: number;
  requiresSignedNote: boolean;
  rateCents: number;
  version: number;
}

const feeRows = (db: Queryable) =>
  db
    .selectFrom("fee_schedule as f")
    .innerJoin("payers as p", "p.id", "f.payer_id")
    .select([
      "f.id",
      "f.payer_id",
      "p.name as payer_name",
      "p.kind as payer_kind",
      "f.level_of_care",
      "f.claim_type",
      "f.procedure_code",
      "f.modifiers",
      "f.revenue_code",
      "f.units_per_day",
      "f.min_minutes",
      "f.requires_signed_note",
      "f.rate_cents",
      "f.version",
    ]);

type Row = Awaited<ReturnType<ReturnType<typeof feeRows>["execute"]>>[number];
const toFeeRow = (r: Row): FeeRow => ({
  id: r.id,
  payerId: r.payer_id,
  payerName: r.payer_name,
  payerKind: r.payer_kind,
  level: r.level_of_care === "PHP" ? "PHP" : "IOP",
  claimType: r.claim_type,
  procedureCode: r.procedure_code,
  modifiers: r.modifiers,
  revenueCode: r.revenue_code,
  unitsPerDay: Number(r.units_per_day),
  minMinutes: Number(r.min_minutes),
  requiresSignedNote: Number(r.requires_signed_note) === 1,
  rateCents: Number(r.rate_cents),
  version: Number(r.version),
});

/** The site's fee schedule, by payer then level. */
export async function listFeeSchedule(db: Queryable, siteId: string): Promise<FeeRow[]> {
  const rows = await feeRows(db).where("f.site_id", "=", siteId).orderBy("p.name").orderBy("f.level_of_care").execute();
  return rows.map(toFeeRow);
}

/** One row of the site's schedule; another site's row is no row at all. */
export async function getFeeRow(db: Queryable, id: string, siteId: string): Promise<FeeRow | null> {
  if (id.length > 64) return null;
  const row = await feeRows(db).where("f.id", "=", id).where("f.site_id", "=", siteId).executeTakeFirst();
  return row ? toFeeRow(row) : null;
}

export const NO_SUCH_FEE_ROW = "There is no such fee schedule row at your site.";
const STALE = "Someone else changed this fee schedule row while you were working. Nothing was saved: reload to see their change, then make yours again.";

const asColumns = (v: FeeRowInput) => ({
  claim_type: v.claimType,
  procedure_code: v.procedureCode,
  modifiers: v.modifiers,
  revenue_code: v.revenueCode,
  units_per_day: v.unitsPerDay,
  min_minutes: v.minMinutes,
  requires_signed_note: v.requiresSignedNote ? 1 : 0,
  rate_cents: v.rate,
});

const audited = (v: FeeRowInput | FeeRow) =>
  "rate" in v
    ? {
        claimType: v.claimType,
        code: v.procedureCode,
        modifiers: v.modifiers,
        revenueCode: v.revenueCode,
        units: v.unitsPerDay,
        minMinutes: v.minMinutes,
        signedNote: v.requiresSignedNote,
        rateCents: v.rate,
      }
    : {
        claimType: v.claimType,
        code: v.procedureCode,
        modifiers: v.modifiers,
        revenueCode: v.revenueCode,
        units: v.unitsPerDay,
        minMinutes: v.minMinutes,
        signedNote: v.requiresSignedNote,
        rateCents: v.rateCents,
      };

/**
 * The unexported charges a row's payers bill, recomputed under the new row: only the patients and
 * dates of open (ready or held) charges of those payers, or of their patients with no fee row yet.
 */
async function refreshPayers(trx: Trx, actor: Actor, siteId: string, payerIds: string[], meta: ClientMeta) {
  const open = await trx
    .selectFrom("charges")
    .select(["patient_id", "service_date"])
    .where("site_id", "=", siteId)
    .where("payer_id", "in", payerIds)
    .where("status", "in", ["ready", "held"])
    .execute();
  if (!open.length) return;
  const dates = open.map((c) => c.service_date).sort();
  await refreshCharges(
    trx,
    siteId,
    { patientIds: open.map((c) => c.patient_id), from: dates[0], to: dates[dates.length - 1] },
    { actor, meta, because: "fee schedule" },
  );
}

/**
 * Adds a row (no `feeId`) or changes one (with the version the form started from). Refused: a payer
 * not at the site, a second row for the same payer and level, a stale form.
 */
export async function saveFeeRow(
  db: DB,
  actor: Actor,
  siteId: string,
  v: FeeRowInput,
  meta: ClientMeta,
): Promise<WriteResult<{ id: string; created: boolean }>> {
  const payer = await db.selectFrom("payers").select(["id", "name"]).where("id", "=", v.payerId).where("site_id", "=", siteId).executeTakeFirst();
  if (!payer) return { ok: false, status: 400, fieldErrors: { payerId: ["Choose one of your site's payers."] } };
  const taken = {
    ok: false as const,
    status: 409 as const,
    fieldErrors: { level: [`${payer.name} already has ${v.level === "IOP" ? "an" : "a"} ${v.level} row: change that row instead of adding another.`] },
  };
  const now = new Date().toISOString();
  if (!v.feeId) {
    const existing = await db.selectFrom("fee_schedule").select("id").where("payer_id", "=", payer.id).where("level_of_care", "=", v.level).executeTakeFirst();
    if (existing) return taken;
    const id = newId();
    try {
      await db.transaction().execute(async (trx) => {
        await trx
          .insertInto("fee_schedule")
          .values({ id, site_id: siteId, payer_id: payer.id, level_of_care: v.level, ...asColumns(v), created_at: now, updated_at: now })
          .execute();
        await recordAudit(trx, {
          actor,
          action: "fee_schedule.created",
          entityType: "fee_schedule",
          entityId: id,
          siteId,
          after: { payer: payer.name, level: v.level, ...audited(v) },
          meta,
        });
        await refreshPayers(trx, actor, siteId, [payer.id], meta);
      });
    } catch (e) {
      // Two admins adding the same payer and level at once: the unique index keeps one.
      if (isUniqueViolation(e)) return taken;
      throw e;
    }
    return { ok: true, id, created: true };
  }
  const current = await getFeeRow(db, v.feeId, siteId);
  if (!current) return { ok: false, status: 404, formError: NO_SUCH_FEE_ROW };
  if (current.payerId !== payer.id || current.level !== v.level) {
    const other = await db
      .selectFrom("fee_schedule")
      .select("id")
      .where("payer_id", "=", payer.id)
      .where("level_of_care", "=", v.level)
      .where("id", "!=", current.id)
      .executeTakeFirst();
    if (other) return taken;
  }
  try {
    return await db.transaction().execute(async (trx) => {
      const res = await trx
        .updateTable("fee_schedule")
        .set({ payer_id: payer.id, level_of_care: v.level, ...asColumns(v), updated_at: now, version: sql`version + 1` })
        .where("id", "=", current.id)
        .where("version", "=", v.version ?? 0)
        .executeTakeFirst();
      if (Number(res.numUpdatedRows) !== 1) return { ok: false as const, status: 409 as const, formError: STALE };
      await recordAudit(trx, {
        actor,
        action: "fee_schedule.updated",
        entityType: "fee_schedule",
        entityId: current.id,
        siteId,
        before: { payer: current.payerName, level: current.level, ...audited(current) },
        after: { payer: payer.name, level: v.level, ...audited(v) },
        meta,
      });
      await refreshPayers(trx, actor, siteId, [...new Set([current.payerId, payer.id])], meta);
      return { ok: true as const, id: current.id, created: false };
    });
  } catch (e) {
    if (isUniqueViolation(e)) return taken;
    throw e;
  }
}

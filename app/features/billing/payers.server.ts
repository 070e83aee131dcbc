/**
 * The payers a site bills (issue 21, item 1): admins keep the list; coverages name one of them.
 * Each site contracts with its own payers, so every read and write is scoped to one site, and a
 * payer of another site answers as unknown.
 */
import { sql } from "kysely";
import { recordAudit } from "~/features/audit/audit.server";
import { changedFields } from "~/features/audit/chain";
import type { Actor } from "~/kernel/actor";
import { type DB, type Queryable, isUniqueViolation } from "~/kernel/db";
import type { WriteResult } from "~/kernel/results";
import { newId } from "~/utils/ids";
import type { ClientMeta } from "~/utils/request.server";
import type { PayerKind } from "./rules";

export const STALE_PAYER = "Someone changed this payer since you opened it. Reload to see their change, then make yours again.";
const DUPLICATE = { name: ["This site already has a payer with that name."] };

export interface PayerView {
  id: string;
  name: string;
  kind: PayerKind;
  payerCode: string;
  active: boolean;
  version: number;
}

export interface PayerInput {
  name: string;
  kind: PayerKind;
  payerCode?: string;
  active?: "yes";
}

const COLUMNS = ["id", "name", "kind", "payer_code", "active", "version"] as const;
const view = (r: { id: string; name: string; kind: PayerKind; payer_code: string; active: number; version: number }): PayerView => ({
  id: r.id,
  name: r.name,
  kind: r.kind,
  payerCode: r.payer_code,
  active: Number(r.active) === 1,
  version: Number(r.version),
});

/** Every payer of the site, active first, then by name. */
export async function listPayers(db: Queryable, siteId: string, options: { activeOnly?: boolean } = {}): Promise<PayerView[]> {
  let q = db.selectFrom("payers").select(COLUMNS).where("site_id", "=", siteId);
  if (options.activeOnly) q = q.where("active", "=", 1);
  const rows = await q.orderBy("active", "desc").orderBy("name").limit(500).execute();
  return rows.map(view);
}

export async function getPayer(db: Queryable, id: string, siteId: string): Promise<PayerView | null> {
  const row = await db.selectFrom("payers").select(COLUMNS).where("id", "=", id).where("site_id", "=", siteId).executeTakeFirst();
  return row ? view(row) : null;
}

async function nameTaken(db: Queryable, siteId: string, name: string, exceptId?: string): Promise<boolean> {
  let q = db
    .selectFrom("payers")
    .select("id")
    .where("site_id", "=", siteId)
    .where(sql<string>`lower(name)`, "=", name.toLowerCase());
  if (exceptId) q = q.where("id", "!=", exceptId);
  return Boolean(await q.executeTakeFirst());
}

export async function createPayer(db: DB, actor: Actor, siteId: string, input: PayerInput, meta: ClientMeta): Promise<WriteResult<{ id: string }>> {
  if (await nameTaken(db, siteId, input.name)) return { ok: false, status: 409, fieldErrors: DUPLICATE };
  const id = newId();
  const now = new Date().toISOString();
  const values = { name: input.name, kind: input.kind, payerCode: input.payerCode ?? "", active: input.active === "yes" };
  try {
    await db.transaction().execute(async (trx) => {
      await trx
        .insertInto("payers")
        .values({
          id,
          site_id: siteId,
          name: values.name,
          kind: values.kind,
          payer_code: values.payerCode,
          active: values.active ? 1 : 0,
          created_at: now,
          updated_at: now,
        })
        .execute();
      await recordAudit(trx, { actor, action: "payer.created", entityType: "payer", entityId: id, siteId, after: values, meta });
    });
  } catch (e) {
    if (isUniqueViolation(e)) return { ok: false, status: 409, fieldErrors: DUPLICATE };
    throw e;
  }
  return { ok: true, id };
}

export async function updatePayer(
  db: DB,
  actor: Actor,
  id: string,
  input: PayerInput & { version: number },
  siteId: string,
  meta: ClientMeta,
): Promise<WriteResult> {
  const current = await getPayer(db, id, siteId);
  if (!current) return { ok: false, status: 404, formError: "There is no such payer at your site." };
  if (current.version !== input.version) return { ok: false, status: 409, formError: STALE_PAYER };
  if (await nameTaken(db, siteId, input.name, id)) return { ok: false, status: 409, fieldErrors: DUPLICATE };
  const next = { name: input.name, kind: input.kind, payerCode: input.payerCode ?? "", active: input.active === "yes" };
  const diff = changedFields({ name: current.name, kind: current.kind, payerCode: current.payerCode, active: current.active }, next);
  if (!Object.keys(diff.after).length) return { ok: true };
  try {
    return await db.transaction().execute(async (trx) => {
      const res = await trx
        .updateTable("payers")
        .set({
          name: next.name,
          kind: next.kind,
          payer_code: next.payerCode,
          active: next.active ? 1 : 0,
          updated_at: new Date().toISOString(),
          version: sql`version + 1`,
        })
        .where("id", "=", id)
        .where("site_id", "=", siteId)
        .where("version", "=", input.version)
        .executeTakeFirst();
      if (Number(res.numUpdatedRows) !== 1) return { ok: false as const, status: 409 as const, formError: STALE_PAYER };
      await recordAudit(trx, { actor, action: "payer.updated", entityType: "payer", entityId: id, siteId, ...diff, meta });
      return { ok: true as const };
    });
  } catch (e) {
    if (isUniqueViolation(e)) return { ok: false, status: 409, fieldErrors: DUPLICATE };
    throw e;
  }
}

export interface PayerChoice {
  id: string;
  name: string;
  kind: PayerKind;
}

/** The site's active payers, by name: what a fee schedule row can name. */
export async function payerChoices(db: Queryable, siteId: string): Promise<PayerChoice[]> {
  return (await listPayers(db, siteId, { activeOnly: true })).map(({ id, name, kind }) => ({ id, name, kind }));
}

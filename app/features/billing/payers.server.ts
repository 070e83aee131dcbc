/**
 * Payers, as far as the fee schedule and the charge builder need them: a site's payers to choose
 * from, and `createPayer` for tests and the demo until the payer list of issue 21 item 1 lands
 * (that work owns payers; merge this function into it).
 */
import type { DB, Queryable } from "~/kernel/db";
import { newId } from "~/utils/ids";
import type { PayerKind } from "./rules";

export interface PayerChoice {
  id: string;
  name: string;
  kind: PayerKind;
}

/** The site's active payers, by name. */
export async function payerChoices(db: Queryable, siteId: string): Promise<PayerChoice[]> {
  return db.selectFrom("payers").select(["id", "name", "kind"]).where("site_id", "=", siteId).where("active", "=", 1).orderBy("name").execute();
}

/** Adds a payer to a site (no audit: scripts and tests only; the payer pages audit their own writes). */
export async function createPayer(db: DB, input: { siteId: string; name: string; kind: PayerKind; payerCode?: string }): Promise<{ id: string }> {
  const id = newId();
  const now = new Date().toISOString();
  await db
    .insertInto("payers")
    .values({ id, site_id: input.siteId, name: input.name, kind: input.kind, payer_code: input.payerCode ?? "", created_at: now, updated_at: now })
    .execute();
  return { id };
}

/**
 * Settings each site keeps for itself (`site_settings`; issue 16, 7d): one site's admin changes
 * nothing at another site. A site that never chose follows the network's `program_settings` row.
 */
import { sql } from "kysely";
import type { Queryable } from "~/kernel/db";

/** The site's own choice for `key` and its version, or null when the site follows the network. */
export async function siteSetting(db: Queryable, siteId: string, key: string): Promise<{ value: string; version: number } | null> {
  const row = await db.selectFrom("site_settings").select(["value", "version"]).where("site_id", "=", siteId).where("key", "=", key).executeTakeFirst();
  return row ? { value: row.value, version: Number(row.version) } : null;
}

/**
 * Saves a site's choice, in the caller's transaction: updates the site's own row at `version`, or
 * inserts the site's first choice (`ownChoice` false). False when someone else saved meanwhile
 * (a changed version, or a simultaneous first choice): the caller refuses the stale form.
 */
export async function saveSiteSetting(
  trx: Queryable,
  s: { siteId: string; key: string; value: string; actorId: string; version: number; ownChoice: boolean },
): Promise<boolean> {
  const now = new Date().toISOString();
  if (s.ownChoice) {
    const res = await trx
      .updateTable("site_settings")
      .set({ value: s.value, updated_at: now, updated_by: s.actorId, version: sql`version + 1` })
      .where("site_id", "=", s.siteId)
      .where("key", "=", s.key)
      .where("version", "=", s.version)
      .executeTakeFirst();
    return Number(res.numUpdatedRows) === 1;
  }
  const res = await trx
    .insertInto("site_settings")
    .values({ site_id: s.siteId, key: s.key, value: s.value, updated_at: now, updated_by: s.actorId, version: 1 })
    .onConflict((oc) => oc.columns(["site_id", "key"]).doNothing())
    .executeTakeFirst();
  return Number(res.numInsertedOrUpdatedRows ?? 0) === 1;
}

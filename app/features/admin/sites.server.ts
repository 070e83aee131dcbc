/**
 * The network's sites: listed, added and changed by an admin, each change audited with its
 * before and after in the same transaction. An admin works with the sites they are assigned to;
 * whoever adds a site is assigned to it, so they can go on to set it up.
 */
import { sql } from "kysely";
import { changedFields } from "~/features/audit/chain";
import { recordAudit } from "~/features/audit/audit.server";
import type { Actor } from "~/kernel/actor";
import { type DB, isUniqueViolation } from "~/kernel/db";
import type { WriteResult } from "~/kernel/results";
import { newId } from "~/utils/ids";
import type { ClientMeta } from "~/utils/request.server";
import type { SiteInput, SiteView } from "./sites";

const STALE = "Someone else changed this site while you were editing. Reload to see their change, then make yours again.";
const NAME_TAKEN = { name: ["There is already a site with that name."] };

const COLUMNS = ["id", "name", "time_zone", "address", "version", "created_at", "updated_at"] as const;

function view(r: {
  id: string;
  name: string;
  time_zone: string;
  address: string | null;
  version: number | string;
  created_at: string;
  updated_at: string | null;
}): SiteView {
  return {
    id: r.id,
    name: r.name,
    timeZone: r.time_zone,
    address: r.address,
    version: Number(r.version),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export async function listManagedSites(db: DB, siteIds: string[]): Promise<SiteView[]> {
  if (!siteIds.length) return [];
  const rows = await db.selectFrom("sites").select(COLUMNS).where("id", "in", siteIds).orderBy("name").execute();
  return rows.map(view);
}

export async function getManagedSite(db: DB, id: string, siteIds: string[]): Promise<SiteView | null> {
  if (!siteIds.includes(id)) return null;
  const row = await db.selectFrom("sites").select(COLUMNS).where("id", "=", id).executeTakeFirst();
  return row ? view(row) : null;
}

async function nameTaken(db: DB, name: string, exceptId?: string): Promise<boolean> {
  let q = db
    .selectFrom("sites")
    .select("id")
    .where(sql<string>`lower(name)`, "=", name.toLowerCase());
  if (exceptId) q = q.where("id", "!=", exceptId);
  return Boolean(await q.executeTakeFirst());
}

/** Adds a site and assigns the admin who added it, audited as `site.created`. */
export async function createSite(db: DB, actor: Actor, input: SiteInput, meta: ClientMeta): Promise<WriteResult<{ id: string }>> {
  if (await nameTaken(db, input.name)) return { ok: false, status: 409, fieldErrors: NAME_TAKEN };
  const id = newId();
  const now = new Date().toISOString();
  try {
    await db.transaction().execute(async (trx) => {
      await trx
        .insertInto("sites")
        .values({ id, name: input.name, time_zone: input.timeZone, address: input.address, created_at: now, updated_at: now, version: 1 })
        .execute();
      await trx.insertInto("user_sites").values({ user_id: actor.id, site_id: id }).execute();
      await recordAudit(trx, {
        actor,
        action: "site.created",
        entityType: "site",
        entityId: id,
        siteId: id,
        after: { name: input.name, timeZone: input.timeZone, address: input.address },
        meta,
      });
    });
  } catch (e) {
    if (isUniqueViolation(e)) return { ok: false, status: 409, fieldErrors: NAME_TAKEN };
    throw e;
  }
  return { ok: true, id };
}

/** Changes a site's name, time zone or address if it is still at `input.version`; audited as `site.updated` with what changed. */
export async function updateSite(
  db: DB,
  actor: Actor,
  id: string,
  input: SiteInput & { version: number },
  siteIds: string[],
  meta: ClientMeta,
): Promise<WriteResult> {
  const current = await getManagedSite(db, id, siteIds);
  if (!current) return { ok: false, status: 404, formError: "There is no such site among yours." };
  if (await nameTaken(db, input.name, id)) return { ok: false, status: 409, fieldErrors: NAME_TAKEN };
  const diff = changedFields(
    { name: current.name, timeZone: current.timeZone, address: current.address },
    { name: input.name, timeZone: input.timeZone, address: input.address },
  );
  if (!Object.keys(diff.after).length) return current.version === input.version ? { ok: true } : { ok: false, status: 409, formError: STALE };
  try {
    return await db.transaction().execute(async (trx) => {
      const res = await trx
        .updateTable("sites")
        .set({ name: input.name, time_zone: input.timeZone, address: input.address, updated_at: new Date().toISOString(), version: sql`version + 1` })
        .where("id", "=", id)
        .where("version", "=", input.version)
        .executeTakeFirst();
      if (Number(res.numUpdatedRows) !== 1) return { ok: false as const, status: 409 as const, formError: STALE };
      await recordAudit(trx, { actor, action: "site.updated", entityType: "site", entityId: id, siteId: id, ...diff, meta });
      return { ok: true as const };
    });
  } catch (e) {
    if (isUniqueViolation(e)) return { ok: false, status: 409, fieldErrors: NAME_TAKEN };
    throw e;
  }
}

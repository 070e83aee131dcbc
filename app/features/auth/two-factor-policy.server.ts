/**
 * Who must use two-factor sign-in, per site. Each site's admin sets their own site's policy; a site
 * that has not chosen yet follows the network's default (the `program_settings` row, set by whoever
 * runs the server). Someone who works at several sites must meet the strictest policy among them:
 * the weakest site must not lower the bar for an account that can reach the others
 * (NIST SP 800-63B-4 §2.2: the authenticator assurance level is set by what the account can reach).
 */
import type { DB, Queryable } from "~/kernel/db";
import { saveSiteSetting, siteSetting } from "~/kernel/site-settings.server";
import type { Actor } from "~/kernel/actor";
import { recordAudit } from "~/features/audit/audit.server";
import type { ClientMeta } from "~/utils/request.server";
import { TWO_FACTOR_POLICIES, type TwoFactorPolicy } from "./security";

export const POLICY_KEY = "two_factor_required_for";

/** Weakest first: a later policy requires two-factor sign-in of everyone an earlier one does, and more. */
const STRICTNESS: TwoFactorPolicy[] = ["none", "admins", "everyone"];
const isPolicy = (v: unknown): v is TwoFactorPolicy => typeof v === "string" && v in TWO_FACTOR_POLICIES;
export const strictest = (policies: TwoFactorPolicy[]): TwoFactorPolicy =>
  policies.reduce((a, b) => (STRICTNESS.indexOf(b) > STRICTNESS.indexOf(a) ? b : a), "none" as TwoFactorPolicy);

/** The network's default, for sites that have not chosen (admins only when nothing is set). */
export async function defaultTwoFactorPolicy(db: Queryable): Promise<TwoFactorPolicy> {
  const row = await db.selectFrom("program_settings").select("value").where("key", "=", POLICY_KEY).executeTakeFirst();
  return isPolicy(row?.value) ? row.value : "admins";
}

/** One site's policy, and whether it is the site's own choice or the network default it follows. */
export async function siteTwoFactorPolicy(db: Queryable, siteId: string): Promise<{ value: TwoFactorPolicy; version: number; ownChoice: boolean }> {
  const row = await siteSetting(db, siteId, POLICY_KEY);
  if (row && isPolicy(row.value)) return { value: row.value, version: row.version, ownChoice: true };
  return { value: await defaultTwoFactorPolicy(db), version: 0, ownChoice: false };
}

/** The policy each of `userIds` must meet: the strictest of the sites they work at (the default if none). */
export async function effectiveTwoFactorPolicies(db: Queryable, userIds: string[]): Promise<Map<string, TwoFactorPolicy>> {
  const result = new Map<string, TwoFactorPolicy>();
  if (!userIds.length) return result;
  const fallback = await defaultTwoFactorPolicy(db);
  const rows = await db
    .selectFrom("user_sites")
    .leftJoin("site_settings", (j) => j.onRef("site_settings.site_id", "=", "user_sites.site_id").on("site_settings.key", "=", POLICY_KEY))
    .select(["user_sites.user_id", "site_settings.value"])
    .where("user_sites.user_id", "in", userIds)
    .execute();
  const bySite = new Map<string, TwoFactorPolicy[]>();
  for (const r of rows) bySite.set(r.user_id, [...(bySite.get(r.user_id) ?? []), isPolicy(r.value) ? r.value : fallback]);
  for (const id of userIds) result.set(id, strictest(bySite.get(id) ?? [fallback]));
  return result;
}

/** The policy one person must meet, with a version for pages that show it. */
export async function userTwoFactorPolicy(db: Queryable, userId: string): Promise<{ value: TwoFactorPolicy; version: number }> {
  const value = (await effectiveTwoFactorPolicies(db, [userId])).get(userId) ?? "admins";
  return { value, version: 0 };
}

/** A site's admin sets the site's policy; audited, and refused if someone changed it meanwhile. */
export async function setSiteTwoFactorPolicy(
  db: DB,
  actor: Actor,
  siteId: string,
  value: TwoFactorPolicy,
  version: number,
  meta: ClientMeta,
): Promise<{ ok: true } | { ok: false; message: string }> {
  const stale = { ok: false as const, message: "Someone else changed this setting while you were looking at it. Reload to see it, then choose again." };
  return db.transaction().execute(async (trx) => {
    const before = await siteTwoFactorPolicy(trx, siteId);
    if (before.version !== version) return stale;
    if (!(await saveSiteSetting(trx, { siteId, key: POLICY_KEY, value, actorId: actor.id, version, ownChoice: before.ownChoice }))) return stale;
    await recordAudit(trx, {
      actor,
      action: "settings.two_factor_policy_changed",
      entityType: "setting",
      entityId: POLICY_KEY,
      siteId,
      before: { value: before.value },
      after: { value },
      meta,
    });
    return { ok: true as const };
  });
}

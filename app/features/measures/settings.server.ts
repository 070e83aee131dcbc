/**
 * How often repeat measures come due (`measure_interval_days`), each site's own choice as the ASAM
 * edition and the sign-in policy are: a site that never chose follows the network's
 * `program_settings` row, else 30 days.
 */
import { recordAudit } from "~/features/audit/audit.server";
import type { Actor } from "~/kernel/actor";
import type { DB, Queryable } from "~/kernel/db";
import type { WriteResult } from "~/kernel/results";
import { saveSiteSetting, siteSetting } from "~/kernel/site-settings.server";
import type { ClientMeta } from "~/utils/request.server";
import { MEASURE_INTERVAL_KEY, measureIntervalDays } from "./rules";

export type IntervalSetting = { value: number; version: number; ownChoice: boolean };

/** The site's measure interval in days, with the version a form must send back to change it. */
export async function measureIntervalSetting(db: Queryable, siteId: string): Promise<IntervalSetting> {
  const own = await siteSetting(db, siteId, MEASURE_INTERVAL_KEY);
  if (own) return { value: measureIntervalDays(own.value), version: own.version, ownChoice: true };
  const network = await db.selectFrom("program_settings").select("value").where("key", "=", MEASURE_INTERVAL_KEY).executeTakeFirst();
  return { value: measureIntervalDays(network?.value), version: 0, ownChoice: false };
}

/** An admin sets the interval for the site they are working at; audited, and refused if someone changed it meanwhile. */
export async function setMeasureInterval(db: DB, actor: Actor, siteId: string, days: number, version: number, meta: ClientMeta): Promise<WriteResult> {
  if (measureIntervalDays(String(days)) !== days) return { ok: false, status: 400, fieldErrors: { days: ["Enter a whole number of days from 7 to 90."] } };
  const stale = {
    ok: false as const,
    status: 409 as const,
    formError: "Someone else changed this setting while you were looking at it. Reload to see it, then enter the interval again.",
  };
  return db.transaction().execute(async (trx) => {
    const before = await measureIntervalSetting(trx, siteId);
    if (before.version !== version) return stale;
    const saved = await saveSiteSetting(trx, {
      siteId,
      key: MEASURE_INTERVAL_KEY,
      value: String(days),
      actorId: actor.id,
      version,
      ownChoice: before.ownChoice,
    });
    if (!saved) return stale;
    await recordAudit(trx, {
      actor,
      action: "settings.measure_interval_changed",
      entityType: "setting",
      entityId: MEASURE_INTERVAL_KEY,
      siteId,
      before: { days: before.value },
      after: { days },
      meta,
    });
    return { ok: true as const };
  });
}

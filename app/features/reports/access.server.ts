/**
 * The gate of every report: admins see the site, counselors their own caseload only. The range and
 * filters are read and checked here, so each report receives parameters it can trust.
 */
import { data } from "@remix-run/node";
import { recordAudit } from "~/features/audit/audit.server";
import { type RequestArgs, requireUser } from "~/features/auth/guard.server";
import type { Permission } from "~/features/auth/permissions";
import { todayIn } from "~/kernel/time";
import { readRange } from "./range";
import type { ReportParams } from "./report";

/**
 * `defaultDays`: how many days the report shows when the address names no range; `permission`:
 * the report's own ("read:reports" unless it says otherwise, billing's say "bill:claims").
 */
export async function requireReport(args: RequestArgs, defaultDays?: number, permission: Permission = "read:reports") {
  const auth = await requireUser(args, permission);
  const { db, user, site, meta } = auth;
  if (!site) throw data({ message: "You are not assigned to a site." }, { status: 404 });
  const today = todayIn(site.time_zone);
  const { value, errors } = readRange(new URL(args.request.url).searchParams, today, defaultDays);
  let trackId = value.trackId;
  if (trackId) {
    const track = await db.selectFrom("tracks").select("id").where("id", "=", trackId).where("site_id", "=", site.id).executeTakeFirst();
    if (!track) {
      errors.track = "Choose a track at this site.";
      trackId = null;
    }
  }
  let counselorId = value.counselorId;
  if (user.role === "counselor") {
    if (counselorId && counselorId !== user.id) {
      await recordAudit(db, {
        actor: user,
        action: "report.refused",
        outcome: "denied",
        entityType: "report",
        entityId: "caseload",
        siteId: site.id,
        detail: { askedFor: counselorId.slice(0, 64) },
        meta,
      });
      throw data({ message: "You can see reports for your own caseload only." }, { status: 403 });
    }
    counselorId = user.id;
  } else if (counselorId) {
    const c = await db.selectFrom("user_sites").select("user_id").where("user_id", "=", counselorId).where("site_id", "=", site.id).executeTakeFirst();
    if (!c) {
      errors.counselor = "Choose a counselor at this site.";
      counselorId = null;
    }
  }
  const params: ReportParams = { siteId: site.id, timeZone: site.time_zone, from: value.from, to: value.to, trackId, counselorId, today };
  return { ...auth, site, params, errors, ownCaseload: user.role === "counselor" };
}

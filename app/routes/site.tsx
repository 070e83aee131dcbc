import { type ActionFunctionArgs, redirect } from "@remix-run/node";
import { recordAudit } from "~/features/audit/audit.server";
import { requireUser } from "~/features/auth/guard.server";
import { safeRedirectPath } from "~/utils/request.server";

export async function loader() {
  return redirect("/");
}

/** Switches the site the signed-in user is working at, among the sites they are assigned to. */
export async function action(args: ActionFunctionArgs) {
  const { db, user, sites, site, sessionId, meta } = await requireUser(args, "read:home");
  const form = await args.request.formData();
  const siteId = form.get("siteId");
  if (typeof siteId !== "string" || !siteId) throw Response.json({ message: "Choose the site to switch to." }, { status: 400 });
  const target = sites.find((s) => s.id === siteId);
  if (!target) {
    await recordAudit(db, { actor: user, action: "site.switch_refused", outcome: "denied", detail: { siteId: String(siteId ?? "").slice(0, 64) }, meta });
    // A resource route must throw a Response: a thrown data() here would be answered with a 500.
    throw Response.json({ kind: "forbidden", message: "You are not assigned to that site." }, { status: 403 });
  }
  await db.transaction().execute(async (trx) => {
    await trx.updateTable("user_sessions").set({ site_id: target.id }).where("id", "=", sessionId).execute();
    await recordAudit(trx, {
      actor: user,
      action: "session.site_switched",
      siteId: target.id,
      before: { site: site?.name ?? null },
      after: { site: target.name },
      meta,
    });
  });
  return redirect(safeRedirectPath(form.get("redirectTo")));
}

import { type ActionFunctionArgs, redirect } from "@remix-run/node";
import { requireUser } from "~/features/auth/guard.server";
import { switchSite } from "~/features/auth/own-sessions.server";
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
  if (!(await switchSite(db, user, { id: sessionId, site, assigned: sites }, siteId, meta))) {
    // A resource route must throw a Response: a thrown data() here would be answered with a 500.
    throw Response.json({ kind: "forbidden", message: "You are not assigned to that site." }, { status: 403 });
  }
  return redirect(safeRedirectPath(form.get("redirectTo")));
}

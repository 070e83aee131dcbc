import { type ActionFunctionArgs, redirect } from "@remix-run/node";
import { clearSessionCookie } from "~/features/auth/cookie.server";
import { requireUser } from "~/features/auth/guard.server";
import { signOut } from "~/features/auth/sign-in.server";

export async function loader() {
  // Signing out changes state, so it is a POST; a plain visit just goes home.
  return redirect("/");
}

export async function action(args: ActionFunctionArgs) {
  const session = await requireUser(args, null);
  await signOut(session.db, session, session.meta);
  return redirect("/login", { headers: { "Set-Cookie": clearSessionCookie(args.request) } });
}

import { type AppLoadContext, data, redirect } from "@remix-run/node";
import { getDb } from "~/db.server";
import { recordAudit } from "~/features/audit/audit.server";
import { readForm } from "~/utils/form.server";
import { todayIn } from "~/kernel/time";
import { clientMeta, type ClientMeta, safeRedirectPath } from "~/utils/request.server";
import { clearSessionCookie, readSessionCookie } from "./cookie.server";
import { type Permission, PERMISSION_DESCRIPTIONS, can, rolesWith } from "./permissions";
import { type SessionCheck, type ValidSession, validateSessionToken } from "./sessions.server";
import type { DB } from "~/kernel/db";

export interface RequestArgs {
  request: Request;
  context?: AppLoadContext;
}

export interface Authorized extends ValidSession {
  db: DB;
  meta: ClientMeta;
}

/** What a refused request's page is told: what was missing and who has it. */
export interface ForbiddenData {
  kind: "forbidden";
  message: string;
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * One session check per HTTP request, shared by the loaders that answer it in parallel (the
 * layout's and the page's). The first to find a session idle deletes it; a sibling that looked a
 * moment later would find no session and send the person to sign-in without saying why, and the
 * time-out would be audited once per loader. The server gives every request its own load context,
 * so that object keys the shared check; without one (a loader called directly) each call checks.
 */
const sessionChecks = new WeakMap<object, Promise<SessionCheck>>();

function checkSessionOnce(args: RequestArgs, db: DB, meta: ClientMeta): Promise<SessionCheck> {
  const key = args.context;
  const shared = key ? sessionChecks.get(key) : undefined;
  if (shared) return shared;
  const check = checkSession(args.request, db, meta);
  if (key) sessionChecks.set(key, check);
  return check;
}

async function checkSession(request: Request, db: DB, meta: ClientMeta): Promise<SessionCheck> {
  const check = await validateSessionToken(db, readSessionCookie(request));
  if (check.status === "timed-out" || check.status === "expired") {
    await recordAudit(db, {
      actor: { id: check.userId, name: check.userName },
      action: check.status === "timed-out" ? "auth.session_timeout" : "auth.session_expired",
      entityType: "user",
      entityId: check.userId,
      meta,
    });
  }
  return check;
}

/**
 * Refuses cross-site writes: a browser marks a request from another site with `Sec-Fetch-Site`
 * and `Origin`; a write needs them to say it came from this site. Plain inputs so the HTTP server
 * can apply the same rule before the app sees the request (see server.mjs).
 *
 * `protocol` and `host` are this site's scheme and host as the server derives them (the scheme from
 * a trusted proxy's X-Forwarded-Proto, see TRUST_PROXY). An origin is scheme, host and port
 * (RFC 6454 §4): `http://clinic.example` is another origin than `https://clinic.example`, and a
 * page served over plain HTTP (which anyone on the network can rewrite) may not write to the
 * HTTPS site. An `Origin` that names another origin is refused even when `Sec-Fetch-Site` says
 * `none` or `same-origin` (Remix itself would otherwise answer such a request with a 500).
 */
export function crossSiteWrite(req: { method: string; secFetchSite: string | null; origin: string | null; host: string | null; protocol: string }): boolean {
  if (SAFE_METHODS.has(req.method.toUpperCase())) return false;
  if (req.origin !== null && !sameOrigin(req.origin, req.protocol, req.host)) return true;
  if (req.secFetchSite) return !(req.secFetchSite === "same-origin" || req.secFetchSite === "none");
  return req.origin === null;
}

function sameOrigin(origin: string, protocol: string, host: string | null): boolean {
  if (!host) return false;
  try {
    const url = new URL(origin);
    return url.host === host.toLowerCase() && url.protocol === `${protocol.replace(/:$/, "").toLowerCase()}:`;
  } catch {
    // The opaque origin "null" (sandboxed frames, some redirects) and garbage.
    return false;
  }
}

export function isCrossSiteWrite(request: Request): boolean {
  const url = new URL(request.url);
  return crossSiteWrite({
    method: request.method,
    secFetchSite: request.headers.get("sec-fetch-site"),
    origin: request.headers.get("origin"),
    host: url.host,
    protocol: url.protocol,
  });
}

export const CROSS_SITE_MESSAGE = "This request came from another site and was refused.";

/** Audits a cross-site write refused before it reached a route. */
export async function auditCrossSiteRefusal(info: { path: string; origin: string | null; ip: string | null; userAgent: string | null }) {
  const db = await getDb();
  await recordAudit(db, {
    actor: null,
    action: "access.cross_site_refused",
    outcome: "denied",
    detail: { path: info.path.slice(0, 300), origin: info.origin?.slice(0, 300) ?? null },
    meta: { ip: info.ip, userAgent: info.userAgent?.slice(0, 300) ?? null },
  });
}

export async function refuseCrossSite(args: RequestArgs, db?: DB): Promise<void> {
  if (!isCrossSiteWrite(args.request)) return;
  const database = db ?? (await getDb());
  await recordAudit(database, {
    actor: null,
    action: "access.cross_site_refused",
    outcome: "denied",
    detail: { path: new URL(args.request.url).pathname, origin: args.request.headers.get("origin") },
    meta: clientMeta(args.request, args.context),
  });
  throw data({ kind: "forbidden", message: CROSS_SITE_MESSAGE } satisfies ForbiddenData, { status: 403 });
}

export { UNREADABLE_FORM } from "~/utils/form.server";

/**
 * A write must carry a readable form (that is all the app's forms send), within the request
 * limits. Anything else (JSON, no body, a broken multipart body, too large, too many fields, a
 * field name no page uses) is refused with a 4xx and a message here, before an action's
 * `request.formData()` would throw and answer with a 500. The form is parsed once: the action's
 * `request.formData()` (or `readForm(request)`) gets the same FormData.
 */
export async function refuseUnreadableForm(request: Request): Promise<void> {
  if (SAFE_METHODS.has(request.method.toUpperCase())) return;
  await readForm(request);
}

function returnPath(request: Request): string {
  const url = new URL(request.url);
  return SAFE_METHODS.has(request.method.toUpperCase()) ? url.pathname + url.search : url.pathname;
}

/**
 * The first line of every loader and action: the caller must be signed in, and their role must
 * hold `permission`. Otherwise they are sent to sign in (and brought back afterwards) or get a
 * 403 that says what is missing; refusals and time-outs are audited.
 */
export async function requireUser(args: RequestArgs, permission: Permission | null): Promise<Authorized> {
  const { request } = args;
  const db = await getDb();
  const meta = clientMeta(request, args.context);
  await refuseCrossSite(args, db);
  await refuseUnreadableForm(request);

  const check = await checkSessionOnce(args, db, meta);
  if (check.status !== "valid") {
    const params = new URLSearchParams({ redirectTo: returnPath(request) });
    if (check.status === "timed-out" || check.status === "expired") params.set("reason", check.status === "timed-out" ? "timeout" : "expired");
    throw redirect(`/login?${params}`, {
      headers: check.status === "missing" ? {} : { "Set-Cookie": clearSessionCookie(request) },
    });
  }

  const { session } = check;
  const path = new URL(request.url).pathname;
  if (session.secondFactor !== "done" && path !== "/logout") {
    // A password alone reaches only the two-factor step; everything else waits for it.
    throw redirect(
      `${session.secondFactor === "verify" ? "/login/two-factor" : "/login/two-factor-setup"}?${new URLSearchParams({ redirectTo: returnPath(request) })}`,
    );
  }
  if (session.user.mustChangePassword && !["/account/password", "/logout"].includes(path)) {
    throw redirect("/account/password");
  }

  const authorized = { ...session, db, meta };
  if (permission && !can(session.user.role, permission)) throw await forbidden(authorized, args, permission);
  return authorized;
}

export interface SiteAuthorized extends Authorized {
  site: NonNullable<Authorized["site"]>;
  /** The site's IANA time zone: days, weeks and clock times on its pages are read in it. */
  timeZone: string;
  /** Today's civil date at the site. */
  today: string;
}

export const NO_SITE_MESSAGE = "You are not assigned to a site.";

/**
 * `requireUser` for pages that work at one site: also the site the person is working at, its zone
 * and today's date there. Someone assigned to no site gets a 404 that says so.
 */
export async function requireSiteUser(args: RequestArgs, permission: Permission | null, now = new Date()): Promise<SiteAuthorized> {
  const auth = await requireUser(args, permission);
  if (!auth.site) throw data({ message: NO_SITE_MESSAGE }, { status: 404 });
  return { ...auth, site: auth.site, timeZone: auth.site.time_zone, today: todayIn(auth.site.time_zone, now) };
}

/** The audited 403 for a signed-in person whose role lacks `permission`, saying who has it. */
export async function forbidden(auth: Authorized, args: RequestArgs, permission: Permission) {
  await recordAudit(auth.db, {
    actor: { id: auth.user.id, name: auth.user.name },
    action: "access.denied",
    outcome: "denied",
    siteId: auth.site?.id,
    detail: { path: new URL(args.request.url).pathname, method: args.request.method, permission },
    meta: auth.meta,
  });
  const roles = rolesWith(permission).join(" or ");
  return data(
    {
      kind: "forbidden",
      message: `This page needs permission to ${PERMISSION_DESCRIPTIONS[permission]}, which the ${roles} role has. You are signed in as ${auth.user.role}.`,
    } satisfies ForbiddenData,
    { status: 403 },
  );
}

/** For the sign-in page: who is signed in already (second factor done), if anyone, without redirecting. */
export async function optionalUser(request: Request): Promise<ValidSession | null> {
  const db = await getDb();
  const check = await validateSessionToken(db, readSessionCookie(request));
  return check.status === "valid" && check.session.secondFactor === "done" ? check.session : null;
}

/**
 * The gate of the two-factor pages: a session whose password step is done and which owes
 * `stage`. Anyone else is sent where they belong: to sign in, or on into the app.
 */
export async function requirePendingSignIn(args: RequestArgs, stage: "verify" | "enrol"): Promise<ValidSession & { db: DB; meta: ClientMeta }> {
  const db = await getDb();
  await refuseCrossSite(args, db);
  await refuseUnreadableForm(args.request);
  const url = new URL(args.request.url);
  const check = await validateSessionToken(db, readSessionCookie(args.request));
  if (check.status !== "valid") throw redirect(`/login?${new URLSearchParams({ redirectTo: url.searchParams.get("redirectTo") ?? "/" })}`);
  const isWrite = !SAFE_METHODS.has(args.request.method.toUpperCase());
  if (check.session.secondFactor !== stage && isWrite) {
    // A form sent to the wrong step (or after sign-in finished) is refused, not followed.
    throw data(
      { message: check.session.secondFactor === "done" ? "You are already signed in." : "This is not the sign-in step you are on. Reload the page." },
      { status: 409 },
    );
  }
  if (check.session.secondFactor === "done") throw redirect(safeRedirectPath(url.searchParams.get("redirectTo")));
  if (check.session.secondFactor !== stage) {
    throw redirect(`${check.session.secondFactor === "verify" ? "/login/two-factor" : "/login/two-factor-setup"}${url.search}`);
  }
  return { ...check.session, db, meta: clientMeta(args.request, args.context) };
}

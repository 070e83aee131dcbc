import type { AppLoadContext } from "@remix-run/node";

export interface ClientMeta {
  ip: string | null;
  userAgent: string | null;
}

declare module "@remix-run/node" {
  interface AppLoadContext {
    /**
     * The client's address as Express derives it (`req.ip`, see server.mjs): the connection's
     * peer, or, behind the proxies TRUST_PROXY names, the address the outermost trusted proxy
     * saw. Never read from X-Forwarded-For here: its left-most entries are whatever the client
     * wrote.
     */
    clientIp?: string;
  }
}

/** Who is asking, for the audit log and sign-in throttling. */
export function clientMeta(request: Request, context?: AppLoadContext): ClientMeta {
  const ip = context?.clientIp ?? null;
  const userAgent = request.headers.get("user-agent")?.slice(0, 300) ?? null;
  return { ip: ip ? ip.replace(/^::ffff:/, "") : null, userAgent };
}

/** A path inside this app to return to after sign-in; anything else falls back to home. */
export function safeRedirectPath(to: FormDataEntryValue | string | null | undefined, fallback = "/"): string {
  if (typeof to !== "string" || !to.startsWith("/") || to.startsWith("//")) return fallback;
  // Browsers drop tabs and newlines from a Location and read "\\" as "/": "/\t/evil.com" and
  // "/\\evil.com" would leave the site. No control characters or backslashes, and the path
  // must stay on this origin.
  // eslint-disable-next-line no-control-regex -- matching control characters is the point of this check
  if (/[\u0000-\u001f\u007f\\]/.test(to)) return fallback;
  if (new URL(to, "http://app.invalid").origin !== "http://app.invalid") return fallback;
  if (to.startsWith("/login") || to.startsWith("/logout")) return fallback;
  return to;
}

import type { AppLoadContext } from "@remix-run/node";
import { config } from "./config.server";

export interface ClientMeta {
  ip: string | null;
  userAgent: string | null;
}

declare module "@remix-run/node" {
  interface AppLoadContext {
    /** The client's address as the HTTP server saw it (see server.mjs). */
    clientIp?: string;
  }
}

/** Who is asking, for the audit log and sign-in throttling. */
export function clientMeta(request: Request, context?: AppLoadContext): ClientMeta {
  let ip = context?.clientIp ?? null;
  if (config.trustProxy) {
    const forwarded = request.headers.get("x-forwarded-for")?.split(",")[0]?.trim();
    if (forwarded) ip = forwarded;
  }
  const userAgent = request.headers.get("user-agent")?.slice(0, 300) ?? null;
  return { ip: ip ? ip.replace(/^::ffff:/, "") : null, userAgent };
}

/** A path inside this app to return to after sign-in; anything else falls back to home. */
export function safeRedirectPath(to: FormDataEntryValue | string | null | undefined, fallback = "/"): string {
  if (typeof to !== "string" || !to.startsWith("/") || to.startsWith("//")) return fallback;
  // Browsers drop tabs and newlines from a Location and read "\\" as "/": "/\t/evil.com" and
  // "/\\evil.com" would leave the site. No control characters or backslashes, and the path
  // must stay on this origin.
  if (/[\u0000-\u001f\u007f\\]/.test(to)) return fallback;
  if (new URL(to, "http://app.invalid").origin !== "http://app.invalid") return fallback;
  if (to.startsWith("/login") || to.startsWith("/logout")) return fallback;
  return to;
}

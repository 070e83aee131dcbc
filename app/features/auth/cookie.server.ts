import { parse, serialize } from "cookie";
import { config } from "~/utils/config.server";

export const SESSION_COOKIE = "iop_session";

/**
 * Whether the session cookie is `Secure` (sent only over HTTPS; RFC 6265 §4.1.2.5). Never decided
 * from the Host header, which the client (or a proxy's `proxy_pass http://localhost:3000`) chooses:
 *  - COOKIE_SECURE=1 or 0 decides outright;
 *  - otherwise it is Secure when the request arrived over HTTPS as the server derives it (a TLS
 *    connection, or X-Forwarded-Proto from a proxy TRUST_PROXY names), and always in production
 *    outside the demo: browsers accept a Secure cookie from http://localhost, and a production
 *    server reached over plain HTTP elsewhere is a mistake the cookie should not paper over
 *    (COOKIE_SECURE=0 is the explicit way to try one on a private network).
 */
export function isSecureRequest(request: Request, settings: { cookieSecure: boolean | "auto"; production: boolean; demo: boolean } = config): boolean {
  if (settings.cookieSecure !== "auto") return settings.cookieSecure;
  return new URL(request.url).protocol === "https:" || (settings.production && !settings.demo);
}

export function readSessionCookie(request: Request): string | undefined {
  const header = request.headers.get("cookie");
  if (!header) return undefined;
  try {
    return parse(header)[SESSION_COOKIE];
  } catch {
    return undefined;
  }
}

export function sessionCookie(request: Request, token: string, maxAgeSeconds: number): string {
  return serialize(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: "lax",
    secure: isSecureRequest(request),
    path: "/",
    maxAge: maxAgeSeconds,
  });
}

export function clearSessionCookie(request: Request): string {
  return serialize(SESSION_COOKIE, "", {
    httpOnly: true,
    sameSite: "lax",
    secure: isSecureRequest(request),
    path: "/",
    maxAge: 0,
  });
}

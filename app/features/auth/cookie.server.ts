import { parse, serialize } from "cookie";

export const SESSION_COOKIE = "iop_session";

/** `Secure` everywhere but plain-HTTP localhost, where browsers would drop it. */
function isSecureRequest(request: Request): boolean {
  const url = new URL(request.url);
  if (url.protocol === "https:") return true;
  return !["localhost", "127.0.0.1", "[::1]"].includes(url.hostname);
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

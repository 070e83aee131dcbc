/**
 * HSTS (RFC 6797): once a browser has seen the site over HTTPS it refuses plain HTTP to it for a
 * year, subdomains included, so a network attacker cannot strip TLS from the next visit. Sent only
 * on responses to HTTPS requests (§7.2: never over plain HTTP), as server.mjs derives the scheme:
 * a TLS connection or X-Forwarded-Proto from a proxy TRUST_PROXY names, never a header anyone can send.
 */
export const STRICT_TRANSPORT_SECURITY = "max-age=31536000; includeSubDomains";

/** Headers every signed-in page and data response carries. */
export function contentSecurityPolicy(nonce: string, production: boolean): string {
  const script = production ? `'self' 'nonce-${nonce}'` : `'self' 'unsafe-inline' 'unsafe-eval'`;
  const connect = production ? "'self'" : "'self' ws: wss:";
  return [
    "default-src 'self'",
    `script-src ${script}`,
    // Mantine writes its theme variables in a <style> element.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src ${connect}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

export function applySecurityHeaders(headers: Headers, nonce: string | null, production: boolean): void {
  headers.set("Content-Security-Policy", nonce === null ? "default-src 'none'; frame-ancestors 'none'" : contentSecurityPolicy(nonce, production));
  headers.set("Referrer-Policy", "same-origin");
  headers.set("X-Content-Type-Options", "nosniff");
  headers.set("X-Frame-Options", "DENY");
  headers.set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()");
  // Pages carry patient information: never keep them in a shared or browser cache.
  headers.set("Cache-Control", "no-store");
}

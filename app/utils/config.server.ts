/** Settings read from the environment once, with the defaults a clinic gets out of the box. */
function intFromEnv(name: string, fallback: number, min: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < min) {
    throw new Error(`${name} must be a number of at least ${min}; got "${raw}"`);
  }
  return Math.floor(n);
}

/**
 * TRUST_PROXY: which proxies in front of the server may say who the client is (X-Forwarded-For)
 * and whether it came over HTTPS (X-Forwarded-Proto). Express's `trust proxy` takes the same
 * values (https://expressjs.com/en/guide/behind-proxies.html):
 *  - unset, "0", "false": no proxy; the client is whoever opened the connection;
 *  - a number of hops ("1", "2"): that many proxies in front of the server are trusted, and the
 *    client is the address the outermost of them saw. "true" means one hop: it used to mean "trust
 *    any X-Forwarded-For", which let anyone choose their address (issue 16, finding 4);
 *  - addresses or subnets, comma-separated ("10.0.0.5, 10.1.0.0/16", "loopback"): only
 *    connections from those are trusted as proxies.
 */
export function parseTrustProxy(raw: string | undefined): false | number | string[] {
  const value = (raw ?? "").trim();
  if (value === "" || value === "0" || value.toLowerCase() === "false") return false;
  if (value.toLowerCase() === "true") return 1;
  if (/^\d+$/.test(value)) return Number(value);
  const list = value
    .split(",")
    .map((v) => v.trim())
    .filter(Boolean);
  if (!list.length) throw new Error(`TRUST_PROXY must be a number of proxy hops or a list of proxy addresses; got "${raw}"`);
  return list;
}

/** The most workers WORKERS may ask for: beyond this a typing slip, not a machine. */
export const MAX_WORKERS = 256;

/**
 * WORKERS: how many processes the production server (server.mjs) serves with, sharing nothing in
 * memory (every piece of state that outlives a request is in the database):
 *  - unset or "auto": one per core the process may use (`os.availableParallelism()`);
 *  - a whole number from 1 to 256; "1" serves in one process, with no primary (as before).
 * With more than one, the primary applies migrations and runs the background jobs (audit anchor,
 * schedule extension, planner statistics), then forks the workers, restarts any that dies, and on
 * SIGTERM drains them all. Read by server.mjs, which turns a bad value into a clear startup error.
 */
export function parseWorkers(raw: string | undefined, cores: number): number {
  const value = (raw ?? "").trim().toLowerCase();
  if (value === "" || value === "auto") return Math.max(1, Math.floor(cores));
  if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > MAX_WORKERS) {
    throw new Error(`WORKERS must be "auto" (one per core) or a whole number from 1 to ${MAX_WORKERS}; got "${raw}"`);
  }
  return Number(value);
}

/** COOKIE_SECURE: "1" always marks the session cookie Secure, "0" never does; unset decides per request. */
export function parseCookieSecure(raw: string | undefined): boolean | "auto" {
  const value = (raw ?? "").trim().toLowerCase();
  if (value === "") return "auto";
  if (value === "1" || value === "true") return true;
  if (value === "0" || value === "false") return false;
  throw new Error(`COOKIE_SECURE must be 1 or 0 (or unset); got "${raw}"`);
}

export const config = {
  /** Signed-in users who do nothing for this long are sent back to sign-in. */
  sessionIdleTimeoutSeconds: intFromEnv("SESSION_IDLE_TIMEOUT_SECONDS", 15 * 60, 2),
  /** However active, a session ends this long after sign-in. */
  sessionMaxAgeHours: intFromEnv("SESSION_MAX_AGE_HOURS", 12, 1),
  /** Failed sign-ins (per email) before the account is locked. */
  lockoutThreshold: intFromEnv("LOCKOUT_THRESHOLD", 5, 1),
  lockoutMinutes: intFromEnv("LOCKOUT_MINUTES", 15, 1),
  /** Failed sign-ins from one client address in the window before that address must wait. */
  ipFailureThreshold: intFromEnv("SIGN_IN_IP_THRESHOLD", 30, 1),
  /** Proxies trusted to name the client and the scheme (server.mjs gives this to Express). */
  trustProxy: parseTrustProxy(process.env.TRUST_PROXY),
  /** Whether the session cookie is marked Secure (see app/features/auth/cookie.server.ts). */
  cookieSecure: parseCookieSecure(process.env.COOKIE_SECURE),
  /** The largest request body accepted, in bytes (server.mjs refuses larger ones with 413). */
  maxBodyBytes: intFromEnv("MAX_BODY_BYTES", 1024 * 1024, 1024),
  /** The most fields a form may carry; the largest real form (the roll call of a full 60-patient group) has 242. */
  maxFormFields: intFromEnv("MAX_FORM_FIELDS", 5_000, 10),
  demo: process.env.DEMO === "1",
  production: process.env.NODE_ENV === "production",
};

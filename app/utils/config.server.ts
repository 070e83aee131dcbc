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
  /** Honour X-Forwarded-For (set when running behind a reverse proxy). */
  trustProxy: process.env.TRUST_PROXY === "1" || process.env.TRUST_PROXY === "true",
  demo: process.env.DEMO === "1",
  production: process.env.NODE_ENV === "production",
};

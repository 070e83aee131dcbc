import type { SecondFactorStage, Site, User } from "#db/schema";
import type { DB, Queryable } from "~/kernel/db";
import { config } from "~/utils/config.server";
import type { ClientMeta } from "~/utils/request.server";
import { generateSessionToken, hashSecret, parseSessionToken, secretMatches } from "./tokens.server";
import type { Role } from "./permissions";

export interface SessionUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  mustChangePassword: boolean;
  /** Named by an admin as someone who may break the glass (see emergency-access.server.ts). */
  emergencyAccess: boolean;
}

/** "done", or what a half-finished sign-in still owes: a code ("verify") or setting one up ("enrol"). */
export type { SecondFactorStage };

export interface ValidSession {
  sessionId: string;
  /** Anything but "done" keeps the session to the two-factor pages (see guard.server.ts). */
  secondFactor: SecondFactorStage;
  user: SessionUser;
  /** Sites the user works at, in name order. */
  sites: Pick<Site, "id" | "name" | "time_zone">[];
  /** The site the user is working at now; null only if they are assigned to none. */
  site: Pick<Site, "id" | "name" | "time_zone"> | null;
}

export type SessionCheck =
  { status: "valid"; session: ValidSession } | { status: "missing" | "invalid" } | { status: "timed-out" | "expired"; userId: string; userName: string };

export async function createSession(
  db: Queryable,
  user: Pick<User, "id">,
  siteId: string | null,
  meta: ClientMeta,
  now = new Date(),
  secondFactor: SecondFactorStage = "done",
): Promise<{ token: string; expiresAt: Date }> {
  const { id, secret, token } = generateSessionToken();
  const expiresAt = new Date(now.getTime() + config.sessionMaxAgeHours * 3600_000);
  await db
    .insertInto("user_sessions")
    .values({
      id,
      user_id: user.id,
      secret_hash: hashSecret(secret),
      site_id: siteId,
      created_at: now.toISOString(),
      last_active_at: now.toISOString(),
      expires_at: expiresAt.toISOString(),
      ip: meta.ip,
      user_agent: meta.userAgent,
      second_factor: secondFactor,
    })
    .execute();
  return { token, expiresAt };
}

/**
 * Checks a session token: the hash of its secret must match, the user must be active, and the
 * session must be neither idle past the time-out nor past its absolute lifetime. A session that
 * fails either time check is deleted.
 */
export async function validateSessionToken(db: DB, token: string | undefined, now = new Date()): Promise<SessionCheck> {
  if (!token) return { status: "missing" };
  const parsed = parseSessionToken(token);
  if (!parsed) return { status: "invalid" };
  const row = await db
    .selectFrom("user_sessions")
    .innerJoin("users", "users.id", "user_sessions.user_id")
    .select([
      "user_sessions.id as sessionId",
      "user_sessions.secret_hash",
      "user_sessions.site_id",
      "user_sessions.last_active_at",
      "user_sessions.expires_at",
      "user_sessions.second_factor",
      "users.id as userId",
      "users.email",
      "users.name",
      "users.role",
      "users.active",
      "users.must_change_password",
      "users.emergency_access",
    ])
    .where("user_sessions.id", "=", parsed.id)
    .executeTakeFirst();
  if (!row || !secretMatches(parsed.secret, row.secret_hash)) return { status: "invalid" };
  if (!row.active) {
    await db.deleteFrom("user_sessions").where("user_id", "=", row.userId).execute();
    return { status: "invalid" };
  }
  const idleMs = config.sessionIdleTimeoutSeconds * 1000;
  const lastActive = Date.parse(row.last_active_at);
  if (now.getTime() >= Date.parse(row.expires_at)) {
    await db.deleteFrom("user_sessions").where("id", "=", row.sessionId).execute();
    return { status: "expired", userId: row.userId, userName: row.name };
  }
  if (now.getTime() - lastActive > idleMs) {
    await db.deleteFrom("user_sessions").where("id", "=", row.sessionId).execute();
    return { status: "timed-out", userId: row.userId, userName: row.name };
  }
  // Refresh activity, but not on every request: a write per page view buys nothing.
  if (now.getTime() - lastActive > Math.min(30_000, idleMs / 4)) {
    await db.updateTable("user_sessions").set({ last_active_at: now.toISOString() }).where("id", "=", row.sessionId).execute();
  }
  const sites = await db
    .selectFrom("user_sites")
    .innerJoin("sites", "sites.id", "user_sites.site_id")
    .select(["sites.id", "sites.name", "sites.time_zone"])
    .where("user_sites.user_id", "=", row.userId)
    .orderBy("sites.name")
    .execute();
  const site = sites.find((s) => s.id === row.site_id) ?? sites[0] ?? null;
  return {
    status: "valid",
    session: {
      sessionId: row.sessionId,
      secondFactor: row.second_factor ?? "done",
      user: {
        id: row.userId,
        email: row.email,
        name: row.name,
        role: row.role,
        mustChangePassword: Boolean(row.must_change_password),
        emergencyAccess: Boolean(row.emergency_access),
      },
      sites,
      site,
    },
  };
}

export async function deleteSession(db: Queryable, sessionId: string): Promise<void> {
  await db.deleteFrom("user_sessions").where("id", "=", sessionId).execute();
}

/** Ends every session of a user, optionally keeping the one in use. Returns how many ended. */
export async function deleteUserSessions(db: Queryable, userId: string, exceptSessionId?: string): Promise<number> {
  let q = db.deleteFrom("user_sessions").where("user_id", "=", userId);
  if (exceptSessionId) q = q.where("id", "!=", exceptSessionId);
  const res = await q.executeTakeFirst();
  return Number(res.numDeletedRows);
}

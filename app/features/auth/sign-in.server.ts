import type { DB, Trx } from "~/kernel/db";
import { recordAudit } from "~/features/audit/audit.server";
import { config } from "~/utils/config.server";
import type { ClientMeta } from "~/utils/request.server";
import { verifyAgainstDecoy, verifyPassword } from "./password.server";
import { createSession, deleteSession, type SecondFactorStage, type ValidSession } from "./sessions.server";
import { type CodeCheck, checkAuthenticatorCode, requiresTwoFactor, twoFactorPolicy, useRecoveryCode } from "./two-factor.server";
import { clearFailures, emailKey, ipKey, lockedUntil, recordFailure } from "./throttle.server";

export const SIGN_IN_FAILED = "That email and password do not match an active account.";
export const SIGN_IN_LOCKED = `Too many failed attempts. Sign-in for this account is paused for ${config.lockoutMinutes} minutes; ask an admin if you need in sooner.`;
export const SIGN_IN_IP_LOCKED = "Too many failed sign-ins from this device. Wait a few minutes and try again.";

export type SignInResult =
  { ok: true; token: string; maxAgeSeconds: number; mustChangePassword: boolean; secondFactor: SecondFactorStage } | { ok: false; message: string };

/**
 * Signs a person in. Every outcome is audited; failures never say whether the email exists, and
 * take about as long either way.
 */
export async function signIn(db: DB, input: { email: string; password: string }, meta: ClientMeta): Promise<SignInResult> {
  const email = input.email.trim().toLowerCase();
  const now = new Date();
  const byEmail = emailKey(email);
  const byIp = meta.ip ? ipKey(meta.ip) : null;

  if ((await lockedUntil(db, byEmail, now)) !== null) {
    await recordAudit(db, { actor: null, action: "auth.sign_in_locked", outcome: "denied", detail: { email }, meta });
    return { ok: false, message: SIGN_IN_LOCKED };
  }
  if (byIp && (await lockedUntil(db, byIp, now)) !== null) {
    await recordAudit(db, { actor: null, action: "auth.sign_in_locked", outcome: "denied", detail: { email, by: "address" }, meta });
    return { ok: false, message: SIGN_IN_IP_LOCKED };
  }

  const user = await db.selectFrom("users").selectAll().where("email", "=", email).executeTakeFirst();
  const passwordOk = user ? await verifyPassword(user.password_hash, input.password) : await verifyAgainstDecoy(input.password);

  if (!user || !passwordOk || !user.active) {
    const reason = !user ? "unknown email" : !passwordOk ? "wrong password" : "account deactivated";
    return db.transaction().execute(async (trx) => {
      const locked = await recordFailure(trx, byEmail, config.lockoutThreshold, now);
      if (byIp) await recordFailure(trx, byIp, config.ipFailureThreshold, now);
      const actor = user ? { id: user.id, name: user.name } : null;
      await recordAudit(trx, {
        actor,
        action: "auth.sign_in_failed",
        outcome: "failure",
        entityType: "user",
        entityId: user?.id,
        detail: { email, reason },
        meta,
      });
      if (locked) {
        await recordAudit(trx, {
          actor,
          action: "auth.lockout",
          outcome: "denied",
          entityType: "user",
          entityId: user?.id,
          detail: { email, minutes: config.lockoutMinutes },
          meta,
        });
      }
      return { ok: false as const, message: SIGN_IN_FAILED };
    });
  }

  return db.transaction().execute(async (trx) => {
    await clearFailures(trx, byEmail);
    const site = await trx
      .selectFrom("user_sites")
      .innerJoin("sites", "sites.id", "user_sites.site_id")
      .select("sites.id")
      .where("user_sites.user_id", "=", user.id)
      .orderBy("sites.name")
      .executeTakeFirst();
    // With two-factor sign-in set up, or required by the program's policy, the password only
    // opens a session that can reach the two-factor pages; the full session comes after the code.
    const policy = await twoFactorPolicy(trx, user.id); // the strictest of the sites they work at
    const secondFactor: SecondFactorStage = user.totp_enabled_at ? "verify" : requiresTwoFactor(policy.value, user.role) ? "enrol" : "done";
    const { token } = await createSession(trx, user, site?.id ?? null, meta, now, secondFactor);
    const actor = { id: user.id, name: user.name };
    if (secondFactor === "done") {
      await trx.updateTable("users").set({ last_sign_in_at: now.toISOString() }).where("id", "=", user.id).execute();
      await recordAudit(trx, { actor, action: "auth.sign_in", entityType: "user", entityId: user.id, meta });
    } else {
      await recordAudit(trx, { actor, action: "auth.password_accepted", entityType: "user", entityId: user.id, detail: { secondFactor }, meta });
    }
    return {
      ok: true as const,
      token,
      maxAgeSeconds: config.sessionMaxAgeHours * 3600,
      mustChangePassword: Boolean(user.must_change_password),
      secondFactor,
    };
  });
}

export async function signOut(db: DB, session: { sessionId: string; user: { id: string; name: string } }, meta: ClientMeta): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await deleteSession(trx, session.sessionId);
    await recordAudit(trx, { actor: session.user, action: "auth.sign_out", entityType: "user", entityId: session.user.id, meta });
  });
}

/**
 * Finishes a sign-in that owed a second factor: the half-finished session is replaced by a new
 * one (a new token, so a token seen before this step is worth nothing after it).
 */
export async function completeSignIn(
  trx: Trx,
  pending: ValidSession,
  how: "authenticator" | "recovery_code" | "enrolled",
  meta: ClientMeta,
  now = new Date(),
): Promise<{ token: string; maxAgeSeconds: number }> {
  await deleteSession(trx, pending.sessionId);
  const { token } = await createSession(trx, pending.user, pending.site?.id ?? null, meta, now, "done");
  await trx.updateTable("users").set({ last_sign_in_at: now.toISOString() }).where("id", "=", pending.user.id).execute();
  await recordAudit(trx, { actor: pending.user, action: "auth.sign_in", entityType: "user", entityId: pending.user.id, detail: { secondFactor: how }, meta });
  return { token, maxAgeSeconds: config.sessionMaxAgeHours * 3600 };
}

/** The code step of a sign-in: a code from the app, or a recovery code. Locks end the half-finished session. */
export async function verifySecondFactor(
  db: DB,
  pending: ValidSession,
  input: { kind: "authenticator" | "recovery_code"; code: string },
  meta: ClientMeta,
  now = new Date(),
): Promise<{ ok: true; token: string; maxAgeSeconds: number } | (CodeCheck & { ok: false })> {
  return db.transaction().execute(async (trx) => {
    const check =
      input.kind === "authenticator"
        ? await checkAuthenticatorCode(trx, pending.user, input.code, meta, now)
        : await useRecoveryCode(trx, pending.user, input.code, meta, now);
    if (!check.ok) {
      if (check.locked) await deleteSession(trx, pending.sessionId);
      return check;
    }
    return { ok: true as const, ...(await completeSignIn(trx, pending, input.kind, meta, now)) };
  });
}

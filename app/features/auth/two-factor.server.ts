/**
 * Two-factor sign-in (ONC 170.315(d)(13)): a TOTP authenticator app (RFC 6238: SHA-1, 30-second
 * steps, six digits) with ten single-use recovery codes, and the program's policy of who must use
 * it. A code is accepted for the step before, the current step and the step after (clock drift),
 * and never twice: the step last accepted is stored and every later code must be for a newer one.
 */
import { createHash, randomBytes } from "node:crypto";
import { decodeBase32IgnorePadding, encodeBase32UpperCaseNoPadding, encodeHexLowerCase } from "@oslojs/encoding";
import { createTOTPKeyURI, verifyHOTP } from "@oslojs/otp";
import { sql } from "kysely";
import QRCode from "qrcode";
import type { DB, Trx, Queryable } from "~/kernel/db";
import type { Actor } from "~/kernel/actor";
import { recordAudit } from "~/features/audit/audit.server";
import { newId } from "~/utils/ids";
import { isSealed, KeyError, seal, unseal, writeKeys } from "~/utils/keys.server";
import type { ClientMeta } from "~/utils/request.server";
import type { Role } from "./permissions";
import { requiresTwoFactor } from "./security";
import { userTwoFactorPolicy } from "./two-factor-policy.server";

export { requiresTwoFactor };
import { clearFailures, lockedUntil, recordFailure } from "./throttle.server";

export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_DIGITS = 6;
export const RECOVERY_CODE_COUNT = 10;
/** Wrong codes in a row before the account's second factor is paused, as for passwords. */
export const SECOND_FACTOR_THRESHOLD = 5;
const ISSUER = "IOP Dashboard";

export const CODE_WRONG = "That code is not right. Check the six digits in your authenticator app and try again.";
export const CODE_USED = "That code has already been used. Wait for your app to show the next one.";
export const RECOVERY_WRONG = "That recovery code is not one of yours, or it has already been used.";
export const SECOND_FACTOR_LOCKED =
  "Too many wrong codes. Two-factor sign-in for this account is paused for a few minutes; ask an admin if you need in sooner.";

/** Who must use two-factor sign-in is set per site: see two-factor-policy.server.ts. */
export { userTwoFactorPolicy as twoFactorPolicy } from "./two-factor-policy.server";

/**
 * Authenticator keys at rest (ONC 170.315(d)(12)): sealed with AES-256-GCM under the TOTP key,
 * which lives outside the database (app/utils/keys.server.ts), and bound to the account, so a
 * copy of the database or a backup does not let anyone produce someone's codes, and a database
 * writer cannot move one person's key to another. Keys stored before this (plain base32) are
 * sealed when the server starts (sealStoredTotpSecrets) or, failing that, when next used.
 */
const boundTo = (userId: string) => `users.totp_secret:${userId}`;
const sealSecret = (userId: string, secret: string) => seal(writeKeys().totp, secret, boundTo(userId));
function openSecret(userId: string, stored: string): string {
  if (isSealed(stored)) return unseal(writeKeys().totp, stored, boundTo(userId));
  if (stored.startsWith("enc1:") || !/^[A-Z2-7]+=*$/.test(stored)) throw new KeyError("a stored authenticator key is damaged");
  return stored;
}

/**
 * Seals every authenticator key still stored in plain text, and re-seals those sealed with an
 * older TOTP key under the current one (key rotation); returns how many. Audited. A key that the
 * configured keys cannot open is left as it is (its owner is told when they next sign in).
 */
export async function sealStoredTotpSecrets(db: DB): Promise<number> {
  const keys = writeKeys().totp;
  const current = `enc1:${keys.current}:`;
  const rows = (await db.selectFrom("users").select(["id", "totp_secret"]).where("totp_secret", "is not", null).execute()).filter(
    (r) => !r.totp_secret!.startsWith(current),
  );
  if (rows.length === 0) return 0;
  return db.transaction().execute(async (trx) => {
    let sealed = 0;
    for (const r of rows) {
      let plain: string;
      try {
        plain = openSecret(r.id, r.totp_secret!);
      } catch (e) {
        if (e instanceof KeyError) continue;
        throw e;
      }
      const res = await trx
        .updateTable("users")
        .set({ totp_secret: sealSecret(r.id, plain) })
        .where("id", "=", r.id)
        .where("totp_secret", "=", r.totp_secret)
        .executeTakeFirst();
      sealed += Number(res.numUpdatedRows);
    }
    if (sealed) await recordAudit(trx, { actor: null, action: "security.totp_keys_encrypted", detail: { accounts: sealed, keyId: keys.current } });
    return sealed;
  });
}

/** The step a code is for, if it is one of the three steps around `now`; null otherwise. */
export function matchingStep(secret: string, code: string, now: Date): bigint | null {
  if (!/^\d{6}$/.test(code)) return null;
  const key = decodeBase32IgnorePadding(secret);
  const current = BigInt(Math.floor(now.getTime() / 1000 / TOTP_PERIOD_SECONDS));
  for (const step of [current - 1n, current, current + 1n]) {
    if (verifyHOTP(key, step, TOTP_DIGITS, code)) return step;
  }
  return null;
}

/** Keeps only digits and letters, lower-cased: how recovery codes are compared. */
export function normalizeRecoveryCode(code: string): string {
  return code.toLowerCase().replace(/[^a-z0-9]/g, "");
}

const hashCode = (code: string) => encodeHexLowerCase(createHash("sha256").update(normalizeRecoveryCode(code)).digest());

/** Ten codes of ten base32 characters (50 random bits each), shown as `abcde-fghij`. */
export function generateRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const s = encodeBase32UpperCaseNoPadding(randomBytes(10)).slice(0, 10).toLowerCase();
    return `${s.slice(0, 5)}-${s.slice(5)}`;
  });
}

export interface TwoFactorStatus {
  enabled: boolean;
  enabledAt: string | null;
  recoveryCodesLeft: number;
}

export async function twoFactorStatus(db: Queryable, userId: string): Promise<TwoFactorStatus> {
  const user = await db.selectFrom("users").select(["totp_enabled_at"]).where("id", "=", userId).executeTakeFirstOrThrow();
  const left = await db
    .selectFrom("recovery_codes")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("user_id", "=", userId)
    .where("used_at", "is", null)
    .executeTakeFirstOrThrow();
  return { enabled: Boolean(user.totp_enabled_at), enabledAt: user.totp_enabled_at, recoveryCodesLeft: Number(left.n) };
}

/**
 * A new key for someone setting up an authenticator app, with its `otpauth://` address and a QR
 * code of it. Nothing is stored until a code from it is confirmed, so showing the page writes
 * nothing; the key travels with the set-up form.
 */
export async function newEnrolmentKey(email: string): Promise<{ secret: string; uri: string; qr: string }> {
  return enrolmentKeyFor(email, encodeBase32UpperCaseNoPadding(randomBytes(20)));
}

/**
 * The same for a key already offered (a wrong code sent without JavaScript re-renders the page:
 * it must show the key the person's app already holds, not a new one).
 */
export async function enrolmentKeyFor(email: string, secret: string): Promise<{ secret: string; uri: string; qr: string }> {
  const uri = createTOTPKeyURI(ISSUER, email, decodeBase32IgnorePadding(secret), TOTP_PERIOD_SECONDS, TOTP_DIGITS);
  const qr = await QRCode.toDataURL(uri, { errorCorrectionLevel: "M", margin: 1, width: 220 });
  return { secret, uri, qr };
}

export const isEnrolmentKey = (secret: string) => /^[A-Z2-7]{32}$/.test(secret);

/** Accepts a code for a step newer than the last one accepted, in one statement so two requests cannot both use it. */
async function acceptStep(trx: Queryable, userId: string, step: bigint): Promise<boolean> {
  const result = await trx
    .updateTable("users")
    .set({ totp_last_counter: step.toString() })
    .where("id", "=", userId)
    .where((eb) => eb.or([eb("totp_last_counter", "is", null), eb("totp_last_counter", "<", step.toString())]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

async function replaceRecoveryCodes(trx: Queryable, userId: string, now: string): Promise<string[]> {
  const codes = generateRecoveryCodes();
  await trx.deleteFrom("recovery_codes").where("user_id", "=", userId).execute();
  await trx
    .insertInto("recovery_codes")
    .values(codes.map((c) => ({ id: newId(), user_id: userId, code_hash: hashCode(c), used_at: null, created_at: now })))
    .execute();
  return codes;
}

export type CodeCheck = { ok: true } | { ok: false; message: string; locked?: boolean };

const throttleKey = (userId: string) => `totp:${userId}`;

/** Counts a wrong code; the fifth in a row pauses the account's second factor. */
async function wrongCode(trx: Queryable, actor: Actor, action: string, message: string, meta: ClientMeta, now: Date): Promise<CodeCheck> {
  const locked = await recordFailure(trx, throttleKey(actor.id), SECOND_FACTOR_THRESHOLD, now);
  await recordAudit(trx, { actor, action, outcome: "failure", entityType: "user", entityId: actor.id, meta });
  if (locked) {
    await recordAudit(trx, { actor, action: "auth.second_factor_locked", outcome: "denied", entityType: "user", entityId: actor.id, meta });
    return { ok: false, message: SECOND_FACTOR_LOCKED, locked: true };
  }
  return { ok: false, message };
}

/**
 * Confirms set-up with a code from the key being set up: two-factor sign-in is on from here, and
 * the ten recovery codes are returned (to be shown once).
 */
export async function confirmEnrolment<T = undefined>(
  db: DB,
  actor: Actor,
  secret: string,
  code: string,
  meta: ClientMeta,
  now = new Date(),
  /** Runs in the same transaction once set-up succeeds (sign-in uses it to finish the sign-in). */
  then?: (trx: Trx) => Promise<T>,
): Promise<(CodeCheck & { ok: false }) | { ok: true; recoveryCodes: string[]; then: T | undefined }> {
  return db.transaction().execute(async (trx) => {
    if (await lockedUntil(trx, throttleKey(actor.id), now)) return { ok: false as const, message: SECOND_FACTOR_LOCKED, locked: true };
    const row = await trx.selectFrom("users").select(["totp_enabled_at"]).where("id", "=", actor.id).executeTakeFirstOrThrow();
    if (row.totp_enabled_at) return { ok: false as const, message: "Two-factor sign-in is already set up for this account." };
    if (!isEnrolmentKey(secret)) return { ok: false as const, message: "Start again: reload this page for a new key." };
    const step = matchingStep(secret, code.trim(), now);
    if (step === null) return (await wrongCode(trx, actor, "auth.two_factor_setup_failed", CODE_WRONG, meta, now)) as CodeCheck & { ok: false };
    const iso = now.toISOString();
    await trx
      .updateTable("users")
      .set({ totp_secret: sealSecret(actor.id, secret), totp_enabled_at: iso, totp_last_counter: step.toString(), updated_at: iso, version: sql`version + 1` })
      .where("id", "=", actor.id)
      .execute();
    const recoveryCodes = await replaceRecoveryCodes(trx, actor.id, iso);
    await clearFailures(trx, throttleKey(actor.id));
    await recordAudit(trx, {
      actor,
      action: "auth.two_factor_enabled",
      entityType: "user",
      entityId: actor.id,
      detail: { recoveryCodes: RECOVERY_CODE_COUNT },
      meta,
    });
    return { ok: true as const, recoveryCodes, then: then ? await then(trx) : undefined };
  });
}

/** Checks a code from the person's authenticator app, inside the caller's transaction. */
export async function checkAuthenticatorCode(trx: Queryable, actor: Actor, code: string, meta: ClientMeta, now = new Date()): Promise<CodeCheck> {
  if (await lockedUntil(trx, throttleKey(actor.id), now)) return { ok: false, message: SECOND_FACTOR_LOCKED, locked: true };
  const row = await trx.selectFrom("users").select(["totp_secret", "totp_enabled_at"]).where("id", "=", actor.id).executeTakeFirstOrThrow();
  if (!row.totp_secret || !row.totp_enabled_at) return { ok: false, message: "Two-factor sign-in is not set up for this account." };
  let secret: string;
  try {
    secret = openSecret(actor.id, row.totp_secret);
  } catch (e) {
    if (!(e instanceof KeyError)) throw e;
    await recordAudit(trx, { actor, action: "auth.second_factor_key_unreadable", outcome: "failure", entityType: "user", entityId: actor.id, meta });
    return {
      ok: false,
      message:
        "Your authenticator key cannot be read with this server's keys, so no code can be checked. Use a recovery code, or ask an admin to reset two-factor sign-in.",
    };
  }
  // A key stored before sealing began (or under an older TOTP key) is sealed anew on this use.
  if (!row.totp_secret.startsWith(`enc1:${writeKeys().totp.current}:`))
    await trx
      .updateTable("users")
      .set({ totp_secret: sealSecret(actor.id, secret) })
      .where("id", "=", actor.id)
      .execute();
  const step = matchingStep(secret, code.trim(), now);
  if (step === null) return wrongCode(trx, actor, "auth.second_factor_failed", CODE_WRONG, meta, now);
  if (!(await acceptStep(trx, actor.id, step))) {
    await recordAudit(trx, { actor, action: "auth.second_factor_replayed", outcome: "denied", entityType: "user", entityId: actor.id, meta });
    return { ok: false, message: CODE_USED };
  }
  await clearFailures(trx, throttleKey(actor.id));
  return { ok: true };
}

/** Spends one recovery code, inside the caller's transaction; a code works once only. */
export async function useRecoveryCode(trx: Queryable, actor: Actor, code: string, meta: ClientMeta, now = new Date()): Promise<CodeCheck> {
  if (await lockedUntil(trx, throttleKey(actor.id), now)) return { ok: false, message: SECOND_FACTOR_LOCKED, locked: true };
  const result = await trx
    .updateTable("recovery_codes")
    .set({ used_at: now.toISOString() })
    .where("user_id", "=", actor.id)
    .where("code_hash", "=", hashCode(code))
    .where("used_at", "is", null)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) return wrongCode(trx, actor, "auth.recovery_code_failed", RECOVERY_WRONG, meta, now);
  const left = await trx
    .selectFrom("recovery_codes")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("user_id", "=", actor.id)
    .where("used_at", "is", null)
    .executeTakeFirstOrThrow();
  await clearFailures(trx, throttleKey(actor.id));
  await recordAudit(trx, { actor, action: "auth.recovery_code_used", entityType: "user", entityId: actor.id, detail: { left: Number(left.n) }, meta });
  return { ok: true };
}

/** New recovery codes for the person, after a code from their app proves it is them. */
export async function regenerateRecoveryCodes(
  db: DB,
  actor: Actor,
  code: string,
  meta: ClientMeta,
  now = new Date(),
): Promise<(CodeCheck & { ok: false }) | { ok: true; recoveryCodes: string[] }> {
  return db.transaction().execute(async (trx) => {
    const check = await checkAuthenticatorCode(trx, actor, code, meta, now);
    if (!check.ok) return check;
    const recoveryCodes = await replaceRecoveryCodes(trx, actor.id, now.toISOString());
    await recordAudit(trx, { actor, action: "auth.recovery_codes_replaced", entityType: "user", entityId: actor.id, meta });
    return { ok: true as const, recoveryCodes };
  });
}

/** The person turns two-factor sign-in off (only where the policy does not require it), after a code. */
export async function turnOffTwoFactor(db: DB, actor: Actor & { role: Role }, code: string, meta: ClientMeta, now = new Date()): Promise<CodeCheck> {
  return db.transaction().execute(async (trx) => {
    const policy = await userTwoFactorPolicy(trx, actor.id);
    if (requiresTwoFactor(policy.value, actor.role))
      return { ok: false as const, message: "The program requires two-factor sign-in for your role, so it cannot be turned off." };
    const check = await checkAuthenticatorCode(trx, actor, code, meta, now);
    if (!check.ok) return check;
    await clearTwoFactor(trx, actor.id, now.toISOString());
    await recordAudit(trx, { actor, action: "auth.two_factor_disabled", entityType: "user", entityId: actor.id, meta });
    return { ok: true as const };
  });
}

async function clearTwoFactor(trx: Queryable, userId: string, now: string) {
  await trx
    .updateTable("users")
    .set({ totp_secret: null, totp_enabled_at: null, totp_last_counter: null, updated_at: now, version: sql`version + 1` })
    .where("id", "=", userId)
    .execute();
  await trx.deleteFrom("recovery_codes").where("user_id", "=", userId).execute();
  await clearFailures(trx, throttleKey(userId));
}

/**
 * An admin clears someone's second factor (a lost phone and no recovery codes): their sessions
 * end, and they set it up again at their next sign-in if the policy requires it.
 */
export async function resetTwoFactor(db: DB, actor: Actor, userId: string, meta: ClientMeta): Promise<{ ok: true } | { ok: false; message: string }> {
  return db.transaction().execute(async (trx) => {
    const user = await trx.selectFrom("users").select(["id", "name", "email", "totp_enabled_at", "totp_secret"]).where("id", "=", userId).executeTakeFirst();
    if (!user) return { ok: false as const, message: "There is no account with that id." };
    if (!user.totp_enabled_at && !user.totp_secret)
      return { ok: false as const, message: `${user.name} has not set up two-factor sign-in; there is nothing to reset.` };
    await clearTwoFactor(trx, userId, new Date().toISOString());
    const ended = await trx.deleteFrom("user_sessions").where("user_id", "=", userId).executeTakeFirst();
    await recordAudit(trx, {
      actor,
      action: "user.two_factor_reset",
      entityType: "user",
      entityId: userId,
      detail: { email: user.email, sessionsEnded: Number(ended.numDeletedRows) },
      meta,
    });
    return { ok: true as const };
  });
}

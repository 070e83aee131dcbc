/**
 * Two-factor sign-in on real databases: set-up, codes from the app within and outside the
 * 30-second window, replay, recovery codes used once, the lock after five wrong codes, the
 * program's policy, an admin's reset, and the audit trail each leaves. Codes are computed with
 * @oslojs/otp from the stored key at fixed instants, as an authenticator app would.
 */
import { randomBytes } from "node:crypto";
import { decodeBase32IgnorePadding } from "@oslojs/encoding";
import { generateHOTP } from "@oslojs/otp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyAuditChain } from "~/features/audit/audit.server";
import { validateSessionToken, type ValidSession } from "~/features/auth/sessions.server";
import { signIn, verifySecondFactor } from "~/features/auth/sign-in.server";
import {
  CODE_USED,
  CODE_WRONG,
  confirmEnrolment,
  newEnrolmentKey,
  RECOVERY_WRONG,
  regenerateRecoveryCodes,
  resetTwoFactor,
  SECOND_FACTOR_LOCKED,
  sealStoredTotpSecrets,
  turnOffTwoFactor,
  twoFactorPolicy,
  twoFactorStatus,
} from "~/features/auth/two-factor.server";
import { writeKeys } from "~/utils/keys.server";
import { setSiteTwoFactorPolicy as setPolicy, siteTwoFactorPolicy } from "~/features/auth/two-factor-policy.server";
import type { ClientMeta } from "~/utils/request.server";
import { createTestDatabase, dialects, type TestDatabase } from "../support/databases";
import { DEMO_PASSWORD, seed } from "../support/demo";

type Clinic = Awaited<ReturnType<typeof seed>>;

let address = 1;
const meta = (): ClientMeta => ({ ip: `192.0.2.${address++}`, userAgent: "vitest" });

/** The code an authenticator app shows at `at` for a base32 key, `offset` steps away. */
function codeAt(secret: string, at: Date, offset = 0): string {
  const step = BigInt(Math.floor(at.getTime() / 30_000) + offset);
  return generateHOTP(decodeBase32IgnorePadding(secret), step, 6);
}

describe.each(dialects)("two-factor sign-in on %s", (dialect) => {
  let t: TestDatabase;
  let clinic: Clinic;
  let admin: { id: string; name: string; email: string; role: "admin" };
  let counselor: { id: string; name: string; email: string; role: "counselor" };
  let secret = "";
  let recovery: string[] = [];
  let elenaKey = "";
  const T0 = new Date("2026-12-01T15:00:10.000Z");

  beforeAll(async () => {
    t = await createTestDatabase(dialect);
    clinic = await seed(t.db);
    const a = clinic.users["dana.whitfield"];
    const c = clinic.users["marcus.bell"];
    admin = { id: a.id, name: a.name, email: a.email, role: "admin" };
    counselor = { id: c.id, name: c.name, email: c.email, role: "counselor" };
  });
  afterAll(() => t?.destroy());

  const auditActions = async (userId: string) =>
    (await t.db.selectFrom("audit_events").select(["action", "outcome"]).where("entity_id", "=", userId).orderBy("seq").execute()).map(
      (r) => `${r.action}:${r.outcome}`,
    );

  /** Signs in with the password (now) and returns the half-finished session; codes are then checked at `_at`. */
  async function pendingSession(email: string, _at: Date): Promise<ValidSession> {
    const r = await signIn(t.db, { email, password: DEMO_PASSWORD }, meta());
    if (!r.ok) throw new Error(r.message);
    const check = await validateSessionToken(t.db, r.token);
    if (check.status !== "valid") throw new Error(check.status);
    return check.session;
  }

  it("requires admins, and only admins, to set it up by default", async () => {
    expect((await twoFactorPolicy(t.db, admin.id)).value).toBe("admins");
    const a = await signIn(t.db, { email: admin.email, password: DEMO_PASSWORD }, meta());
    const c = await signIn(t.db, { email: counselor.email, password: DEMO_PASSWORD }, meta());
    expect(a.ok && a.secondFactor).toBe("enrol");
    expect(c.ok && c.secondFactor).toBe("done");
    // The half-finished session is marked as such, and no sign-in is recorded for it yet.
    const check = await validateSessionToken(t.db, a.ok ? a.token : "");
    expect(check.status === "valid" && check.session.secondFactor).toBe("enrol");
    expect((await auditActions(admin.id)).slice(-1)).toEqual(["auth.password_accepted:success"]);
  });

  it("offers a new key on each visit and stores nothing until a code from it is confirmed; a wrong code turns nothing on", async () => {
    const first = await newEnrolmentKey(admin.email);
    const again = await newEnrolmentKey(admin.email);
    expect(again.secret).not.toBe(first.secret);
    expect(first.secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(first.uri).toContain("otpauth://totp/");
    expect(first.qr.startsWith("data:image/png;base64,")).toBe(true);
    expect(await t.db.selectFrom("users").select("totp_secret").where("id", "=", admin.id).executeTakeFirstOrThrow()).toEqual({ totp_secret: null });
    secret = first.secret;
    const wrong = await confirmEnrolment(t.db, admin, secret, codeAt(secret, T0, 5), meta(), T0);
    expect(wrong).toEqual({ ok: false, message: CODE_WRONG });
    // A code from another key does not turn this one on either.
    expect((await confirmEnrolment(t.db, admin, secret, codeAt(again.secret, T0, 3), meta(), T0)).ok).toBe(false);
    expect((await twoFactorStatus(t.db, admin.id)).enabled).toBe(false);
  });

  it("turns on with a code from the key and hands out ten distinct recovery codes, stored only as hashes", async () => {
    const r = await confirmEnrolment(t.db, admin, secret, codeAt(secret, T0), meta(), T0);
    if (!r.ok) throw new Error(r.message);
    recovery = r.recoveryCodes;
    expect(recovery).toHaveLength(10);
    expect(new Set(recovery).size).toBe(10);
    for (const c of recovery) expect(c).toMatch(/^[a-z2-7]{5}-[a-z2-7]{5}$/);
    const stored = await t.db.selectFrom("recovery_codes").select("code_hash").where("user_id", "=", admin.id).execute();
    expect(stored).toHaveLength(10);
    for (const s of stored) expect(recovery.map((c) => c.replace("-", ""))).not.toContain(s.code_hash);
    expect(await twoFactorStatus(t.db, admin.id)).toMatchObject({ enabled: true, recoveryCodesLeft: 10 });
    expect(await auditActions(admin.id)).toContain("auth.two_factor_enabled:success");
  });

  it("stores the authenticator key encrypted (AES-256-GCM under a key outside the database), never the key itself", async () => {
    const { totp_secret: stored } = await t.db.selectFrom("users").select("totp_secret").where("id", "=", admin.id).executeTakeFirstOrThrow();
    expect(stored).toMatch(/^enc1:[A-Za-z0-9_-]+:[A-Za-z0-9_-]{16}:[A-Za-z0-9_-]+$/);
    expect(stored).not.toContain(secret);
    expect(stored).not.toContain(Buffer.from(decodeBase32IgnorePadding(secret)).toString("base64url"));
    // The next test signs in with a code from this key: the sealed key still checks codes.
  });

  it("asks for a code at the next sign-in, and a right code opens a new session while the half-finished one dies", async () => {
    const at = new Date(T0.getTime() + 60_000);
    const pending = await pendingSession(admin.email, at);
    expect(pending.secondFactor).toBe("verify");
    const r = await verifySecondFactor(t.db, pending, { kind: "authenticator", code: codeAt(secret, at) }, meta(), at);
    if (!r.ok) throw new Error(r.message);
    // Validated at the same fixed instant the session was made (12 h sessions: the real clock is days past T0).
    const fresh = await validateSessionToken(t.db, r.token, at);
    expect(fresh.status === "valid" && fresh.session.secondFactor).toBe("done");
    expect(fresh.status === "valid" && fresh.session.sessionId).not.toBe(pending.sessionId);
    expect(await t.db.selectFrom("user_sessions").select("id").where("id", "=", pending.sessionId).executeTakeFirst()).toBeUndefined();
    expect((await auditActions(admin.id)).slice(-1)).toEqual(["auth.sign_in:success"]);
  });

  it("refuses the same code twice, a code two steps old, and accepts the next step's code (clock drift)", async () => {
    const at = new Date(T0.getTime() + 60_000);
    const replay = await verifySecondFactor(t.db, await pendingSession(admin.email, at), { kind: "authenticator", code: codeAt(secret, at) }, meta(), at);
    expect(replay).toEqual({ ok: false, message: CODE_USED });
    const later = new Date(T0.getTime() + 5 * 60_000);
    const stale = await verifySecondFactor(
      t.db,
      await pendingSession(admin.email, later),
      { kind: "authenticator", code: codeAt(secret, later, -2) },
      meta(),
      later,
    );
    expect(stale).toEqual({ ok: false, message: CODE_WRONG });
    const ahead = await verifySecondFactor(
      t.db,
      await pendingSession(admin.email, later),
      { kind: "authenticator", code: codeAt(secret, later, 1) },
      meta(),
      later,
    );
    expect(ahead.ok).toBe(true);
    // …and the step before the one just accepted is now spent too.
    const behind = await verifySecondFactor(
      t.db,
      await pendingSession(admin.email, later),
      { kind: "authenticator", code: codeAt(secret, later) },
      meta(),
      later,
    );
    expect(behind).toEqual({ ok: false, message: CODE_USED });
    expect(await auditActions(admin.id)).toContain("auth.second_factor_replayed:denied");
  });

  it("lets a recovery code in once, in any case and with or without its dash, and never again", async () => {
    const at = new Date(T0.getTime() + 10 * 60_000);
    const first = await verifySecondFactor(
      t.db,
      await pendingSession(admin.email, at),
      { kind: "recovery_code", code: recovery[0].toUpperCase().replace("-", " ") },
      meta(),
      at,
    );
    expect(first.ok).toBe(true);
    const twice = await verifySecondFactor(t.db, await pendingSession(admin.email, at), { kind: "recovery_code", code: recovery[0] }, meta(), at);
    expect(twice).toEqual({ ok: false, message: RECOVERY_WRONG });
    expect((await twoFactorStatus(t.db, admin.id)).recoveryCodesLeft).toBe(9);
    const used = await t.db
      .selectFrom("audit_events")
      .select("changes")
      .where("action", "=", "auth.recovery_code_used")
      .where("entity_id", "=", admin.id)
      .executeTakeFirstOrThrow();
    expect(JSON.parse(used.changes!).detail).toEqual({ left: 9 });
  });

  it("pauses the second factor after five wrong codes, ends the half-finished sign-in, and refuses even a right code meanwhile", async () => {
    // Half an hour on, so the spent recovery code tried above has left the 15-minute failure window.
    const at = new Date(T0.getTime() + 30 * 60_000);
    let pending = await pendingSession(admin.email, at);
    const results = [];
    for (let i = 0; i < 5; i++)
      results.push(await verifySecondFactor(t.db, pending, { kind: "authenticator", code: "000000" === codeAt(secret, at) ? "111111" : "000000" }, meta(), at));
    expect(results.slice(0, 4).every((r) => !r.ok && r.message === CODE_WRONG)).toBe(true);
    expect(results[4]).toEqual({ ok: false, message: SECOND_FACTOR_LOCKED, locked: true });
    expect(await t.db.selectFrom("user_sessions").select("id").where("id", "=", pending.sessionId).executeTakeFirst()).toBeUndefined();
    pending = await pendingSession(admin.email, at);
    expect(await verifySecondFactor(t.db, pending, { kind: "authenticator", code: codeAt(secret, at, 1) }, meta(), at)).toMatchObject({
      ok: false,
      message: SECOND_FACTOR_LOCKED,
    });
    expect(await verifySecondFactor(t.db, pending, { kind: "recovery_code", code: recovery[1] }, meta(), at)).toMatchObject({
      ok: false,
      message: SECOND_FACTOR_LOCKED,
    });
    // After the pause (the sign-in lockout's length) the right code works again.
    const after = new Date(at.getTime() + 16 * 60_000);
    const ok = await verifySecondFactor(t.db, await pendingSession(admin.email, after), { kind: "authenticator", code: codeAt(secret, after) }, meta(), after);
    expect(ok.ok).toBe(true);
    expect(await auditActions(admin.id)).toContain("auth.second_factor_locked:denied");
  });

  it("replaces the recovery codes after a code from the app, and the old ones stop working", async () => {
    const at = new Date(T0.getTime() + 50 * 60_000);
    const r = await regenerateRecoveryCodes(t.db, admin, codeAt(secret, at), meta(), at);
    if (!r.ok) throw new Error(r.message);
    const later = new Date(at.getTime() + 60_000);
    expect(await verifySecondFactor(t.db, await pendingSession(admin.email, later), { kind: "recovery_code", code: recovery[2] }, meta(), later)).toEqual({
      ok: false,
      message: RECOVERY_WRONG,
    });
    expect(
      (await verifySecondFactor(t.db, await pendingSession(admin.email, later), { kind: "recovery_code", code: r.recoveryCodes[0] }, meta(), later)).ok,
    ).toBe(true);
  });

  it("will not let an admin turn it off while the policy requires it; a counselor may turn theirs off", async () => {
    const at = new Date(T0.getTime() + 55 * 60_000);
    const refused = await turnOffTwoFactor(t.db, admin, codeAt(secret, at), meta(), at);
    expect(refused.ok).toBe(false);
    expect((await twoFactorStatus(t.db, admin.id)).enabled).toBe(true);

    const key = await newEnrolmentKey(counselor.email);
    const on = await confirmEnrolment(t.db, counselor, key.secret, codeAt(key.secret, at), meta(), at);
    expect(on.ok).toBe(true);
    const next = new Date(at.getTime() + 30_000);
    expect(await turnOffTwoFactor(t.db, counselor, codeAt(key.secret, next), meta(), next)).toEqual({ ok: true });
    expect(await twoFactorStatus(t.db, counselor.id)).toEqual({ enabled: false, enabledAt: null, recoveryCodesLeft: 0 });
  });

  it("applies the policy an admin chooses: everyone, then nobody; a stale form is refused", async () => {
    // The policy is the site's own (issue 16, 7d); the clinic's one site sets it here.
    const setTwoFactorPolicy = (a: typeof admin, value: "everyone" | "none" | "admins", version: number, m: ClientMeta) =>
      setPolicy(t.db, a, clinic.siteId, value, version, m);
    const policy = await siteTwoFactorPolicy(t.db, clinic.siteId);
    expect(await setTwoFactorPolicy(admin, "everyone", policy.version, meta())).toEqual({ ok: true });
    const c = await signIn(t.db, { email: counselor.email, password: DEMO_PASSWORD }, meta());
    expect(c.ok && c.secondFactor).toBe("enrol");
    const stale = await setTwoFactorPolicy(admin, "none", policy.version, meta());
    expect(stale.ok).toBe(false);
    expect(await setTwoFactorPolicy(admin, "none", policy.version + 1, meta())).toEqual({ ok: true });
    const c2 = await signIn(t.db, { email: counselor.email, password: DEMO_PASSWORD }, meta());
    expect(c2.ok && c2.secondFactor).toBe("done");
    // Someone who set it up is still asked for a code whatever the policy says.
    const a = await signIn(t.db, { email: admin.email, password: DEMO_PASSWORD }, meta());
    expect(a.ok && a.secondFactor).toBe("verify");
    const changed = await t.db.selectFrom("audit_events").select("changes").where("action", "=", "settings.two_factor_policy_changed").orderBy("seq").execute();
    expect(changed.map((r) => JSON.parse(r.changes!).after.value)).toEqual(["everyone", "none"]);
    await setTwoFactorPolicy(admin, "admins", policy.version + 2, meta());
  });

  it("lets an admin reset someone's second factor: it is cleared, their sessions end, and it is audited", async () => {
    const other = clinic.users["priya.raman"];
    const at = new Date(T0.getTime() + 70 * 60_000);
    const key = await newEnrolmentKey(other.email);
    expect((await confirmEnrolment(t.db, other, key.secret, codeAt(key.secret, at), meta(), at)).ok).toBe(true);
    await signIn(t.db, { email: other.email, password: DEMO_PASSWORD }, meta());
    expect(await resetTwoFactor(t.db, admin, other.id, meta())).toEqual({ ok: true });
    expect(await twoFactorStatus(t.db, other.id)).toEqual({ enabled: false, enabledAt: null, recoveryCodesLeft: 0 });
    expect(await t.db.selectFrom("user_sessions").select("id").where("user_id", "=", other.id).execute()).toEqual([]);
    const row = await t.db.selectFrom("users").select(["totp_secret", "totp_last_counter"]).where("id", "=", other.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ totp_secret: null, totp_last_counter: null });
    const audit = await t.db.selectFrom("audit_events").select(["user_id", "changes"]).where("action", "=", "user.two_factor_reset").executeTakeFirstOrThrow();
    expect(audit.user_id).toBe(admin.id);
    expect(JSON.parse(audit.changes!).detail).toMatchObject({ email: other.email, sessionsEnded: 1 });
    // Nothing left to reset is said plainly.
    expect((await resetTwoFactor(t.db, admin, other.id, meta())).ok).toBe(false);
  });

  it("encrypts a key stored in plain text before encryption began, and codes from it still work; a key moved to another account does not open", async () => {
    const other = clinic.users["elena.ortiz"];
    const at = new Date(T0.getTime() + 90 * 60_000);
    const plain = (await newEnrolmentKey(other.email)).secret;
    elenaKey = plain;
    await t.db.updateTable("users").set({ totp_secret: plain, totp_enabled_at: at.toISOString() }).where("id", "=", other.id).execute();
    expect(await sealStoredTotpSecrets(t.db)).toBe(1);
    const { totp_secret: stored } = await t.db.selectFrom("users").select("totp_secret").where("id", "=", other.id).executeTakeFirstOrThrow();
    expect(stored).toMatch(/^enc1:/);
    expect(stored).not.toContain(plain);
    expect(await sealStoredTotpSecrets(t.db)).toBe(0);
    const audit = await t.db.selectFrom("audit_events").select("changes").where("action", "=", "security.totp_keys_encrypted").executeTakeFirstOrThrow();
    expect(JSON.parse(audit.changes!).detail).toMatchObject({ accounts: 1 });
    const pending = await pendingSession(other.email, at);
    const ok = await verifySecondFactor(t.db, pending, { kind: "authenticator", code: codeAt(plain, at) }, meta(), at);
    expect(ok.ok).toBe(true);
    // A database writer copying this sealed key onto the admin's row gets nothing: it is bound to its account.
    const { totp_secret: adminKey } = await t.db.selectFrom("users").select("totp_secret").where("id", "=", admin.id).executeTakeFirstOrThrow();
    await t.db.updateTable("users").set({ totp_secret: stored }).where("id", "=", admin.id).execute();
    const moved = await verifySecondFactor(t.db, await pendingSession(admin.email, at), { kind: "authenticator", code: codeAt(plain, at, 1) }, meta(), at);
    expect(moved.ok).toBe(false);
    if (!moved.ok) expect(moved.message).toMatch(/cannot be read/);
    await t.db.updateTable("users").set({ totp_secret: adminKey }).where("id", "=", admin.id).execute();
  });

  it("rotates the TOTP key: stored keys are re-encrypted under the new key at start, and codes still work", async () => {
    const other = clinic.users["elena.ortiz"];
    const at = new Date(T0.getTime() + 95 * 60_000);
    const old = writeKeys().totp;
    const saved = process.env.TOTP_ENCRYPTION_KEYS;
    try {
      process.env.TOTP_ENCRYPTION_KEYS = `totp-rotated:${randomBytes(32).toString("base64")},${old.current}:${old.keys.get(old.current)!.toString("base64")}`;
      const enabled = await t.db.selectFrom("users").select("id").where("totp_secret", "is not", null).execute();
      expect(await sealStoredTotpSecrets(t.db)).toBe(enabled.length);
      const stored = await t.db.selectFrom("users").select("totp_secret").where("totp_secret", "is not", null).execute();
      for (const r of stored) expect(r.totp_secret).toMatch(/^enc1:totp-rotated:/);
      // One audit event for the plain-text sealing earlier, one for this re-encryption.
      const events = await t.db.selectFrom("audit_events").select("id").where("action", "=", "security.totp_keys_encrypted").execute();
      expect(events).toHaveLength(2);
      const ok = await verifySecondFactor(t.db, await pendingSession(other.email, at), { kind: "authenticator", code: codeAt(elenaKey, at) }, meta(), at);
      expect(ok.ok).toBe(true);
    } finally {
      if (saved === undefined) delete process.env.TOTP_ENCRYPTION_KEYS;
      else process.env.TOTP_ENCRYPTION_KEYS = saved;
    }
  });

  it("keeps the audit chain whole through all of it", async () => {
    expect(await verifyAuditChain(t.db)).toMatchObject({ ok: true });
  });
});

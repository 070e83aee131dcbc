import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { verifyAuditChain } from "~/features/audit/audit.server";
import { createSession, validateSessionToken } from "~/features/auth/sessions.server";
import { SIGN_IN_FAILED, SIGN_IN_IP_LOCKED, SIGN_IN_LOCKED, signIn } from "~/features/auth/sign-in.server";
import { generateSessionToken, parseSessionToken } from "~/features/auth/tokens.server";
import { config } from "~/utils/config.server";
import type { ClientMeta } from "~/utils/request.server";
import { createTestDatabase, dialects, type TestDatabase } from "../support/databases";
import { DEMO_PASSWORD, seed } from "../support/demo";

type Clinic = Awaited<ReturnType<typeof seed>>;

const SECOND = 1000;
const MINUTE = 60 * SECOND;

/** Each test signs in from its own address, so per-address throttling never leaks between tests. */
let nextAddress = 1;
const fromNewAddress = (): ClientMeta => {
  const n = nextAddress++;
  return { ip: `198.51.${100 + Math.floor(n / 250)}.${(n % 250) + 1}`, userAgent: "vitest" };
};

describe.each(dialects)("signing in on %s", (dialect) => {
  let t: TestDatabase;
  let clinic: Clinic;
  beforeAll(async () => {
    t = await createTestDatabase(dialect);
    clinic = await seed(t.db);
  });
  afterAll(() => t?.destroy());
  afterEach(() => {
    vi.useRealTimers();
  });

  async function lastSeq(): Promise<number> {
    const row = await t.db
      .selectFrom("audit_events")
      .select((eb) => eb.fn.max("seq").as("m"))
      .executeTakeFirstOrThrow();
    return Number(row.m ?? 0);
  }

  async function auditSince(seq: number) {
    const rows = await t.db
      .selectFrom("audit_events")
      .select(["action", "outcome", "user_id", "entity_id", "changes", "ip"])
      .where("seq", ">", seq)
      .orderBy("seq")
      .execute();
    return rows.map((r) => ({ ...r, changes: r.changes ? (JSON.parse(r.changes) as { detail?: Record<string, unknown> }) : null }));
  }

  it("signs in with the right password and opens a session that validates", async () => {
    // A counselor: the password alone completes sign-in (admins owe a second factor; see two-factor.test.ts).
    const marcus = clinic.users["marcus.bell"];
    const since = await lastSeq();
    const result = await signIn(t.db, { email: marcus.email, password: DEMO_PASSWORD }, fromNewAddress());
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.mustChangePassword).toBe(false);
    expect(result.secondFactor).toBe("done");
    expect(result.maxAgeSeconds).toBe(config.sessionMaxAgeHours * 3600);

    const check = await validateSessionToken(t.db, result.token);
    expect(check.status).toBe("valid");
    if (check.status !== "valid") return;
    expect(check.session.user).toMatchObject({ id: marcus.id, email: marcus.email, name: "Marcus Bell", role: "counselor" });
    expect(check.session.site?.id).toBe(clinic.siteId);
    expect(check.session.site?.time_zone).toBe("America/New_York");

    const events = await auditSince(since);
    expect(events.map((e) => e.action)).toEqual(["auth.sign_in"]);
    expect(events[0]).toMatchObject({ outcome: "success", user_id: marcus.id, entity_id: marcus.id });

    const user = await t.db.selectFrom("users").select("last_sign_in_at").where("id", "=", marcus.id).executeTakeFirstOrThrow();
    expect(user.last_sign_in_at).not.toBeNull();
  });

  it("accepts the email in any case and with stray spaces", async () => {
    const result = await signIn(t.db, { email: "  Marcus.Bell@HarborLight.Example ", password: DEMO_PASSWORD }, fromNewAddress());
    expect(result.ok).toBe(true);
  });

  it("stores only the hash of the session secret", async () => {
    const result = await signIn(t.db, { email: clinic.users["priya.raman"].email, password: DEMO_PASSWORD }, fromNewAddress());
    if (!result.ok) throw new Error("sign-in failed");
    const { id, secret } = parseSessionToken(result.token)!;
    const row = await t.db.selectFrom("user_sessions").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
    expect(row.secret_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(row)).not.toContain(secret);
  });

  it("gives a wrong password and an unknown email the identical answer", async () => {
    const since = await lastSeq();
    const wrong = await signIn(t.db, { email: clinic.users["elena.ortiz"].email, password: "not the password at all" }, fromNewAddress());
    const unknown = await signIn(t.db, { email: "nobody@harborlight.example", password: DEMO_PASSWORD }, fromNewAddress());
    expect(wrong).toEqual({ ok: false, message: SIGN_IN_FAILED });
    expect(unknown).toEqual(wrong);

    const events = await auditSince(since);
    expect(events.map((e) => [e.action, e.outcome])).toEqual([
      ["auth.sign_in_failed", "failure"],
      ["auth.sign_in_failed", "failure"],
    ]);
    expect(events[0]).toMatchObject({ user_id: clinic.users["elena.ortiz"].id });
    expect(events[0].changes?.detail).toMatchObject({ reason: "wrong password" });
    expect(events[1]).toMatchObject({ user_id: null });
    expect(events[1].changes?.detail).toMatchObject({ email: "nobody@harborlight.example", reason: "unknown email" });
  });

  it("does not write the attempted password into the audit log", async () => {
    const since = await lastSeq();
    const attempted = "Sup3r-secret-typo-attempt";
    await signIn(t.db, { email: clinic.users["elena.ortiz"].email, password: attempted }, fromNewAddress());
    const raw = await t.db.selectFrom("audit_events").selectAll().where("seq", ">", since).execute();
    // The failed attempt is in the log (so there is something to search), without what was typed.
    expect(raw.map((e) => [e.action, e.user_id])).toEqual([["auth.sign_in_failed", clinic.users["elena.ortiz"].id]]);
    expect(raw[0].changes).toContain("wrong password");
    expect(JSON.stringify(raw)).not.toContain(attempted);
  });

  it(`locks an account after ${config.lockoutThreshold} failures, even against the right password`, async () => {
    const tom = clinic.users["tom.kowalski"];
    const since = await lastSeq();
    for (let i = 0; i < config.lockoutThreshold; i++) {
      // From a different address each time: the lock is per account, not per device.
      const r = await signIn(t.db, { email: tom.email, password: `wrong guess number ${i}` }, fromNewAddress());
      expect(r).toEqual({ ok: false, message: SIGN_IN_FAILED });
    }
    const locked = await signIn(t.db, { email: tom.email, password: DEMO_PASSWORD }, fromNewAddress());
    expect(locked).toEqual({ ok: false, message: SIGN_IN_LOCKED });
    expect(SIGN_IN_LOCKED).toContain(`${config.lockoutMinutes} minutes`);

    const actions = (await auditSince(since)).map((e) => e.action);
    expect(actions).toEqual([...Array(config.lockoutThreshold).fill("auth.sign_in_failed"), "auth.lockout", "auth.sign_in_locked"]);
    const sessions = await t.db.selectFrom("user_sessions").select("id").where("user_id", "=", tom.id).execute();
    expect(sessions).toHaveLength(0);
  });

  it(`lets the person back in once the ${config.lockoutMinutes} minutes have passed`, async () => {
    const aisha = clinic.users["aisha.grant"];
    const start = Date.now();
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(start);
    for (let i = 0; i < config.lockoutThreshold; i++) {
      await signIn(t.db, { email: aisha.email, password: `wrong guess number ${i}` }, fromNewAddress());
    }
    vi.setSystemTime(start + config.lockoutMinutes * MINUTE - SECOND);
    expect(await signIn(t.db, { email: aisha.email, password: DEMO_PASSWORD }, fromNewAddress())).toEqual({ ok: false, message: SIGN_IN_LOCKED });
    vi.setSystemTime(start + config.lockoutMinutes * MINUTE + SECOND);
    const result = await signIn(t.db, { email: aisha.email, password: DEMO_PASSWORD }, fromNewAddress());
    expect(result.ok).toBe(true);
    // A success clears the count: one more slip does not lock the account again.
    vi.useRealTimers();
    expect(await signIn(t.db, { email: aisha.email, password: "one more slip of the finger" }, fromNewAddress())).toEqual({
      ok: false,
      message: SIGN_IN_FAILED,
    });
    expect((await signIn(t.db, { email: aisha.email, password: DEMO_PASSWORD }, fromNewAddress())).ok).toBe(true);
  });

  it("also 'locks' an unknown email after the same number of failures, revealing nothing", async () => {
    const ghost = "ghost.person@harborlight.example";
    const since = await lastSeq();
    for (let i = 0; i < config.lockoutThreshold; i++) {
      expect(await signIn(t.db, { email: ghost, password: `guess ${i} for a ghost` }, fromNewAddress())).toEqual({ ok: false, message: SIGN_IN_FAILED });
    }
    expect(await signIn(t.db, { email: ghost, password: DEMO_PASSWORD }, fromNewAddress())).toEqual({ ok: false, message: SIGN_IN_LOCKED });
    const actions = (await auditSince(since)).map((e) => e.action);
    expect(actions.slice(-2)).toEqual(["auth.lockout", "auth.sign_in_locked"]);
  });

  it("refuses a deactivated account with the same message as a wrong password", async () => {
    const before = await signIn(t.db, { email: clinic.users["marcus.bell"].email, password: DEMO_PASSWORD }, fromNewAddress());
    expect(before.ok).toBe(true);
    await t.db.updateTable("users").set({ active: 0 }).where("id", "=", clinic.users["marcus.bell"].id).execute();
    try {
      const since = await lastSeq();
      const result = await signIn(t.db, { email: clinic.users["marcus.bell"].email, password: DEMO_PASSWORD }, fromNewAddress());
      expect(result).toEqual({ ok: false, message: SIGN_IN_FAILED });
      const events = await auditSince(since);
      expect(events.map((e) => e.action)).toEqual(["auth.sign_in_failed"]);
      expect(events[0].changes?.detail).toMatchObject({ reason: "account deactivated" });
      // A session opened before deactivation no longer works either.
      if (before.ok) expect((await validateSessionToken(t.db, before.token)).status).toBe("invalid");
    } finally {
      await t.db.updateTable("users").set({ active: 1 }).where("id", "=", clinic.users["marcus.bell"].id).execute();
    }
  });

  it(`pauses one address after ${config.ipFailureThreshold} failures across many emails, without touching other addresses`, async () => {
    const device: ClientMeta = { ip: "192.0.2.250", userAgent: "vitest" };
    for (let i = 0; i < config.ipFailureThreshold; i++) {
      const r = await signIn(t.db, { email: `sprayed-${i}@harborlight.example`, password: "Summer2026!!" }, device);
      expect(r).toEqual({ ok: false, message: SIGN_IN_FAILED });
    }
    const dana = clinic.users["dana.whitfield"];
    expect(await signIn(t.db, { email: dana.email, password: DEMO_PASSWORD }, device)).toEqual({ ok: false, message: SIGN_IN_IP_LOCKED });
    expect((await signIn(t.db, { email: dana.email, password: DEMO_PASSWORD }, fromNewAddress())).ok).toBe(true);
  });

  it("treats a forged token (real session id, wrong secret) as invalid and leaves the real session alone", async () => {
    const result = await signIn(t.db, { email: clinic.users["priya.raman"].email, password: DEMO_PASSWORD }, fromNewAddress());
    if (!result.ok) throw new Error("sign-in failed");
    const { id } = parseSessionToken(result.token)!;
    const forged = `${id}.${generateSessionToken().secret}`;
    expect(await validateSessionToken(t.db, forged)).toEqual({ status: "invalid" });
    expect((await validateSessionToken(t.db, result.token)).status).toBe("valid");
  });

  it("treats missing, malformed and unknown tokens as such", async () => {
    expect(await validateSessionToken(t.db, undefined)).toEqual({ status: "missing" });
    expect(await validateSessionToken(t.db, "")).toEqual({ status: "missing" });
    expect(await validateSessionToken(t.db, "garbage")).toEqual({ status: "invalid" });
    expect(await validateSessionToken(t.db, generateSessionToken().token)).toEqual({ status: "invalid" });
  });

  describe("session lifetime", () => {
    const idle = config.sessionIdleTimeoutSeconds * SECOND;
    const maxAge = config.sessionMaxAgeHours * 3600 * SECOND;

    async function freshSession(at: Date) {
      const priya = clinic.users["priya.raman"];
      const { token } = await createSession(t.db, { id: priya.id }, clinic.siteId, fromNewAddress(), at);
      return { token, priya };
    }

    it(`keeps a session alive up to ${config.sessionIdleTimeoutSeconds} seconds of inactivity`, async () => {
      const start = new Date("2026-11-27T14:00:00.000Z");
      const { token } = await freshSession(start);
      expect((await validateSessionToken(t.db, token, new Date(start.getTime() + idle))).status).toBe("valid");
    });

    it("times out a session idle for longer than the time-out, and forgets it", async () => {
      const start = new Date("2026-11-27T14:00:00.000Z");
      const { token, priya } = await freshSession(start);
      const late = new Date(start.getTime() + idle + SECOND);
      expect(await validateSessionToken(t.db, token, late)).toEqual({ status: "timed-out", userId: priya.id, userName: priya.name });
      // Deleted: even a request from before the time-out cannot revive it.
      expect(await validateSessionToken(t.db, token, start)).toEqual({ status: "invalid" });
    });

    it("counts idle time from the last request, not from sign-in", async () => {
      const start = new Date("2026-11-27T14:00:00.000Z");
      const { token } = await freshSession(start);
      let now = start.getTime();
      for (let i = 0; i < 4; i++) {
        now += idle - 10 * SECOND;
        expect((await validateSessionToken(t.db, token, new Date(now))).status).toBe("valid");
      }
      expect(now - start.getTime()).toBeGreaterThan(idle * 3);
      expect((await validateSessionToken(t.db, token, new Date(now + idle + SECOND))).status).toBe("timed-out");
    });

    it(`ends a session ${config.sessionMaxAgeHours} hours after sign-in however active it is`, async () => {
      const start = new Date("2026-11-27T08:00:00.000Z");
      const { token, priya } = await freshSession(start);
      const step = Math.min(idle / 2, 10 * MINUTE);
      let now = start.getTime();
      while (now + step < start.getTime() + maxAge) {
        now += step;
        expect((await validateSessionToken(t.db, token, new Date(now))).status).toBe("valid");
      }
      const end = new Date(start.getTime() + maxAge);
      expect(await validateSessionToken(t.db, token, end)).toEqual({ status: "expired", userId: priya.id, userName: priya.name });
      expect(await validateSessionToken(t.db, token, end)).toEqual({ status: "invalid" });
    });
  });

  it("leaves the audit chain intact after all of the above", async () => {
    const verdict = await verifyAuditChain(t.db);
    expect(verdict.ok).toBe(true);
  });
});

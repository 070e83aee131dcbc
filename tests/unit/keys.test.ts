/**
 * Secrets at rest (app/utils/keys.server.ts): AES-256-GCM sealing of authenticator keys, and the
 * key settings an operator types. What a database writer would try: flip a byte, move a sealed
 * value to another account, or present it to a server holding other keys.
 */
import { randomBytes } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { KeyError, type KeySet, isSealed, readAuditKeys, seal, unseal, writeKeys } from "~/utils/keys.server";

const set = (id: string, key = randomBytes(32)): KeySet => ({ current: id, keys: new Map([[id, key]]), source: "test" });
const saved = { ...process.env };
afterEach(() => {
  for (const k of ["AUDIT_HMAC_KEYS", "TOTP_ENCRYPTION_KEYS"]) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
});

describe("sealed secrets", () => {
  const keys = set("totp-1");
  const secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";

  it("round-trips, never shows the secret, and differs every time (fresh nonce)", () => {
    const a = seal(keys, secret, "user-a");
    const b = seal(keys, secret, "user-a");
    expect(isSealed(a)).toBe(true);
    expect(a).not.toContain(secret);
    expect(a).not.toBe(b);
    expect(unseal(keys, a, "user-a")).toBe(secret);
  });

  it("refuses a changed value, a value moved to another account, and the wrong key", () => {
    const a = seal(keys, secret, "user-a");
    const last = a.at(-1) === "A" ? "B" : "A";
    expect(() => unseal(keys, `${a.slice(0, -1)}${last}`, "user-a")).toThrow(KeyError);
    expect(() => unseal(keys, a, "user-b")).toThrow(/does not open/);
    expect(() => unseal(set("totp-1"), a, "user-a")).toThrow(/wrong key/);
    expect(() => unseal(set("totp-2"), a, "user-a")).toThrow(/sealed with key "totp-1"/);
  });
});

describe("key settings", () => {
  it("reads keys from the environment, first one current, older ones kept for reading", () => {
    const k1 = randomBytes(32).toString("base64");
    const k2 = randomBytes(32).toString("base64");
    process.env.AUDIT_HMAC_KEYS = `audit-2:${k2}, audit-1:${k1}`;
    process.env.TOTP_ENCRYPTION_KEYS = `totp-9:${k1}`;
    const ring = writeKeys();
    expect(ring.audit.current).toBe("audit-2");
    expect([...ring.audit.keys.keys()]).toEqual(["audit-2", "audit-1"]);
    expect(ring.audit.source).toBe("AUDIT_HMAC_KEYS");
    expect(readAuditKeys()?.current).toBe("audit-2");
  });

  it("says clearly what is wrong with a key setting", () => {
    process.env.TOTP_ENCRYPTION_KEYS = `totp-1:${randomBytes(32).toString("base64")}`;
    process.env.AUDIT_HMAC_KEYS = "audit-1:short";
    expect(() => writeKeys()).toThrow(/must be 32 random bytes in base64/);
    process.env.AUDIT_HMAC_KEYS = randomBytes(32).toString("base64");
    expect(() => writeKeys()).toThrow(/id:base64key/);
    process.env.AUDIT_HMAC_KEYS = `bad id:${randomBytes(32).toString("base64")}`;
    expect(() => writeKeys()).toThrow(/key id "bad id"/);
  });
});

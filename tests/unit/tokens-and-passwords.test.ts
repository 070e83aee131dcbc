import { describe, expect, it } from "vitest";
import { hashPassword, passwordProblem, verifyPassword } from "~/features/auth/password.server";
import { generateSessionToken, hashSecret, parseSessionToken, secretMatches } from "~/features/auth/tokens.server";

const BASE32 = /^[a-z2-7]{32}$/; // 20 random bytes, lower-case base32 without padding

describe("session tokens", () => {
  it("are <id>.<secret>, each 160 random bits in lower-case base32", () => {
    const { id, secret, token } = generateSessionToken();
    expect(id).toMatch(BASE32);
    expect(secret).toMatch(BASE32);
    expect(token).toBe(`${id}.${secret}`);
  });

  it("are never repeated", () => {
    const tokens = new Set(Array.from({ length: 200 }, () => generateSessionToken().token));
    expect(tokens.size).toBe(200);
  });

  it("parse back into the id and secret they were made from", () => {
    const { id, secret, token } = generateSessionToken();
    expect(parseSessionToken(token)).toEqual({ id, secret });
  });

  const { id: goodId, secret: goodSecret } = generateSessionToken();
  it.each([
    ["nothing", undefined],
    ["null", null],
    ["an empty string", ""],
    ["a single word", "abcdefghijklmnopqrstuvwxyz"],
    ["no secret", `${goodId}.`],
    ["no id", `.${goodSecret}`],
    ["three parts", `${goodId}.${goodSecret}.${goodSecret}`],
    ["upper case", `${goodId.toUpperCase()}.${goodSecret}`],
    ["base32 padding", `${goodId}.${goodSecret}====`],
    ["digits outside base32", `${goodId}.${"0189".repeat(8)}`],
    ["a short secret", `${goodId}.abc`],
    ["spaces", ` ${goodId}.${goodSecret}`],
    ["an SQL fragment", `${goodId}' or '1'='1.${goodSecret}`],
    ["something very long", `${"a".repeat(150)}.${"b".repeat(60)}`],
    ["a JWT-looking value", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.abc"],
  ])("rejects %s", (_label, token) => {
    expect(parseSessionToken(token)).toBeNull();
  });

  it("stores only a SHA-256 hex hash of the secret, never the secret", () => {
    const { secret } = generateSessionToken();
    const stored = hashSecret(secret);
    expect(stored).toMatch(/^[0-9a-f]{64}$/);
    expect(stored).not.toContain(secret);
    expect(hashSecret(secret)).toBe(stored);
  });

  it("matches the secret whose hash is stored", () => {
    const { secret } = generateSessionToken();
    expect(secretMatches(secret, hashSecret(secret))).toBe(true);
  });

  it("does not match any other secret", () => {
    const { secret } = generateSessionToken();
    const other = generateSessionToken().secret;
    expect(secretMatches(other, hashSecret(secret))).toBe(false);
    // One character different is as wrong as a whole different secret.
    const flipped = secret.slice(0, -1) + (secret.endsWith("a") ? "b" : "a");
    expect(secretMatches(flipped, hashSecret(secret))).toBe(false);
  });

  it("does not match, and does not throw, when the stored hash is damaged", () => {
    const { secret } = generateSessionToken();
    const stored = hashSecret(secret);
    expect(secretMatches(secret, "")).toBe(false);
    expect(secretMatches(secret, stored.slice(0, 62))).toBe(false);
    expect(secretMatches(secret, `${stored}00`)).toBe(false);
    expect(secretMatches(secret, "zz".repeat(32))).toBe(false);
    expect(secretMatches(secret, secret)).toBe(false); // a secret stored in plain text is not accepted
  });
});

describe("passwords", () => {
  const person = ["Dana Whitfield", "dana.whitfield@harborlight.example"];

  it("refuses anything shorter than 12 characters", () => {
    expect(passwordProblem("Xq7!vR2#pL9")).toMatch(/at least 12 characters/);
    expect(passwordProblem("")).toMatch(/at least 12 characters/);
  });

  it("refuses anything longer than 128 characters", () => {
    expect(passwordProblem("river stone ".repeat(11))).toMatch(/at most 128 characters/);
  });

  it.each(["password1234", "qwertyuiop123", "123456789012", "passwordpassword", "iloveyou12345"])("refuses the common password %s", (pw) => {
    expect(passwordProblem(pw) ?? "accepted").toMatch(/too common or too easy to guess/);
  });

  it.each([
    "Dana.Whitfield@harborlight.example", // the email itself
    "Whitfield1234!", // surname plus digits
    "DanaWhitfield2026", // full name plus a year
    "danawhitfield99", // full name plus digits
    "dana.whitfield1", // the email's local part plus a digit
  ])("refuses %s, a variation of the person's own name or email", (pw) => {
    expect(passwordProblem(pw, person) ?? "accepted").toMatch(/too common or too easy to guess|your own name or email/);
  });

  it.each(["marble orchard cinnamon voyage", "correct horse battery staple", "Tugboat-Lantern-Quietly-87"])("accepts a long unrelated passphrase: %s", (pw) => {
    expect(passwordProblem(pw, person)).toBeNull();
  });

  it("hashes with argon2id, salted, and verifies only the right password", async () => {
    const pw = "marble orchard cinnamon voyage";
    const hash = await hashPassword(pw);
    expect(hash).toMatch(/^\$argon2id\$/);
    expect(hash).not.toContain(pw);
    expect(await hashPassword(pw)).not.toBe(hash);
    expect(await verifyPassword(hash, pw)).toBe(true);
    expect(await verifyPassword(hash, "marble orchard cinnamon voyagE")).toBe(false);
    expect(await verifyPassword(hash, "")).toBe(false);
  });

  it("treats a damaged stored hash as a wrong password instead of failing", async () => {
    expect(await verifyPassword("not-a-hash", "anything at all")).toBe(false);
    expect(await verifyPassword("", "anything at all")).toBe(false);
  });
});

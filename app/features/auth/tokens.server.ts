/**
 * Session tokens in the style of the Lucia recipe: `<id>.<secret>`, where only SHA-256(secret)
 * is stored, and the check compares hashes in constant time. A stolen database copy holds no
 * usable token.
 */
import { sha256 } from "@oslojs/crypto/sha2";
import { constantTimeEqual } from "@oslojs/crypto/subtle";
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase, decodeHex } from "@oslojs/encoding";
import { getRandomValues } from "node:crypto";

function randomString(): string {
  const bytes = new Uint8Array(20); // 160 bits of entropy
  getRandomValues(bytes);
  return encodeBase32LowerCaseNoPadding(bytes);
}

export function generateSessionToken(): { id: string; secret: string; token: string } {
  const id = randomString();
  const secret = randomString();
  return { id, secret, token: `${id}.${secret}` };
}

export function hashSecret(secret: string): string {
  return encodeHexLowerCase(sha256(new TextEncoder().encode(secret)));
}

export function parseSessionToken(token: string | undefined | null): { id: string; secret: string } | null {
  if (!token || token.length > 200) return null;
  const parts = token.split(".");
  if (parts.length !== 2) return null;
  const [id, secret] = parts;
  if (!/^[a-z2-7]{20,64}$/.test(id) || !/^[a-z2-7]{20,64}$/.test(secret)) return null;
  return { id, secret };
}

export function secretMatches(secret: string, storedHexHash: string): boolean {
  let stored: Uint8Array;
  try {
    stored = decodeHex(storedHexHash);
  } catch {
    return false;
  }
  const given = sha256(new TextEncoder().encode(secret));
  return stored.length === given.length && constantTimeEqual(given, stored);
}

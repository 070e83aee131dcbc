/**
 * Secrets kept OUTSIDE the database, so that someone who can read or write the database (a copy,
 * a backup, a PostgreSQL login) does not hold them:
 *
 * - the audit key: HMAC-SHA256 over every audit row (RFC 2104; NIST SP 800-107), so a database
 *   writer cannot recompute the chain after editing it;
 * - the TOTP key: AES-256-GCM over each person's authenticator key (NIST SP 800-38D), so a copy of
 *   the database does not let anyone generate their codes (ONC 170.315(d)(12)).
 *
 * Where they come from, in order:
 * 1. `AUDIT_HMAC_KEYS` / `TOTP_ENCRYPTION_KEYS` in the environment: `id:base64key[,id:base64key…]`,
 *    the first is the one used for new writes, the rest are older keys still needed to read.
 * 2. Otherwise the key file `KEYS_FILE` (default `data/iop-keys.json` in the app's folder),
 *    created 0600 with fresh random keys the first time something needs to write, so the demo and
 *    the tests work with no configuration. Reading (audit:verify) never creates it.
 *
 * Each set has a `current` key id and every key it ever used, so rotation is: add a key, make it
 * current; rows and secrets name the key id they were written with (docs/operations.md).
 */
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { chmodSync, closeSync, existsSync, linkSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";
import { dirname, resolve } from "node:path";

export interface KeySet {
  /** The key id new writes use. */
  current: string;
  keys: Map<string, Buffer>;
  /** Where the keys came from, for messages (never the keys themselves). */
  source: string;
}

export interface Keyring {
  audit: KeySet;
  totp: KeySet;
}

export const DEFAULT_KEYS_FILE = "data/iop-keys.json";
const KEY_ID = /^[A-Za-z0-9_-]{1,40}$/;
const KEY_BYTES = 32;

export class KeyError extends Error {}

export function keysFilePath(): string {
  return resolve(process.env.KEYS_FILE?.trim() || DEFAULT_KEYS_FILE);
}

function decodeKey(id: string, value: unknown, where: string): Buffer {
  if (!KEY_ID.test(id)) throw new KeyError(`${where}: key id "${id}" must be 1–40 letters, digits, - or _`);
  const key = typeof value === "string" ? Buffer.from(value, "base64") : Buffer.alloc(0);
  if (key.length !== KEY_BYTES) throw new KeyError(`${where}: key "${id}" must be ${KEY_BYTES} random bytes in base64 (44 characters)`);
  return key;
}

/** `id:base64[,id:base64…]`, first is current. */
function parseEnvKeys(name: string, value: string): KeySet {
  const keys = new Map<string, Buffer>();
  let current = "";
  for (const part of value
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)) {
    const colon = part.indexOf(":");
    if (colon < 1) throw new KeyError(`${name} must be id:base64key[,id:base64key…]`);
    const id = part.slice(0, colon);
    keys.set(id, decodeKey(id, part.slice(colon + 1), name));
    current ||= id;
  }
  if (!current) throw new KeyError(`${name} is set but holds no key`);
  return { current, keys, source: name };
}

function parseFileSet(file: string, name: "audit" | "totp", value: unknown): KeySet {
  const set = value as { current?: unknown; keys?: Record<string, unknown> } | undefined;
  if (!set || typeof set.current !== "string" || !set.keys || typeof set.keys !== "object") {
    throw new KeyError(`${file}: "${name}" must be { "current": "<key id>", "keys": { "<key id>": "<base64>" } }`);
  }
  const keys = new Map<string, Buffer>();
  for (const [id, v] of Object.entries(set.keys)) keys.set(id, decodeKey(id, v, `${file} (${name})`));
  if (!keys.has(set.current)) throw new KeyError(`${file}: "${name}".current names key "${set.current}", which is not in its keys`);
  return { current: set.current, keys, source: file };
}

const newSet = (id: string) => ({ current: id, keys: { [id]: randomBytes(KEY_BYTES).toString("base64") } });

/** Creates the key file with fresh keys, readable by its owner only; another process may win the race. */
function createKeyFile(file: string): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const body = {
    format: "iop-keys/1",
    note: "IOP Dashboard secrets. Back this file up SEPARATELY from the database: without it the audit chain cannot be verified and two-factor sign-in cannot be checked. Never delete a key that rows or secrets still name (see docs/operations.md).",
    audit: newSet("audit-1"),
    totp: newSet("totp-1"),
  };
  // Written whole to a private temporary file, then linked into place: another process starting
  // at the same moment sees either no key file or a complete one, and only one set of keys wins.
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  const fd = openSync(tmp, "wx", 0o600);
  try {
    writeSync(fd, `${JSON.stringify(body, null, 2)}\n`);
  } finally {
    closeSync(fd);
  }
  try {
    linkSync(tmp, file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
  } finally {
    rmSync(tmp, { force: true });
  }
}

function readKeyFile(file: string): { audit: KeySet; totp: KeySet } {
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    throw new KeyError(`the key file ${file} is not readable JSON (${(e as Error).message})`);
  }
  if (parsed.format !== "iop-keys/1") throw new KeyError(`${file} is not an IOP Dashboard key file`);
  return { audit: parseFileSet(file, "audit", parsed.audit), totp: parseFileSet(file, "totp", parsed.totp) };
}

const cache = new Map<string, Partial<Keyring>>();

function load(create: boolean): Partial<Keyring> {
  const envAudit = process.env.AUDIT_HMAC_KEYS?.trim();
  const envTotp = process.env.TOTP_ENCRYPTION_KEYS?.trim();
  const file = keysFilePath();
  const cacheKey = JSON.stringify([file, envAudit, envTotp, create]);
  const hit = cache.get(cacheKey);
  if (hit) return hit;
  let fromFile: { audit: KeySet; totp: KeySet } | null = null;
  if (!envAudit || !envTotp) {
    if (create && !existsSync(file)) createKeyFile(file);
    if (existsSync(file)) {
      // Tighten a key file someone created by hand with looser permissions.
      try {
        chmodSync(file, 0o600);
      } catch {
        /* not ours to change: reading is enough */
      }
      fromFile = readKeyFile(file);
    }
  }
  const ring: Partial<Keyring> = {
    audit: envAudit ? parseEnvKeys("AUDIT_HMAC_KEYS", envAudit) : fromFile?.audit,
    totp: envTotp ? parseEnvKeys("TOTP_ENCRYPTION_KEYS", envTotp) : fromFile?.totp,
  };
  // Only a complete answer is kept: a key file created later by another process is then seen.
  if (ring.audit && ring.totp) cache.set(cacheKey, ring);
  return ring;
}

/** The keys for writing: always there (the key file is created on first use if need be). */
export function writeKeys(): Keyring {
  const ring = load(true);
  if (!ring.audit || !ring.totp)
    throw new KeyError(`no ${ring.audit ? "TOTP" : "audit"} key: set ${ring.audit ? "TOTP_ENCRYPTION_KEYS" : "AUDIT_HMAC_KEYS"} or provide ${keysFilePath()}`);
  return ring as Keyring;
}

/** The audit keys for checking, or null when there are none; never creates the key file. */
export function readAuditKeys(): KeySet | null {
  return load(false).audit ?? null;
}

// ---------------------------------------------------------------------------------------------
// Secrets at rest: AES-256-GCM, a fresh 96-bit nonce per value (NIST SP 800-38D §8.2.2), the
// 128-bit tag appended, and "additional data" binding the value to what it belongs to (a user
// id), so a database writer cannot move one person's secret to another's row.

const SEALED = /^enc1:([A-Za-z0-9_-]{1,40}):([A-Za-z0-9_-]{16}):([A-Za-z0-9_-]+)$/;

export function isSealed(stored: string): boolean {
  return SEALED.test(stored);
}

/** `enc1:<key id>:<nonce>:<ciphertext+tag>` (base64url). */
export function seal(keys: KeySet, plaintext: string, boundTo: string): string {
  const key = keys.keys.get(keys.current)!;
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(Buffer.from(boundTo, "utf8"));
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final(), cipher.getAuthTag()]);
  return `enc1:${keys.current}:${iv.toString("base64url")}:${body.toString("base64url")}`;
}

export function unseal(keys: KeySet, stored: string, boundTo: string): string {
  const m = SEALED.exec(stored);
  if (!m) throw new KeyError("not a sealed secret");
  const key = keys.keys.get(m[1]);
  if (!key) throw new KeyError(`a secret is sealed with key "${m[1]}", which ${keys.source} does not hold`);
  const body = Buffer.from(m[3], "base64url");
  if (body.length < 17) throw new KeyError("a sealed secret is too short");
  const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(m[2], "base64url"));
  decipher.setAAD(Buffer.from(boundTo, "utf8"));
  decipher.setAuthTag(body.subarray(body.length - 16));
  try {
    return Buffer.concat([decipher.update(body.subarray(0, body.length - 16)), decipher.final()]).toString("utf8");
  } catch {
    throw new KeyError(`a secret sealed with key "${m[1]}" does not open: wrong key, or it was changed or moved to another row`);
  }
}

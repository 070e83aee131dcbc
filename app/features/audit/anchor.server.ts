/**
 * The audit anchor: an append-only JSON-lines file OUTSIDE the database where the chain's head
 * (row count and last hash) is published, by the server at start, every AUDIT_ANCHOR_MINUTES
 * (default 5) and at shutdown, and by `npm run backup`, `npm run restore` and `npm run
 * user:create`. `npm run audit:verify` checks the chain against every line, so rows cut from the
 * end of the log are found even when the head row in the database was rewritten to match.
 * Each line is signed with the audit key (HMAC-SHA256), so it cannot be forged without the key.
 *
 * Where: AUDIT_ANCHOR_FILE, else beside a SQLite database (`<file>.audit-anchor.jsonl`), else for
 * PostgreSQL `data/audit-anchor-<host>-<port>-<database>.jsonl` in the app's folder.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { parseDatabaseUrl } from "#db/database";
import type { DB, Queryable } from "~/kernel/db";
import { writeKeys } from "~/utils/keys.server";
import { type AnchorFields, anchorMac } from "./chain";

export type AnchorLine = AnchorFields & { mac: string };

export interface AnchorFile {
  path: string;
  lines: AnchorLine[];
  /** Lines that are not anchor lines (a damaged or edited file). */
  problems: string[];
}

export function anchorPath(databaseUrl: string | undefined = process.env.DATABASE_URL): string | null {
  if (process.env.AUDIT_ANCHOR_FILE?.trim()) return resolve(process.env.AUDIT_ANCHOR_FILE.trim());
  const { dialect, target } = parseDatabaseUrl(databaseUrl);
  if (dialect === "sqlite") return target === ":memory:" ? null : `${target}.audit-anchor.jsonl`;
  const u = new URL(target);
  const name = [u.hostname, u.port || "5432", decodeURIComponent(u.pathname.slice(1)) || "postgres"].join("-").replace(/[^A-Za-z0-9._-]/g, "_");
  return resolve("data", `audit-anchor-${name}.jsonl`);
}

/** The anchor file's lines, or null when there is no file. */
export function readAnchor(path: string | null): AnchorFile | null {
  if (!path || !existsSync(path)) return null;
  const lines: AnchorLine[] = [];
  const problems: string[] = [];
  readFileSync(path, "utf8")
    .split("\n")
    .forEach((text, i) => {
      if (!text.trim()) return;
      try {
        const l = JSON.parse(text) as AnchorLine;
        if (l.format !== "iop-audit-anchor/1" || !Number.isInteger(l.seq) || typeof l.hash !== "string" || typeof l.mac !== "string")
          throw new Error("not an anchor line");
        lines.push(l);
      } catch {
        problems.push(`line ${i + 1} of the audit anchor is not an anchor line`);
      }
    });
  return { path, lines, problems };
}

const keyedFromCache = new Map<string, number>();

/** Appends the chain's current head to the anchor file (created 0600). */
export async function publishAnchor(db: Queryable, path: string, by: string, kind: AnchorFields["kind"] = "head"): Promise<AnchorLine> {
  const keys = writeKeys().audit;
  const head = await db.selectFrom("audit_chain_head").select(["seq", "hash"]).where("id", "=", 1).executeTakeFirstOrThrow();
  let keyedFrom = keyedFromCache.get(path) ?? null;
  if (keyedFrom === null) {
    // A database from before migration 2026-12-06-15 (a restored old backup) has no key_id yet.
    const first = await db
      .selectFrom("audit_events")
      .select("seq")
      .where("key_id", "is not", null)
      .orderBy("seq")
      .limit(1)
      .executeTakeFirst()
      .catch(() => undefined);
    keyedFrom = first ? Number(first.seq) : null;
    if (keyedFrom !== null && kind === "head") keyedFromCache.set(path, keyedFrom);
  }
  const fields: AnchorFields = {
    format: "iop-audit-anchor/1",
    kind,
    at: new Date().toISOString(),
    seq: Number(head.seq),
    hash: head.hash,
    keyedFrom,
    by,
    keyId: keys.current,
  };
  const line: AnchorLine = { ...fields, mac: anchorMac(fields, keys.keys.get(keys.current)!) };
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  // O_APPEND: lines from several processes never interleave (each is one short write).
  appendFileSync(path, `${JSON.stringify(line)}\n`, { mode: 0o600, flag: "a" });
  return line;
}

/**
 * Publishes the head now and then every `minutes` while it changes; returns a stop function that
 * publishes once more. Failures are reported, never thrown: the clinic keeps working.
 */
export function keepAnchoring(db: DB, path: string, minutes: number, report: (err: unknown) => void): { stop: () => Promise<void>; first: Promise<void> } {
  let last = "";
  const once = async () => {
    try {
      const head = await db.selectFrom("audit_chain_head").select(["seq", "hash"]).where("id", "=", 1).executeTakeFirstOrThrow();
      if (`${head.seq}:${head.hash}` === last) return;
      const line = await publishAnchor(db, path, "server");
      last = `${line.seq}:${line.hash}`;
    } catch (err) {
      report(err);
    }
  };
  const first = once();
  const timer = setInterval(once, Math.max(0.05, minutes) * 60_000);
  timer.unref();
  return {
    first,
    stop: async () => {
      clearInterval(timer);
      await once();
    },
  };
}

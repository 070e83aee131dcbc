/**
 * The audit log's tamper evidence: each row's hash covers its own fields and the hash of the
 * row before it, so editing, deleting or reordering any row breaks every hash after it.
 *
 * Rows written since migration 2026-12-06-15 are keyed: their "hash" is HMAC-SHA256 (RFC 2104)
 * under an audit key kept outside the database, and the row names that key's id (`key_id`).
 * Someone who can write the database but does not hold the key cannot recompute the chain after
 * an edit. Older rows (`key_id` null) keep their plain SHA-256 and stay verifiable; the first
 * keyed row points to the last plain one, so they are covered by it.
 * Pure: no I/O, shared by the writer, `npm run audit:verify` and the tests.
 */
import { createHmac } from "node:crypto";
import { sha256 } from "@oslojs/crypto/sha2";
import { encodeHexLowerCase } from "@oslojs/encoding";

export const GENESIS_HASH = "0".repeat(64);

export interface ChainedFields {
  id: string;
  seq: number;
  occurred_at: string;
  user_id: string | null;
  user_name: string | null;
  action: string;
  outcome: string;
  entity_type: string | null;
  entity_id: string | null;
  patient_id: string | null;
  site_id: string | null;
  changes: string | null;
  ip: string | null;
  user_agent: string | null;
  prev_hash: string;
}

/** The plain SHA-256 of a row written before the chain was keyed (`key_id` null). */
export function auditHash(row: ChainedFields): string {
  return encodeHexLowerCase(sha256(new TextEncoder().encode(canonical(row))));
}

/** The HMAC-SHA256 of a keyed row under the key its `key_id` names; the key id is covered too. */
export function auditMac(row: ChainedFields & { key_id: string }, key: Uint8Array): string {
  return createHmac("sha256", key)
    .update(JSON.stringify([canonical(row), row.key_id]))
    .digest("hex");
}

function canonical(row: ChainedFields): string {
  return JSON.stringify([
    row.seq,
    row.id,
    row.occurred_at,
    row.user_id,
    row.user_name,
    row.action,
    row.outcome,
    row.entity_type,
    row.entity_id,
    row.patient_id,
    row.site_id,
    row.changes,
    row.ip,
    row.user_agent,
    row.prev_hash,
  ]);
}

/** Only the fields whose values differ, so an audit row says exactly what changed. */
export function changedFields(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
): { before: Record<string, unknown>; after: Record<string, unknown> } {
  const b: Record<string, unknown> = {};
  const a: Record<string, unknown> = {};
  for (const key of Object.keys(after)) {
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) {
      b[key] = before[key] ?? null;
      a[key] = after[key] ?? null;
    }
  }
  return { before: b, after: a };
}

/** What the audit anchor file records at a moment: the chain's head, signed with the audit key. */
export interface AnchorFields {
  format: "iop-audit-anchor/1";
  /** "head": the head at that moment; "restore": the chain was replaced by a backup's, this is its head. */
  kind: "head" | "restore";
  at: string;
  seq: number;
  hash: string;
  /** The first keyed row, once there is one: rows from here on must be keyed. */
  keyedFrom: number | null;
  /** Who wrote the line: server, backup, restore, user:create. */
  by: string;
  keyId: string;
}

export function anchorMac(line: AnchorFields, key: Uint8Array): string {
  return createHmac("sha256", key)
    .update(JSON.stringify([line.format, line.kind, line.at, line.seq, line.hash, line.keyedFrom, line.by, line.keyId]))
    .digest("hex");
}

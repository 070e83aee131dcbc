/**
 * The audit log's tamper evidence: each row's hash covers its own fields and the hash of the
 * row before it, so editing, deleting or reordering any row breaks every hash after it.
 * Pure: no I/O, shared by the writer, `npm run audit:verify` and the tests.
 */
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

export function auditHash(row: ChainedFields): string {
  const canonical = JSON.stringify([
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
  return encodeHexLowerCase(sha256(new TextEncoder().encode(canonical)));
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

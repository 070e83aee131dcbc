import { sql } from "kysely";
import type { AuditEvent } from "#db/schema";
import type { DB, Trx, Queryable } from "~/kernel/db";
import { newId } from "~/utils/ids";
import type { ClientMeta } from "~/utils/request.server";
import { type KeySet, readAuditKeys, writeKeys } from "~/utils/keys.server";
import type { AnchorFile, AnchorLine } from "./anchor.server";
import { GENESIS_HASH, anchorMac, auditHash, auditMac } from "./chain";

export interface AuditInput {
  actor: { id: string; name: string } | null;
  action: string;
  outcome?: "success" | "failure" | "denied";
  entityType?: string;
  entityId?: string | null;
  patientId?: string | null;
  siteId?: string | null;
  before?: Record<string, unknown>;
  after?: Record<string, unknown>;
  detail?: Record<string, unknown>;
  meta?: ClientMeta;
}

/**
 * Appends one event to the audit chain. Called with the transaction that makes the change it
 * records, so both commit or neither does; called with the plain database it opens its own.
 */
export async function recordAudit(db: Queryable, input: AuditInput): Promise<void> {
  if (db.isTransaction) return append(db as Trx, input);
  return (db as DB).transaction().execute((trx) => append(trx, input));
}

async function append(trx: Trx, input: AuditInput): Promise<void> {
  const keys = writeKeys().audit;
  // Taking the head row with an UPDATE locks it on both dialects, so appends are strictly ordered.
  const head = await trx
    .updateTable("audit_chain_head")
    .set({ seq: sql`seq + 1` })
    .where("id", "=", 1)
    .returning(["seq", "hash"])
    .executeTakeFirstOrThrow();

  const changes = input.before || input.after || input.detail ? JSON.stringify({ before: input.before, after: input.after, detail: input.detail }) : null;
  const row = {
    id: newId(),
    seq: Number(head.seq),
    occurred_at: new Date().toISOString(),
    user_id: input.actor?.id ?? null,
    user_name: input.actor?.name ?? null,
    action: input.action,
    outcome: input.outcome ?? "success",
    entity_type: input.entityType ?? null,
    entity_id: input.entityId ?? null,
    patient_id: input.patientId ?? null,
    site_id: input.siteId ?? null,
    changes,
    ip: input.meta?.ip ?? null,
    user_agent: input.meta?.userAgent ?? null,
    prev_hash: head.hash,
    key_id: keys.current,
  };
  // Keyed with the audit key, which is not in the database (see chain.ts).
  const hash = auditMac(row, keys.keys.get(keys.current)!);
  await trx
    .insertInto("audit_events")
    .values({ ...row, hash })
    .execute();
  await trx.updateTable("audit_chain_head").set({ hash }).where("id", "=", 1).execute();
}

export type ChainVerdict =
  | { ok: true; count: number }
  /** `seq` 0: the problem is not one row (a wrong key, a damaged anchor file). */
  | { ok: false; count: number; seq: number; id: string | null; reason: string };

export interface VerifyOptions {
  /** The audit keys; by default those of this process (environment or key file, never created). */
  keys?: KeySet | null;
  /** The audit anchor to check against (see anchor.server.ts); none when null or absent. */
  anchor?: AnchorFile | null;
  batchSize?: number;
}

type Row = Omit<AuditEvent, "key_id"> & { key_id?: string | null };

/**
 * Walks the whole chain in order and names the first row that does not add up: a row missing,
 * pointing elsewhere, changed (its SHA-256 or, for keyed rows, its HMAC under the audit key does
 * not match), unkeyed after keyed rows began, or differing from what the anchor recorded; then the
 * head, and the anchor's record of how long the chain was. Only reads: callers may pass a
 * read-only transaction.
 */
export async function verifyAuditChain(db: Queryable, options: VerifyOptions = {}): Promise<ChainVerdict> {
  const batchSize = options.batchSize ?? 2000;
  const keys = options.keys === undefined ? readAuditKeys() : options.keys;
  const keyHint = keys ? `${keys.source}` : "no audit key (set AUDIT_HMAC_KEYS or KEYS_FILE)";

  // The anchor first: its lines must be signed with our key, and a restore starts it afresh.
  let anchored = new Map<number, AnchorLine>();
  let lastAnchor: AnchorLine | null = null;
  let keyedFrom: number | null = null;
  if (options.anchor) {
    const { path, lines, problems } = options.anchor;
    if (problems.length) return { ok: false, count: 0, seq: 0, id: null, reason: `the audit anchor ${path} was damaged or edited: ${problems[0]}` };
    for (const line of lines) {
      const key = keys?.keys.get(line.keyId);
      if (!key)
        return {
          ok: false,
          count: 0,
          seq: 0,
          id: null,
          reason: `the audit anchor ${path} is signed with audit key "${line.keyId}", which ${keyHint} does not hold`,
        };
      if (anchorMac(line, key) !== line.mac) {
        return {
          ok: false,
          count: 0,
          seq: 0,
          id: null,
          reason: `the audit anchor line of ${line.at} in ${path} does not match audit key "${line.keyId}" from ${keyHint}: that is the wrong key, or the anchor file was edited`,
        };
      }
      if (line.kind === "restore") anchored = new Map();
      anchored.set(line.seq, line);
    }
    for (const line of anchored.values()) if (!lastAnchor || line.seq > lastAnchor.seq) lastAnchor = line;
    for (const line of anchored.values()) if (line.keyedFrom !== null && (keyedFrom === null || line.keyedFrom < keyedFrom)) keyedFrom = line.keyedFrom;
  }

  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  let count = 0;
  let firstKeyed: number | null = null;
  for (;;) {
    const rows = (await db.selectFrom("audit_events").selectAll().where("seq", ">=", expectedSeq).orderBy("seq").limit(batchSize).execute()) as Row[];
    for (const raw of rows) {
      const row = { ...raw, seq: Number(raw.seq), key_id: raw.key_id ?? null };
      const broken = (reason: string): ChainVerdict => ({ ok: false, count, seq: row.seq, id: row.id, reason });
      if (row.seq !== expectedSeq) {
        return { ok: false, count, seq: expectedSeq, id: null, reason: `row ${expectedSeq} is missing` };
      }
      if (row.prev_hash !== prevHash) return broken("does not point to the row before it");
      if (row.key_id === null) {
        // A keyed chain never goes back to plain hashes: that is what a writer without the key would do.
        if (firstKeyed !== null) return broken(`it has a plain hash, but the chain is keyed from row ${firstKeyed}: it was rewritten without the audit key`);
        if (keyedFrom !== null && row.seq >= keyedFrom)
          return broken(`it has a plain hash, but the audit anchor records the chain keyed from row ${keyedFrom}: it was rewritten without the audit key`);
        if (auditHash(row) !== row.hash) return broken("its contents were changed after it was written");
      } else {
        firstKeyed ??= row.seq;
        const key = keys?.keys.get(row.key_id);
        if (!key) return broken(`it is signed with audit key "${row.key_id}", which ${keyHint} does not hold`);
        if (auditMac({ ...row, key_id: row.key_id }, key) !== row.hash) {
          return broken(
            `its contents were changed after it was written (its HMAC under audit key "${row.key_id}" from ${keyHint} does not match; if no row was changed, that is the wrong key)`,
          );
        }
      }
      const anchor = anchored.get(row.seq);
      if (anchor && anchor.hash !== row.hash)
        return broken(`it differs from what the audit anchor recorded at ${anchor.at}: the chain up to here was rewritten`);
      prevHash = row.hash;
      expectedSeq++;
      count++;
    }
    if (rows.length < batchSize) break;
  }
  const head = await db.selectFrom("audit_chain_head").select(["seq", "hash"]).where("id", "=", 1).executeTakeFirst();
  if (!head || Number(head.seq) !== count || head.hash !== prevHash) {
    return {
      ok: false,
      count,
      seq: count + 1,
      id: null,
      reason: `the chain ends at row ${count} but its head records row ${head?.seq ?? "none"}: rows were removed from the end`,
    };
  }
  if (lastAnchor && lastAnchor.seq > count) {
    return {
      ok: false,
      count,
      seq: count + 1,
      id: null,
      reason: `the chain ends at row ${count}, but the audit anchor recorded ${lastAnchor.seq} rows at ${lastAnchor.at}: rows were cut from the end and the head rewritten`,
    };
  }
  return { ok: true, count };
}

import { type Kysely, type Transaction, sql } from "kysely";
import type { AuditEvent, Database } from "../../../db/schema";
import { newId } from "~/utils/ids";
import type { ClientMeta } from "~/utils/request.server";
import { GENESIS_HASH, auditHash } from "./chain";

type Executor = Kysely<Database> | Transaction<Database>;

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
export async function recordAudit(db: Executor, input: AuditInput): Promise<void> {
  if (db.isTransaction) return append(db as Transaction<Database>, input);
  return (db as Kysely<Database>).transaction().execute((trx) => append(trx, input));
}

async function append(trx: Transaction<Database>, input: AuditInput): Promise<void> {
  // Taking the head row with an UPDATE locks it on both dialects, so appends are strictly ordered.
  const head = await trx
    .updateTable("audit_chain_head")
    .set({ seq: sql`seq + 1` })
    .where("id", "=", 1)
    .returning(["seq", "hash"])
    .executeTakeFirstOrThrow();

  const changes =
    input.before || input.after || input.detail
      ? JSON.stringify({ before: input.before, after: input.after, detail: input.detail })
      : null;
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
  };
  const hash = auditHash(row);
  await trx.insertInto("audit_events").values({ ...row, hash }).execute();
  await trx.updateTable("audit_chain_head").set({ hash }).where("id", "=", 1).execute();
}

export type ChainVerdict =
  | { ok: true; count: number }
  | { ok: false; count: number; seq: number; id: string | null; reason: string };

/** Walks the whole chain in order and names the first row that does not add up. */
export async function verifyAuditChain(db: Kysely<Database>, batchSize = 2000): Promise<ChainVerdict> {
  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  let count = 0;
  for (;;) {
    const rows: AuditEvent[] = await db
      .selectFrom("audit_events")
      .selectAll()
      .where("seq", ">=", expectedSeq)
      .orderBy("seq")
      .limit(batchSize)
      .execute();
    for (const raw of rows) {
      const row = { ...raw, seq: Number(raw.seq) };
      if (row.seq !== expectedSeq) {
        return { ok: false, count, seq: expectedSeq, id: null, reason: `row ${expectedSeq} is missing` };
      }
      if (row.prev_hash !== prevHash) {
        return { ok: false, count, seq: row.seq, id: row.id, reason: "does not point to the row before it" };
      }
      if (auditHash(row) !== row.hash) {
        return { ok: false, count, seq: row.seq, id: row.id, reason: "its contents were changed after it was written" };
      }
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
  return { ok: true, count };
}

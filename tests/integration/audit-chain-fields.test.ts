/**
 * Every column of an audit row is covered by its hash: editing any one of them by hand (past the
 * append-only trigger) makes verification name that very row. The list of columns is written out
 * here from `audit_events` in db/schema.ts, not taken from the code that computes the hash, so
 * leaving a column out of the hash fails this test.
 */
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dropAppendOnly } from "../../db/migrations/dialect";
import { recordAudit, verifyAuditChain } from "~/features/audit/audit.server";
import { createTestDatabase, dialects, type TestDatabase } from "../support/databases";
import { meta, seed } from "../support/demo";

/** Every column of audit_events (db/schema.ts) except `hash` itself, with a value each can be changed to. */
const HASHED_COLUMNS: Record<string, string | number> = {
  id: "0190aaaa-bbbb-7ccc-8ddd-eeeeeeeeeeee",
  seq: 1_000_000,
  occurred_at: "2001-01-01T00:00:00.000Z",
  user_id: "someone-else",
  user_name: "Someone else",
  action: "patient.viewed",
  outcome: "denied",
  entity_type: "other_entity",
  entity_id: "other-entity-id",
  patient_id: "another-patient",
  site_id: "another-site",
  changes: '{"after":{"forged":true}}',
  ip: "198.51.100.99",
  user_agent: "forged agent",
  prev_hash: "f".repeat(64),
  // The id of the audit key the row's HMAC was made with: covered by the HMAC too, so naming
  // another key (or none, which would claim the row predates keying) is caught.
  key_id: "another-key",
};

describe.each(dialects)("audit chain fields on %s", (dialect) => {
  let t: TestDatabase;
  let target: Record<string, unknown>;
  beforeAll(async () => {
    t = await createTestDatabase(dialect);
    await seed(t.db);
    // A row with every nullable column filled, so each edit is a change of value, and a row after it.
    await recordAudit(t.db, {
      actor: { id: "u-chain", name: "Chain Tester" },
      action: "test.fields",
      entityType: "test_entity",
      entityId: "entity-1",
      patientId: "patient-1",
      siteId: "site-1",
      detail: { n: 1 },
      meta,
    });
    await recordAudit(t.db, { actor: null, action: "test.after", meta });
    const row = await t.db.selectFrom("audit_events").selectAll().where("action", "=", "test.fields").executeTakeFirstOrThrow();
    target = { ...row, seq: Number(row.seq) };
    await dropAppendOnly(t.db, "audit_events");
  });
  afterAll(() => t?.destroy());

  it("lists every column of audit_events but the hash (the schema has not grown a column this test misses)", async () => {
    const tables = await t.db.introspection.getTables();
    const columns = tables.find((table) => table.name === "audit_events")!.columns.map((c) => c.name);
    expect([...columns].sort()).toEqual([...Object.keys(HASHED_COLUMNS), "hash"].sort());
  });

  it("has a row with every column filled to tamper with", () => {
    for (const column of Object.keys(HASHED_COLUMNS)) expect(target[column], column).not.toBeNull();
  });

  it("starts from a chain that verifies", async () => {
    expect((await verifyAuditChain(t.db)).ok).toBe(true);
  });

  it.each(Object.keys(HASHED_COLUMNS))("names the row whose %s was edited by hand", async (column) => {
    const seq = target.seq as number;
    const id = target.id as string;
    const forged = HASHED_COLUMNS[column];
    expect(forged).not.toEqual(target[column]);
    await sql`update audit_events set ${sql.ref(column)} = ${forged} where id = ${id}`.execute(t.db);
    try {
      const verdict = await verifyAuditChain(t.db);
      // A changed seq leaves a gap at the row's place in the chain; any other change is named by seq.
      expect(verdict).toMatchObject({ ok: false, seq });
    } finally {
      const key = column === "id" ? forged : id;
      await sql`update audit_events set ${sql.ref(column)} = ${target[column] as string | number} where id = ${key}`.execute(t.db);
    }
    // Put back, the row adds up again: only the edit was noticed.
    expect((await verifyAuditChain(t.db)).ok).toBe(true);
  });
});

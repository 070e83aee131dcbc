import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dropAppendOnly } from "../../db/migrations/dialect";
import { recordAudit, verifyAuditChain } from "~/features/audit/audit.server";
import { createTestDatabase, dialects, type TestDatabase } from "../support/databases";
import { meta, seed } from "../support/demo";

describe.each(dialects)("audit chain on %s", (dialect) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(dialect);
    await seed(t.db);
  });
  afterAll(() => t?.destroy());

  it("verifies an untouched chain and counts every event", async () => {
    const before = await verifyAuditChain(t.db);
    await recordAudit(t.db, { actor: { id: "u1", name: "Test" }, action: "test.event", detail: { n: 1 }, meta });
    const after = await verifyAuditChain(t.db);
    expect(before.ok && after.ok).toBe(true);
    expect(after.count).toBe(before.count + 1);
  });

  it("keeps strict order when many events are written at once", async () => {
    await Promise.all(Array.from({ length: 25 }, (_, i) => recordAudit(t.db, { actor: null, action: "test.concurrent", detail: { i }, meta })));
    const verdict = await verifyAuditChain(t.db);
    expect(verdict.ok).toBe(true);
  });

  it("refuses UPDATE and DELETE on audit rows", async () => {
    await expect(sql`update audit_events set action = 'x' where seq = 1`.execute(t.db)).rejects.toThrow(/append-only/);
    await expect(sql`delete from audit_events where seq = 1`.execute(t.db)).rejects.toThrow(/append-only/);
  });

  it("rolls the audit row back with the change it records", async () => {
    const before = await t.db
      .selectFrom("audit_events")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    await expect(
      t.db.transaction().execute(async (trx) => {
        await recordAudit(trx, { actor: null, action: "test.rolled_back", meta });
        throw new Error("the change failed");
      }),
    ).rejects.toThrow("the change failed");
    const after = await t.db
      .selectFrom("audit_events")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
    expect((await verifyAuditChain(t.db)).ok).toBe(true);
  });

  it("names the first row edited by hand", async () => {
    await dropAppendOnly(t.db, "audit_events");
    await sql`update audit_events set user_name = 'Someone else' where seq = 3`.execute(t.db);
    const verdict = await verifyAuditChain(t.db);
    expect(verdict).toMatchObject({ ok: false, seq: 3 });
    if (!verdict.ok) expect(verdict.reason).toMatch(/changed/);
  });

  it("notices a row deleted from the middle and rows cut from the end", async () => {
    await sql`update audit_events set user_name = 'Demo seed' where seq = 3`.execute(t.db);
    // Restored by hand the hash matches again (Demo seed wrote it), so only the deletions remain.
    expect((await verifyAuditChain(t.db)).ok).toBe(true);
    const last = await t.db
      .selectFrom("audit_events")
      .select((eb) => eb.fn.max("seq").as("m"))
      .executeTakeFirstOrThrow();
    await sql`delete from audit_events where seq = ${Number(last.m)}`.execute(t.db);
    const tail = await verifyAuditChain(t.db);
    expect(tail).toMatchObject({ ok: false, seq: Number(last.m) });
    await sql`delete from audit_events where seq = 5`.execute(t.db);
    expect(await verifyAuditChain(t.db)).toMatchObject({ ok: false, seq: 5 });
  });
});

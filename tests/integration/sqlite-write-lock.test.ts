/**
 * SQLite shared by several processes (a server's workers): a transaction holds the write lock
 * from its first statement, so another connection cannot write between its read and its write
 * (the audit chain's previous hash, a record's version). SQLite only: PostgreSQL locks rows, and
 * its concurrent writes are tested by the two-servers end-to-end test.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb } from "../../db/database";
import { migrateToLatest } from "../../db/migrator";
import { recordAudit, verifyAuditChain } from "~/features/audit/audit.server";

describe("SQLite transactions across connections", () => {
  const dir = mkdtempSync(join(tmpdir(), "iop-lock-"));
  const url = `file:${join(dir, "lock.sqlite")}`;
  const first = createDb(url);
  const second = createDb(url);

  beforeAll(async () => {
    await migrateToLatest(first);
    // The other connection gives up at once instead of waiting (this test runs both in one thread).
    await sql`PRAGMA busy_timeout = 0`.execute(second);
  });
  afterAll(async () => {
    await first.destroy();
    await second.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it("a transaction that has only read already holds the write lock: another connection cannot write until it ends", async () => {
    let blocked: unknown = null;
    await first.transaction().execute(async (trx) => {
      await trx.selectFrom("audit_chain_head").select("hash").executeTakeFirstOrThrow();
      blocked = await recordAudit(second, { actor: null, action: "test.other_process" }).then(
        () => null,
        (e: unknown) => e,
      );
      await recordAudit(trx, { actor: null, action: "test.first" });
    });
    expect(String(blocked)).toMatch(/SQLITE_BUSY|database is locked/);
    await recordAudit(second, { actor: null, action: "test.other_process" });
    expect(await verifyAuditChain(first)).toMatchObject({ ok: true, count: 2 });
  });

  it("a transaction asked for as read only does not take the write lock", async () => {
    await first
      .transaction()
      .setAccessMode("read only")
      .execute(async (trx) => {
        await trx.selectFrom("audit_chain_head").select("hash").executeTakeFirstOrThrow();
        await recordAudit(second, { actor: null, action: "test.while_reading" });
      });
    expect((await verifyAuditChain(second)).count).toBe(3);
  });
});

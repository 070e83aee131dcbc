/**
 * Issue 16, finding 6: someone who can WRITE the database (but holds neither the audit key nor
 * the anchor file) tries to rewrite the audit log the way that used to pass `npm run
 * audit:verify`: drop the trigger, edit a row, recompute every later SHA-256 hash and the head;
 * or cut rows from the end and rewrite the head. Verify runs on both dialects: what the command does
 * (`auditVerify`, what it prints and its exit status) in this process, and the command itself, in
 * its own process as an operator runs it, where its arguments and exit status are the point. It must
 * also only read: a SQLite file is left byte for byte as it was and an un-migrated database gets no
 * tables.
 */
import { spawnSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { sql, type Kysely } from "kysely";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { createDb, parseDatabaseUrl } from "../../db/database";
import { dropAppendOnly } from "../../db/migrations/dialect";
import type { Database } from "../../db/schema";
import { anchorPath, publishAnchor, readAnchor } from "~/features/audit/anchor.server";
import { recordAudit, verifyAuditChain } from "~/features/audit/audit.server";
import { GENESIS_HASH, auditHash } from "~/features/audit/chain";
import { readAuditKeys } from "~/utils/keys.server";
import { auditVerify } from "../../scripts/lib/audit-verify";
import { createTestDatabase, dialects, emptyDatabase, type TestDatabase } from "../support/databases";
import { meta } from "../support/demo";

/** `npm run audit:verify` as an operator runs it: the command, in its own process. */
function verifyCommand(url: string, args: string[] = []) {
  const res = spawnSync(process.execPath, ["--import", "tsx", "scripts/audit-verify.ts", ...args], {
    env: { ...process.env, DATABASE_URL: url },
    encoding: "utf8",
    timeout: 60_000,
  });
  return { code: res.status, out: `${res.stdout}${res.stderr}` };
}

/**
 * What the command does, run here (`verifyCommand` proves the command is this and prints it): its
 * exit status and what it printed. `env` stands in for the operator's settings while it runs.
 */
async function verify(url: string, args: string[] = [], env: Record<string, string> = {}) {
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  const lines: string[] = [];
  try {
    const code = await auditVerify(url, { noAnchor: args.includes("--no-anchor") }, { log: (l) => lines.push(l), error: (l) => lines.push(l) });
    return { code, out: lines.join("\n") };
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

/** A database with `n` audit events and the anchor published at its head, as a running server leaves it. */
async function clinicLog(dialect: "sqlite" | "postgres", n = 12): Promise<TestDatabase> {
  const t = await createTestDatabase(dialect);
  for (let i = 1; i <= n; i++)
    await recordAudit(t.db, {
      actor: { id: "u1", name: "Dana Whitfield" },
      action: "patient.viewed",
      entityType: "patient",
      entityId: `p${i}`,
      detail: { i },
      meta,
    });
  await publishAnchor(t.db, anchorPath(t.url)!, "server");
  return t;
}

/**
 * The attack that used to pass: edit row `from` (or only cut the tail before it), then recompute
 * every later hash with plain SHA-256, as the old verifier expected, and rewrite the head.
 */
async function rewriteTheOldWay(db: Kysely<Database>, from: number, how: { edit?: boolean; unkey?: boolean; truncate?: boolean }) {
  await dropAppendOnly(db, "audit_events");
  if (how.truncate) await sql`delete from audit_events where seq >= ${from}`.execute(db);
  const rows = await db.selectFrom("audit_events").selectAll().orderBy("seq").execute();
  let prev = GENESIS_HASH;
  for (const raw of rows) {
    const row = { ...raw, seq: Number(raw.seq) };
    if (row.seq >= from) {
      if (how.edit && row.seq === from) row.user_name = "Someone else";
      if (how.unkey) row.key_id = null;
      row.prev_hash = prev;
      row.hash = auditHash(row);
      await db
        .updateTable("audit_events")
        .set({ user_name: row.user_name, key_id: row.key_id, prev_hash: row.prev_hash, hash: row.hash })
        .where("seq", "=", row.seq)
        .execute();
    }
    prev = row.hash;
  }
  await db.updateTable("audit_chain_head").set({ seq: rows.length, hash: prev }).where("id", "=", 1).execute();
}

describe.each(dialects)("an audit chain a database writer cannot rewrite, on %s", (dialect) => {
  const open: TestDatabase[] = [];
  const fresh = async (n?: number) => {
    const t = await clinicLog(dialect, n);
    open.push(t);
    return t;
  };
  afterEach(async () => {
    for (const t of open.splice(0)) {
      const anchor = anchorPath(t.url);
      await t.destroy();
      if (anchor) rmSync(anchor, { force: true });
    }
  });

  it("(a) an edited row whose later SHA-256 hashes and head were recomputed fails, naming the row", async () => {
    const t = await fresh();
    expect(verifyCommand(t.url)).toMatchObject({ code: 0 });
    const row3 = await t.db.selectFrom("audit_events").select("id").where("seq", "=", 3).executeTakeFirstOrThrow();
    await rewriteTheOldWay(t.db, 3, { edit: true });
    const res = await verify(t.url);
    expect(res.code).toBe(1);
    expect(res.out).toContain(`Audit chain BROKEN at row 3 (id ${row3.id})`);
    expect(res.out).toMatch(/changed after it was written/);
    // Without the anchor too: the HMAC alone catches it. The command says the same, and exits 1.
    expect((await verify(t.url, ["--no-anchor"])).out).toContain("BROKEN at row 3");
    const command = verifyCommand(t.url, ["--no-anchor"]);
    expect(command.code).toBe(1);
    expect(command.out).toContain(`Audit chain BROKEN at row 3 (id ${row3.id})`);
    // An argument it does not know is refused, and nothing is checked.
    expect(verifyCommand(t.url, ["--anchorless"])).toMatchObject({ code: 1, out: expect.stringMatching(/NOT VERIFIED: Unknown option '--anchorless'/) });
  });

  it("(a) …and so does the same rewrite that also strips the key ids (a downgrade to plain hashes)", async () => {
    const t = await fresh();
    await rewriteTheOldWay(t.db, 5, { edit: true, unkey: true });
    const res = await verify(t.url);
    expect(res.code).toBe(1);
    expect(res.out).toMatch(/BROKEN at row 5 .*plain hash, but the chain is keyed from row 1/);
    // Even when every row was stripped, the anchor remembers the chain was keyed from row 1.
    const u = await fresh();
    await rewriteTheOldWay(u.db, 1, { edit: true, unkey: true });
    const all = await verify(u.url);
    expect(all.code).toBe(1);
    expect(all.out).toMatch(/BROKEN at row 1 .*audit anchor records the chain keyed from row 1/);
  });

  it("(b) rows cut from the end with the head rewritten to match fail against the anchor", async () => {
    const t = await fresh();
    await rewriteTheOldWay(t.db, 9, { truncate: true });
    // The database alone is now consistent: that is what the old verifier saw.
    expect(await verifyAuditChain(t.db)).toEqual({ ok: true, count: 8 });
    const res = await verify(t.url);
    expect(res.code).toBe(1);
    expect(res.out).toMatch(/chain ends at row 8, but the audit anchor recorded 12 rows at .*: rows were cut from the end/);
  });

  it("(b) a deleted anchor is not taken as a clean bill of health; a forged anchor line is refused", async () => {
    const t = await fresh();
    const path = anchorPath(t.url)!;
    const line = readFileSync(path, "utf8").trim();
    rmSync(path);
    const missing = await verify(t.url);
    expect(missing.code).toBe(1);
    expect(missing.out).toMatch(/NOT VERIFIED: there is no audit anchor at/);
    // Someone who can write the file but lacks the key cannot write a line that verifies.
    const forged = { ...JSON.parse(line), seq: 3 };
    writeFileSync(path, `${JSON.stringify(forged)}\n`);
    const res = await verify(t.url);
    expect(res.code).toBe(1);
    expect(res.out).toMatch(/does not match audit key .*wrong key, or the anchor file was edited/);
  });

  it("(c) verify only reads: a SQLite file stays byte for byte the same, and an un-migrated database gets no tables", async () => {
    const t = await fresh();
    if (dialect === "sqlite") {
      await t.db.destroy(); // the server stopped: its WAL is folded in
      const file = parseDatabaseUrl(t.url).target;
      const before = createHash("sha256").update(readFileSync(file)).digest("hex");
      const filesBefore = readdirSync(dirname(file)).sort();
      expect(await verify(t.url)).toMatchObject({ code: 0 });
      expect(createHash("sha256").update(readFileSync(file)).digest("hex")).toBe(before);
      expect(readdirSync(dirname(file)).sort()).toEqual(filesBefore);
      t.db = createDb(t.url);
    }
    const empty = await emptyDatabase(dialect);
    try {
      if (dialect === "sqlite") writeFileSync(parseDatabaseUrl(empty.url).target, "");
      const res = await verify(empty.url, ["--no-anchor"]);
      expect(res.code).toBe(1);
      expect(res.out).toContain("There is no audit log in this database");
      const db = createDb(empty.url);
      try {
        const tables =
          dialect === "sqlite"
            ? (await sql<{ name: string }>`select name from sqlite_master where type = 'table'`.execute(db)).rows
            : (await sql<{ name: string }>`select table_name as name from information_schema.tables where table_schema = current_schema()`.execute(db)).rows;
        expect(tables).toEqual([]);
      } finally {
        await db.destroy();
      }
    } finally {
      await empty.drop();
    }
  });

  it("(d) the wrong audit key fails clearly, with or without the anchor", async () => {
    const t = await fresh();
    const current = readAuditKeys()!.current;
    const wrong = { AUDIT_HMAC_KEYS: `${current}:${randomBytes(32).toString("base64")}` };
    const res = await verify(t.url, [], wrong);
    expect(res.code).toBe(1);
    expect(res.out).toMatch(/does not match audit key "[^"]+" from AUDIT_HMAC_KEYS: that is the wrong key/);
    const rows = await verify(t.url, ["--no-anchor"], wrong);
    expect(rows.code).toBe(1);
    expect(rows.out).toMatch(/BROKEN at row 1 .*HMAC under audit key .* from AUDIT_HMAC_KEYS does not match; if no row was changed, that is the wrong key/);
    const other = await verify(t.url, ["--no-anchor"], { AUDIT_HMAC_KEYS: `other-key:${randomBytes(32).toString("base64")}` });
    expect(other.code).toBe(1);
    expect(other.out).toMatch(/signed with audit key "[^"]+", which AUDIT_HMAC_KEYS does not hold/);
  });

  it("rotates the audit key: rows name the key they were signed with, and verify needs every key still named", async () => {
    const t = await fresh(4);
    const old = readAuditKeys()!;
    const saved = process.env.AUDIT_HMAC_KEYS;
    const next = randomBytes(32).toString("base64");
    try {
      process.env.AUDIT_HMAC_KEYS = `rotated-2:${next},${old.current}:${old.keys.get(old.current)!.toString("base64")}`;
      await recordAudit(t.db, { actor: null, action: "test.after_rotation", meta });
      const ids = await t.db.selectFrom("audit_events").select(["seq", "key_id"]).orderBy("seq").execute();
      expect(ids.map((r) => r.key_id)).toEqual([old.current, old.current, old.current, old.current, "rotated-2"]);
      expect(await verifyAuditChain(t.db, { anchor: readAnchor(anchorPath(t.url)) })).toEqual({ ok: true, count: 5 });
      process.env.AUDIT_HMAC_KEYS = `rotated-2:${next}`;
      expect(await verifyAuditChain(t.db)).toMatchObject({ ok: false, seq: 1, reason: expect.stringMatching(/which AUDIT_HMAC_KEYS does not hold/) });
    } finally {
      if (saved === undefined) delete process.env.AUDIT_HMAC_KEYS;
      else process.env.AUDIT_HMAC_KEYS = saved;
    }
  });

  it("keeps rows written before keying verifiable, binds them with the first keyed row, and refuses a rewrite of them", async () => {
    const t = await createTestDatabase(dialect);
    open.push(t);
    // Three rows as the writer before migration 2026-12-06-15 left them: plain SHA-256, no key id.
    let prev = GENESIS_HASH;
    for (let seq = 1; seq <= 3; seq++) {
      const row = {
        id: `legacy-${seq}`,
        seq,
        occurred_at: `2026-11-0${seq}T10:00:00.000Z`,
        user_id: "u1",
        user_name: "Dana Whitfield",
        action: "patient.viewed",
        outcome: "success" as const,
        entity_type: "patient",
        entity_id: `p${seq}`,
        patient_id: null,
        site_id: null,
        changes: null,
        ip: null,
        user_agent: null,
        prev_hash: prev,
        key_id: null,
      };
      prev = auditHash(row);
      await t.db
        .insertInto("audit_events")
        .values({ ...row, hash: prev })
        .execute();
    }
    await t.db.updateTable("audit_chain_head").set({ seq: 3, hash: prev }).where("id", "=", 1).execute();
    await recordAudit(t.db, { actor: null, action: "test.first_keyed", meta });
    const first = await t.db.selectFrom("audit_events").select(["prev_hash", "key_id"]).where("seq", "=", 4).executeTakeFirstOrThrow();
    expect(first).toEqual({ prev_hash: prev, key_id: readAuditKeys()!.current });
    await publishAnchor(t.db, anchorPath(t.url)!, "server");
    expect(await verify(t.url)).toMatchObject({ code: 0 });
    // Rewriting an old row and its plain successors cannot reach past the first keyed row.
    await rewriteTheOldWay(t.db, 2, { edit: true });
    const res = await verify(t.url);
    expect(res.code).toBe(1);
    expect(res.out).toMatch(/BROKEN at row [2-4]/);
  });

  afterAll(() => {
    for (const t of open) void t.destroy();
  });
});

it("a PostgreSQL anchor is named after its server and database, not shared with another database", () => {
  expect(anchorPath("postgres://app@db.example:5433/clinic_a")).toMatch(/data\/audit-anchor-db\.example-5433-clinic_a\.jsonl$/);
  expect(anchorPath("file:/var/lib/iop/iop.sqlite")).toBe("/var/lib/iop/iop.sqlite.audit-anchor.jsonl");
});

/**
 * `npm run backup` and `npm run restore`, run as an operator would, while this process keeps
 * writing to the database: the backup is one consistent moment (its audit chain verifies), the
 * restore reproduces it row for row, and damaged, swapped or mismatched files are refused.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb } from "../../db/database";
import { dropAppendOnly } from "../../db/migrations/dialect";
import { recordAudit, verifyAuditChain } from "~/features/audit/audit.server";
import { enrollPatient } from "~/features/patients/patients.server";
import { checkDatabase, type Manifest } from "../../scripts/lib/backup";
import { createTestDatabase, dialects, type TestDatabase } from "../support/databases";
import { meta, seed } from "../support/demo";
import { intakeInput } from "./patients-support";

function run(script: string, args: string[], env: Record<string, string>): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", script, ...args], { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    child.on("close", (code) => resolve({ code, out }));
  });
}

/** A second, empty database of the same dialect to restore into. */
async function emptyTarget(dialect: string, dir: string): Promise<{ url: string; drop: () => Promise<void> }> {
  if (dialect === "sqlite") return { url: `file:${join(dir, "restored.sqlite")}`, drop: async () => undefined };
  const base = process.env.TEST_DATABASE_URL!;
  const name = `iop_t_restore_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const u = new URL(base);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: base });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

describe.each(dialects)("backup and restore on %s", (dialect) => {
  let t: TestDatabase;
  let dir: string;
  let clinic: Awaited<ReturnType<typeof seed>>;
  let target: Awaited<ReturnType<typeof emptyTarget>>;
  let backupFile: string;
  let manifest: Manifest;

  beforeAll(async () => {
    t = await createTestDatabase(dialect);
    clinic = await seed(t.db);
    dir = mkdtempSync(join(tmpdir(), "iop-backup-"));
    target = await emptyTarget(dialect, dir);
  });
  afterAll(async () => {
    await target?.drop();
    await t?.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it("takes a consistent backup while writes keep arriving, and checks it before keeping it", async () => {
    const marcus = clinic.users["marcus.bell"];
    let stop = false;
    let written = 0;
    const writer = (async () => {
      for (let i = 0; !stop; i++) {
        const r = await enrollPatient(
          t.db,
          marcus,
          intakeInput(clinic.siteId, marcus.id, { legalFirstName: `During${i}`, legalLastName: "Backup", dateOfBirth: "1985-04-04" }),
          [clinic.siteId],
          meta,
        );
        expect(r.ok).toBe(true);
        await recordAudit(t.db, { actor: null, action: "test.during_backup", detail: { i }, meta });
        written++;
        // better-sqlite3 answers synchronously: let the event loop hear from the backup process.
        await new Promise((r) => setTimeout(r, 5));
      }
    })();
    const res = await run("scripts/backup.ts", ["--dir", join(dir, "backups")], { DATABASE_URL: t.url });
    stop = true;
    await writer;
    expect(res.out).toMatch(/Backup written: .*iop-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}Z\.(sqlite|dump)/);
    expect(res.out).toMatch(/audit chain of \d+ events verified/);
    expect(res.code).toBe(0);
    expect(written).toBeGreaterThan(0);

    const files = readdirSync(join(dir, "backups"));
    backupFile = join(
      dir,
      "backups",
      files.find((f) => /\.(sqlite|dump)$/.test(f))!,
    );
    expect(files.some((f) => f.endsWith(".partial"))).toBe(false);
    manifest = JSON.parse(readFileSync(`${backupFile}.json`, "utf8"));
    expect(manifest).toMatchObject({
      format: "iop-backup/1",
      dialect,
      counts: expect.objectContaining({ patients: expect.any(Number), audit_events: manifest.auditEvents }),
    });
    // One moment: every enrolled patient in the copy has the audit row of the same transaction.
    const live = await checkDatabase(t.db, dialect);
    expect(manifest.counts.patients).toBeLessThanOrEqual(live.counts.patients);
    expect(manifest.auditEvents).toBeLessThanOrEqual(live.auditEvents);
  });

  it("restores the backup into an empty database, row for row, audit chain intact", async () => {
    const res = await run("scripts/restore.ts", [backupFile], { DATABASE_URL: target.url });
    expect(res.out).toContain("Restored");
    expect(res.code).toBe(0);
    const db = createDb(target.url);
    try {
      const check = await checkDatabase(db, dialect);
      expect(check.problems).toEqual([]);
      expect(check.counts).toEqual(manifest.counts);
      expect(await verifyAuditChain(db)).toEqual({ ok: true, count: manifest.auditEvents });
      const enrolled = await db.selectFrom("patients").select("id").where("legal_last_name", "=", "Backup").execute();
      const audited = await db.selectFrom("audit_events").select("id").where("action", "=", "patient.enrolled").execute();
      expect(audited.length).toBe(enrolled.length);
    } finally {
      await db.destroy();
    }
  });

  it("restores over a database that has moved on (keeping the replaced SQLite file), and refuses while it is in use", async () => {
    const db = createDb(target.url);
    await recordAudit(db, { actor: null, action: "test.after_restore", meta });
    if (dialect === "sqlite") {
      const busy = await run("scripts/restore.ts", [backupFile], { DATABASE_URL: target.url });
      expect(busy.code).toBe(1);
      expect(busy.out).toContain("is in use (is the server running?)");
    } else {
      const busy = await run("scripts/restore.ts", [backupFile], { DATABASE_URL: target.url });
      expect(busy.code).toBe(1);
      expect(busy.out).toMatch(/other connections are open to the target database/);
    }
    await db.destroy();
    const res = await run("scripts/restore.ts", [backupFile], { DATABASE_URL: target.url });
    expect(res.code).toBe(0);
    if (dialect === "sqlite") expect(res.out).toMatch(/The database it replaced is kept at .*before-restore-/);
    const again = createDb(target.url);
    try {
      expect((await checkDatabase(again, dialect)).counts).toEqual(manifest.counts);
    } finally {
      await again.destroy();
    }
  });

  it("refuses a damaged file, a file of the other database, and names why; nothing is restored", async () => {
    const damaged = join(dir, `damaged-${manifest.file}`);
    const bytes = readFileSync(backupFile);
    bytes[Math.floor(bytes.length / 2)] ^= 0xff;
    writeFileSync(damaged, bytes);
    writeFileSync(`${damaged}.json`, readFileSync(`${backupFile}.json`));
    const res = await run("scripts/restore.ts", [damaged], { DATABASE_URL: target.url });
    expect(res.code).toBe(1);
    expect(res.out).toContain("is not the file its manifest describes (SHA-256 differs)");

    const other = dialect === "sqlite" ? "postgres://nobody@127.0.0.1:1/none" : `file:${join(dir, "x.sqlite")}`;
    const wrong = await run("scripts/restore.ts", [backupFile], { DATABASE_URL: other });
    expect(wrong.code).toBe(1);
    expect(wrong.out).toMatch(/is a (sqlite|postgres) backup but DATABASE_URL points to (sqlite|postgres)/);

    const notBackup = join(dir, "notes.txt");
    writeFileSync(notBackup, "hello");
    const junk = await run("scripts/restore.ts", [notBackup], { DATABASE_URL: target.url });
    expect(junk.out).toContain("is neither a SQLite database nor a pg_dump archive");
  });

  it("refuses to keep a backup whose audit chain is broken", async () => {
    const edited = await createTestDatabase(dialect);
    try {
      await seed(edited.db);
      await dropAppendOnly(edited.db, "audit_events");
      await sql`update audit_events set action = 'user.deleted' where seq = 2`.execute(edited.db);
      const out = join(dir, "broken");
      const res = await run("scripts/backup.ts", ["--dir", out], { DATABASE_URL: edited.url });
      expect(res.code).toBe(1);
      expect(res.out).toContain("audit chain broken at row 2");
      expect(existsSync(out) ? readdirSync(out) : []).toEqual([]);
    } finally {
      await edited.destroy();
    }
  });

  // Retention works on file names alone; it runs on both databases, since each writes its own kind of file.
  it("--keep N keeps the newest N backups and their manifests", async () => {
    const keepDir = join(dir, "keep");
    for (let i = 0; i < 3; i++) {
      const res = await run("scripts/backup.ts", ["--dir", keepDir, "--keep", "2"], { DATABASE_URL: t.url });
      expect(res.code).toBe(0);
    }
    const left = readdirSync(keepDir).sort();
    expect(left.filter((f) => !f.endsWith(".json"))).toHaveLength(2);
    expect(left.filter((f) => f.endsWith(".json"))).toHaveLength(2);
    const bad = await run("scripts/backup.ts", ["--dir", keepDir, "--keep", "0"], { DATABASE_URL: t.url });
    expect(bad.code).toBe(1);
    expect(bad.out).toContain("--keep must be a whole number of backups, 1 or more");
  }, 120_000); // four runs of the backup command, each a process of its own (pg_dump on PostgreSQL)
});

/**
 * Issue 16, item 7 (at rest): the database, its WAL and backups used to be created 0644, readable
 * by every account on the machine. Everything holding health records or secrets is now 0600 (and
 * its folders 0700) from the moment it exists: after the first start, after a backup, after a
 * restore. Modes are read from the file system, as an attacker on the machine would see them.
 */
import { chmodSync, existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createDb } from "../../db/database";
import { migrateToLatest } from "../../db/migrator";
import { anchorPath } from "~/features/audit/anchor.server";
import { recordAudit } from "~/features/audit/audit.server";
import { keysFilePath } from "~/utils/keys.server";
import { backup, restore } from "../../scripts/lib/backup";
import { createTestDatabase, dialects } from "../support/databases";
import { meta } from "../support/demo";

const mode = (path: string) => statSync(path).mode & 0o777;
const scratch = mkdtempSync(join(tmpdir(), "iop-modes-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("files at rest on SQLite", () => {
  it("creates the database, its WAL and shared-memory files 0600 in a 0700 folder on first start", async () => {
    const dir = join(scratch, "first-start", "data");
    const file = join(dir, "iop.sqlite");
    const db = createDb(`file:${file}`);
    try {
      await migrateToLatest(db);
      await recordAudit(db, { actor: null, action: "test.write", meta });
      expect(existsSync(`${file}-wal`) && existsSync(`${file}-shm`)).toBe(true);
      expect([mode(file), mode(`${file}-wal`), mode(`${file}-shm`)]).toEqual([0o600, 0o600, 0o600]);
      expect(mode(dir)).toBe(0o700);
      // The key file the first write created is the owner's only.
      expect(mode(keysFilePath())).toBe(0o600);
    } finally {
      await db.destroy();
    }
  });

  it("tightens a database file an older release left world-readable", async () => {
    const file = join(scratch, "old", "iop.sqlite");
    const first = createDb(`file:${file}`);
    await migrateToLatest(first);
    await first.destroy();
    chmodSync(file, 0o644);
    const again = createDb(`file:${file}`);
    try {
      await again.selectFrom("sites").select("id").execute();
      expect(mode(file)).toBe(0o600);
    } finally {
      await again.destroy();
    }
  });
});

describe.each(dialects)("backups at rest on %s", (dialect) => {
  it("writes the backup, its manifest and the audit anchor 0600 into a 0700 folder; a restore keeps them 0600", async () => {
    const t = await createTestDatabase(dialect);
    const anchor = anchorPath(t.url)!;
    try {
      await recordAudit(t.db, { actor: null, action: "test.write", meta });
      const dir = join(scratch, `backups-${dialect}`);
      const result = await backup({ databaseUrl: t.url, dir });
      expect(mode(dir)).toBe(0o700);
      expect(mode(result.file)).toBe(0o600);
      expect(mode(`${result.file}.json`)).toBe(0o600);
      expect(mode(anchor)).toBe(0o600);
      if (dialect === "sqlite") {
        const target = join(scratch, "restored", "iop.sqlite");
        const fresh = createDb(`file:${target}`);
        await migrateToLatest(fresh);
        await fresh.destroy();
        const r = await restore({ file: result.file, databaseUrl: `file:${target}` });
        expect(r.check.ok).toBe(true);
        expect(mode(target)).toBe(0o600);
        expect(mode(r.previous!)).toBe(0o600);
        expect(mode(anchorPath(`file:${target}`)!)).toBe(0o600);
      }
    } finally {
      await t.destroy();
      rmSync(anchor, { force: true });
    }
  });
});

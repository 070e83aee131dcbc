/**
 * What `npm run audit:verify` does (scripts/audit-verify.ts parses its arguments and prints): walks
 * the audit chain, names the first row that does not add up, and checks the chain against the audit
 * anchor. It only reads: SQLite is opened read-only (the file is left byte for byte as it was) and
 * PostgreSQL in a read-only, repeatable-read transaction; it never migrates.
 */
import { existsSync, rmSync, statSync } from "node:fs";
import { sql } from "kysely";
import { dialectOf, openReadOnly, parseDatabaseUrl } from "../../db/database";
import { anchorPath, readAnchor } from "../../app/features/audit/anchor.server";
import { verifyAuditChain } from "../../app/features/audit/audit.server";
import { KeyError } from "../../app/utils/keys.server";

export interface VerifyOutput {
  log(line: string): void;
  error(line: string): void;
}

/** Verifies the audit chain of the database `url` names; returns the command's exit status (0 verified, 1 not). */
export async function auditVerify(url: string | undefined, options: { noAnchor: boolean }, print: VerifyOutput = console): Promise<number> {
  let status = 0;
  let db: ReturnType<typeof openReadOnly> | undefined;
  // SQLite cannot read a WAL-mode file without its -wal and -shm files, so a read-only connection
  // creates them (empty) when the server is not running; they are removed again afterwards, so the
  // folder is left as it was. Ones that already existed (a running server's) are never touched.
  let sideFiles: string[] = [];
  try {
    const { dialect, target } = parseDatabaseUrl(url);
    // The anchor is read before the database, so every head it records is one the database had already reached.
    const path = anchorPath(url);
    const anchor = options.noAnchor ? null : readAnchor(path);
    if (dialect === "sqlite") sideFiles = [`${target}-wal`, `${target}-shm`].filter((f) => !existsSync(f));
    try {
      db = openReadOnly(url);
    } catch (e) {
      throw new Error(dialect === "sqlite" ? `there is no database at ${target} (${(e as Error).message})` : String(e));
    }
    const tables =
      dialectOf(db) === "sqlite"
        ? (await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name = 'audit_events'`.execute(db)).rows
        : (
            await sql<{
              name: string;
            }>`select table_name as name from information_schema.tables where table_schema = current_schema() and table_name = 'audit_events'`.execute(db)
          ).rows;
    if (tables.length === 0) {
      print.error(
        "There is no audit log in this database: it was never migrated, or it is not an IOP Dashboard database. Nothing was checked and nothing was changed.",
      );
      status = 1;
    } else {
      const check = (trx: Parameters<typeof verifyAuditChain>[0]) => verifyAuditChain(trx, { anchor });
      const verdict =
        dialectOf(db) === "postgres"
          ? await db.transaction().setIsolationLevel("repeatable read").setAccessMode("read only").execute(check)
          : await db.transaction().execute(check);
      if (verdict.ok) {
        print.log(`Audit chain verified: ${verdict.count} events, none altered, none missing.`);
        if (anchor) {
          print.log(`Checked against the audit anchor ${anchor.path} (${anchor.lines.length} published heads).`);
        } else if (options.noAnchor) {
          print.log("Not checked against an audit anchor (--no-anchor): rows cut from the end would not be seen.");
        } else {
          print.error(
            `NOT VERIFIED: there is no audit anchor at ${path}, so rows cut from the end cannot be ruled out. ` +
              "The server writes it when it starts and every few minutes, and `npm run backup` writes it too. " +
              "If it was never written, run a backup (or start the server) and verify again; if it was deleted, that is itself a finding. " +
              "To check the chain alone: npm run audit:verify -- --no-anchor",
          );
          status = 1;
        }
      } else if (verdict.seq === 0) {
        print.error(`Audit chain NOT VERIFIED: ${verdict.reason}.`);
        status = 1;
      } else {
        print.error(`Audit chain BROKEN at row ${verdict.seq}${verdict.id ? ` (id ${verdict.id})` : ""}: ${verdict.reason}.`);
        print.error(`${verdict.count} rows before it verified.`);
        status = 1;
      }
    }
  } catch (e) {
    const known = e instanceof KeyError || (e as Error).message?.startsWith("there is no database");
    print.error(`Audit chain NOT VERIFIED: ${known ? (e as Error).message : String((e as Error).stack ?? e)}`);
    status = 1;
  } finally {
    await db?.destroy();
    const wal = sideFiles.find((f) => f.endsWith("-wal"));
    if (sideFiles.length === 2 && wal && existsSync(wal) && statSync(wal).size === 0) for (const f of sideFiles) rmSync(f, { force: true });
  }
  return status;
}

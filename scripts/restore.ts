/**
 * `npm run restore -- FILE [--force]`: checks a backup (its manifest's SHA-256 and row counts,
 * integrity, the audit chain), then restores it over the database DATABASE_URL names and checks
 * the result again. Stop the server first. On SQLite the database it replaces is kept beside it
 * as `<file>.before-restore-<time>`.
 */
import { parseArgs } from "node:util";
import { BackupError, restore, summary } from "./lib/backup";

try {
  const { values, positionals } = parseArgs({ options: { force: { type: "boolean", default: false } }, allowPositionals: true, strict: true });
  if (positionals.length !== 1) throw new BackupError("name one backup file: npm run restore -- backups/iop-….sqlite");
  const result = await restore({ file: positionals[0], databaseUrl: process.env.DATABASE_URL, force: values.force });
  console.log(`Restored ${positionals[0]} into ${result.dialect === "sqlite" ? result.target : "the PostgreSQL database"}.`);
  console.log(`Checked: ${summary(result.check)}.`);
  if (result.previous) console.log(`The database it replaced is kept at ${result.previous}.`);
  if (result.check.migrationsPending) console.log("This backup predates the current schema: the server applies the pending migrations when it starts.");
} catch (e) {
  const message =
    e instanceof BackupError || (e as { code?: string }).code?.startsWith("ERR_PARSE_ARGS") ? (e as Error).message : String((e as Error).stack ?? e);
  console.error(`Restore FAILED: ${message}`);
  process.exitCode = 1;
}

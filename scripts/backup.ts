/**
 * `npm run backup -- [--dir DIR] [--keep N]`: a consistent backup of the database DATABASE_URL
 * names, taken while the server keeps running, into DIR/iop-<UTC time>.sqlite (or .dump for
 * PostgreSQL) with a manifest beside it. The copy is checked (integrity, row counts, audit chain)
 * before it is kept; `--keep N` then deletes all but the newest N backups in DIR.
 */
import { parseArgs } from "node:util";
import { BackupError, backup, summary } from "./lib/backup";

try {
  const { values } = parseArgs({
    options: { dir: { type: "string", default: process.env.BACKUP_DIR ?? "./backups" }, keep: { type: "string" } },
    strict: true,
  });
  const keep = values.keep === undefined ? undefined : Number(values.keep);
  if (keep !== undefined && (!Number.isInteger(keep) || keep < 1)) throw new BackupError("--keep must be a whole number of backups, 1 or more");
  const started = Date.now();
  const result = await backup({ databaseUrl: process.env.DATABASE_URL, dir: values.dir!, keep });
  console.log(`Backup written: ${result.file} (${(result.manifest.bytes / 1024 / 1024).toFixed(1)} MB, ${((Date.now() - started) / 1000).toFixed(1)} s)`);
  console.log(`Checked: ${summary(result.manifest)}.`);
  if (result.anchor) {
    console.log(
      result.anchor.started
        ? `Audit anchor started at ${result.anchor.path} (there was none to check against).`
        : `Checked against and published to the audit anchor ${result.anchor.path}.`,
    );
  }
  console.log(
    "The backup is readable by its owner only. It does not hold the audit and two-factor keys: back up the key file (or the key settings) separately.",
  );
  if (result.removed.length) console.log(`Retention (--keep ${keep}): removed ${result.removed.join(", ")}`);
} catch (e) {
  const message =
    e instanceof BackupError || (e as { code?: string }).code?.startsWith("ERR_PARSE_ARGS") ? (e as Error).message : String((e as Error).stack ?? e);
  console.error(`Backup FAILED: ${message}`);
  process.exitCode = 1;
}

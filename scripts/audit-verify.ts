/**
 * `npm run audit:verify [-- --no-anchor]`: walks the audit chain and names the first row that
 * does not add up, then checks it against the audit anchor (the heads published outside the
 * database), so rows cut from the end are found too.
 *
 * It only reads: SQLite is opened read-only (the file is left byte for byte as it was) and
 * PostgreSQL in a read-only, repeatable-read transaction; it never migrates. `--no-anchor`
 * checks the chain alone (say so when reporting: a cut tail then goes unseen).
 */
import { parseArgs } from "node:util";
import { auditVerify } from "./lib/audit-verify";

try {
  const { values } = parseArgs({ options: { "no-anchor": { type: "boolean", default: false } }, strict: true });
  process.exitCode = await auditVerify(process.env.DATABASE_URL, { noAnchor: values["no-anchor"]! });
} catch (e) {
  console.error(`Audit chain NOT VERIFIED: ${(e as Error).message}`);
  process.exitCode = 1;
}

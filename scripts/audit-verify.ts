/** `npm run audit:verify`: walks the audit chain and names the first row that does not add up. */
import { createDb } from "../db/database";
import { migrateToLatest } from "../db/migrator";
import { verifyAuditChain } from "../app/features/audit/audit.server";

const db = createDb();
try {
  await migrateToLatest(db);
  const verdict = await verifyAuditChain(db);
  if (verdict.ok) {
    console.log(`Audit chain verified: ${verdict.count} events, none altered, none missing.`);
  } else {
    console.error(`Audit chain BROKEN at row ${verdict.seq}${verdict.id ? ` (id ${verdict.id})` : ""}: ${verdict.reason}.`);
    console.error(`${verdict.count} rows before it verified.`);
    process.exitCode = 1;
  }
} finally {
  await db.destroy();
}

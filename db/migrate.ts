/** `npm run db:migrate`: brings the database named by DATABASE_URL up to date. */
import { createDb, parseDatabaseUrl } from "./database";
import { migrateToLatest } from "./migrator";

const db = createDb();
const { dialect } = parseDatabaseUrl(process.env.DATABASE_URL);
try {
  const applied = await migrateToLatest(db);
  console.log(applied.length ? `Applied on ${dialect}: ${applied.join(", ")}` : `Database (${dialect}) is up to date.`);
} catch (err) {
  console.error(String(err));
  process.exitCode = 1;
} finally {
  await db.destroy();
}

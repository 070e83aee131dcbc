import { sql } from "kysely";
import { migrationsApplied } from "#db/migrator";
import { getDb } from "~/db.server";

/** Readiness: the database answers and every migration is applied. */
export async function loader() {
  try {
    const db = await getDb();
    await sql`select 1`.execute(db);
    if (!(await migrationsApplied(db))) throw new Error("migrations pending");
    return new Response("ready", { headers: { "Content-Type": "text/plain", "Cache-Control": "no-store" } });
  } catch {
    return new Response("not ready", { status: 503, headers: { "Content-Type": "text/plain", "Cache-Control": "no-store" } });
  }
}

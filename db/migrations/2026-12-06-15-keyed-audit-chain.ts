/**
 * The audit chain is keyed from here on: each new row names the id of the audit key whose
 * HMAC-SHA256 is its hash (the key itself lives outside the database). Rows already written keep
 * `key_id` null and their plain SHA-256; the first keyed row points to the last of them, so the
 * old rows stay covered. Adding a nullable column touches no row, so the append-only triggers
 * are not involved.
 */
import type { Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("audit_events").addColumn("key_id", "text").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("audit_events").dropColumn("key_id").execute();
}

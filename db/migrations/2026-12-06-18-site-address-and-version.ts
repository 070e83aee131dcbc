/**
 * Sites are edited on a screen now, not only by the CLI: each keeps a postal address (several
 * lines, newlines kept as typed), a `version` so two admins editing one site at once cannot
 * overwrite each other, and when it last changed.
 *
 * Frozen in time: imports only Kysely.
 */
import type { Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("sites").addColumn("address", "text").execute();
  await db.schema
    .alterTable("sites")
    .addColumn("version", "integer", (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.alterTable("sites").addColumn("updated_at", "text").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("sites").dropColumn("updated_at").execute();
  await db.schema.alterTable("sites").dropColumn("version").execute();
  await db.schema.alterTable("sites").dropColumn("address").execute();
}

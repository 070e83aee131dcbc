/**
 * Staff credentials and clinical supervision (issue 19, item 1): the credentials a person holds
 * (codes, comma-separated; empty until an admin records them), whether they may sign clinical
 * documents on their own or need a co-signature, whether they are a clinical supervisor who may
 * co-sign, and the supervisor who normally co-signs for them. Edits use the existing `version`.
 *
 * Frozen in time: imports only Kysely.
 */
import type { Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable("users")
    .addColumn("credentials", "text", (c) => c.notNull().defaultTo(""))
    .execute();
  await db.schema
    .alterTable("users")
    .addColumn("signs_independently", "integer", (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .alterTable("users")
    .addColumn("clinical_supervisor", "integer", (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .alterTable("users")
    .addColumn("usual_supervisor_id", "text", (c) => c.references("users.id"))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("users").dropColumn("usual_supervisor_id").execute();
  await db.schema.alterTable("users").dropColumn("clinical_supervisor").execute();
  await db.schema.alterTable("users").dropColumn("signs_independently").execute();
  await db.schema.alterTable("users").dropColumn("credentials").execute();
}

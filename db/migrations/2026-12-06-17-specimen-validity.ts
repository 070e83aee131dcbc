import type { Kysely } from "kysely";

/**
 * Specimen validity as measured, not only as a choice:
 * - `temperature_f`: the urine temperature read at collection, in °F (`temperature_in_range` is
 *   still kept, worked out from it, so older rows and readers keep their meaning);
 * - `creatinine_mg_dl`, `specific_gravity`, `ph`, `oxidant`: the lab's validity tests, when the
 *   lab reports them; the app classifies a specimen from them (dilute, substituted, adulterated,
 *   invalid);
 * - `recollection_of`: a recollection (under direct observation, when the rules ask for it) points
 *   at the test whose specimen could not be relied on.
 *
 * Frozen in time: imports only Kysely. "double precision" is REAL affinity in SQLite and a float8
 * in PostgreSQL, so both dialects return a JavaScript number.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("drug_tests").addColumn("temperature_f", "double precision").execute();
  await db.schema.alterTable("drug_tests").addColumn("creatinine_mg_dl", "double precision").execute();
  await db.schema.alterTable("drug_tests").addColumn("specific_gravity", "double precision").execute();
  await db.schema.alterTable("drug_tests").addColumn("ph", "double precision").execute();
  await db.schema.alterTable("drug_tests").addColumn("oxidant", "integer").execute();
  await db.schema
    .alterTable("drug_tests")
    .addColumn("recollection_of", "text", (c) => c.references("drug_tests.id"))
    .execute();
  await db.schema.createIndex("drug_tests_recollection_of_idx").on("drug_tests").column("recollection_of").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("drug_tests_recollection_of_idx").ifExists().execute();
  for (const column of ["recollection_of", "oxidant", "ph", "specific_gravity", "creatinine_mg_dl", "temperature_f"]) {
    await db.schema.alterTable("drug_tests").dropColumn(column).execute();
  }
}

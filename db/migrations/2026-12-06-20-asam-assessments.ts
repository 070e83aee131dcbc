/**
 * ASAM multidimensional assessments (issue 19, item 2): at intake, at each plan review and at
 * discharge, six dimensions each rated 0–4 with a narrative, the level of care the assessor
 * recommends, the level actually placed, and why they differ.
 *
 * A saved assessment is final: it is never changed in place (a correction is a new assessment),
 * so the table is append-only on both dialects. `version` stays 1; it is there so a later
 * "superseded by" mark could be guarded like every other edited row.
 *
 * The ASAM edition whose dimension names the screens use is a program setting (`asam_edition`,
 * "3" until an admin chooses the 4th edition); each assessment keeps the edition it was written in.
 *
 * Frozen in time: imports only Kysely and the dialect helper.
 */
import type { Kysely } from "kysely";
import { dropAppendOnly, makeAppendOnly } from "./dialect";

export async function up(db: Kysely<any>): Promise<void> {
  let table = db.schema
    .createTable("asam_assessments")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("patient_id", "text", (c) => c.notNull().references("patients.id"))
    .addColumn("site_id", "text", (c) => c.notNull().references("sites.id"))
    // The form's one-time key: a double submit finds the assessment the first one recorded.
    .addColumn("request_key", "text", (c) => c.notNull().unique())
    // intake, review (a plan review) or discharge
    .addColumn("kind", "text", (c) => c.notNull())
    // "3" or "4": the edition whose dimension names the assessor saw.
    .addColumn("edition", "text", (c) => c.notNull())
    .addColumn("assessed_on", "text", (c) => c.notNull());
  for (const d of [1, 2, 3, 4, 5, 6]) {
    table = table.addColumn(`d${d}_rating`, "integer", (c) => c.notNull()).addColumn(`d${d}_narrative`, "text", (c) => c.notNull());
  }
  await table
    // IOP, PHP or OP: the levels of care the program records for patients.
    .addColumn("recommended_level", "text", (c) => c.notNull())
    .addColumn("placed_level", "text", (c) => c.notNull())
    // When they differ: patient_preference, not_available, payer or other (with a note).
    .addColumn("difference_reason", "text")
    .addColumn("difference_note", "text")
    .addColumn("assessed_by", "text", (c) => c.notNull().references("users.id"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("version", "integer", (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex("asam_assessments_patient_idx").on("asam_assessments").columns(["patient_id", "assessed_on"]).execute();
  await makeAppendOnly(db, "asam_assessments");
  await db.insertInto("program_settings").values({ key: "asam_edition", value: "3", updated_at: new Date().toISOString(), updated_by: null }).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.deleteFrom("program_settings").where("key", "=", "asam_edition").execute();
  await dropAppendOnly(db, "asam_assessments");
  await db.schema.dropTable("asam_assessments").execute();
}

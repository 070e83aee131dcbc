import type { Kysely } from "kysely";

/**
 * Requests to amend the record (HIPAA 164.526, ONC 170.315(d)(4)): what the patient asked to
 * change, the program's decision within 60 days (accepted, with what was changed; or denied, with
 * the reason), and the patient's statement of disagreement, kept with the record.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("amendment_requests")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("patient_id", "text", (c) => c.notNull().references("patients.id"))
    .addColumn("requested_on", "text", (c) => c.notNull())
    // Which part of the record, in the patient's words or the chart section.
    .addColumn("section", "text", (c) => c.notNull())
    .addColumn("request", "text", (c) => c.notNull())
    // pending, accepted or denied
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("decided_on", "text")
    .addColumn("decided_by", "text", (c) => c.references("users.id"))
    // Accepted: what was changed and where. Denied: the reason given to the patient.
    .addColumn("decision_note", "text")
    .addColumn("disagreement", "text")
    .addColumn("disagreement_on", "text")
    .addColumn("recorded_by", "text", (c) => c.notNull().references("users.id"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addColumn("version", "integer", (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex("amendment_requests_patient_idx").on("amendment_requests").columns(["patient_id", "requested_on"]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("amendment_requests").execute();
}

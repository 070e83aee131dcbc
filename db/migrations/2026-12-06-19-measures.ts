/**
 * Standardized measures (measurement-based care): each administration of a questionnaire to a
 * patient, with its answers, score, band and whether it is complete; and the safety flags a
 * positive PHQ-9 item 9 opens, each closed by a counselor's recorded safety check.
 *
 * Frozen in time: imports only Kysely.
 */
import type { Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("measure_responses")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("patient_id", "text", (c) => c.notNull().references("patients.id"))
    .addColumn("site_id", "text", (c) => c.notNull().references("sites.id"))
    // phq9, gad7, audit, dast10 or bam
    .addColumn("measure", "text", (c) => c.notNull())
    // The form's one-time key: a double submit finds the response the first one saved.
    .addColumn("request_key", "text", (c) => c.notNull().unique())
    // JSON object: item number -> the index of the chosen answer (unanswered items are absent).
    .addColumn("answers", "text", (c) => c.notNull())
    // Null when an item is missing: a score is never guessed.
    .addColumn("total", "integer")
    .addColumn("band", "text")
    // JSON object of subscale scores (the BAM's use, risk and protective factors), or null.
    .addColumn("subscales", "text")
    .addColumn("complete", "integer", (c) => c.notNull())
    .addColumn("administered_on", "text", (c) => c.notNull())
    .addColumn("entered_by", "text", (c) => c.notNull().references("users.id"))
    .addColumn("entered_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("measure_responses_patient_idx").on("measure_responses").columns(["patient_id", "measure", "administered_on"]).execute();

  await db.schema
    .createTable("safety_flags")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("patient_id", "text", (c) => c.notNull().references("patients.id"))
    .addColumn("site_id", "text", (c) => c.notNull().references("sites.id"))
    .addColumn("response_id", "text", (c) => c.notNull().unique().references("measure_responses.id"))
    // The PHQ-9 item 9 answer that opened it (1, 2 or 3).
    .addColumn("item_answer", "integer", (c) => c.notNull())
    .addColumn("opened_on", "text", (c) => c.notNull())
    .addColumn("opened_at", "text", (c) => c.notNull())
    // open or closed
    .addColumn("status", "text", (c) => c.notNull())
    // The safety check that closes it: low, moderate, high or imminent; the plan; who was told; when.
    .addColumn("risk_level", "text")
    .addColumn("plan", "text")
    .addColumn("who_was_told", "text")
    .addColumn("checked_on", "text")
    .addColumn("checked_by", "text", (c) => c.references("users.id"))
    .addColumn("checked_at", "text")
    .addColumn("version", "integer", (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex("safety_flags_open_idx").on("safety_flags").columns(["site_id", "status"]).execute();
  await db.schema.createIndex("safety_flags_patient_idx").on("safety_flags").columns(["patient_id", "status"]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("safety_flags").execute();
  await db.schema.dropTable("measure_responses").execute();
}

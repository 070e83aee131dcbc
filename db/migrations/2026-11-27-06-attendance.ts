import type { Kysely } from "kysely";

/**
 * Attendance: one roll call per session (its version orders concurrent takers) and one mark per
 * patient on the roster. Corrections change the mark and bump the version; the audit log keeps what
 * it was and why it changed.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("roll_calls")
    .addColumn("session_id", "text", (c) => c.primaryKey().references("sessions.id"))
    .addColumn("taken_by", "text", (c) => c.notNull().references("users.id"))
    .addColumn("taken_at", "text", (c) => c.notNull())
    .addColumn("updated_by", "text", (c) => c.notNull().references("users.id"))
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addColumn("corrections", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("version", "integer", (c) => c.notNull().defaultTo(1))
    .execute();

  await db.schema
    .createTable("attendance")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("session_id", "text", (c) => c.notNull().references("sessions.id"))
    .addColumn("patient_id", "text", (c) => c.notNull().references("patients.id"))
    // present, late, left_early, absent_excused, absent_unexcused
    .addColumn("status", "text", (c) => c.notNull())
    // in_person or telehealth
    .addColumn("mode", "text", (c) => c.notNull())
    .addColumn("minutes", "integer", (c) => c.notNull())
    .addColumn("note", "text")
    // Copied from the session so hours per day and week need no join: the site's civil date.
    .addColumn("local_date", "text", (c) => c.notNull())
    .addColumn("starts_at", "text", (c) => c.notNull())
    .addColumn("recorded_by", "text", (c) => c.notNull().references("users.id"))
    .addColumn("recorded_at", "text", (c) => c.notNull())
    .addUniqueConstraint("attendance_session_patient_uq", ["session_id", "patient_id"])
    .execute();
  await db.schema.createIndex("attendance_patient_date_idx").on("attendance").columns(["patient_id", "local_date"]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("attendance").ifExists().execute();
  await db.schema.dropTable("roll_calls").ifExists().execute();
}

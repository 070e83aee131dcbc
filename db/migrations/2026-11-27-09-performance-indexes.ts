import type { Kysely } from "kysely";

/**
 * Indexes the pages need at clinic-network scale (measured with `npm run bench` on the large seed):
 * - attendance by patient and start time: this week's hours and the last two marks for Home, the
 *   caseload and the chart read a range of one patient's marks by `starts_at`; the older index on
 *   `local_date` made them walk each patient's whole history.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex("attendance_patient_time_idx").on("attendance").columns(["patient_id", "starts_at"]).execute();
  await db.schema.createIndex("sessions_co_facilitator_time_idx").on("sessions").columns(["co_facilitator_id", "starts_at"]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("sessions_co_facilitator_time_idx").ifExists().execute();
  await db.schema.dropIndex("attendance_patient_time_idx").ifExists().execute();
}

import type { Kysely } from "kysely";

/**
 * Indexes for Home's week counts and the reports at clinic-network scale (measured with
 * `npm run bench` on the large seed and `EXPLAIN QUERY PLAN`):
 * - episodes by admission and by discharge date: "admitted this week", "discharged this week" and
 *   the outcome reports count a date range; without these they walked every episode of the site.
 * - attendance by session, date and status: the attendance reports count a month of marks by
 *   session; with the date and status in the index they never read the marks' rows (56 → 21 ms for
 *   a month at the largest site).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex("patient_episodes_admitted_idx").on("patient_episodes").column("admitted_on").execute();
  await db.schema.createIndex("patient_episodes_discharged_idx").on("patient_episodes").column("discharged_on").execute();
  await db.schema.createIndex("attendance_session_date_status_idx").on("attendance").columns(["session_id", "local_date", "status"]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("attendance_session_date_status_idx").ifExists().execute();
  await db.schema.dropIndex("patient_episodes_discharged_idx").ifExists().execute();
  await db.schema.dropIndex("patient_episodes_admitted_idx").ifExists().execute();
}

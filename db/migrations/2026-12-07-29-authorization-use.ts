import { type Kysely, sql } from "kysely";

/**
 * Kept figures for utilization review (issue 22 item 2, ADR 0007): each authorization's units used,
 * one row per authorization. Home's utilization alerts, the program's authorization list and the
 * chart's coverage tab read this row instead of every attended day in the authorization's span
 * (Home's alerts read months of marks for every patient in care at a scale-1 site).
 *
 * The app keeps the rows (app/features/billing/authorization-use.server.ts): the roll-call save
 * moves the day it changed, and a change of level or an authorization's edit recounts the patient.
 *
 * Filled here from the records already stored, by the counting rule as it stands today (frozen with
 * this migration, as migrations are): a day uses units when its attended minutes reach its level's
 * daily minimum (IOP 180, PHP 300, OP never), at the level in effect that day (the latest change on
 * or before it, else the patient's level), counted as 1 a day, its attended sessions, or its whole
 * hours. A restore and the large seed recount with the app's own code.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("authorization_use")
    .addColumn("authorization_id", "text", (c) => c.primaryKey().references("authorizations.id").onDelete("cascade"))
    .addColumn("patient_id", "text", (c) => c.notNull().references("patients.id"))
    .addColumn("units_used", "integer", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("authorization_use_patient_idx").on("authorization_use").column("patient_id").execute();
  await sql`
    WITH days AS (
      SELECT patient_id, local_date, sum(minutes) AS minutes, count(*) AS sessions
      FROM attendance
      WHERE status IN ('present', 'late', 'left_early')
      GROUP BY patient_id, local_date
    ), leveled AS (
      SELECT d.patient_id, d.local_date, d.minutes, d.sessions,
        coalesce((SELECT l.level_of_care FROM level_of_care_changes l
                  WHERE l.patient_id = d.patient_id AND l.effective_on <= d.local_date
                  ORDER BY l.effective_on DESC LIMIT 1), p.level_of_care) AS level
      FROM days d JOIN patients p ON p.id = d.patient_id
    )
    INSERT INTO authorization_use (authorization_id, patient_id, units_used)
    SELECT a.id, a.patient_id, coalesce(sum(CASE
        WHEN d.patient_id IS NULL THEN 0
        WHEN a.unit_kind = 'days' THEN 1
        WHEN a.unit_kind = 'sessions' THEN d.sessions
        ELSE d.minutes / 60 END), 0)
    FROM authorizations a
    LEFT JOIN leveled d ON d.patient_id = a.patient_id AND d.level = a.level_of_care
      AND d.local_date >= a.starts_on AND d.local_date <= a.ends_on
      AND ((d.level = 'IOP' AND d.minutes >= 180) OR (d.level = 'PHP' AND d.minutes >= 300))
    GROUP BY a.id, a.patient_id`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("authorization_use_patient_idx").ifExists().execute();
  await db.schema.dropTable("authorization_use").ifExists().execute();
}

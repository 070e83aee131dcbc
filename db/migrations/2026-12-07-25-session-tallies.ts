import { type Kysely, sql } from "kysely";

/**
 * Kept figures for whole-site pages (ARCHITECTURE rule 11, issue 22, ADR 0007): one row per session
 * and civil date with its roll call's marks counted by outcome. The roll-call save rewrites the
 * session's row in the same transaction as its marks; `rebuildSessionTallies` recomputes every row
 * from the marks (after a restore, and in the tests that compare the two). The attendance reports
 * read these rows instead of counting marks.
 *
 * Also an index of status changes by status and date, so Home's "admitted this week" reads the
 * week's changes to Active rather than every episode the site ever had.
 *
 * The rows are filled here from the marks already stored, so a database migrated from before this
 * table reads right at once. Attended means present, late or left early (the attendance rules'
 * `attended` statuses as of this migration; a migration never imports app code).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("session_tallies")
    .addColumn("session_id", "text", (c) => c.notNull().references("sessions.id"))
    // The marks' civil date (attendance.local_date): a session's marks all carry its day.
    .addColumn("local_date", "text", (c) => c.notNull())
    .addColumn("marks", "integer", (c) => c.notNull())
    .addColumn("attended", "integer", (c) => c.notNull())
    .addColumn("excused", "integer", (c) => c.notNull())
    .addColumn("unexcused", "integer", (c) => c.notNull())
    .addPrimaryKeyConstraint("session_tallies_pk", ["session_id", "local_date"])
    .execute();
  await sql`
    INSERT INTO session_tallies (session_id, local_date, marks, attended, excused, unexcused)
    SELECT session_id, local_date, count(*),
      sum(CASE WHEN status IN ('present', 'late', 'left_early') THEN 1 ELSE 0 END),
      sum(CASE WHEN status = 'absent_excused' THEN 1 ELSE 0 END),
      sum(CASE WHEN status = 'absent_unexcused' THEN 1 ELSE 0 END)
    FROM attendance
    GROUP BY session_id, local_date`.execute(db);
  await db.schema.createIndex("patient_status_changes_status_date_idx").on("patient_status_changes").columns(["status", "effective_on"]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("patient_status_changes_status_date_idx").ifExists().execute();
  await db.schema.dropTable("session_tallies").ifExists().execute();
}

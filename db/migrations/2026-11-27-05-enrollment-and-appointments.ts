import { type Kysely, sql } from "kysely";

/**
 * Who comes to what: a patient's dated track membership, the patients on each session's roster,
 * individual and family sessions (one patient, booked once or weekly), and each user's private
 * calendar feed.
 */
export async function up(db: Kysely<any>): Promise<void> {
  // Membership of a track is dated and kept: starts_on through ends_on (inclusive), ends_on null while current.
  await db.schema
    .createTable("patient_tracks")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("patient_id", "text", (c) => c.notNull().references("patients.id"))
    .addColumn("track_id", "text", (c) => c.notNull().references("tracks.id"))
    .addColumn("starts_on", "text", (c) => c.notNull())
    .addColumn("ends_on", "text")
    .addColumn("end_reason", "text")
    .addColumn("created_by", "text", (c) => c.references("users.id"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("patient_tracks_patient_idx").on("patient_tracks").columns(["patient_id", "starts_on"]).execute();
  await db.schema.createIndex("patient_tracks_track_idx").on("patient_tracks").columns(["track_id", "ends_on"]).execute();

  await db.schema
    .alterTable("patients")
    .addColumn("track_id", "text", (c) => c.references("tracks.id"))
    .execute();
  // Earlier patients named their track in free text; link the ones whose name matches a track at their site.
  await sql`
    update patients set track_id = (
      select t.id from tracks t where t.site_id = patients.site_id and lower(t.name) = lower(patients.track)
    ) where track is not null`.execute(db);
  await sql`
    insert into patient_tracks (id, patient_id, track_id, starts_on, created_at)
    select p.id || '-t', p.id, p.track_id, p.level_since, p.created_at from patients p where p.track_id is not null`.execute(db);
  await db.schema.alterTable("patients").dropColumn("track").execute();
  await db.schema.createIndex("patients_track_idx").on("patients").columns(["track_id", "status"]).execute();

  // A series is either a group or a patient's recurring individual/family session.
  await db.schema
    .alterTable("group_series")
    .addColumn("session_kind", "text", (c) => c.notNull().defaultTo("group"))
    .execute();
  await db.schema
    .alterTable("group_series")
    .addColumn("patient_id", "text", (c) => c.references("patients.id"))
    .execute();
  await db.schema.alterTable("group_series").addColumn("approach", "text").execute();
  await db.schema.alterTable("group_series").addColumn("family_members", "text").execute();
  await db.schema
    .alterTable("sessions")
    .addColumn("patient_id", "text", (c) => c.references("patients.id"))
    .execute();
  await db.schema.alterTable("sessions").addColumn("approach", "text").execute();
  await db.schema.alterTable("sessions").addColumn("family_members", "text").execute();
  await db.schema.createIndex("sessions_series_time_idx").on("sessions").columns(["series_id", "starts_at"]).execute();

  // The roster. left_at is set (never deleted) when a patient leaves a session they were on.
  await db.schema
    .createTable("session_participants")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("session_id", "text", (c) => c.notNull().references("sessions.id"))
    .addColumn("patient_id", "text", (c) => c.notNull().references("patients.id"))
    // "track" (enrolled with their track), "added" (put on the roster by hand), "booked" (individual/family), "removed" (taken off by hand)
    .addColumn("source", "text", (c) => c.notNull())
    .addColumn("joined_at", "text", (c) => c.notNull())
    .addColumn("left_at", "text")
    .addColumn("left_reason", "text")
    .addUniqueConstraint("session_participants_uq", ["session_id", "patient_id"])
    .execute();
  await db.schema.createIndex("session_participants_patient_idx").on("session_participants").columns(["patient_id", "session_id"]).execute();

  // A secret, revocable calendar address per user; only a hash of its secret is kept.
  await db.schema
    .createTable("calendar_feeds")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("user_id", "text", (c) => c.notNull().references("users.id"))
    .addColumn("secret_hash", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("revoked_at", "text")
    .addColumn("last_used_at", "text")
    .execute();
  await db.schema.createIndex("calendar_feeds_user_idx").on("calendar_feeds").columns(["user_id"]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("calendar_feeds").ifExists().execute();
  await db.schema.dropTable("session_participants").ifExists().execute();
  await db.schema.dropIndex("sessions_series_time_idx").ifExists().execute();
  for (const c of ["family_members", "approach", "patient_id"]) await db.schema.alterTable("sessions").dropColumn(c).execute();
  for (const c of ["family_members", "approach", "patient_id", "session_kind"]) await db.schema.alterTable("group_series").dropColumn(c).execute();
  await db.schema.dropIndex("patients_track_idx").ifExists().execute();
  await db.schema.alterTable("patients").addColumn("track", "text").execute();
  await sql`update patients set track = (select name from tracks where tracks.id = patients.track_id)`.execute(db);
  await db.schema.alterTable("patients").dropColumn("track_id").execute();
  await db.schema.dropTable("patient_tracks").ifExists().execute();
}

import { type Kysely, sql } from "kysely";

/** Recurring group series and the sessions they generate (one row per occurrence). */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("group_series")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("site_id", "text", (c) => c.notNull().references("sites.id"))
    .addColumn("track_id", "text", (c) => c.references("tracks.id"))
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("facilitator_id", "text", (c) => c.notNull().references("users.id"))
    .addColumn("co_facilitator_id", "text", (c) => c.references("users.id"))
    .addColumn("room_id", "text", (c) => c.references("rooms.id"))
    .addColumn("modality", "text", (c) => c.notNull())
    .addColumn("capacity", "integer", (c) => c.notNull())
    .addColumn("days", "text", (c) => c.notNull())
    .addColumn("start_time", "text", (c) => c.notNull())
    .addColumn("end_time", "text", (c) => c.notNull())
    .addColumn("starts_on", "text", (c) => c.notNull())
    .addColumn("ends_on", "text")
    .addColumn("auto_enroll", "integer", (c) => c.notNull().defaultTo(1))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addColumn("version", "integer", (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex("group_series_site_idx").on("group_series").columns(["site_id", "track_id"]).execute();

  await db.schema
    .createTable("sessions")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("site_id", "text", (c) => c.notNull().references("sites.id"))
    .addColumn("series_id", "text", (c) => c.references("group_series.id"))
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("group_kind", "text")
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("track_id", "text", (c) => c.references("tracks.id"))
    .addColumn("facilitator_id", "text", (c) => c.notNull().references("users.id"))
    .addColumn("co_facilitator_id", "text", (c) => c.references("users.id"))
    .addColumn("room_id", "text", (c) => c.references("rooms.id"))
    .addColumn("modality", "text", (c) => c.notNull())
    .addColumn("capacity", "integer", (c) => c.notNull())
    .addColumn("local_date", "text", (c) => c.notNull())
    .addColumn("starts_at", "text", (c) => c.notNull())
    .addColumn("ends_at", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("cancel_reason", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addColumn("version", "integer", (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex("sessions_site_time_idx").on("sessions").columns(["site_id", "starts_at"]).execute();
  await db.schema.createIndex("sessions_facilitator_time_idx").on("sessions").columns(["facilitator_id", "starts_at"]).execute();
  await db.schema.createIndex("sessions_room_time_idx").on("sessions").columns(["room_id", "starts_at"]).execute();
  // One occurrence of a series per day: re-generating a series cannot duplicate sessions.
  await db.schema
    .createIndex("sessions_series_date_uq")
    .on("sessions")
    .columns(["series_id", "local_date"])
    .unique()
    .where(sql.ref("series_id"), "is not", null)
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("sessions").ifExists().execute();
  await db.schema.dropTable("group_series").ifExists().execute();
}

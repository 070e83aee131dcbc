/**
 * Progress notes and group notes (issue 20). One note per held session (`notes`), written by the
 * session's facilitator or co-facilitator: for a group, a shared part written once (topic,
 * curriculum, interventions, how the group went) and, in `note_entries`, one part per patient who
 * attended; for an individual or family session, one entry holding the note's sections (DAP, BIRP
 * or SOAP). Each part carries its own `version`, so two people writing different patients' parts of
 * one group note never refuse each other, and a part saved over a newer one is refused, not lost.
 *
 * Signing signs the whole note and locks it: once `notes.signed_at` is set, a trigger on both
 * dialects refuses any change to the shared part, the signature or any entry's content, and any
 * delete. After signing only an addendum (`note_addenda`, append-only) can be added: to the shared
 * part (seen in every member's chart) or to one patient's part (seen in that patient's chart only).
 *
 * Program settings: `note_format` (dap), `note_late_hours` (24: a note signed later than this after
 * the session ends is a late entry), `notes_required_for_billing` (0: when 1, a day is billable
 * only when every session the patient attended that day has a signed note).
 *
 * Frozen in time: imports only Kysely and the dialect helper.
 */
import { type Kysely, sql } from "kysely";
import { isPostgres } from "./dialect";

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("notes")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("site_id", "text", (c) => c.notNull().references("sites.id"))
    // One note per session.
    .addColumn("session_id", "text", (c) => c.notNull().unique().references("sessions.id"))
    // group, individual or family (copied from the session).
    .addColumn("kind", "text", (c) => c.notNull())
    // dap, birp or soap: the sections each patient's part is written in.
    .addColumn("format", "text", (c) => c.notNull())
    // The session's civil date and end, copied for per-day queries and the late-entry rule.
    .addColumn("local_date", "text", (c) => c.notNull())
    .addColumn("session_ends_at", "text", (c) => c.notNull())
    // JSON: the group's shared part (topic, curriculum, interventions, process); "{}" otherwise.
    .addColumn("shared", "text", (c) => c.notNull())
    .addColumn("created_by", "text", (c) => c.notNull().references("users.id"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_by", "text", (c) => c.notNull().references("users.id"))
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addColumn("signed_by", "text", (c) => c.references("users.id"))
    .addColumn("signed_at", "text")
    .addColumn("late_entry", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("cosign_required", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("cosigned_by", "text", (c) => c.references("users.id"))
    .addColumn("cosigned_at", "text")
    .addColumn("version", "integer", (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex("notes_site_date_idx").on("notes").columns(["site_id", "local_date"]).execute();
  await db.schema.createIndex("notes_cosign_idx").on("notes").columns(["cosign_required", "cosigned_at"]).execute();

  await db.schema
    .createTable("note_entries")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("note_id", "text", (c) => c.notNull().references("notes.id"))
    .addColumn("patient_id", "text", (c) => c.notNull().references("patients.id"))
    // JSON: the patient's part (sections of the format, participation, objectives, risk).
    .addColumn("content", "text", (c) => c.notNull())
    // What the roll call said when the note was signed (minutes and mode), for the record.
    .addColumn("minutes", "integer")
    .addColumn("mode", "text")
    .addColumn("updated_by", "text", (c) => c.notNull().references("users.id"))
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addColumn("version", "integer", (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex("note_entries_note_patient_uq").on("note_entries").columns(["note_id", "patient_id"]).unique().execute();
  await db.schema.createIndex("note_entries_patient_idx").on("note_entries").columns(["patient_id"]).execute();

  await db.schema
    .createTable("note_addenda")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("note_id", "text", (c) => c.notNull().references("notes.id"))
    // null: an addendum to the shared part; else to that patient's part only.
    .addColumn("patient_id", "text", (c) => c.references("patients.id"))
    .addColumn("request_key", "text", (c) => c.notNull().unique())
    .addColumn("text", "text", (c) => c.notNull())
    .addColumn("signed_by", "text", (c) => c.notNull().references("users.id"))
    .addColumn("signed_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("note_addenda_note_idx").on("note_addenda").columns(["note_id"]).execute();

  // 42 CFR 2.11 "SUD counseling notes": a clinician's own notes analysing what was said in a
  // counseling session, kept apart from the progress note and the rest of the record. They hold
  // none of what a progress note must (times, modality, results, diagnosis, plan, progress), only
  // their author reads them, and they are disclosed only under a consent that names them.
  await db.schema
    .createTable("counseling_notes")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("site_id", "text", (c) => c.notNull().references("sites.id"))
    .addColumn("patient_id", "text", (c) => c.notNull().references("patients.id"))
    .addColumn("session_id", "text", (c) => c.references("sessions.id"))
    .addColumn("request_key", "text", (c) => c.notNull().unique())
    .addColumn("text", "text", (c) => c.notNull())
    .addColumn("written_by", "text", (c) => c.notNull().references("users.id"))
    .addColumn("written_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("counseling_notes_patient_idx").on("counseling_notes").columns(["patient_id", "written_by"]).execute();

  if (isPostgres(db)) {
    await sql`
      CREATE OR REPLACE FUNCTION refuse_signed_note_change() RETURNS trigger AS $$
      BEGIN
        IF TG_OP = 'DELETE' THEN
          IF OLD.signed_at IS NOT NULL THEN RAISE EXCEPTION 'a signed note is never deleted'; END IF;
          RETURN OLD;
        END IF;
        IF OLD.signed_at IS NOT NULL AND (NEW.shared IS DISTINCT FROM OLD.shared OR NEW.signed_at IS DISTINCT FROM OLD.signed_at
            OR NEW.signed_by IS DISTINCT FROM OLD.signed_by OR NEW.session_id IS DISTINCT FROM OLD.session_id
            OR NEW.format IS DISTINCT FROM OLD.format) THEN
          RAISE EXCEPTION 'a signed note never changes';
        END IF;
        RETURN NEW;
      END;
      $$ LANGUAGE plpgsql`.execute(db);
    await sql`CREATE TRIGGER notes_signed BEFORE UPDATE OR DELETE ON notes FOR EACH ROW EXECUTE FUNCTION refuse_signed_note_change()`.execute(db);
    await sql`
      CREATE OR REPLACE FUNCTION refuse_signed_note_entry_change() RETURNS trigger AS $$
      BEGIN
        IF EXISTS (SELECT 1 FROM notes WHERE id = OLD.note_id AND signed_at IS NOT NULL) THEN
          IF TG_OP = 'DELETE' THEN RAISE EXCEPTION 'a signed note is never deleted'; END IF;
          IF NEW.content IS DISTINCT FROM OLD.content OR NEW.patient_id IS DISTINCT FROM OLD.patient_id OR NEW.note_id IS DISTINCT FROM OLD.note_id
              OR NEW.minutes IS DISTINCT FROM OLD.minutes OR NEW.mode IS DISTINCT FROM OLD.mode THEN
            RAISE EXCEPTION 'a signed note never changes';
          END IF;
        END IF;
        IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
        RETURN NEW;
      END;
      $$ LANGUAGE plpgsql`.execute(db);
    await sql`CREATE TRIGGER note_entries_signed BEFORE UPDATE OR DELETE ON note_entries FOR EACH ROW EXECUTE FUNCTION refuse_signed_note_entry_change()`.execute(
      db,
    );
    await sql`
      CREATE OR REPLACE FUNCTION refuse_note_addendum_change() RETURNS trigger AS $$
      BEGIN RAISE EXCEPTION 'an addendum never changes'; END;
      $$ LANGUAGE plpgsql`.execute(db);
    await sql`CREATE TRIGGER note_addenda_append_only BEFORE UPDATE OR DELETE ON note_addenda FOR EACH ROW EXECUTE FUNCTION refuse_note_addendum_change()`.execute(
      db,
    );
  } else {
    await sql`CREATE TRIGGER notes_signed_update BEFORE UPDATE OF shared, signed_at, signed_by, session_id, format ON notes
      WHEN OLD.signed_at IS NOT NULL
      BEGIN SELECT RAISE(ABORT, 'a signed note never changes'); END`.execute(db);
    await sql`CREATE TRIGGER notes_signed_delete BEFORE DELETE ON notes
      WHEN OLD.signed_at IS NOT NULL
      BEGIN SELECT RAISE(ABORT, 'a signed note is never deleted'); END`.execute(db);
    await sql`CREATE TRIGGER note_entries_signed_update BEFORE UPDATE OF content, patient_id, note_id, minutes, mode ON note_entries
      WHEN EXISTS (SELECT 1 FROM notes WHERE id = OLD.note_id AND signed_at IS NOT NULL)
      BEGIN SELECT RAISE(ABORT, 'a signed note never changes'); END`.execute(db);
    await sql`CREATE TRIGGER note_entries_signed_delete BEFORE DELETE ON note_entries
      WHEN EXISTS (SELECT 1 FROM notes WHERE id = OLD.note_id AND signed_at IS NOT NULL)
      BEGIN SELECT RAISE(ABORT, 'a signed note is never deleted'); END`.execute(db);
    await sql`CREATE TRIGGER note_addenda_no_update BEFORE UPDATE ON note_addenda
      BEGIN SELECT RAISE(ABORT, 'an addendum never changes'); END`.execute(db);
    await sql`CREATE TRIGGER note_addenda_no_delete BEFORE DELETE ON note_addenda
      BEGIN SELECT RAISE(ABORT, 'an addendum never changes'); END`.execute(db);
  }
  const now = new Date().toISOString();
  await db
    .insertInto("program_settings")
    .values([
      { key: "note_format", value: "dap", updated_at: now, updated_by: null },
      { key: "note_late_hours", value: "24", updated_at: now, updated_by: null },
      { key: "notes_required_for_billing", value: "0", updated_at: now, updated_by: null },
    ])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.deleteFrom("program_settings").where("key", "in", ["note_format", "note_late_hours", "notes_required_for_billing"]).execute();
  if (isPostgres(db)) {
    await sql`DROP TRIGGER IF EXISTS note_addenda_append_only ON note_addenda`.execute(db);
    await sql`DROP TRIGGER IF EXISTS note_entries_signed ON note_entries`.execute(db);
    await sql`DROP TRIGGER IF EXISTS notes_signed ON notes`.execute(db);
    await sql`DROP FUNCTION IF EXISTS refuse_note_addendum_change()`.execute(db);
    await sql`DROP FUNCTION IF EXISTS refuse_signed_note_entry_change()`.execute(db);
    await sql`DROP FUNCTION IF EXISTS refuse_signed_note_change()`.execute(db);
  }
  await db.schema.dropTable("counseling_notes").execute();
  await db.schema.dropTable("note_addenda").execute();
  await db.schema.dropTable("note_entries").execute();
  await db.schema.dropTable("notes").execute();
}

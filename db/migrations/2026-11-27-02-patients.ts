import { type Kysely, sql } from "kysely";

/**
 * Patients and their treatment episodes: intake demographics, status and level-of-care history,
 * coded diagnoses, MAT episodes and discharge with aftercare.
 */
export async function up(db: Kysely<any>): Promise<void> {
  // One row; MRNs are handed out by incrementing it, which serialises on both dialects.
  await db.schema
    .createTable("mrn_counter")
    .addColumn("id", "integer", (c) => c.primaryKey())
    .addColumn("last_value", "integer", (c) => c.notNull())
    .execute();
  await db.insertInto("mrn_counter").values({ id: 1, last_value: 1000 }).execute();

  await db.schema
    .createTable("patients")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("mrn", "text", (c) => c.notNull().unique())
    .addColumn("site_id", "text", (c) => c.notNull().references("sites.id"))
    .addColumn("legal_first_name", "text", (c) => c.notNull())
    .addColumn("legal_last_name", "text", (c) => c.notNull())
    .addColumn("preferred_name", "text")
    .addColumn("date_of_birth", "text", (c) => c.notNull())
    .addColumn("sex", "text", (c) => c.notNull())
    .addColumn("gender_identity", "text")
    .addColumn("phone", "text")
    .addColumn("email", "text")
    .addColumn("address", "text")
    .addColumn("emergency_contact_name", "text")
    .addColumn("emergency_contact_relationship", "text")
    .addColumn("emergency_contact_phone", "text")
    .addColumn("preferred_language", "text", (c) => c.notNull())
    .addColumn("primary_counselor_id", "text", (c) => c.references("users.id"))
    .addColumn("track", "text")
    .addColumn("payer_type", "text", (c) => c.notNull())
    .addColumn("payer_plan", "text")
    .addColumn("payer_member_id", "text")
    .addColumn("detox_status", "text", (c) => c.notNull())
    .addColumn("detox_completed_on", "text")
    .addColumn("part2_notice_on", "text")
    // Current state, kept in step with the history tables by the same transaction.
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("level_of_care", "text", (c) => c.notNull())
    .addColumn("level_since", "text", (c) => c.notNull())
    .addColumn("current_episode_id", "text")
    .addColumn("search_name", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addColumn("version", "integer", (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex("patients_site_status_idx").on("patients").columns(["site_id", "status", "search_name"]).execute();
  await db.schema.createIndex("patients_counselor_idx").on("patients").columns(["primary_counselor_id", "status"]).execute();
  await db.schema.createIndex("patients_dup_idx").on("patients").columns(["date_of_birth", "search_name"]).execute();

  await db.schema
    .createTable("patient_episodes")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("patient_id", "text", (c) => c.notNull().references("patients.id"))
    .addColumn("episode_number", "integer", (c) => c.notNull())
    .addColumn("referral_source", "text", (c) => c.notNull())
    .addColumn("admitted_on", "text", (c) => c.notNull())
    .addColumn("discharged_on", "text")
    .addColumn("discharge_reason", "text")
    .addColumn("next_level_of_care", "text")
    .addColumn("aftercare", "text")
    .addColumn("discharge_note", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addUniqueConstraint("patient_episodes_number_uq", ["patient_id", "episode_number"])
    .execute();

  await db.schema
    .createTable("patient_status_changes")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("patient_id", "text", (c) => c.notNull().references("patients.id"))
    .addColumn("episode_id", "text", (c) => c.notNull().references("patient_episodes.id"))
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("effective_on", "text", (c) => c.notNull())
    .addColumn("reason", "text")
    .addColumn("changed_by", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("patient_status_changes_patient_idx").on("patient_status_changes").columns(["patient_id", "effective_on"]).execute();

  await db.schema
    .createTable("level_of_care_changes")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("patient_id", "text", (c) => c.notNull().references("patients.id"))
    .addColumn("episode_id", "text", (c) => c.notNull().references("patient_episodes.id"))
    .addColumn("level_of_care", "text", (c) => c.notNull())
    .addColumn("effective_on", "text", (c) => c.notNull())
    .addColumn("reason", "text", (c) => c.notNull())
    .addColumn("changed_by", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("level_of_care_changes_patient_idx").on("level_of_care_changes").columns(["patient_id", "effective_on"]).execute();

  await db.schema
    .createTable("patient_diagnoses")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("patient_id", "text", (c) => c.notNull().references("patients.id"))
    .addColumn("code", "text", (c) => c.notNull())
    .addColumn("description", "text", (c) => c.notNull())
    .addColumn("category", "text", (c) => c.notNull())
    .addColumn("is_primary", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("onset_on", "text")
    .addColumn("resolved_on", "text")
    .addColumn("created_by", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addColumn("version", "integer", (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex("patient_diagnoses_patient_idx").on("patient_diagnoses").columns(["patient_id", "category", "resolved_on"]).execute();
  // One active entry per code: two people adding the same diagnosis at once cannot both succeed.
  await db.schema
    .createIndex("patient_diagnoses_active_uq")
    .on("patient_diagnoses")
    .columns(["patient_id", "code"])
    .unique()
    .where(sql.ref("resolved_on"), "is", null)
    .execute();

  await db.schema
    .createTable("mat_episodes")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("patient_id", "text", (c) => c.notNull().references("patients.id"))
    .addColumn("medication", "text", (c) => c.notNull())
    .addColumn("formulation", "text")
    .addColumn("dose", "text", (c) => c.notNull())
    .addColumn("schedule", "text", (c) => c.notNull())
    .addColumn("prescriber", "text", (c) => c.notNull())
    .addColumn("setting", "text", (c) => c.notNull())
    .addColumn("started_on", "text", (c) => c.notNull())
    .addColumn("ended_on", "text")
    .addColumn("end_reason", "text")
    .addColumn("created_by", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addColumn("version", "integer", (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex("mat_episodes_patient_idx").on("mat_episodes").columns(["patient_id", "started_on"]).execute();
  await db.schema
    .createIndex("mat_episodes_open_uq")
    .on("mat_episodes")
    .columns(["patient_id", "medication"])
    .unique()
    .where(sql.ref("ended_on"), "is", null)
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ["mat_episodes", "patient_diagnoses", "level_of_care_changes", "patient_status_changes", "patient_episodes", "patients", "mrn_counter"]) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}

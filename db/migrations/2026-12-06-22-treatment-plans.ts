/**
 * Treatment plans (issue 19, item 4). One row per version of a patient's plan: a draft the author
 * edits (guarded by `version`), then signed by the author, acknowledged by the patient and, where
 * the author's credentials need it, co-signed by a clinical supervisor; then active until a later
 * version replaces it.
 *
 * A signed plan never changes: once `signed_at` is set, its content, author signature and patient
 * are refused by a trigger on both dialects, and a signed version cannot be deleted. What may still
 * be written on a signed row is what happens to it afterwards (acknowledgement, co-signature,
 * activation, being replaced).
 *
 * `plan_review_days` (30) is the program setting for how long an active plan runs before review.
 *
 * Frozen in time: imports only Kysely and the dialect helper.
 */
import { type Kysely, sql } from "kysely";
import { isPostgres } from "./dialect";

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("treatment_plans")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("patient_id", "text", (c) => c.notNull().references("patients.id"))
    .addColumn("site_id", "text", (c) => c.notNull().references("sites.id"))
    // 1, 2, 3…: the version's number in the patient's plan.
    .addColumn("number", "integer", (c) => c.notNull())
    // The form's one-time key: a double submit finds the draft the first one started.
    .addColumn("request_key", "text", (c) => c.notNull().unique())
    // The version this one was written from (null for the first).
    .addColumn("based_on_id", "text", (c) => c.references("treatment_plans.id"))
    // Why it was written: initial, scheduled, level_change, unexpected_result or update.
    .addColumn("reason", "text", (c) => c.notNull())
    // JSON: problems (diagnosis, statement, goal, objectives, interventions), strengths, barriers.
    .addColumn("content", "text", (c) => c.notNull())
    .addColumn("created_by", "text", (c) => c.notNull().references("users.id"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addColumn("signed_by", "text", (c) => c.references("users.id"))
    .addColumn("signed_at", "text")
    .addColumn("cosign_required", "integer", (c) => c.notNull().defaultTo(0))
    // What the patient typed as their signature, and who handed them the screen.
    .addColumn("acknowledged_name", "text")
    .addColumn("acknowledged_at", "text")
    .addColumn("acknowledged_with", "text", (c) => c.references("users.id"))
    .addColumn("cosigned_by", "text", (c) => c.references("users.id"))
    .addColumn("cosigned_at", "text")
    .addColumn("activated_at", "text")
    // The site's civil date it became active, and the review date fixed then.
    .addColumn("effective_on", "text")
    .addColumn("review_days", "integer")
    .addColumn("superseded_at", "text")
    .addColumn("superseded_by", "text", (c) => c.references("treatment_plans.id"))
    .addColumn("version", "integer", (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex("treatment_plans_patient_number_uq").on("treatment_plans").columns(["patient_id", "number"]).unique().execute();
  await db.schema.createIndex("treatment_plans_site_idx").on("treatment_plans").columns(["site_id", "activated_at"]).execute();

  if (isPostgres(db)) {
    await sql`
      CREATE OR REPLACE FUNCTION refuse_signed_plan_change() RETURNS trigger AS $$
      BEGIN
        IF TG_OP = 'DELETE' THEN
          IF OLD.signed_at IS NOT NULL THEN RAISE EXCEPTION 'a signed treatment plan is never deleted'; END IF;
          RETURN OLD;
        END IF;
        IF OLD.signed_at IS NOT NULL AND (NEW.content IS DISTINCT FROM OLD.content OR NEW.signed_at IS DISTINCT FROM OLD.signed_at
            OR NEW.signed_by IS DISTINCT FROM OLD.signed_by OR NEW.patient_id IS DISTINCT FROM OLD.patient_id OR NEW.number IS DISTINCT FROM OLD.number) THEN
          RAISE EXCEPTION 'a signed treatment plan never changes';
        END IF;
        RETURN NEW;
      END;
      $$ LANGUAGE plpgsql`.execute(db);
    await sql`CREATE TRIGGER treatment_plans_signed BEFORE UPDATE OR DELETE ON treatment_plans
      FOR EACH ROW EXECUTE FUNCTION refuse_signed_plan_change()`.execute(db);
  } else {
    await sql`CREATE TRIGGER treatment_plans_signed_update BEFORE UPDATE OF content, signed_at, signed_by, patient_id, number ON treatment_plans
      WHEN OLD.signed_at IS NOT NULL
      BEGIN SELECT RAISE(ABORT, 'a signed treatment plan never changes'); END`.execute(db);
    await sql`CREATE TRIGGER treatment_plans_signed_delete BEFORE DELETE ON treatment_plans
      WHEN OLD.signed_at IS NOT NULL
      BEGIN SELECT RAISE(ABORT, 'a signed treatment plan is never deleted'); END`.execute(db);
  }
  await db.insertInto("program_settings").values({ key: "plan_review_days", value: "30", updated_at: new Date().toISOString(), updated_by: null }).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.deleteFrom("program_settings").where("key", "=", "plan_review_days").execute();
  if (isPostgres(db)) {
    await sql`DROP TRIGGER IF EXISTS treatment_plans_signed ON treatment_plans`.execute(db);
    await sql`DROP FUNCTION IF EXISTS refuse_signed_plan_change()`.execute(db);
  }
  await db.schema.dropTable("treatment_plans").execute();
}

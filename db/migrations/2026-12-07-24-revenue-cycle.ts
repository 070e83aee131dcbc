/**
 * The revenue cycle (issue 21): who pays (`payers`), each patient's insurance (`coverages`), what the
 * payer approved (`authorizations`), Medicare's physician certification for IOP and PHP
 * (`medicare_certifications`), how a day is billed per payer and level of care (`fee_schedule`),
 * one charge per patient per billable day (`charges`), claims sent as an 837 batch
 * (`claim_batches`, `claims`) and remittances read from an 835 (`remittances`, `remittance_lines`).
 *
 * A `billing` role joins admin, counselor and staff: billing staff handle coverage, authorizations
 * and claims and never read clinical notes.
 *
 * Frozen in time: imports only Kysely and the dialect helper.
 */
import { type Kysely, sql } from "kysely";
import { isPostgres } from "./dialect";

const RECERT_SETTINGS = [
  ["medicare_recert_iop_first_day", "60"],
  ["medicare_recert_iop_interval_days", "60"],
  ["medicare_recert_php_first_day", "18"],
  ["medicare_recert_php_interval_days", "30"],
] as const;

const OLD_ROLES = "role in ('admin', 'counselor', 'staff')";
const NEW_ROLES = "role in ('admin', 'counselor', 'staff', 'billing')";

/** Swaps the check on `users.role`. SQLite cannot alter a CHECK: the table is rebuilt from its own
 * stored definition (sqlite.org/lang_altertable.html, "making other kinds of table schema
 * changes"), with foreign keys off while it is swapped and its indexes and triggers recreated. */
async function swapRoleCheck(db: Kysely<any>, from: string, to: string): Promise<void> {
  if (isPostgres(db)) {
    await sql`ALTER TABLE users DROP CONSTRAINT IF EXISTS users_role_check`.execute(db);
    await sql`ALTER TABLE users ADD CONSTRAINT users_role_check CHECK (${sql.raw(to)})`.execute(db);
    return;
  }
  const table = await sql<{ sql: string }>`SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'users'`.execute(db);
  const definition = table.rows[0]?.sql ?? "";
  if (!definition.includes(from)) throw new Error(`users.role check not found as expected: ${definition.slice(0, 300)}`);
  const others = await sql<{
    sql: string;
  }>`SELECT sql FROM sqlite_master WHERE tbl_name = 'users' AND type IN ('index', 'trigger') AND sql IS NOT NULL`.execute(db);
  await sql`PRAGMA foreign_keys = OFF`.execute(db);
  const rebuilt = definition.replace(from, to).replace(/^CREATE TABLE\s+("?users"?)/i, 'CREATE TABLE "users_rebuilt"');
  await sql.raw(rebuilt).execute(db);
  await sql`INSERT INTO users_rebuilt SELECT * FROM users`.execute(db);
  await sql`DROP TABLE users`.execute(db);
  await sql`ALTER TABLE users_rebuilt RENAME TO users`.execute(db);
  for (const o of others.rows) await sql.raw(o.sql).execute(db);
  const broken = await sql`PRAGMA foreign_key_check`.execute(db);
  await sql`PRAGMA foreign_keys = ON`.execute(db);
  if (broken.rows.length) throw new Error(`foreign keys broken by the users rebuild: ${JSON.stringify(broken.rows).slice(0, 500)}`);
}

export async function up(db: Kysely<any>): Promise<void> {
  await swapRoleCheck(db, OLD_ROLES, NEW_ROLES);

  // Who pays: per site, since each site contracts with its own payers.
  await db.schema
    .createTable("payers")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("site_id", "text", (c) => c.notNull().references("sites.id"))
    .addColumn("name", "text", (c) => c.notNull())
    // commercial, medicaid, medicare, self_pay, grant
    .addColumn("kind", "text", (c) => c.notNull())
    // The payer's electronic id (NM109 of the 837's payer loop); empty for self-pay and grants.
    .addColumn("payer_code", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("active", "integer", (c) => c.notNull().defaultTo(1))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addColumn("version", "integer", (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex("payers_site_name_uq").on("payers").columns(["site_id", "name"]).unique().execute();

  await db.schema
    .createTable("coverages")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("patient_id", "text", (c) => c.notNull().references("patients.id"))
    .addColumn("payer_id", "text", (c) => c.notNull().references("payers.id"))
    .addColumn("member_id", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("group_number", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("subscriber_name", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("subscriber_birth_date", "text")
    // self, spouse, child, other (the 837's SBR02 / PAT01 individual relationship)
    .addColumn("relationship", "text", (c) => c.notNull().defaultTo("self"))
    // primary, secondary
    .addColumn("priority", "text", (c) => c.notNull())
    .addColumn("effective_from", "text", (c) => c.notNull())
    .addColumn("effective_to", "text")
    .addColumn("created_by", "text", (c) => c.notNull().references("users.id"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addColumn("version", "integer", (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex("coverages_patient_idx").on("coverages").columns(["patient_id", "priority"]).execute();

  await db.schema
    .createTable("authorizations")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("coverage_id", "text", (c) => c.notNull().references("coverages.id"))
    .addColumn("patient_id", "text", (c) => c.notNull().references("patients.id"))
    .addColumn("level_of_care", "text", (c) => c.notNull())
    // days, sessions, hours
    .addColumn("unit_kind", "text", (c) => c.notNull())
    .addColumn("units_approved", "integer", (c) => c.notNull())
    .addColumn("starts_on", "text", (c) => c.notNull())
    .addColumn("ends_on", "text", (c) => c.notNull())
    // requested, approved, denied, expired
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("number", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("next_review_on", "text")
    .addColumn("created_by", "text", (c) => c.notNull().references("users.id"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addColumn("version", "integer", (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex("authorizations_patient_idx").on("authorizations").columns(["patient_id", "level_of_care", "starts_on"]).execute();
  await db.schema.createIndex("authorizations_coverage_idx").on("authorizations").columns(["coverage_id"]).execute();

  // The physician's certification that a Medicare patient needs IOP (at least 9 hours a week) or
  // PHP (at least 20), and each recertification: append-only, a new row per (re)certification.
  await db.schema
    .createTable("medicare_certifications")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("patient_id", "text", (c) => c.notNull().references("patients.id"))
    .addColumn("coverage_id", "text", (c) => c.notNull().references("coverages.id"))
    .addColumn("level_of_care", "text", (c) => c.notNull())
    // initial, recertification
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("certified_on", "text", (c) => c.notNull())
    .addColumn("physician_name", "text", (c) => c.notNull())
    .addColumn("physician_npi", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("hours_per_week", "integer", (c) => c.notNull())
    .addColumn("created_by", "text", (c) => c.notNull().references("users.id"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("medicare_certifications_patient_idx").on("medicare_certifications").columns(["patient_id", "certified_on"]).execute();

  // How a day is billed for one payer at one level of care.
  await db.schema
    .createTable("fee_schedule")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("site_id", "text", (c) => c.notNull().references("sites.id"))
    .addColumn("payer_id", "text", (c) => c.notNull().references("payers.id"))
    .addColumn("level_of_care", "text", (c) => c.notNull())
    // professional (837P), institutional (837I)
    .addColumn("claim_type", "text", (c) => c.notNull())
    .addColumn("procedure_code", "text", (c) => c.notNull())
    // comma-separated two-character modifiers, e.g. "HF,U7"
    .addColumn("modifiers", "text", (c) => c.notNull().defaultTo(""))
    // institutional claims only: 0905, 0906, 0912, 0913
    .addColumn("revenue_code", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("units_per_day", "integer", (c) => c.notNull().defaultTo(1))
    // The day rule: attended minutes the day needs, and whether its sessions need signed notes.
    .addColumn("min_minutes", "integer", (c) => c.notNull())
    .addColumn("requires_signed_note", "integer", (c) => c.notNull().defaultTo(1))
    .addColumn("rate_cents", "integer", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addColumn("version", "integer", (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex("fee_schedule_payer_level_uq").on("fee_schedule").columns(["payer_id", "level_of_care"]).unique().execute();

  await db.schema
    .createTable("claim_batches")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("site_id", "text", (c) => c.notNull().references("sites.id"))
    // professional, institutional
    .addColumn("claim_type", "text", (c) => c.notNull())
    // ISA13 / GS06 / ST02: unique per site, counted up.
    .addColumn("control_number", "integer", (c) => c.notNull())
    .addColumn("claim_count", "integer", (c) => c.notNull())
    .addColumn("line_count", "integer", (c) => c.notNull())
    .addColumn("total_cents", "integer", (c) => c.notNull())
    // The 837 as exported, so it can be downloaded again byte for byte.
    .addColumn("content", "text", (c) => c.notNull())
    .addColumn("request_key", "text", (c) => c.notNull().unique())
    .addColumn("created_by", "text", (c) => c.notNull().references("users.id"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("claim_batches_site_control_uq").on("claim_batches").columns(["site_id", "control_number"]).unique().execute();

  await db.schema
    .createTable("claims")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("batch_id", "text", (c) => c.notNull().references("claim_batches.id"))
    .addColumn("patient_id", "text", (c) => c.notNull().references("patients.id"))
    .addColumn("coverage_id", "text", (c) => c.notNull().references("coverages.id"))
    // CLM01, the patient control number the 835 returns in CLP01: unique.
    .addColumn("control", "text", (c) => c.notNull().unique())
    // CLM05-3: 1 original, 7 replacement, 8 void
    .addColumn("frequency", "text", (c) => c.notNull().defaultTo("1"))
    .addColumn("replaces_claim_id", "text", (c) => c.references("claims.id"))
    .addColumn("total_cents", "integer", (c) => c.notNull())
    // sent, paid, partly_paid, denied
    .addColumn("status", "text", (c) => c.notNull().defaultTo("sent"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("claims_batch_idx").on("claims").columns(["batch_id"]).execute();
  await db.schema.createIndex("claims_patient_idx").on("claims").columns(["patient_id"]).execute();

  // One charge per patient per billable day (a voided charge steps aside for its replacement).
  await db.schema
    .createTable("charges")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("site_id", "text", (c) => c.notNull().references("sites.id"))
    .addColumn("patient_id", "text", (c) => c.notNull().references("patients.id"))
    .addColumn("service_date", "text", (c) => c.notNull())
    .addColumn("level_of_care", "text", (c) => c.notNull())
    // Attended and documented minutes that day, as last computed.
    .addColumn("minutes", "integer", (c) => c.notNull())
    .addColumn("documented_minutes", "integer", (c) => c.notNull())
    .addColumn("coverage_id", "text", (c) => c.references("coverages.id"))
    .addColumn("payer_id", "text", (c) => c.references("payers.id"))
    .addColumn("authorization_id", "text", (c) => c.references("authorizations.id"))
    .addColumn("fee_schedule_id", "text", (c) => c.references("fee_schedule.id"))
    .addColumn("procedure_code", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("modifiers", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("revenue_code", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("units", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("amount_cents", "integer", (c) => c.notNull().defaultTo(0))
    // ready, held, exported, paid, denied, void
    .addColumn("status", "text", (c) => c.notNull())
    // JSON array of hold reasons (empty unless held).
    .addColumn("hold_reasons", "text", (c) => c.notNull().defaultTo("[]"))
    .addColumn("claim_id", "text", (c) => c.references("claims.id"))
    .addColumn("paid_cents", "integer")
    // JSON array of CAS adjustments from the 835: [{ group, reason, cents }].
    .addColumn("adjustments", "text", (c) => c.notNull().defaultTo("[]"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addColumn("version", "integer", (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema
    .createIndex("charges_patient_day_uq")
    .on("charges")
    .columns(["patient_id", "service_date"])
    .unique()
    .where(sql.ref("status"), "<>", "void")
    .execute();
  await db.schema.createIndex("charges_site_status_idx").on("charges").columns(["site_id", "status", "service_date"]).execute();
  await db.schema.createIndex("charges_claim_idx").on("charges").columns(["claim_id"]).execute();

  await db.schema
    .createTable("remittances")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("site_id", "text", (c) => c.notNull().references("sites.id"))
    .addColumn("payer_name", "text", (c) => c.notNull())
    // TRN02: the check or EFT trace number.
    .addColumn("trace_number", "text", (c) => c.notNull())
    .addColumn("paid_on", "text")
    .addColumn("paid_cents", "integer", (c) => c.notNull())
    .addColumn("line_count", "integer", (c) => c.notNull())
    .addColumn("unmatched_count", "integer", (c) => c.notNull())
    .addColumn("content", "text", (c) => c.notNull())
    .addColumn("request_key", "text", (c) => c.notNull().unique())
    .addColumn("created_by", "text", (c) => c.notNull().references("users.id"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("remittances_site_trace_uq").on("remittances").columns(["site_id", "trace_number"]).unique().execute();

  await db.schema
    .createTable("remittance_lines")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("remittance_id", "text", (c) => c.notNull().references("remittances.id"))
    // null when the line matched no charge: listed, never dropped.
    .addColumn("charge_id", "text", (c) => c.references("charges.id"))
    .addColumn("claim_control", "text", (c) => c.notNull())
    .addColumn("service_date", "text")
    .addColumn("procedure_code", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("charge_cents", "integer", (c) => c.notNull())
    .addColumn("paid_cents", "integer", (c) => c.notNull())
    // paid, adjusted, denied
    .addColumn("outcome", "text", (c) => c.notNull())
    // JSON array: [{ group, reason, cents }] (CAS segments).
    .addColumn("adjustments", "text", (c) => c.notNull().defaultTo("[]"))
    .execute();
  await db.schema.createIndex("remittance_lines_remittance_idx").on("remittance_lines").columns(["remittance_id"]).execute();
  await db.schema.createIndex("remittance_lines_charge_idx").on("remittance_lines").columns(["charge_id"]).execute();

  // Program settings: when Medicare's first recertification falls due (days after admission) and
  // how often after that, for IOP and PHP (the app's billing rules cite the regulation).
  const now = new Date().toISOString();
  await db
    .insertInto("program_settings")
    .values(RECERT_SETTINGS.map(([key, value]) => ({ key, value, updated_at: now, updated_by: null })))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db
    .deleteFrom("program_settings")
    .where(
      "key",
      "in",
      RECERT_SETTINGS.map(([key]) => key),
    )
    .execute();
  for (const t of [
    "remittance_lines",
    "remittances",
    "charges",
    "claims",
    "claim_batches",
    "fee_schedule",
    "medicare_certifications",
    "authorizations",
    "coverages",
    "payers",
  ])
    await db.schema.dropTable(t).execute();
  await db.deleteFrom("users").where("role", "=", "billing").execute();
  await swapRoleCheck(db, NEW_ROLES, OLD_ROLES);
}

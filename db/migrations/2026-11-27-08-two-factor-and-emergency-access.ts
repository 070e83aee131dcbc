import type { Kysely } from "kysely";

/**
 * Two-factor sign-in (TOTP with single-use recovery codes), the program's sign-in policy, and
 * emergency ("break the glass") access to charts a user's role or sites would not show.
 */
export async function up(db: Kysely<any>): Promise<void> {
  // The TOTP key (base32) is written when set-up starts and confirmed by totp_enabled_at once the
  // person has typed a code from it; totp_last_counter is the 30-second step last accepted, so a
  // code can never be used twice.
  await db.schema.alterTable("users").addColumn("totp_secret", "text").execute();
  await db.schema.alterTable("users").addColumn("totp_enabled_at", "text").execute();
  await db.schema.alterTable("users").addColumn("totp_last_counter", "bigint").execute();
  // 1 when an admin has named this person as one who may break the glass.
  await db.schema
    .alterTable("users")
    .addColumn("emergency_access", "integer", (c) => c.notNull().defaultTo(0))
    .execute();

  await db.schema
    .createTable("recovery_codes")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("user_id", "text", (c) => c.notNull().references("users.id"))
    // Hex SHA-256 of the code: each code carries 50 random bits, shown once and never stored.
    .addColumn("code_hash", "text", (c) => c.notNull())
    .addColumn("used_at", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("recovery_codes_user_idx").on("recovery_codes").columns(["user_id", "code_hash"]).execute();

  // A session is only good for the app once its second factor is done: "done", or "verify" (a code
  // is owed) or "enrol" (the policy requires two-factor sign-in and it is not set up yet).
  await db.schema
    .alterTable("user_sessions")
    .addColumn("second_factor", "text", (c) => c.notNull().defaultTo("done"))
    .execute();

  await db.schema
    .createTable("program_settings")
    .addColumn("key", "text", (c) => c.primaryKey())
    .addColumn("value", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addColumn("updated_by", "text")
    .addColumn("version", "integer", (c) => c.notNull().defaultTo(1))
    .execute();
  // Two-factor sign-in is required for admins from the start (ONC 170.315(d)(13)).
  await db
    .insertInto("program_settings")
    .values({ key: "two_factor_required_for", value: "admins", updated_at: new Date().toISOString(), updated_by: null })
    .execute();

  await db.schema
    .createTable("emergency_access")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("user_id", "text", (c) => c.notNull().references("users.id"))
    .addColumn("patient_id", "text", (c) => c.notNull().references("patients.id"))
    .addColumn("site_id", "text", (c) => c.notNull().references("sites.id"))
    .addColumn("reason", "text", (c) => c.notNull())
    .addColumn("started_at", "text", (c) => c.notNull())
    .addColumn("expires_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("emergency_access_user_idx").on("emergency_access").columns(["user_id", "patient_id", "expires_at"]).execute();
  await db.schema.createIndex("emergency_access_started_idx").on("emergency_access").columns(["started_at"]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("emergency_access").execute();
  await db.schema.dropTable("program_settings").execute();
  await db.schema.alterTable("user_sessions").dropColumn("second_factor").execute();
  await db.schema.dropTable("recovery_codes").execute();
  for (const c of ["emergency_access", "totp_last_counter", "totp_enabled_at", "totp_secret"]) await db.schema.alterTable("users").dropColumn(c).execute();
}

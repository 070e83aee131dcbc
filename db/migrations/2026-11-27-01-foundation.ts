import { type Kysely, sql } from "kysely";
import { makeAppendOnly } from "./dialect";

/** Sites, staff accounts, sign-in sessions, sign-in throttling and the hash-chained audit log. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("sites")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("name", "text", (c) => c.notNull().unique())
    .addColumn("time_zone", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("users")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("email", "text", (c) => c.notNull().unique())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("role", "text", (c) => c.notNull().check(sql`role in ('admin', 'counselor', 'staff')`))
    .addColumn("password_hash", "text", (c) => c.notNull())
    .addColumn("must_change_password", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("active", "integer", (c) => c.notNull().defaultTo(1))
    .addColumn("last_sign_in_at", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addColumn("version", "integer", (c) => c.notNull().defaultTo(1))
    .execute();

  await db.schema
    .createTable("user_sites")
    .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("site_id", "text", (c) => c.notNull().references("sites.id"))
    .addPrimaryKeyConstraint("user_sites_pk", ["user_id", "site_id"])
    .execute();
  await db.schema.createIndex("user_sites_site_idx").on("user_sites").column("site_id").execute();

  await db.schema
    .createTable("user_sessions")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("secret_hash", "text", (c) => c.notNull())
    .addColumn("site_id", "text", (c) => c.references("sites.id"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("last_active_at", "text", (c) => c.notNull())
    .addColumn("expires_at", "text", (c) => c.notNull())
    .addColumn("ip", "text")
    .addColumn("user_agent", "text")
    .execute();
  await db.schema.createIndex("user_sessions_user_idx").on("user_sessions").column("user_id").execute();

  await db.schema
    .createTable("sign_in_throttle")
    .addColumn("key", "text", (c) => c.primaryKey())
    .addColumn("failures", "integer", (c) => c.notNull())
    .addColumn("window_started_at", "text", (c) => c.notNull())
    .addColumn("locked_until", "text")
    .execute();

  await db.schema
    .createTable("audit_events")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("seq", "integer", (c) => c.notNull().unique())
    .addColumn("occurred_at", "text", (c) => c.notNull())
    .addColumn("user_id", "text")
    .addColumn("user_name", "text")
    .addColumn("action", "text", (c) => c.notNull())
    .addColumn("outcome", "text", (c) => c.notNull())
    .addColumn("entity_type", "text")
    .addColumn("entity_id", "text")
    .addColumn("patient_id", "text")
    .addColumn("site_id", "text")
    .addColumn("changes", "text")
    .addColumn("ip", "text")
    .addColumn("user_agent", "text")
    .addColumn("prev_hash", "text", (c) => c.notNull())
    .addColumn("hash", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("audit_events_time_idx").on("audit_events").columns(["occurred_at", "seq"]).execute();
  await db.schema.createIndex("audit_events_user_idx").on("audit_events").columns(["user_id", "seq"]).execute();
  await db.schema.createIndex("audit_events_patient_idx").on("audit_events").columns(["patient_id", "seq"]).execute();
  await db.schema.createIndex("audit_events_action_idx").on("audit_events").columns(["action", "seq"]).execute();
  await makeAppendOnly(db, "audit_events");

  await db.schema
    .createTable("audit_chain_head")
    .addColumn("id", "integer", (c) => c.primaryKey())
    .addColumn("seq", "integer", (c) => c.notNull())
    .addColumn("hash", "text", (c) => c.notNull())
    .execute();
  await db.insertInto("audit_chain_head").values({ id: 1, seq: 0, hash: GENESIS_HASH }).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ["audit_chain_head", "audit_events", "sign_in_throttle", "user_sessions", "user_sites", "users", "sites"]) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}

/** The hash the first audit row points back to. */
const GENESIS_HASH = "0".repeat(64);

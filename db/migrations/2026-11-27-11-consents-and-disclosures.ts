import type { Kysely } from "kysely";
import { dropAppendOnly, makeAppendOnly } from "./dialect";

/**
 * 42 CFR Part 2 consents (§2.31) and the disclosures made under them (§2.32, accounting under §2.25).
 *
 * A consent is never deleted: revocation and a manually marked expiry are dated columns on its row.
 * A disclosure is append-only: it keeps what was sent (content and notice) so it can be reproduced.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("consents")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("patient_id", "text", (c) => c.notNull().references("patients.id"))
    .addColumn("site_id", "text", (c) => c.notNull().references("sites.id"))
    // The form's one-time key: a double submit finds the consent the first one recorded.
    .addColumn("request_key", "text", (c) => c.notNull().unique())
    // Who may disclose: the program (by default the site's name).
    .addColumn("disclosing_party", "text", (c) => c.notNull())
    // JSON array of information categories (attendance, drug_tests, level_of_care, diagnoses, medications, discharge_summary).
    .addColumn("information", "text", (c) => c.notNull())
    // The recipient: a named person or organization, or (TPO consents only) a general designation.
    .addColumn("recipient", "text", (c) => c.notNull())
    // Lower-cased, spaces collapsed: how a disclosure's recipient is matched to the consent.
    .addColumn("recipient_key", "text", (c) => c.notNull())
    // named or general
    .addColumn("recipient_designation", "text", (c) => c.notNull())
    // JSON array of purposes (treatment, payment, health_care_operations, court_probation, employer, family, other).
    .addColumn("purposes", "text", (c) => c.notNull())
    .addColumn("purpose_other", "text")
    // A date, an event, or both (whichever comes first ends it).
    .addColumn("expires_on", "text")
    // null, discharge (the app evaluates it) or other (described in words; a date or a person marks it).
    .addColumn("expiry_event", "text")
    .addColumn("expiry_event_text", "text")
    // 1: the patient was told they may revoke the consent.
    .addColumn("revocation_explained", "integer", (c) => c.notNull())
    .addColumn("signed_on", "text", (c) => c.notNull())
    // patient, parent_guardian or representative
    .addColumn("signed_by", "text", (c) => c.notNull())
    .addColumn("signer_name", "text")
    .addColumn("note", "text")
    .addColumn("revoked_on", "text")
    .addColumn("revocation_note", "text")
    .addColumn("revoked_by", "text", (c) => c.references("users.id"))
    // The day an expiry event in words was marked as having happened.
    .addColumn("expired_on", "text")
    .addColumn("expiry_note", "text")
    .addColumn("expired_by", "text", (c) => c.references("users.id"))
    .addColumn("recorded_by", "text", (c) => c.notNull().references("users.id"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addColumn("version", "integer", (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex("consents_patient_idx").on("consents").columns(["patient_id", "signed_on"]).execute();

  await db.schema
    .createTable("disclosures")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("patient_id", "text", (c) => c.notNull().references("patients.id"))
    .addColumn("site_id", "text", (c) => c.notNull().references("sites.id"))
    .addColumn("consent_id", "text", (c) => c.notNull().references("consents.id"))
    .addColumn("request_key", "text", (c) => c.notNull().unique())
    // The civil date at the site, and the instant.
    .addColumn("disclosed_on", "text", (c) => c.notNull())
    .addColumn("disclosed_at", "text", (c) => c.notNull())
    .addColumn("disclosed_by", "text", (c) => c.notNull().references("users.id"))
    .addColumn("recipient", "text", (c) => c.notNull())
    .addColumn("purpose", "text", (c) => c.notNull())
    .addColumn("purpose_detail", "text")
    // JSON array of the information categories included.
    .addColumn("information", "text", (c) => c.notNull())
    // The first day the records cover (through disclosed_on).
    .addColumn("records_from", "text", (c) => c.notNull())
    // JSON: exactly what the document showed, so it can be reproduced.
    .addColumn("content", "text", (c) => c.notNull())
    // The §2.32 notice printed at the top, as printed.
    .addColumn("notice", "text", (c) => c.notNull())
    .addColumn("note", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("disclosures_patient_idx").on("disclosures").columns(["patient_id", "disclosed_on"]).execute();
  await makeAppendOnly(db, "disclosures");
}

export async function down(db: Kysely<any>): Promise<void> {
  await dropAppendOnly(db, "disclosures");
  await db.schema.dropTable("disclosures").ifExists().execute();
  await db.schema.dropTable("consents").ifExists().execute();
}

import type { Kysely } from "kysely";

/**
 * Drug testing: admin-defined panels, collections with their per-analyte results and lab
 * confirmations, the alerts an unexpected result raises until a counselor acknowledges it, and
 * random draws kept with their seed and eligible list so anyone can re-run them.
 *
 * Frozen in time: the default panels below are written as plain data, not read from app code.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("drug_test_panels")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("name", "text", (c) => c.notNull().unique())
    // urine, oral_fluid, breath or blood: the specimen the panel is run on.
    .addColumn("specimen", "text", (c) => c.notNull())
    // JSON array of analyte codes, in the order they are shown.
    .addColumn("analytes", "text", (c) => c.notNull())
    .addColumn("active", "integer", (c) => c.notNull().defaultTo(1))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addColumn("version", "integer", (c) => c.notNull().defaultTo(1))
    .execute();

  // One random draw per row; a second draw for the same site and day gets the next sequence and a reason.
  await db.schema
    .createTable("drug_test_draws")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("site_id", "text", (c) => c.notNull().references("sites.id"))
    .addColumn("draw_date", "text", (c) => c.notNull())
    .addColumn("sequence", "integer", (c) => c.notNull())
    // attending (on a session's roster that day) or all_active
    .addColumn("pool", "text", (c) => c.notNull())
    // rate (percent of the eligible, rounded up) or number
    .addColumn("mode", "text", (c) => c.notNull())
    .addColumn("amount", "integer", (c) => c.notNull())
    // 32 random bytes as hex, from node:crypto; with eligible and algorithm it reproduces selected.
    .addColumn("seed", "text", (c) => c.notNull())
    .addColumn("algorithm", "text", (c) => c.notNull())
    // JSON arrays of patient ids: eligible sorted ascending, selected in the order drawn.
    .addColumn("eligible", "text", (c) => c.notNull())
    .addColumn("selected", "text", (c) => c.notNull())
    .addColumn("reason", "text")
    .addColumn("drawn_by", "text", (c) => c.notNull().references("users.id"))
    .addColumn("drawn_at", "text", (c) => c.notNull())
    .addUniqueConstraint("drug_test_draws_day_uq", ["site_id", "draw_date", "sequence"])
    .execute();

  await db.schema
    .createTable("drug_tests")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("site_id", "text", (c) => c.notNull().references("sites.id"))
    .addColumn("patient_id", "text", (c) => c.notNull().references("patients.id"))
    .addColumn("draw_id", "text", (c) => c.references("drug_test_draws.id"))
    // The form's one-time key: a double submit finds the collection the first one made.
    .addColumn("request_key", "text", (c) => c.notNull().unique())
    .addColumn("collected_at", "text", (c) => c.notNull())
    // The civil date at the site when it was collected.
    .addColumn("collected_on", "text", (c) => c.notNull())
    // collected, refused or no_show
    .addColumn("collection", "text", (c) => c.notNull())
    .addColumn("reason", "text", (c) => c.notNull())
    .addColumn("specimen", "text")
    .addColumn("observed", "integer")
    // 1/0 for urine, null otherwise; an out-of-range temperature carries its explanation.
    .addColumn("temperature_in_range", "integer")
    .addColumn("temperature_note", "text")
    .addColumn("panel_id", "text", (c) => c.references("drug_test_panels.id"))
    .addColumn("collected_by", "text", (c) => c.notNull().references("users.id"))
    .addColumn("validity", "text")
    // pending, negative, positive, invalid, refused, no_show
    .addColumn("outcome", "text", (c) => c.notNull())
    // 1 when an analyte was read as an unexpected positive (for streaks and the negative rate).
    .addColumn("unexpected_positive", "integer", (c) => c.notNull().defaultTo(0))
    // JSON: the MAT episodes running on collected_on that the results were read against.
    .addColumn("mat_context", "text", (c) => c.notNull())
    .addColumn("note", "text")
    .addColumn("recorded_by", "text", (c) => c.notNull().references("users.id"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addColumn("completed_at", "text")
    .addColumn("version", "integer", (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex("drug_tests_site_day_idx").on("drug_tests").columns(["site_id", "collected_on"]).execute();
  await db.schema.createIndex("drug_tests_patient_idx").on("drug_tests").columns(["patient_id", "collected_at"]).execute();

  await db.schema
    .createTable("drug_test_results")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("test_id", "text", (c) => c.notNull().references("drug_tests.id"))
    .addColumn("analyte", "text", (c) => c.notNull())
    // negative or positive (presumptive); null while pending.
    .addColumn("result", "text")
    // confirmed_positive or confirmed_negative, from a lab, for a presumptive positive.
    .addColumn("confirmation", "text")
    .addColumn("lab", "text")
    .addColumn("accession_number", "text")
    .addColumn("confirmed_on", "text")
    // The reading against the patient's MAT: pending, expected_negative, expected_positive, unexpected_positive, unexpected_negative.
    .addColumn("reading", "text", (c) => c.notNull())
    .addColumn("high_risk", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("rule", "text")
    .addColumn("updated_by", "text", (c) => c.references("users.id"))
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addUniqueConstraint("drug_test_results_uq", ["test_id", "analyte"])
    .execute();

  // One row per finding of a test ("unexpected_positive:fentanyl", "refused"); open until acknowledged.
  await db.schema
    .createTable("drug_test_alerts")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("test_id", "text", (c) => c.notNull().references("drug_tests.id"))
    .addColumn("patient_id", "text", (c) => c.notNull().references("patients.id"))
    .addColumn("finding", "text", (c) => c.notNull())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("analyte", "text")
    .addColumn("label", "text", (c) => c.notNull())
    .addColumn("high_risk", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("raised_at", "text", (c) => c.notNull())
    // open, acknowledged, or withdrawn (the finding went away, e.g. a lab confirmed negative)
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("closed_at", "text")
    .addColumn("closed_by", "text", (c) => c.references("users.id"))
    .addColumn("note", "text")
    .addColumn("version", "integer", (c) => c.notNull().defaultTo(1))
    .addUniqueConstraint("drug_test_alerts_uq", ["test_id", "finding"])
    .execute();
  await db.schema.createIndex("drug_test_alerts_open_idx").on("drug_test_alerts").columns(["patient_id", "status"]).execute();

  const now = new Date().toISOString();
  const urine = [
    "amphetamine",
    "methamphetamine",
    "mdma",
    "barbiturates",
    "benzodiazepines",
    "buprenorphine",
    "cocaine",
    "thc",
    "methadone",
    "eddp",
    "opiates",
    "oxycodone",
    "fentanyl",
    "pcp",
    "etg",
  ];
  await db
    .insertInto("drug_test_panels")
    .values([
      {
        id: "01900000-0000-7000-8000-00000000d701",
        name: "Urine — standard panel",
        specimen: "urine",
        analytes: JSON.stringify(urine),
        active: 1,
        created_at: now,
        updated_at: now,
        version: 1,
      },
      {
        id: "01900000-0000-7000-8000-00000000d702",
        name: "Breath alcohol",
        specimen: "breath",
        analytes: JSON.stringify(["breath_alcohol"]),
        active: 1,
        created_at: now,
        updated_at: now,
        version: 1,
      },
      {
        id: "01900000-0000-7000-8000-00000000d703",
        name: "Oral fluid — standard panel",
        specimen: "oral_fluid",
        analytes: JSON.stringify(urine.filter((a) => a !== "etg")),
        active: 1,
        created_at: now,
        updated_at: now,
        version: 1,
      },
    ])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("drug_test_alerts").ifExists().execute();
  await db.schema.dropTable("drug_test_results").ifExists().execute();
  await db.schema.dropTable("drug_tests").ifExists().execute();
  await db.schema.dropTable("drug_test_draws").ifExists().execute();
  await db.schema.dropTable("drug_test_panels").ifExists().execute();
}

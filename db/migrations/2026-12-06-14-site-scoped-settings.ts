/**
 * Settings one site's admin changes stop reaching every other site (issue 16, item 7d):
 *
 * - `site_settings`: a site's own choice of a setting (today: who must use two-factor sign-in).
 *   Every existing site starts with the value the whole network had; a site added later follows
 *   `program_settings` (the network default) until its admin chooses.
 * - `drug_test_panels.site_id`: each site keeps its own panels. The panels that exist are kept as
 *   the network's starting set (site_id null, never shown in the app) and copied to every existing
 *   site; each site's drug tests are moved to its own copy. Names are unique per site.
 *
 * Frozen in time: imports only Kysely, node:crypto and the dialect helper.
 */
import { randomUUID } from "node:crypto";
import { type Kysely, sql } from "kysely";
import { isPostgres } from "./dialect";

const PANEL_COLUMNS = ["id", "site_id", "name", "specimen", "analytes", "active", "created_at", "updated_at", "version"] as const;

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("site_settings")
    .addColumn("site_id", "text", (c) => c.notNull().references("sites.id"))
    .addColumn("key", "text", (c) => c.notNull())
    .addColumn("value", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addColumn("updated_by", "text")
    .addColumn("version", "integer", (c) => c.notNull().defaultTo(1))
    .addPrimaryKeyConstraint("site_settings_pk", ["site_id", "key"])
    .execute();

  const sites: { id: string }[] = await db.selectFrom("sites").select("id").orderBy("id").execute();
  const settings: { key: string; value: string; updated_at: string; updated_by: string | null }[] = await db
    .selectFrom("program_settings")
    .select(["key", "value", "updated_at", "updated_by"])
    .execute();
  for (const site of sites) {
    if (settings.length)
      await db
        .insertInto("site_settings")
        .values(settings.map((s) => ({ site_id: site.id, ...s, version: 1 })))
        .execute();
  }

  // Panels: a site column, and names unique per site instead of across the network.
  if (isPostgres(db)) {
    await sql`ALTER TABLE drug_test_panels DROP CONSTRAINT IF EXISTS drug_test_panels_name_key`.execute(db);
    await db.schema
      .alterTable("drug_test_panels")
      .addColumn("site_id", "text", (c) => c.references("sites.id"))
      .execute();
  } else {
    // SQLite cannot drop a column's UNIQUE: rebuild the table (sqlite.org/lang_altertable.html,
    // "making other kinds of table schema changes"), with foreign keys off while it is swapped.
    await sql`PRAGMA foreign_keys = OFF`.execute(db);
    await db.schema
      .createTable("drug_test_panels_rebuilt")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("site_id", "text", (c) => c.references("sites.id"))
      .addColumn("name", "text", (c) => c.notNull())
      .addColumn("specimen", "text", (c) => c.notNull())
      .addColumn("analytes", "text", (c) => c.notNull())
      .addColumn("active", "integer", (c) => c.notNull().defaultTo(1))
      .addColumn("created_at", "text", (c) => c.notNull())
      .addColumn("updated_at", "text", (c) => c.notNull())
      .addColumn("version", "integer", (c) => c.notNull().defaultTo(1))
      .execute();
    await sql`INSERT INTO drug_test_panels_rebuilt (id, site_id, name, specimen, analytes, active, created_at, updated_at, version)
      SELECT id, NULL, name, specimen, analytes, active, created_at, updated_at, version FROM drug_test_panels`.execute(db);
    await db.schema.dropTable("drug_test_panels").execute();
    await sql`ALTER TABLE drug_test_panels_rebuilt RENAME TO drug_test_panels`.execute(db);
    const broken = await sql`PRAGMA foreign_key_check`.execute(db);
    await sql`PRAGMA foreign_keys = ON`.execute(db);
    if (broken.rows.length) throw new Error(`foreign keys broken by the panel rebuild: ${JSON.stringify(broken.rows).slice(0, 500)}`);
  }
  await db.schema.createIndex("drug_test_panels_site_name_idx").on("drug_test_panels").columns(["site_id", "name"]).unique().execute();

  const panels = await db
    .selectFrom("drug_test_panels")
    .select([...PANEL_COLUMNS])
    .where("site_id", "is", null)
    .orderBy("name")
    .execute();
  for (const site of sites) {
    for (const panel of panels) {
      const id = randomUUID();
      await db
        .insertInto("drug_test_panels")
        .values({ ...panel, id, site_id: site.id })
        .execute();
      await db.updateTable("drug_tests").set({ panel_id: id }).where("panel_id", "=", panel.id).where("site_id", "=", site.id).execute();
    }
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  // Tests go back to the network panel of the same name; the sites' copies go.
  const templates: { id: string; name: string }[] = await db.selectFrom("drug_test_panels").select(["id", "name"]).where("site_id", "is", null).execute();
  const copies: { id: string; name: string }[] = await db.selectFrom("drug_test_panels").select(["id", "name"]).where("site_id", "is not", null).execute();
  for (const copy of copies) {
    const template = templates.find((t) => t.name === copy.name);
    await db
      .updateTable("drug_tests")
      .set({ panel_id: template?.id ?? null })
      .where("panel_id", "=", copy.id)
      .execute();
  }
  await db.deleteFrom("drug_test_panels").where("site_id", "is not", null).execute();
  await db.schema.dropIndex("drug_test_panels_site_name_idx").ifExists().execute();
  if (isPostgres(db)) {
    await db.schema.alterTable("drug_test_panels").dropColumn("site_id").execute();
    await sql`ALTER TABLE drug_test_panels ADD CONSTRAINT drug_test_panels_name_key UNIQUE (name)`.execute(db);
  } else {
    await db.schema.alterTable("drug_test_panels").dropColumn("site_id").execute();
    await db.schema.createIndex("drug_test_panels_name_unique").on("drug_test_panels").column("name").unique().execute();
  }
  await db.schema.dropTable("site_settings").execute();
}

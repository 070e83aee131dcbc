import { type Kysely, sql } from "kysely";
import { isPostgres } from "./dialect";

/**
 * Kept figures for the charge review (issue 22 item 2, ADR 0007): the charges of each site, day,
 * status and payer (every status but void), counted and summed. The review's "Ready" and "Held"
 * totals and its count of rows read these rows instead of counting every charge the site ever had
 * (582 k at the scale-1 flagship).
 *
 * Charges are written in several places (the refresh after a roll call or a signature, a claim's
 * export, a remittance, a correction's void and replacement), so the rows are kept by triggers on
 * `charges` on both dialects: every write, present and future, moves them in its own transaction.
 * A charge with no payer that day counts under the payer key '' (a key column cannot be null).
 *
 * Filled here from the charges already stored; a restore recomputes them (scripts/lib/backup.ts).
 */
/** Every status a charge review shows: a voided charge has stepped aside for its replacement. */
const SHOWN = sql`<> 'void'`;

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("charge_day_totals")
    .addColumn("site_id", "text", (c) => c.notNull().references("sites.id"))
    .addColumn("service_date", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("payer_key", "text", (c) => c.notNull())
    .addColumn("charges", "integer", (c) => c.notNull())
    .addColumn("cents", "bigint", (c) => c.notNull())
    .addPrimaryKeyConstraint("charge_day_totals_pk", ["site_id", "service_date", "status", "payer_key"])
    .execute();
  await sql`
    INSERT INTO charge_day_totals (site_id, service_date, status, payer_key, charges, cents)
    SELECT site_id, service_date, status, coalesce(payer_id, ''), count(*), sum(amount_cents)
    FROM charges
    WHERE status ${SHOWN}
    GROUP BY site_id, service_date, status, coalesce(payer_id, '')`.execute(db);
  // The review's rows, newest day first: a page is the first rows of this index, not a sort of all.
  await db.schema.createIndex("charges_site_day_idx").on("charges").columns(["site_id", "service_date"]).execute();

  if (isPostgres(db)) {
    await sql`
      CREATE OR REPLACE FUNCTION keep_charge_day_totals() RETURNS trigger AS $$
      BEGIN
        IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.status <> 'void' THEN
          UPDATE charge_day_totals SET charges = charges - 1, cents = cents - OLD.amount_cents
          WHERE site_id = OLD.site_id AND service_date = OLD.service_date AND status = OLD.status AND payer_key = coalesce(OLD.payer_id, '');
        END IF;
        IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.status <> 'void' THEN
          INSERT INTO charge_day_totals (site_id, service_date, status, payer_key, charges, cents)
          VALUES (NEW.site_id, NEW.service_date, NEW.status, coalesce(NEW.payer_id, ''), 1, NEW.amount_cents)
          ON CONFLICT (site_id, service_date, status, payer_key)
          DO UPDATE SET charges = charge_day_totals.charges + 1, cents = charge_day_totals.cents + EXCLUDED.cents;
        END IF;
        RETURN NULL;
      END;
      $$ LANGUAGE plpgsql`.execute(db);
    await sql`CREATE TRIGGER charges_keep_totals AFTER INSERT OR DELETE OR UPDATE OF site_id, service_date, status, payer_id, amount_cents ON charges
      FOR EACH ROW EXECUTE FUNCTION keep_charge_day_totals()`.execute(db);
    return;
  }
  // SQLite: one trigger per event; the update one takes the old row out, then puts the new one in.
  const add = sql`
    INSERT INTO charge_day_totals (site_id, service_date, status, payer_key, charges, cents)
    VALUES (NEW.site_id, NEW.service_date, NEW.status, coalesce(NEW.payer_id, ''), 1, NEW.amount_cents)
    ON CONFLICT (site_id, service_date, status, payer_key) DO UPDATE SET charges = charges + 1, cents = cents + excluded.cents;`;
  const take = sql`
    UPDATE charge_day_totals SET charges = charges - 1, cents = cents - OLD.amount_cents
    WHERE site_id = OLD.site_id AND service_date = OLD.service_date AND status = OLD.status AND payer_key = coalesce(OLD.payer_id, '');`;
  await sql`CREATE TRIGGER charges_keep_totals_insert AFTER INSERT ON charges WHEN NEW.status ${SHOWN} BEGIN ${add} END`.execute(db);
  await sql`CREATE TRIGGER charges_keep_totals_delete AFTER DELETE ON charges WHEN OLD.status ${SHOWN} BEGIN ${take} END`.execute(db);
  await sql`CREATE TRIGGER charges_keep_totals_update_old AFTER UPDATE OF site_id, service_date, status, payer_id, amount_cents ON charges
    WHEN OLD.status ${SHOWN} BEGIN ${take} END`.execute(db);
  await sql`CREATE TRIGGER charges_keep_totals_update_new AFTER UPDATE OF site_id, service_date, status, payer_id, amount_cents ON charges
    WHEN NEW.status ${SHOWN} BEGIN ${add} END`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) {
    await sql`DROP TRIGGER IF EXISTS charges_keep_totals ON charges`.execute(db);
    await sql`DROP FUNCTION IF EXISTS keep_charge_day_totals()`.execute(db);
  } else {
    for (const name of ["insert", "delete", "update_old", "update_new"])
      await sql`DROP TRIGGER IF EXISTS ${sql.raw(`charges_keep_totals_${name}`)}`.execute(db);
  }
  await db.schema.dropIndex("charges_site_day_idx").ifExists().execute();
  await db.schema.dropTable("charge_day_totals").ifExists().execute();
}

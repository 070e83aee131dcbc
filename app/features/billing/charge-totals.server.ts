/**
 * Kept figures (ARCHITECTURE rule 11, ADR 0007): the charges of each site, day, status and payer,
 * counted and summed in `charge_day_totals`. Triggers on `charges` keep the rows in the transaction
 * of every charge write (migration 28), so the charge review's totals and its count of rows are a
 * sum over days. `rebuildChargeDayTotals` recomputes every row from the charges (after a restore);
 * the tests prove the kept rows equal a count from scratch (`countChargeDayTotals`).
 */
import { sql } from "kysely";
import type { Queryable } from "~/kernel/db";

export interface ChargeDayTotal {
  siteId: string;
  date: string;
  status: string;
  payerKey: string;
  charges: number;
  cents: number;
}

function countQuery(db: Queryable) {
  return db
    .selectFrom("charges")
    .select([
      "site_id",
      "service_date",
      "status",
      sql<string>`coalesce(payer_id, '')`.as("payer_key"),
      sql<number>`count(*)`.as("charges"),
      sql<number>`sum(amount_cents)`.as("cents"),
    ])
    .where("status", "<>", "void")
    .groupBy(["site_id", "service_date", "status", sql`coalesce(payer_id, '')`]);
}

/** Recomputes every kept day total from the charges, in one transaction (after a restore). */
export async function rebuildChargeDayTotals(db: Queryable) {
  const run = async (trx: Queryable) => {
    await trx.deleteFrom("charge_day_totals").execute();
    await trx
      .insertInto("charge_day_totals")
      .columns(["site_id", "service_date", "status", "payer_key", "charges", "cents"])
      .expression(countQuery(trx))
      .execute();
  };
  if (db.isTransaction) await run(db);
  else await db.transaction().execute(run);
}

const byKey = (a: ChargeDayTotal, b: ChargeDayTotal) =>
  a.siteId.localeCompare(b.siteId) || a.date.localeCompare(b.date) || a.status.localeCompare(b.status) || a.payerKey.localeCompare(b.payerKey);
const view = (r: { site_id: string; service_date: string; status: string; payer_key: string; charges: unknown; cents: unknown }): ChargeDayTotal => ({
  siteId: r.site_id,
  date: r.service_date,
  status: r.status,
  payerKey: r.payer_key,
  charges: Number(r.charges),
  cents: Number(r.cents),
});

/** Every kept day total that counts a charge (a key whose charges all moved away stays at zero), sorted. */
export async function keptChargeDayTotals(db: Queryable): Promise<ChargeDayTotal[]> {
  return (await db.selectFrom("charge_day_totals").selectAll().where("charges", "<>", 0).execute()).map(view).sort(byKey);
}

/** The same figures counted from the charges themselves. */
export async function countChargeDayTotals(db: Queryable): Promise<ChargeDayTotal[]> {
  return (await countQuery(db).execute()).map(view).sort(byKey);
}

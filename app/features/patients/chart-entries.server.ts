/**
 * Entries on a patient's chart that are changed in place — a diagnosis resolved, a MAT episode
 * ended, an amendment request decided, a consent revoked. A change names the version the user
 * started from and is one transaction with its audit record; when someone else changed the entry
 * first, nothing is written and the user is told to reload.
 */
import { sql, type Selectable, type Updateable } from "kysely";
import type { Database } from "#db/schema";
import type { DB, Trx } from "~/kernel/db";
import type { WriteResult } from "~/kernel/results";
import { type AuditInput, recordAudit } from "~/features/audit/audit.server";

/** The chart tables whose rows carry a patient, a version and an update time. */
export type ChartEntryTable = "patient_diagnoses" | "mat_episodes" | "amendment_requests" | "consents";

/** Entry `id` of `table` if it is on the chart of `patientId`. */
export async function chartEntry<T extends ChartEntryTable>(db: DB, table: T, patientId: string, id: string): Promise<Selectable<Database[T]> | undefined> {
  const row = await db.selectFrom<ChartEntryTable>(table).selectAll().where("id", "=", id).where("patient_id", "=", patientId).executeTakeFirst();
  return row as Selectable<Database[T]> | undefined;
}

/**
 * Sets `set` on the entry if it is still at `entry.version` (bumping the version) and records
 * `audit` for it in the same transaction; a 409 saying `stale` when the version has moved on.
 * `then` runs in that transaction after the change (what follows from it, covered by its audit).
 */
export async function changeChartEntry<T extends ChartEntryTable>(
  db: DB,
  table: T,
  entry: { id: string; version: number },
  set: Updateable<Database[T]>,
  audit: Omit<AuditInput, "entityId">,
  stale: string,
  then?: (trx: Trx) => Promise<void>,
): Promise<WriteResult> {
  return db.transaction().execute(async (trx) => {
    const res = await trx
      .updateTable<ChartEntryTable>(table)
      .set({ ...set, updated_at: new Date().toISOString(), version: sql`version + 1` })
      .where("id", "=", entry.id)
      .where("version", "=", entry.version)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) return { ok: false as const, status: 409 as const, formError: stale };
    await recordAudit(trx, { ...audit, entityId: entry.id });
    if (then) await then(trx);
    return { ok: true as const };
  });
}

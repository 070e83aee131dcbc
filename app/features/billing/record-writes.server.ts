/**
 * The one shape of every change to a patient's coverage record — a coverage, an authorization, a
 * Medicare certification: the row is written, audited and the patient's unexported charges are
 * recomputed (and an authorization's units used recounted), all in one transaction, so no charge is
 * ever left computed from coverage that has since changed. The change's own audit record stands for the recomputation.
 */
import { sql } from "kysely";
import { recordAudit } from "~/features/audit/audit.server";
import { changedFields } from "~/features/audit/chain";
import type { Actor } from "~/kernel/actor";
import type { DB } from "~/kernel/db";
import type { WriteResult } from "~/kernel/results";
import { newId } from "~/utils/ids";
import type { ClientMeta } from "~/utils/request.server";
import { refreshAuthorizationUse } from "./authorization-use.server";
import { refreshAfterCoverageChange } from "./charges.server";

interface RecordWrite {
  actor: Actor;
  patientId: string;
  siteId: string;
  /** The audit entity ("coverage", "authorization", "medicare_certification"). */
  entityType: string;
  meta: ClientMeta;
}

/** Adds a row; coverages and authorizations also carry updated_at, certifications (never edited) do not. */
export async function addRecordRow(
  db: DB,
  w: RecordWrite & { table: "coverages" | "authorizations" | "medicare_certifications"; action: string; row: Record<string, unknown> },
): Promise<string> {
  const id = newId();
  const now = new Date().toISOString();
  const stamps = w.table === "medicare_certifications" ? { created_at: now } : { created_at: now, updated_at: now };
  await db.transaction().execute(async (trx) => {
    // The three tables share these columns; Kysely cannot type an insert into a table chosen at run time.
    const values = { id, patient_id: w.patientId, ...w.row, created_by: w.actor.id, ...stamps } as never;
    await trx.insertInto(w.table).values(values).execute();
    await recordAudit(trx, {
      actor: w.actor,
      action: w.action,
      entityType: w.entityType,
      entityId: id,
      patientId: w.patientId,
      siteId: w.siteId,
      after: w.row,
      meta: w.meta,
    });
    await refreshAfterCoverageChange(trx, w.siteId, w.patientId);
    // An authorization's span, level and unit decide its units used (kept: authorization-use.server.ts).
    if (w.table === "authorizations") await refreshAuthorizationUse(trx, [w.patientId]);
  });
  return id;
}

/**
 * Changes a row the caller found still at `version`: nothing is written when no field differs, and a
 * row changed by someone else since is refused with `stale` inside the write, so two saves racing
 * each other cannot both land.
 */
export async function updateRecordRow(
  db: DB,
  w: RecordWrite & {
    table: "coverages" | "authorizations";
    id: string;
    version: number;
    current: Record<string, unknown>;
    next: Record<string, unknown>;
    stale: string;
  },
): Promise<WriteResult> {
  const diff = changedFields(w.current, w.next);
  if (!Object.keys(diff.after).length) return { ok: true };
  return db.transaction().execute(async (trx) => {
    const res = await trx
      .updateTable(w.table)
      .set({ ...w.next, updated_at: new Date().toISOString(), version: sql`version + 1` })
      .where("id", "=", w.id)
      .where("version", "=", w.version)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) return { ok: false as const, status: 409 as const, formError: w.stale };
    const action = `${w.entityType}.updated`;
    await recordAudit(trx, {
      actor: w.actor,
      action,
      entityType: w.entityType,
      entityId: w.id,
      patientId: w.patientId,
      siteId: w.siteId,
      ...diff,
      meta: w.meta,
    });
    await refreshAfterCoverageChange(trx, w.siteId, w.patientId);
    if (w.table === "authorizations") await refreshAuthorizationUse(trx, [w.patientId]);
    return { ok: true as const };
  });
}

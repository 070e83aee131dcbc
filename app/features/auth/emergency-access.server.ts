/**
 * Emergency ("break the glass") access — ONC 170.315(d)(6), HIPAA 164.312(a)(2)(ii). Admins name
 * who may use it. Such a person can open a chart their role or sites would not show, after
 * stating why; the access lasts one hour, reads only (no change can be made under it), every
 * page viewed under it is audited as `patient.viewed_in_emergency`, and admins review each one
 * in the emergency access report.
 */
import type { DB } from "~/kernel/db";
import type { Actor } from "~/kernel/actor";
import { recordAudit } from "~/features/audit/audit.server";
import { newId } from "~/utils/ids";
import type { ClientMeta } from "~/utils/request.server";
import { EMERGENCY_ACCESS_MINUTES } from "./security";

export const NOT_ALLOWED = "Your account is not named for emergency access. Ask a program admin if you need it.";
export const NO_SUCH_MRN = "No patient has that MRN. Check it against the patient's wristband, card or paperwork.";

export interface EmergencyGrant {
  id: string;
  siteId: string;
  reason: string;
  expiresAt: string;
}

export async function activeEmergencyAccess(db: DB, userId: string, patientId: string, now = new Date()): Promise<EmergencyGrant | null> {
  const row = await db
    .selectFrom("emergency_access")
    .select(["id", "site_id", "reason", "expires_at"])
    .where("user_id", "=", userId)
    .where("patient_id", "=", patientId)
    .where("started_at", "<=", now.toISOString())
    .where("expires_at", ">", now.toISOString())
    .orderBy("expires_at", "desc")
    .executeTakeFirst();
  return row ? { id: row.id, siteId: row.site_id, reason: row.reason, expiresAt: row.expires_at } : null;
}

/** Opens a chart by MRN for an hour, for a stated reason. Refusals are audited too. */
export async function startEmergencyAccess(
  db: DB,
  actor: Actor,
  input: { mrn: string; reason: string },
  meta: ClientMeta,
  now = new Date(),
): Promise<{ ok: true; patientId: string; expiresAt: string } | { ok: false; status: 403 | 404; message: string }> {
  return db.transaction().execute(async (trx) => {
    const user = await trx.selectFrom("users").select(["emergency_access", "active"]).where("id", "=", actor.id).executeTakeFirst();
    if (!user?.emergency_access || !user.active) {
      await recordAudit(trx, {
        actor,
        action: "emergency_access.refused",
        outcome: "denied",
        detail: { mrn: input.mrn.slice(0, 40), reason: input.reason.slice(0, 500) },
        meta,
      });
      return { ok: false as const, status: 403 as const, message: NOT_ALLOWED };
    }
    const patient = await trx.selectFrom("patients").select(["id", "site_id"]).where("mrn", "=", input.mrn.trim().toUpperCase()).executeTakeFirst();
    if (!patient) {
      await recordAudit(trx, { actor, action: "emergency_access.not_found", outcome: "failure", detail: { mrn: input.mrn.slice(0, 40) }, meta });
      return { ok: false as const, status: 404 as const, message: NO_SUCH_MRN };
    }
    const id = newId();
    const expiresAt = new Date(now.getTime() + EMERGENCY_ACCESS_MINUTES * 60_000).toISOString();
    await trx
      .insertInto("emergency_access")
      .values({
        id,
        user_id: actor.id,
        patient_id: patient.id,
        site_id: patient.site_id,
        reason: input.reason,
        started_at: now.toISOString(),
        expires_at: expiresAt,
      })
      .execute();
    await recordAudit(trx, {
      actor,
      action: "emergency_access.started",
      outcome: "success",
      entityType: "patient",
      entityId: patient.id,
      patientId: patient.id,
      siteId: patient.site_id,
      detail: { emergencyAccessId: id, reason: input.reason, expiresAt },
      meta,
    });
    return { ok: true as const, patientId: patient.id, expiresAt };
  });
}

export interface EmergencyAccessRow {
  id: string;
  userName: string;
  userRole: string;
  patientId: string;
  mrn: string;
  /** "Last, First" where the chart is at one of the reader's sites; null for another site's patient (who they are is that site's to know). */
  patientName: string | null;
  siteName: string;
  reason: string;
  startedAt: string;
  expiresAt: string;
  pagesViewed: number;
}

/**
 * Every emergency access that started in [from, until) to a chart at the admin's sites or by
 * someone who works at them, newest first, with the pages viewed under it — counted from the
 * audit log in the same query, not per row.
 */
export async function emergencyAccessReport(db: DB, siteIds: string[], from: string, until: string): Promise<EmergencyAccessRow[]> {
  if (!siteIds.length) return [];
  const rows = await db
    .selectFrom("emergency_access as g")
    .innerJoin("users as u", "u.id", "g.user_id")
    .innerJoin("patients as p", "p.id", "g.patient_id")
    .innerJoin("sites as s", "s.id", "g.site_id")
    .leftJoin("audit_events as a", (j) =>
      j
        .onRef("a.user_id", "=", "g.user_id")
        .onRef("a.patient_id", "=", "g.patient_id")
        .on("a.action", "=", "patient.viewed_in_emergency")
        .onRef("a.occurred_at", ">=", "g.started_at")
        .onRef("a.occurred_at", "<", "g.expires_at"),
    )
    .select((eb) => [
      "g.id",
      "u.name as userName",
      "u.role as userRole",
      "g.patient_id as patientId",
      "p.mrn",
      "p.legal_first_name",
      "p.legal_last_name",
      "g.site_id",
      "s.name as siteName",
      "g.reason",
      "g.started_at as startedAt",
      "g.expires_at as expiresAt",
      eb.fn.count<number>("a.seq").as("pagesViewed"),
    ])
    // Accesses to this admin's sites' charts, and accesses by the people who work at their sites.
    .where((eb) =>
      eb.or([
        eb("g.site_id", "in", siteIds),
        eb.exists(eb.selectFrom("user_sites as us").select("us.user_id").whereRef("us.user_id", "=", "g.user_id").where("us.site_id", "in", siteIds)),
      ]),
    )
    .where("g.started_at", ">=", from)
    .where("g.started_at", "<", until)
    .groupBy([
      "g.id",
      "u.name",
      "u.role",
      "g.patient_id",
      "p.mrn",
      "p.legal_first_name",
      "p.legal_last_name",
      "g.site_id",
      "s.name",
      "g.reason",
      "g.started_at",
      "g.expires_at",
    ])
    .orderBy("g.started_at", "desc")
    .limit(500)
    .execute();
  return rows.map(({ legal_first_name, legal_last_name, site_id, ...r }) => ({
    ...r,
    patientName: siteIds.includes(site_id) ? `${legal_last_name}, ${legal_first_name}` : null,
    pagesViewed: Number(r.pagesViewed),
  }));
}

/**
 * The demo clinic's sign-in security: two people named for emergency access, and one emergency
 * access earlier today — the front desk reading a patient's MAT chart when he was taken ill in
 * the lobby — with the pages viewed under it, so the admin's report has something to review.
 * Two-factor sign-in keeps its default (admins must): the demo admin sets it up at first sign-in.
 */
import type { Kysely } from "kysely";
import type { Database } from "../db/schema";
import { setEmergencyAccess } from "../app/features/admin/users.server";
import { recordAudit } from "../app/features/audit/audit.server";
import { startEmergencyAccess } from "../app/features/auth/emergency-access.server";
import type { DemoClinic } from "./demo";

const meta = { ip: "10.20.0.15", userAgent: "Demo seed" };

export async function seedDemoSecurity(db: Kysely<Database>, clinic: DemoClinic): Promise<void> {
  const admin = clinic.users["dana.whitfield"];
  for (const key of ["aisha.grant", "elena.ortiz"]) {
    const u = clinic.users[key];
    const row = await db.selectFrom("users").select("version").where("id", "=", u.id).executeTakeFirstOrThrow();
    const r = await setEmergencyAccess(db, admin, u.id, true, Number(row.version), [clinic.siteId], meta);
    if (!r.ok) throw new Error(`demo emergency access for ${key}: ${r.formError}`);
  }
  // A patient on buprenorphine, as the front desk would need in a medical emergency.
  const patient = await db
    .selectFrom("patients as p")
    .innerJoin("mat_episodes as m", "m.patient_id", "p.id")
    .select(["p.id", "p.mrn", "p.site_id"])
    .where("m.medication", "=", "buprenorphine_naloxone")
    .where("p.status", "=", "active")
    .orderBy("p.mrn")
    .executeTakeFirst();
  if (!patient) return;
  const aisha = clinic.users["aisha.grant"];
  const startedAt = new Date(Date.now() - 25 * 60_000);
  const r = await startEmergencyAccess(
    db,
    aisha,
    { mrn: patient.mrn, reason: "Patient became unwell at the front desk and EMS asked what he takes; no counselor on site yet." },
    meta,
    startedAt,
  );
  if (!r.ok) throw new Error(`demo emergency access: ${r.message}`);
  for (const section of ["chart", "mat", "diagnoses"]) {
    await recordAudit(db, {
      actor: aisha,
      action: "patient.viewed_in_emergency",
      entityType: "patient",
      entityId: patient.id,
      patientId: patient.id,
      siteId: patient.site_id,
      detail: { section, path: `/patients/${patient.id}${section === "chart" ? "" : `/${section}`}` },
      meta,
    });
  }
}

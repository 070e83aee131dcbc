/**
 * Emergency ("break the glass") access on real databases: who may start one, how long it lasts,
 * and the admin's report of it with the pages viewed, counted from the audit log.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setEmergencyAccess } from "~/features/admin/users.server";
import { recordAudit } from "~/features/audit/audit.server";
import { activeEmergencyAccess, emergencyAccessReport, NO_SUCH_MRN, NOT_ALLOWED, startEmergencyAccess } from "~/features/auth/emergency-access.server";
import { createTestDatabase, dialects, type TestDatabase } from "../support/databases";
import { meta, seed } from "../support/demo";
import { addSecondSite, enroll } from "./patients-support";

describe.each(dialects)("emergency access on %s", (dialect) => {
  let t: TestDatabase;
  let admin: { id: string; name: string };
  let marcus: { id: string; name: string };
  let riverside = "";
  let eastside: { id: string; mrn: string };
  let eastsiteId = "";
  const T0 = new Date("2026-11-20T15:00:00.000Z");
  const minutes = (n: number) => new Date(T0.getTime() + n * 60_000);

  beforeAll(async () => {
    t = await createTestDatabase(dialect);
    const clinic = await seed(t.db);
    riverside = clinic.siteId;
    admin = { id: clinic.users["dana.whitfield"].id, name: "Dana Whitfield" };
    marcus = { id: clinic.users["marcus.bell"].id, name: "Marcus Bell" };
    const second = await addSecondSite(t.db);
    eastsiteId = second.siteId;
    eastside = await enroll(t.db, second.counselor, eastsiteId, {
      legalFirstName: "Rowan",
      legalLastName: "Castellanos",
      primaryCounselorId: second.counselor.id,
    });
  });
  afterAll(() => t?.destroy());

  it("refuses someone not named for it, and audits the attempt", async () => {
    const r = await startEmergencyAccess(t.db, marcus, { mrn: eastside.mrn, reason: "Patient unresponsive in the lobby" }, meta, T0);
    expect(r).toEqual({ ok: false, status: 403, message: NOT_ALLOWED });
    expect(await t.db.selectFrom("emergency_access").selectAll().execute()).toEqual([]);
    const audit = await t.db.selectFrom("audit_events").select(["outcome", "user_id"]).where("action", "=", "emergency_access.refused").execute();
    expect(audit).toEqual([{ outcome: "denied", user_id: marcus.id }]);
  });

  it("once named, opens a chart at another site by MRN for exactly one hour", async () => {
    const version = Number((await t.db.selectFrom("users").select("version").where("id", "=", marcus.id).executeTakeFirstOrThrow()).version);
    expect(await setEmergencyAccess(t.db, admin, marcus.id, true, version, [riverside], meta)).toEqual({ ok: true });
    expect(await startEmergencyAccess(t.db, marcus, { mrn: "MRN-999999", reason: "Patient unresponsive in the lobby" }, meta, T0)).toEqual({
      ok: false,
      status: 404,
      message: NO_SUCH_MRN,
    });
    const r = await startEmergencyAccess(t.db, marcus, { mrn: eastside.mrn.toLowerCase(), reason: "Patient unresponsive in the lobby" }, meta, T0);
    expect(r).toEqual({ ok: true, patientId: eastside.id, expiresAt: "2026-11-20T16:00:00.000Z" });
    expect(await activeEmergencyAccess(t.db, marcus.id, eastside.id, minutes(59))).toMatchObject({
      siteId: eastsiteId,
      reason: "Patient unresponsive in the lobby",
    });
    expect(await activeEmergencyAccess(t.db, marcus.id, eastside.id, minutes(60))).toBeNull();
    expect(await activeEmergencyAccess(t.db, admin.id, eastside.id, minutes(1))).toBeNull();
    const started = await t.db
      .selectFrom("audit_events")
      .select(["patient_id", "site_id", "changes"])
      .where("action", "=", "emergency_access.started")
      .executeTakeFirstOrThrow();
    expect(started.patient_id).toBe(eastside.id);
    expect(started.site_id).toBe(eastsiteId);
    expect(JSON.parse(started.changes!).detail.reason).toBe("Patient unresponsive in the lobby");
  });

  it("reports each access with the pages viewed inside its hour, to the admins of the reader's site", async () => {
    const grant = await activeEmergencyAccess(t.db, marcus.id, eastside.id, minutes(1));
    // Pages viewed as requirePatient records them; the audit log stamps its own time, so the
    // report's window is checked against those real instants.
    for (const section of ["chart", "mat", "diagnoses"])
      await recordAudit(t.db, {
        actor: marcus,
        action: "patient.viewed_in_emergency",
        entityType: "patient",
        entityId: eastside.id,
        patientId: eastside.id,
        siteId: eastsiteId,
        detail: { section, emergencyAccessId: grant!.id },
        meta,
      });
    const views = await t.db.selectFrom("audit_events").select("occurred_at").where("action", "=", "patient.viewed_in_emergency").execute();
    // Move the grant's hour over the real instants the views were recorded at.
    const first = views.map((v) => v.occurred_at).sort()[0];
    await t.db
      .updateTable("emergency_access")
      .set({ started_at: new Date(Date.parse(first) - 1000).toISOString(), expires_at: new Date(Date.parse(first) + 3_599_000).toISOString() })
      .execute();
    const from = "2020-01-01T00:00:00.000Z";
    const until = "2100-01-01T00:00:00.000Z";
    const rows = await emergencyAccessReport(t.db, [riverside], from, until);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      userName: "Marcus Bell",
      userRole: "counselor",
      patientId: eastside.id,
      mrn: eastside.mrn,
      reason: "Patient unresponsive in the lobby",
      pagesViewed: 3,
    });
    // Riverside's admins see whose access it was, but not the name of Eastside's patient.
    expect(rows[0].patientName).toBeNull();
    // Eastside's admins see it too, with their patient's name; a site with neither sees nothing.
    const names = await t.db.selectFrom("patients").select(["legal_first_name", "legal_last_name"]).where("id", "=", eastside.id).executeTakeFirstOrThrow();
    const atEastside = await emergencyAccessReport(t.db, [eastsiteId], from, until);
    expect(atEastside).toHaveLength(1);
    expect(atEastside[0].patientName).toBe(`${names.legal_last_name}, ${names.legal_first_name}`);
    expect(await emergencyAccessReport(t.db, ["no-such-site"], from, until)).toEqual([]);
  });
});

/**
 * Issue 16, item 7b: events tied to no site (sign-ins, account changes, two-factor resets,
 * lookups) reach an admin only when they are about someone or something at the admin's sites —
 * in the audit page and in its CSV export alike.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUser } from "~/features/admin/users.server";
import { iterateAuditEvents, listAuditEvents, type AuditFilters } from "~/features/audit/audit-log.server";
import { recordAudit } from "~/features/audit/audit.server";
import { newId } from "~/utils/ids";
import { createTestDatabase, dialects, type TestDatabase } from "../support/databases";
import { meta, seed } from "../support/demo";
import { enroll } from "./patients-support";

const TEMP = "marble orchard cinnamon voyage";

describe.each(dialects)("which site-less audit events an admin sees, on %s", (dialect) => {
  let t: TestDatabase;
  let riverside: string;
  let eastside: string;
  let dana: { id: string; name: string };
  let marcus: { id: string; name: string };
  let quinn: { id: string; name: string };
  let eastPatient: string;
  let riverPatient: string;

  beforeAll(async () => {
    t = await createTestDatabase(dialect);
    const clinic = await seed(t.db);
    riverside = clinic.siteId;
    eastside = newId();
    await t.db
      .insertInto("sites")
      .values({ id: eastside, name: "Harbor Light Recovery – Eastside", time_zone: "America/Chicago", created_at: new Date().toISOString() })
      .execute();
    dana = { id: clinic.users["dana.whitfield"].id, name: clinic.users["dana.whitfield"].name };
    marcus = { id: clinic.users["marcus.bell"].id, name: clinic.users["marcus.bell"].name };
    const eastAdmin = { id: "eastside-admin", name: "Eastside Admin" };
    const q = await createUser(
      t.db,
      eastAdmin,
      { name: "Quinn Eastside", email: "quinn.eastside@harborlight.example", role: "counselor", siteIds: [eastside], temporaryPassword: TEMP },
      [eastside],
      meta,
    );
    if (!q.ok) throw new Error("could not create Quinn");
    quinn = { id: q.id, name: "Quinn Eastside" };
    eastPatient = (await enroll(t.db, quinn, eastside, { legalFirstName: "Rowan", legalLastName: "Castellanos", primaryCounselorId: quinn.id })).id;
    riverPatient = (await enroll(t.db, marcus, riverside, { legalFirstName: "Avery", legalLastName: "Holt", primaryCounselorId: marcus.id })).id;
    // Site-less events of every kind the issue names, about each site, and about no one.
    const events = [
      { actor: quinn, action: "scope.sign_in", entityType: "user", entityId: quinn.id, detail: { who: "eastside-actor" } },
      { actor: eastAdmin, action: "scope.two_factor_reset", entityType: "user", entityId: quinn.id, detail: { who: "eastside-target" } },
      { actor: null, action: "scope.lookup", patientId: eastPatient, detail: { who: "eastside-patient" } },
      { actor: marcus, action: "scope.sign_in", entityType: "user", entityId: marcus.id, detail: { who: "riverside-actor" } },
      { actor: eastAdmin, action: "scope.account_changed", entityType: "user", entityId: marcus.id, detail: { who: "riverside-target" } },
      { actor: null, action: "scope.lookup", patientId: riverPatient, detail: { who: "riverside-patient" } },
      { actor: null, action: "scope.sign_in_failed", detail: { who: "no-one", email: "quinn.eastsde@harborlight.example" } },
    ];
    for (const e of events) await recordAudit(t.db, { ...e, siteId: null, meta });
    await recordAudit(t.db, { actor: quinn, action: "scope.at_site", siteId: eastside, detail: { who: "eastside-site" } });
    await recordAudit(t.db, { actor: quinn, action: "scope.at_site", siteId: riverside, detail: { who: "riverside-site" } });
  });
  afterAll(() => t?.destroy());

  /** Which of the test's events a reader of `siteIds` is shown, by page and by export. */
  async function seen(siteIds: string[]) {
    const f: AuditFilters = { siteIds };
    const page = await listAuditEvents(t.db, f, { page: 1, pageSize: 1000, direction: "asc" });
    const fromPage = page.events.filter((e) => e.action.startsWith("scope.")).map((e) => (JSON.parse(e.changes!) as { detail: { who: string } }).detail.who);
    const fromExport: string[] = [];
    for await (const e of iterateAuditEvents(t.db, f, 3))
      if (e.action.startsWith("scope.")) fromExport.push((JSON.parse(e.changes!) as { detail: { who: string } }).detail.who);
    expect(fromExport).toEqual(fromPage);
    return fromPage.sort();
  }

  it("shows a Riverside admin only events about Riverside people, patients and records", async () => {
    expect(await seen([riverside])).toEqual(["riverside-actor", "riverside-patient", "riverside-site", "riverside-target"]);
  });

  it("shows an Eastside admin only events about Eastside people, patients and records", async () => {
    expect(await seen([eastside])).toEqual(["eastside-actor", "eastside-patient", "eastside-site", "eastside-target"]);
  });

  it("shows an admin of both sites the events of both, and still not the ones about no one", async () => {
    expect(await seen([riverside, eastside])).toEqual(
      [
        "eastside-actor",
        "eastside-patient",
        "eastside-site",
        "eastside-target",
        "riverside-actor",
        "riverside-patient",
        "riverside-site",
        "riverside-target",
      ].sort(),
    );
  });

  it("counts the same events it shows", async () => {
    const page = await listAuditEvents(t.db, { siteIds: [riverside], action: "scope.sign_in" }, { page: 1, pageSize: 10, direction: "asc" });
    expect(page.total).toBe(1);
    expect(page.events[0].user_id).toBe(marcus.id);
    expect(dana.id).not.toBe(marcus.id);
  });
});

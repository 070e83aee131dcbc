/**
 * The audit log in words, on real databases: who looked at a patient, found by MRN or name, with
 * the patient named only to readers who may know them, actions by label and changes field by field.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSite } from "~/features/admin/sites.server";
import { listReadableAuditEvents, type AuditFilters } from "~/features/audit/audit-log.server";
import { recordAudit, verifyAuditChain } from "~/features/audit/audit.server";
import { readAuditQuery } from "~/features/audit/query.server";
import { changeLevelOfCare, enrollPatient } from "~/features/patients/patients.server";
import { createTestDatabase, dialects, type TestDatabase } from "../support/databases";
import { meta, seed } from "../support/demo";
import { intakeInput } from "./patients-support";

describe.each(dialects)("the readable audit log on %s", (dialect) => {
  let t: TestDatabase;
  let riverside: string;
  let eastside: string;
  let zoe: { id: string; mrn: string };
  let omar: { id: string; mrn: string };
  let east: { id: string; mrn: string };
  const page = { page: 1, pageSize: 100, direction: "asc" as const };

  beforeAll(async () => {
    t = await createTestDatabase(dialect);
    const clinic = await seed(t.db);
    riverside = clinic.siteId;
    const marcus = { id: clinic.users["marcus.bell"].id, name: clinic.users["marcus.bell"].name };
    const dana = { id: clinic.users["dana.whitfield"].id, name: clinic.users["dana.whitfield"].name };
    const created = await createSite(t.db, dana, { name: "Harbor Light – Eastside", timeZone: "America/Chicago", address: null }, meta);
    if (!created.ok) throw new Error("no site");
    eastside = created.id;
    // Marcus counsels at both sites, so he can enroll at Eastside too.
    await t.db.insertInto("user_sites").values({ user_id: marcus.id, site_id: eastside }).execute();

    const enroll = async (siteId: string, first: string, last: string, dob: string) => {
      const r = await enrollPatient(
        t.db,
        marcus,
        intakeInput(siteId, marcus.id, { legalFirstName: first, legalLastName: last, dateOfBirth: dob }),
        [siteId],
        meta,
      );
      if (!r.ok) throw new Error(JSON.stringify(r));
      return { id: r.id, mrn: r.mrn };
    };
    zoe = await enroll(riverside, "Zoë", "Álvarez", "1991-02-03");
    omar = await enroll(riverside, "Omar", "Haddad", "1985-07-08");
    east = await enroll(eastside, "Zora", "Easton", "1979-01-01");

    const level = await changeLevelOfCare(
      t.db,
      marcus,
      zoe.id,
      { version: 1, levelOfCare: "PHP", effectiveOn: "2026-09-15", reason: "Relapse risk" },
      [riverside],
      meta,
    );
    if (!level.ok) throw new Error(JSON.stringify(level));
    await recordAudit(t.db, {
      actor: marcus,
      action: "patient.viewed",
      entityType: "patient",
      entityId: omar.id,
      patientId: omar.id,
      siteId: riverside,
      detail: { section: "overview" },
      meta,
    });
    // An event at Riverside about an Eastside patient (a chart opened across sites).
    await recordAudit(t.db, {
      actor: marcus,
      action: "patient.viewed_in_emergency",
      entityType: "patient",
      entityId: east.id,
      patientId: east.id,
      siteId: riverside,
      meta,
    });
    await recordAudit(t.db, {
      actor: dana,
      action: "report.exported",
      entityType: "report",
      entityId: "retention",
      siteId: riverside,
      detail: { rows: 3 },
      meta,
    });
  });
  afterAll(() => t?.destroy());

  const read = (f: Partial<AuditFilters>, namePatients = true, siteIds = [riverside]) =>
    listReadableAuditEvents(t.db, { siteIds, ...f }, page, { namePatients });
  const byQuery = (qs: string) => {
    const q = readAuditQuery(new URL(`https://clinic.example/admin/audit?${qs}`), [riverside], "America/New_York");
    if (!q.ok) throw new Error(JSON.stringify(q.errors));
    return read(q.filters);
  };

  it("names the patient, says what was done in words and lists what changed, field by field", async () => {
    const { events } = await byQuery(`action=patient.level_changed`);
    expect(events).toHaveLength(1);
    const e = events[0];
    expect(e.patient).toEqual({ id: zoe.id, name: "Zoë Álvarez", mrn: zoe.mrn });
    expect(e.actionLabel).toBe("Changed level of care");
    expect(e.who).toBe("Marcus Bell");
    expect(e.changes).toContain("Level of care: IOP — intensive outpatient → PHP — partial hospitalization");
    expect(e.changes.join("\n")).not.toMatch(/[{}"]/);
  });

  it("finds a patient's events by MRN, by part of a name with or without accents, never by another site's patient", async () => {
    const ids = async (qs: string) => [...new Set((await byQuery(qs)).events.map((e) => (typeof e.patient === "object" ? e.patient?.id : e.patient)))];
    expect(await ids(`patient=${encodeURIComponent(zoe.mrn)}`)).toEqual([zoe.id]);
    expect(await ids(`patient=${encodeURIComponent(zoe.mrn.toLowerCase())}`)).toEqual([zoe.id]);
    expect(await ids("patient=alvarez")).toEqual([zoe.id]);
    expect(await ids(`patient=${encodeURIComponent("Zoë Álv")}`)).toEqual([zoe.id]);
    expect(await ids("patient=haddad")).toEqual([omar.id]);
    // "Zo" matches Zoë here; Zora Easton is at Eastside and is not found from Riverside even though one of her events is.
    expect(await ids("patient=zo")).toEqual([zoe.id]);
    expect((await byQuery("patient=easton")).total).toBe(0);
    expect((await byQuery("patient=100%25")).total).toBe(0);
  });

  it("says who opened whose chart, and which section", async () => {
    const { events } = await byQuery(`patient=haddad&action=patient.viewed`);
    expect(events.map((e) => [e.who, e.actionLabel, e.patient && typeof e.patient === "object" ? e.patient.name : e.patient, e.changes])).toEqual([
      ["Marcus Bell", "Opened a chart", "Omar Haddad", ["Section: overview"]],
    ]);
  });

  it("does not name a patient to a reader who may not know them, or one at a site not theirs", async () => {
    const asNobody = await read({ patientId: zoe.id }, false);
    expect(asNobody.events.length).toBeGreaterThan(0);
    expect(asNobody.events.every((e) => e.patient === "hidden")).toBe(true);
    const cross = (await read({ action: "patient.viewed_in_emergency" })).events;
    expect(cross.map((e) => [e.actionLabel, e.patient])).toEqual([["Opened a chart under emergency access", "hidden"]]);
    const fromEastside = (await read({ action: "patient.viewed_in_emergency" }, true, [riverside, eastside])).events;
    expect(fromEastside[0].patient).toEqual({ id: east.id, name: "Zora Easton", mrn: east.mrn });
  });

  it("names reports and sites in full", async () => {
    const report = (await read({ action: "report.exported" })).events[0];
    expect(report.record).toBe("Report: Retention at 30, 60 and 90 days");
    expect(report.changes).toEqual(["Rows: 3"]);
    const site = (await read({ action: "site.created" }, true, [eastside])).events[0];
    expect(site.record).toBe("Site: Harbor Light – Eastside");
    expect(site.changes).toEqual(["Name: Harbor Light – Eastside", "Time zone: America/Chicago", "Address: —"]);
  });

  it("pages on the server and counts what matches", async () => {
    const first = await listReadableAuditEvents(t.db, { siteIds: [riverside] }, { page: 1, pageSize: 2, direction: "desc" }, { namePatients: true });
    expect(first.events).toHaveLength(2);
    expect(first.total).toBeGreaterThan(2);
  });

  it("leaves the audit chain intact", async () => {
    expect((await verifyAuditChain(t.db)).ok).toBe(true);
  });
});

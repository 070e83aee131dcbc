/**
 * Issue 21, coverage part, on real databases: payers (duplicate names, stale forms, site scoping),
 * coverages (dates out of order, two primaries overlapping), authorizations (overlap at one
 * coverage and level, units at least 1), units used counted from real roll-call rows, the site's
 * authorization list, Home's utilization alerts and Medicare certifications (hours refused below
 * the rule). Every write is audited in its own transaction.
 *
 * Ann, IOP, admitted Monday 2026-11-02 in America/New_York. Her roll calls (every session 14:00Z):
 *   Mon Nov 2  180 min present   billable IOP day (3 h)          -> uses a unit
 *   Tue Nov 3  120 min present   below IOP's 3 h                 -> no unit
 *   Wed Nov 4  180 min present                                   -> unit
 *   Thu Nov 5  180 min present                                   -> unit
 *   Fri Nov 6  180 min absent                                    -> nothing
 * With 3 IOP days approved Nov 2–15: 3 used, 0 left; on "today" Nov 10, days left Nov 10..15 = 6.
 * After Mon Nov 9 (180 min present): 4 used, 1 over (exceeded).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getRollCall, saveRollCall } from "~/features/attendance/attendance.server";
import type { AttendanceStatus } from "~/features/attendance/rules";
import { createAuthorization, listSiteAuthorizations, patientAuthorizations, updateAuthorization } from "~/features/billing/authorizations.server";
import { addCertification } from "~/features/billing/certifications.server";
import { coverageChart, createCoverage, updateCoverage } from "~/features/billing/coverage.server";
import { createPayer, getPayer, listPayers, updatePayer } from "~/features/billing/payers.server";
import { utilizationAlerts } from "~/features/billing/utilization.server";
import { newId } from "~/utils/ids";
import { createTestDatabase, dialects, type TestDatabase } from "../support/databases";
import { meta, seed } from "../support/demo";
import { addSecondSite, auditSince, enroll, lastSeq } from "./patients-support";

const TZ = "America/New_York";
const TODAY = "2026-11-10";

describe.each(dialects)("coverage and authorizations on %s", (dialect) => {
  let t: TestDatabase;
  let site: { id: string; time_zone: string };
  let dana: { id: string; name: string };
  let ann: string;
  let other: { siteId: string };
  const payers = {} as Record<"medicaid" | "commercial" | "medicare" | "elsewhere", string>;
  let primary: string;

  async function session(date: string, minutes: number, roll: [string, AttendanceStatus][]) {
    const id = newId();
    const start = `${date}T14:00:00.000Z`;
    const endsAt = new Date(Date.parse(start) + minutes * 60_000).toISOString();
    await t.db
      .insertInto("sessions")
      .values({
        id,
        site_id: site.id,
        kind: "group",
        group_kind: "skills",
        title: "Skills group",
        facilitator_id: dana.id,
        modality: "in_person",
        capacity: 12,
        local_date: date,
        starts_at: start,
        ends_at: endsAt,
        status: "scheduled",
        cancel_reason: null,
        created_at: "2026-10-01T12:00:00.000Z",
        updated_at: "2026-10-01T12:00:00.000Z",
      })
      .execute();
    for (const [patientId] of roll)
      await t.db
        .insertInto("session_participants")
        .values({
          id: newId(),
          session_id: id,
          patient_id: patientId,
          source: "added",
          joined_at: "2026-10-01T12:00:00.000Z",
          left_at: null,
          left_reason: null,
        })
        .execute();
    const r = await getRollCall(t.db, id, site.id);
    const saved = await saveRollCall(
      t.db,
      dana,
      id,
      { version: r!.session.rollVersion, marks: roll.map(([patientId, status]) => ({ patientId, status, mode: "in_person" as const })) },
      site,
      meta,
      new Date(endsAt),
    );
    if (!saved.ok) throw new Error(JSON.stringify(saved));
  }

  beforeAll(async () => {
    t = await createTestDatabase(dialect);
    const clinic = await seed(t.db);
    site = { id: clinic.siteId, time_zone: TZ };
    await t.db.updateTable("sites").set({ time_zone: TZ }).where("id", "=", site.id).execute();
    dana = { id: clinic.users["dana.whitfield"].id, name: clinic.users["dana.whitfield"].name };
    ann = (await enroll(t.db, dana, site.id, { legalFirstName: "Ann", legalLastName: "Coverage", admittedOn: "2026-11-02", levelOfCare: "IOP" })).id;
    other = await addSecondSite(t.db);
    await session("2026-11-02", 180, [[ann, "present"]]);
    await session("2026-11-03", 120, [[ann, "present"]]);
    await session("2026-11-04", 180, [[ann, "present"]]);
    await session("2026-11-05", 180, [[ann, "present"]]);
    await session("2026-11-06", 180, [[ann, "absent_unexcused"]]);
  }, 120_000);

  afterAll(async () => {
    await t?.destroy();
  });

  it("adds payers, refuses a duplicate name and a stale form, audits, and keeps each site's list its own", async () => {
    const seq = await lastSeq(t.db);
    const add = async (siteId: string, name: string, kind: "medicaid" | "commercial" | "medicare", payerCode = "") => {
      const r = await createPayer(t.db, dana, siteId, { name, kind, payerCode, active: "yes" }, meta);
      if (!r.ok) throw new Error(JSON.stringify(r));
      return r.id;
    };
    payers.medicaid = await add(site.id, "NJ FamilyCare (Medicaid)", "medicaid", "NJMCD");
    payers.commercial = await add(site.id, "Garden State Health Plan", "commercial", "GSHP1");
    payers.medicare = await add(site.id, "Medicare Part B", "medicare", "12502");
    payers.elsewhere = await add(other.siteId, "Prairie Mutual", "commercial");
    // Same name in another case: refused, nothing written.
    const dup = await createPayer(t.db, dana, site.id, { name: "garden state health plan", kind: "commercial" }, meta);
    expect(dup).toMatchObject({ ok: false, status: 409, fieldErrors: { name: ["This site already has a payer with that name."] } });
    // The same name at another site is that site's business.
    expect((await createPayer(t.db, dana, other.siteId, { name: "Garden State Health Plan", kind: "commercial" }, meta)).ok).toBe(true);

    const edit = await updatePayer(
      t.db,
      dana,
      payers.commercial,
      { name: "Garden State Health Plan", kind: "commercial", payerCode: "GSHP2", active: "yes", version: 1 },
      site.id,
      meta,
    );
    expect(edit.ok).toBe(true);
    const stale = await updatePayer(
      t.db,
      dana,
      payers.commercial,
      { name: "Garden State Health", kind: "commercial", active: "yes", version: 1 },
      site.id,
      meta,
    );
    expect(stale).toMatchObject({ ok: false, status: 409 });
    expect((await getPayer(t.db, payers.commercial, site.id))?.payerCode).toBe("GSHP2");
    // Another site's payer is unknown here, for reading and for writing.
    expect(await getPayer(t.db, payers.elsewhere, site.id)).toBeNull();
    expect(await updatePayer(t.db, dana, payers.elsewhere, { name: "X", kind: "commercial", version: 1 }, site.id, meta)).toMatchObject({
      ok: false,
      status: 404,
    });
    expect((await listPayers(t.db, site.id)).map((p) => p.name)).toEqual(["Garden State Health Plan", "Medicare Part B", "NJ FamilyCare (Medicaid)"]);

    const events = await auditSince(t.db, seq);
    expect(events.map((e) => e.action)).toEqual(["payer.created", "payer.created", "payer.created", "payer.created", "payer.created", "payer.updated"]);
    expect(JSON.parse(events[5].changes as string)).toMatchObject({ before: { payerCode: "GSHP1" }, after: { payerCode: "GSHP2" } });
  });

  it("adds coverages, refusing dates out of order, another site's payer and two overlapping primaries", async () => {
    const base = { memberId: "NJ123456", relationship: "self" as const, priority: "primary" as const, effectiveFrom: "2026-11-01" };
    const seq = await lastSeq(t.db);
    const ok = await createCoverage(t.db, dana, ann, { ...base, payerId: payers.medicaid }, [site.id], meta);
    if (!ok.ok) throw new Error(JSON.stringify(ok));
    primary = ok.id;
    expect((await auditSince(t.db, seq)).map((e) => [e.action, e.patient_id])).toEqual([["coverage.added", ann]]);

    const overlap = await createCoverage(t.db, dana, ann, { ...base, payerId: payers.commercial, effectiveFrom: "2026-12-01" }, [site.id], meta);
    expect(overlap).toMatchObject({ ok: false, status: 409 });
    expect(overlap.ok ? "" : overlap.formError).toMatch(/two primary coverages cannot overlap/);
    const backwards = await createCoverage(
      t.db,
      dana,
      ann,
      { ...base, payerId: payers.commercial, effectiveFrom: "2026-12-01", effectiveTo: "2026-11-30" },
      [site.id],
      meta,
    );
    expect(backwards).toMatchObject({ ok: false, status: 400, fieldErrors: { effectiveTo: ["The coverage cannot end before it starts."] } });
    const foreign = await createCoverage(t.db, dana, ann, { ...base, payerId: payers.elsewhere, priority: "secondary" }, [site.id], meta);
    expect(foreign).toMatchObject({ ok: false, status: 400, fieldErrors: { payerId: ["Choose a payer from this site's list."] } });
    // A patient at a site the actor does not work at answers as unknown.
    expect(await createCoverage(t.db, dana, ann, { ...base, payerId: payers.medicaid }, [other.siteId], meta)).toMatchObject({ ok: false, status: 404 });

    // Medicare as secondary beside the primary is fine.
    const second = await createCoverage(
      t.db,
      dana,
      ann,
      { ...base, payerId: payers.medicare, priority: "secondary", memberId: "1EG4TE5MK73" },
      [site.id],
      meta,
    );
    expect(second.ok).toBe(true);
    // Editing: a stale version is refused; the current one saves.
    expect(await updateCoverage(t.db, dana, ann, primary, { ...base, payerId: payers.medicaid, groupNumber: "G1", version: 2 }, [site.id], meta)).toMatchObject(
      {
        ok: false,
        status: 409,
      },
    );
    expect((await updateCoverage(t.db, dana, ann, primary, { ...base, payerId: payers.medicaid, groupNumber: "G1", version: 1 }, [site.id], meta)).ok).toBe(
      true,
    );
  });

  it("records authorizations, refusing overlaps at one coverage and level, units below 1 and dates out of order", async () => {
    const auth = {
      coverageId: primary,
      levelOfCare: "IOP" as const,
      unitKind: "days" as const,
      unitsApproved: 3,
      startsOn: "2026-11-02",
      endsOn: "2026-11-15",
      status: "approved" as const,
      number: "AUTH-1",
      nextReviewOn: "2026-11-11",
    };
    const seq = await lastSeq(t.db);
    const first = await createAuthorization(t.db, dana, ann, auth, [site.id], meta);
    if (!first.ok) throw new Error(JSON.stringify(first));
    expect((await auditSince(t.db, seq)).map((e) => e.action)).toEqual(["authorization.added"]);

    const overlap = await createAuthorization(t.db, dana, ann, { ...auth, number: "AUTH-2", startsOn: "2026-11-15", endsOn: "2026-11-30" }, [site.id], meta);
    expect(overlap).toMatchObject({ ok: false, status: 409 });
    expect(overlap.ok ? "" : overlap.formError).toMatch(/overlap IOP authorization AUTH-1/);
    // The day after the end does not overlap; another level on the same dates does not either.
    expect((await createAuthorization(t.db, dana, ann, { ...auth, number: "AUTH-3", startsOn: "2026-11-16", endsOn: "2026-11-30" }, [site.id], meta)).ok).toBe(
      true,
    );
    expect((await createAuthorization(t.db, dana, ann, { ...auth, number: "PHP-1", levelOfCare: "PHP" }, [site.id], meta)).ok).toBe(true);
    // A denial on the same dates is a record of what the payer said, not a second count.
    expect((await createAuthorization(t.db, dana, ann, { ...auth, number: "DEN-1", status: "denied" }, [site.id], meta)).ok).toBe(true);
    expect(
      await createAuthorization(t.db, dana, ann, { ...auth, unitsApproved: 0, startsOn: "2027-01-01", endsOn: "2027-01-10" }, [site.id], meta),
    ).toMatchObject({
      ok: false,
      status: 400,
      fieldErrors: { unitsApproved: ["Units approved must be a whole number of at least 1."] },
    });
    expect(await createAuthorization(t.db, dana, ann, { ...auth, startsOn: "2027-01-10", endsOn: "2027-01-01" }, [site.id], meta)).toMatchObject({
      ok: false,
      status: 400,
    });
    // Another site cannot write here.
    expect(await createAuthorization(t.db, dana, ann, { ...auth, startsOn: "2027-02-01", endsOn: "2027-02-10" }, [other.siteId], meta)).toMatchObject({
      status: 404,
    });
    // Editing with a stale version is refused.
    expect(await updateAuthorization(t.db, dana, ann, first.id, { ...auth, unitsApproved: 4, version: 7 }, [site.id], meta)).toMatchObject({
      ok: false,
      status: 409,
    });
  });

  it("counts units used from the roll calls: only days billable by their hours, inside the dates, at the level", async () => {
    const mine = (await patientAuthorizations(t.db, ann, TODAY)).find((a) => a.number === "AUTH-1")!;
    expect({ used: mine.used, remaining: mine.remaining, daysLeft: mine.daysLeft, exceeded: mine.exceeded }).toEqual({
      used: 3,
      remaining: 0,
      daysLeft: 6,
      exceeded: false,
    });
    // PHP on the same dates counts nothing: Ann attended IOP.
    expect((await patientAuthorizations(t.db, ann, TODAY)).find((a) => a.number === "PHP-1")!.used).toBe(0);

    await session("2026-11-09", 180, [[ann, "present"]]);
    const after = (await coverageChart(t.db, ann, TODAY)).coverages.find((c) => c.id === primary)!.authorizations.find((a) => a.number === "AUTH-1")!;
    expect({ used: after.used, remaining: after.remaining, exceeded: after.exceeded }).toEqual({ used: 4, remaining: -1, exceeded: true });
  });

  it("lists the site's authorizations with filters, and none of another site's", async () => {
    const exceeded = await listSiteAuthorizations(t.db, site.id, TODAY, { show: "exceeded", page: 1 });
    expect(exceeded.rows.map((r) => [r.number, r.patientName, r.payerName, r.used, r.remaining])).toEqual([
      ["AUTH-1", "Coverage, Ann", "NJ FamilyCare (Medicaid)", 4, -1],
    ]);
    const ending = await listSiteAuthorizations(t.db, site.id, TODAY, { show: "ending", page: 1 });
    // Nov 15 is within 7 days of Nov 10 (AUTH-1 and PHP-1); AUTH-3 ends Nov 30; the denial is not "approved".
    expect(ending.rows.map((r) => r.number).sort()).toEqual(["AUTH-1", "PHP-1"]);
    const denied = await listSiteAuthorizations(t.db, site.id, TODAY, { status: "denied", show: "all", page: 1 });
    expect(denied.rows.map((r) => r.number)).toEqual(["DEN-1"]);
    const paged = await listSiteAuthorizations(t.db, site.id, TODAY, { show: "all", page: 2, pageSize: 3 });
    expect({ total: paged.total, page: paged.page, shown: paged.rows.length }).toEqual({ total: 4, page: 2, shown: 1 });
    expect((await listSiteAuthorizations(t.db, other.siteId, TODAY, { show: "all", page: 1 })).total).toBe(0);
  });

  it("raises Home's utilization alerts for Ann: exceeded, ending, few left, review due, Medicare certification missing", async () => {
    // AUTH-1: 4 of 3 used (exceeded), ends Nov 15 (ending), review Nov 11 (within 3 days). PHP-1: ends
    // Nov 15, 3 of 3 left since Nov 2 (few left), review Nov 11. AUTH-3: starts Nov 16, review Nov 11.
    // Medicare is in force and no certification is on record. Ann attended IOP on Nov 9 and AUTH-1
    // covers today, so she is not "attending without an authorization".
    const alerts = (await utilizationAlerts(t.db, site.id, TODAY)).filter((a) => a.patientId === ann);
    expect(alerts.map((a) => a.kind)).toEqual(["exceeded", "recert", "ending", "ending", "low", "review", "review", "review"]);
    expect(alerts[0].detail).toBe("IOP 4 of 3 days used: 1 over");
    expect(alerts[1].detail).toBe("No Medicare IOP certification on record");
    expect(await utilizationAlerts(t.db, other.siteId, TODAY)).toEqual([]);
  });

  it("records Medicare certifications, refusing fewer hours than the rule and non-Medicare coverage", async () => {
    const medicare = (await coverageChart(t.db, ann, TODAY)).coverages.find((c) => c.payerKind === "medicare")!;
    const cert = {
      coverageId: medicare.id,
      levelOfCare: "IOP" as const,
      kind: "initial" as const,
      certifiedOn: "2026-11-02",
      physicianName: "Dr. Ruth Alvarez",
      physicianNpi: "1234567893",
      hoursPerWeek: 8,
    };
    const few = await addCertification(t.db, dana, ann, cert, [site.id], meta);
    expect(few).toMatchObject({ ok: false, status: 400 });
    expect(few.ok ? "" : few.fieldErrors?.hoursPerWeek?.[0]).toMatch(/At least 9 hours a week.*42 CFR 410\.44/);
    expect(await addCertification(t.db, dana, ann, { ...cert, coverageId: primary, hoursPerWeek: 9 }, [site.id], meta)).toMatchObject({
      ok: false,
      fieldErrors: { coverageId: ["Certifications are recorded for Medicare coverage only."] },
    });
    expect(await addCertification(t.db, dana, ann, { ...cert, levelOfCare: "PHP", hoursPerWeek: 19 }, [site.id], meta)).toMatchObject({
      ok: false,
      status: 400,
    });
    const seq = await lastSeq(t.db);
    expect((await addCertification(t.db, dana, ann, { ...cert, hoursPerWeek: 9 }, [site.id], meta)).ok).toBe(true);
    expect((await auditSince(t.db, seq)).map((e) => e.action)).toEqual(["medicare_certification.added"]);
    // Admitted Nov 2 (day 1): the first IOP recertification is due on day 60, Dec 31 (Nov 2 + 59 days).
    const standing = (await coverageChart(t.db, ann, TODAY)).certifications[0];
    expect({ current: standing.current, dueOn: standing.dueOn }).toEqual({ current: true, dueOn: "2026-12-31" });
    expect((await utilizationAlerts(t.db, site.id, TODAY)).filter((a) => a.patientId === ann && a.kind === "recert")).toEqual([]);
    // Seven days before it falls due, Home says so.
    expect((await utilizationAlerts(t.db, site.id, "2026-12-24")).find((a) => a.patientId === ann && a.kind === "recert")?.detail).toBe(
      "IOP recertification due Dec 31",
    );
  });
});

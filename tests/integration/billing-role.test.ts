/**
 * Issue 21, item 8, on real databases: what billing staff read. Home's "attended this week" and the
 * chart's claim view (demographics a claim carries and the diagnosis codes in effect, code and
 * description only).
 *
 * The week: Monday 2026-11-16 in America/New_York. Two IOP patients, Ann Avery and Ben Brooks, and
 * Cal Cole, enrolled but never attending. Every figure was worked out by hand (IOP: a day is
 * billable from 180 attended minutes; a day is documented when every attended minute is under a
 * signed note holding the patient's part, notes' own rule; a note waiting for a co-signature counts):
 *
 *   S1 Mon 14:00–17:00Z Priya   Ann present, Ben present   signed          Ann 180 doc, Ben 180 doc
 *   S2 Tue 14:00–16:00Z Priya   Ann present                no note         Ann 120 (not billable)
 *   S3 Wed 14:00–17:00Z Marcus  Ann present, Ben absent    no note         Ann 180 undocumented
 *   S4 Thu 14:00–17:00Z Priya   Ann excused, Ben present   no note         Ben 180 undocumented
 *
 *   Ann: 3 days attended (Mon, Tue, Wed), 480 minutes, 2 billable (Mon, Wed), 1 documented (Mon)
 *   Ben: 2 days attended (Mon, Thu), 360 minutes, 2 billable (Mon, Thu), 1 documented (Mon)
 *
 * Authorization use, today Friday 2026-11-20 (one payer, "Empire Plan"):
 *   A1 Ann  IOP days   2 approved  Nov 16–18  approved   used Mon + Wed = 2 (Tue is 120 min, not billable) -> 0 left, ended -> "Used up"
 *   B1 Ben  IOP hours  5 approved  Nov 16–30  approved   used Mon 3 h + Thu 3 h = 6 -> −1, exceeded; 11 days left (Nov 20–30)
 *   B2 Ben  IOP days  10 requested Nov 16–30              left out (nothing granted)
 *   C1 Cal  IOP sessions 10        Dec 1–31   approved   outside Nov 16–22; in Nov 16–Dec 5: used 0, 10 left, 31 days left (from its start)
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getRollCall, saveRollCall } from "~/features/attendance/attendance.server";
import type { AttendanceStatus } from "~/features/attendance/rules";
import { billingChart, claimDiagnoses } from "~/features/billing/chart.server";
import { attendedThisWeek } from "~/features/billing/home.server";
import { createAuthorization } from "~/features/billing/authorizations.server";
import { authorizationUseReport } from "~/features/billing/reports.server";
import { noteById, openNote, saveEntry, saveShared, signNote } from "~/features/notes/notes.server";
import { addDiagnosis, diagnosesOf, resolveDiagnosis } from "~/features/patients/clinical.server";
import { newId } from "~/utils/ids";
import { createTestDatabase, dialects, type TestDatabase } from "../support/databases";
import { meta, seed } from "../support/demo";
import { enroll } from "./patients-support";

const TZ = "America/New_York";
const at = (iso: string) => new Date(iso);

describe.each(dialects)("what billing staff read, on %s", (dialect) => {
  let t: TestDatabase;
  let site: { id: string; time_zone: string };
  type Person = { id: string; name: string };
  let dana: Person;
  let marcus: Person;
  let priya: Person;
  let ann: string;
  let ben: string;
  let cal: string;

  async function session(facilitator: Person, start: string, minutes: number, title: string, roll: [string, AttendanceStatus][]) {
    const id = newId();
    const endsAt = new Date(Date.parse(start) + minutes * 60_000).toISOString();
    await t.db
      .insertInto("sessions")
      .values({
        id,
        site_id: site.id,
        kind: "group",
        group_kind: "skills",
        title,
        facilitator_id: facilitator.id,
        modality: "in_person",
        capacity: 12,
        local_date: start.slice(0, 10),
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
    return id;
  }

  /** Writes every part of the session's note and signs it, as its facilitator, at `when`. */
  async function sign(by: Person, sessionId: string, when: string) {
    const opened = await openNote(t.db, by, sessionId, site.id, meta, at(when));
    if (!opened.ok) throw new Error(JSON.stringify(opened));
    const view = (await noteById(t.db, opened.id, [site.id]))!;
    const shared = await saveShared(
      t.db,
      by,
      opened.id,
      { version: view.sharedVersion, shared: { topic: "Triggers", curriculum: "", interventions: "Role-play", process: "Engaged" } },
      site.id,
      meta,
      at(when),
    );
    if (!shared.ok) throw new Error(JSON.stringify(shared));
    for (const p of view.parts) {
      const r = await saveEntry(
        t.db,
        by,
        opened.id,
        p.patientId,
        {
          version: p.version,
          content: {
            sections: { response: "Shared openly.", plan: "Practise the skill." },
            participation: "active",
            objectives: [],
            harm: "denied",
            harmDetail: "",
            use: "none",
            useDetail: "",
          },
        },
        site.id,
        meta,
        at(when),
      );
      if (!r.ok) throw new Error(JSON.stringify(r));
    }
    const signed = await signNote(t.db, by, opened.id, site.id, meta, at(when));
    if (!signed.ok) throw new Error(JSON.stringify(signed));
    return signed;
  }

  beforeAll(async () => {
    t = await createTestDatabase(dialect);
    const clinic = await seed(t.db);
    site = { id: clinic.siteId, time_zone: TZ };
    await t.db.updateTable("sites").set({ time_zone: TZ }).where("id", "=", site.id).execute();
    const person = (key: string) => ({ id: clinic.users[key].id, name: clinic.users[key].name });
    [dana, marcus, priya] = ["dana.whitfield", "marcus.bell", "priya.raman"].map(person);
    ann = (
      await enroll(t.db, marcus, site.id, {
        legalFirstName: "Ann",
        legalLastName: "Avery",
        admittedOn: "2026-11-02",
        address: "12 Pier St, Brooklyn, NY 11201",
        emergencyContactName: "Zed Avery",
        emergencyContactRelationship: "brother",
        emergencyContactPhone: "(718) 555-0199",
      })
    ).id;
    ben = (await enroll(t.db, priya, site.id, { legalFirstName: "Ben", legalLastName: "Brooks", admittedOn: "2026-11-02" })).id;
    cal = (await enroll(t.db, priya, site.id, { legalFirstName: "Cal", legalLastName: "Cole", admittedOn: "2026-11-02" })).id;

    const s1 = await session(priya, "2026-11-16T14:00:00.000Z", 180, "Relapse prevention", [
      [ann, "present"],
      [ben, "present"],
    ]);
    await session(priya, "2026-11-17T14:00:00.000Z", 120, "Coping skills", [[ann, "present"]]);
    await session(marcus, "2026-11-18T14:00:00.000Z", 180, "Mindfulness", [
      [ann, "present"],
      [ben, "absent_unexcused"],
    ]);
    await session(priya, "2026-11-19T14:00:00.000Z", 180, "Process group", [
      [ann, "absent_excused"],
      [ben, "present"],
    ]);
    expect((await sign(priya, s1, "2026-11-16T18:00:00.000Z")).cosignRequired).toBe(false);

    // Ann's diagnoses: F11.20 principal, F41.1; F17.210 added then resolved (no longer on a claim).
    for (const d of [{ code: "F41.1" }, { code: "F11.20", isPrimary: "yes" as const, onsetOn: "2020-01-01" }, { code: "F17.210" }]) {
      const r = await addDiagnosis(t.db, marcus, ann, d, [site.id], meta);
      if (!r.ok) throw new Error(JSON.stringify(r));
    }
    const nicotine = (await diagnosesOf(t.db, ann)).find((d) => d.code === "F17.210")!;
    const resolved = await resolveDiagnosis(
      t.db,
      marcus,
      ann,
      { diagnosisId: nicotine.id, version: nicotine.version, resolvedOn: "2026-11-10" },
      [site.id],
      meta,
    );
    if (!resolved.ok) throw new Error(JSON.stringify(resolved));
  });
  afterAll(() => t?.destroy());

  async function authorization(
    patientId: string,
    over: { unit: "days" | "hours" | "sessions"; units: number; from: string; to: string; status: string; number: string },
  ) {
    const now = "2026-11-01T12:00:00.000Z";
    let payer = await t.db.selectFrom("payers").select("id").where("site_id", "=", site.id).executeTakeFirst();
    if (!payer) {
      payer = { id: newId() };
      await t.db
        .insertInto("payers")
        .values({ id: payer.id, site_id: site.id, name: "Empire Plan", kind: "commercial", created_at: now, updated_at: now })
        .execute();
    }
    const coverageId = newId();
    await t.db
      .insertInto("coverages")
      .values({
        id: coverageId,
        patient_id: patientId,
        payer_id: payer.id,
        priority: "primary",
        effective_from: "2026-11-01",
        created_by: dana.id,
        created_at: now,
        updated_at: now,
      })
      .execute();
    // Through the repository, as the app records one: it keeps the authorization's units used.
    const added = await createAuthorization(
      t.db,
      dana,
      patientId,
      {
        coverageId,
        levelOfCare: "IOP",
        unitKind: over.unit,
        unitsApproved: over.units,
        startsOn: over.from,
        endsOn: over.to,
        status: over.status as "approved",
        number: over.number,
      },
      [site.id],
      meta,
    );
    if (!added.ok) throw new Error(JSON.stringify(added));
  }

  it("reports each authorization's use: approved, used from attended days, remaining and days left, counted by hand", async () => {
    await authorization(ann, { unit: "days", units: 2, from: "2026-11-16", to: "2026-11-18", status: "approved", number: "A1" });
    await authorization(ben, { unit: "hours", units: 5, from: "2026-11-16", to: "2026-11-30", status: "approved", number: "B1" });
    await authorization(ben, { unit: "days", units: 10, from: "2026-11-16", to: "2026-11-30", status: "requested", number: "B2" });
    await authorization(cal, { unit: "sessions", units: 10, from: "2026-12-01", to: "2026-12-31", status: "approved", number: "C1" });
    const params = { siteId: site.id, timeZone: TZ, from: "2026-11-16", to: "2026-11-22", trackId: null, counselorId: null, today: "2026-11-20" };
    const week = await authorizationUseReport.compute(t.db, params);
    const pick = (r: Record<string, unknown>) => [r.number, r.patient, r.unit, r.approved, r.used, r.remaining, r.daysLeft, r.state];
    expect(week.rows.map(pick)).toEqual([
      ["A1", "Avery, Ann", "Days", 2, 2, 0, 0, "Used up"],
      ["B1", "Brooks, Ben", "Hours", 5, 6, -1, 11, "Units exceeded"],
    ]);
    expect(week.rows[0]).toMatchObject({ payer: "Empire Plan", level: "IOP", starts: "2026-11-16", ends: "2026-11-18", status: "Approved" });
    expect(week.summary).toBe("2 authorizations: 7 units approved, 8 used; 1 exceeded.");
    const longer = await authorizationUseReport.compute(t.db, { ...params, to: "2026-12-05" });
    expect(longer.rows.map(pick)).toEqual([
      ["A1", "Avery, Ann", "Days", 2, 2, 0, 0, "Used up"],
      ["B1", "Brooks, Ben", "Hours", 5, 6, -1, 11, "Units exceeded"],
      ["C1", "Cole, Cal", "Sessions", 10, 0, 10, 31, "In use"],
    ]);
    // Another site's report lists none of them.
    expect((await authorizationUseReport.compute(t.db, { ...params, siteId: newId() })).rows).toEqual([]);
  });

  it("lists who attended the week, by name, with days, minutes, billable and documented days counted by hand", async () => {
    const week = await attendedThisWeek(t.db, site.id, "2026-11-16", "2026-11-22");
    expect(week).toEqual({
      from: "2026-11-16",
      to: "2026-11-22",
      total: 2,
      rows: [
        { patientId: ann, name: "Avery, Ann", mrn: expect.any(String), daysAttended: 3, billableDays: 2, documentedDays: 1, minutes: 480 },
        { patientId: ben, name: "Brooks, Ben", mrn: expect.any(String), daysAttended: 2, billableDays: 2, documentedDays: 1, minutes: 360 },
      ],
    });
    // Cal never attended: not listed.
    expect(week.rows.some((r) => r.patientId === cal)).toBe(false);
  });

  it("counts only the days inside the range, caps the list but not the total, and keeps to the site", async () => {
    const midweek = await attendedThisWeek(t.db, site.id, "2026-11-17", "2026-11-19");
    expect(midweek.rows.map((r) => [r.name, r.daysAttended, r.minutes, r.billableDays, r.documentedDays])).toEqual([
      ["Avery, Ann", 2, 300, 1, 0],
      ["Brooks, Ben", 1, 180, 1, 0],
    ]);
    const capped = await attendedThisWeek(t.db, site.id, "2026-11-16", "2026-11-22", 1);
    expect(capped.total).toBe(2);
    expect(capped.rows.map((r) => r.name)).toEqual(["Avery, Ann"]);
    expect(await attendedThisWeek(t.db, newId(), "2026-11-16", "2026-11-22")).toEqual({ from: "2026-11-16", to: "2026-11-22", total: 0, rows: [] });
  });

  it("gives a claim the diagnosis codes in effect, principal first, code and description only", async () => {
    const codes = await claimDiagnoses(t.db, [ann, ben, cal]);
    expect(codes.get(ann)).toEqual([
      { code: "F11.20", description: "Opioid dependence, uncomplicated", primary: true },
      { code: "F41.1", description: "Generalized anxiety disorder", primary: false },
    ]);
    expect(codes.has(cal)).toBe(false);
  });

  it("the chart's claim view carries what a claim needs and nothing more, at the reader's sites only", async () => {
    const chart = await billingChart(t.db, ann, [site.id]);
    expect(chart).toEqual({
      legalName: "Ann Avery",
      dateOfBirth: "1990-05-05",
      sex: "female",
      address: "12 Pier St, Brooklyn, NY 11201",
      phone: "(718) 555-0100",
      payerType: "medicaid",
      payerPlan: "NY Medicaid",
      payerMemberId: "MED0001",
      diagnoses: [
        { code: "F11.20", description: "Opioid dependence, uncomplicated", primary: true },
        { code: "F41.1", description: "Generalized anxiety disorder", primary: false },
      ],
    });
    // No emergency contact, counselor, onset date or category in it.
    expect(JSON.stringify(chart)).not.toMatch(/Zed Avery|brother|555-0199|2020-01-01|[Cc]ounselor/);
    expect(await billingChart(t.db, ann, [newId()])).toBeNull();
  });
});

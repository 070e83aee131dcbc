import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyAuditChain } from "~/features/audit/audit.server";
import { chartHeader } from "~/features/patients/caseload.server";
import {
  STALE_PATIENT,
  changeLevelOfCare,
  changeStatus,
  dischargePatient,
  enrollPatient,
  episodesOf,
  getPatientRow,
  levelHistory,
  readmitPatient,
  statusHistory,
  updateDemographics,
} from "~/features/patients/patients.server";
import { formatMrn } from "~/features/patients/rules";
import type { DemographicsInput, IntakeInput } from "~/features/patients/schemas";
import { createTestDatabase, dialects, type TestDatabase } from "../support/databases";
import { meta, seed } from "../support/demo";
import { addSecondSite, auditSince, dischargeInput, enroll, intakeInput, lastSeq, snapshot, version } from "./patients-support";

type Clinic = Awaited<ReturnType<typeof seed>>;

function demographicsFrom(intake: IntakeInput, v: number, over: Partial<DemographicsInput> = {}): DemographicsInput {
  const { siteId: _s, referralSource: _r, admittedOn: _a, levelOfCare: _l, initialStatus: _i, confirmDuplicate: _c, ...rest } = intake;
  return { ...rest, version: v, ...over };
}

describe.each(dialects)("patient enrollment and episodes on %s", (dialect) => {
  let t: TestDatabase;
  let clinic: Clinic;
  let marcus: { id: string; name: string };
  let priya: { id: string; name: string };
  let sites: string[];
  let eastside: Awaited<ReturnType<typeof addSecondSite>>;

  beforeAll(async () => {
    t = await createTestDatabase(dialect);
    clinic = await seed(t.db);
    marcus = { id: clinic.users["marcus.bell"].id, name: clinic.users["marcus.bell"].name };
    priya = { id: clinic.users["priya.raman"].id, name: clinic.users["priya.raman"].name };
    sites = [clinic.siteId];
    eastside = await addSecondSite(t.db);
  });
  afterAll(() => t?.destroy());

  const counter = async () => Number((await t.db.selectFrom("mrn_counter").select("last_value").where("id", "=", 1).executeTakeFirstOrThrow()).last_value);

  describe("intake", () => {
    it("enrolls a patient with the next MRN, an open first episode, intake history and one audit row", async () => {
      const [since, last] = [await lastSeq(t.db), await counter()];
      const input = intakeInput(clinic.siteId, marcus.id, {
        legalFirstName: "Renée",
        legalLastName: "Okafor",
        preferredName: "Nay",
        dateOfBirth: "1988-07-14",
        admittedOn: "2026-09-01",
        levelOfCare: "PHP",
      });
      const result = await enrollPatient(t.db, marcus, input, sites, meta);
      expect(result).toMatchObject({ ok: true, mrn: formatMrn(last + 1) });
      if (!result.ok) return;
      expect(result.mrn).toMatch(/^MRN-00\d{4}$/);

      const row = await getPatientRow(t.db, result.id, sites);
      expect(row).toMatchObject({
        mrn: result.mrn,
        site_id: clinic.siteId,
        status: "active",
        level_of_care: "PHP",
        level_since: "2026-09-01",
        primary_counselor_id: marcus.id,
        search_name: "renee okafor nay",
        version: 1,
      });
      const episodes = await episodesOf(t.db, result.id);
      expect(episodes).toHaveLength(1);
      expect(episodes[0]).toMatchObject({
        id: row!.current_episode_id,
        episode_number: 1,
        admitted_on: "2026-09-01",
        referral_source: "self",
        discharged_on: null,
        aftercare: null,
      });
      expect(await statusHistory(t.db, result.id)).toMatchObject([
        { status: "active", effective_on: "2026-09-01", reason: "Intake", changed_by_name: marcus.name },
      ]);
      expect(await levelHistory(t.db, result.id)).toMatchObject([
        { level_of_care: "PHP", effective_on: "2026-09-01", episode_number: 1, changed_by_name: marcus.name },
      ]);

      const audit = await auditSince(t.db, since);
      expect(audit.map((a) => a.action)).toEqual(["patient.enrolled"]);
      expect(audit[0]).toMatchObject({
        user_id: marcus.id,
        entity_type: "patient",
        entity_id: result.id,
        patient_id: result.id,
        site_id: clinic.siteId,
        outcome: "success",
      });
      const after = JSON.parse(audit[0].changes!).after;
      expect(after).toMatchObject({ mrn: result.mrn, status: "active", levelOfCare: "PHP", admittedOn: "2026-09-01", primaryCounselorId: marcus.id });
      expect(after.duplicateConfirmed).toBeUndefined();
    });

    it("hands out consecutive, unique MRNs, even to intakes saved at the same moment", async () => {
      const [since, last] = [await lastSeq(t.db), await counter()];
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          enrollPatient(
            t.db,
            marcus,
            intakeInput(clinic.siteId, marcus.id, { legalFirstName: `Burst${i}`, legalLastName: "Sequence", dateOfBirth: `1980-01-${String(i + 10)}` }),
            sites,
            meta,
          ),
        ),
      );
      expect(results.every((r) => r.ok)).toBe(true);
      const mrns = results.map((r) => (r.ok ? r.mrn : "")).sort();
      expect(mrns).toEqual(Array.from({ length: 8 }, (_, i) => formatMrn(last + 1 + i)));
      expect(await counter()).toBe(last + 8);
      const audit = await auditSince(t.db, since);
      expect(audit.filter((a) => a.action === "patient.enrolled")).toHaveLength(8);
      expect(new Set(audit.map((a) => a.patient_id)).size).toBe(8);
    });

    it("stops a possible duplicate (same legal name and birth date, whatever the case or accents) with a 409 and saves nothing", async () => {
      const first = await enroll(t.db, marcus, clinic.siteId, {
        legalFirstName: "José",
        legalLastName: "Núñez",
        preferredName: "Pepe",
        dateOfBirth: "1985-03-03",
      });
      const before = await snapshot(t.db);
      const again = await enrollPatient(
        t.db,
        priya,
        intakeInput(clinic.siteId, priya.id, { legalFirstName: "JOSE", legalLastName: "nunez", dateOfBirth: "1985-03-03" }),
        sites,
        meta,
      );
      expect(again).toMatchObject({ ok: false, status: 409 });
      if (again.ok) return;
      expect(again.formError).toMatch(/already on record/);
      expect(again.duplicates).toHaveLength(1);
      expect(again.duplicates![0]).toMatchObject({ id: first.id, mrn: first.mrn, date_of_birth: "1985-03-03", status: "active", legal_last_name: "Núñez" });
      expect(await snapshot(t.db)).toEqual(before);
    });

    it("does not call someone a duplicate who only shares the name", async () => {
      await enroll(t.db, marcus, clinic.siteId, { legalFirstName: "Sam", legalLastName: "Twin", dateOfBirth: "1991-01-01" });
      const other = await enrollPatient(
        t.db,
        marcus,
        intakeInput(clinic.siteId, marcus.id, { legalFirstName: "Sam", legalLastName: "Twin", dateOfBirth: "1991-01-02" }),
        sites,
        meta,
      );
      expect(other.ok).toBe(true);
    });

    it("saves a confirmed duplicate and notes the confirmation in the audit row", async () => {
      await enroll(t.db, marcus, clinic.siteId, { legalFirstName: "Alex", legalLastName: "Morgan", dateOfBirth: "1979-09-09" });
      const since = await lastSeq(t.db);
      const result = await enrollPatient(
        t.db,
        priya,
        intakeInput(clinic.siteId, priya.id, { legalFirstName: "Alex", legalLastName: "Morgan", dateOfBirth: "1979-09-09", confirmDuplicate: "yes" }),
        sites,
        meta,
      );
      expect(result.ok).toBe(true);
      const [row] = await auditSince(t.db, since);
      expect(row.action).toBe("patient.enrolled");
      expect(JSON.parse(row.changes!).after.duplicateConfirmed).toBe(true);
    });

    it("refuses a site the user does not work at, and a counselor who cannot carry a caseload there, without using up an MRN", async () => {
      const before = await snapshot(t.db);
      const otherSite = await enrollPatient(t.db, marcus, intakeInput(eastside.siteId, eastside.counselor.id), sites, meta);
      expect(otherSite).toMatchObject({ ok: false, status: 400, fieldErrors: { siteId: ["Choose one of your own sites."] } });
      const elsewhere = await enrollPatient(t.db, marcus, intakeInput(clinic.siteId, eastside.counselor.id, { legalFirstName: "Nobody" }), sites, meta);
      expect(elsewhere).toMatchObject({
        ok: false,
        status: 400,
        fieldErrors: { primaryCounselorId: ["Choose a counselor who works at this patient's site."] },
      });
      const staff = await enrollPatient(t.db, marcus, intakeInput(clinic.siteId, clinic.users["tom.kowalski"].id, { legalFirstName: "Nobody" }), sites, meta);
      expect(staff).toMatchObject({ ok: false, status: 400, fieldErrors: { primaryCounselorId: [expect.any(String)] } });
      const ghost = await enrollPatient(t.db, marcus, intakeInput(clinic.siteId, "no-such-user", { legalFirstName: "Nobody" }), sites, meta);
      expect(ghost).toMatchObject({ ok: false, status: 400 });
      expect(await snapshot(t.db)).toEqual(before);
    });

    it("lets an admin carry a caseload", async () => {
      const dana = clinic.users["dana.whitfield"];
      const result = await enrollPatient(t.db, dana, intakeInput(clinic.siteId, dana.id, { legalFirstName: "Admin", legalLastName: "Caseload" }), sites, meta);
      expect(result.ok).toBe(true);
    });

    it("two intakes of the same new person at the same moment: one is saved, the other gets the possible-duplicate 409", async () => {
      const [since, before] = [await lastSeq(t.db), await counter()];
      const same = () =>
        enrollPatient(
          t.db,
          marcus,
          intakeInput(clinic.siteId, marcus.id, { legalFirstName: "Casey", legalLastName: "Racer", dateOfBirth: "1993-06-06" }),
          sites,
          meta,
        );
      const results = await Promise.all([same(), same(), same()]);
      const saved = results.filter((r) => r.ok);
      expect(saved).toHaveLength(1);
      const refused = results.filter((r) => !r.ok);
      expect(refused).toHaveLength(2);
      for (const r of refused) {
        expect(r).toMatchObject({
          status: 409,
          formError: expect.stringContaining("already on record"),
          duplicates: [expect.objectContaining({ legal_first_name: "Casey", date_of_birth: "1993-06-06" })],
        });
      }
      // The losers' MRNs were given back with their rolled-back transactions.
      expect(await counter()).toBe(before + 1);
      const rows = await t.db.selectFrom("patients").select("id").where("search_name", "=", "casey racer").execute();
      expect(rows).toHaveLength(1);
      expect((await auditSince(t.db, since)).filter((a) => a.action === "patient.enrolled")).toHaveLength(1);
    });

    it("two intakes of the same person confirmed as different people both save", async () => {
      const same = () =>
        enrollPatient(
          t.db,
          marcus,
          intakeInput(clinic.siteId, marcus.id, { legalFirstName: "Jordan", legalLastName: "Twin", dateOfBirth: "1991-03-03", confirmDuplicate: "yes" }),
          sites,
          meta,
        );
      const results = await Promise.all([same(), same()]);
      expect(results.every((r) => r.ok)).toBe(true);
    });
  });

  describe("demographics", () => {
    it("saves an edit, bumps the version and audits only what changed", async () => {
      const intake = intakeInput(clinic.siteId, marcus.id, {
        legalFirstName: "Dmitri",
        legalLastName: "Edits",
        dateOfBirth: "1970-02-02",
        confirmDuplicate: "yes",
      });
      const { id } = await enroll(t.db, marcus, clinic.siteId, intake);
      const since = await lastSeq(t.db);
      const result = await updateDemographics(t.db, marcus, id, demographicsFrom(intake, 1, { phone: "(917) 555-0199", preferredName: "Dima" }), sites, meta);
      expect(result).toEqual({ ok: true });
      const row = await getPatientRow(t.db, id, sites);
      expect(row).toMatchObject({ phone: "(917) 555-0199", preferred_name: "Dima", search_name: "dmitri edits dima", version: 2 });
      const audit = await auditSince(t.db, since);
      expect(audit.map((a) => a.action)).toEqual(["patient.updated"]);
      expect(audit[0].patient_id).toBe(id);
      expect(JSON.parse(audit[0].changes!)).toMatchObject({
        before: { phone: "(718) 555-0100", preferred_name: null },
        after: { phone: "(917) 555-0199", preferred_name: "Dima" },
      });
      expect(Object.keys(JSON.parse(audit[0].changes!).after).sort()).toEqual(["phone", "preferred_name"]);
    });

    it("refuses the second of two edits made from the same version and keeps the first", async () => {
      const intake = intakeInput(clinic.siteId, marcus.id, {
        legalFirstName: "Stale",
        legalLastName: "Edit",
        dateOfBirth: "1975-05-05",
        confirmDuplicate: "yes",
      });
      const { id } = await enroll(t.db, marcus, clinic.siteId, intake);
      const first = await updateDemographics(t.db, marcus, id, demographicsFrom(intake, 1, { address: "1 First St" }), sites, meta);
      expect(first.ok).toBe(true);
      const before = await snapshot(t.db);
      const second = await updateDemographics(t.db, priya, id, demographicsFrom(intake, 1, { address: "2 Second Ave" }), sites, meta);
      expect(second).toEqual({ ok: false, status: 409, formError: STALE_PATIENT });
      expect(await snapshot(t.db)).toEqual(before);
      expect((await getPatientRow(t.db, id, sites))!.address).toBe("1 First St");
    });

    it("refuses a counselor from another site, and a patient outside the user's sites", async () => {
      const intake = intakeInput(clinic.siteId, marcus.id, {
        legalFirstName: "Scope",
        legalLastName: "Edit",
        dateOfBirth: "1976-06-06",
        confirmDuplicate: "yes",
      });
      const { id } = await enroll(t.db, marcus, clinic.siteId, intake);
      const before = await snapshot(t.db);
      expect(await updateDemographics(t.db, marcus, id, demographicsFrom(intake, 1, { primaryCounselorId: eastside.counselor.id }), sites, meta)).toMatchObject(
        {
          ok: false,
          status: 400,
          fieldErrors: { primaryCounselorId: [expect.any(String)] },
        },
      );
      expect(await updateDemographics(t.db, eastside.counselor, id, demographicsFrom(intake, 1, { address: "x" }), [eastside.siteId], meta)).toMatchObject({
        ok: false,
        status: 404,
      });
      expect(await snapshot(t.db)).toEqual(before);
    });

    it("shows a chart only at the patient's own sites", async () => {
      const { id } = await enroll(t.db, marcus, clinic.siteId, { legalFirstName: "Hidden", legalLastName: "Chart", dateOfBirth: "1977-07-07" });
      expect(await getPatientRow(t.db, id, sites)).not.toBeNull();
      expect(await getPatientRow(t.db, id, [eastside.siteId])).toBeNull();
      expect(await getPatientRow(t.db, id, [])).toBeNull();
      expect(await getPatientRow(t.db, "x".repeat(65), sites)).toBeNull();
      expect(await chartHeader(t.db, id, [eastside.siteId], "2026-11-01")).toBeNull();
    });
  });

  describe("status", () => {
    it("moves referred → active → on hold → active, with a history row and an audit row each", async () => {
      const { id } = await enroll(t.db, marcus, clinic.siteId, {
        legalFirstName: "Status",
        legalLastName: "Walk",
        dateOfBirth: "1982-02-02",
        initialStatus: "referred",
        admittedOn: "2026-09-01",
      });
      const since = await lastSeq(t.db);
      const steps = [
        { status: "active", effectiveOn: "2026-09-03" },
        { status: "on_hold", effectiveOn: "2026-09-20", reason: "Medical hospitalization" },
        { status: "active", effectiveOn: "2026-09-27" },
      ] as const;
      for (const step of steps) {
        expect(await changeStatus(t.db, marcus, id, { version: await version(t.db, id), ...step }, sites, meta)).toEqual({ ok: true });
      }
      expect((await getPatientRow(t.db, id, sites))!.status).toBe("active");
      expect((await statusHistory(t.db, id)).map((s) => [s.status, s.effective_on])).toEqual([
        ["active", "2026-09-27"],
        ["on_hold", "2026-09-20"],
        ["active", "2026-09-03"],
        ["referred", "2026-09-01"],
      ]);
      const audit = await auditSince(t.db, since);
      expect(audit.map((a) => a.action)).toEqual(["patient.status_changed", "patient.status_changed", "patient.status_changed"]);
      expect(audit.every((a) => a.patient_id === id)).toBe(true);
      expect(JSON.parse(audit[1].changes!)).toMatchObject({
        before: { status: "active" },
        after: { status: "on_hold" },
        detail: { effectiveOn: "2026-09-20", reason: "Medical hospitalization" },
      });
    });

    it("refuses moves the rules do not allow, saying where the patient can go", async () => {
      const { id } = await enroll(t.db, marcus, clinic.siteId, {
        legalFirstName: "Status",
        legalLastName: "Refused",
        dateOfBirth: "1983-03-03",
        initialStatus: "referred",
      });
      const before = await snapshot(t.db);
      const toHold = await changeStatus(t.db, marcus, id, { version: 1, status: "on_hold", effectiveOn: "2026-09-10" }, sites, meta);
      expect(toHold).toMatchObject({ ok: false, status: 400, fieldErrors: { status: [expect.stringMatching(/can only move to Active/)] } });
      const toSame = await changeStatus(t.db, marcus, id, { version: 1, status: "referred", effectiveOn: "2026-09-10" }, sites, meta);
      expect(toSame).toMatchObject({ ok: false, status: 400 });
      const toDischarged = await changeStatus(t.db, marcus, id, { version: 1, status: "discharged", effectiveOn: "2026-09-10" }, sites, meta);
      expect(toDischarged).toMatchObject({ ok: false, status: 400, fieldErrors: { status: ["Use the discharge form to discharge a patient."] } });
      expect(await snapshot(t.db)).toEqual(before);
    });

    it("refuses a status change dated before admission, or from a stale version", async () => {
      const { id } = await enroll(t.db, marcus, clinic.siteId, {
        legalFirstName: "Status",
        legalLastName: "Dates",
        dateOfBirth: "1984-04-04",
        admittedOn: "2026-09-01",
      });
      const before = await snapshot(t.db);
      const early = await changeStatus(t.db, marcus, id, { version: 1, status: "on_hold", effectiveOn: "2026-08-31" }, sites, meta);
      expect(early).toMatchObject({ ok: false, status: 400, fieldErrors: { effectiveOn: ["The change cannot be before admission (Sep 1, 2026)."] } });
      const stale = await changeStatus(t.db, marcus, id, { version: 7, status: "on_hold", effectiveOn: "2026-09-02" }, sites, meta);
      expect(stale).toEqual({ ok: false, status: 409, formError: STALE_PATIENT });
      expect(await snapshot(t.db)).toEqual(before);
    });

    // BUG: changeStatus checks the date only against admission, not against the last status change,
    // so the history can end on a status the patient is no longer in.
    it("refuses a status change dated before the last one, so the history ends on the current status", async () => {
      const { id } = await enroll(t.db, marcus, clinic.siteId, {
        legalFirstName: "Status",
        legalLastName: "Order",
        dateOfBirth: "1984-05-05",
        admittedOn: "2026-09-01",
      });
      expect(await changeStatus(t.db, marcus, id, { version: 1, status: "on_hold", effectiveOn: "2026-09-20" }, sites, meta)).toEqual({ ok: true });
      const backdated = await changeStatus(t.db, marcus, id, { version: 2, status: "active", effectiveOn: "2026-09-10" }, sites, meta);
      const current = (await getPatientRow(t.db, id, sites))!.status;
      const [latest] = await statusHistory(t.db, id);
      expect({ backdated: backdated.ok, latestInHistory: latest.status, current }).toEqual({
        backdated: false,
        latestInHistory: "on_hold",
        current: "on_hold",
      });
    });
  });

  describe("level of care", () => {
    it("steps PHP down to IOP: new level from the effective date, a history row and a step-down audit row", async () => {
      const { id } = await enroll(t.db, marcus, clinic.siteId, {
        legalFirstName: "Level",
        legalLastName: "Down",
        dateOfBirth: "1985-05-05",
        levelOfCare: "PHP",
        admittedOn: "2026-09-01",
      });
      const since = await lastSeq(t.db);
      const result = await changeLevelOfCare(
        t.db,
        marcus,
        id,
        { version: 1, levelOfCare: "IOP", effectiveOn: "2026-09-15", reason: "Stable for two weeks." },
        sites,
        meta,
      );
      expect(result).toEqual({ ok: true });
      expect(await getPatientRow(t.db, id, sites)).toMatchObject({ level_of_care: "IOP", level_since: "2026-09-15", version: 2 });
      expect((await levelHistory(t.db, id)).map((l) => [l.level_of_care, l.effective_on, l.reason])).toEqual([
        ["IOP", "2026-09-15", "Stable for two weeks."],
        ["PHP", "2026-09-01", "Level of care at admission"],
      ]);
      const header = await chartHeader(t.db, id, sites, "2026-09-25");
      expect(header!.clinical).toMatchObject({ levelOfCare: "IOP", levelSince: "2026-09-15", daysAtLevel: 10, daysInProgram: 24 });
      const audit = await auditSince(t.db, since);
      expect(audit.map((a) => a.action)).toEqual(["patient.level_changed"]);
      expect(audit[0].patient_id).toBe(id);
      expect(JSON.parse(audit[0].changes!)).toMatchObject({
        before: { levelOfCare: "PHP" },
        after: { levelOfCare: "IOP" },
        detail: { effectiveOn: "2026-09-15", direction: "step-down" },
      });
    });

    it("notes a step up as such", async () => {
      const { id } = await enroll(t.db, marcus, clinic.siteId, { legalFirstName: "Level", legalLastName: "Up", dateOfBirth: "1985-06-06", levelOfCare: "OP" });
      const since = await lastSeq(t.db);
      expect(await changeLevelOfCare(t.db, marcus, id, { version: 1, levelOfCare: "PHP", effectiveOn: "2026-09-05", reason: "Relapse." }, sites, meta)).toEqual(
        { ok: true },
      );
      expect(JSON.parse((await auditSince(t.db, since))[0].changes!).detail.direction).toBe("step-up");
    });

    it("refuses a change to the same level, before admission, before the last change, or from a stale version", async () => {
      const { id } = await enroll(t.db, marcus, clinic.siteId, {
        legalFirstName: "Level",
        legalLastName: "Refused",
        dateOfBirth: "1985-07-07",
        levelOfCare: "PHP",
        admittedOn: "2026-09-01",
      });
      expect(
        await changeLevelOfCare(t.db, marcus, id, { version: 1, levelOfCare: "IOP", effectiveOn: "2026-09-15", reason: "Step down." }, sites, meta),
      ).toEqual({ ok: true });
      const before = await snapshot(t.db);
      expect(
        await changeLevelOfCare(t.db, marcus, id, { version: 2, levelOfCare: "IOP", effectiveOn: "2026-09-20", reason: "Again." }, sites, meta),
      ).toMatchObject({
        ok: false,
        status: 400,
        fieldErrors: { levelOfCare: ["They are already at IOP."] },
      });
      expect(
        await changeLevelOfCare(t.db, marcus, id, { version: 2, levelOfCare: "OP", effectiveOn: "2026-08-31", reason: "Early." }, sites, meta),
      ).toMatchObject({
        ok: false,
        status: 400,
        fieldErrors: { effectiveOn: ["The change cannot be before admission (Sep 1, 2026)."] },
      });
      expect(
        await changeLevelOfCare(t.db, marcus, id, { version: 2, levelOfCare: "OP", effectiveOn: "2026-09-14", reason: "Before the last." }, sites, meta),
      ).toMatchObject({
        ok: false,
        status: 400,
        fieldErrors: { effectiveOn: [expect.stringContaining("before the last one (IOP from Sep 15, 2026)")] },
      });
      expect(await changeLevelOfCare(t.db, marcus, id, { version: 1, levelOfCare: "OP", effectiveOn: "2026-09-30", reason: "Stale." }, sites, meta)).toEqual({
        ok: false,
        status: 409,
        formError: STALE_PATIENT,
      });
      expect(await snapshot(t.db)).toEqual(before);
    });

    it("two counselors changing the level at once: one is saved, the other is told to reload", async () => {
      const { id } = await enroll(t.db, marcus, clinic.siteId, {
        legalFirstName: "Level",
        legalLastName: "Race",
        dateOfBirth: "1985-08-08",
        levelOfCare: "IOP",
      });
      const since = await lastSeq(t.db);
      const results = await Promise.all([
        changeLevelOfCare(t.db, marcus, id, { version: 1, levelOfCare: "OP", effectiveOn: "2026-09-20", reason: "Marcus: step down." }, sites, meta),
        changeLevelOfCare(t.db, priya, id, { version: 1, levelOfCare: "PHP", effectiveOn: "2026-09-20", reason: "Priya: step up." }, sites, meta),
      ]);
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      expect(results.filter((r) => !r.ok)).toEqual([{ ok: false, status: 409, formError: STALE_PATIENT }]);
      expect(await levelHistory(t.db, id)).toHaveLength(2);
      expect((await auditSince(t.db, since)).map((a) => a.action)).toEqual(["patient.level_changed"]);
      const winner = results[0].ok ? "OP" : "PHP";
      expect(await getPatientRow(t.db, id, sites)).toMatchObject({ level_of_care: winner, version: 2 });
    });
  });

  describe("discharge and re-admission", () => {
    it("discharges with the TEDS reason, next level and aftercare, closing the episode", async () => {
      const { id } = await enroll(t.db, marcus, clinic.siteId, {
        legalFirstName: "Dis",
        legalLastName: "Charged",
        dateOfBirth: "1986-01-01",
        admittedOn: "2026-09-01",
      });
      const since = await lastSeq(t.db);
      const result = await dischargePatient(t.db, marcus, id, dischargeInput(1, { dischargedOn: "2026-10-20", note: "Completed all phases." }), sites, meta);
      expect(result).toEqual({ ok: true, sessionsLeft: [] });
      expect(await getPatientRow(t.db, id, sites)).toMatchObject({ status: "discharged", version: 2 });
      const [episode] = await episodesOf(t.db, id);
      expect(episode).toMatchObject({
        episode_number: 1,
        discharged_on: "2026-10-20",
        discharge_reason: "completed",
        next_level_of_care: "OP",
        discharge_note: "Completed all phases.",
        aftercare: {
          stepDownProvider: "Riverside Community Counseling",
          mutualHelp: ["aa", "smart"],
          alumniProgram: true,
          soberLivingReferral: false,
          followUpOn: "2026-10-27",
        },
      });
      expect((await statusHistory(t.db, id))[0]).toMatchObject({ status: "discharged", effective_on: "2026-10-20", reason: "completed" });
      const header = await chartHeader(t.db, id, sites, "2026-11-27");
      expect(header!.clinical).toMatchObject({ dischargedOn: "2026-10-20", daysInProgram: 49, daysAtLevel: 49 });
      const audit = await auditSince(t.db, since);
      expect(audit.map((a) => a.action)).toEqual(["patient.discharged"]);
      expect(audit[0].patient_id).toBe(id);
      expect(JSON.parse(audit[0].changes!)).toMatchObject({
        before: { status: "active" },
        after: { status: "discharged", dischargedOn: "2026-10-20", reason: "completed", nextLevelOfCare: "OP", aftercare: { alumniProgram: true } },
      });
    });

    it("refuses a discharge before admission, from a stale version, or a second time", async () => {
      const { id } = await enroll(t.db, marcus, clinic.siteId, {
        legalFirstName: "Dis",
        legalLastName: "Refused",
        dateOfBirth: "1986-02-02",
        admittedOn: "2026-09-01",
      });
      let before = await snapshot(t.db);
      expect(await dischargePatient(t.db, marcus, id, dischargeInput(1, { dischargedOn: "2026-08-31" }), sites, meta)).toMatchObject({
        ok: false,
        status: 400,
        fieldErrors: { dischargedOn: ["The discharge date is before admission (Sep 1, 2026)."] },
      });
      expect(await dischargePatient(t.db, marcus, id, dischargeInput(9), sites, meta)).toEqual({ ok: false, status: 409, formError: STALE_PATIENT });
      expect(await snapshot(t.db)).toEqual(before);
      expect((await dischargePatient(t.db, marcus, id, dischargeInput(1), sites, meta)).ok).toBe(true);
      before = await snapshot(t.db);
      expect(await dischargePatient(t.db, marcus, id, dischargeInput(2, { reason: "other" }), sites, meta)).toMatchObject({
        ok: false,
        status: 400,
        formError: "This patient is already discharged.",
      });
      expect(await snapshot(t.db)).toEqual(before);
    });

    it("refuses level and status changes once a patient is discharged", async () => {
      const { id } = await enroll(t.db, marcus, clinic.siteId, { legalFirstName: "Dis", legalLastName: "Frozen", dateOfBirth: "1986-03-03" });
      expect((await dischargePatient(t.db, marcus, id, dischargeInput(1), sites, meta)).ok).toBe(true);
      const before = await snapshot(t.db);
      expect(await changeLevelOfCare(t.db, marcus, id, { version: 2, levelOfCare: "OP", effectiveOn: "2026-10-25", reason: "x" }, sites, meta)).toMatchObject({
        ok: false,
        status: 400,
        formError: expect.stringMatching(/discharged/),
      });
      expect(await changeStatus(t.db, marcus, id, { version: 2, status: "active", effectiveOn: "2026-10-25" }, sites, meta)).toMatchObject({
        ok: false,
        status: 400,
      });
      expect(await snapshot(t.db)).toEqual(before);
    });

    // BUG: dischargePatient checks the date only against admission, so a discharge can be dated
    // before the last level-of-care change of the same episode.
    it("refuses a discharge dated before the last level-of-care change", async () => {
      const { id } = await enroll(t.db, marcus, clinic.siteId, {
        legalFirstName: "Dis",
        legalLastName: "Backdated",
        dateOfBirth: "1986-04-04",
        levelOfCare: "PHP",
        admittedOn: "2026-09-01",
      });
      expect(
        await changeLevelOfCare(t.db, marcus, id, { version: 1, levelOfCare: "IOP", effectiveOn: "2026-09-20", reason: "Step down." }, sites, meta),
      ).toEqual({ ok: true });
      const result = await dischargePatient(t.db, marcus, id, dischargeInput(2, { dischargedOn: "2026-09-10", followUpOn: undefined }), sites, meta);
      expect(result).toMatchObject({ ok: false, status: 400, fieldErrors: { dischargedOn: [expect.any(String)] } });
    });

    it("re-admits as episode 2 and keeps the first episode, its discharge and its history", async () => {
      const { id } = await enroll(t.db, marcus, clinic.siteId, {
        legalFirstName: "Re",
        legalLastName: "Admitted",
        dateOfBirth: "1987-01-01",
        levelOfCare: "PHP",
        admittedOn: "2026-08-01",
      });
      expect(
        (await changeLevelOfCare(t.db, marcus, id, { version: 1, levelOfCare: "IOP", effectiveOn: "2026-08-15", reason: "Step down." }, sites, meta)).ok,
      ).toBe(true);
      expect(
        (
          await dischargePatient(
            t.db,
            marcus,
            id,
            dischargeInput(2, { dischargedOn: "2026-09-10", reason: "left_before_completion", followUpOn: undefined }),
            sites,
            meta,
          )
        ).ok,
      ).toBe(true);
      const since = await lastSeq(t.db);
      const result = await readmitPatient(
        t.db,
        priya,
        id,
        { version: 3, admittedOn: "2026-10-01", referralSource: "court", levelOfCare: "OP", initialStatus: "referred" },
        sites,
        meta,
      );
      expect(result).toEqual({ ok: true });

      const row = await getPatientRow(t.db, id, sites);
      expect(row).toMatchObject({ status: "referred", level_of_care: "OP", level_since: "2026-10-01", version: 4 });
      const episodes = await episodesOf(t.db, id);
      expect(episodes.map((e) => [e.episode_number, e.admitted_on, e.discharged_on, e.discharge_reason])).toEqual([
        [2, "2026-10-01", null, null],
        [1, "2026-08-01", "2026-09-10", "left_before_completion"],
      ]);
      expect(row!.current_episode_id).toBe(episodes[0].id);
      expect(episodes[0].referral_source).toBe("court");
      expect((await levelHistory(t.db, id)).map((l) => [l.episode_number, l.level_of_care, l.effective_on])).toEqual([
        [2, "OP", "2026-10-01"],
        [1, "IOP", "2026-08-15"],
        [1, "PHP", "2026-08-01"],
      ]);
      expect((await statusHistory(t.db, id)).map((s) => [s.status, s.effective_on])).toEqual([
        ["referred", "2026-10-01"],
        ["discharged", "2026-09-10"],
        ["active", "2026-08-01"],
      ]);
      const header = await chartHeader(t.db, id, sites, "2026-10-11");
      expect(header!.clinical).toMatchObject({ episodeNumber: 2, admittedOn: "2026-10-01", dischargedOn: null, daysInProgram: 10, daysAtLevel: 10 });
      const audit = await auditSince(t.db, since);
      expect(audit.map((a) => a.action)).toEqual(["patient.readmitted"]);
      expect(audit[0]).toMatchObject({ patient_id: id, user_id: priya.id });
      expect(JSON.parse(audit[0].changes!).after).toMatchObject({ episode: 2, admittedOn: "2026-10-01", levelOfCare: "OP", status: "referred" });

      // The new episode is judged on its own dates: a level change between the episodes is refused.
      const between = await changeLevelOfCare(t.db, priya, id, { version: 4, levelOfCare: "IOP", effectiveOn: "2026-09-20", reason: "x" }, sites, meta);
      expect(between).toMatchObject({ ok: false, status: 400, fieldErrors: { effectiveOn: ["The change cannot be before admission (Oct 1, 2026)."] } });
    });

    it("refuses re-admission on or before the last discharge, of a patient still in care, or from a stale version", async () => {
      const { id } = await enroll(t.db, marcus, clinic.siteId, {
        legalFirstName: "Re",
        legalLastName: "Refused",
        dateOfBirth: "1987-02-02",
        admittedOn: "2026-08-01",
      });
      const readmit = (v: number, admittedOn: string) =>
        readmitPatient(t.db, marcus, id, { version: v, admittedOn, referralSource: "self", levelOfCare: "IOP", initialStatus: "active" }, sites, meta);
      let before = await snapshot(t.db);
      expect(await readmit(1, "2026-10-01")).toMatchObject({ ok: false, status: 400, formError: "Only a discharged patient can be re-admitted." });
      expect(await snapshot(t.db)).toEqual(before);
      expect((await dischargePatient(t.db, marcus, id, dischargeInput(1, { dischargedOn: "2026-09-10", followUpOn: undefined }), sites, meta)).ok).toBe(true);
      before = await snapshot(t.db);
      expect(await readmit(2, "2026-09-10")).toMatchObject({
        ok: false,
        status: 400,
        fieldErrors: { admittedOn: ["A new episode starts after the last discharge (Sep 10, 2026)."] },
      });
      expect(await readmit(2, "2026-09-01")).toMatchObject({ ok: false, status: 400 });
      expect(await readmit(1, "2026-09-11")).toEqual({ ok: false, status: 409, formError: STALE_PATIENT });
      expect(await snapshot(t.db)).toEqual(before);
      expect(await readmit(2, "2026-09-11")).toEqual({ ok: true });
    });

    it("refuses every write to a patient at another site with a 404 and writes nothing", async () => {
      const { id } = await enroll(t.db, marcus, clinic.siteId, { legalFirstName: "Other", legalLastName: "Site", dateOfBirth: "1987-03-03" });
      const q = eastside.counselor;
      const theirs = [eastside.siteId];
      const before = await snapshot(t.db);
      expect(await changeStatus(t.db, q, id, { version: 1, status: "on_hold", effectiveOn: "2026-09-10" }, theirs, meta)).toMatchObject({
        ok: false,
        status: 404,
      });
      expect(await changeLevelOfCare(t.db, q, id, { version: 1, levelOfCare: "OP", effectiveOn: "2026-09-10", reason: "x" }, theirs, meta)).toMatchObject({
        ok: false,
        status: 404,
      });
      expect(await dischargePatient(t.db, q, id, dischargeInput(1), theirs, meta)).toMatchObject({ ok: false, status: 404 });
      expect(
        await readmitPatient(
          t.db,
          q,
          id,
          { version: 1, admittedOn: "2026-11-01", referralSource: "self", levelOfCare: "IOP", initialStatus: "active" },
          theirs,
          meta,
        ),
      ).toMatchObject({ ok: false, status: 404 });
      expect(await snapshot(t.db)).toEqual(before);
    });
  });

  it("leaves an intact audit chain in which every patient write names its patient", async () => {
    expect((await verifyAuditChain(t.db)).ok).toBe(true);
    const rows = await t.db.selectFrom("audit_events").select(["action", "patient_id", "entity_id"]).where("action", "like", "patient.%").execute();
    expect(rows.length).toBeGreaterThan(30);
    for (const r of rows) expect(r.patient_id, r.action).toBe(r.entity_id);
  });
});

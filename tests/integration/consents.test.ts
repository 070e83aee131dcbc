/**
 * 42 CFR Part 2 consents and disclosures on real databases: every rule and refusal, what a
 * disclosure keeps, the three-year accounting, and the audit rows. "Now" is Friday, Nov 27, 2026.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { consentsOf, markConsentExpired, recordConsent, revokeConsent } from "~/features/consents/consents.server";
import { accountingOfDisclosures, discloseRecords, disclosuresOf, openDisclosure } from "~/features/consents/disclosures.server";
import type { ConsentInput, DisclosureInput } from "~/features/consents/schemas";
import { addDiagnosis } from "~/features/patients/clinical.server";
import { dischargePatient } from "~/features/patients/patients.server";
import { newId } from "~/utils/ids";
import { part2DisclosureNoticeText } from "~/utils/part2";
import { createTestDatabase, dialects, type TestDatabase } from "../support/databases";
import { meta } from "../support/demo";
import { collect, type DrugTestWorld, drugTestWorld, enterResults, NOW, TODAY } from "./drug-testing-support";
import { addSecondSite, auditSince, dischargeInput, enroll, lastSeq, version } from "./patients-support";

const PROBATION = "Officer Dana Reyes, Kings County Probation";

function consentInput(over: Partial<ConsentInput> = {}): ConsentInput {
  return {
    requestKey: randomUUID(),
    disclosingParty: "Harbor Light Recovery",
    information: ["attendance", "drug_tests", "level_of_care"],
    recipient: PROBATION,
    recipientDesignation: "named",
    purposes: ["court_probation"],
    purposeOther: undefined,
    expiresOn: "2027-09-01",
    expiryEvent: "none",
    expiryEventText: undefined,
    signedOn: "2026-09-02",
    signedBy: "patient",
    signerName: undefined,
    revocationExplained: "yes",
    note: undefined,
    ...over,
  };
}

function disclosureInput(over: Partial<DisclosureInput> = {}): DisclosureInput {
  return {
    requestKey: randomUUID(),
    recipient: PROBATION,
    purpose: "court_probation",
    purposeDetail: undefined,
    information: ["attendance", "drug_tests", "level_of_care"],
    recordsFrom: "2026-11-01",
    note: undefined,
    ...over,
  };
}

describe.each(dialects)("Part 2 consents and disclosures on %s", (dialect) => {
  let t: TestDatabase;
  let w: DrugTestWorld;
  let eastside: Awaited<ReturnType<typeof addSecondSite>>;
  const counselor = () => w.counselor;

  /** Consents, disclosures and the audit length: equal before and after means nothing was written. */
  async function snapshot() {
    return {
      consents: await t.db.selectFrom("consents").selectAll().orderBy("id").execute(),
      disclosures: await t.db.selectFrom("disclosures").selectAll().orderBy("id").execute(),
      audit: await lastSeq(t.db),
    };
  }

  async function consent(patientId: string, over: Partial<ConsentInput> = {}) {
    const r = await recordConsent(t.db, counselor(), patientId, consentInput(over), w.siteIds, meta);
    if (!r.ok) throw new Error(`consent refused: ${JSON.stringify(r)}`);
    return r.id;
  }

  async function disclose(patientId: string, over: Partial<DisclosureInput> = {}, now = NOW) {
    return discloseRecords(t.db, counselor(), patientId, disclosureInput(over), w.siteIds, meta, now);
  }

  beforeAll(async () => {
    t = await createTestDatabase(dialect);
    w = await drugTestWorld(t.db);
    eastside = await addSecondSite(t.db);
    // Bea (buprenorphine since Sep 1): a diagnosis, two sessions marked and a test with an expected positive.
    const dx = await addDiagnosis(
      t.db,
      w.counselor,
      w.bup,
      { code: "F11.20", description: "Opioid dependence, uncomplicated", isPrimary: "yes", onsetOn: "2024-01-01" },
      w.siteIds,
      meta,
    );
    if (!dx.ok) throw new Error(JSON.stringify(dx));
    for (const [date, status, minutes] of [
      ["2026-11-16", "present", 180],
      ["2026-11-18", "absent_unexcused", 0],
      ["2026-10-05", "present", 180],
    ] as const) {
      const sessionId = newId();
      const startsAt = `${date}T14:00:00.000Z`;
      await t.db
        .insertInto("sessions")
        .values({
          id: sessionId,
          site_id: w.site.id,
          kind: "group",
          group_kind: "skills",
          title: "Relapse prevention",
          facilitator_id: w.counselor.id,
          modality: "in_person",
          capacity: 12,
          local_date: date,
          starts_at: startsAt,
          ends_at: `${date}T17:00:00.000Z`,
          status: "scheduled",
          cancel_reason: null,
          created_at: startsAt,
          updated_at: startsAt,
        })
        .execute();
      await t.db
        .insertInto("attendance")
        .values({
          id: newId(),
          session_id: sessionId,
          patient_id: w.bup,
          status,
          mode: "in_person",
          minutes,
          note: null,
          local_date: date,
          starts_at: startsAt,
          recorded_by: w.staff.id,
          recorded_at: startsAt,
        })
        .execute();
    }
    const testId = await collect(w, { patientId: w.bup, date: "2026-11-20", time: "09:15" });
    await enterResults(w, testId, { buprenorphine: "positive" });
  });
  afterAll(() => t?.destroy());

  describe("recording consents", () => {
    it("records every §2.31 element, lists it as active, and audits consent.recorded in the same transaction", async () => {
      const p = (await enroll(t.db, w.counselor, w.site.id, { legalFirstName: "Cora", legalLastName: "Consent" })).id;
      const since = await lastSeq(t.db);
      const r = await recordConsent(
        t.db,
        w.counselor,
        p,
        consentInput({
          signedBy: "parent_guardian",
          signerName: "Rosa Consent",
          purposes: ["court_probation", "other"],
          purposeOther: "Custody hearing",
          expiryEvent: "discharge",
        }),
        w.siteIds,
        meta,
      );
      expect(r).toMatchObject({ ok: true, repeated: false });
      if (!r.ok) return;
      const [c] = await consentsOf(t.db, p, TODAY);
      expect(c).toMatchObject({
        id: r.id,
        disclosingParty: "Harbor Light Recovery",
        recipient: PROBATION,
        recipientDesignation: "named",
        purposes: ["court_probation", "other"],
        purposeOther: "Custody hearing",
        information: ["attendance", "drug_tests", "level_of_care"],
        expiresOn: "2027-09-01",
        expiryEvent: "discharge",
        signedOn: "2026-09-02",
        signedBy: "parent_guardian",
        signerName: "Rosa Consent",
        revocationExplained: true,
        recordedBy: w.counselor.name,
        state: { active: true, state: "active" },
        version: 1,
      });
      const audit = await auditSince(t.db, since);
      expect(audit.map((a) => a.action)).toEqual(["consent.recorded"]);
      expect(audit[0]).toMatchObject({ entity_type: "consent", entity_id: r.id, patient_id: p, site_id: w.site.id, user_id: w.counselor.id });
      expect(JSON.parse(audit[0].changes!).after).toMatchObject({
        recipient: PROBATION,
        purposes: ["court_probation", "other"],
        signedBy: "parent_guardian",
        signerName: "Rosa Consent",
        revocationExplained: true,
      });
    });

    it("a double submit records one consent", async () => {
      const p = (await enroll(t.db, w.counselor, w.site.id, { legalFirstName: "Dora", legalLastName: "Double" })).id;
      const input = consentInput();
      const first = await recordConsent(t.db, w.counselor, p, input, w.siteIds, meta);
      const second = await recordConsent(t.db, w.counselor, p, input, w.siteIds, meta);
      expect(first.ok && second.ok && second.id === first.id && second.repeated).toBe(true);
      expect(await consentsOf(t.db, p, TODAY)).toHaveLength(1);
    });

    it("refuses a signature before the date of birth, and a patient at another site, writing nothing", async () => {
      const p = (await enroll(t.db, w.counselor, w.site.id, { legalFirstName: "Bo", legalLastName: "Before" })).id;
      const before = await snapshot();
      expect(await recordConsent(t.db, w.counselor, p, consentInput({ signedOn: "1980-01-01" }), w.siteIds, meta)).toEqual({
        ok: false,
        status: 400,
        fieldErrors: { signedOn: ["The signature date is before the patient's date of birth."] },
      });
      expect(await recordConsent(t.db, eastside.counselor, p, consentInput(), [eastside.siteId], meta)).toMatchObject({ ok: false, status: 404 });
      expect(await snapshot()).toEqual(before);
    });
  });

  describe("revoking and expiring", () => {
    it("keeps a revoked consent, dated with its note, shown inactive, and audits consent.revoked", async () => {
      const p = (await enroll(t.db, w.counselor, w.site.id, { legalFirstName: "Remy", legalLastName: "Revoke" })).id;
      const id = await consent(p);
      const since = await lastSeq(t.db);
      const r = await revokeConsent(
        t.db,
        w.counselor,
        p,
        { consentId: id, version: 1, revokedOn: "2026-11-20", revocationNote: "Told me in session; signed the revocation form." },
        w.siteIds,
        meta,
      );
      expect(r).toEqual({ ok: true });
      const [c] = await consentsOf(t.db, p, TODAY);
      expect(c).toMatchObject({
        id,
        revokedOn: "2026-11-20",
        revocationNote: "Told me in session; signed the revocation form.",
        revokedBy: w.counselor.name,
        version: 2,
      });
      expect(c.state).toEqual({ active: false, state: "revoked", since: "2026-11-20", reason: "it was revoked on Nov 20, 2026" });
      // On the day before, it was still in force.
      expect((await consentsOf(t.db, p, "2026-11-19"))[0].state.active).toBe(true);
      const audit = await auditSince(t.db, since);
      expect(audit.map((a) => a.action)).toEqual(["consent.revoked"]);
      expect(JSON.parse(audit[0].changes!)).toMatchObject({ before: { revokedOn: null }, after: { revokedOn: "2026-11-20" } });
    });

    it("refuses a revocation before the signature, a second revocation and a stale version, writing nothing", async () => {
      const p = (await enroll(t.db, w.counselor, w.site.id, { legalFirstName: "Sal", legalLastName: "Stale" })).id;
      const id = await consent(p);
      const before = await snapshot();
      expect(await revokeConsent(t.db, w.counselor, p, { consentId: id, version: 1, revokedOn: "2026-09-01", revocationNote: "x" }, w.siteIds, meta)).toEqual({
        ok: false,
        status: 400,
        fieldErrors: { revokedOn: ["A revocation cannot come before the signature (Sep 2, 2026)."] },
      });
      expect(
        await revokeConsent(t.db, w.counselor, p, { consentId: id, version: 7, revokedOn: "2026-11-01", revocationNote: "x" }, w.siteIds, meta),
      ).toMatchObject({ ok: false, status: 409 });
      expect(await snapshot()).toEqual(before);
      await revokeConsent(t.db, w.counselor, p, { consentId: id, version: 1, revokedOn: "2026-11-01", revocationNote: "x" }, w.siteIds, meta);
      expect(await revokeConsent(t.db, w.counselor, p, { consentId: id, version: 2, revokedOn: "2026-11-02", revocationNote: "y" }, w.siteIds, meta)).toEqual({
        ok: false,
        status: 400,
        formError: "This consent was already revoked on Nov 1, 2026.",
      });
    });

    it("marks an expiry event in words as happened, only on such a consent", async () => {
      const p = (await enroll(t.db, w.counselor, w.site.id, { legalFirstName: "Evan", legalLastName: "Event" })).id;
      const event = await consent(p, { expiresOn: undefined, expiryEvent: "other", expiryEventText: "the court case is closed" });
      const dated = await consent(p);
      expect(
        await markConsentExpired(t.db, w.counselor, p, { consentId: dated, version: 1, expiredOn: "2026-11-01", expiryNote: undefined }, w.siteIds, meta),
      ).toMatchObject({ ok: false, status: 400 });
      const since = await lastSeq(t.db);
      expect(
        await markConsentExpired(
          t.db,
          w.counselor,
          p,
          { consentId: event, version: 1, expiredOn: "2026-11-10", expiryNote: "Docket closed." },
          w.siteIds,
          meta,
        ),
      ).toEqual({ ok: true });
      const c = (await consentsOf(t.db, p, TODAY)).find((x) => x.id === event)!;
      expect(c.state).toMatchObject({ active: false, state: "expired", since: "2026-11-10" });
      expect((await auditSince(t.db, since)).map((a) => a.action)).toEqual(["consent.marked_expired"]);
      expect(await disclose(p)).toMatchObject({ ok: true });
    });

    it("an 'on discharge' consent ends on the discharge date, and stays listed", async () => {
      const p = (await enroll(t.db, w.counselor, w.site.id, { legalFirstName: "Dax", legalLastName: "Discharge" })).id;
      const id = await consent(p, { expiresOn: undefined, expiryEvent: "discharge" });
      const d = await dischargePatient(t.db, w.counselor, p, dischargeInput(await version(t.db, p), { dischargedOn: "2026-11-20" }), w.siteIds, meta);
      expect(d.ok).toBe(true);
      const [c] = await consentsOf(t.db, p, TODAY);
      expect(c).toMatchObject({ id, state: { active: false, state: "expired", since: "2026-11-20", reason: "it expired on discharge (Nov 20, 2026)" } });
      const before = await snapshot();
      expect(await disclose(p)).toEqual({
        ok: false,
        status: 400,
        fieldErrors: {
          recipient: [
            `No active consent lets you disclose to ${PROBATION}: the consent signed Sep 2, 2026 is no longer in force (it expired on discharge (Nov 20, 2026)).`,
          ],
        },
      });
      expect(await snapshot()).toEqual(before);
    });
  });

  describe("disclosing records", () => {
    it("discloses exactly what was asked under the covering consent, with the §2.32 notice, and audits disclosure.made", async () => {
      const consentId = await consent(w.bup, { information: ["attendance", "drug_tests", "level_of_care", "diagnoses"] });
      const since = await lastSeq(t.db);
      const r = await disclose(w.bup, { information: ["attendance", "drug_tests", "level_of_care"], note: "Monthly report for the court." });
      expect(r).toMatchObject({ ok: true, repeated: false });
      if (!r.ok) return;
      const row = await t.db.selectFrom("disclosures").selectAll().where("id", "=", r.id).executeTakeFirstOrThrow();
      expect(row).toMatchObject({
        patient_id: w.bup,
        site_id: w.site.id,
        consent_id: consentId,
        disclosed_on: TODAY,
        disclosed_at: NOW.toISOString(),
        disclosed_by: w.counselor.id,
        recipient: PROBATION,
        purpose: "court_probation",
        purpose_detail: null,
        records_from: "2026-11-01",
        note: "Monthly report for the court.",
      });
      expect(JSON.parse(row.information)).toEqual(["attendance", "drug_tests", "level_of_care"]);
      expect(row.notice).toBe(part2DisclosureNoticeText());
      expect(row.notice.startsWith("This record which has been disclosed to you is protected by Federal confidentiality rules (42 CFR part 2).")).toBe(true);
      const content = JSON.parse(row.content);
      expect(content).toEqual({
        patient: { name: "Bea Bupren", dateOfBirth: "1990-05-05", mrn: expect.any(String) },
        program: "Harbor Light Recovery",
        // The program's address keeps its two lines on the disclosed record.
        programAddress: "1200 Riverside Drive, Suite 300\nNew York, NY 10032",
        period: { from: "2026-11-01", to: TODAY },
        consent: {
          signedOn: "2026-09-02",
          signedBy: "The patient",
          disclosingParty: "Harbor Light Recovery",
          recipient: PROBATION,
          general: false,
          purposes: "Court, probation or parole",
          information: "Attendance, Drug-test results, Level of care and dates of treatment and Diagnoses",
          expiry: "on Sep 1, 2027",
        },
        attendance: {
          // The October session is before the period and is left out.
          sessions: [
            { date: "2026-11-16", session: "Relapse prevention", status: "Present", mode: "In person", hours: 3 },
            { date: "2026-11-18", session: "Relapse prevention", status: "Absent (unexcused)", mode: "In person", hours: 0 },
          ],
          weeks: [{ weekOf: "2026-11-16", attended: 1, absent: 1, hours: 3 }],
          totalHours: 3,
        },
        // Without MAT in the disclosure, the positive is not read against a medication.
        drugTests: [{ date: "2026-11-20", reason: "Scheduled", specimen: "Urine", outcome: expect.any(String), positives: ["Buprenorphine"] }],
        levelOfCare: {
          episodes: [{ admittedOn: "2026-09-01", dischargedOn: null }],
          levels: [{ level: "IOP — intensive outpatient", from: "2026-09-01", reason: expect.any(String) }],
        },
      });
      // Diagnoses were covered but not asked for: minimum necessary, they are not in it.
      expect(content.diagnoses).toBeUndefined();
      const audit = await auditSince(t.db, since);
      expect(audit.map((a) => a.action)).toEqual(["disclosure.made"]);
      expect(audit[0]).toMatchObject({ entity_type: "disclosure", entity_id: r.id, patient_id: w.bup, user_id: w.counselor.id });
      expect(JSON.parse(audit[0].changes!).after).toEqual({
        recipient: PROBATION,
        purpose: "court_probation",
        purposeDetail: null,
        information: ["attendance", "drug_tests", "level_of_care"],
        recordsFrom: "2026-11-01",
        disclosedOn: TODAY,
        consentId,
      });
    });

    it("includes diagnoses and MAT only when asked for and covered; MAT lets the positive be read as prescribed", async () => {
      await consent(w.bup, {
        recipient: "Dr. Lena Ortiz, Brooklyn Bridge Medical",
        purposes: ["treatment"],
        information: ["drug_tests", "diagnoses", "medications"],
      });
      const r = await disclose(w.bup, {
        recipient: "dr. lena ortiz, brooklyn bridge medical",
        purpose: "treatment",
        information: ["drug_tests", "diagnoses", "medications"],
      });
      expect(r.ok).toBe(true);
      if (!r.ok) return;
      const content = JSON.parse((await t.db.selectFrom("disclosures").select("content").where("id", "=", r.id).executeTakeFirstOrThrow()).content);
      expect(content.diagnoses).toEqual([{ code: "F11.20", description: "Opioid dependence, uncomplicated", onsetOn: "2024-01-01", resolvedOn: null }]);
      expect(content.medications).toEqual([{ medication: "Buprenorphine/naloxone", dose: "16 mg", schedule: "daily", startedOn: "2026-09-01", endedOn: null }]);
      expect(content.drugTests[0].positives).toEqual(["Buprenorphine — expected (prescribed)"]);
      expect(content.attendance).toBeUndefined();
    });

    it("refuses diagnoses the consent does not cover, a purpose it does not cover, and a recipient with no consent — writing nothing", async () => {
      const before = await snapshot();
      expect(await disclose(w.bup, { information: ["attendance", "diagnoses", "medications"] })).toEqual({
        ok: false,
        status: 400,
        fieldErrors: { information: ["The consent signed Sep 2, 2026 does not cover medications (MAT). Leave it out, or record a consent that covers it."] },
      });
      expect(await disclose(w.bup, { purpose: "employer" })).toEqual({
        ok: false,
        status: 400,
        fieldErrors: {
          purpose: [
            `No active consent lets you disclose to ${PROBATION} for employer or employee assistance program: the consent signed Sep 2, 2026 covers court, probation or parole only.`,
          ],
        },
      });
      expect(await disclose(w.bup, { recipient: "Acme Logistics HR" })).toEqual({
        ok: false,
        status: 400,
        fieldErrors: {
          recipient: [
            "There is no consent on file to disclose to Acme Logistics HR for court, probation or parole. Record the patient's written consent first.",
          ],
        },
      });
      expect(await snapshot()).toEqual(before);
    });

    it("refuses under a revoked consent from the day of revocation, and under an expired one", async () => {
      const p = (await enroll(t.db, w.counselor, w.site.id, { legalFirstName: "Vic", legalLastName: "Voided" })).id;
      const id = await consent(p);
      expect(await disclose(p, {}, new Date("2026-11-26T17:00:00.000Z"))).toMatchObject({ ok: true });
      await revokeConsent(t.db, w.counselor, p, { consentId: id, version: 1, revokedOn: TODAY, revocationNote: "Patient asked in writing." }, w.siteIds, meta);
      const before = await snapshot();
      expect(await disclose(p)).toEqual({
        ok: false,
        status: 400,
        fieldErrors: {
          recipient: [
            `No active consent lets you disclose to ${PROBATION}: the consent signed Sep 2, 2026 is no longer in force (it was revoked on Nov 27, 2026).`,
          ],
        },
      });
      expect(await disclose(p, {}, new Date("2027-09-01T17:00:00.000Z"))).toMatchObject({ ok: false, status: 400 });
      expect(await snapshot()).toEqual(before);
      const q = (await enroll(t.db, w.counselor, w.site.id, { legalFirstName: "Exa", legalLastName: "Expired" })).id;
      await consent(q, { signedOn: "2026-09-02", expiresOn: "2026-11-27" });
      expect(await disclose(q)).toMatchObject({ ok: false, fieldErrors: { recipient: [expect.stringContaining("it expired on Nov 27, 2026")] } });
    });

    it("a general TPO designation covers the payer for payment, not a court", async () => {
      const p = (await enroll(t.db, w.counselor, w.site.id, { legalFirstName: "Tia", legalLastName: "Tpo" })).id;
      await consent(p, {
        recipient: "My health plan, treating providers and the people who run this program",
        recipientDesignation: "general",
        purposes: ["treatment", "payment", "health_care_operations"],
        expiresOn: undefined,
        expiryEvent: "discharge",
      });
      expect(await disclose(p, { recipient: "NY Medicaid", purpose: "payment" })).toMatchObject({ ok: true });
      expect(await disclose(p, { recipient: "NY Medicaid", purpose: "court_probation" })).toMatchObject({
        ok: false,
        fieldErrors: { recipient: [expect.stringContaining("There is no consent on file")] },
      });
    });

    it("a double submit makes one disclosure, and the table refuses changes", async () => {
      const p = (await enroll(t.db, w.counselor, w.site.id, { legalFirstName: "Uma", legalLastName: "Unique" })).id;
      await consent(p);
      const input = disclosureInput();
      const a = await discloseRecords(t.db, w.counselor, p, input, w.siteIds, meta, NOW);
      const b = await discloseRecords(t.db, w.counselor, p, input, w.siteIds, meta, NOW);
      expect(a.ok && b.ok && a.id === b.id && b.repeated).toBe(true);
      expect(await disclosuresOf(t.db, p)).toHaveLength(1);
      await expect(t.db.updateTable("disclosures").set({ recipient: "Someone else" }).where("patient_id", "=", p).execute()).rejects.toThrow(/append-only/);
      await expect(t.db.deleteFrom("disclosures").where("patient_id", "=", p).execute()).rejects.toThrow(/append-only/);
    });

    it("re-opens a disclosure exactly as it was produced, audited; not from another site", async () => {
      const [d] = await disclosuresOf(t.db, w.bup);
      const since = await lastSeq(t.db);
      const opened = await openDisclosure(t.db, w.admin, d.id, w.siteIds, meta);
      const stored = await t.db.selectFrom("disclosures").select(["content", "notice"]).where("id", "=", d.id).executeTakeFirstOrThrow();
      expect(opened).toMatchObject({ id: d.id, patientId: w.bup, recipient: d.recipient, notice: stored.notice, content: JSON.parse(stored.content) });
      const audit = await auditSince(t.db, since);
      expect(audit.map((a) => [a.action, a.entity_id, a.user_id])).toEqual([["disclosure.opened", d.id, w.admin.id]]);
      expect(await openDisclosure(t.db, eastside.counselor, d.id, [eastside.siteId], meta)).toBeNull();
    });
  });

  describe("accounting of disclosures", () => {
    it("lists exactly the disclosures of the last three years, with recipient, purpose, information, consent and who, and audits the printing", async () => {
      const p = (
        await enroll(t.db, w.counselor, w.site.id, { legalFirstName: "Acton", legalLastName: "Account", admittedOn: "2023-01-05", part2NoticeOn: "2023-01-05" })
      ).id;
      const consentId = await consent(p, { signedOn: "2023-01-05", expiresOn: "2030-01-01" });
      const at = (date: string) => new Date(`${date}T17:00:00.000Z`);
      for (const date of ["2023-11-26", "2023-11-27", "2025-06-02", TODAY]) {
        const r = await disclose(p, { recordsFrom: "2023-01-05" }, at(date));
        expect(r.ok, date).toBe(true);
      }
      const since = await lastSeq(t.db);
      const acc = await accountingOfDisclosures(t.db, w.counselor, p, w.siteIds, meta, NOW);
      expect(acc).not.toBeNull();
      expect(acc!.from).toBe("2023-11-27");
      expect(acc!.to).toBe(TODAY);
      expect(acc!.entries.map((e) => e.disclosedOn)).toEqual([TODAY, "2025-06-02", "2023-11-27"]);
      expect(acc!.entries[0]).toMatchObject({
        recipient: PROBATION,
        purpose: "Court, probation or parole",
        information: ["Attendance", "Drug-test results", "Level of care and dates of treatment"],
        consent: { id: consentId, signedOn: "2023-01-05", recipient: PROBATION },
        disclosedBy: w.counselor.name,
      });
      const audit = await auditSince(t.db, since);
      expect(audit.map((a) => a.action)).toEqual(["disclosure.accounting_printed"]);
      expect(JSON.parse(audit[0].changes!).detail).toEqual({ from: "2023-11-27", to: TODAY, entries: 3 });
    });
  });
});

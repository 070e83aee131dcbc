/**
 * Treatment plans on real databases: a draft started once for a double submit, saved against its
 * version, refused when incomplete or stale; signed by an author who signs alone or one who needs
 * a co-signature; acknowledged by the patient and co-signed by a supervisor (and refused for anyone
 * else) until it is active and replaces the plan before it; a signed version the database itself
 * keeps unchanged; the audit row each write leaves; reviews that come due with a level change or an
 * unexpected drug test; and the worklists, the co-signature queue and the report over a caseload.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyAuditChain } from "~/features/audit/audit.server";
import { recordCollection, saveResults } from "~/features/drug-testing/collections.server";
import { listPanels } from "~/features/drug-testing/panels.server";
import type { ResultChoice } from "~/features/drug-testing/schemas";
import { addDiagnosis, diagnosesOf, resolveDiagnosis } from "~/features/patients/clinical.server";
import { changeLevelOfCare, changeStatus, dischargePatient, getPatientRow } from "~/features/patients/patients.server";
import {
  acknowledgementPage,
  acknowledgePlan,
  coSignPlan,
  discardDraft,
  NOT_FOUND,
  planOverview,
  planPage,
  planReviewDays,
  planReviewSetting,
  setPlanReviewDays,
  planVersion,
  planVersions,
  reviewOf,
  saveDraft,
  STALE_PLAN,
  startDraft,
} from "~/features/plans/plans.server";
import { treatmentPlans } from "~/features/plans/report.server";
import { EMPTY_PLAN, type PlanContent } from "~/features/plans/rules";
import { coSignQueue, countsByCounselor, homePlans, planStandings, worklistOf } from "~/features/plans/worklist.server";
import { addDays } from "~/kernel/time";
import { newId } from "~/utils/ids";
import { createTestDatabase, dialects, type TestDatabase } from "../support/databases";
import { meta, seed } from "../support/demo";
import { addSecondSite, auditSince, dischargeInput, enroll, lastSeq, version } from "./patients-support";

// Sunday 2026-12-06, the afternoon in New York.
const TODAY = "2026-12-06";
const NOW = new Date("2026-12-06T17:00:00.000Z");
/** The afternoon of a civil date, for writes dated in the past. */
const afternoon = (date: string) => new Date(`${date}T17:00:00.000Z`);

type Person = { id: string; name: string };
type Clinic = Awaited<ReturnType<typeof seed>>;

const SIGNED_NEVER_CHANGES = /This version is signed, and a signed plan never changes/;
const CHANGED_SINCE_SHOWN = /This plan changed after it was shown to you, so it was not signed/;

/** A plan complete enough to sign on or before `2027-03-01`. */
function complete(code = "F10.20"): PlanContent {
  return {
    problems: [
      {
        diagnosisCode: code,
        statement: "Daily drinking with loss of control; missed work after weekends.",
        goal: "I want to stop drinking and be there for my kids.",
        objectives: [{ text: "Attend 3 mutual-help meetings a week and log them", targetDate: "2027-03-01" }],
        interventions: [{ modality: "group", frequency: "3 times a week", responsible: "IOP group counselor" }],
      },
    ],
    strengths: "A sister who drives her to group.",
    barriers: "Works night shifts.",
  };
}

/** What every plan test needs: the demo staff, a way to admit a patient with diagnoses, and the plan's steps. */
function clinicHelpers(get: () => { t: TestDatabase; clinic: Clinic }) {
  const db = () => get().t.db;
  const person = (key: string): Person => ({ id: get().clinic.users[key].id, name: get().clinic.users[key].name });
  const sites = () => [get().clinic.siteId];

  async function admit(counselor: Person, first: string, last: string, admittedOn: string, codes: string[] = ["F10.20"]) {
    const id = (await enroll(db(), counselor, get().clinic.siteId, { legalFirstName: first, legalLastName: last, admittedOn })).id;
    for (const code of codes) {
      const r = await addDiagnosis(db(), counselor, id, { code }, sites(), meta);
      if (!r.ok) throw new Error(JSON.stringify(r));
    }
    return id;
  }
  const current = async (patientId: string, planId: string) => (await planVersion(db(), patientId, planId))!;

  async function start(actor: Person, patientId: string, today = TODAY, at = NOW) {
    const r = await startDraft(db(), actor, patientId, randomUUID(), sites(), today, meta, at);
    if (!r.ok) throw new Error(JSON.stringify(r));
    return r.id;
  }
  async function sign(actor: Person, patientId: string, planId: string, content = complete(), today = TODAY, at = NOW) {
    const r = await saveDraft(
      db(),
      actor,
      patientId,
      { planId, version: (await current(patientId, planId)).version, content, sign: true },
      sites(),
      today,
      meta,
      at,
    );
    if (!r.ok) throw new Error(JSON.stringify(r));
    return r;
  }
  async function acknowledge(actor: Person, patientId: string, planId: string, today = TODAY, at = NOW) {
    const r = await acknowledgePlan(
      db(),
      actor,
      patientId,
      { planId, version: (await current(patientId, planId)).version, typedName: "The Patient" },
      sites(),
      today,
      meta,
      at,
    );
    if (!r.ok) throw new Error(JSON.stringify(r));
    return r;
  }
  async function cosign(actor: Person, patientId: string, planId: string, today = TODAY, at = NOW) {
    const r = await coSignPlan(db(), actor, patientId, { planId, version: (await current(patientId, planId)).version }, sites(), today, meta, at);
    if (!r.ok) throw new Error(JSON.stringify(r));
    return r;
  }
  /** A plan written, signed and acknowledged on `date` by an author who signs alone: active from that day. */
  async function activeFrom(author: Person, patientId: string, date: string, content = complete()) {
    const id = await start(author, patientId, date, afternoon(date));
    await sign(author, patientId, id, content, date, afternoon(date));
    expect((await acknowledge(author, patientId, id, date, afternoon(date))).activated).toBe(true);
    return id;
  }
  async function changeLevel(actor: Person, patientId: string, levelOfCare: "IOP" | "PHP" | "OP", effectiveOn: string) {
    const r = await changeLevelOfCare(
      db(),
      actor,
      patientId,
      { version: await version(db(), patientId), levelOfCare, effectiveOn, reason: "Reassessed" },
      sites(),
      meta,
    );
    if (!r.ok) throw new Error(JSON.stringify(r));
  }
  /** A urine test collected on `date` with every analyte negative, or one positive (unexpected for a patient on no medication). */
  async function drugTest(collector: Person, patientId: string, date: string, positive: boolean) {
    const urine = (await listPanels(db(), get().clinic.siteId)).find((p) => p.specimen === "urine")!;
    const c = await recordCollection(
      db(),
      collector,
      {
        requestKey: randomUUID(),
        patientId,
        collection: "collected",
        date,
        time: "10:15",
        reason: "scheduled",
        specimen: "urine",
        panelId: urine.id,
        observed: true,
        temperatureInRange: "yes",
        temperatureNote: undefined,
        collectedBy: collector.id,
        note: undefined,
      },
      sites(),
      meta,
      NOW,
    );
    if (!c.ok) throw new Error(JSON.stringify(c));
    const analyte = urine.analytes.includes("cocaine") ? "cocaine" : urine.analytes[0];
    const results = Object.fromEntries(urine.analytes.map((a) => [a, (positive && a === analyte ? "positive" : "negative") as ResultChoice]));
    const v = Number((await db().selectFrom("drug_tests").select("version").where("id", "=", c.id).executeTakeFirstOrThrow()).version);
    const r = await saveResults(db(), collector, c.id, { intent: "results", version: v, validity: "valid", results }, sites(), meta, NOW);
    if (!r.ok) throw new Error(JSON.stringify(r));
    const row = await db().selectFrom("drug_tests").select(["collected_on", "unexpected_positive"]).where("id", "=", c.id).executeTakeFirstOrThrow();
    expect([row.collected_on, Number(row.unexpected_positive)]).toEqual([date, positive ? 1 : 0]);
  }
  return { person, sites, admit, current, start, sign, acknowledge, cosign, activeFrom, changeLevel, drugTest };
}

describe.each(dialects)("a treatment plan's life on %s", (dialect) => {
  let t: TestDatabase;
  let clinic: Clinic;
  const h = clinicHelpers(() => ({ t, clinic }));
  let marcus: Person; // counselor, CPRS + intern: needs Priya's co-signature
  let elena: Person; // counselor, intern
  let priya: Person; // counselor, LCSW, clinical supervisor: signs alone
  let dana: Person; // admin, LCADC: signs alone, not a supervisor
  let tom: Person; // front desk
  const audit = async (since: number) => (await auditSince(t.db, since)).map((e) => e.action);

  beforeAll(async () => {
    t = await createTestDatabase(dialect);
    clinic = await seed(t.db);
    [marcus, elena, priya, dana, tom] = ["marcus.bell", "elena.ortiz", "priya.raman", "dana.whitfield", "tom.kowalski"].map(h.person);
  });
  afterAll(() => t?.destroy());

  describe("drafts", () => {
    let ada: string;
    let abe: string;
    let draftId: string;
    beforeAll(async () => {
      ada = await h.admit(marcus, "Ada", "Draftwell", "2026-12-01", ["F10.20", "F32.1"]);
      abe = await h.admit(marcus, "Abe", "Other", "2026-12-01");
    });

    it("opens one draft for a double submit, and the open draft when one is started again", async () => {
      const seq = await lastSeq(t.db);
      const key = randomUUID();
      const [a, b] = await Promise.all([
        startDraft(t.db, marcus, ada, key, h.sites(), TODAY, meta, NOW),
        startDraft(t.db, marcus, ada, key, h.sites(), TODAY, meta, NOW),
      ]);
      expect(a).toEqual({ ok: true, id: expect.any(String) });
      expect(b).toEqual(a);
      draftId = (a as { id: string }).id;
      // Another form, while the draft is open: that draft opens.
      expect(await startDraft(t.db, marcus, ada, randomUUID(), h.sites(), TODAY, meta, NOW)).toEqual(a);
      // The same form's key for another patient is not a new draft either.
      expect(await startDraft(t.db, marcus, abe, key, h.sites(), TODAY, meta, NOW)).toEqual(STALE_PLAN);

      const versions = await planVersions(t.db, ada);
      expect(versions).toHaveLength(1);
      expect(versions[0]).toMatchObject({
        id: draftId,
        number: 1,
        reason: "initial",
        status: "draft",
        waits: [],
        content: EMPTY_PLAN,
        createdBy: "Marcus Bell",
        createdAt: NOW.toISOString(),
        signedAt: null,
        version: 1,
      });
      const rows = await auditSince(t.db, seq);
      expect(rows.map((e) => [e.action, e.entity_type, e.entity_id, e.patient_id, e.user_id])).toEqual([
        ["plan.draft_started", "treatment_plan", draftId, ada, marcus.id],
      ]);
      expect(JSON.parse(rows[0].changes!).after).toEqual({ number: 1, reason: "initial", basedOn: null });
    });

    it("opens one draft when two forms start it at once", async () => {
      const ben = await h.admit(marcus, "Ben", "Twice", "2026-12-01");
      const [a, b] = await Promise.all([
        startDraft(t.db, marcus, ben, randomUUID(), h.sites(), TODAY, meta, NOW),
        startDraft(t.db, marcus, ben, randomUUID(), h.sites(), TODAY, meta, NOW),
      ]);
      expect(a.ok && b.ok).toBe(true);
      expect(b).toEqual(a);
      expect(await planVersions(t.db, ben)).toHaveLength(1);
    });

    it("refuses a patient at another site", async () => {
      const east = await addSecondSite(t.db);
      expect(await startDraft(t.db, east.counselor, ada, randomUUID(), [east.siteId], TODAY, meta, NOW)).toMatchObject({ ok: false, status: 404 });
      expect(
        await saveDraft(t.db, east.counselor, ada, { planId: draftId, version: 1, content: complete(), sign: false }, [east.siteId], TODAY, meta, NOW),
      ).toEqual(NOT_FOUND);
    });

    it("saves a draft against its version, and refuses a stale save with nothing changed", async () => {
      const partial: PlanContent = { ...complete(), strengths: "", barriers: "" };
      const seq = await lastSeq(t.db);
      expect(await saveDraft(t.db, marcus, ada, { planId: draftId, version: 1, content: partial, sign: false }, h.sites(), TODAY, meta, NOW)).toEqual({
        ok: true,
        id: draftId,
        signed: false,
        cosignRequired: false,
      });
      const saved = await h.current(ada, draftId);
      expect(saved).toMatchObject({ status: "draft", content: partial, version: 2, signedAt: null });
      const rows = await auditSince(t.db, seq);
      expect(rows.map((e) => [e.action, e.entity_id, e.patient_id])).toEqual([["plan.draft_saved", draftId, ada]]);
      // Counts only: the plan's words stay on the chart.
      expect(JSON.parse(rows[0].changes!)).toEqual({
        before: { problems: 0, objectives: 0, interventions: 0 },
        after: { number: 1, problems: 1, objectives: 1, interventions: 1 },
      });

      // A second tab still on version 1.
      const seq2 = await lastSeq(t.db);
      const stale = await saveDraft(t.db, marcus, ada, { planId: draftId, version: 1, content: complete(), sign: false }, h.sites(), TODAY, meta, NOW);
      expect(stale).toEqual(STALE_PLAN);
      expect(stale.ok || stale.formError).toMatch(/Someone else changed this plan after you opened it/);
      expect(await h.current(ada, draftId)).toEqual(saved);
      expect(await lastSeq(t.db)).toBe(seq2);
      // Signing from the stale tab is refused the same way.
      expect(await saveDraft(t.db, marcus, ada, { planId: draftId, version: 1, content: complete(), sign: true }, h.sites(), TODAY, meta, NOW)).toEqual(
        STALE_PLAN,
      );
      expect(await h.current(ada, draftId)).toEqual(saved);
    });

    it("refuses to sign an incomplete plan with every gap at its field, and saves nothing", async () => {
      const before = await h.current(ada, draftId);
      const seq = await lastSeq(t.db);
      const incomplete = complete();
      incomplete.problems[0].goal = " ";
      incomplete.problems[0].objectives[0].targetDate = "2026-12-05";
      incomplete.strengths = "";
      const r = await saveDraft(t.db, marcus, ada, { planId: draftId, version: before.version, content: incomplete, sign: true }, h.sites(), TODAY, meta, NOW);
      expect(r).toEqual({
        ok: false,
        status: 400,
        formError: "The plan is not complete, so it was not signed (3 things to finish, marked below). Save it as a draft to keep it.",
        fieldErrors: {
          "problems[0].goal": ["Problem 1: write the goal in the patient's own words."],
          "problems[0].objectives[0].targetDate": ["Problem 1, objective 1: the target date has passed; choose a later one."],
          strengths: ["Write the patient's strengths."],
        },
      });
      expect(await h.current(ada, draftId)).toEqual(before);
      expect(await lastSeq(t.db)).toBe(seq);
    });

    it("refuses to sign a problem linked to a diagnosis that has been resolved", async () => {
      const dx = (await diagnosesOf(t.db, ada)).find((d) => d.code === "F32.1")!;
      expect((await resolveDiagnosis(t.db, marcus, ada, { diagnosisId: dx.id, version: dx.version, resolvedOn: "2026-12-05" }, h.sites(), meta)).ok).toBe(true);
      const before = await h.current(ada, draftId);
      const r = await saveDraft(
        t.db,
        marcus,
        ada,
        { planId: draftId, version: before.version, content: complete("F32.1"), sign: true },
        h.sites(),
        TODAY,
        meta,
        NOW,
      );
      expect(r).toMatchObject({
        ok: false,
        status: 400,
        fieldErrors: { "problems[0].diagnosisCode": ["Problem 1: F32.1 is not one of the patient's current diagnoses."] },
      });
      expect(await h.current(ada, draftId)).toEqual(before);
    });

    it("discards only a draft, against its version, audited", async () => {
      const before = await h.current(ada, draftId);
      const seq = await lastSeq(t.db);
      expect(await discardDraft(t.db, marcus, ada, { planId: draftId, version: before.version - 1 }, h.sites(), meta)).toEqual(STALE_PLAN);
      expect(await h.current(ada, draftId)).toEqual(before);
      expect(await lastSeq(t.db)).toBe(seq);
      expect(await discardDraft(t.db, marcus, ada, { planId: draftId, version: before.version }, h.sites(), meta)).toEqual({ ok: true });
      expect(await planVersions(t.db, ada)).toEqual([]);
      const rows = await auditSince(t.db, seq);
      expect(rows.map((e) => [e.action, e.entity_id, e.patient_id])).toEqual([["plan.draft_discarded", draftId, ada]]);
      expect(JSON.parse(rows[0].changes!).before).toEqual({ number: 1, problems: 1, objectives: 1, interventions: 1 });
      expect(await discardDraft(t.db, marcus, ada, { planId: draftId, version: before.version }, h.sites(), meta)).toEqual(NOT_FOUND);
    });
  });

  describe("signatures", () => {
    let ben: string; // Priya's patient: her plan, then Marcus's update
    let v1: string;
    let v2: string;

    beforeAll(async () => {
      ben = await h.admit(priya, "Ben", "Alone", "2026-11-30");
    });

    it("signs the plan of an author who signs alone: it waits only for the patient", async () => {
      v1 = await h.start(priya, ben);
      const seq = await lastSeq(t.db);
      const r = await saveDraft(t.db, priya, ben, { planId: v1, version: 1, content: complete(), sign: true }, h.sites(), TODAY, meta, NOW);
      expect(r).toEqual({ ok: true, id: v1, signed: true, cosignRequired: false });
      expect(await h.current(ben, v1)).toMatchObject({
        status: "awaiting",
        waits: ["acknowledgement"],
        content: complete(),
        signedById: priya.id,
        signedBy: "Priya Raman",
        signedAt: NOW.toISOString(),
        cosignRequired: false,
        activatedAt: null,
        version: 2,
      });
      const rows = await auditSince(t.db, seq);
      expect(rows.map((e) => [e.action, e.entity_id])).toEqual([["plan.signed", v1]]);
      expect(JSON.parse(rows[0].changes!).after).toEqual({ number: 1, problems: 1, objectives: 1, interventions: 1, cosignRequired: false });
      // No one co-signs a plan that does not need it.
      expect(await coSignPlan(t.db, dana, ben, { planId: v1, version: 2 }, h.sites(), TODAY, meta, NOW)).toEqual({
        ok: false,
        status: 409,
        formError: "This plan is not waiting for a co-signature. Reload to see where it stands.",
      });
      expect(await lastSeq(t.db)).toBe(rows.at(-1)!.seq);
      expect((await acknowledgementPage(t.db, ben)).plan?.id).toBe(v1);
    });

    it("makes it active when the patient acknowledges it, effective today, reviewed after the program's 30 days", async () => {
      const seq = await lastSeq(t.db);
      const r = await acknowledgePlan(t.db, tom, ben, { planId: v1, version: 2, typedName: "Ben Alone" }, h.sites(), TODAY, meta, NOW);
      expect(r).toEqual({ ok: true, id: v1, activated: true });
      expect(await h.current(ben, v1)).toMatchObject({
        status: "active",
        waits: [],
        acknowledgedName: "Ben Alone",
        acknowledgedAt: NOW.toISOString(),
        acknowledgedWith: "Tom Kowalski",
        activatedAt: NOW.toISOString(),
        effectiveOn: TODAY,
        reviewDays: 30,
        supersededAt: null,
      });
      const rows = await auditSince(t.db, seq);
      expect(rows.map((e) => [e.action, e.entity_id, e.user_id])).toEqual([
        ["plan.acknowledged", v1, tom.id],
        ["plan.activated", v1, tom.id],
      ]);
      expect(JSON.parse(rows[0].changes!).after).toEqual({ number: 1, typedName: "Ben Alone" });
      expect(JSON.parse(rows[1].changes!).after).toEqual({ number: 1, effectiveOn: TODAY, reviewDays: 30 });
      // Dec 6 + 30 days: Dec 6 + 25 = Dec 31, + 5 = Jan 5.
      const overview = await planOverview(t.db, ben);
      expect(overview).toMatchObject({ active: { id: v1 }, draft: null, awaiting: null, review: { dueOn: "2027-01-05", reason: "scheduled" } });
      expect((await acknowledgementPage(t.db, ben)).plan).toBeNull();
      // Acknowledging it again is refused: it no longer waits for the patient.
      expect(await acknowledgePlan(t.db, tom, ben, { planId: v1, version: 3, typedName: "Ben Alone" }, h.sites(), TODAY, meta, NOW)).toMatchObject({
        ok: false,
        status: 409,
        formError: expect.stringMatching(CHANGED_SINCE_SHOWN),
      });
    });

    it("waits for the patient and a supervisor when the author needs a co-signature, and refuses anyone else's", async () => {
      // Marcus updates Ben's plan: his draft starts from the active version.
      const seq0 = await lastSeq(t.db);
      v2 = await h.start(marcus, ben);
      const draft = await h.current(ben, v2);
      expect(draft).toMatchObject({ number: 2, reason: "update", status: "draft", content: complete() });
      const started = await auditSince(t.db, seq0);
      expect(JSON.parse(started[0].changes!).after).toEqual({ number: 2, reason: "update", basedOn: 1 });

      const updated = complete();
      updated.problems[0].objectives.push({ text: "Name three drinking triggers and a plan for each", targetDate: "2027-01-31" });
      updated.problems[0].interventions[0].frequency = "4 times a week";
      const r = await h.sign(marcus, ben, v2, updated);
      expect(r).toEqual({ ok: true, id: v2, signed: true, cosignRequired: true });
      const signed = await h.current(ben, v2);
      expect(signed).toMatchObject({ status: "awaiting", waits: ["acknowledgement", "cosignature"], cosignRequired: true });
      // The active plan stays active until this one is.
      expect((await h.current(ben, v1)).status).toBe("active");

      const seq = await lastSeq(t.db);
      const refusals: [Person, string][] = [
        [dana, "Not co-signed: Only a clinical supervisor can co-sign."],
        [elena, "Not co-signed: Only a clinical supervisor can co-sign."],
        [marcus, "Not co-signed: No one can co-sign their own document."],
      ];
      for (const [who, message] of refusals) {
        expect(await coSignPlan(t.db, who, ben, { planId: v2, version: signed.version }, h.sites(), TODAY, meta, NOW), who.name).toEqual({
          ok: false,
          status: 409,
          formError: message,
        });
      }
      const page = await planPage(t.db, ben, dana.id, null);
      expect(page.cosign).toEqual({ allowed: false, why: "Only a clinical supervisor can co-sign." });
      expect((await planPage(t.db, ben, priya.id, null)).cosign).toEqual({ allowed: true });
      expect(await h.current(ben, v2)).toEqual(signed);
      expect(await lastSeq(t.db)).toBe(seq);
    });

    it("is active once the supervisor has co-signed and the patient acknowledged, and replaces the plan before it", async () => {
      const seq = await lastSeq(t.db);
      expect(await h.cosign(priya, ben, v2)).toEqual({ ok: true, id: v2, activated: false });
      expect(await h.current(ben, v2)).toMatchObject({
        status: "awaiting",
        waits: ["acknowledgement"],
        cosignedBy: "Priya Raman",
        cosignedAt: NOW.toISOString(),
      });
      expect(await h.acknowledge(tom, ben, v2)).toEqual({ ok: true, id: v2, activated: true });
      expect(await h.current(ben, v2)).toMatchObject({ status: "active", effectiveOn: TODAY, reviewDays: 30 });
      expect(await h.current(ben, v1)).toMatchObject({ status: "superseded", supersededAt: NOW.toISOString() });
      const old = await t.db.selectFrom("treatment_plans").select(["superseded_by", "content"]).where("id", "=", v1).executeTakeFirstOrThrow();
      expect(old.superseded_by).toBe(v2);
      expect(JSON.parse(old.content)).toEqual(complete());
      const rows = await auditSince(t.db, seq);
      expect(rows.map((e) => [e.action, e.entity_id, e.user_id])).toEqual([
        ["plan.cosigned", v2, priya.id],
        ["plan.acknowledged", v2, tom.id],
        ["plan.activated", v2, tom.id],
      ]);
      expect(JSON.parse(rows[0].changes!).after).toEqual({ number: 2, author: "Marcus Bell" });
      const overview = await planOverview(t.db, ben);
      expect(overview.active?.id).toBe(v2);
      expect(overview.versions.map((v) => [v.number, v.status])).toEqual([
        [2, "active"],
        [1, "superseded"],
      ]);
      // The chart shows what changed from version 1 to 2.
      const page = await planPage(t.db, ben, priya.id, null);
      expect(page.changes).toEqual({
        from: 1,
        to: 2,
        list: [
          {
            where: "Problem 1, objective 2",
            change: "added",
            after: "Name three drinking triggers and a plan for each (by Jan 31, 2027)",
          },
          {
            where: "Problem 1, intervention 1",
            change: "changed",
            before: "Group therapy · 3 times a week · IOP group counselor",
            after: "Group therapy · 4 times a week · IOP group counselor",
          },
        ],
      });
      expect(page.cosign).toBeNull();
    });

    it("activates a co-signed plan the patient acknowledged first when the supervisor signs", async () => {
      const cy = await h.admit(marcus, "Cy", "Cosign", "2026-12-02");
      const id = await h.start(marcus, cy);
      expect((await h.sign(marcus, cy, id)).cosignRequired).toBe(true);
      expect(await h.acknowledge(tom, cy, id)).toEqual({ ok: true, id, activated: false });
      expect((await h.current(cy, id)).waits).toEqual(["cosignature"]);
      const seq = await lastSeq(t.db);
      expect(await h.cosign(priya, cy, id)).toEqual({ ok: true, id, activated: true });
      expect(await audit(seq)).toEqual(["plan.cosigned", "plan.activated"]);
      expect(await h.current(cy, id)).toMatchObject({ status: "active", effectiveOn: TODAY, reviewDays: 30 });
    });

    it("refuses to edit a signed plan through the draft form", async () => {
      const signed = await h.current(ben, v2);
      const seq = await lastSeq(t.db);
      const changed = { ...complete(), barriers: "None now." };
      for (const sign of [false, true]) {
        const r = await saveDraft(t.db, marcus, ben, { planId: v2, version: signed.version, content: changed, sign }, h.sites(), TODAY, meta, NOW);
        expect(r).toMatchObject({ ok: false, status: 409, formError: expect.stringMatching(SIGNED_NEVER_CHANGES) });
      }
      expect(await discardDraft(t.db, marcus, ben, { planId: v2, version: signed.version }, h.sites(), meta)).toMatchObject({
        ok: false,
        status: 409,
        formError: expect.stringMatching(SIGNED_NEVER_CHANGES),
      });
      expect(await h.current(ben, v2)).toEqual(signed);
      expect(await lastSeq(t.db)).toBe(seq);
    });

    it("refuses the patient's signature on a plan that changed after it was shown", async () => {
      const di = await h.admit(marcus, "Di", "Shown", "2026-12-01");
      const first = await h.start(marcus, di);
      await h.sign(marcus, di, first);
      // The tablet shows the first version.
      const shown = (await acknowledgementPage(t.db, di)).plan!;
      expect(shown.id).toBe(first);
      // Meanwhile the counselor writes and signs a newer version, which replaces the waiting one.
      const second = await h.start(marcus, di);
      expect((await h.current(di, second)).reason).toBe("update");
      const newer = complete();
      newer.barriers = "Works night shifts; no car since November.";
      await h.sign(marcus, di, second, newer);
      expect(await h.current(di, first)).toMatchObject({ status: "superseded", waits: [] });

      const seq = await lastSeq(t.db);
      const before = await h.current(di, first);
      const r = await acknowledgePlan(t.db, tom, di, { planId: first, version: shown.version, typedName: "Di Shown" }, h.sites(), TODAY, meta, NOW);
      expect(r).toEqual({
        ok: false,
        status: 409,
        formError: "This plan changed after it was shown to you, so it was not signed. Reload the page and read the plan as it is now before signing.",
      });
      expect(await h.current(di, first)).toEqual(before);
      // Co-signing the replaced version is refused too.
      expect(await coSignPlan(t.db, priya, di, { planId: first, version: before.version }, h.sites(), TODAY, meta, NOW)).toMatchObject({
        ok: false,
        status: 409,
      });
      expect(await lastSeq(t.db)).toBe(seq);

      // The tablet now shows the newer version; the supervisor co-signs it while the patient reads.
      const tablet = (await acknowledgementPage(t.db, di)).plan!;
      expect(tablet.id).toBe(second);
      await h.cosign(priya, di, second);
      expect((await h.current(di, second)).version).toBeGreaterThan(tablet.version);
      // A co-signature changes nothing the patient read: their signature on what they were shown stands.
      const seq2 = await lastSeq(t.db);
      expect(await acknowledgePlan(t.db, tom, di, { planId: second, version: tablet.version, typedName: "Di Shown" }, h.sites(), TODAY, meta, NOW)).toEqual({
        ok: true,
        id: second,
        activated: true,
      });
      expect(await audit(seq2)).toEqual(["plan.acknowledged", "plan.activated"]);
      expect(await h.current(di, second)).toMatchObject({ status: "active", acknowledgedName: "Di Shown", content: newer });
      // Sent again (a double submit), it is refused and changes nothing.
      const done = await h.current(di, second);
      expect(
        await acknowledgePlan(t.db, tom, di, { planId: second, version: tablet.version, typedName: "Di Shown" }, h.sites(), TODAY, meta, NOW),
      ).toMatchObject({
        ok: false,
        status: 409,
        formError: expect.stringMatching(CHANGED_SINCE_SHOWN),
      });
      expect(await h.current(di, second)).toEqual(done);
    });

    it("keeps a signed version in the database itself: a raw update or delete is refused, a draft's content may change", async () => {
      const signedRow = await t.db.selectFrom("treatment_plans").selectAll().where("id", "=", v2).executeTakeFirstOrThrow();
      await expect(t.db.updateTable("treatment_plans").set({ content: "{}" }).where("id", "=", v2).execute()).rejects.toThrow(
        /signed treatment plan never changes/,
      );
      await expect(t.db.updateTable("treatment_plans").set({ signed_by: dana.id }).where("id", "=", v2).execute()).rejects.toThrow(
        /signed treatment plan never changes/,
      );
      await expect(t.db.updateTable("treatment_plans").set({ number: 9 }).where("id", "=", v1).execute()).rejects.toThrow(
        /signed treatment plan never changes/,
      );
      await expect(t.db.deleteFrom("treatment_plans").where("id", "=", v1).execute()).rejects.toThrow(/signed treatment plan is never deleted/);
      await expect(t.db.deleteFrom("treatment_plans").where("patient_id", "=", ben).execute()).rejects.toThrow(/never deleted/);
      expect(await t.db.selectFrom("treatment_plans").selectAll().where("id", "=", v2).executeTakeFirstOrThrow()).toEqual(signedRow);
      expect(await planVersions(t.db, ben)).toHaveLength(2);

      // A draft is still being written: its content may change, and it may be deleted.
      const v3 = await h.start(marcus, ben);
      await t.db
        .updateTable("treatment_plans")
        .set({ content: JSON.stringify({ ...complete(), strengths: "Raw" }) })
        .where("id", "=", v3)
        .execute();
      expect((await h.current(ben, v3)).content.strengths).toBe("Raw");
      await t.db.deleteFrom("treatment_plans").where("id", "=", v3).execute();
      expect(await planVersions(t.db, ben)).toHaveLength(2);
    });
  });

  describe("reviews", () => {
    it("reads the review interval from the program setting, 30 when it is unset or out of range", async () => {
      const set = (value: string) => t.db.updateTable("program_settings").set({ value }).where("key", "=", "plan_review_days").execute();
      expect(await planReviewDays(t.db, clinic.siteId)).toBe(30);
      try {
        await set("14");
        expect(await planReviewDays(t.db, clinic.siteId)).toBe(14);
        const flo = await h.admit(priya, "Flo", "Fortnight", "2026-12-01");
        const id = await h.activeFrom(priya, flo, TODAY);
        expect((await h.current(flo, id)).reviewDays).toBe(14);
        // Dec 6 + 14 = Dec 20.
        expect((await planOverview(t.db, flo)).review).toEqual({ dueOn: "2026-12-20", reason: "scheduled" });
        for (const odd of ["500", "6", "abc", "12.5"]) {
          await set(odd);
          expect(await planReviewDays(t.db, clinic.siteId), odd).toBe(30);
        }
      } finally {
        await set("30");
      }
    });

    it("lets a site's admin set its own review interval: audited, bounded, refused when stale, used by plans that become active afterwards", async () => {
      const before = await planReviewSetting(t.db, clinic.siteId);
      expect(before).toEqual({ value: 30, version: 0, ownChoice: false });
      const tooShort = await setPlanReviewDays(t.db, dana, clinic.siteId, 6, 0, meta);
      expect(tooShort).toEqual({ ok: false, status: 400, fieldErrors: { days: ["Enter a whole number of days from 7 to 90."] } });
      expect(await setPlanReviewDays(t.db, dana, clinic.siteId, 21, 0, meta)).toEqual({ ok: true });
      const saved = await planReviewSetting(t.db, clinic.siteId);
      expect(saved).toMatchObject({ value: 21, ownChoice: true });
      // A form opened before that save is stale.
      const stale = await setPlanReviewDays(t.db, dana, clinic.siteId, 45, 0, meta);
      expect(stale.ok).toBe(false);
      expect(!stale.ok && stale.status).toBe(409);
      expect(await planReviewDays(t.db, clinic.siteId)).toBe(21);
      const audit = await t.db.selectFrom("audit_events").select(["action", "changes"]).where("action", "=", "settings.plan_review_changed").execute();
      expect(audit.map((a) => JSON.parse(a.changes!))).toEqual([{ before: { days: 30 }, after: { days: 21 } }]);
      try {
        const gil = await h.admit(priya, "Gil", "Threeweeks", "2026-12-01");
        const id = await h.activeFrom(priya, gil, TODAY);
        expect((await h.current(gil, id)).reviewDays).toBe(21);
        // Dec 6 + 21 = Dec 27.
        expect((await planOverview(t.db, gil)).review).toEqual({ dueOn: "2026-12-27", reason: "scheduled" });
      } finally {
        expect(await setPlanReviewDays(t.db, dana, clinic.siteId, 30, saved.version, meta)).toEqual({ ok: true });
      }
    });

    it("comes due at a level-of-care change or an unexpected drug-test result after the plan became effective", async () => {
      const ed = await h.admit(marcus, "Ed", "Events", "2026-10-20");
      // Stepped up to PHP on Nov 1, the day the plan became effective: what it was written for.
      await h.changeLevel(marcus, ed, "PHP", "2026-11-01");
      await h.activeFrom(priya, ed, "2026-11-01");
      const review = async () => reviewOf(t.db, ed, (await planOverview(t.db, ed)).active);
      // Nov 1 + 30 = Dec 1 (November has 30 days).
      expect(await review()).toEqual({ dueOn: "2026-12-01", reason: "scheduled" });
      // A negative test on Nov 3 changes nothing.
      await h.drugTest(tom, ed, "2026-11-03", false);
      expect(await review()).toEqual({ dueOn: "2026-12-01", reason: "scheduled" });
      // Back down to IOP on Nov 10: the review is due that day.
      await h.changeLevel(marcus, ed, "IOP", "2026-11-10");
      expect(await review()).toEqual({ dueOn: "2026-11-10", reason: "level_change" });
      // An unexpected positive on Nov 5 comes first.
      await h.drugTest(tom, ed, "2026-11-05", true);
      expect(await review()).toEqual({ dueOn: "2026-11-05", reason: "unexpected_result" });
      // A version started on Nov 6 is that review.
      const id = await h.start(marcus, ed, "2026-11-06", afternoon("2026-11-06"));
      expect(await h.current(ed, id)).toMatchObject({ number: 2, reason: "unexpected_result", content: complete() });
    });

    it("has no review without an active plan", async () => {
      const gil = await h.admit(marcus, "Gil", "Nothing", "2026-12-01");
      expect(await reviewOf(t.db, gil, null)).toBeNull();
      expect((await planOverview(t.db, gil)).review).toBeNull();
    });
  });

  it("leaves an audit row of each kind, in an intact chain", async () => {
    const actions = await t.db.selectFrom("audit_events").select("action").distinct().where("action", "like", "plan.%").execute();
    expect(actions.map((a) => a.action).sort()).toEqual([
      "plan.acknowledged",
      "plan.activated",
      "plan.cosigned",
      "plan.draft_discarded",
      "plan.draft_saved",
      "plan.draft_started",
      "plan.signed",
    ]);
    // Every plan row carries the site and the patient it is about.
    const loose = await t.db
      .selectFrom("audit_events")
      .select("seq")
      .where("action", "like", "plan.%")
      .where((eb) => eb.or([eb("patient_id", "is", null), eb("site_id", "is", null), eb("entity_type", "!=", "treatment_plan")]))
      .execute();
    expect(loose).toEqual([]);
    expect((await verifyAuditChain(t.db)).ok).toBe(true);
  });
});

describe.each(dialects)("plan worklists, the co-signature queue and the report on %s", (dialect) => {
  let t: TestDatabase;
  let clinic: Clinic;
  const h = clinicHelpers(() => ({ t, clinic }));
  let marcus: Person;
  let elena: Person;
  let priya: Person;
  let dana: Person;
  let tom: Person;
  const p: Record<string, string> = {};
  let east: { siteId: string; quinn: Person; sam: Person; patient: string };

  beforeAll(async () => {
    t = await createTestDatabase(dialect);
    clinic = await seed(t.db);
    [marcus, elena, priya, dana, tom] = ["marcus.bell", "elena.ortiz", "priya.raman", "dana.whitfield", "tom.kowalski"].map(h.person);

    // Marcus's caseload (today Sunday Dec 6; a first plan is due 7 days after admission).
    p.ada = await h.admit(marcus, "Ada", "Adams", "2026-11-28"); // no plan: first due Dec 5, overdue
    p.ben = await h.admit(marcus, "Ben", "Baker", "2026-12-01"); // a draft: first due Dec 8
    await h.start(marcus, p.ben);
    p.cy = await h.admit(marcus, "Cy", "Clark", TODAY); // admitted today: first due Dec 13 (today + 7), due
    p.dee = await h.admit(marcus, "Dee", "Dunn", "2026-11-03"); // active since Nov 10: review Dec 10, due; current
    await h.activeFrom(priya, p.dee, "2026-11-10");
    p.eve = await h.admit(marcus, "Eve", "Evans", "2026-11-24"); // active since Dec 1: review Dec 31, later; current
    await h.activeFrom(priya, p.eve, "2026-12-01");
    await h.drugTest(tom, p.eve, "2026-12-04", false); // a negative test counts for nothing
    p.fay = await h.admit(marcus, "Fay", "Fox", "2026-12-03"); // signed by Marcus, waits for both: first due Dec 10
    await h.sign(marcus, p.fay, await h.start(marcus, p.fay));
    p.gus = await h.admit(marcus, "Gus", "Green", "2026-10-13"); // active since Oct 20 (review Nov 19), unexpected result Nov 10: overdue
    await h.activeFrom(priya, p.gus, "2026-10-20");
    await h.drugTest(tom, p.gus, "2026-11-10", true);
    p.lou = await h.admit(marcus, "Lou", "Lane", "2026-11-29"); // on hold: still in care; first due Dec 6 (today), due
    const lou = await getPatientRow(t.db, p.lou, h.sites());
    expect((await changeStatus(t.db, marcus, p.lou, { version: Number(lou!.version), status: "on_hold", effectiveOn: "2026-12-02" }, h.sites(), meta)).ok).toBe(
      true,
    );
    p.kim = await h.admit(marcus, "Kim", "King", "2026-09-01"); // discharged: not in care
    expect((await dischargePatient(t.db, marcus, p.kim, dischargeInput(await version(t.db, p.kim)), h.sites(), meta)).ok).toBe(true);
    p.rae = (
      await enroll(t.db, marcus, clinic.siteId, { legalFirstName: "Rae", legalLastName: "Reed", admittedOn: "2026-12-04", initialStatus: "referred" })
    ).id; // referred: not in care

    // Elena's caseload.
    p.hal = await h.admit(elena, "Hal", "Hill", "2026-12-02"); // Elena signed, Priya co-signed, waits for the patient: first due Dec 9
    const hal = await h.start(elena, p.hal);
    await h.sign(elena, p.hal, hal);
    await h.cosign(priya, p.hal, hal);
    p.ida = await h.admit(elena, "Ida", "Irwin", "2026-11-13"); // active since Nov 20, stepped up Dec 3: review due Dec 3, overdue
    await h.activeFrom(priya, p.ida, "2026-11-20");
    await h.changeLevel(elena, p.ida, "PHP", "2026-12-03");

    // Priya's own patient: she signed alone, it waits for the patient: first due Dec 7.
    p.jo = await h.admit(priya, "Jo", "Jones", "2026-11-30");
    await h.sign(priya, p.jo, await h.start(priya, p.jo));

    // Another site: Quinn (no credentials recorded: needs a co-signature) and Sam, its supervisor.
    const second = await addSecondSite(t.db);
    const samId = newId();
    const stamp = new Date().toISOString();
    await t.db
      .insertInto("users")
      .values({
        id: samId,
        email: `sam.${samId.slice(-6)}@eastside.example`,
        name: "Sam Eastside",
        role: "counselor",
        password_hash: "not-a-real-hash",
        must_change_password: 0,
        active: 1,
        last_sign_in_at: null,
        created_at: stamp,
        updated_at: stamp,
        credentials: "LCSW",
        signs_independently: 1,
        clinical_supervisor: 1,
      })
      .execute();
    await t.db.insertInto("user_sites").values({ user_id: samId, site_id: second.siteId }).execute();
    const q = (await enroll(t.db, second.counselor, second.siteId, { legalFirstName: "Quin", legalLastName: "Quarry", admittedOn: "2026-12-01" })).id;
    expect((await addDiagnosis(t.db, second.counselor, q, { code: "F10.20" }, [second.siteId], meta)).ok).toBe(true);
    const qd = await startDraft(t.db, second.counselor, q, randomUUID(), [second.siteId], TODAY, meta, NOW);
    if (!qd.ok) throw new Error(JSON.stringify(qd));
    const qs = await saveDraft(t.db, second.counselor, q, { planId: qd.id, version: 1, content: complete(), sign: true }, [second.siteId], TODAY, meta, NOW);
    expect(qs).toMatchObject({ ok: true, cosignRequired: true });
    east = { siteId: second.siteId, quinn: second.counselor, sam: { id: samId, name: "Sam Eastside" }, patient: q };
  });
  afterAll(() => t?.destroy());

  it("tells where each patient in care stands", async () => {
    const standings = await planStandings(t.db, clinic.siteId, TODAY, { counselorId: marcus.id });
    expect(standings.map((s) => [s.name, s.firstPlan, s.review, s.waiting?.waits ?? null])).toEqual([
      ["Adams, Ada", { dueOn: "2026-12-05", state: "overdue", underWay: null }, null, null],
      ["Baker, Ben", { dueOn: "2026-12-08", state: "due", underWay: "draft" }, null, null],
      ["Clark, Cy", { dueOn: "2026-12-13", state: "due", underWay: null }, null, null],
      // Nov 10 + 30: Nov 10 + 20 = Nov 30, + 10 = Dec 10.
      ["Dunn, Dee", null, { dueOn: "2026-12-10", reason: "scheduled", state: "due" }, null],
      // Dec 1 + 30 = Dec 31.
      ["Evans, Eve", null, { dueOn: "2026-12-31", reason: "scheduled", state: "later" }, null],
      ["Fox, Fay", { dueOn: "2026-12-10", state: "due", underWay: "signed" }, null, ["acknowledgement", "cosignature"]],
      // Oct 20 + 30 = Nov 19 (Oct 20 + 11 = Oct 31, + 19 = Nov 19); the unexpected result of Nov 10 is earlier.
      ["Green, Gus", null, { dueOn: "2026-11-10", reason: "unexpected_result", state: "overdue" }, null],
      // Nov 29 + 7 = Dec 6, today.
      ["Lane, Lou", { dueOn: "2026-12-06", state: "due", underWay: null }, null, null],
    ]);
    expect(standings.find((s) => s.patientId === p.fay)!.waiting).toMatchObject({ number: 1, signedById: marcus.id, signedBy: "Marcus Bell" });
    const elenas = await planStandings(t.db, clinic.siteId, TODAY, { counselorId: elena.id });
    expect(elenas.map((s) => [s.name, s.firstPlan?.state ?? null, s.review, s.waiting?.waits ?? null])).toEqual([
      ["Hill, Hal", "due", null, ["acknowledgement"]],
      // Active since Nov 20 (review Dec 20), stepped up to PHP on Dec 3.
      ["Irwin, Ida", null, { dueOn: "2026-12-03", reason: "level_change", state: "overdue" }, null],
    ]);
  });

  it("gives a counselor their worklist: what is due, most overdue first, and what waits", async () => {
    const list = worklistOf(await planStandings(t.db, clinic.siteId, TODAY, { counselorId: marcus.id }));
    expect(list.due.map((d) => [d.name, d.what, d.dueOn, d.state, d.underWay])).toEqual([
      ["Green, Gus", "unexpected_result", "2026-11-10", "overdue", null],
      ["Adams, Ada", "first", "2026-12-05", "overdue", null],
      ["Lane, Lou", "first", "2026-12-06", "due", null],
      ["Baker, Ben", "first", "2026-12-08", "due", "draft"],
      ["Dunn, Dee", "scheduled", "2026-12-10", "due", null],
      ["Clark, Cy", "first", "2026-12-13", "due", null],
    ]);
    // Fay's first plan is signed: it shows among the waiting, not as due.
    expect(list.awaitingAcknowledgement.map((w) => w.name)).toEqual(["Fox, Fay"]);
    expect(list.awaitingCosignature.map((w) => [w.name, w.signedBy, w.signedAt])).toEqual([["Fox, Fay", "Marcus Bell", NOW.toISOString()]]);
    const home = await homePlans(t.db, { id: marcus.id, role: "counselor" }, clinic.siteId, TODAY);
    expect(home).toEqual({ worklist: list, coSign: null, counts: null });
  });

  it("counts per counselor for the admins", async () => {
    const counts = countsByCounselor(await planStandings(t.db, clinic.siteId, TODAY));
    expect(counts).toEqual([
      { counselor: "Elena Ortiz", patients: 2, current: 0, overdue: 1, dueSoon: 0, awaitingAcknowledgement: 1, awaitingCosignature: 0 },
      // Ada, Ben, Cy, Dee, Eve, Fay, Gus, Lou (not Kim, discharged, nor Rae, referred); current: Dee, Eve;
      // overdue: Ada, Gus; due soon: Ben, Cy, Dee, Lou (Fay's plan is signed and waiting: counted as waiting, not as due).
      // Elena's and Priya's waiting plans likewise count as waiting, not as due soon.
      { counselor: "Marcus Bell", patients: 8, current: 2, overdue: 2, dueSoon: 4, awaitingAcknowledgement: 1, awaitingCosignature: 1 },
      { counselor: "Priya Raman", patients: 1, current: 0, overdue: 0, dueSoon: 0, awaitingAcknowledgement: 1, awaitingCosignature: 0 },
    ]);
    expect(await homePlans(t.db, { id: dana.id, role: "admin" }, clinic.siteId, TODAY)).toEqual({ worklist: null, coSign: null, counts });
  });

  it("gives each supervisor the plans they may co-sign, and no one else a queue", async () => {
    const queue = await coSignQueue(t.db, priya.id);
    expect(queue).toEqual([{ patientId: p.fay, name: "Fox, Fay", mrn: expect.any(String), signedBy: "Marcus Bell", signedAt: NOW.toISOString() }]);
    // Hal's plan is co-signed already, Jo's needs none; Quinn's is at a site Priya does not work at.
    expect(await coSignQueue(t.db, east.sam.id)).toEqual([
      { patientId: east.patient, name: "Quarry, Quin", mrn: expect.any(String), signedBy: "Quinn Eastside", signedAt: NOW.toISOString() },
    ]);
    for (const who of [dana, marcus, elena, tom, east.quinn]) expect(await coSignQueue(t.db, who.id), who.name).toEqual([]);
    // A deactivated supervisor has no queue.
    await t.db.updateTable("users").set({ active: 0 }).where("id", "=", east.sam.id).execute();
    expect(await coSignQueue(t.db, east.sam.id)).toEqual([]);
    await t.db.updateTable("users").set({ active: 1 }).where("id", "=", east.sam.id).execute();
    expect((await homePlans(t.db, { id: priya.id, role: "counselor" }, clinic.siteId, TODAY)).coSign).toEqual(queue);
  });

  it("reports the same figures as a count from the rows", async () => {
    const params = { siteId: clinic.siteId, timeZone: "America/New_York", from: "2026-11-01", to: TODAY, trackId: null, counselorId: null, today: TODAY };
    const report = await treatmentPlans.compute(t.db, params);

    // From scratch: patients in care today, and those whose active plan's review is not overdue.
    const inCare = await t.db
      .selectFrom("patients as p")
      .innerJoin("patient_episodes as e", "e.id", "p.current_episode_id")
      .innerJoin("users as u", "u.id", "p.primary_counselor_id")
      .select(["p.id", "u.name"])
      .where("p.site_id", "=", clinic.siteId)
      .where("p.status", "in", ["active", "on_hold"])
      .where("e.admitted_on", "<=", TODAY)
      .execute();
    const active = await t.db
      .selectFrom("treatment_plans")
      .select(["patient_id", "effective_on", "review_days"])
      .where("site_id", "=", clinic.siteId)
      .where("activated_at", "is not", null)
      .where("superseded_at", "is", null)
      .execute();
    const events = [
      ...(await t.db.selectFrom("level_of_care_changes").select(["patient_id", "effective_on as on"]).execute()),
      ...(await t.db.selectFrom("drug_tests").select(["patient_id", "collected_on as on"]).where("unexpected_positive", "=", 1).execute()),
    ];
    const isCurrent = (patientId: string) => {
      const plan = active.find((a) => a.patient_id === patientId);
      if (!plan) return false;
      const from = plan.effective_on!;
      if (addDays(from, Number(plan.review_days)) < TODAY) return false;
      return !events.some((e) => e.patient_id === patientId && e.on > from && e.on < TODAY);
    };
    const byCounselor = new Map<string, { patients: number; current: number }>();
    for (const r of inCare) {
      const c = byCounselor.get(r.name) ?? { patients: 0, current: 0 };
      c.patients++;
      if (isCurrent(r.id)) c.current++;
      byCounselor.set(r.name, c);
    }
    expect(report.rows.map((r) => [r.counselor, r.patients, r.current])).toEqual(
      [...byCounselor.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([name, c]) => [name, c.patients, c.current]),
    );
    expect(
      report.rows.map((r) => [r.counselor, r.patients, r.current, r.share, r.overdue, r.dueSoon, r.awaitingAcknowledgement, r.awaitingCosignature]),
    ).toEqual([
      ["Elena Ortiz", 2, 0, 0, 1, 0, 1, 0],
      ["Marcus Bell", 8, 2, 25, 2, 4, 1, 1],
      ["Priya Raman", 1, 0, 0, 0, 0, 1, 0],
    ]);
    // 2 of 11: 18.18…% to one decimal.
    expect(report.summary).toBe("2 of 11 patients in care (18.2%) have a current signed plan on Dec 6, 2026; 3 overdue.");

    const mine = await treatmentPlans.compute(t.db, { ...params, counselorId: marcus.id });
    expect(mine.rows.map((r) => [r.counselor, r.patients, r.current, r.overdue])).toEqual([["Marcus Bell", 8, 2, 2]]);
  });
});

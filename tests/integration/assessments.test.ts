/**
 * ASAM assessments on real databases: saving one with its audit row, refusing bad input and a
 * stale form, a double submit, the append-only table, the edition setting, and the chart tab's
 * gate (staff refused, the view audited) through the route module itself.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyAuditChain } from "~/features/audit/audit.server";
import { asamEdition, assessmentFormBasis, assessmentsOf, recordAssessment, setAsamEdition, STALE_ASSESSMENT } from "~/features/assessments/assessments.server";
import type { AssessmentInput } from "~/features/assessments/schemas";
import { closeDb } from "~/db.server";
import type * as AssessmentsRoute from "~/routes/_app.patients.$patientId.assessments";
import { createTestDatabase, dialects, type TestDatabase } from "../support/databases";
import { meta, seed } from "../support/demo";
import { mintSessionCookie } from "../support/server";
import { addSecondSite, auditSince, enroll, lastSeq } from "./patients-support";

type Clinic = Awaited<ReturnType<typeof seed>>;

function input(over: Partial<AssessmentInput> = {}): AssessmentInput {
  return {
    requestKey: randomUUID(),
    basis: undefined,
    edition: "3",
    kind: "intake",
    assessedOn: "2026-09-02",
    d1Rating: 1,
    d2Rating: 0,
    d3Rating: 2,
    d4Rating: 2,
    d5Rating: 3,
    d6Rating: 2,
    d1Narrative: "Mild withdrawal, CIWA-Ar 6.",
    d2Narrative: "No medical problems.",
    d3Narrative: "Moderate depression, no safety concerns.",
    d4Narrative: "Ambivalent about weekend use.",
    d5Narrative: "Daily cravings, no relapse plan.",
    d6Narrative: "Lives with a brother who drinks.",
    recommendedLevel: "IOP",
    placedLevel: "IOP",
    differenceReason: undefined,
    differenceNote: undefined,
    ...over,
  };
}

describe.each(dialects)("ASAM assessments on %s", (dialect) => {
  let t: TestDatabase;
  let clinic: Clinic;
  let marcus: { id: string; name: string };
  let sites: string[];
  let patient: string;

  beforeAll(async () => {
    t = await createTestDatabase(dialect);
    clinic = await seed(t.db);
    marcus = { id: clinic.users["marcus.bell"].id, name: clinic.users["marcus.bell"].name };
    sites = [clinic.siteId];
    patient = (await enroll(t.db, marcus, clinic.siteId, { legalFirstName: "Asa", legalLastName: "Assessed", admittedOn: "2026-09-01" })).id;
  });
  afterAll(() => t?.destroy());

  it("saves an intake with its audit row, and reads it back", async () => {
    const seq = await lastSeq(t.db);
    const r = await recordAssessment(t.db, marcus, patient, input(), sites, meta);
    expect(r).toMatchObject({ ok: true, repeated: false });
    const [a] = await assessmentsOf(t.db, patient);
    expect(a).toMatchObject({
      kind: "intake",
      edition: "3",
      assessedOn: "2026-09-02",
      ratings: { 1: 1, 2: 0, 3: 2, 4: 2, 5: 3, 6: 2 },
      recommendedLevel: "IOP",
      placedLevel: "IOP",
      differenceReason: null,
      assessedBy: "Marcus Bell",
    });
    expect(a.narratives[6]).toBe("Lives with a brother who drinks.");
    const audit = await auditSince(t.db, seq);
    expect(audit.map((e) => e.action)).toEqual(["assessment.recorded"]);
    expect(audit[0]).toMatchObject({ user_id: marcus.id, patient_id: patient, entity_type: "asam_assessment", entity_id: a.id });
    // Ratings and levels in the log; the narratives stay on the chart.
    expect(JSON.parse(audit[0].changes!).after).toMatchObject({ ratings: "1 0 2 2 3 2", recommendedLevel: "IOP", placedLevel: "IOP" });
    expect(audit[0].changes).not.toContain("brother");
    expect((await verifyAuditChain(t.db)).ok).toBe(true);
  });

  it("refuses a stale form: someone else saved an assessment after it was opened", async () => {
    const basis = await assessmentFormBasis(t.db, patient);
    const mine = input({ kind: "review", assessedOn: "2026-10-01", basis });
    const theirs = await recordAssessment(t.db, marcus, patient, input({ kind: "review", assessedOn: "2026-10-01", basis }), sites, meta);
    expect(theirs.ok).toBe(true);
    const seq = await lastSeq(t.db);
    expect(await recordAssessment(t.db, marcus, patient, mine, sites, meta)).toEqual({ ok: false, status: 409, formError: STALE_ASSESSMENT });
    expect(await lastSeq(t.db)).toBe(seq);
    // Against the newest, it goes in.
    const again = await recordAssessment(t.db, marcus, patient, { ...mine, basis: await assessmentFormBasis(t.db, patient) }, sites, meta);
    expect(again.ok).toBe(true);
    expect((await assessmentsOf(t.db, patient)).map((a) => a.kind)).toEqual(["intake", "review", "review"]);
  });

  it("creates nothing twice on a double submit", async () => {
    const basis = await assessmentFormBasis(t.db, patient);
    const form = input({ kind: "review", assessedOn: "2026-10-30", basis });
    const [a, b] = await Promise.all([recordAssessment(t.db, marcus, patient, form, sites, meta), recordAssessment(t.db, marcus, patient, form, sites, meta)]);
    expect(a.ok && b.ok).toBe(true);
    if (a.ok && b.ok) expect(a.id).toBe(b.id);
    expect((await assessmentsOf(t.db, patient)).filter((x) => x.assessedOn === "2026-10-30")).toHaveLength(1);
  });

  it("refuses a date before birth, and a patient at another site", async () => {
    const basis = await assessmentFormBasis(t.db, patient);
    const seq = await lastSeq(t.db);
    const early = await recordAssessment(t.db, marcus, patient, input({ basis, assessedOn: "1980-01-01" }), sites, meta);
    expect(early).toMatchObject({ ok: false, status: 400, fieldErrors: { assessedOn: [expect.stringMatching(/before the date of birth/)] } });
    const east = await addSecondSite(t.db);
    expect(await recordAssessment(t.db, east.counselor, patient, input({ basis }), [east.siteId], meta)).toMatchObject({ ok: false, status: 404 });
    expect(await lastSeq(t.db)).toBe(seq);
  });

  it("keeps a saved assessment as it was: the table refuses changes", async () => {
    await expect(t.db.updateTable("asam_assessments").set({ d1_rating: 4 }).where("patient_id", "=", patient).execute()).rejects.toThrow(/append-only/);
    await expect(t.db.deleteFrom("asam_assessments").where("patient_id", "=", patient).execute()).rejects.toThrow(/append-only/);
  });

  it("lets an admin switch their site to the 4th edition, audited, leaves another site on the 3rd, and refuses a stale choice", async () => {
    const dana = { id: clinic.users["dana.whitfield"].id, name: clinic.users["dana.whitfield"].name };
    // Another site (the test before may have added one already).
    const other = await t.db.selectFrom("sites").select("id").where("id", "!=", clinic.siteId).executeTakeFirst();
    const east = other ? { siteId: other.id } : await addSecondSite(t.db);
    const before = await asamEdition(t.db, clinic.siteId);
    expect(before).toEqual({ value: "3", version: 0, ownChoice: false });
    const seq = await lastSeq(t.db);
    expect(await setAsamEdition(t.db, dana, clinic.siteId, "4", before.version, meta)).toEqual({ ok: true });
    expect(await asamEdition(t.db, clinic.siteId)).toEqual({ value: "4", version: 1, ownChoice: true });
    // The other site still follows the network's 3rd edition.
    expect((await asamEdition(t.db, east.siteId)).value).toBe("3");
    expect(await setAsamEdition(t.db, dana, clinic.siteId, "3", before.version, meta)).toMatchObject({ ok: false, status: 409 });
    const audit = await auditSince(t.db, seq);
    expect(audit.map((e) => [e.action, e.site_id])).toEqual([["settings.asam_edition_changed", clinic.siteId]]);
    expect(JSON.parse(audit[0].changes!)).toMatchObject({ before: { value: "3" }, after: { value: "4" } });
    expect(await setAsamEdition(t.db, dana, clinic.siteId, "3", 1, meta)).toEqual({ ok: true });
    expect(await asamEdition(t.db, clinic.siteId)).toEqual({ value: "3", version: 2, ownChoice: true });
  });

  describe("through the chart tab's route", () => {
    const url = () => `http://localhost/patients/${patient}/assessments`;
    const args = (request: Request) => ({ request, params: { patientId: patient }, context: {} });
    const statusOf = (e: unknown) => (e instanceof Response ? e.status : (e as { init?: { status?: number } }).init?.status);
    let route: typeof AssessmentsRoute;

    beforeAll(async () => {
      await closeDb();
      process.env.DATABASE_URL = t.url;
      route = await import("~/routes/_app.patients.$patientId.assessments");
    });
    afterAll(() => closeDb());

    it("refuses staff the tab and its action, and writes nothing", async () => {
      const cookie = await mintSessionCookie(t.db, clinic.users["tom.kowalski"].id, clinic.siteId);
      const seq = await lastSeq(t.db);
      const count = (await assessmentsOf(t.db, patient)).length;
      const get = await route.loader(args(new Request(url(), { headers: { Cookie: cookie } }))).catch((e: unknown) => e);
      expect(statusOf(get)).toBe(403);
      const body = new URLSearchParams({
        ...Object.fromEntries(
          Object.entries(input())
            .filter(([, v]) => v !== undefined)
            .map(([k, v]) => [k, String(v)]),
        ),
      });
      const post = await route
        .action(
          args(
            new Request(url(), {
              method: "POST",
              body,
              headers: { Cookie: cookie, Origin: "http://localhost", "Content-Type": "application/x-www-form-urlencoded" },
            }),
          ),
        )
        .catch((e: unknown) => e);
      expect(statusOf(post)).toBe(403);
      expect((await assessmentsOf(t.db, patient)).length).toBe(count);
      expect((await auditSince(t.db, seq)).map((e) => [e.action, e.outcome])).toEqual([
        ["access.denied", "denied"],
        ["access.denied", "denied"],
      ]);
    });

    it("shows a counselor the assessments and audits the view", async () => {
      const cookie = await mintSessionCookie(t.db, marcus.id, clinic.siteId);
      const seq = await lastSeq(t.db);
      const loaded = await route.loader(args(new Request(url(), { headers: { Cookie: cookie } })));
      expect(loaded.assessments.map((a) => a.kind)).toEqual(["intake", "review", "review", "review"]);
      expect(loaded.suggestedKind).toBe("review");
      const audit = await auditSince(t.db, seq);
      expect(audit.map((e) => [e.action, e.patient_id, JSON.parse(e.changes!).detail])).toEqual([["patient.viewed", patient, { section: "assessments" }]]);
    });

    it("answers bad input with 400, every message, and what was typed", async () => {
      const cookie = await mintSessionCookie(t.db, marcus.id, clinic.siteId);
      const seq = await lastSeq(t.db);
      const fields = Object.fromEntries(
        Object.entries(input({ basis: await assessmentFormBasis(t.db, patient), placedLevel: "OP", recommendedLevel: "PHP" }))
          .filter(([k, v]) => v !== undefined && k !== "d4Rating")
          .map(([k, v]) => [k, String(v)]),
      );
      const res = await route.action(
        args(
          new Request(url(), {
            method: "POST",
            body: new URLSearchParams(fields),
            headers: { Cookie: cookie, Origin: "http://localhost", "Content-Type": "application/x-www-form-urlencoded" },
          }),
        ),
      );
      const answer = res as unknown as { data: { reply: { error: Record<string, string[]>; initialValue: Record<string, string> } }; init: { status: number } };
      expect(answer.init.status).toBe(400);
      expect(answer.data.reply.error.d4Rating?.[0]).toMatch(/dimension 4/);
      expect(answer.data.reply.error.differenceReason?.[0]).toMatch(/differs/);
      expect(answer.data.reply.initialValue.d6Narrative).toBe("Lives with a brother who drinks.");
      expect(await lastSeq(t.db)).toBe(seq);
    });
  });
});

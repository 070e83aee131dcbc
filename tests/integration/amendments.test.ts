/**
 * Amendment requests (HIPAA 164.526, ONC 170.315(d)(4)) on real databases: recorded as asked,
 * decided within 60 days or flagged overdue, a denial with its reason and the patient's statement
 * of disagreement kept with the record, refusals writing nothing, every step audited.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyAuditChain } from "~/features/audit/audit.server";
import { decisionSchema, disagreementSchema, requestSchema } from "~/features/patients/amendments";
import { amendmentRequestsOf, decideAmendment, recordAmendmentRequest, recordDisagreement } from "~/features/patients/amendments.server";
import { createTestDatabase, dialects, type TestDatabase } from "../support/databases";
import { meta, seed } from "../support/demo";
import { addSecondSite, enroll } from "./patients-support";

const TODAY = "2026-11-27";

describe.each(dialects)("amendment requests on %s", (dialect) => {
  let t: TestDatabase;
  let counselor: { id: string; name: string };
  let siteIds: string[];
  let patient = "";

  beforeAll(async () => {
    t = await createTestDatabase(dialect);
    const clinic = await seed(t.db);
    counselor = { id: clinic.users["marcus.bell"].id, name: "Marcus Bell" };
    siteIds = [clinic.siteId];
    patient = (await enroll(t.db, counselor, clinic.siteId)).id;
  });
  afterAll(() => t?.destroy());

  const rows = () => t.db.selectFrom("amendment_requests").selectAll().orderBy("created_at").execute();

  it("refuses a request dated ahead, or with nothing said, before anything is written", () => {
    const r = requestSchema(TODAY).safeParse({ requestedOn: "2026-11-28", section: "Diagnoses", request: "" });
    expect(r.success).toBe(false);
    const messages = r.success ? [] : r.error.issues.map((i) => i.message);
    expect(messages).toEqual(["The date of the request cannot be in the future.", "Enter what the patient asks to change."]);
  });

  it("records a request, due in 60 days, and flags it overdue after that", async () => {
    expect(
      await recordAmendmentRequest(
        t.db,
        counselor,
        patient,
        { requestedOn: "2026-09-01", section: "Diagnoses", request: "F10.20 should read F10.10: I was told my use is mild." },
        siteIds,
        meta,
      ),
    ).toEqual({ ok: true });
    const [r] = await amendmentRequestsOf(t.db, patient, "2026-10-31");
    expect(r).toMatchObject({ status: "pending", dueOn: "2026-10-31", overdue: false, section: "Diagnoses" });
    expect((await amendmentRequestsOf(t.db, patient, "2026-11-01"))[0].overdue).toBe(true);
  });

  it("refuses a decision dated before the request, and a patient at another site, writing nothing", async () => {
    const [r] = await amendmentRequestsOf(t.db, patient, TODAY);
    const before = await rows();
    const early = await decideAmendment(
      t.db,
      counselor,
      patient,
      decisionSchema(TODAY).parse({ id: r.id, version: r.version, decision: "denied", decidedOn: "2026-08-31", note: "Clinically accurate." }),
      siteIds,
      meta,
    );
    expect(early).toEqual({ ok: false, status: 400, fieldErrors: { decidedOn: ["The decision cannot be before the request (Sep 1, 2026)."] } });
    const second = await addSecondSite(t.db);
    const elsewhere = await decideAmendment(
      t.db,
      counselor,
      patient,
      { id: r.id, version: r.version, decision: "denied", decidedOn: "2026-09-10", note: "x" },
      [second.siteId],
      meta,
    );
    expect(elsewhere.ok).toBe(false);
    expect(await rows()).toEqual(before);
  });

  it("denies with a reason, keeps the patient's statement of disagreement, and refuses a stale or second decision", async () => {
    const [r] = await amendmentRequestsOf(t.db, patient, TODAY);
    expect(
      await decideAmendment(
        t.db,
        counselor,
        patient,
        {
          id: r.id,
          version: r.version,
          decision: "denied",
          decidedOn: "2026-09-20",
          note: "The diagnosis reflects the assessment of 2026-08-28; severity is documented there.",
        },
        siteIds,
        meta,
      ),
    ).toEqual({ ok: true });
    const again = await decideAmendment(
      t.db,
      counselor,
      patient,
      { id: r.id, version: r.version + 1, decision: "accepted", decidedOn: "2026-09-21", note: "Changed my mind." },
      siteIds,
      meta,
    );
    expect(again).toMatchObject({ ok: false, status: 409, formError: "This request has already been decided." });
    const stale = await recordDisagreement(
      t.db,
      counselor,
      patient,
      disagreementSchema(TODAY).parse({ id: r.id, version: r.version, disagreementOn: "2026-09-25", disagreement: "I disagree." }),
      siteIds,
      meta,
    );
    expect(stale.ok).toBe(false);
    const [denied] = await amendmentRequestsOf(t.db, patient, TODAY);
    expect(
      await recordDisagreement(
        t.db,
        counselor,
        patient,
        { id: r.id, version: denied.version, disagreementOn: "2026-09-25", disagreement: "I still disagree: my use was never daily." },
        siteIds,
        meta,
      ),
    ).toEqual({ ok: true });
    const [kept] = await amendmentRequestsOf(t.db, patient, TODAY);
    expect(kept).toMatchObject({
      status: "denied",
      decided_on: "2026-09-20",
      decided_by: "Marcus Bell",
      disagreement: "I still disagree: my use was never daily.",
      disagreement_on: "2026-09-25",
      overdue: false,
    });
  });

  it("accepts another request and says what was changed; a disagreement goes with denials only", async () => {
    await recordAmendmentRequest(
      t.db,
      counselor,
      patient,
      { requestedOn: "2026-11-20", section: "Demographics", request: "My phone number is wrong." },
      siteIds,
      meta,
    );
    const pending = (await amendmentRequestsOf(t.db, patient, TODAY)).find((r) => r.status === "pending")!;
    expect(
      await decideAmendment(
        t.db,
        counselor,
        patient,
        { id: pending.id, version: pending.version, decision: "accepted", decidedOn: TODAY, note: "Phone corrected on the overview." },
        siteIds,
        meta,
      ),
    ).toEqual({ ok: true });
    const accepted = (await amendmentRequestsOf(t.db, patient, TODAY)).find((r) => r.id === pending.id)!;
    expect(
      await recordDisagreement(
        t.db,
        counselor,
        patient,
        { id: accepted.id, version: accepted.version, disagreementOn: TODAY, disagreement: "x" },
        siteIds,
        meta,
      ),
    ).toMatchObject({ ok: false, status: 409 });
    const audit = await t.db.selectFrom("audit_events").select("action").where("action", "like", "amendment.%").orderBy("seq").execute();
    expect(audit.map((a) => a.action)).toEqual([
      "amendment.requested",
      "amendment.denied",
      "amendment.disagreement_filed",
      "amendment.requested",
      "amendment.accepted",
    ]);
    expect(await verifyAuditChain(t.db)).toMatchObject({ ok: true });
  });
});

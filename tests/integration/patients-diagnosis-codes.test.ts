/**
 * Saving a diagnosis: only a billable code on the clinic's ICD-10-CM list is stored, with the
 * list's official description whatever description the caller sends; refusals write nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDiagnosis, diagnosesOf } from "~/features/patients/clinical.server";
import { createTestDatabase, dialects, type TestDatabase } from "../support/databases";
import { meta, seed } from "../support/demo";
import { auditSince, enroll, lastSeq } from "./patients-support";

describe.each(dialects)("diagnosis codes on %s", (dialect) => {
  let t: TestDatabase;
  let siteId: string;
  let elena: { id: string; name: string };
  let patientId: string;

  beforeAll(async () => {
    t = await createTestDatabase(dialect);
    const clinic = await seed(t.db);
    siteId = clinic.siteId;
    elena = { id: clinic.users["elena.ortiz"].id, name: clinic.users["elena.ortiz"].name };
    patientId = (await enroll(t.db, elena, siteId, { legalFirstName: "Cody", legalLastName: "Codes", admittedOn: "2026-09-01" })).id;
  });
  afterAll(() => t?.destroy());

  const add = (code: string, description?: string) => addDiagnosis(t.db, elena, patientId, { code, description }, [siteId], meta);

  it("refuses category headers and unknown codes with a clear message, and stores nothing", async () => {
    const since = await lastSeq(t.db);
    const f11 = await add("F11", "Opioid related disorders");
    expect(f11).toMatchObject({ ok: false, status: 400 });
    expect(!f11.ok && f11.fieldErrors?.code?.[0]).toMatch(/^F11 is a category, not a billable code: choose e\.g\. F11\.10 \(Opioid abuse, uncomplicated\)/);

    const f112 = await add("F11.2", "Opioid dependence");
    expect(!f112.ok && f112.fieldErrors?.code?.[0]).toMatch(
      /^F11\.2 is a category, not a billable code: choose e\.g\. F11\.20 \(Opioid dependence, uncomplicated\)/,
    );

    const f9999 = await add("F99.99", "Something made up");
    expect(!f9999.ok && f9999.fieldErrors?.code?.[0]).toBe(
      "F99.99 is not a billable code on the FY2026 ICD-10-CM list (chapter F and the Z and T codes addiction programs use). Pick a code from the list.",
    );

    expect(await diagnosesOf(t.db, patientId)).toEqual([]);
    expect(await auditSince(t.db, since)).toEqual([]);
  });

  it("stores the official description, not a typed one, and audits it", async () => {
    const since = await lastSeq(t.db);
    const result = await add("f11.20", "opioid use, bad");
    expect(result.ok).toBe(true);
    const t40 = await add("T40.2X1A");
    expect(t40.ok).toBe(true);

    const stored = await diagnosesOf(t.db, patientId);
    expect(stored.map((d) => [d.code, d.description, d.category])).toEqual([
      ["F11.20", "Opioid dependence, uncomplicated", "substance"],
      ["T40.2X1A", "Poisoning by other opioids, accidental (unintentional), initial encounter", "other"],
    ]);
    const audit = await auditSince(t.db, since);
    expect(audit.map((a) => a.action)).toEqual(["diagnosis.added", "diagnosis.added"]);
    expect(String(audit[0].changes)).toContain("Opioid dependence, uncomplicated");
    expect(String(audit[0].changes)).not.toContain("opioid use, bad");
  });

  it("keeps a description stored before the list was enforced", async () => {
    const now = new Date().toISOString();
    await t.db
      .insertInto("patient_diagnoses")
      .values({
        id: "legacy-dx",
        patient_id: patientId,
        code: "F41.1",
        description: "GAD, severe (typed)",
        category: "mental_health",
        is_primary: 0,
        onset_on: null,
        resolved_on: null,
        created_by: elena.id,
        created_at: now,
        updated_at: now,
      })
      .execute();
    expect((await diagnosesOf(t.db, patientId)).find((d) => d.id === "legacy-dx")?.description).toBe("GAD, severe (typed)");
  });
});

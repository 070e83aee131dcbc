import { parseWithZod } from "@conform-to/zod/v4";
import { describe, expect, it } from "vitest";
import {
  accountingFrom,
  chooseConsent,
  type ConsentTerms,
  consentStateOn,
  dischargeEnding,
  INFORMATION_CODES,
  recipientCovered,
  recipientKey,
} from "~/features/consents/rules";
import { consentSchema, disclosureSchema, revokeSchema } from "~/features/consents/schemas";

const consent = (over: Partial<ConsentTerms> = {}): ConsentTerms => ({
  id: "c1",
  signedOn: "2026-09-01",
  recipient: "Officer Dana Reyes, Kings County Probation",
  recipientDesignation: "named",
  purposes: ["court_probation"],
  information: ["attendance", "drug_tests"],
  expiresOn: "2027-09-01",
  expiryEvent: null,
  revokedOn: null,
  expiredOn: null,
  ...over,
});

describe("whether a consent is active on a day", () => {
  it("is active from its signature up to (not on) its expiry date", () => {
    const c = consent();
    expect(consentStateOn(c, "2026-08-31", [])).toMatchObject({ active: false, state: "not_signed_yet" });
    expect(consentStateOn(c, "2026-09-01", []).active).toBe(true);
    expect(consentStateOn(c, "2027-08-31", []).active).toBe(true);
    expect(consentStateOn(c, "2027-09-01", [])).toEqual({ active: false, state: "expired", since: "2027-09-01", reason: "it expired on Sep 1, 2027" });
  });

  it("is inactive from the day it is revoked, and stays so", () => {
    const c = consent({ revokedOn: "2026-10-15" });
    expect(consentStateOn(c, "2026-10-14", []).active).toBe(true);
    expect(consentStateOn(c, "2026-10-15", [])).toMatchObject({ active: false, state: "revoked", since: "2026-10-15" });
    expect(consentStateOn(c, "2028-01-01", [])).toMatchObject({ state: "revoked", since: "2026-10-15" });
  });

  it("names whichever ending came first; a revocation on the expiry day is shown as the revocation", () => {
    expect(consentStateOn(consent({ revokedOn: "2027-10-01" }), "2028-01-01", [])).toMatchObject({ state: "expired", since: "2027-09-01" });
    expect(consentStateOn(consent({ revokedOn: "2027-09-01" }), "2028-01-01", [])).toMatchObject({ state: "revoked" });
  });

  it("ends on the first discharge on or after the signature, not an earlier episode's discharge", () => {
    const c = consent({ expiresOn: null, expiryEvent: "discharge" });
    expect(dischargeEnding("2026-09-01", ["2025-03-01", "2026-12-01", "2027-05-01", null])).toBe("2026-12-01");
    expect(consentStateOn(c, "2026-11-30", ["2025-03-01"]).active).toBe(true);
    expect(consentStateOn(c, "2026-12-01", ["2025-03-01", "2026-12-01"])).toEqual({
      active: false,
      state: "expired",
      since: "2026-12-01",
      reason: "it expired on discharge (Dec 1, 2026)",
    });
  });

  it("with a date and an event, ends on whichever comes first", () => {
    const c = consent({ expiresOn: "2027-01-01", expiryEvent: "discharge" });
    expect(consentStateOn(c, "2027-01-01", [])).toMatchObject({ state: "expired", since: "2027-01-01" });
    expect(consentStateOn(c, "2026-12-20", ["2026-12-15"])).toMatchObject({ state: "expired", since: "2026-12-15" });
  });

  it("an event in words ends it only when someone marks the day it happened", () => {
    const c = consent({ expiresOn: null, expiryEvent: "other" });
    expect(consentStateOn(c, "2035-01-01", ["2030-01-01"]).active).toBe(true);
    expect(consentStateOn({ ...c, expiredOn: "2026-11-01" }, "2026-11-01", [])).toMatchObject({
      state: "expired",
      reason: "its expiry event happened on Nov 1, 2026",
    });
  });
});

describe("whether a consent covers a recipient", () => {
  it("matches a named recipient whatever the case, spacing or trailing punctuation", () => {
    expect(recipientKey("  Officer  Dana Reyes,  Kings County Probation. ")).toBe("officer dana reyes kings county probation");
    expect(recipientCovered(consent(), "officer dana reyes, KINGS COUNTY PROBATION", "court_probation")).toBe(true);
    expect(recipientCovered(consent(), "Kings County Probation", "court_probation")).toBe(false);
  });

  it("lets a general designation cover any recipient, for treatment, payment or operations only", () => {
    const tpo = consent({
      recipient: "My treating providers and health plans",
      recipientDesignation: "general",
      purposes: ["treatment", "payment", "health_care_operations"],
    });
    expect(recipientCovered(tpo, "Fidelis Care", "payment")).toBe(true);
    expect(recipientCovered(tpo, "Fidelis Care", "court_probation")).toBe(false);
    // A general designation on a consent with other purposes is never honoured (the form refuses it too).
    expect(recipientCovered({ ...tpo, purposes: ["treatment", "employer"] }, "Acme", "treatment")).toBe(false);
  });
});

describe("choosing the consent a disclosure is made under", () => {
  const req = {
    recipient: "Officer Dana Reyes, Kings County Probation",
    purpose: "court_probation" as const,
    information: ["attendance" as const],
    on: "2026-10-01",
  };

  it("picks the active consent for the recipient, purpose and information", () => {
    const choice = chooseConsent([consent()], req, []);
    expect(choice).toMatchObject({ ok: true, consent: { id: "c1" } });
  });

  it("prefers a named consent over a general designation, then the most recent signature", () => {
    const general = consent({ id: "g", recipient: "My providers", recipientDesignation: "general", purposes: ["treatment"], signedOn: "2026-09-20" });
    const older = consent({ id: "old", recipient: "Dr. Lee", purposes: ["treatment"], signedOn: "2026-09-01" });
    const newer = consent({ id: "new", recipient: "Dr. Lee", purposes: ["treatment"], signedOn: "2026-09-10" });
    const choice = chooseConsent([general, older, newer], { ...req, recipient: "dr. lee", purpose: "treatment" }, []);
    expect(choice).toMatchObject({ ok: true, consent: { id: "new" } });
    expect(chooseConsent([general], { ...req, recipient: "Dr. Lee", purpose: "treatment" }, [])).toMatchObject({ ok: true, consent: { id: "g" } });
  });

  it("refuses a purpose the consent does not cover, naming what it does cover", () => {
    expect(chooseConsent([consent()], { ...req, purpose: "employer" }, [])).toEqual({
      ok: false,
      field: "purpose",
      message:
        "No active consent lets you disclose to Officer Dana Reyes, Kings County Probation for employer or employee assistance program: the consent signed Sep 1, 2026 covers court, probation or parole only.",
    });
  });

  it("refuses information the consent does not cover, naming it", () => {
    expect(chooseConsent([consent()], { ...req, information: ["attendance", "diagnoses", "medications"] }, [])).toEqual({
      ok: false,
      field: "information",
      message: "The consent signed Sep 1, 2026 does not cover diagnoses and medications (MAT). Leave them out, or record a consent that covers them.",
    });
  });

  it("refuses under a revoked or expired consent, saying why", () => {
    expect(chooseConsent([consent({ revokedOn: "2026-09-15" })], req, [])).toEqual({
      ok: false,
      field: "recipient",
      message:
        "No active consent lets you disclose to Officer Dana Reyes, Kings County Probation: the consent signed Sep 1, 2026 is no longer in force (it was revoked on Sep 15, 2026).",
    });
    expect(chooseConsent([consent()], { ...req, on: "2027-09-02" }, [])).toMatchObject({
      ok: false,
      message: expect.stringContaining("it expired on Sep 1, 2027"),
    });
  });

  it("refuses a recipient with no consent at all", () => {
    expect(chooseConsent([consent()], { ...req, recipient: "Brooklyn Daily Eagle" }, [])).toEqual({
      ok: false,
      field: "recipient",
      message: "There is no consent on file to disclose to Brooklyn Daily Eagle for court, probation or parole. Record the patient's written consent first.",
    });
  });
});

describe("the accounting window", () => {
  it("reaches back exactly three years, 29 February to the 28th", () => {
    expect(accountingFrom("2026-11-27")).toBe("2023-11-27");
    expect(accountingFrom("2028-02-29")).toBe("2025-02-28");
    expect(accountingFrom("2027-03-01")).toBe("2024-03-01");
  });
});

describe("the consent form", () => {
  const today = "2026-11-27";
  const form = (over: Record<string, string | string[] | undefined> = {}) => {
    const fd = new FormData();
    const values: Record<string, string | string[] | undefined> = {
      requestKey: "01900000-0000-7000-8000-000000000001",
      disclosingParty: "Harbor Light Recovery",
      information: ["attendance", "drug_tests"],
      recipient: "Officer Dana Reyes",
      recipientDesignation: "named",
      purposes: ["court_probation"],
      expiresOn: "2027-06-01",
      expiryEvent: "none",
      signedOn: "2026-11-20",
      signedBy: "patient",
      revocationExplained: "yes",
      ...over,
    };
    for (const [k, v] of Object.entries(values)) for (const x of Array.isArray(v) ? v : v === undefined ? [] : [v]) fd.append(k, x);
    return parseWithZod(fd, { schema: consentSchema(today) });
  };
  const errors = (s: ReturnType<typeof form>) => (s.status === "success" ? {} : s.error);

  it("accepts a complete consent, and 'all of the above' stands for every category but SUD counseling notes", () => {
    const s = form({ information: ["all", "attendance"] });
    expect(s.status).toBe("success");
    if (s.status === "success") expect(s.value.information).toEqual(INFORMATION_CODES.filter((c) => c !== "counseling_notes"));
  });

  it("takes SUD counseling notes only on a consent of their own (42 CFR § 2.31(b))", () => {
    const alone = form({ information: ["counseling_notes"] });
    expect(alone.status).toBe("success");
    const message =
      "SUD counseling notes need a consent of their own (42 CFR § 2.31(b)): a consent that names them may name nothing else. Record the other information on a separate consent.";
    expect(errors(form({ information: ["counseling_notes", "progress_notes"] }))).toMatchObject({ information: [message] });
    expect(errors(form({ information: ["all", "counseling_notes"] }))).toMatchObject({ information: [message] });
  });

  it("refuses an expiry on or before the signature, and a signature in the future", () => {
    expect(errors(form({ expiresOn: "2026-11-01" }))).toMatchObject({ expiresOn: ["The expiry date must be after the signature date (Nov 20, 2026)."] });
    expect(errors(form({ signedOn: "2026-11-28" }))).toMatchObject({ signedOn: ["The signature date cannot be in the future."] });
  });

  it("refuses a consent with no information, no purpose or no recipient", () => {
    expect(errors(form({ information: undefined }))).toMatchObject({ information: ["Choose the information the patient agrees to have disclosed."] });
    expect(errors(form({ purposes: undefined }))).toMatchObject({ purposes: ["Choose at least one purpose."] });
    expect(errors(form({ recipient: "" }))).toMatchObject({ recipient: ["Enter the recipient: the name of a person or organization."] });
  });

  it("needs an expiry date or event, the other purpose and event in words, the signer's name, and the revocation statement given", () => {
    expect(errors(form({ expiresOn: "" }))).toMatchObject({ expiresOn: ["Give an expiry date, an expiry event, or both."] });
    expect(form({ expiresOn: "", expiryEvent: "discharge" }).status).toBe("success");
    expect(errors(form({ expiryEvent: "other" }))).toMatchObject({ expiryEventText: ["Describe the event that ends the consent."] });
    expect(errors(form({ purposes: ["other"] }))).toMatchObject({ purposeOther: ["Describe the other purpose."] });
    expect(errors(form({ signedBy: "parent_guardian" }))).toMatchObject({ signerName: ["Enter the name of the person who signed for the patient."] });
    expect(errors(form({ revocationExplained: undefined }))).toMatchObject({
      revocationExplained: ["Tell the patient they may revoke this consent, then tick the box to record that you did."],
    });
  });

  it("allows a general designation of the recipient only on a TPO consent", () => {
    expect(form({ recipientDesignation: "general", recipient: "My treating providers", purposes: ["treatment", "payment"] }).status).toBe("success");
    expect(errors(form({ recipientDesignation: "general", recipient: "Probation" }))).toMatchObject({
      recipient: [expect.stringContaining("A general designation is allowed only")],
    });
  });

  it("dates a revocation no later than today, and asks why", () => {
    const fd = new FormData();
    fd.append("consentId", "c1");
    fd.append("version", "1");
    fd.append("revokedOn", "2026-11-28");
    const s = parseWithZod(fd, { schema: revokeSchema(today) });
    expect(s.status === "success" ? {} : s.error).toMatchObject({
      revokedOn: ["A revocation cannot be dated in the future."],
      revocationNote: ["Enter how and why the patient revoked it."],
    });
  });

  it("a disclosure needs information and, for another purpose, its description", () => {
    const fd = new FormData();
    fd.append("requestKey", "01900000-0000-7000-8000-000000000001");
    fd.append("recipient", "Officer Dana Reyes");
    fd.append("purpose", "other");
    fd.append("recordsFrom", "2026-09-01");
    const s = parseWithZod(fd, { schema: disclosureSchema(today) });
    expect(s.status === "success" ? {} : s.error).toMatchObject({
      information: ["Choose the information to disclose."],
      purposeDetail: ["Describe the purpose."],
    });
  });
});

/**
 * A refused form shows every problem in one answer: the checks across fields (admission before
 * birth, an end before its start, a missing member id for an insurer…) run together with each
 * field's own checks, not only once the basic fields are valid (issue 18). Each check reads the
 * other fields as they may be when they failed, and adds no second message to a failed field.
 */
import { describe, expect, it } from "vitest";
import { CredentialsSchema } from "~/features/admin/schemas";
import { ChangePasswordSchema } from "~/features/auth/schemas";
import { consentSchema, disclosureSchema } from "~/features/consents/schemas";
import { collectionSchema, ResultsSchema } from "~/features/drug-testing/schemas";
import { demographicsSchema, dischargeSchema, intakeSchema, matSchema } from "~/features/patients/schemas";

const TODAY = "2026-12-01";

type Parsed = { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } };
/** Every message, by field: a field with two messages shows both. */
const messages = (r: Parsed) => {
  const out: Record<string, string[]> = {};
  for (const i of r.error?.issues ?? []) (out[i.path.join(".")] ??= []).push(i.message);
  return out;
};

const intake = (over: Record<string, unknown> = {}) => ({
  legalFirstName: "Jane",
  legalLastName: "Doe",
  dateOfBirth: "1990-05-05",
  sex: "female",
  preferredLanguage: "English",
  primaryCounselorId: "counselor-1",
  payerType: "self_pay",
  detoxStatus: "not_needed",
  siteId: "site-1",
  referralSource: "self",
  admittedOn: "2026-11-20",
  levelOfCare: "IOP",
  initialStatus: "active",
  ...over,
});

describe("the intake form names field and cross-field problems in one answer", () => {
  const schema = intakeSchema(TODAY);

  it("an empty-ish form with an admission before birth: the missing fields and the order of the dates together", () => {
    const r = schema.safeParse(
      intake({ legalFirstName: "", legalLastName: "", sex: undefined, primaryCounselorId: "", dateOfBirth: "1990-05-05", admittedOn: "1989-01-01" }),
    );
    expect(messages(r)).toEqual({
      legalFirstName: ["Enter the legal first name."],
      legalLastName: ["Enter the legal last name."],
      sex: ["Choose the sex recorded for the patient."],
      primaryCounselorId: ["Choose the primary counselor."],
      admittedOn: ["The admission date is before the date of birth."],
    });
  });

  it("an insurer without a member id and detox completed without a date, beside a missing referral source and level", () => {
    const r = schema.safeParse(intake({ payerType: "medicaid", detoxStatus: "completed", referralSource: undefined, levelOfCare: "" }));
    expect(messages(r)).toEqual({
      referralSource: ["Choose the referral source."],
      levelOfCare: ["Choose the level of care: IOP, PHP or OP."],
      payerMemberId: ["Enter the member id: insurers deny claims without it."],
      detoxCompletedOn: ["Enter the date detox was completed."],
    });
  });

  it("a date that failed its own check gets no second message, and no order is judged from it", () => {
    expect(messages(schema.safeParse(intake({ dateOfBirth: "05/05/1990", admittedOn: "1989-01-01" })))).toEqual({
      dateOfBirth: ["Enter the date of birth as a real date (YYYY-MM-DD)."],
    });
    expect(messages(schema.safeParse(intake({ detoxStatus: "completed", detoxCompletedOn: "last week", legalLastName: "" })))).toEqual({
      legalLastName: ["Enter the legal last name."],
      detoxCompletedOn: ["Enter the detox completion date as a real date (YYYY-MM-DD)."],
    });
    // A member id too long is its own problem, not a missing one.
    expect(messages(schema.safeParse(intake({ payerType: "commercial", payerMemberId: "x".repeat(61), sex: "" })))).toEqual({
      sex: ["Choose the sex recorded for the patient."],
      payerMemberId: ["Member id is at most 60 characters."],
    });
  });

  it("a complete intake still passes, and the dates' order is still checked when everything else is valid", () => {
    expect(schema.safeParse(intake()).success).toBe(true);
    expect(messages(schema.safeParse(intake({ detoxStatus: "completed", detoxCompletedOn: "1980-01-01" })))).toEqual({
      detoxCompletedOn: ["Detox cannot be completed before birth."],
    });
  });

  it("the edit form (demographics) reports its cross-field problems with a missing name too", () => {
    const { siteId: _s, referralSource: _r, admittedOn: _a, levelOfCare: _l, initialStatus: _i, ...rest } = intake();
    const r = demographicsSchema(TODAY).safeParse({ ...rest, version: "3", legalFirstName: " ", payerType: "medicare" });
    expect(messages(r)).toEqual({
      legalFirstName: ["Enter the legal first name."],
      payerMemberId: ["Enter the member id: insurers deny claims without it."],
    });
  });
});

describe("other forms name field and cross-field problems in one answer", () => {
  it("discharge: a missing reason with a follow-up before the discharge date", () => {
    const r = dischargeSchema(TODAY).safeParse({ version: "2", dischargedOn: "2026-11-30", nextLevelOfCare: "OP", followUpOn: "2026-11-01" });
    expect(messages(r)).toEqual({
      reason: ["Choose the discharge reason."],
      followUpOn: ["The follow-up appointment is before the discharge date."],
    });
  });

  it("MAT: a missing dose with an end before the start", () => {
    const r = matSchema(TODAY).safeParse({
      intent: "add",
      medication: "buprenorphine",
      dose: "",
      schedule: "daily",
      prescriber: "Dr. Lee",
      setting: "office_based",
      startedOn: "2026-11-10",
      endedOn: "2026-11-01",
    });
    expect(messages(r)).toMatchObject({ dose: ["Enter the dose."], endedOn: ["The end date is before the start date."] });
  });

  it("consent: no purpose chosen, with an expiry before the signature and a representative not named", () => {
    const r = consentSchema(TODAY).safeParse({
      intent: "record",
      requestKey: "01900000-0000-7000-8000-000000000001",
      disclosingParty: "Harbor Light Recovery",
      information: ["attendance"],
      recipient: "Officer Dana Reyes",
      purposes: [],
      expiresOn: "2026-10-01",
      signedOn: "2026-11-20",
      signedBy: "representative",
      revocationExplained: "yes",
    });
    expect(messages(r)).toEqual({
      purposes: ["Choose at least one purpose."],
      expiresOn: ["The expiry date must be after the signature date (Nov 20, 2026)."],
      signerName: ["Enter the name of the person who signed for the patient."],
    });
  });

  it("consent: a missing signer is not also asked for the signer's name", () => {
    const r = consentSchema(TODAY).safeParse({
      requestKey: "01900000-0000-7000-8000-000000000001",
      disclosingParty: "Harbor Light Recovery",
      information: ["attendance"],
      recipient: "Officer Dana Reyes",
      purposes: ["court_probation"],
      expiryEvent: "other",
      signedOn: "2026-11-20",
      revocationExplained: "yes",
    });
    expect(messages(r)).toEqual({ signedBy: ["Say who signed."], expiryEventText: ["Describe the event that ends the consent."] });
  });

  it("disclosure: a missing recipient with an 'other' purpose not described", () => {
    const r = disclosureSchema(TODAY).safeParse({
      requestKey: "01900000-0000-7000-8000-000000000001",
      recipient: "",
      purpose: "other",
      information: ["attendance"],
      recordsFrom: "2026-11-01",
    });
    expect(Object.keys(messages(r)).sort()).toEqual(["purposeDetail", "recipient"]);
  });

  it("drug-test collection: a missing time with no panel and no urine temperature", () => {
    const r = collectionSchema(TODAY).safeParse({
      requestKey: "01900000-0000-7000-8000-000000000001",
      patientId: "p1",
      collection: "collected",
      date: TODAY,
      time: "",
      reason: "random",
      specimen: "urine",
      collectedBy: "u1",
    });
    expect(Object.keys(messages(r)).sort()).toEqual(["panelId", "temperatureF", "time"]);
  });

  it("drug-test results: a missing validity beside measurements that need the specific gravity; a failed figure decides nothing", () => {
    expect(Object.keys(messages(ResultsSchema.safeParse({ intent: "results", version: "1", creatinine: "12" }))).sort()).toEqual([
      "specificGravity",
      "validity",
    ]);
    expect(Object.keys(messages(ResultsSchema.safeParse({ intent: "results", version: "1", validity: "valid", creatinine: "lots", ph: "2" })))).toEqual([
      "creatinine",
    ]);
  });

  it("password change: a missing current password with new passwords that differ, and no mismatch when one is empty", () => {
    expect(
      messages(ChangePasswordSchema.safeParse({ currentPassword: "", newPassword: "a long new passphrase", confirmPassword: "a long new passphrasf" })),
    ).toEqual({
      currentPassword: ["Enter your current password."],
      confirmPassword: ["The two new passwords do not match."],
    });
    expect(messages(ChangePasswordSchema.safeParse({ currentPassword: "old", newPassword: "a long new passphrase", confirmPassword: "" }))).toEqual({
      confirmPassword: ["Type the new password again."],
    });
  });

  it("credentials: an out-of-date form with an intern who signs alone", () => {
    const r = CredentialsSchema.safeParse({ intent: "credentials", version: "x", credentials: ["INTERN"], signsIndependently: "yes" });
    expect(Object.keys(messages(r)).sort()).toEqual(["signsIndependently", "version"]);
  });
});

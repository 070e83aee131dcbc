import { describe, expect, it } from "vitest";
import type { z } from "zod";
import { ICD10_CODES, ICD10_PATTERN } from "~/features/patients/icd10-codes";
import { diagnosisCategory } from "~/features/patients/diagnosis-category";
import {
  DISCHARGE_REASONS,
  OPEN_STATUSES,
  STATUSES,
  STATUS_TRANSITIONS,
  ageOn,
  formatMrn,
  isAdolescent,
  matActive,
  patientFlags,
  searchName,
} from "~/features/patients/rules";
import {
  demographicsSchema,
  diagnosisSchema,
  dischargeSchema,
  endMatSchema,
  intakeSchema,
  levelChangeSchema,
  matSchema,
  readmitSchema,
  resolveDiagnosisSchema,
  statusChangeSchema,
} from "~/features/patients/schemas";

const TODAY = "2026-12-01";

/** The messages a form would show next to one field. */
function messagesAt(result: z.ZodSafeParseResult<unknown>, path: string): string[] {
  if (result.success) return [];
  return result.error.issues.filter((i) => i.path.join(".") === path).map((i) => i.message);
}

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

const demographics = (over: Record<string, unknown> = {}) => {
  const { siteId: _s, referralSource: _r, admittedOn: _a, levelOfCare: _l, initialStatus: _i, ...rest } = intake();
  return { ...rest, version: "3", ...over };
};

describe("ages and dates", () => {
  it("counts whole years, turning a year older on the birthday itself", () => {
    expect(ageOn("2000-12-01", TODAY)).toBe(26);
    expect(ageOn("2000-12-02", TODAY)).toBe(25);
    expect(ageOn("2000-11-30", TODAY)).toBe(26);
    expect(ageOn("2000-01-15", "2000-01-15")).toBe(0);
  });

  it("treats a 29 February birthday as not yet reached on 28 February", () => {
    expect(ageOn("2008-02-29", "2026-02-28")).toBe(17);
    expect(ageOn("2008-02-29", "2026-03-01")).toBe(18);
  });

  it("calls someone an adolescent until their eighteenth birthday", () => {
    expect(isAdolescent("2008-12-02", TODAY)).toBe(true);
    expect(isAdolescent("2008-12-01", TODAY)).toBe(false);
    expect(isAdolescent("1980-01-01", TODAY)).toBe(false);
  });
});

describe("names and MRNs", () => {
  it("makes search text lower-case, accent-free and single-spaced, with the preferred name last", () => {
    expect(searchName("José", "Núñez")).toBe("jose nunez");
    expect(searchName("  Mary  Ann ", "O'Connell", "Mo")).toBe("mary ann o'connell mo");
    expect(searchName("ZOË", "Brontë", null)).toBe("zoe bronte");
  });

  it("pads MRNs to six digits without cutting longer numbers", () => {
    expect(formatMrn(1001)).toBe("MRN-001001");
    expect(formatMrn(7)).toBe("MRN-000007");
    expect(formatMrn(1234567)).toBe("MRN-1234567");
  });
});

describe("status transitions", () => {
  it("moves referred to active, active and on hold back and forth, and nothing out of discharged", () => {
    expect(STATUS_TRANSITIONS).toEqual({ referred: ["active"], active: ["on_hold"], on_hold: ["active"], discharged: [] });
  });

  it("never reaches discharged (that is the discharge form) nor stays in place", () => {
    for (const from of STATUSES) {
      expect(STATUS_TRANSITIONS[from]).not.toContain("discharged");
      expect(STATUS_TRANSITIONS[from]).not.toContain(from);
    }
    expect(OPEN_STATUSES).toEqual(["referred", "active", "on_hold"]);
  });

  it("lists all seven TEDS discharge reasons", () => {
    expect(Object.keys(DISCHARGE_REASONS).sort()).toEqual(
      ["completed", "died", "discharged_by_program", "incarcerated", "left_before_completion", "other", "transferred"].sort(),
    );
  });
});

describe("ICD-10-CM codes", () => {
  it("accepts real code shapes and refuses malformed ones", () => {
    for (const ok of ["F11.20", "F32.A", "F29", "F10.239", "Z63.0", "F11.2000"]) expect(ICD10_PATTERN.test(ok), ok).toBe(true);
    for (const bad of ["F1120", "F11.", "f11.20", "F11.20000", "U07.1", "11.20", "F1", "F11.20 "]) expect(ICD10_PATTERN.test(bad), bad).toBe(false);
  });

  it("keeps a pick list of unique, well-formed codes from chapter F and the SUD Z and T codes, with descriptions", () => {
    const codes = ICD10_CODES.map((c) => c.code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const c of ICD10_CODES) {
      expect(ICD10_PATTERN.test(c.code), c.code).toBe(true);
      expect(/^[FZT]/.test(c.code), c.code).toBe(true);
      expect(c.description.trim().length, c.code).toBeGreaterThan(3);
      if (c.code.startsWith("F")) expect(diagnosisCategory(c.code), c.code).not.toBe("other");
    }
  });

  it("puts F10–F19 under substance use and the rest of chapter F under mental health", () => {
    expect(diagnosisCategory("F10.20")).toBe("substance");
    expect(diagnosisCategory("F19.24")).toBe("substance");
    expect(diagnosisCategory(" f11.20")).toBe("substance");
    expect(diagnosisCategory("F01.50")).toBe("mental_health");
    expect(diagnosisCategory("F09")).toBe("mental_health");
    expect(diagnosisCategory("F20.9")).toBe("mental_health");
    expect(diagnosisCategory("F41.1")).toBe("mental_health");
    expect(diagnosisCategory("F99")).toBe("mental_health");
    expect(diagnosisCategory("Z63.0")).toBe("other");
    expect(diagnosisCategory("G47.00")).toBe("other");
    expect(diagnosisCategory("F1")).toBe("other");
  });

  it("keeps nicotine, gambling and developmental disorders out of both halves of a dual diagnosis (NSDUH, DSM-5)", () => {
    expect(diagnosisCategory("F17.210")).toBe("nicotine");
    expect(diagnosisCategory("F17.290")).toBe("nicotine");
    expect(diagnosisCategory("F16.20")).toBe("substance");
    expect(diagnosisCategory("F18.20")).toBe("substance");
    expect(diagnosisCategory("F63.0")).toBe("behavioral_addiction");
    expect(diagnosisCategory("F63.81")).toBe("mental_health");
    expect(diagnosisCategory("F70")).toBe("developmental");
    expect(diagnosisCategory("F84.0")).toBe("developmental");
    expect(diagnosisCategory("F89")).toBe("developmental");
    expect(diagnosisCategory("F69")).toBe("mental_health");
    expect(diagnosisCategory("F90.2")).toBe("mental_health");
    expect(diagnosisCategory("T40.2X1A")).toBe("other");
  });
});

describe("patient flags", () => {
  const sud = (over: Partial<{ resolved_on: string | null; onset_on: string | null }> = {}) => ({ code: "F11.20", resolved_on: null, ...over });
  const mh = (over: Partial<{ resolved_on: string | null; onset_on: string | null }> = {}) => ({ code: "F41.1", resolved_on: null, ...over });

  it("shows Dual diagnosis only with an active substance-use and an active mental-health diagnosis", () => {
    expect(patientFlags({ diagnoses: [sud(), mh()], mat: [] }, TODAY).dualDiagnosis).toBe(true);
    expect(patientFlags({ diagnoses: [sud()], mat: [] }, TODAY).dualDiagnosis).toBe(false);
    expect(patientFlags({ diagnoses: [mh(), { code: "F32.1", resolved_on: null }], mat: [] }, TODAY).dualDiagnosis).toBe(false);
    expect(patientFlags({ diagnoses: [sud(), { code: "F10.20", resolved_on: null }], mat: [] }, TODAY).dualDiagnosis).toBe(false);
    expect(patientFlags({ diagnoses: [sud(), { code: "Z63.0", resolved_on: null }], mat: [] }, TODAY).dualDiagnosis).toBe(false);
  });

  it("does not make a dual diagnosis of nicotine with depression, alcohol with gambling, or opioids with autism", () => {
    const dx = (...codes: string[]) => patientFlags({ diagnoses: codes.map((code) => ({ code, resolved_on: null })), mat: [] }, TODAY).dualDiagnosis;
    expect(dx("F17.210", "F32.1")).toBe(false);
    expect(dx("F10.20", "F63.0")).toBe(false);
    expect(dx("F11.20", "F84.0")).toBe(false);
    expect(dx("F17.210", "F63.0")).toBe(false);
    // Nicotine beside a real SUD does not take the SUD away: opioids + nicotine + depression is dual.
    expect(dx("F11.20", "F17.210", "F32.1")).toBe(true);
    expect(dx("F10.20", "F63.0", "F41.1")).toBe(true);
  });

  it("drops Dual diagnosis from the day the mental-health diagnosis is resolved", () => {
    expect(patientFlags({ diagnoses: [sud(), mh({ resolved_on: "2026-12-02" })], mat: [] }, TODAY).dualDiagnosis).toBe(true);
    expect(patientFlags({ diagnoses: [sud(), mh({ resolved_on: TODAY })], mat: [] }, TODAY).dualDiagnosis).toBe(false);
    expect(patientFlags({ diagnoses: [sud({ resolved_on: "2026-11-01" }), mh()], mat: [] }, TODAY).dualDiagnosis).toBe(false);
  });

  it("ignores a diagnosis whose onset is still ahead", () => {
    expect(patientFlags({ diagnoses: [sud(), mh({ onset_on: "2026-12-02" })], mat: [] }, TODAY).dualDiagnosis).toBe(false);
    expect(patientFlags({ diagnoses: [sud(), mh({ onset_on: TODAY })], mat: [] }, TODAY).dualDiagnosis).toBe(true);
  });

  it("shows the MAT medication from its start through its last day, not before or after", () => {
    const ep = { medication: "buprenorphine_naloxone", started_on: "2026-11-01", ended_on: TODAY };
    expect(patientFlags({ diagnoses: [], mat: [ep] }, TODAY).mat).toMatch(/naloxone/i);
    expect(patientFlags({ diagnoses: [], mat: [ep] }, "2026-11-01").mat).toMatch(/naloxone/i);
    expect(patientFlags({ diagnoses: [], mat: [ep] }, "2026-10-31").mat).toBeNull();
    expect(patientFlags({ diagnoses: [], mat: [ep] }, "2026-12-02").mat).toBeNull();
    expect(patientFlags({ diagnoses: [], mat: [{ ...ep, ended_on: null }] }, "2030-01-01").mat).toMatch(/naloxone/i);
  });

  it("shows an unknown medication key as written", () => {
    expect(patientFlags({ diagnoses: [], mat: [{ medication: "ketamine", started_on: "2026-11-01", ended_on: null }] }, TODAY).mat).toBe("ketamine");
  });

  it("matActive includes both the start and the end date", () => {
    expect(matActive("2026-11-01", "2026-11-30", "2026-11-01")).toBe(true);
    expect(matActive("2026-11-01", "2026-11-30", "2026-11-30")).toBe(true);
    expect(matActive("2026-11-01", "2026-11-30", "2026-12-01")).toBe(false);
    expect(matActive("2026-11-01", null, "2026-10-31")).toBe(false);
  });
});

describe("intake form messages", () => {
  const schema = intakeSchema(TODAY);

  it("accepts a complete intake and drops empty optional fields", () => {
    const result = schema.safeParse(intake({ preferredName: "", email: "", phone: "  " }));
    expect(result.success).toBe(true);
    if (result.success) {
      expect(result.data.preferredName).toBeUndefined();
      expect(result.data.email).toBeUndefined();
      expect(result.data.phone).toBeUndefined();
      expect(result.data.legalFirstName).toBe("Jane");
    }
  });

  it("asks for the legal names when blank or only spaces, and caps their length", () => {
    const blank = schema.safeParse(intake({ legalFirstName: "   ", legalLastName: "" }));
    expect(messagesAt(blank, "legalFirstName")).toEqual(["Enter the legal first name."]);
    expect(messagesAt(blank, "legalLastName")).toEqual(["Enter the legal last name."]);
    const missing = schema.safeParse({ ...intake(), legalFirstName: undefined });
    expect(messagesAt(missing, "legalFirstName")).toEqual(["Enter the legal first name."]);
    const long = schema.safeParse(intake({ legalFirstName: "x".repeat(81) }));
    expect(messagesAt(long, "legalFirstName")).toEqual(["The legal first name is at most 80 characters."]);
  });

  it("refuses a birth date in the future", () => {
    expect(messagesAt(schema.safeParse(intake({ dateOfBirth: "2026-12-02", admittedOn: "2026-12-03" })), "dateOfBirth")).toContain(
      "The date of birth cannot be in the future.",
    );
  });

  it("refuses an implausible age at either end", () => {
    expect(messagesAt(schema.safeParse(intake({ dateOfBirth: "1915-01-01" })), "dateOfBirth")).toEqual([
      "Check the date of birth: that would make them over 110.",
    ]);
    expect(messagesAt(schema.safeParse(intake({ dateOfBirth: "2017-01-01" })), "dateOfBirth")).toEqual([
      "Check the date of birth: IOP patients are at least 10 years old.",
    ]);
    expect(schema.safeParse(intake({ dateOfBirth: "2016-12-01" })).success).toBe(true);
  });

  it("refuses a date of birth that is not a real date", () => {
    expect(messagesAt(schema.safeParse(intake({ dateOfBirth: "1990-02-30" })), "dateOfBirth")).toContain(
      "Enter the date of birth as a real date (YYYY-MM-DD).",
    );
    expect(messagesAt(schema.safeParse(intake({ dateOfBirth: "05/05/1990" })), "dateOfBirth")).toContain(
      "Enter the date of birth as a real date (YYYY-MM-DD).",
    );
  });

  it("refuses an admission before birth, or more than 60 days ahead", () => {
    expect(messagesAt(schema.safeParse(intake({ admittedOn: "1989-12-31" })), "admittedOn")).toEqual(["The admission date is before the date of birth."]);
    expect(messagesAt(schema.safeParse(intake({ admittedOn: "2027-01-31" })), "admittedOn")).toEqual(["An admission date can be at most 60 days ahead."]);
    expect(schema.safeParse(intake({ admittedOn: "2027-01-30" })).success).toBe(true);
  });

  it("requires the member id for commercial insurance, Medicaid and Medicare, not for self-pay", () => {
    for (const payerType of ["commercial", "medicaid", "medicare"]) {
      expect(messagesAt(schema.safeParse(intake({ payerType })), "payerMemberId"), payerType).toEqual([
        "Enter the member id: insurers deny claims without it.",
      ]);
      expect(schema.safeParse(intake({ payerType, payerMemberId: "MED123" })).success, payerType).toBe(true);
    }
    expect(schema.safeParse(intake({ payerType: "self_pay" })).success).toBe(true);
  });

  it("requires the detox completion date when detox is completed, not in the future nor before birth", () => {
    expect(messagesAt(schema.safeParse(intake({ detoxStatus: "completed" })), "detoxCompletedOn")).toEqual(["Enter the date detox was completed."]);
    expect(messagesAt(schema.safeParse(intake({ detoxStatus: "completed", detoxCompletedOn: "2026-12-02" })), "detoxCompletedOn")).toEqual([
      "Detox cannot be completed in the future.",
    ]);
    expect(messagesAt(schema.safeParse(intake({ detoxStatus: "completed", detoxCompletedOn: "1980-01-01" })), "detoxCompletedOn")).toEqual([
      "Detox cannot be completed before birth.",
    ]);
    expect(schema.safeParse(intake({ detoxStatus: "completed", detoxCompletedOn: "2026-11-15" })).success).toBe(true);
  });

  it("explains bad phone numbers and email addresses", () => {
    const r = schema.safeParse(intake({ phone: "call me", email: "jane@", emergencyContactPhone: "12" }));
    expect(messagesAt(r, "phone")).toEqual(["Phone can hold digits, spaces, +, ( ) and -, 7 to 25 characters."]);
    expect(messagesAt(r, "emergencyContactPhone")).toEqual(["Emergency contact phone can hold digits, spaces, +, ( ) and -, 7 to 25 characters."]);
    expect(messagesAt(r, "email")).toEqual(["Enter a valid email address, or leave it empty."]);
    expect(schema.safeParse(intake({ phone: "+1 (718) 555-0101", email: "jane@example.com" })).success).toBe(true);
  });

  it("asks for each choice it needs", () => {
    const r = schema.safeParse(
      intake({ sex: "", payerType: "cash", levelOfCare: "residential", initialStatus: "discharged", referralSource: undefined, siteId: "" }),
    );
    expect(messagesAt(r, "sex")).toEqual(["Choose the sex recorded for the patient."]);
    expect(messagesAt(r, "payerType")).toEqual(["Choose who pays."]);
    expect(messagesAt(r, "levelOfCare")).toEqual(["Choose the level of care: IOP, PHP or OP."]);
    expect(messagesAt(r, "initialStatus")).toEqual(["Choose whether they are referred or already active."]);
    expect(messagesAt(r, "referralSource")).toEqual(["Choose the referral source."]);
    expect(messagesAt(r, "siteId")).toEqual(["Choose the site."]);
  });

  it("only takes 'yes' as the duplicate confirmation", () => {
    expect(schema.safeParse(intake({ confirmDuplicate: "yes" })).success).toBe(true);
    expect(schema.safeParse(intake({ confirmDuplicate: "no" })).success).toBe(false);
  });

  it("refuses a Part 2 notice dated in the future", () => {
    expect(messagesAt(schema.safeParse(intake({ part2NoticeOn: "2026-12-02" })), "part2NoticeOn")).toEqual(["The notice date cannot be in the future."]);
  });
});

describe("demographics form messages", () => {
  const schema = demographicsSchema(TODAY);

  it("accepts an edit with its version as a number", () => {
    const r = schema.safeParse(demographics());
    expect(r.success).toBe(true);
    if (r.success) expect(r.data.version).toBe(3);
  });

  it("tells the user to reload when the version is missing or garbled", () => {
    expect(messagesAt(schema.safeParse(demographics({ version: "abc" })), "version")).toEqual(["The form is out of date; reload the page."]);
    expect(schema.safeParse(demographics({ version: "0" })).success).toBe(false);
  });

  it("applies the same birth date, member id and detox rules as intake", () => {
    expect(messagesAt(schema.safeParse(demographics({ dateOfBirth: "2027-01-01" })), "dateOfBirth")).toContain("The date of birth cannot be in the future.");
    expect(messagesAt(schema.safeParse(demographics({ payerType: "medicare" })), "payerMemberId")).toEqual([
      "Enter the member id: insurers deny claims without it.",
    ]);
    expect(messagesAt(schema.safeParse(demographics({ detoxStatus: "completed" })), "detoxCompletedOn")).toEqual(["Enter the date detox was completed."]);
  });
});

describe("person names on the enroll and edit forms", () => {
  const enroll = intakeSchema(TODAY);
  const edit = demographicsSchema(TODAY);
  const ALLOWED = "can hold only letters, spaces, hyphens, apostrophes and periods";

  it("accepts names in any script, with marks, spaces, hyphens, apostrophes and periods", () => {
    // "Nguye\u0302\u0303n" is "Nguyễn" typed as e + two combining marks (\p{M}); "O’Brien" has the typographic apostrophe.
    const names = ["Zoë", "José María", "O'Brien", "O’Brien", "Anne-Marie", "St. John", "Nguyễn", "Nguye\u0302\u0303n", "李小龙", "Мария", "محمد"];
    for (const name of names) {
      for (const schema of [enroll, edit]) {
        const input =
          schema === enroll
            ? intake({ legalFirstName: name, legalLastName: name, preferredName: name, emergencyContactName: name })
            : demographics({ legalFirstName: name, legalLastName: name, preferredName: name, emergencyContactName: name });
        const r = schema.safeParse(input);
        expect(r.success, `${name}: ${r.success ? "" : r.error.issues.map((i) => i.message).join(" ")}`).toBe(true);
      }
    }
  });

  it("stores the composed spelling, so a name typed with combining marks matches the same name typed whole", () => {
    const r = enroll.safeParse(intake({ legalLastName: "Nguye\u0302\u0303n", legalFirstName: "Zoe\u0308" }));
    expect(r.success && r.data.legalLastName).toBe("Nguy\u1ec5n");
    expect(r.success && r.data.legalFirstName).toBe("Zo\u00eb");
  });

  it("refuses emoji, markup and digits, naming the field, what is allowed and what to remove", () => {
    expect(messagesAt(enroll.safeParse(intake({ legalFirstName: "Zoë 😀" })), "legalFirstName")).toEqual([`Legal first name ${ALLOWED}: remove “😀”.`]);
    expect(messagesAt(enroll.safeParse(intake({ legalLastName: "<b>" })), "legalLastName")).toEqual([`Legal last name ${ALLOWED}: remove “<”, “>”.`]);
    // Digits are refused: the issue's list of what a name holds has none, and "Bob2" is a typo or a placeholder.
    expect(messagesAt(enroll.safeParse(intake({ preferredName: "Bob2" })), "preferredName")).toEqual([`Preferred name ${ALLOWED}: remove “2”.`]);
    expect(messagesAt(edit.safeParse(demographics({ emergencyContactName: "Mom ❤️" })), "emergencyContactName")).toEqual([
      `Emergency contact name ${ALLOWED}: remove “❤”, an invisible character (U+FE0F).`,
    ]);
    expect(messagesAt(edit.safeParse(demographics({ legalFirstName: "Zoë 😀" })), "legalFirstName")).toEqual([`Legal first name ${ALLOWED}: remove “😀”.`]);
    expect(messagesAt(edit.safeParse(demographics({ legalLastName: "Ann\tLee" })), "legalLastName")).toEqual([
      `Legal last name ${ALLOWED}: remove an invisible character (U+0009).`,
    ]);
  });

  it("asks for a letter when a name is only punctuation", () => {
    expect(messagesAt(enroll.safeParse(intake({ legalLastName: ".-'" })), "legalLastName")).toEqual(["Legal last name needs at least one letter."]);
  });
});

describe("level, status, discharge and re-admission form messages", () => {
  it("asks for a level, a reason and a date no later than today for a level change", () => {
    const schema = levelChangeSchema(TODAY);
    const ok = { intent: "change-level", version: "2", levelOfCare: "OP", effectiveOn: TODAY, reason: "Met IOP goals." };
    expect(schema.safeParse(ok).success).toBe(true);
    const r = schema.safeParse({ ...ok, levelOfCare: "ASAM 2.1", reason: " ", effectiveOn: "2027-01-01" });
    expect(messagesAt(r, "levelOfCare")).toEqual(["Choose the new level of care."]);
    expect(messagesAt(r, "reason")).toEqual(["Enter the clinical reason for the change."]);
    expect(messagesAt(r, "effectiveOn")).toEqual(["Record the change on the day it takes effect: the date cannot be in the future."]);
  });

  it("asks for a known status for a status change", () => {
    const schema = statusChangeSchema(TODAY);
    expect(schema.safeParse({ intent: "change-status", version: "1", status: "on_hold", effectiveOn: TODAY }).success).toBe(true);
    expect(messagesAt(schema.safeParse({ intent: "change-status", version: "1", status: "paused", effectiveOn: TODAY }), "status")).toEqual([
      "Choose the new status.",
    ]);
    expect(messagesAt(schema.safeParse({ intent: "change-status", version: "1", status: "on_hold", effectiveOn: "2099-01-01" }), "effectiveOn")).toEqual([
      "Record the change on the day it takes effect: the date cannot be in the future.",
    ]);
  });

  it("refuses a discharge in the future and a follow-up before the discharge", () => {
    const schema = dischargeSchema(TODAY);
    const ok = { version: "4", dischargedOn: "2026-11-30", reason: "completed", nextLevelOfCare: "OP", followUpOn: "2026-12-07" };
    const parsed = schema.safeParse(ok);
    expect(parsed.success).toBe(true);
    if (parsed.success) expect(parsed.data.mutualHelp).toEqual([]);
    expect(messagesAt(schema.safeParse({ ...ok, dischargedOn: "2026-12-02", followUpOn: undefined }), "dischargedOn")).toEqual([
      "The discharge date cannot be in the future.",
    ]);
    expect(messagesAt(schema.safeParse({ ...ok, followUpOn: "2026-11-29" }), "followUpOn")).toEqual([
      "The follow-up appointment is before the discharge date.",
    ]);
    expect(schema.safeParse({ ...ok, followUpOn: "2026-11-30" }).success).toBe(true);
  });

  it("asks for a TEDS reason and a next level on discharge, and only known mutual-help groups", () => {
    const schema = dischargeSchema(TODAY);
    const r = schema.safeParse({ version: "4", dischargedOn: TODAY, reason: "bored", nextLevelOfCare: "", mutualHelp: ["aa", "cult"] });
    expect(messagesAt(r, "reason")).toEqual(["Choose the discharge reason."]);
    expect(messagesAt(r, "nextLevelOfCare")).toEqual(["Choose the level of care recommended next."]);
    expect(r.success).toBe(false);
    if (!r.success) expect(r.error.issues.some((i) => i.path[0] === "mutualHelp")).toBe(true);
  });

  it("takes a re-admission with a date at most 60 days ahead", () => {
    const schema = readmitSchema(TODAY);
    const ok = { version: "5", admittedOn: TODAY, referralSource: "court", levelOfCare: "PHP", initialStatus: "referred" };
    expect(schema.safeParse(ok).success).toBe(true);
    expect(messagesAt(schema.safeParse({ ...ok, admittedOn: "2027-02-01" }), "admittedOn")).toEqual(["An admission date can be at most 60 days ahead."]);
  });
});

describe("diagnosis form messages", () => {
  const schema = diagnosisSchema(TODAY);

  it("takes the pick-list text and keeps only the code", () => {
    const r = schema.safeParse({ intent: "add", code: "F11.20 — Opioid dependence, uncomplicated" });
    expect(r.success).toBe(true);
    if (r.success) expect(r.data).toMatchObject({ code: "F11.20" });
  });

  it("takes a bare code typed in lower case, or without its dot", () => {
    const r = schema.safeParse({ intent: "add", code: "  f41.1 " });
    expect(r.success && r.data.code).toBe("F41.1");
    const undotted = schema.safeParse({ intent: "add", code: "f1120" });
    expect(undotted.success && undotted.data.code).toBe("F11.20");
  });

  it("takes no typed description: the official one is the server's to add", () => {
    const r = schema.safeParse({ intent: "add", code: "F41.1", description: "GAD, severe" });
    expect(r.success).toBe(true);
    expect(r.success && "description" in r.data).toBe(false);
  });

  it("explains a malformed code", () => {
    expect(messagesAt(schema.safeParse({ intent: "add", code: "F11.20000" }), "code")).toEqual([
      "That is not an ICD-10-CM code: a letter, two characters, then a dot and up to four more (like F11.20).",
    ]);
    expect(messagesAt(schema.safeParse({ intent: "add", code: "opioids" }), "code")).toEqual([
      "That is not an ICD-10-CM code: a letter, two characters, then a dot and up to four more (like F11.20).",
    ]);
  });

  it("asks for a code when none is given", () => {
    expect(messagesAt(schema.safeParse({ intent: "add", code: "  " }), "code")).toContain("Enter an ICD-10-CM code.");
    expect(messagesAt(schema.safeParse({ intent: "add" }), "code")).toContain("Enter an ICD-10-CM code.");
  });

  it("refuses an onset date in the future", () => {
    expect(messagesAt(schema.safeParse({ intent: "add", code: "F41.1", onsetOn: "2026-12-02" }), "onsetOn")).toEqual([
      "The onset date cannot be in the future.",
    ]);
  });

  it("refuses a resolved date in the future", () => {
    const r = resolveDiagnosisSchema(TODAY).safeParse({ intent: "resolve", diagnosisId: "d1", version: "1", resolvedOn: "2026-12-02" });
    expect(messagesAt(r, "resolvedOn")).toEqual(["The resolved date cannot be in the future."]);
  });
});

describe("MAT form messages", () => {
  const schema = matSchema(TODAY);
  const ok = {
    intent: "add",
    medication: "methadone",
    dose: "80 mg",
    schedule: "once daily, observed",
    prescriber: "Riverside OTP clinic",
    setting: "otp",
    startedOn: "2026-11-01",
  };

  it("accepts an open episode and one with an end date on or after the start", () => {
    expect(schema.safeParse(ok).success).toBe(true);
    expect(schema.safeParse({ ...ok, endedOn: "2026-11-01" }).success).toBe(true);
  });

  it("refuses an end date before the start date", () => {
    expect(messagesAt(schema.safeParse({ ...ok, endedOn: "2026-10-31" }), "endedOn")).toEqual(["The end date is before the start date."]);
  });

  it("asks for the dose, schedule, prescriber, medication and setting", () => {
    const r = schema.safeParse({ ...ok, dose: "", schedule: " ", prescriber: undefined, medication: "heroin", setting: "home" });
    expect(messagesAt(r, "dose")).toEqual(["Enter the dose."]);
    expect(messagesAt(r, "schedule")).toEqual(["Enter the schedule."]);
    expect(messagesAt(r, "prescriber")).toEqual(["Enter the prescriber."]);
    expect(messagesAt(r, "medication")).toEqual(["Choose the medication."]);
    expect(messagesAt(r, "setting")).toEqual(["Choose where it is prescribed and dispensed."]);
  });

  it("refuses a start or an end planned more than 30 days ahead", () => {
    expect(messagesAt(schema.safeParse({ ...ok, startedOn: "2027-01-01" }), "startedOn")).toEqual(["A start can be planned at most 30 days ahead."]);
    const end = endMatSchema(TODAY);
    expect(end.safeParse({ intent: "end", matId: "m1", version: "1", endedOn: "2026-12-31" }).success).toBe(true);
    expect(messagesAt(end.safeParse({ intent: "end", matId: "m1", version: "1", endedOn: "2027-01-01" }), "endedOn")).toEqual([
      "An end can be planned at most 30 days ahead.",
    ]);
  });
});

/**
 * Forms for patients, shared by the browser (instant messages) and the actions (the authority).
 * Date rules need "today" in the site's time zone, so the schemas are made for a given day.
 */
import { z } from "zod";
import {
  EVEN_WITH_FIELD_ERRORS,
  civilDate,
  keys,
  optionalDate,
  optionalPersonName,
  optionalText,
  personName,
  text,
  wellFormedDate,
} from "~/utils/form-schemas";
import { addDays, isCivilDate } from "~/kernel/time";
import { ICD10_PATTERN, normalizeIcd10 } from "./icd10-codes";
import {
  DETOX_STATUSES,
  DISCHARGE_REASONS,
  LEVELS_OF_CARE,
  MAT_MEDICATIONS,
  MAT_SETTINGS,
  MUTUAL_HELP_GROUPS,
  NEXT_LEVELS,
  PAYER_TYPES,
  REFERRAL_SOURCES,
  SEXES,
  STATUSES,
  ageOn,
} from "./rules";

const phone = (label: string) =>
  z
    .string()
    .trim()
    .optional()
    .transform((v) => (v ? v : undefined))
    .refine((v) => v === undefined || /^[+()0-9 .-]{7,25}$/.test(v), `${label} can hold digits, spaces, +, ( ) and -, 7 to 25 characters.`);

const version = z.coerce.number({ error: "The form is out of date; reload the page." }).int().min(1);

export function demographicsFields(today: string) {
  return {
    legalFirstName: personName("Legal first name", 80),
    legalLastName: personName("Legal last name", 80),
    preferredName: optionalPersonName("Preferred name", 80),
    // A date that is not one already has its message: the age checks judge real dates only.
    dateOfBirth: civilDate("the date of birth")
      .refine((d) => !isCivilDate(d) || d <= today, "The date of birth cannot be in the future.")
      .refine((d) => !isCivilDate(d) || ageOn(d, today) <= 110, "Check the date of birth: that would make them over 110.")
      .refine((d) => !isCivilDate(d) || ageOn(d, today) >= 10, "Check the date of birth: IOP patients are at least 10 years old."),
    sex: z.enum(keys(SEXES), { error: "Choose the sex recorded for the patient." }),
    genderIdentity: optionalText("Gender identity", 80),
    phone: phone("Phone"),
    email: z
      .string()
      .trim()
      .max(254)
      .optional()
      .transform((v) => (v ? v : undefined))
      .refine((v) => v === undefined || z.email().safeParse(v).success, "Enter a valid email address, or leave it empty."),
    address: optionalText("Address", 300),
    emergencyContactName: optionalPersonName("Emergency contact name", 120),
    emergencyContactRelationship: optionalText("Relationship", 60),
    emergencyContactPhone: phone("Emergency contact phone"),
    preferredLanguage: text("the preferred language", 40),
    primaryCounselorId: z.string({ error: "Choose the primary counselor." }).trim().min(1, "Choose the primary counselor.").max(64),
    payerType: z.enum(keys(PAYER_TYPES), { error: "Choose who pays." }),
    payerPlan: optionalText("Plan name", 120),
    payerMemberId: optionalText("Member id", 60),
    detoxStatus: z.enum(keys(DETOX_STATUSES), { error: "Say whether detox is needed before start." }),
    detoxCompletedOn: optionalDate("the detox completion date"),
    part2NoticeOn: optionalDate("the date of the Part 2 notice").refine((d) => !d || d <= today, "The notice date cannot be in the future."),
  };
}

/**
 * The demographics' cross-field checks. They run even when a field failed (`EVEN_WITH_FIELD_ERRORS`),
 * so every field is read as it may be: missing, or still the text the person typed.
 */
function checkDemographics(v: Record<string, unknown>, ctx: z.RefinementCtx, today: string) {
  const empty = (x: unknown) => x === undefined || x === null || x === "";
  if (["commercial", "medicaid", "medicare"].includes(v.payerType as string) && empty(v.payerMemberId)) {
    ctx.addIssue({ code: "custom", path: ["payerMemberId"], message: "Enter the member id: insurers deny claims without it." });
  }
  if (v.detoxStatus === "completed" && empty(v.detoxCompletedOn)) {
    ctx.addIssue({ code: "custom", path: ["detoxCompletedOn"], message: "Enter the date detox was completed." });
  }
  const detoxOn = wellFormedDate(v.detoxCompletedOn);
  const born = wellFormedDate(v.dateOfBirth);
  if (detoxOn && detoxOn > today) {
    ctx.addIssue({ code: "custom", path: ["detoxCompletedOn"], message: "Detox cannot be completed in the future." });
  } else if (detoxOn && born && detoxOn < born) {
    ctx.addIssue({ code: "custom", path: ["detoxCompletedOn"], message: "Detox cannot be completed before birth." });
  }
}

export function intakeSchema(today: string) {
  return z
    .object({
      ...demographicsFields(today),
      siteId: z.string({ error: "Choose the site." }).trim().min(1, "Choose the site.").max(64),
      referralSource: z.enum(keys(REFERRAL_SOURCES), { error: "Choose the referral source." }),
      admittedOn: civilDate("the admission date").refine((d) => d <= addDays(today, 60), "An admission date can be at most 60 days ahead."),
      levelOfCare: z.enum(LEVELS_OF_CARE, { error: "Choose the level of care: IOP, PHP or OP." }),
      initialStatus: z.enum(["referred", "active"], { error: "Choose whether they are referred or already active." }),
      trackId: z
        .string()
        .trim()
        .max(64)
        .optional()
        .transform((v) => (v ? v : undefined)),
      confirmDuplicate: z.literal("yes").optional(),
    })
    .superRefine((v: Record<string, unknown>, ctx) => {
      checkDemographics(v, ctx, today);
      const admitted = wellFormedDate(v.admittedOn);
      const born = wellFormedDate(v.dateOfBirth);
      if (admitted && born && admitted < born) {
        ctx.addIssue({ code: "custom", path: ["admittedOn"], message: "The admission date is before the date of birth." });
      }
    }, EVEN_WITH_FIELD_ERRORS);
}
export type IntakeInput = z.infer<ReturnType<typeof intakeSchema>>;

export function demographicsSchema(today: string) {
  return z
    .object({ ...demographicsFields(today), version })
    .superRefine((v: Record<string, unknown>, ctx) => checkDemographics(v, ctx, today), EVEN_WITH_FIELD_ERRORS);
}
export type DemographicsInput = z.infer<ReturnType<typeof demographicsSchema>>;

const reason = (label: string) => text(label, 500);
const NOT_AHEAD = "Record the change on the day it takes effect: the date cannot be in the future.";

export function levelChangeSchema(today: string) {
  return z.object({
    intent: z.literal("change-level"),
    version,
    levelOfCare: z.enum(LEVELS_OF_CARE, { error: "Choose the new level of care." }),
    // The chart's current level is what it says today, so a change is recorded when it happens.
    effectiveOn: civilDate("the date it takes effect").refine((d) => d <= today, NOT_AHEAD),
    reason: reason("the clinical reason for the change"),
  });
}

export function statusChangeSchema(today: string) {
  return z.object({
    intent: z.literal("change-status"),
    version,
    status: z.enum(STATUSES, { error: "Choose the new status." }),
    effectiveOn: civilDate("the date it takes effect").refine((d) => d <= today, NOT_AHEAD),
    reason: optionalText("The reason", 500),
  });
}

export function dischargeSchema(today: string) {
  return z
    .object({
      version,
      dischargedOn: civilDate("the discharge date").refine((d) => d <= today, "The discharge date cannot be in the future."),
      reason: z.enum(keys(DISCHARGE_REASONS), { error: "Choose the discharge reason." }),
      nextLevelOfCare: z.enum(keys(NEXT_LEVELS), { error: "Choose the level of care recommended next." }),
      stepDownProvider: optionalText("Step-down provider", 200),
      mutualHelp: z
        .array(z.enum(keys(MUTUAL_HELP_GROUPS)))
        .max(4)
        .optional()
        .default([]),
      alumniProgram: z.literal("yes").optional(),
      soberLivingReferral: z.literal("yes").optional(),
      followUpOn: optionalDate("the follow-up appointment date"),
      note: optionalText("The discharge note", 2000),
    })
    .superRefine((v: Record<string, unknown>, ctx) => {
      const followUp = wellFormedDate(v.followUpOn);
      const discharged = wellFormedDate(v.dischargedOn);
      if (followUp && discharged && followUp < discharged) {
        ctx.addIssue({ code: "custom", path: ["followUpOn"], message: "The follow-up appointment is before the discharge date." });
      }
    }, EVEN_WITH_FIELD_ERRORS);
}
export type DischargeInput = z.infer<ReturnType<typeof dischargeSchema>>;

export function readmitSchema(today: string) {
  return z.object({
    version,
    admittedOn: civilDate("the admission date").refine((d) => d <= addDays(today, 60), "An admission date can be at most 60 days ahead."),
    referralSource: z.enum(keys(REFERRAL_SOURCES), { error: "Choose the referral source." }),
    levelOfCare: z.enum(LEVELS_OF_CARE, { error: "Choose the level of care: IOP, PHP or OP." }),
    initialStatus: z.enum(["referred", "active"], { error: "Choose whether they are referred or already active." }),
  });
}

/**
 * Adding a diagnosis: the code (picked from the list, "F11.20 — Opioid dependence…", or typed).
 * The form checks its shape only; the server accepts a billable code on the clinic's ICD-10-CM
 * list and stores its official description (`lookupIcd10`), so no description is entered.
 */
export function diagnosisSchema(today: string) {
  return z.object({
    intent: z.literal("add"),
    code: z
      .string({ error: "Enter an ICD-10-CM code." })
      .trim()
      .transform(normalizeIcd10)
      .pipe(
        z
          .string()
          .min(1, "Enter an ICD-10-CM code.")
          .refine((c) => ICD10_PATTERN.test(c), "That is not an ICD-10-CM code: a letter, two characters, then a dot and up to four more (like F11.20)."),
      ),
    isPrimary: z.literal("yes").optional(),
    onsetOn: optionalDate("the onset date").refine((d) => !d || d <= today, "The onset date cannot be in the future."),
  });
}

export function resolveDiagnosisSchema(today: string) {
  return z.object({
    intent: z.literal("resolve"),
    diagnosisId: z.string().min(1).max(64),
    version,
    resolvedOn: civilDate("the date it resolved").refine((d) => d <= today, "The resolved date cannot be in the future."),
  });
}

export function matSchema(today: string) {
  return z
    .object({
      intent: z.literal("add"),
      medication: z.enum(keys(MAT_MEDICATIONS), { error: "Choose the medication." }),
      formulation: optionalText("The form", 80),
      dose: text("the dose", 60),
      schedule: text("the schedule", 80),
      prescriber: text("the prescriber", 120),
      setting: z.enum(keys(MAT_SETTINGS), { error: "Choose where it is prescribed and dispensed." }),
      startedOn: civilDate("the start date").refine((d) => d <= addDays(today, 30), "A start can be planned at most 30 days ahead."),
      endedOn: optionalDate("the end date"),
    })
    .superRefine((v: Record<string, unknown>, ctx) => {
      const ended = wellFormedDate(v.endedOn);
      const started = wellFormedDate(v.startedOn);
      if (ended && started && ended < started) {
        ctx.addIssue({ code: "custom", path: ["endedOn"], message: "The end date is before the start date." });
      }
    }, EVEN_WITH_FIELD_ERRORS);
}

export function endMatSchema(today: string) {
  return z.object({
    intent: z.literal("end"),
    matId: z.string().min(1).max(64),
    version,
    endedOn: civilDate("the end date").refine((d) => d <= addDays(today, 30), "An end can be planned at most 30 days ahead."),
    endReason: optionalText("The reason", 200),
  });
}

export type IntakeForm = z.input<ReturnType<typeof intakeSchema>>;
export type DemographicsForm = z.input<ReturnType<typeof demographicsSchema>>;
export type DischargeForm = z.input<ReturnType<typeof dischargeSchema>>;

/** What the discharge page can do, by the `intent` its forms send. */
export function dischargeActionSchema(today: string) {
  return z.discriminatedUnion("intent", [
    dischargeSchema(today).safeExtend({ intent: z.literal("discharge") }),
    readmitSchema(today).extend({ intent: z.literal("readmit") }),
  ]);
}

/** What the diagnoses page can do, by the `intent` its forms send. */
export function diagnosisActionSchema(today: string) {
  return z.discriminatedUnion("intent", [diagnosisSchema(today), resolveDiagnosisSchema(today)]);
}

/** What the MAT page can do, by the `intent` its forms send. */
export function matActionSchema(today: string) {
  return z.discriminatedUnion("intent", [matSchema(today), endMatSchema(today)]);
}

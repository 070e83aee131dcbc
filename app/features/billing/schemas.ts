/**
 * Forms of the coverage part of billing (issue 21): payers, a patient's coverages, authorizations
 * and Medicare certifications. One schema per form, shared by the page (checks on submit) and the
 * action (checks again); dates out of order are refused here, rules that need the database
 * (duplicate names, overlaps) in the repositories.
 */
import { z } from "zod";
import { LEVELS_OF_CARE } from "~/features/patients/rules";
import { EVEN_WITH_FIELD_ERRORS, civilDate, keys, optionalDate, optionalText, text, wellFormedDate } from "~/utils/form-schemas";
import { AUTHORIZATION_STATUSES, COVERAGE_PRIORITIES, PAYER_KINDS, RELATIONSHIPS, UNIT_KINDS } from "./rules";

const version = z.coerce.number({ error: "The form is out of date; reload the page." }).int().min(1);
const id = (label: string) =>
  z
    .string({ error: `Choose ${label}.` })
    .trim()
    .min(1, `Choose ${label}.`)
    .max(64);

export const payerFields = {
  name: text("the payer's name", 120),
  kind: z.enum(keys(PAYER_KINDS), { error: "Choose what kind of payer it is." }),
  payerCode: optionalText("The electronic payer id", 40).refine((v) => v === undefined || /^[A-Za-z0-9-]+$/.test(v), "Use letters, digits and hyphens only."),
  active: z.literal("yes").optional(),
};
export const CreatePayerSchema = z.object({ intent: z.literal("create-payer"), ...payerFields });
export const UpdatePayerSchema = z.object({ intent: z.literal("update-payer"), payerId: id("the payer"), version, ...payerFields });
export const PayerActionSchema = z.discriminatedUnion("intent", [CreatePayerSchema, UpdatePayerSchema]);

const from = (v: { effectiveFrom?: unknown; effectiveTo?: unknown }, ctx: z.RefinementCtx) => {
  const a = wellFormedDate(v.effectiveFrom);
  const b = wellFormedDate(v.effectiveTo);
  if (a && b && b < a) ctx.addIssue({ code: "custom", path: ["effectiveTo"], message: "The coverage cannot end before it starts." });
};

const coverageShape = {
  payerId: id("the payer"),
  memberId: text("the member id", 40),
  groupNumber: optionalText("The group number", 40),
  subscriberName: optionalText("The subscriber's name", 120),
  subscriberBirthDate: optionalDate("the subscriber's birth date"),
  relationship: z.enum(keys(RELATIONSHIPS), { error: "Choose the patient's relationship to the subscriber." }),
  priority: z.enum(keys(COVERAGE_PRIORITIES), { error: "Choose primary or secondary." }),
  effectiveFrom: civilDate("the date the coverage starts"),
  effectiveTo: optionalDate("the date the coverage ends"),
};
export const CreateCoverageSchema = z.object({ intent: z.literal("create-coverage"), ...coverageShape }).superRefine(from, EVEN_WITH_FIELD_ERRORS);
export const UpdateCoverageSchema = z
  .object({ intent: z.literal("update-coverage"), coverageId: id("the coverage"), version, ...coverageShape })
  .superRefine(from, EVEN_WITH_FIELD_ERRORS);

const span = (v: { startsOn?: unknown; endsOn?: unknown }, ctx: z.RefinementCtx) => {
  const a = wellFormedDate(v.startsOn);
  const b = wellFormedDate(v.endsOn);
  if (a && b && b < a) ctx.addIssue({ code: "custom", path: ["endsOn"], message: "The authorization cannot end before it starts." });
};

const authorizationShape = {
  coverageId: id("the coverage"),
  levelOfCare: z.enum(LEVELS_OF_CARE, { error: "Choose the level of care authorized." }),
  unitKind: z.enum(keys(UNIT_KINDS), { error: "Choose days, sessions or hours." }),
  unitsApproved: z.coerce
    .number({ error: "Enter how many units were approved." })
    .int("Enter a whole number of units.")
    .min(1, "Units approved must be at least 1.")
    .max(10000, "Units approved is at most 10,000."),
  startsOn: civilDate("the first day authorized"),
  endsOn: civilDate("the last day authorized"),
  status: z.enum(keys(AUTHORIZATION_STATUSES), { error: "Choose the status." }),
  number: optionalText("The authorization number", 40),
  nextReviewOn: optionalDate("the next concurrent-review date"),
};
export const CreateAuthorizationSchema = z
  .object({ intent: z.literal("create-authorization"), ...authorizationShape })
  .superRefine(span, EVEN_WITH_FIELD_ERRORS);
export const UpdateAuthorizationSchema = z
  .object({ intent: z.literal("update-authorization"), authorizationId: id("the authorization"), version, ...authorizationShape })
  .superRefine(span, EVEN_WITH_FIELD_ERRORS);

export const CreateCertificationSchema = z.object({
  intent: z.literal("create-certification"),
  coverageId: id("the Medicare coverage"),
  levelOfCare: z.enum(["IOP", "PHP"], { error: "Choose IOP or PHP." }),
  kind: z.enum(["initial", "recertification"], { error: "Choose initial certification or recertification." }),
  certifiedOn: civilDate("the date the physician signed"),
  physicianName: text("the physician's name", 120),
  physicianNpi: z
    .string({ error: "Enter the physician's NPI." })
    .trim()
    .regex(/^\d{10}$/, "An NPI is 10 digits."),
  hoursPerWeek: z.coerce
    .number({ error: "Enter the hours per week certified." })
    .int("Enter whole hours.")
    .min(1, "Enter the hours per week certified.")
    .max(80),
});

export const CoverageActionSchema = z.discriminatedUnion("intent", [
  CreateCoverageSchema,
  UpdateCoverageSchema,
  CreateAuthorizationSchema,
  UpdateAuthorizationSchema,
  CreateCertificationSchema,
]);

export const AUTHORIZATION_FILTERS = { all: "All", ending: "Ending within 7 days", exceeded: "Units exceeded", low: "3 units or fewer left" } as const;
export const AuthorizationListSchema = z.object({
  status: z.enum(keys(AUTHORIZATION_STATUSES)).optional().catch(undefined),
  show: z.enum(keys(AUTHORIZATION_FILTERS)).catch("all"),
  page: z.coerce.number().int().min(1).max(10000).catch(1),
});

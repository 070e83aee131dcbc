/**
 * Consent and disclosure forms, shared by the browser (instant messages) and the actions (the
 * authority). Date rules need "today" at the patient's site, so schemas are made for a given day.
 */
import { z } from "zod";
import { EVEN_WITH_FIELD_ERRORS, civilDate, keys, optionalDate, optionalText, text, wellFormedDate } from "~/utils/form-schemas";
import { isCivilDate, shortDate } from "~/kernel/time";
import {
  ALL_BUT_COUNSELING_NOTES,
  combinesCounselingNotes,
  COUNSELING_NOTES_ALONE,
  COUNSELING_NOTES_DISCLOSED_ALONE,
  EXPIRY_EVENTS,
  INFORMATION_CODES,
  type Information,
  isTpoOnly,
  type Purpose,
  PURPOSE_CODES,
  RECIPIENT_DESIGNATIONS,
  SIGNERS,
} from "./rules";

const version = z.coerce.number({ error: "The form is out of date; reload the page." }).int().min(1);
const requestKey = z.string({ error: "The form is out of date; reload the page." }).regex(/^[0-9a-f-]{36}$/, "The form is out of date; reload the page.");
const id = z.string({ error: "The form is out of date; reload the page." }).trim().min(1).max(64);

const empty = (x: unknown) => x === undefined || x === null || x === "";
/** The purposes chosen, when every one is on the list; undefined when the field failed. */
const wellFormedPurposes = (v: unknown): Purpose[] | undefined =>
  Array.isArray(v) && v.length > 0 && v.every((p) => (PURPOSE_CODES as unknown[]).includes(p)) ? (v as Purpose[]) : undefined;

/** "All of the above" is a convenience: it stands for every category but SUD counseling notes, which need a consent of their own. */
const informationChoice = (message: string) =>
  z
    .array(z.enum(["all", ...INFORMATION_CODES] as [Information | "all", ...(Information | "all")[]], { error: "Choose information from the list." }), {
      error: message,
    })
    .min(1, message)
    .transform((v): Information[] =>
      v.includes("all")
        ? [...ALL_BUT_COUNSELING_NOTES, ...INFORMATION_CODES.filter((c) => c === "counseling_notes" && v.includes(c))]
        : INFORMATION_CODES.filter((c) => v.includes(c)),
    );

export function consentSchema(today: string) {
  return z
    .object({
      requestKey,
      disclosingParty: text("who may disclose (the program)", 200),
      information: informationChoice("Choose the information the patient agrees to have disclosed."),
      recipient: text("the recipient: the name of a person or organization", 200),
      recipientDesignation: z.enum(keys(RECIPIENT_DESIGNATIONS), { error: "Say whether the recipient is named or a general designation." }).default("named"),
      purposes: z
        .array(z.enum(PURPOSE_CODES, { error: "Choose purposes from the list." }), { error: "Choose at least one purpose." })
        .min(1, "Choose at least one purpose."),
      purposeOther: optionalText("The other purpose", 200),
      expiresOn: optionalDate("the expiry date"),
      expiryEvent: z.enum(keys(EXPIRY_EVENTS), { error: "Choose the expiry event, or none." }).default("none"),
      expiryEventText: optionalText("The expiry event", 200),
      signedOn: civilDate("the date it was signed").refine((d) => !isCivilDate(d) || d <= today, "The signature date cannot be in the future."),
      signedBy: z.enum(keys(SIGNERS), { error: "Say who signed." }),
      signerName: optionalText("The signer's name", 120),
      revocationExplained: z.literal("yes", { error: "Tell the patient they may revoke this consent, then tick the box to record that you did." }),
      note: optionalText("The note", 500),
    })
    .superRefine((v: Record<string, unknown>, ctx) => {
      // Runs even when a field failed (every problem at once): each field is read as it may be.
      const purposes = wellFormedPurposes(v.purposes);
      if (purposes?.includes("other") && empty(v.purposeOther))
        ctx.addIssue({ code: "custom", path: ["purposeOther"], message: "Describe the other purpose." });
      if (v.recipientDesignation === "general" && purposes && !isTpoOnly(purposes)) {
        ctx.addIssue({
          code: "custom",
          path: ["recipient"],
          message: "A general designation is allowed only when every purpose is treatment, payment or health-care operations: name the person or organization.",
        });
      }
      if (Array.isArray(v.information) && combinesCounselingNotes(v.information as string[]))
        ctx.addIssue({ code: "custom", path: ["information"], message: COUNSELING_NOTES_ALONE });
      if (empty(v.expiresOn) && v.expiryEvent === "none")
        ctx.addIssue({ code: "custom", path: ["expiresOn"], message: "Give an expiry date, an expiry event, or both." });
      if (v.expiryEvent === "other" && empty(v.expiryEventText))
        ctx.addIssue({ code: "custom", path: ["expiryEventText"], message: "Describe the event that ends the consent." });
      const expiresOn = wellFormedDate(v.expiresOn);
      const signedOn = wellFormedDate(v.signedOn);
      if (expiresOn && signedOn && expiresOn <= signedOn) {
        ctx.addIssue({ code: "custom", path: ["expiresOn"], message: `The expiry date must be after the signature date (${shortDate(signedOn)}).` });
      }
      if (typeof v.signedBy === "string" && v.signedBy in SIGNERS && v.signedBy !== "patient" && empty(v.signerName))
        ctx.addIssue({ code: "custom", path: ["signerName"], message: "Enter the name of the person who signed for the patient." });
    }, EVEN_WITH_FIELD_ERRORS);
}
export type ConsentInput = z.infer<ReturnType<typeof consentSchema>>;

export function revokeSchema(today: string) {
  return z.object({
    consentId: id,
    version,
    revokedOn: civilDate("the date of the revocation").refine((d) => !isCivilDate(d) || d <= today, "A revocation cannot be dated in the future."),
    revocationNote: text("how and why the patient revoked it", 500),
  });
}
export type RevokeInput = z.infer<ReturnType<typeof revokeSchema>>;

export function markExpiredSchema(today: string) {
  return z.object({
    consentId: id,
    version,
    expiredOn: civilDate("the date the event happened").refine((d) => !isCivilDate(d) || d <= today, "The event cannot be dated in the future."),
    expiryNote: optionalText("The note", 500),
  });
}
export type MarkExpiredInput = z.infer<ReturnType<typeof markExpiredSchema>>;

export function disclosureSchema(today: string) {
  return z
    .object({
      requestKey,
      recipient: text("the recipient: the person or organization receiving the records", 200),
      purpose: z.enum(PURPOSE_CODES, { error: "Choose the purpose of the disclosure." }),
      purposeDetail: optionalText("The purpose's description", 200),
      information: z
        .array(z.enum(INFORMATION_CODES, { error: "Choose information from the list." }), { error: "Choose the information to disclose." })
        .min(1, "Choose the information to disclose.")
        .transform((v) => INFORMATION_CODES.filter((c) => v.includes(c))),
      recordsFrom: civilDate("the first day the records cover").refine((d) => !isCivilDate(d) || d <= today, "The records cannot start in the future."),
      note: optionalText("The note", 500),
    })
    .superRefine((v: Record<string, unknown>, ctx) => {
      if (v.purpose === "other" && empty(v.purposeDetail)) ctx.addIssue({ code: "custom", path: ["purposeDetail"], message: "Describe the purpose." });
      if (Array.isArray(v.information) && combinesCounselingNotes(v.information as string[]))
        ctx.addIssue({ code: "custom", path: ["information"], message: COUNSELING_NOTES_DISCLOSED_ALONE });
    }, EVEN_WITH_FIELD_ERRORS);
}
export type DisclosureInput = z.infer<ReturnType<typeof disclosureSchema>>;

/** What the consents page can do, by the `intent` its forms send. */
export function consentActionSchema(today: string) {
  return z.discriminatedUnion("intent", [
    consentSchema(today).safeExtend({ intent: z.literal("record") }),
    revokeSchema(today).extend({ intent: z.literal("revoke") }),
    markExpiredSchema(today).extend({ intent: z.literal("expire") }),
  ]);
}

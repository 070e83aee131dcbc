/**
 * 42 CFR Part 2 consent rules with no I/O: the vocabularies of a §2.31 consent, whether a consent
 * is active on a day, whether it covers a disclosure (recipient, purpose, information), which
 * consent a disclosure is made under — or, in words a counselor can act on, why none is — and
 * the three-year window of the accounting of disclosures (§2.25).
 *
 * Dates are civil `YYYY-MM-DD` strings at the patient's site. A consent "ends on" a day: a
 * revocation, an expiry date, a discharge or a marked expiry event makes it inactive from that
 * day on (not just after it), which errs on the side of the patient.
 */
import type { RecipientDesignation, Signer } from "#db/schema";
import { shortDate } from "~/kernel/time";

/** The stored vocabularies (db/schema.ts), with this module's labels keyed by them. */
export type { RecipientDesignation, Signer };

/** What a consent may let the program disclose (§2.31(a)(3)), in the order documents show it. */
export const INFORMATION = {
  attendance: "Attendance",
  drug_tests: "Drug-test results",
  level_of_care: "Level of care and dates of treatment",
  diagnoses: "Diagnoses",
  medications: "Medications (MAT)",
  discharge_summary: "Discharge summary",
  progress_notes: "Progress notes",
  counseling_notes: "SUD counseling notes",
} as const;
export type Information = keyof typeof INFORMATION;
export const INFORMATION_CODES = Object.keys(INFORMATION) as Information[];

/**
 * SUD counseling notes (42 CFR § 2.11) are disclosed only under a consent of their own: "a written
 * consent for use or disclosure of SUD counseling notes may only be combined with another written
 * consent for use or disclosure of SUD counseling notes", and a patient may not be required to give
 * it as a condition of treatment, payment, enrollment or eligibility for benefits (§ 2.31(b), as
 * amended by the 2024 final rule, 89 FR 12472). So "All of the above" never includes them, and a
 * consent or a disclosure that names them names nothing else.
 */
export const COUNSELING_NOTES: Information = "counseling_notes";
export const ALL_BUT_COUNSELING_NOTES = INFORMATION_CODES.filter((c) => c !== COUNSELING_NOTES);
export const combinesCounselingNotes = (information: readonly string[]) => information.includes(COUNSELING_NOTES) && information.length > 1;
export const COUNSELING_NOTES_ALONE =
  "SUD counseling notes need a consent of their own (42 CFR § 2.31(b)): a consent that names them may name nothing else. Record the other information on a separate consent.";
export const COUNSELING_NOTES_DISCLOSED_ALONE =
  "SUD counseling notes are disclosed on their own, under the consent that names them alone (42 CFR § 2.31(b)): disclose the other information separately.";

/** Why (§2.31(a)(5)). Treatment, payment and health-care operations together are a TPO consent. */
export const PURPOSES = {
  treatment: "Treatment",
  payment: "Payment",
  health_care_operations: "Health-care operations",
  court_probation: "Court, probation or parole",
  employer: "Employer or employee assistance program",
  family: "Family involvement in treatment",
  other: "Other (described)",
} as const;
export type Purpose = keyof typeof PURPOSES;
export const PURPOSE_CODES = Object.keys(PURPOSES) as Purpose[];
export const TPO_PURPOSES: Purpose[] = ["treatment", "payment", "health_care_operations"];
export const isTpoOnly = (purposes: readonly Purpose[]) => purposes.length > 0 && purposes.every((p) => TPO_PURPOSES.includes(p));

export const RECIPIENT_DESIGNATIONS = {
  named: "A named person or organization",
  general: "A general designation (TPO consents only)",
} as const satisfies Record<RecipientDesignation, unknown>;

export const SIGNERS = {
  patient: "The patient",
  parent_guardian: "Parent or guardian",
  representative: "Personal representative",
} as const satisfies Record<Signer, unknown>;

export const EXPIRY_EVENTS = {
  none: "No event (the expiry date ends it)",
  discharge: "On discharge from treatment",
  other: "Another event (described in words)",
} as const;
export type ExpiryEvent = keyof typeof EXPIRY_EVENTS;

/** What the form shows and the patient is told (§2.31(a)(6), (8), (9)). */
export const CONSENT_STATEMENTS = {
  revocation:
    "You may revoke this consent at any time, except to the extent that the program has already acted on it. Tell your counselor or the program in writing that you revoke it.",
  redisclosure: "Information disclosed under this consent may be redisclosed by its recipient and may then no longer be protected by 42 CFR part 2.",
  refusal: "Your treatment, payment, enrollment or eligibility for benefits will not depend on whether you sign this consent.",
} as const;

/** How a recipient's name is compared: case, spacing and trailing punctuation do not matter. */
export function recipientKey(name: string): string {
  return name
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[.,;:]+/g, " ")
    .replace(/\s+/g, " ")
    .trim();
}

export interface ConsentTerms {
  id: string;
  signedOn: string;
  recipient: string;
  recipientDesignation: RecipientDesignation;
  purposes: Purpose[];
  information: Information[];
  expiresOn: string | null;
  expiryEvent: "discharge" | "other" | null;
  revokedOn: string | null;
  expiredOn: string | null;
}

export type ConsentState =
  | { active: true; state: "active" }
  | { active: false; state: "not_signed_yet"; since: string; reason: string }
  | { active: false; state: "revoked" | "expired"; since: string; reason: string };

/** The first discharge on or after the signature: the day an "on discharge" consent ends. */
export function dischargeEnding(signedOn: string, dischargeDates: readonly (string | null)[]): string | null {
  const after = dischargeDates.filter((d): d is string => Boolean(d) && d! >= signedOn).sort();
  return after[0] ?? null;
}

/** Whether a consent is in force on `on`, and if not, since when and why. */
export function consentStateOn(c: ConsentTerms, on: string, dischargeDates: readonly (string | null)[]): ConsentState {
  if (on < c.signedOn) return { active: false, state: "not_signed_yet", since: c.signedOn, reason: `it was not signed until ${shortDate(c.signedOn)}` };
  const endings: { since: string; state: "revoked" | "expired"; reason: string }[] = [];
  // A revocation on the same day as an expiry is shown as the revocation: it was a decision.
  if (c.revokedOn) endings.push({ since: c.revokedOn, state: "revoked", reason: `it was revoked on ${shortDate(c.revokedOn)}` });
  if (c.expiresOn) endings.push({ since: c.expiresOn, state: "expired", reason: `it expired on ${shortDate(c.expiresOn)}` });
  if (c.expiryEvent === "discharge") {
    const d = dischargeEnding(c.signedOn, dischargeDates);
    if (d) endings.push({ since: d, state: "expired", reason: `it expired on discharge (${shortDate(d)})` });
  }
  if (c.expiredOn) endings.push({ since: c.expiredOn, state: "expired", reason: `its expiry event happened on ${shortDate(c.expiredOn)}` });
  const ended = endings.filter((e) => e.since <= on).sort((a, b) => (a.since < b.since ? -1 : a.since > b.since ? 1 : a.state === "revoked" ? -1 : 1));
  if (ended.length) return { active: false, ...ended[0] };
  return { active: true, state: "active" };
}

export interface DisclosureRequest {
  recipient: string;
  purpose: Purpose;
  information: Information[];
  on: string;
}

/** Does this consent's recipient include the disclosure's recipient? */
export function recipientCovered(c: Pick<ConsentTerms, "recipient" | "recipientDesignation" | "purposes">, recipient: string, purpose: Purpose): boolean {
  if (c.recipientDesignation === "general") return TPO_PURPOSES.includes(purpose) && isTpoOnly(c.purposes);
  return recipientKey(c.recipient) === recipientKey(recipient);
}

export const missingInformation = (c: Pick<ConsentTerms, "information">, wanted: readonly Information[]) => wanted.filter((i) => !c.information.includes(i));

export const listLabels = <K extends string>(labels: Record<K, string>, codes: readonly K[], lower = true) => {
  // An acronym ("SUD counseling notes") keeps its capitals.
  const words = codes.map((c) => (lower && !/^[A-Z]{2}/.test(labels[c]) ? labels[c][0].toLowerCase() + labels[c].slice(1) : labels[c]));
  return words.length <= 1 ? (words[0] ?? "") : `${words.slice(0, -1).join(", ")} and ${words[words.length - 1]}`;
};

export type ConsentChoice<C extends ConsentTerms> = { ok: true; consent: C } | { ok: false; message: string; field: "recipient" | "purpose" | "information" };

/**
 * The consent a disclosure is made under: active on the day, naming the recipient (or a general
 * TPO designation for a TPO purpose), for the purpose, covering every category asked for. A named
 * consent is preferred over a general designation, then the most recently signed. When none
 * qualifies, the message says what stands in the way, closest match first.
 */
export function chooseConsent<C extends ConsentTerms>(
  consents: readonly C[],
  req: DisclosureRequest,
  dischargeDates: readonly (string | null)[],
): ConsentChoice<C> {
  const recipient = req.recipient.trim();
  const purpose = PURPOSES[req.purpose][0].toLowerCase() + PURPOSES[req.purpose].slice(1);
  const forRecipient = consents.filter((c) => recipientCovered(c, recipient, req.purpose));
  const active = forRecipient.filter((c) => consentStateOn(c, req.on, dischargeDates).active);
  const byPreference = (a: C, b: C) =>
    a.recipientDesignation !== b.recipientDesignation
      ? a.recipientDesignation === "named"
        ? -1
        : 1
      : a.signedOn < b.signedOn
        ? 1
        : a.signedOn > b.signedOn
          ? -1
          : a.id < b.id
            ? 1
            : -1;
  const forPurpose = active.filter((c) => c.purposes.includes(req.purpose)).sort(byPreference);
  const full = forPurpose.find((c) => missingInformation(c, req.information).length === 0);
  if (full) return { ok: true, consent: full };
  if (forPurpose.length) {
    const best = forPurpose[0];
    const missing = missingInformation(best, req.information);
    return {
      ok: false,
      field: "information",
      message: `The consent signed ${shortDate(best.signedOn)} does not cover ${listLabels(INFORMATION, missing)}. Leave ${missing.length === 1 ? "it" : "them"} out, or record a consent that covers ${missing.length === 1 ? "it" : "them"}.`,
    };
  }
  const named = forRecipient.filter((c) => c.recipientDesignation === "named").sort(byPreference);
  const activeNamed = named.filter((c) => active.includes(c));
  if (activeNamed.length) {
    const best = activeNamed[0];
    return {
      ok: false,
      field: "purpose",
      message: `No active consent lets you disclose to ${recipient} for ${purpose}: the consent signed ${shortDate(best.signedOn)} covers ${listLabels(PURPOSES, best.purposes)} only.`,
    };
  }
  if (named.length) {
    const best = named[0];
    const state = consentStateOn(best, req.on, dischargeDates);
    const why = state.active ? "" : state.reason;
    return {
      ok: false,
      field: "recipient",
      message: `No active consent lets you disclose to ${recipient}: the consent signed ${shortDate(best.signedOn)} is no longer in force (${why}).`,
    };
  }
  return {
    ok: false,
    field: "recipient",
    message: `There is no consent on file to disclose to ${recipient} for ${purpose}. Record the patient's written consent first.`,
  };
}

/** The first day an accounting of disclosures covers: three years before `today` (§2.25). */
export function accountingFrom(today: string): string {
  const [y, m, d] = today.split("-").map(Number);
  const year = y - 3;
  // 29 February three years back is the 28th.
  const last = new Date(Date.UTC(year, m, 0)).getUTCDate();
  return `${String(year).padStart(4, "0")}-${String(m).padStart(2, "0")}-${String(Math.min(d, last)).padStart(2, "0")}`;
}

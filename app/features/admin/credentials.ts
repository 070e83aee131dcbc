/**
 * Staff credentials and clinical supervision: who may sign clinical documents (treatment plans,
 * assessments, notes) on their own, who needs a co-signature, and who may give one. Pure rules, no
 * I/O: the admin pages, and next the plans and notes, decide with these.
 *
 * Why a co-signature: an intern or pre-licensed trainee works under a licensed supervisor, who
 * reviews and signs their assessments, treatment plans and notes ("the supervisor ... should also
 * be the one signing notes", Antioch University supervision requirements,
 * https://sites.google.com/antioch.edu/aus-supervision-information/supervisors/Getting-started-Supervisors;
 * "student interns and associates are required to be under supervision",
 * https://www.thewholesoul.org/faqs/). Which licensed credentials may sign alone is each state's
 * and payer's rule, so the admin records it per person; the rules below only refuse what is never
 * right: a trainee or an uncredentialed person signing alone, and a supervisor who cannot.
 */

/** The credentials an admin chooses from: stored by code, shown by name. Order is the list's order. */
export const CREDENTIALS = [
  { code: "CADC", short: "CADC", name: "Certified Alcohol and Drug Counselor (CADC)" },
  { code: "LCADC", short: "LCADC", name: "Licensed Clinical Alcohol and Drug Counselor (LCADC)" },
  { code: "LCSW", short: "LCSW", name: "Licensed Clinical Social Worker (LCSW)" },
  { code: "LPC", short: "LPC", name: "Licensed Professional Counselor (LPC)" },
  { code: "LMFT", short: "LMFT", name: "Licensed Marriage and Family Therapist (LMFT)" },
  { code: "LMHC", short: "LMHC", name: "Licensed Mental Health Counselor (LMHC)" },
  { code: "PSYCHOLOGIST", short: "PhD/PsyD", name: "Psychologist (PhD/PsyD)" },
  { code: "MD", short: "MD", name: "Physician (MD)" },
  { code: "DO", short: "DO", name: "Physician (DO)" },
  { code: "NP", short: "NP", name: "Nurse practitioner (NP)" },
  { code: "PA", short: "PA", name: "Physician assistant (PA)" },
  { code: "RN", short: "RN", name: "Registered nurse (RN)" },
  { code: "LPN", short: "LPN", name: "Licensed practical nurse (LPN)" },
  { code: "CPRS", short: "CPRS", name: "Certified peer recovery specialist (CPRS)" },
  { code: "INTERN", short: "Intern/trainee", name: "Intern or trainee" },
  { code: "NONE", short: "No credential", name: "None" },
] as const;

export type CredentialCode = (typeof CREDENTIALS)[number]["code"];

export const CREDENTIAL_CODES = CREDENTIALS.map((c) => c.code) as [CredentialCode, ...CredentialCode[]];

const BY_CODE = new Map<string, (typeof CREDENTIALS)[number]>(CREDENTIALS.map((c) => [c.code, c]));

export function isCredentialCode(code: string): code is CredentialCode {
  return BY_CODE.has(code);
}

/** Codes as stored ("LCSW,CADC") to the list, in the list's order; unknown codes are dropped. */
export function parseCredentials(stored: string | null | undefined): CredentialCode[] {
  const codes = new Set((stored ?? "").split(",").map((c) => c.trim()));
  return CREDENTIAL_CODES.filter((c) => codes.has(c));
}

/** The list as stored: known codes, once each, in the list's order. */
export function storeCredentials(codes: readonly string[]): string {
  return parseCredentials(codes.join(",")).join(",");
}

/** What is shown beside a name: "LCSW, CADC"; "" when nothing is recorded or they hold none. */
export function credentialsShort(codes: readonly CredentialCode[]): string {
  return codes
    .filter((c) => c !== "NONE")
    .map((c) => BY_CODE.get(c)!.short)
    .join(", ");
}

export function credentialName(code: CredentialCode): string {
  return BY_CODE.get(code)!.name;
}

/** A person as the signing rules see them. */
export interface SigningPerson {
  id: string;
  active: boolean;
  credentials: readonly CredentialCode[];
  signsIndependently: boolean;
  clinicalSupervisor: boolean;
  siteIds: readonly string[];
}

/**
 * True when nothing they hold lets them sign alone: no credential recorded, "none", or an
 * intern/trainee (whatever else they hold, a trainee works under supervision).
 */
export function mayNeverSignAlone(credentials: readonly CredentialCode[]): boolean {
  return credentials.length === 0 || credentials.includes("NONE") || credentials.includes("INTERN");
}

/** Does a clinical document this person signs need a supervisor's co-signature too? */
export function needsCoSignature(person: Pick<SigningPerson, "credentials" | "signsIndependently">): boolean {
  return !person.signsIndependently || mayNeverSignAlone(person.credentials);
}

/**
 * Why `supervisor` may not co-sign what `author` wrote, or null when they may: a co-signer is a
 * clinical supervisor, active, able to sign alone, not the author, and works at a site the author
 * works at.
 */
export function coSignProblem(supervisor: SigningPerson, author: Pick<SigningPerson, "id" | "siteIds">): string | null {
  if (supervisor.id === author.id) return "No one can co-sign their own document.";
  if (!supervisor.active) return "That supervisor's account is deactivated.";
  if (!supervisor.clinicalSupervisor) return "Only a clinical supervisor can co-sign.";
  if (needsCoSignature(supervisor)) return "A co-signer must be able to sign clinical documents independently.";
  if (!supervisor.siteIds.some((s) => author.siteIds.includes(s))) return "A co-signer must work at one of the author's sites.";
  return null;
}

export function mayCoSign(supervisor: SigningPerson, author: Pick<SigningPerson, "id" | "siteIds">): boolean {
  return coSignProblem(supervisor, author) === null;
}

/** What an admin sets on an account. */
export interface CredentialsInput {
  credentials: readonly CredentialCode[];
  signsIndependently: boolean;
  clinicalSupervisor: boolean;
  usualSupervisorId: string | null;
}

/**
 * The refusals that need no database, by field: "none" beside a credential, a trainee or an
 * uncredentialed person set to sign alone, a supervisor who cannot sign alone, a usual supervisor
 * for someone who signs alone, or themselves as their own supervisor.
 */
export function credentialsProblems(personId: string, input: CredentialsInput): Record<string, string[]> {
  const problems: Record<string, string[]> = {};
  if (input.credentials.includes("NONE") && input.credentials.length > 1) {
    problems.credentials = ["“None” cannot be chosen together with a credential."];
  }
  if (input.signsIndependently && mayNeverSignAlone(input.credentials)) {
    problems.signsIndependently = [
      input.credentials.includes("INTERN")
        ? "An intern or trainee cannot sign clinical documents independently: their documents need a supervisor's co-signature."
        : "Someone without a credential cannot sign clinical documents independently: choose their credential first.",
    ];
  }
  if (input.clinicalSupervisor && (!input.signsIndependently || mayNeverSignAlone(input.credentials))) {
    problems.clinicalSupervisor = ["A clinical supervisor must be able to sign clinical documents independently."];
  }
  if (input.usualSupervisorId) {
    if (input.usualSupervisorId === personId) problems.usualSupervisorId = ["No one can be their own supervisor."];
    else if (input.signsIndependently) problems.usualSupervisorId = ["Only someone who needs a co-signature has a supervisor who co-signs for them."];
  }
  return problems;
}

/**
 * What billing staff see of a chart (issue 21, item 8): the patient as a claim names them
 * (legal name, date of birth, sex, address, phone), the payer on file, the program dates a claim
 * carries, and the diagnosis codes a claim needs — ICD-10-CM code and description, nothing else.
 * Never notes, plans, MAT, measure scores, ASAM or drug-test results: this module reads none of
 * those tables, so no view built from it can carry them.
 */
import { patientDetails } from "~/features/patients/patients.server";
import type { DB, Queryable } from "~/kernel/db";

export interface ClaimDiagnosis {
  code: string;
  description: string;
  /** The principal diagnosis goes first on a claim. */
  primary: boolean;
}

/** Patients per query: keeps each IN list well inside both databases' parameter limits. */
const CHUNK = 400;

/**
 * The diagnosis codes in effect (not resolved) for each patient, principal first then by code:
 * what a claim's diagnosis pointers list. A claim carries ICD-10-CM codes only, no narrative, in
 * priority order with the first-listed (principal) diagnosis first, up to 12 on a professional
 * claim (CMS-1500 02/12 item 21 / Medicare Claims Processing Manual ch. 26: "Enter the diagnoses
 * in priority order… Do not provide narrative description in this field", as quoted at
 * whatismedicalinsurancebilling.org/2017/01/how-many-diagnoses-can-be-reported-on.html).
 * Onset dates, categories and who recorded them stay behind "read:patient-clinical".
 */
export async function claimDiagnoses(db: Queryable, patientIds: readonly string[]): Promise<Map<string, ClaimDiagnosis[]>> {
  const out = new Map<string, ClaimDiagnosis[]>();
  for (let i = 0; i < patientIds.length; i += CHUNK) {
    const rows = await db
      .selectFrom("patient_diagnoses")
      .select(["patient_id", "code", "description", "is_primary"])
      .where("patient_id", "in", patientIds.slice(i, i + CHUNK))
      .where("resolved_on", "is", null)
      .orderBy("patient_id")
      .orderBy("is_primary", "desc")
      .orderBy("code")
      .execute();
    for (const r of rows) {
      const list = out.get(r.patient_id) ?? [];
      list.push({ code: r.code, description: r.description, primary: Number(r.is_primary) === 1 });
      out.set(r.patient_id, list);
    }
  }
  return out;
}

export interface BillingChartView {
  legalName: string;
  dateOfBirth: string;
  sex: string;
  address: string | null;
  phone: string | null;
  payerType: string;
  payerPlan: string | null;
  payerMemberId: string | null;
  diagnoses: ClaimDiagnosis[];
}

/** The billing overview of one patient at the reader's sites; null when there is none. */
export async function billingChart(db: DB, patientId: string, siteIds: string[]): Promise<BillingChartView | null> {
  const [details, diagnoses] = await Promise.all([patientDetails(db, patientId, siteIds), claimDiagnoses(db, [patientId])]);
  if (!details) return null;
  // Only the fields a claim needs leave this function: the rest of the details (emergency
  // contact, counselor, detox, gender identity) stays out of the page's data.
  return {
    legalName: `${details.legalFirstName} ${details.legalLastName}`,
    dateOfBirth: details.dateOfBirth,
    sex: details.sex,
    address: details.address,
    phone: details.phone,
    payerType: details.payerType,
    payerPlan: details.payerPlan,
    payerMemberId: details.payerMemberId,
    diagnoses: diagnoses.get(patientId) ?? [],
  };
}

/** Each list that names patients, by what a reader of the audit log would call it. */
export const PATIENT_LISTS = {
  caseload: "Patients (caseload)",
  search: "Patient search",
  home_worklist: "Home: needs attention",
  schedule_week: "Schedule: the week",
  schedule_day: "Schedule: today",
  session_roster: "Session roster",
  roll_call: "Roll call",
  drug_tests_day: "Drug tests of a day",
  drug_test_draw: "Random draw",
  collection_picker: "Record a collection: patient list",
  authorizations: "Authorizations at the site",
  charges: "Charge review",
} as const;
export type PatientListKind = keyof typeof PATIENT_LISTS;

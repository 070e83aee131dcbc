/**
 * Hand-written table definitions. Both dialects store the same shapes:
 * - ids are text (UUIDv7 made in the app),
 * - instants are UTC ISO-8601 text (`2026-11-27T14:05:00.000Z`), civil dates `YYYY-MM-DD`,
 * - booleans are integers 0/1 (SQLite has no boolean; PostgreSQL stores them the same way here),
 * - JSON is text.
 */
import type { Generated, Insertable, Selectable, Updateable } from "kysely";

export type Role = "admin" | "counselor" | "staff" | "billing";

/*
 * The vocabularies of the enum-like columns. The database stores them as text; these unions say
 * which values the app writes, and each feature's rules module re-exports its own (with labels).
 */
/** How far a session is through sign-in: "verify" and "enrol" still owe a second factor. */
export type SecondFactorStage = "done" | "verify" | "enrol";
export type AmendmentStatus = "pending" | "accepted" | "denied";
export type PatientStatus = "referred" | "active" | "on_hold" | "discharged";
export type LevelOfCare = "IOP" | "PHP" | "OP";
export type MatMedication =
  "buprenorphine" | "buprenorphine_naloxone" | "buprenorphine_xr" | "methadone" | "naltrexone_oral" | "naltrexone_xr" | "acamprosate" | "disulfiram" | "other";
export type GroupKind = "process" | "psychoeducation" | "relapse_prevention" | "coping_skills" | "family" | "life_skills" | "mat_education" | "other";
export type AppointmentKind = "individual" | "family";
export type SessionKind = "group" | AppointmentKind;
export type SessionStatus = "scheduled" | "cancelled";
export type Modality = "in_person" | "telehealth" | "hybrid";
export type Approach = "cbt" | "dbt" | "motivational_interviewing" | "trauma_focused" | "other";
export type AttendanceStatus = "present" | "late" | "left_early" | "absent_excused" | "absent_unexcused";
export type AttendanceMode = "in_person" | "telehealth";
export type Specimen = "urine" | "oral_fluid" | "breath" | "blood";
export type DrawPool = "attending" | "all_active";
export type DrawMode = "rate" | "number";
export type Collection = "collected" | "refused" | "no_show";
export type TestReason = "random" | "scheduled" | "for_cause" | "intake";
export type Validity = "valid" | "dilute" | "substituted" | "adulterated" | "invalid";
export type Outcome = "pending" | "negative" | "positive" | "invalid" | "refused" | "no_show";
export type Presumptive = "negative" | "positive";
export type Confirmation = "confirmed_positive" | "confirmed_negative";
export type Reading = "pending" | "expected_negative" | "expected_positive" | "unexpected_positive" | "unexpected_negative";
export type FindingKind =
  | "unexpected_positive"
  | "unexpected_negative"
  | "adulterated"
  | "substituted"
  | "invalid"
  | "temperature"
  | "dilute_negative"
  | "dilute_negative_observed"
  | "refused"
  | "no_show";
export type AlertStatus = "open" | "acknowledged" | "withdrawn";
export type RecipientDesignation = "named" | "general";
export type Signer = "patient" | "parent_guardian" | "representative";
export type ExpiryEvent = "discharge" | "other";
export type PayerKind = "commercial" | "medicaid" | "medicare" | "self_pay" | "grant";
export type CoveragePriority = "primary" | "secondary";
export type SubscriberRelationship = "self" | "spouse" | "child" | "other";
export type UnitKind = "days" | "sessions" | "hours";
export type AuthorizationStatus = "requested" | "approved" | "denied" | "expired";
export type CertificationKind = "initial" | "recertification";
export type ClaimType = "professional" | "institutional";
export type ChargeStatus = "ready" | "held" | "exported" | "paid" | "denied" | "void";
export type ClaimStatus = "sent" | "paid" | "partly_paid" | "denied" | "replaced" | "voided";
export type RemittanceOutcome = "paid" | "adjusted" | "denied";

export interface SitesTable {
  id: string;
  name: string;
  /** IANA time zone; every week and day at this site is computed in it. */
  time_zone: string;
  /** Postal address, lines separated by newlines as typed; shown with its line breaks. */
  address: Generated<string | null>;
  created_at: string;
  updated_at: Generated<string | null>;
  version: Generated<number>;
}

export interface UsersTable {
  id: string;
  /** Always stored lower-cased. */
  email: string;
  name: string;
  role: Role;
  password_hash: string;
  /** 1 when the password was set by an admin and must be replaced at next sign-in. */
  must_change_password: number;
  active: number;
  last_sign_in_at: string | null;
  created_at: string;
  updated_at: string;
  /** Optimistic-concurrency counter: an edit names the version it started from. */
  version: Generated<number>;
  /** Base32 TOTP key; set when set-up starts, in force once totp_enabled_at is set. */
  totp_secret: Generated<string | null>;
  totp_enabled_at: Generated<string | null>;
  /** The 30-second step of the last code accepted: no code at or before it is accepted again. */
  totp_last_counter: Generated<number | string | null>;
  /** 1 when an admin has named this person as one who may break the glass. */
  emergency_access: Generated<number>;
  /** Credential codes (app/features/admin/credentials.ts), comma-separated; "" until recorded. */
  credentials: Generated<string>;
  /** 1 when they may sign clinical documents without a co-signature. */
  signs_independently: Generated<number>;
  /** 1 when they are a clinical supervisor who may co-sign for others. */
  clinical_supervisor: Generated<number>;
  /** The supervisor who normally co-signs for them, when they need one. */
  usual_supervisor_id: Generated<string | null>;
}

/** A patient's request to amend their record, and the program's decision (HIPAA 164.526). */
export interface AmendmentRequestsTable {
  id: string;
  patient_id: string;
  requested_on: string;
  section: string;
  request: string;
  /** pending, accepted or denied */
  status: AmendmentStatus;
  decided_on: string | null;
  decided_by: string | null;
  decision_note: string | null;
  disagreement: string | null;
  disagreement_on: string | null;
  recorded_by: string;
  created_at: string;
  updated_at: string;
  version: Generated<number>;
}

export interface RecoveryCodesTable {
  id: string;
  user_id: string;
  /** Hex SHA-256 of the code; the code itself is shown once and never stored. */
  code_hash: string;
  used_at: string | null;
  created_at: string;
}

export interface ProgramSettingsTable {
  key: string;
  value: string;
  updated_at: string;
  updated_by: string | null;
  version: Generated<number>;
}

/** A setting one site chose for itself (today: `two_factor_required_for`); a site without a row follows `program_settings`. */
export interface SiteSettingsTable {
  site_id: string;
  key: string;
  value: string;
  updated_at: string;
  updated_by: string | null;
  version: Generated<number>;
}

/** One emergency ("break the glass") access: who, to which chart, why, and for how long. */
export interface EmergencyAccessTable {
  id: string;
  user_id: string;
  patient_id: string;
  site_id: string;
  reason: string;
  started_at: string;
  expires_at: string;
}

export interface UserSitesTable {
  user_id: string;
  site_id: string;
}

export interface UserSessionsTable {
  /** Public half of the token `<id>.<secret>`. */
  id: string;
  user_id: string;
  /** Hex SHA-256 of the secret half; the secret itself is never stored. */
  secret_hash: string;
  /** The site the user is working at in this session. */
  site_id: string | null;
  created_at: string;
  last_active_at: string;
  /** Absolute end of the session, whatever the activity. */
  expires_at: string;
  ip: string | null;
  user_agent: string | null;
  /** "done", or the second factor still owed: "verify" (a code) or "enrol" (set it up first). */
  second_factor: Generated<SecondFactorStage>;
}

/** Failed sign-in counters, per email and per client address, so locking reveals nothing. */
export interface SignInThrottleTable {
  key: string;
  failures: number;
  window_started_at: string;
  locked_until: string | null;
}

export interface AuditEventsTable {
  id: string;
  /** Position in the hash chain, 1-based, no gaps. */
  seq: number;
  occurred_at: string;
  user_id: string | null;
  /** Denormalised so the log stays readable if a user is renamed. */
  user_name: string | null;
  action: string;
  outcome: "success" | "failure" | "denied";
  entity_type: string | null;
  entity_id: string | null;
  patient_id: string | null;
  site_id: string | null;
  /** JSON: `{ before?: {...}, after?: {...}, detail?: {...} }`. */
  changes: string | null;
  ip: string | null;
  user_agent: string | null;
  prev_hash: string;
  /** HMAC-SHA256 under the audit key `key_id` names; plain SHA-256 for rows written before keying. */
  hash: string;
  /** The audit key the hash was made with (migration 2026-12-06-15); null on older rows. */
  key_id: string | null;
}

/** One row (id = 1) holding the chain's head; writers lock it to append in order. */
export interface AuditChainHeadTable {
  id: number;
  seq: number;
  hash: string;
}

export interface MrnCounterTable {
  id: number;
  last_value: number;
}

export interface PatientsTable {
  id: string;
  /** Medical record number, unique across the organisation. */
  mrn: string;
  site_id: string;
  legal_first_name: string;
  legal_last_name: string;
  preferred_name: string | null;
  date_of_birth: string;
  sex: string;
  gender_identity: string | null;
  phone: string | null;
  email: string | null;
  address: string | null;
  emergency_contact_name: string | null;
  emergency_contact_relationship: string | null;
  emergency_contact_phone: string | null;
  preferred_language: string;
  primary_counselor_id: string | null;
  /** The track the patient belongs to now (history in patient_tracks). */
  track_id: string | null;
  payer_type: string;
  payer_plan: string | null;
  payer_member_id: string | null;
  detox_status: string;
  detox_completed_on: string | null;
  /** When the patient was given the 42 CFR Part 2 notice of confidentiality (§2.22). */
  part2_notice_on: string | null;
  status: PatientStatus;
  level_of_care: LevelOfCare;
  level_since: string;
  current_episode_id: string | null;
  /** Lower-cased "first last preferred" for search and duplicate checks. */
  search_name: string;
  created_at: string;
  updated_at: string;
  version: Generated<number>;
}

export interface PatientEpisodesTable {
  id: string;
  patient_id: string;
  episode_number: number;
  referral_source: string;
  admitted_on: string;
  discharged_on: string | null;
  discharge_reason: string | null;
  next_level_of_care: string | null;
  /** JSON: step-down provider, mutual-help groups, alumni, sober living, follow-up date. */
  aftercare: string | null;
  discharge_note: string | null;
  created_at: string;
}

export interface PatientStatusChangesTable {
  id: string;
  patient_id: string;
  episode_id: string;
  status: PatientStatus;
  effective_on: string;
  reason: string | null;
  changed_by: string | null;
  created_at: string;
}

export interface LevelOfCareChangesTable {
  id: string;
  patient_id: string;
  episode_id: string;
  level_of_care: LevelOfCare;
  effective_on: string;
  reason: string;
  changed_by: string | null;
  created_at: string;
}

export interface PatientDiagnosesTable {
  id: string;
  patient_id: string;
  code: string;
  description: string;
  category: string;
  is_primary: number;
  onset_on: string | null;
  resolved_on: string | null;
  created_by: string | null;
  created_at: string;
  updated_at: string;
  version: Generated<number>;
}

export interface MatEpisodesTable {
  id: string;
  patient_id: string;
  medication: MatMedication;
  formulation: string | null;
  dose: string;
  schedule: string;
  prescriber: string;
  setting: string;
  started_on: string;
  ended_on: string | null;
  end_reason: string | null;
  created_by: string | null;
  created_at: string;
  updated_at: string;
  version: Generated<number>;
}

export interface TracksTable {
  id: string;
  site_id: string;
  name: string;
  level_of_care: LevelOfCare;
  /** JSON array of weekdays, "mon" … "sun". */
  days: string;
  /** Local wall-clock "HH:MM" in the site's time zone. */
  start_time: string;
  end_time: string;
  active: number;
  created_at: string;
  updated_at: string;
  version: Generated<number>;
}

export interface RoomsTable {
  id: string;
  site_id: string;
  name: string;
  capacity: number;
  active: number;
  created_at: string;
  updated_at: string;
  version: Generated<number>;
}

export interface GroupSeriesTable {
  id: string;
  site_id: string;
  track_id: string | null;
  title: string;
  /** A group's kind, or for a patient's recurring session its appointment kind. */
  kind: GroupKind | AppointmentKind;
  facilitator_id: string;
  co_facilitator_id: string | null;
  room_id: string | null;
  modality: Modality;
  capacity: number;
  /** JSON array of weekdays; times are the site's local "HH:MM". */
  days: string;
  start_time: string;
  end_time: string;
  starts_on: string;
  ends_on: string | null;
  /** 1 when the track's patients are enrolled automatically. */
  auto_enroll: number;
  /** "group", or "individual"/"family" for a patient's recurring session. */
  session_kind: Generated<SessionKind>;
  patient_id: string | null;
  approach: Approach | null;
  /** JSON [{name, relationship}] for family sessions. */
  family_members: string | null;
  created_at: string;
  updated_at: string;
  version: Generated<number>;
}

export interface SessionsTable {
  id: string;
  site_id: string;
  series_id: string | null;
  /** "group", "individual" or "family". */
  kind: SessionKind;
  /** Copied from the series; read through a label map that shows an unknown value as it is. */
  group_kind: string | null;
  title: string;
  track_id: string | null;
  facilitator_id: string;
  co_facilitator_id: string | null;
  room_id: string | null;
  modality: Modality;
  capacity: number;
  /** The civil date at the site. */
  local_date: string;
  starts_at: string;
  ends_at: string;
  status: SessionStatus;
  cancel_reason: string | null;
  /** The patient an individual or family session is for. */
  patient_id: string | null;
  approach: string | null;
  family_members: string | null;
  created_at: string;
  updated_at: string;
  version: Generated<number>;
}

export interface PatientTracksTable {
  id: string;
  patient_id: string;
  track_id: string;
  starts_on: string;
  /** Inclusive: the last day in the track (the day before a move, or the discharge date); null while current. */
  ends_on: string | null;
  end_reason: string | null;
  created_by: string | null;
  created_at: string;
}

export interface SessionParticipantsTable {
  id: string;
  session_id: string;
  patient_id: string;
  /** "track", "added", "booked", or "removed" when taken off by hand. */
  source: string;
  joined_at: string;
  left_at: string | null;
  left_reason: string | null;
}

export interface CalendarFeedsTable {
  id: string;
  user_id: string;
  secret_hash: string;
  created_at: string;
  revoked_at: string | null;
  last_used_at: string | null;
}

export interface RollCallsTable {
  session_id: string;
  taken_by: string;
  taken_at: string;
  updated_by: string;
  updated_at: string;
  corrections: Generated<number>;
  version: Generated<number>;
}

export interface AttendanceTable {
  id: string;
  session_id: string;
  patient_id: string;
  /** present, late, left_early, absent_excused, absent_unexcused */
  status: AttendanceStatus;
  /** in_person or telehealth */
  mode: AttendanceMode;
  minutes: number;
  note: string | null;
  /** The session's civil date at the site (copied for per-day and per-week sums). */
  local_date: string;
  starts_at: string;
  recorded_by: string;
  recorded_at: string;
}

/**
 * Kept figures (rule 11): a session's marks on one civil date counted by outcome, rewritten by the
 * roll-call save in its transaction; `rebuildSessionTallies` recomputes them from the marks.
 */
export interface SessionTalliesTable {
  session_id: string;
  local_date: string;
  marks: number;
  /** present, late or left early */
  attended: number;
  excused: number;
  unexcused: number;
}

/** An admin-defined set of analytes run on one kind of specimen. */
export interface DrugTestPanelsTable {
  id: string;
  /**
   * The site whose panel this is (each site keeps its own). Null: the network's starting set, never
   * shown or changed in the app; a site with no panels yet gets a copy of it.
   */
  site_id: string | null;
  name: string;
  /** urine, oral_fluid, breath or blood */
  specimen: Specimen;
  /** JSON array of analyte codes (see app/features/drug-testing/rules.ts), in display order. */
  analytes: string;
  active: number;
  created_at: string;
  updated_at: string;
  version: Generated<number>;
}

/** A random draw: re-running `algorithm` on `seed`, `eligible` and the count gives `selected`. */
export interface DrugTestDrawsTable {
  id: string;
  site_id: string;
  draw_date: string;
  /** 1 for the day's first draw; later draws need a reason. */
  sequence: number;
  /** attending or all_active */
  pool: DrawPool;
  /** rate (percent, rounded up) or number */
  mode: DrawMode;
  amount: number;
  /** 32 random bytes, hex. */
  seed: string;
  algorithm: string;
  /** JSON array of patient ids, sorted ascending. */
  eligible: string;
  /** JSON array of patient ids in the order drawn. */
  selected: string;
  reason: string | null;
  drawn_by: string;
  drawn_at: string;
}

/** One collection (or a refusal or no-show) and its overall outcome. */
export interface DrugTestsTable {
  id: string;
  site_id: string;
  patient_id: string;
  draw_id: string | null;
  request_key: string;
  collected_at: string;
  /** The civil date at the site. */
  collected_on: string;
  /** collected, refused or no_show */
  collection: Collection;
  /** random, scheduled, for_cause or intake */
  reason: TestReason;
  specimen: Specimen | null;
  observed: number | null;
  temperature_in_range: number | null;
  temperature_note: string | null;
  /** The urine temperature read at collection, °F; null when not read (or before it was recorded). */
  temperature_f: number | null;
  /** The lab's validity tests, when reported. */
  creatinine_mg_dl: number | null;
  specific_gravity: number | null;
  ph: number | null;
  /** 1 when an oxidizing adulterant was found, 0 when tested and not found. */
  oxidant: number | null;
  /** The test this one recollects (after an out-of-range, invalid, tampered or dilute specimen). */
  recollection_of: string | null;
  panel_id: string | null;
  collected_by: string;
  /** valid, dilute, substituted, adulterated, invalid; null until results */
  validity: Validity | null;
  /** pending, negative, positive, invalid, refused, no_show */
  outcome: Outcome;
  unexpected_positive: Generated<number>;
  /** JSON [{ medication, startedOn, endedOn }] running on collected_on. */
  mat_context: string;
  note: string | null;
  recorded_by: string;
  created_at: string;
  updated_at: string;
  completed_at: string | null;
  version: Generated<number>;
}

export interface DrugTestResultsTable {
  id: string;
  test_id: string;
  analyte: string;
  /** negative or positive (presumptive); null while pending */
  result: Presumptive | null;
  /** confirmed_positive or confirmed_negative */
  confirmation: Confirmation | null;
  lab: string | null;
  accession_number: string | null;
  confirmed_on: string | null;
  reading: Reading;
  high_risk: Generated<number>;
  /** The id of the interpretation rule that produced the reading. */
  rule: string | null;
  updated_by: string | null;
  updated_at: string;
}

/** A finding that needs a counselor: open until acknowledged with a note (or withdrawn when it goes away). */
export interface DrugTestAlertsTable {
  id: string;
  test_id: string;
  patient_id: string;
  /** "unexpected_positive:fentanyl", "refused", … unique per test */
  finding: string;
  kind: FindingKind;
  analyte: string | null;
  label: string;
  high_risk: Generated<number>;
  raised_at: string;
  /** open, acknowledged or withdrawn */
  status: AlertStatus;
  closed_at: string | null;
  closed_by: string | null;
  note: string | null;
  version: Generated<number>;
}

/**
 * A 42 CFR Part 2 written consent (§2.31). Never deleted: a revocation or a marked expiry is dated
 * on the row. JSON arrays of codes in `information` and `purposes`.
 */
export interface ConsentsTable {
  id: string;
  patient_id: string;
  site_id: string;
  request_key: string;
  disclosing_party: string;
  information: string;
  recipient: string;
  /** Lower-cased with spaces collapsed: a disclosure's recipient is matched on it. */
  recipient_key: string;
  /** named, or general (allowed only when every purpose is treatment, payment or operations). */
  recipient_designation: RecipientDesignation;
  purposes: string;
  purpose_other: string | null;
  expires_on: string | null;
  /** null, discharge or other */
  expiry_event: ExpiryEvent | null;
  expiry_event_text: string | null;
  revocation_explained: number;
  signed_on: string;
  /** patient, parent_guardian or representative */
  signed_by: Signer;
  signer_name: string | null;
  note: string | null;
  revoked_on: string | null;
  revocation_note: string | null;
  revoked_by: string | null;
  expired_on: string | null;
  expiry_note: string | null;
  expired_by: string | null;
  recorded_by: string;
  created_at: string;
  updated_at: string;
  version: Generated<number>;
}

/** One disclosure made under a consent (§2.32), append-only, with what was sent. */
export interface DisclosuresTable {
  id: string;
  patient_id: string;
  site_id: string;
  consent_id: string;
  request_key: string;
  disclosed_on: string;
  disclosed_at: string;
  disclosed_by: string;
  recipient: string;
  purpose: string;
  purpose_detail: string | null;
  /** JSON array of the information categories included. */
  information: string;
  records_from: string;
  /** JSON: the document's content as produced. */
  content: string;
  notice: string;
  note: string | null;
  created_at: string;
}

export interface PayersTable {
  id: string;
  site_id: string;
  name: string;
  kind: PayerKind;
  /** The payer's electronic id for the 837 (NM109); empty for self-pay and grants. */
  payer_code: Generated<string>;
  active: Generated<number>;
  created_at: string;
  updated_at: string;
  version: Generated<number>;
}

export interface CoveragesTable {
  id: string;
  patient_id: string;
  payer_id: string;
  member_id: Generated<string>;
  group_number: Generated<string>;
  subscriber_name: Generated<string>;
  subscriber_birth_date: string | null;
  relationship: Generated<SubscriberRelationship>;
  priority: CoveragePriority;
  effective_from: string;
  effective_to: string | null;
  created_by: string;
  created_at: string;
  updated_at: string;
  version: Generated<number>;
}

export interface AuthorizationsTable {
  id: string;
  coverage_id: string;
  patient_id: string;
  level_of_care: LevelOfCare;
  unit_kind: UnitKind;
  units_approved: number;
  starts_on: string;
  ends_on: string;
  status: AuthorizationStatus;
  number: Generated<string>;
  next_review_on: string | null;
  created_by: string;
  created_at: string;
  updated_at: string;
  version: Generated<number>;
}

export interface MedicareCertificationsTable {
  id: string;
  patient_id: string;
  coverage_id: string;
  level_of_care: LevelOfCare;
  kind: CertificationKind;
  certified_on: string;
  physician_name: string;
  physician_npi: Generated<string>;
  hours_per_week: number;
  created_by: string;
  created_at: string;
}

export interface FeeScheduleTable {
  id: string;
  site_id: string;
  payer_id: string;
  level_of_care: LevelOfCare;
  claim_type: ClaimType;
  procedure_code: string;
  /** Comma-separated two-character modifiers. */
  modifiers: Generated<string>;
  /** Institutional claims only. */
  revenue_code: Generated<string>;
  units_per_day: Generated<number>;
  min_minutes: number;
  requires_signed_note: Generated<number>;
  rate_cents: number;
  created_at: string;
  updated_at: string;
  version: Generated<number>;
}

export interface ClaimBatchesTable {
  id: string;
  site_id: string;
  claim_type: ClaimType;
  control_number: number;
  claim_count: number;
  line_count: number;
  total_cents: number;
  content: string;
  request_key: string;
  created_by: string;
  created_at: string;
}

export interface ClaimsTable {
  id: string;
  batch_id: string;
  patient_id: string;
  coverage_id: string;
  control: string;
  /** CLM05-3: 1 original, 7 replacement, 8 void. */
  frequency: Generated<string>;
  replaces_claim_id: string | null;
  total_cents: number;
  status: Generated<ClaimStatus>;
  created_at: string;
}

export interface ChargesTable {
  id: string;
  site_id: string;
  patient_id: string;
  service_date: string;
  level_of_care: LevelOfCare;
  minutes: number;
  documented_minutes: number;
  coverage_id: string | null;
  payer_id: string | null;
  authorization_id: string | null;
  fee_schedule_id: string | null;
  procedure_code: Generated<string>;
  modifiers: Generated<string>;
  revenue_code: Generated<string>;
  units: Generated<number>;
  amount_cents: Generated<number>;
  status: ChargeStatus;
  /** JSON array of hold reasons. */
  hold_reasons: Generated<string>;
  claim_id: string | null;
  paid_cents: number | null;
  /** JSON array of CAS adjustments: { group, reason, cents }. */
  adjustments: Generated<string>;
  created_at: string;
  updated_at: string;
  version: Generated<number>;
}

/** Kept by triggers on `charges` (migration 28): the charges (but void ones) of a site, day, status and payer. */
export interface ChargeDayTotalsTable {
  site_id: string;
  service_date: string;
  status: Exclude<ChargeStatus, "void">;
  /** The payer's id, or '' for days with no coverage. */
  payer_key: string;
  charges: number;
  cents: number;
}

/** Kept figure (migration 29): an authorization's units used, as `authorizationUse` counts them. */
export interface AuthorizationUseTable {
  authorization_id: string;
  patient_id: string;
  units_used: number;
}

export interface RemittancesTable {
  id: string;
  site_id: string;
  payer_name: string;
  trace_number: string;
  paid_on: string | null;
  paid_cents: number;
  line_count: number;
  unmatched_count: number;
  content: string;
  request_key: string;
  created_by: string;
  created_at: string;
}

export interface RemittanceLinesTable {
  id: string;
  remittance_id: string;
  charge_id: string | null;
  claim_control: string;
  service_date: string | null;
  procedure_code: Generated<string>;
  charge_cents: number;
  paid_cents: number;
  outcome: RemittanceOutcome;
  adjustments: Generated<string>;
}

export interface Database {
  sites: SitesTable;
  users: UsersTable;
  user_sites: UserSitesTable;
  user_sessions: UserSessionsTable;
  sign_in_throttle: SignInThrottleTable;
  audit_events: AuditEventsTable;
  audit_chain_head: AuditChainHeadTable;
  mrn_counter: MrnCounterTable;
  patients: PatientsTable;
  patient_episodes: PatientEpisodesTable;
  patient_status_changes: PatientStatusChangesTable;
  level_of_care_changes: LevelOfCareChangesTable;
  patient_diagnoses: PatientDiagnosesTable;
  mat_episodes: MatEpisodesTable;
  tracks: TracksTable;
  rooms: RoomsTable;
  group_series: GroupSeriesTable;
  sessions: SessionsTable;
  patient_tracks: PatientTracksTable;
  session_participants: SessionParticipantsTable;
  calendar_feeds: CalendarFeedsTable;
  roll_calls: RollCallsTable;
  attendance: AttendanceTable;
  session_tallies: SessionTalliesTable;
  drug_test_panels: DrugTestPanelsTable;
  drug_test_draws: DrugTestDrawsTable;
  drug_tests: DrugTestsTable;
  drug_test_results: DrugTestResultsTable;
  drug_test_alerts: DrugTestAlertsTable;
  recovery_codes: RecoveryCodesTable;
  program_settings: ProgramSettingsTable;
  site_settings: SiteSettingsTable;
  emergency_access: EmergencyAccessTable;
  amendment_requests: AmendmentRequestsTable;
  consents: ConsentsTable;
  disclosures: DisclosuresTable;
  asam_assessments: AsamAssessmentsTable;
  measure_responses: MeasureResponsesTable;
  safety_flags: SafetyFlagsTable;
  treatment_plans: TreatmentPlansTable;
  notes: NotesTable;
  note_entries: NoteEntriesTable;
  note_addenda: NoteAddendaTable;
  counseling_notes: CounselingNotesTable;
  payers: PayersTable;
  coverages: CoveragesTable;
  authorizations: AuthorizationsTable;
  authorization_use: AuthorizationUseTable;
  medicare_certifications: MedicareCertificationsTable;
  fee_schedule: FeeScheduleTable;
  claim_batches: ClaimBatchesTable;
  claims: ClaimsTable;
  charges: ChargesTable;
  charge_day_totals: ChargeDayTotalsTable;
  remittances: RemittancesTable;
  remittance_lines: RemittanceLinesTable;
}

export type Site = Selectable<SitesTable>;
export type User = Selectable<UsersTable>;
export type NewUser = Insertable<UsersTable>;
export type UserUpdate = Updateable<UsersTable>;
export type UserSession = Selectable<UserSessionsTable>;
export type AuditEvent = Selectable<AuditEventsTable>;

/** An ASAM multidimensional assessment: append-only, a correction is a new one (issue 19, item 2). */
export interface AsamAssessmentsTable {
  id: string;
  patient_id: string;
  site_id: string;
  request_key: string;
  /** intake, review or discharge */
  kind: string;
  /** "3" or "4": the ASAM Criteria edition whose dimension names were used. */
  edition: string;
  assessed_on: string;
  d1_rating: number;
  d1_narrative: string;
  d2_rating: number;
  d2_narrative: string;
  d3_rating: number;
  d3_narrative: string;
  d4_rating: number;
  d4_narrative: string;
  d5_rating: number;
  d5_narrative: string;
  d6_rating: number;
  d6_narrative: string;
  recommended_level: LevelOfCare;
  placed_level: LevelOfCare;
  /** patient_preference, not_available, payer or other; null when placed = recommended. */
  difference_reason: string | null;
  difference_note: string | null;
  assessed_by: string;
  created_at: string;
}

/** One administration of a standardized measure (PHQ-9, GAD-7, AUDIT, DAST-10, BAM). */
export interface MeasureResponsesTable {
  id: string;
  patient_id: string;
  site_id: string;
  measure: string;
  request_key: string;
  /** JSON object: item number -> index of the chosen answer; unanswered items are absent. */
  answers: string;
  /** Null when incomplete: a missing item is never guessed. */
  total: number | null;
  band: string | null;
  /** JSON object of subscale scores (the BAM), or null. */
  subscales: string | null;
  complete: number;
  administered_on: string;
  entered_by: string;
  entered_at: string;
}

export type SafetyFlagStatus = "open" | "closed";

/** Opened by any answer above 0 on PHQ-9 item 9; closed by a counselor's safety check. */
export interface SafetyFlagsTable {
  id: string;
  patient_id: string;
  site_id: string;
  response_id: string;
  item_answer: number;
  opened_on: string;
  opened_at: string;
  status: SafetyFlagStatus;
  risk_level: string | null;
  plan: string | null;
  who_was_told: string | null;
  checked_on: string | null;
  checked_by: string | null;
  checked_at: string | null;
  version: Generated<number>;
}

/** One version of a patient's treatment plan (issue 19, item 4); signed versions never change (trigger). */
export interface TreatmentPlansTable {
  id: string;
  patient_id: string;
  site_id: string;
  number: number;
  request_key: string;
  based_on_id: string | null;
  /** initial, scheduled, level_change, unexpected_result or update */
  reason: string;
  /** JSON PlanContent */
  content: string;
  created_by: string;
  created_at: string;
  updated_at: string;
  signed_by: string | null;
  signed_at: string | null;
  cosign_required: Generated<number>;
  acknowledged_name: string | null;
  acknowledged_at: string | null;
  acknowledged_with: string | null;
  cosigned_by: string | null;
  cosigned_at: string | null;
  activated_at: string | null;
  effective_on: string | null;
  review_days: number | null;
  superseded_at: string | null;
  superseded_by: string | null;
  version: Generated<number>;
}

/** One note per held session (issue 20): a group's shared part, the signature and co-signature. */
export interface NotesTable {
  id: string;
  site_id: string;
  session_id: string;
  /** group, individual or family */
  kind: string;
  /** dap, birp or soap */
  format: string;
  local_date: string;
  session_ends_at: string;
  /** JSON GroupShared ("{}" for individual and family notes) */
  shared: string;
  created_by: string;
  created_at: string;
  updated_by: string;
  updated_at: string;
  signed_by: string | null;
  signed_at: string | null;
  late_entry: Generated<number>;
  cosign_required: Generated<number>;
  cosigned_by: string | null;
  cosigned_at: string | null;
  version: Generated<number>;
}

/** One patient's part of a note. */
export interface NoteEntriesTable {
  id: string;
  note_id: string;
  patient_id: string;
  /** JSON EntryContent */
  content: string;
  minutes: number | null;
  mode: string | null;
  updated_by: string;
  updated_at: string;
  version: Generated<number>;
}

/** An addendum to a signed note: to the shared part (patient_id null) or one patient's part. Append-only. */
export interface NoteAddendaTable {
  id: string;
  note_id: string;
  patient_id: string | null;
  request_key: string;
  text: string;
  signed_by: string;
  signed_at: string;
}

/** A 42 CFR 2.11 SUD counseling note: kept apart from the record, read only by its author. */
export interface CounselingNotesTable {
  id: string;
  site_id: string;
  patient_id: string;
  session_id: string | null;
  request_key: string;
  text: string;
  written_by: string;
  written_at: string;
}

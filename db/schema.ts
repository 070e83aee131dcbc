/**
 * Hand-written table definitions. Both dialects store the same shapes:
 * - ids are text (UUIDv7 made in the app),
 * - instants are UTC ISO-8601 text (`2026-11-27T14:05:00.000Z`), civil dates `YYYY-MM-DD`,
 * - booleans are integers 0/1 (SQLite has no boolean; PostgreSQL stores them the same way here),
 * - JSON is text.
 */
import type { Generated, Insertable, Selectable, Updateable } from "kysely";

export type Role = "admin" | "counselor" | "staff";

export interface SitesTable {
  id: string;
  name: string;
  /** IANA time zone; every week and day at this site is computed in it. */
  time_zone: string;
  created_at: string;
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
  hash: string;
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
  status: string;
  level_of_care: string;
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
  status: string;
  effective_on: string;
  reason: string | null;
  changed_by: string | null;
  created_at: string;
}

export interface LevelOfCareChangesTable {
  id: string;
  patient_id: string;
  episode_id: string;
  level_of_care: string;
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
  medication: string;
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
  level_of_care: string;
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
  kind: string;
  facilitator_id: string;
  co_facilitator_id: string | null;
  room_id: string | null;
  modality: string;
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
  session_kind: Generated<string>;
  patient_id: string | null;
  approach: string | null;
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
  kind: string;
  group_kind: string | null;
  title: string;
  track_id: string | null;
  facilitator_id: string;
  co_facilitator_id: string | null;
  room_id: string | null;
  modality: string;
  capacity: number;
  /** The civil date at the site. */
  local_date: string;
  starts_at: string;
  ends_at: string;
  status: string;
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
}

export type Site = Selectable<SitesTable>;
export type User = Selectable<UsersTable>;
export type NewUser = Insertable<UsersTable>;
export type UserUpdate = Updateable<UsersTable>;
export type UserSession = Selectable<UserSessionsTable>;
export type AuditEvent = Selectable<AuditEventsTable>;

/**
 * The audit log in words: a label for every action the app writes, the records it names, and its
 * before/after as "Field: old → new" lines. Shared by the server (the view model) and the pages
 * (the action filter), so one vocabulary reads the log everywhere.
 */
import { LEVEL_LABELS, STATUS_LABELS } from "~/features/patients/rules";
import { ROLE_LABELS } from "~/features/auth/permissions";
import { ATTENDANCE_MODES, ATTENDANCE_STATUSES } from "~/features/attendance/rules";
import { PATIENT_LISTS } from "./list-kinds";
import { formatInstant, isCivilDate, shortDate } from "~/kernel/time";

/**
 * Every action code the app and its scripts write (grep `action:` in app/, scripts/, seeds/),
 * grouped as the filter lists them. A code missing here still shows, as its words.
 */
export const ACTION_GROUPS: { group: string; actions: Record<string, string> }[] = [
  {
    group: "Patients and charts",
    actions: {
      "patient.viewed": "Opened a chart",
      "patient.viewed_in_emergency": "Opened a chart under emergency access",
      "patient.not_found": "Asked for a chart that is not there",
      "patient_list.viewed": "Viewed a list of patients",
      "patient.enrolled": "Enrolled a patient",
      "patient.updated": "Changed a patient's details",
      "patient.level_changed": "Changed level of care",
      "patient.status_changed": "Changed status",
      "patient.track_changed": "Changed track",
      "patient.discharged": "Discharged a patient",
      "patient.readmitted": "Re-admitted a patient",
      "diagnosis.added": "Added a diagnosis",
      "diagnosis.resolved": "Resolved a diagnosis",
      "mat.started": "Recorded a MAT episode",
      "mat.ended": "Ended a MAT episode",
      "assessment.recorded": "Recorded an ASAM assessment",
      "amendment.requested": "Recorded an amendment request",
      "amendment.accepted": "Accepted an amendment request",
      "amendment.denied": "Denied an amendment request",
      "amendment.disagreement_filed": "Filed a statement of disagreement",
      "measure.recorded": "Entered a standardized measure",
      "safety_flag.opened": "Safety flag opened (PHQ-9 item 9)",
      "safety_check.recorded": "Recorded a safety check",
      "plan.draft_started": "Started a treatment plan draft",
      "plan.draft_saved": "Saved a treatment plan draft",
      "plan.draft_discarded": "Discarded a treatment plan draft",
      "plan.signed": "Signed a treatment plan",
      "plan.acknowledged": "Patient acknowledged a treatment plan",
      "plan.cosigned": "Co-signed a treatment plan",
      "plan.activated": "Treatment plan became active",
      "note.started": "Started a progress note",
      "note.parts_added": "Added patients to a progress note",
      "note.draft_saved": "Saved a progress note draft",
      "note.signed": "Signed a progress note",
      "note.cosigned": "Co-signed a progress note",
      "note.addendum_added": "Added an addendum to a progress note",
    },
  },
  {
    group: "Progress notes",
    actions: {
      "note.viewed": "Opened a session's note",
      "note.started": "Started a session's note",
      "note.parts_added": "Added patients' parts to a note",
      "note.draft_saved": "Saved a note draft",
      "note.signed": "Signed a note",
      "note.cosigned": "Co-signed a note",
      "note.addendum_added": "Added an addendum to a note",
    },
  },
  {
    group: "Consents and disclosures",
    actions: {
      "consent.recorded": "Recorded a consent",
      "consent.revoked": "Revoked a consent",
      "consent.marked_expired": "Marked a consent expired",
      "disclosure.made": "Disclosed records",
      "disclosure.opened": "Opened a disclosure document",
      "disclosure.accounting_printed": "Printed the accounting of disclosures",
      "note.printed": "Printed progress notes",
      "counseling_note.written": "Wrote an SUD counseling note",
      "emergency_access.started": "Started emergency access",
      "emergency_access.refused": "Emergency access refused",
      "emergency_access.not_found": "Emergency access: no such patient",
    },
  },
  {
    group: "Schedule and attendance",
    actions: {
      "appointment.booked": "Booked an appointment",
      "session.cancelled": "Cancelled a session",
      "session.moved": "Moved a session",
      "session.patient_added": "Added a patient to a session",
      "session.patient_removed": "Removed a patient from a session",
      "session.sign_in_sheet_printed": "Printed a sign-in sheet",
      "attendance.recorded": "Took roll",
      "attendance.corrected": "Corrected roll",
      "group_series.created": "Created a group series",
      "group_series.updated": "Changed a group series",
      "group_series.extended": "Extended a group series",
      "calendar_feed.created": "Created a calendar address",
      "calendar_feed.revoked": "Turned off a calendar address",
    },
  },
  {
    group: "Drug tests",
    actions: {
      "drug_test.drawn": "Drew patients for testing",
      "drug_test.redrawn": "Redrew patients for testing",
      "drug_test.collected": "Recorded a collection",
      "drug_test.refused": "Recorded a refused test",
      "drug_test.no_show": "Recorded a missed test",
      "drug_test.results_recorded": "Recorded drug-test results",
      "drug_test.confirmed": "Recorded a lab confirmation",
      "drug_test.alert_acknowledged": "Acknowledged a drug-test alert",
      "drug_panel.created": "Created a drug-test panel",
      "drug_panel.updated": "Changed a drug-test panel",
      "drug_panel.retired": "Retired a drug-test panel",
      "drug_panel.reactivated": "Restored a drug-test panel",
      "drug_panel.starting_set_copied": "Copied the starting panels",
    },
  },
  {
    group: "Program setup",
    actions: {
      "site.created": "Added a site",
      "site.updated": "Changed a site",
      "track.created": "Created a track",
      "track.updated": "Changed a track",
      "track.deactivated": "Retired a track",
      "track.reactivated": "Restored a track",
      "room.created": "Created a room",
      "room.updated": "Changed a room",
      "room.deactivated": "Retired a room",
      "room.reactivated": "Restored a room",
      "settings.two_factor_policy_changed": "Changed the two-factor policy",
      "settings.asam_edition_changed": "Changed the ASAM Criteria edition",
      "settings.plan_review_changed": "Changed how often treatment plans are reviewed",
      "settings.measure_interval_changed": "Changed how often standardized measures are repeated",
      "settings.notes_changed": "Changed the progress-note settings",
      "settings.billing_start_changed": "Changed the date billing starts from",
    },
  },
  {
    group: "Coverage and authorizations",
    actions: {
      "payer.created": "Added a payer",
      "payer.updated": "Changed a payer",
      "coverage.added": "Added a coverage",
      "coverage.updated": "Changed a coverage",
      "authorization.added": "Recorded an authorization",
      "authorization.updated": "Changed an authorization",
      "medicare_certification.added": "Recorded a Medicare certification",
      "medicare_recertification.added": "Recorded a Medicare recertification",
    },
  },
  {
    group: "Fee schedule and charges",
    actions: {
      "fee_schedule.created": "Added a fee schedule row",
      "fee_schedule.updated": "Changed a fee schedule row",
      "charges.refreshed": "Charges recomputed",
    },
  },
  {
    group: "Claims and remittances",
    actions: {
      "billing.provider_saved": "Changed the billing provider (NPI, tax id)",
      "claim_batch.exported": "Exported a claim batch (837)",
      "claim.exported": "Sent a claim to a payer",
      "claim.replaced": "Sent a replacement claim (frequency 7)",
      "claim.voided": "Sent a void of a claim (frequency 8)",
      "claim_batch.downloaded": "Downloaded a claim batch",
      "remittance.imported": "Imported a remittance (835)",
    },
  },
  {
    group: "Reports and the audit log",
    actions: {
      "report.exported": "Exported a report",
      "report.refused": "Report refused",
      "audit.exported": "Exported the audit log",
    },
  },
  {
    group: "Staff accounts",
    actions: {
      "user.created": "Created a staff account",
      "user.updated": "Changed a staff account",
      "user.deactivated": "Deactivated a staff account",
      "user.reactivated": "Reactivated a staff account",
      "user.password_reset": "Reset a password",
      "user.password_changed": "Changed their password",
      "user.password_change_failed": "Password change refused",
      "user.two_factor_reset": "Reset two-factor sign-in",
      "user.emergency_access_granted": "Allowed emergency access",
      "user.emergency_access_withdrawn": "Withdrew emergency access",
      "user.credentials_changed": "Changed credentials and supervision",
    },
  },
  {
    group: "Sign-in and security",
    actions: {
      "auth.sign_in": "Signed in",
      "auth.sign_in_failed": "Sign-in failed",
      "auth.sign_in_locked": "Sign-in refused: locked",
      "auth.lockout": "Account locked after failed sign-ins",
      "auth.password_accepted": "Password accepted, second step next",
      "auth.sign_out": "Signed out",
      "auth.sign_out_everywhere": "Signed out everywhere",
      "auth.session_timeout": "Signed out after inactivity",
      "auth.session_expired": "Session expired",
      "auth.two_factor_enabled": "Turned on two-factor sign-in",
      "auth.two_factor_disabled": "Turned off two-factor sign-in",
      "auth.two_factor_setup_failed": "Two-factor setup code wrong",
      "auth.second_factor_failed": "Two-factor code wrong",
      "auth.second_factor_locked": "Two-factor locked after wrong codes",
      "auth.second_factor_replayed": "Two-factor code used twice",
      "auth.second_factor_key_unreadable": "Two-factor key unreadable",
      "auth.recovery_code_used": "Used a recovery code",
      "auth.recovery_code_failed": "Recovery code wrong",
      "auth.recovery_codes_replaced": "Replaced recovery codes",
      "access.denied": "Page refused: no permission",
      "access.cross_site_refused": "Cross-site request refused",
      "session.site_switched": "Switched site",
      "site.switch_refused": "Site switch refused",
      "security.totp_keys_encrypted": "Encrypted two-factor keys",
    },
  },
];

export const ACTION_LABELS: Record<string, string> = Object.fromEntries(ACTION_GROUPS.flatMap((g) => Object.entries(g.actions)));

/** Words for a code: "drug_test.results_recorded" → "Drug test results recorded". */
function words(code: string): string {
  const text = code
    .replace(/[._]+/g, " ")
    .replace(/([a-z])([A-Z])/g, "$1 $2")
    .toLowerCase()
    .trim();
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export function actionLabel(code: string): string {
  return ACTION_LABELS[code] ?? words(code);
}

/** The action filter's choices, grouped, each a label with its code as the value. */
export const ACTION_OPTIONS = ACTION_GROUPS.map((g) => ({
  group: g.group,
  items: Object.entries(g.actions).map(([value, label]) => ({ value, label })),
}));

export const OUTCOME_LABELS: Record<string, string> = { success: "Done", failure: "Failed", denied: "Refused" };

/** What each kind of record is called. */
export const RECORD_LABELS: Record<string, string> = {
  amendment_request: "Amendment request",
  asam_assessment: "ASAM assessment",
  calendar_feed: "Calendar address",
  claim: "Claim",
  claim_batch: "Claim batch",
  consent: "Consent",
  diagnosis: "Diagnosis",
  disclosure: "Disclosure",
  drug_test: "Drug test",
  drug_test_draw: "Drug-test draw",
  drug_test_panel: "Drug-test panel",
  fee_schedule: "Fee schedule row",
  charges: "Charges",
  group_series: "Group series",
  mat_episode: "MAT episode",
  measure_response: "Standardized measure",
  note: "Note",
  patient: "Chart",
  patient_list: "Patient list",
  remittance: "Remittance",
  report: "Report",
  room: "Room",
  safety_flag: "Safety flag",
  session: "Session",
  setting: "Setting",
  site: "Site",
  track: "Track",
  treatment_plan: "Treatment plan",
  user: "Staff account",
};

export function recordLabel(entityType: string | null, name: string | null): string | null {
  if (!entityType) return null;
  const noun = RECORD_LABELS[entityType] ?? words(entityType);
  return name ? `${noun}: ${name}` : noun;
}

/** Field names as a reader calls them; others are turned into words ("dischargedOn" → "Discharged on"). */
const FIELD_LABELS: Record<string, string> = {
  levelOfCare: "Level of care",
  nextLevelOfCare: "Next level of care",
  timeZone: "Time zone",
  siteIds: "Sites",
  mustChangePassword: "Must change password",
  emergencyAccess: "Emergency access",
  usualSupervisor: "Usual co-signing supervisor",
  mrn: "MRN",
  onsetOn: "Onset",
  startsAt: "Starts",
  endsAt: "Ends",
  startTime: "Start time",
  endTime: "End time",
  shown: "Patients shown",
  list: "List",
  ip: "IP address",
};

export function fieldLabel(key: string): string {
  if (FIELD_LABELS[key]) return FIELD_LABELS[key];
  if (/^MRN-\d+$/.test(key)) return key;
  return words(key);
}

/** Values some fields hold as codes, in words. */
const VALUE_LABELS: Record<string, Record<string, string>> = {
  levelOfCare: LEVEL_LABELS,
  nextLevelOfCare: LEVEL_LABELS,
  status: { ...STATUS_LABELS, ...Object.fromEntries(Object.entries(ATTENDANCE_STATUSES).map(([k, v]) => [k, v.label])) },
  mode: ATTENDANCE_MODES,
  role: ROLE_LABELS,
  list: PATIENT_LISTS,
};

/** An instant as the app stores it: "2026-12-05T14:30:07.123Z". */
const STORED_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?Z$/;

/** A stored value in words; dates and instants read as the rest of the app shows them (instants in `timeZone`). */
export function formatValue(value: unknown, key?: string, timeZone = "UTC"): string {
  if (value === null || value === undefined || value === "") return "—";
  if (typeof value === "boolean") return value ? "Yes" : "No";
  if (typeof value === "string") {
    const label = key ? VALUE_LABELS[key]?.[value] : undefined;
    if (label) return label;
    if (isCivilDate(value)) return shortDate(value);
    if (STORED_INSTANT.test(value)) return formatInstant(value, timeZone);
    return value;
  }
  if (typeof value === "number") return key === "active" || key === "emergencyAccess" ? (value ? "Yes" : "No") : String(value);
  if (Array.isArray(value)) return value.length ? value.map((v) => formatValue(v)).join(", ") : "none";
  if (typeof value === "object") {
    const parts = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${fieldLabel(k).toLowerCase()} ${formatValue(v, k, timeZone)}`);
    return parts.length ? parts.join(", ") : "—";
  }
  return String(value);
}

export interface StoredChanges {
  before?: Record<string, unknown>;
  after?: Record<string, unknown>;
  detail?: Record<string, unknown>;
}

/**
 * An event's stored changes as lines: "Field: old → new" for what changed, "Field: value" for what
 * was set or noted. Values keep their own line breaks (a multi-line address reads as written).
 */
export function describeChanges(json: string | null, timeZone = "UTC"): string[] {
  if (!json) return [];
  let c: StoredChanges;
  try {
    c = JSON.parse(json) as StoredChanges;
  } catch {
    return [json];
  }
  const lines: string[] = [];
  const before = c.before ?? {};
  const after = c.after ?? {};
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  for (const key of keys) {
    const label = fieldLabel(key);
    if (key in before && key in after) lines.push(`${label}: ${formatValue(before[key], key, timeZone)} → ${formatValue(after[key], key, timeZone)}`);
    else if (key in after) lines.push(`${label}: ${formatValue(after[key], key, timeZone)}`);
    else lines.push(`${label}: ${formatValue(before[key], key, timeZone)} → removed`);
  }
  for (const [key, value] of Object.entries(c.detail ?? {})) {
    if (value === undefined) continue;
    lines.push(`${fieldLabel(key)}: ${formatValue(value, key, timeZone)}`);
  }
  return lines;
}

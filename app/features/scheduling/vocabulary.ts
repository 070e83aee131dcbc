import type { AppointmentKind, Approach, GroupKind, Modality } from "#db/schema";

/** The stored vocabularies (db/schema.ts), with this module's labels keyed by them. */
export type { GroupKind, Modality, Approach, AppointmentKind };
/** The words scheduling uses, shared by forms, lists and the calendar. */
export const GROUP_KINDS = {
  process: "Process group",
  psychoeducation: "Psychoeducation",
  relapse_prevention: "Relapse prevention",
  coping_skills: "Coping skills (CBT/DBT)",
  family: "Family group",
  life_skills: "Life skills",
  mat_education: "MAT education",
  other: "Other",
} as const satisfies Record<GroupKind, unknown>;

export const MODALITIES = { in_person: "In person", telehealth: "Telehealth", hybrid: "Hybrid" } as const satisfies Record<Modality, unknown>;

/** The therapeutic approach of an individual session. */
export const APPROACHES = {
  cbt: "CBT",
  dbt: "DBT",
  motivational_interviewing: "Motivational interviewing",
  trauma_focused: "Trauma-focused",
  other: "Other",
} as const satisfies Record<Approach, unknown>;

export const APPOINTMENT_KINDS = { individual: "Individual session", family: "Family session" } as const satisfies Record<AppointmentKind, unknown>;

/** Lengths an individual or family session is booked for, in minutes. */
export const DURATIONS = [30, 45, 50, 60, 90, 120] as const;

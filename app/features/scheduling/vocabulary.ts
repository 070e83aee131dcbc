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
} as const;
export type GroupKind = keyof typeof GROUP_KINDS;

export const MODALITIES = { in_person: "In person", telehealth: "Telehealth", hybrid: "Hybrid" } as const;
export type Modality = keyof typeof MODALITIES;

/** The therapeutic approach of an individual session. */
export const APPROACHES = {
  cbt: "CBT",
  dbt: "DBT",
  motivational_interviewing: "Motivational interviewing",
  trauma_focused: "Trauma-focused",
  other: "Other",
} as const;
export type Approach = keyof typeof APPROACHES;

export const APPOINTMENT_KINDS = { individual: "Individual session", family: "Family session" } as const;
export type AppointmentKind = keyof typeof APPOINTMENT_KINDS;

/** Lengths an individual or family session is booked for, in minutes. */
export const DURATIONS = [30, 45, 50, 60, 90, 120] as const;

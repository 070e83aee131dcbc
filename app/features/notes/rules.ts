/**
 * Progress-note rules with no I/O: the formats and their sections, what a note needs before it can
 * be signed, the late-entry rule, and whether a patient's day is documented.
 *
 * Formats (the program picks its default, `note_format`):
 * - DAP — Data, Assessment, Plan;
 * - BIRP — Behavior, Intervention, Response, Plan;
 * - SOAP — Subjective, Objective, Assessment, Plan.
 * These are the usual structures of behavioral-health progress notes; whichever is used, the
 * CMS Medicare Program Integrity Manual ch. 3 §3.3.2.4 requires each service billed to be
 * supported by an entry its author signed.
 *
 * A group note is written once: the shared part (topic, curriculum, interventions, how the group
 * went) and, for each patient who attended, their own part (participation, response, plan,
 * objectives addressed, risk). A patient's chart shows the shared part and only their own part.
 *
 * Late entry: a note signed more than `note_late_hours` (24 by default) after the session ended is
 * marked a late entry; the record keeps when it was written (CMS Program Integrity Manual ch. 3
 * §3.3.2.5: amendments, corrections and delayed entries must be clearly identified as such, with
 * the date they were made).
 */
import { z } from "zod";

export const NOTE_FORMATS = {
  dap: {
    label: "DAP",
    sections: [
      { key: "data", label: "Data", hint: "What was observed and what the patient said" },
      { key: "assessment", label: "Assessment", hint: "Your clinical reading of it" },
      { key: "plan", label: "Plan", hint: "Next steps and homework" },
    ],
  },
  birp: {
    label: "BIRP",
    sections: [
      { key: "behavior", label: "Behavior", hint: "How the patient presented" },
      { key: "intervention", label: "Intervention", hint: "What you did" },
      { key: "response", label: "Response", hint: "How the patient responded" },
      { key: "plan", label: "Plan", hint: "Next steps and homework" },
    ],
  },
  soap: {
    label: "SOAP",
    sections: [
      { key: "subjective", label: "Subjective", hint: "What the patient reported" },
      { key: "objective", label: "Objective", hint: "What you observed" },
      { key: "assessment", label: "Assessment", hint: "Your clinical reading of it" },
      { key: "plan", label: "Plan", hint: "Next steps and homework" },
    ],
  },
} as const;
export type NoteFormat = keyof typeof NOTE_FORMATS;
export const NOTE_FORMAT_CODES = Object.keys(NOTE_FORMATS) as [NoteFormat, ...NoteFormat[]];
export const DEFAULT_NOTE_FORMAT: NoteFormat = "dap";
export const isNoteFormat = (v: unknown): v is NoteFormat => typeof v === "string" && v in NOTE_FORMATS;

/** A group member's own part: these sections, whatever the program's format. */
export const GROUP_ENTRY_SECTIONS = [
  { key: "response", label: "Response", hint: "How they took part and responded" },
  { key: "plan", label: "Plan", hint: "Next steps for them" },
] as const;

export const GROUP_SHARED_FIELDS = [
  { key: "topic", label: "Topic", required: true },
  { key: "curriculum", label: "Curriculum", required: false },
  { key: "interventions", label: "Interventions", required: true },
  { key: "process", label: "How the group went", required: true },
] as const;

export const PARTICIPATION = {
  active: "Active, engaged",
  moderate: "Moderate",
  minimal: "Minimal",
  disruptive: "Disruptive",
  none: "Did not participate",
} as const;
export type Participation = keyof typeof PARTICIPATION;

export const OBJECTIVE_PROGRESS = {
  progressing: "Progressing",
  maintained: "Maintained",
  not_progressing: "Not progressing",
  achieved: "Achieved",
} as const;
export type ObjectiveProgress = keyof typeof OBJECTIVE_PROGRESS;

export const HARM_ANSWERS = {
  denied: "Denies thoughts of harming self or others",
  passive: "Passive thoughts, no plan or intent",
  active: "Active thoughts: safety plan followed",
} as const;
export const USE_ANSWERS = {
  none: "No use reported since last session",
  reported: "Use reported since last session",
  suspected: "Use suspected, not reported",
} as const;
export type HarmAnswer = keyof typeof HARM_ANSWERS;
export type UseAnswer = keyof typeof USE_ANSWERS;

/** Phrases a facilitator adds with one click to a member's response. */
export const QUICK_PHRASES = [
  "Shared openly with the group.",
  "Gave feedback to peers.",
  "Engaged when prompted.",
  "Identified a personal trigger.",
  "Practised the skill in role-play.",
  "Quiet but attentive.",
  "Left the room briefly; returned.",
  "Completed the worksheet.",
] as const;

export const NOTE_LIMITS = { text: 4000, short: 200, objectives: 12, addendum: 4000 } as const;

const text = (max: number) => z.string().max(max, `Keep it under ${max} characters.`).catch("");

export const sharedSchema = z.object({
  topic: text(NOTE_LIMITS.short),
  curriculum: text(NOTE_LIMITS.short),
  interventions: text(NOTE_LIMITS.text),
  process: text(NOTE_LIMITS.text),
});
export type GroupShared = z.infer<typeof sharedSchema>;
export const EMPTY_SHARED: GroupShared = { topic: "", curriculum: "", interventions: "", process: "" };

export const objectiveNoteSchema = z.object({
  /** "p{problem}.o{objective}" in the active plan, 1-based. */
  key: z.string().max(20),
  text: z.string().max(2000),
  progress: z.enum(Object.keys(OBJECTIVE_PROGRESS) as [ObjectiveProgress, ...ObjectiveProgress[]]),
  comment: z.string().max(NOTE_LIMITS.short).catch(""),
});
export type ObjectiveNote = z.infer<typeof objectiveNoteSchema>;

export const entryContentSchema = z.object({
  sections: z.record(z.string().max(20), z.string().max(NOTE_LIMITS.text)).catch({}),
  participation: z.enum([...(Object.keys(PARTICIPATION) as [Participation, ...Participation[]]), ""]).catch(""),
  objectives: z.array(objectiveNoteSchema).max(NOTE_LIMITS.objectives).catch([]),
  harm: z.enum([...(Object.keys(HARM_ANSWERS) as [HarmAnswer, ...HarmAnswer[]]), ""]).catch(""),
  harmDetail: text(NOTE_LIMITS.short),
  use: z.enum([...(Object.keys(USE_ANSWERS) as [UseAnswer, ...UseAnswer[]]), ""]).catch(""),
  useDetail: text(NOTE_LIMITS.short),
});
export type EntryContent = z.infer<typeof entryContentSchema>;
export const EMPTY_ENTRY: EntryContent = { sections: {}, participation: "", objectives: [], harm: "", harmDetail: "", use: "", useDetail: "" };

export function parseShared(json: string): GroupShared {
  try {
    return sharedSchema.parse(JSON.parse(json));
  } catch {
    return { ...EMPTY_SHARED };
  }
}

export function parseEntry(json: string): EntryContent {
  try {
    return entryContentSchema.parse(JSON.parse(json));
  } catch {
    return { ...EMPTY_ENTRY, sections: {} };
  }
}

export type NoteKind = "group" | "individual" | "family";

/** The sections a patient's part is written in. */
export function entrySections(kind: NoteKind, format: NoteFormat): readonly { key: string; label: string; hint: string }[] {
  return kind === "group" ? GROUP_ENTRY_SECTIONS : NOTE_FORMATS[format].sections;
}

/** One thing that keeps a note from being signed, at the form field it is about. */
export interface NoteGap {
  /** "shared.topic", or "entry.<patientId>.<field>" */
  path: string;
  message: string;
}

/**
 * What a note needs before it is signed: a group's topic, interventions and how it went; for each
 * patient, every section of their part, their participation (groups), and both risk questions
 * answered, with a word of detail when the answer is not the reassuring one.
 */
export function noteGaps(
  note: { kind: NoteKind; format: NoteFormat; shared: GroupShared },
  entries: readonly { patientId: string; name: string; content: EntryContent }[],
): NoteGap[] {
  const gaps: NoteGap[] = [];
  if (note.kind === "group") {
    for (const f of GROUP_SHARED_FIELDS)
      if (f.required && !note.shared[f.key].trim()) gaps.push({ path: `shared.${f.key}`, message: `Write the group's ${f.label.toLowerCase()}.` });
  }
  if (!entries.length) gaps.push({ path: "entries", message: "No one attended: there is no patient to write this note for." });
  for (const e of entries) {
    const at = (field: string) => `entry.${e.patientId}.${field}`;
    for (const s of entrySections(note.kind, note.format))
      if (!(e.content.sections[s.key] ?? "").trim()) gaps.push({ path: at(s.key), message: `${e.name}: write the ${s.label.toLowerCase()}.` });
    if (note.kind === "group" && !e.content.participation) gaps.push({ path: at("participation"), message: `${e.name}: say how they participated.` });
    if (!e.content.harm) gaps.push({ path: at("harm"), message: `${e.name}: answer the question on thoughts of harm.` });
    else if (e.content.harm !== "denied" && !e.content.harmDetail.trim())
      gaps.push({ path: at("harmDetail"), message: `${e.name}: say what was done about the thoughts of harm.` });
    if (!e.content.use) gaps.push({ path: at("use"), message: `${e.name}: answer the question on use since the last session.` });
    else if (e.content.use !== "none" && !e.content.useDetail.trim())
      gaps.push({ path: at("useDetail"), message: `${e.name}: say what was used or suspected.` });
  }
  return gaps;
}

export const DEFAULT_LATE_HOURS = 24;
export const LATE_HOURS_RANGE = { min: 1, max: 168 } as const;

/** A note signed more than `lateHours` after its session ended is a late entry. */
export function isLateEntry(sessionEndsAt: string, signedAt: string, lateHours: number): boolean {
  return Date.parse(signedAt) - Date.parse(sessionEndsAt) > lateHours * 3_600_000;
}

/** Hours from the session's end to the signature (never negative), for the completion-lag report. */
export function lagHours(sessionEndsAt: string, signedAt: string): number {
  return Math.max(0, (Date.parse(signedAt) - Date.parse(sessionEndsAt)) / 3_600_000);
}

/** The median of a list of numbers (the mean of the middle two for an even count), or null when empty. */
export function median(values: readonly number[]): number | null {
  if (!values.length) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export type NoteState = "missing" | "draft" | "awaiting_cosign" | "signed";
export const NOTE_STATE_LABELS: Record<NoteState, string> = {
  missing: "No note",
  draft: "Draft, not signed",
  awaiting_cosign: "Waiting for co-signature",
  signed: "Signed",
};

/** Where a note stands: not started, a draft, signed but waiting for a co-signature, or signed. */
export function noteState(n: { signedAt: string | null; cosignRequired: boolean; cosignedAt: string | null } | null): NoteState {
  if (!n) return "missing";
  if (!n.signedAt) return "draft";
  if (n.cosignRequired && !n.cosignedAt) return "awaiting_cosign";
  return "signed";
}

/**
 * A session counts as documented for a patient when its note is signed by the author (a note
 * waiting for a supervisor's co-signature is signed by a clinician and documents the service; the
 * co-signature is the supervisor's review of it). A day is documented when every session the
 * patient attended that day is.
 */
export const documents = (state: NoteState) => state === "signed" || state === "awaiting_cosign";

export interface SessionAttended {
  date: string;
  minutes: number;
  documented: boolean;
}

/** Minutes attended per day, documented and not. */
export function documentedByDay(sessions: readonly SessionAttended[]): Map<string, { documented: number; undocumented: number }> {
  const out = new Map<string, { documented: number; undocumented: number }>();
  for (const s of sessions) {
    const d = out.get(s.date) ?? { documented: 0, undocumented: 0 };
    if (s.documented) d.documented += s.minutes;
    else d.undocumented += s.minutes;
    out.set(s.date, d);
  }
  return out;
}

/** A note may be written once the session has ended (or started, for one already under way). */
export function sessionHeld(startsAt: string, now: Date): boolean {
  return Date.parse(startsAt) <= now.getTime();
}

/** The settings' keys in `program_settings` / `site_settings`. */
export const NOTE_SETTING_KEYS = { format: "note_format", lateHours: "note_late_hours", billing: "notes_required_for_billing" } as const;

/**
 * The note page's forms, one intent each (a discriminated union on `intent`), shared by the editor
 * and the action. A part's save carries the version the writer opened; every text is bounded by
 * NOTE_LIMITS, and a patient's part is read from flat form fields (`section.<key>`,
 * `objective.<key>.progress`) into its stored shape.
 */
import { z } from "zod";
import {
  type EntryContent,
  GROUP_SHARED_FIELDS,
  HARM_ANSWERS,
  NOTE_LIMITS,
  OBJECTIVE_PROGRESS,
  type ObjectiveNote,
  PARTICIPATION,
  USE_ANSWERS,
  type GroupShared,
} from "./rules";

const STALE = "The form is out of date; reload the page.";
const id = z.string({ error: STALE }).trim().min(1, STALE).max(64, STALE);
const version = z.coerce.number({ error: STALE }).int().min(0, STALE).max(1_000_000_000, STALE);
const text = (label: string, max: number) =>
  z
    .string()
    .max(max, `${label}: keep it under ${max.toLocaleString("en-US")} characters.`)
    .optional()
    .transform((v) => v ?? "");
function choice<T extends Record<string, string>>(options: T, label: string) {
  type K = Extract<keyof T, string>;
  const values = ["", ...Object.keys(options)] as ["" | K, ...("" | K)[]];
  return z
    .enum(values, { error: `Choose ${label} from the list.` })
    .optional()
    .transform((v): "" | K => v ?? "");
}

export const requestKey = z.string({ error: STALE }).regex(/^[0-9a-f-]{36}$/, STALE);

const sharedFields = Object.fromEntries(
  GROUP_SHARED_FIELDS.map((f) => [f.key, text(f.label, f.key === "topic" || f.key === "curriculum" ? NOTE_LIMITS.short : NOTE_LIMITS.text)]),
) as Record<keyof GroupShared, ReturnType<typeof text>>;

/** The most sections any format has, and the objective keys' shape ("p1.o2"). */
const MAX_SECTIONS = 6;
const OBJECTIVE_KEY = /^p\d{1,2}\.o\d{1,2}$/;

const entryFields = z.object({
  participation: choice(PARTICIPATION, "the participation"),
  harm: choice(HARM_ANSWERS, "an answer on thoughts of harm"),
  harmDetail: text("Detail on thoughts of harm", NOTE_LIMITS.short),
  use: choice(USE_ANSWERS, "an answer on use"),
  useDetail: text("Detail on use", NOTE_LIMITS.short),
  sections: z
    .record(z.string().regex(/^[a-z]{1,20}$/, STALE), text("A section", NOTE_LIMITS.text))
    .refine((r) => Object.keys(r).length <= MAX_SECTIONS, STALE)
    .default({}),
  objectives: z
    .array(
      z.object({
        key: z.string().regex(OBJECTIVE_KEY, STALE),
        text: z.string().max(2000, STALE),
        progress: choice(OBJECTIVE_PROGRESS, "the progress"),
        comment: text("A comment on an objective", NOTE_LIMITS.short),
      }),
    )
    .max(NOTE_LIMITS.objectives * 2, STALE)
    .default([]),
});

export const noteActionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("open") }),
  z.object({ intent: z.literal("save-shared"), noteId: id, version, ...sharedFields }),
  z.object({ intent: z.literal("save-entry"), noteId: id, patientId: id, version }).extend(entryFields.shape),
  z.object({ intent: z.literal("sign"), noteId: id }),
  z.object({ intent: z.literal("cosign"), noteId: id }),
  z.object({
    intent: z.literal("addendum"),
    noteId: id,
    patientId: z
      .string()
      .max(64, STALE)
      .optional()
      .transform((v) => v || null),
    requestKey,
    text: z
      .string()
      .max(NOTE_LIMITS.addendum, `Keep the addendum under ${NOTE_LIMITS.addendum.toLocaleString("en-US")} characters.`)
      .default(""),
  }),
]);
export type NoteAction = z.infer<typeof noteActionSchema>;
export const NOTE_INTENTS = ["open", "save-shared", "save-entry", "sign", "cosign", "addendum"] as const;
export type NoteIntent = (typeof NOTE_INTENTS)[number];
/** What the editor is told when a save could not reach the server (it keeps the text and retries). */
export type Offline = { ok: false; offline: true; intent: string; saveToken?: string };

/** The intents that save a part as the person types (no page reload after them). */
export const AUTOSAVE_INTENTS: readonly string[] = ["save-shared", "save-entry"];

/**
 * A flat form (FormData entries) as the schema reads it: `section.<key>` into `sections`,
 * `objective.<key>.<field>` into `objectives` (one per key, in form order). Other fields as they are.
 */
export function noteFormObject(entries: Iterable<[string, FormDataEntryValue]>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const sections: Record<string, string> = {};
  const objectives = new Map<string, Record<string, string>>();
  for (const [name, raw] of entries) {
    const value = typeof raw === "string" ? raw : "";
    const section = /^section\.([a-z]{1,20})$/.exec(name);
    const objective = /^objective\.(p\d{1,2}\.o\d{1,2})\.(text|progress|comment)$/.exec(name);
    if (section) sections[section[1]!] = value;
    else if (objective) {
      if (!objectives.has(objective[1]!) && objectives.size >= NOTE_LIMITS.objectives * 2) continue;
      const o = objectives.get(objective[1]!) ?? { key: objective[1]! };
      o[objective[2]!] = value;
      objectives.set(objective[1]!, o);
    } else if (!(name in out)) out[name] = value;
  }
  if (out.intent === "save-entry") {
    out.sections = sections;
    out.objectives = [...objectives.values()];
  }
  return out;
}

/** A patient's part as stored, from a parsed save: objectives with no progress chosen are not addressed. */
export function entryContentOf(v: Extract<NoteAction, { intent: "save-entry" }>): EntryContent {
  const objectives: ObjectiveNote[] = v.objectives
    .filter((o) => o.progress)
    .slice(0, NOTE_LIMITS.objectives)
    .map((o) => ({ key: o.key, text: o.text, progress: o.progress as ObjectiveNote["progress"], comment: o.comment }));
  return {
    sections: v.sections,
    participation: v.participation,
    objectives,
    harm: v.harm,
    harmDetail: v.harmDetail,
    use: v.use,
    useDetail: v.useDetail,
  };
}

export function sharedOf(v: Extract<NoteAction, { intent: "save-shared" }>): GroupShared {
  return { topic: v.topic, curriculum: v.curriculum, interventions: v.interventions, process: v.process };
}

/**
 * Reading a submitted roll call: one `status.<patientId>` field per patient, with `mode.`,
 * `minutes.` and `note.` beside it. Read in one pass over the fields into maps, then joined by
 * patient id: linear in what was sent. (It used to ask `form.get()` for each patient's mode,
 * minutes and note, and each of those scans every field: 100,000 status fields kept the whole
 * server busy for 100 seconds. Issue 16, finding 3.)
 */
import type { MarkInput } from "./attendance.server";
import { type AttendanceStatus, STATUS_KEYS } from "./rules";

export type RollCallForm = { ok: true; marks: MarkInput[]; version: number; reason: string } | { ok: false; formError: string };

export const UNKNOWN_STATUS = "Choose one of the listed statuses for each patient.";

const STATUSES = new Set<string>(STATUS_KEYS);
const ID_LENGTH = 64;

export function readRollCallForm(form: FormData): RollCallForm {
  // The first value of a field wins, as `form.get()` would have it.
  const statuses = new Map<string, string>();
  const modes = new Map<string, string>();
  const minutes = new Map<string, string>();
  const notes = new Map<string, string>();
  let version: string | undefined;
  let reason: string | undefined;
  for (const [key, value] of form.entries()) {
    if (typeof value !== "string") continue;
    const dot = key.indexOf(".");
    const prefix = dot < 0 ? key : key.slice(0, dot);
    const id = dot < 0 ? "" : key.slice(dot + 1, dot + 1 + ID_LENGTH);
    const into = prefix === "status" ? statuses : prefix === "mode" ? modes : prefix === "minutes" ? minutes : prefix === "note" ? notes : null;
    if (into && dot >= 0) {
      if (!into.has(id)) into.set(id, value);
    } else if (key === "version") version ??= value;
    else if (key === "reason") reason ??= value;
  }
  const marks: MarkInput[] = [];
  for (const [patientId, status] of statuses) {
    if (!status) continue;
    if (!STATUSES.has(status)) return { ok: false, formError: UNKNOWN_STATUS };
    const minutesText = (minutes.get(patientId) ?? "").trim();
    marks.push({
      patientId,
      status: status as AttendanceStatus,
      mode: modes.get(patientId) === "telehealth" ? "telehealth" : "in_person",
      minutes: minutesText === "" ? undefined : Number(minutesText),
      note: (notes.get(patientId) ?? "").slice(0, 300),
    });
  }
  // As before: a missing version reads as 0 (a first save), anything not a whole number as -1 (stale).
  const v = Number(version ?? null);
  return { ok: true, marks, version: Number.isInteger(v) ? v : -1, reason: (reason ?? "").slice(0, 300) };
}

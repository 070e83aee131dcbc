/**
 * One part of a note (the group's shared part, or one patient's part) saving itself: through a
 * fetcher, ~1.5 s after the person stops typing and when focus leaves the part, with the version it
 * last saved at. One save at a time (a change made while one is in flight is sent after it, so a
 * part never races itself into a conflict). A refused save keeps the text in the fields: on a
 * conflict it adopts the other person's version, so the next save goes through once the person has
 * compared the two; when the server cannot be reached, the next change or blur tries again.
 *
 * Whether there is something to save is read from the form itself, not only from the events that
 * led to it: the fields as last sent are kept, and when a save's answer comes back (or the note is
 * about to be signed) a form that no longer matches them is sent again. A change the events
 * missed, or one that reached the fields only after a save had read them, is never left behind.
 */
import { useFetcher } from "@remix-run/react";
import { useCallback, useEffect, useRef, useState } from "react";
import type { NoteActionResult } from "../note-page.server";
import type { Offline } from "../schemas";

export const AUTOSAVE_MS = 1500;

export type SaveAnswer = NoteActionResult | Offline;

export type PartStatus =
  | { kind: "idle" }
  | { kind: "saving" }
  | { kind: "saved"; at: string }
  | { kind: "offline" }
  | { kind: "conflict"; message: string; current: NonNullable<Extract<NoteActionResult, { ok: false }>["current"]> }
  | { kind: "refused"; message: string; fieldErrors: Record<string, string[]> };

export interface PartHandle {
  /** Sends any unsaved change now; true when a save was started or is still on its way. */
  flush: () => boolean;
  busy: () => boolean;
  /** The part has text the server does not have (a conflict or an unreachable server). */
  unsaved: () => boolean;
}

/** The part's fields as a save sends them (without the per-save fields), to compare two moments. */
function fieldsOf(form: HTMLFormElement | null): string {
  if (!form) return "";
  const out: string[] = [];
  for (const [name, value] of new FormData(form)) {
    if (name === "version" || name === "js" || name === "saveToken") continue;
    out.push(`${name}=${typeof value === "string" ? value : value.name}`);
  }
  return out.join("\u0000");
}

export function usePartAutosave(partKey: string, initialVersion: number, onSettled: () => void) {
  const fetcher = useFetcher<SaveAnswer>({ key: `note-part-${partKey}` });
  const formRef = useRef<HTMLFormElement>(null);
  const version = useRef(initialVersion);
  const [shownVersion, setShownVersion] = useState(initialVersion);
  const dirty = useRef(false);
  const again = useRef(false);
  const inFlight = useRef(false);
  /** The fields as the server last accepted them (null until known: the fields as first shown). */
  const accepted = useRef<string | null>(null);
  /** The fields the save on its way carries. */
  const sending = useRef("");
  /** The token the current save sent; only the answer echoing it is this save's answer. */
  const token = useRef("");
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const [status, setStatus] = useState<PartStatus>({ kind: "idle" });
  const statusRef = useRef(status);
  statusRef.current = status;

  const save = useCallback(() => {
    clearTimeout(timer.current);
    timer.current = undefined;
    const form = formRef.current;
    if (!form) return;
    if (inFlight.current) {
      again.current = true;
      return;
    }
    dirty.current = false;
    inFlight.current = true;
    sending.current = fieldsOf(form);
    token.current = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
    const data = new FormData(form);
    data.set("version", String(version.current));
    data.set("js", "1");
    data.set("saveToken", token.current);
    setStatus({ kind: "saving" });
    fetcher.submit(data, { method: "post" });
  }, [fetcher]);

  useEffect(() => {
    if (!inFlight.current || fetcher.state !== "idle") return;
    // A render between submit() and the fetcher leaving "idle" still shows an earlier answer:
    // taking it for this save's would adopt a stale version, and let the note be signed while
    // this save is still on its way. Only the answer that echoes this save's token is its own.
    const d = fetcher.data;
    if (!d || (d as { saveToken?: string }).saveToken !== token.current) return;
    inFlight.current = false;
    if (d.ok && typeof d.version === "number") {
      accepted.current = sending.current;
      version.current = d.version;
      setShownVersion(d.version);
      setStatus({ kind: "saved", at: d.savedAt ?? new Date().toISOString() });
    } else if (!d.ok && "offline" in d) {
      dirty.current = true;
      setStatus({ kind: "offline" });
    } else if (!d.ok && d.current) {
      // The other person's version becomes the base: the next save (the person's choice) goes through.
      version.current = d.current.version;
      setShownVersion(d.current.version);
      dirty.current = true;
      setStatus({ kind: "conflict", message: d.formError ?? "Someone else saved this part first.", current: d.current });
    } else if (!d.ok) {
      dirty.current = true;
      setStatus({ kind: "refused", message: d.formError ?? "Not saved.", fieldErrors: d.fieldErrors ?? {} });
    }
    // Sent again when asked to meanwhile, or when the fields now differ from what was just accepted.
    if (again.current || (d.ok && changedSinceAccepted())) {
      again.current = false;
      save();
    }
    onSettled();
  }, [fetcher.state, fetcher.data, save, onSettled]);

  useEffect(() => {
    // The fields as first shown are what the server has.
    if (accepted.current === null) accepted.current = fieldsOf(formRef.current);
    return () => clearTimeout(timer.current);
  }, []);

  /** The fields differ from what the server last accepted (always false before that is known). */
  function changedSinceAccepted(): boolean {
    return accepted.current !== null && fieldsOf(formRef.current) !== accepted.current;
  }

  /** A change in the part: save once typing pauses. */
  const changed = useCallback(() => {
    dirty.current = true;
    clearTimeout(timer.current);
    timer.current = setTimeout(save, AUTOSAVE_MS);
  }, [save]);

  /** Focus left the part (or a field in it): save now if anything changed. */
  const left = useCallback(() => {
    if (dirty.current) save();
  }, [save]);

  const handle: PartHandle = {
    flush: () => {
      if (dirty.current || (!inFlight.current && timer.current === undefined && changedSinceAccepted())) save();
      return inFlight.current || again.current;
    },
    busy: () => inFlight.current || again.current || timer.current !== undefined,
    unsaved: () => dirty.current && (statusRef.current.kind === "offline" || statusRef.current.kind === "conflict" || statusRef.current.kind === "refused"),
  };

  return { formRef, status, version: shownVersion, changed, left, save, handle };
}

/**
 * Notes as a patient's chart reads them (issue 20, items 8 and 9): the list of a patient's notes,
 * paged and filtered on the server; one note with the shared part and only this patient's own part
 * (through `noteForPatient`); and the notes of a date range for printing. Nothing here ever reads
 * another member's part of a group note: the list joins only this patient's entry, and the search
 * matches the shared part and this patient's part, never anyone else's.
 *
 * Drafts are listed ("Draft, not signed") so a reader knows a note is on its way, but their text
 * is shown only to the people writing them (the session's facilitator and co-facilitator): a
 * draft can still change and is not yet part of the record, so nobody else reads or searches it.
 *
 * SUD counseling notes are not here: see counseling.server.ts.
 */
import { sql } from "kysely";
import type { DB, Queryable } from "~/kernel/db";
import type { Actor } from "~/kernel/actor";
import { isCivilDate } from "~/kernel/time";
import { recordAudit } from "~/features/audit/audit.server";
import type { ClientMeta } from "~/utils/request.server";
import { type NoteView, noteForPatient } from "./notes.server";
import { type NoteKind, type NoteState, noteState, parseEntry, parseShared } from "./rules";

const NOTE_KINDS = new Set<string>(["group", "individual", "family"]);
export const CHART_PAGE_SIZE = 20;
/** The most notes one print (or one disclosure) holds: a longer range is refused with a message to narrow it. */
export const PRINT_LIMIT = 200;
/** A search reads at most this many of the patient's notes whose stored text contains the words. */
const SEARCH_CANDIDATES = 2000;

export interface ChartNoteFilters {
  q: string;
  kind: NoteKind | "";
  author: string;
  from: string;
  to: string;
  page: number;
}

/** The list's filters from the URL; a bad value is dropped with a message at its field, never a 500. */
export function readChartNoteFilters(url: URL): { filters: ChartNoteFilters; errors: Record<string, string> } {
  const sp = url.searchParams;
  const errors: Record<string, string> = {};
  const q = (sp.get("q") ?? "").trim();
  const kind = sp.get("kind") ?? "";
  const author = sp.get("author") ?? "";
  const from = sp.get("from") ?? "";
  const to = sp.get("to") ?? "";
  const page = Number.parseInt(sp.get("page") ?? "1", 10);
  if (q.length > 100) errors.q = "Search for at most 100 characters.";
  if (kind && !NOTE_KINDS.has(kind)) errors.kind = "Choose a kind from the list.";
  if (author.length > 64) errors.author = "Choose an author from the list.";
  if (from && !isCivilDate(from)) errors.from = "Enter a date.";
  if (to && !isCivilDate(to)) errors.to = "Enter a date.";
  if (!errors.from && !errors.to && from && to && from > to) errors.to = "The last day must be on or after the first.";
  return {
    filters: {
      q: errors.q ? "" : q,
      kind: errors.kind ? "" : (kind as NoteKind | ""),
      author: errors.author ? "" : author,
      from: errors.from ? "" : from,
      to: errors.to || errors.from ? "" : to,
      page: Number.isFinite(page) && page >= 1 && page <= 100_000 ? page : 1,
    },
    errors,
  };
}

export type ChartNoteState = NoteState | "late_entry";

export interface ChartNoteRow {
  id: string;
  date: string;
  startsAt: string;
  title: string;
  kind: NoteKind;
  author: string;
  state: Exclude<ChartNoteState, "missing">;
  lateEntry: boolean;
  addenda: number;
}

/** What the chart shows of a note's state: a late entry is said so; a late entry awaiting co-signature stays "awaiting". */
export function chartState(n: { state: NoteState; lateEntry: boolean }): Exclude<ChartNoteState, "missing"> {
  if (n.state === "signed" && n.lateEntry) return "late_entry";
  return n.state === "missing" ? "draft" : n.state;
}

/** The patient's notes at the reader's sites, with this patient's entry only. */
function patientNotes(db: Queryable, patientId: string, siteIds: string[]) {
  return db
    .selectFrom("notes as n")
    .innerJoin("note_entries as e", (j) => j.onRef("e.note_id", "=", "n.id").on("e.patient_id", "=", patientId))
    .innerJoin("sessions as s", "s.id", "n.session_id")
    .where("n.site_id", "in", siteIds);
}

/** Whether the reader may read a note's text: it is signed, or they are writing it. */
const readsText = (n: { signed_at: string | null; facilitator_id: string; co_facilitator_id: string | null }, viewerId: string) =>
  Boolean(n.signed_at) || n.facilitator_id === viewerId || n.co_facilitator_id === viewerId;

/** Every word a person could search for in a part: its text values, never the JSON's keys. */
function searchableText(shared: string, entry: string): string {
  const s = parseShared(shared);
  const e = parseEntry(entry);
  return [...Object.values(s), ...Object.values(e.sections), ...e.objectives.flatMap((o) => [o.text, o.comment]), e.harmDetail, e.useDetail]
    .join("\n")
    .toLowerCase();
}

/**
 * One page of a patient's notes, newest first, with the filters applied on the server. With search
 * words, the database first narrows to notes whose shared part or this patient's part contains them
 * (as stored), then each candidate is checked on its text values, so a word that is only a field's
 * name (say "plan") does not match every note; drafts count only for the people writing them.
 */
export async function chartNotesPage(db: Queryable, patientId: string, siteIds: string[], viewerId: string, f: ChartNoteFilters) {
  if (patientId.length > 64 || !siteIds.length) return { rows: [] as ChartNoteRow[], total: 0, page: 1, pageSize: CHART_PAGE_SIZE, capped: false };
  let base = patientNotes(db, patientId, siteIds);
  if (f.kind) base = base.where("n.kind", "=", f.kind);
  if (f.author)
    base = base.where((eb) => eb.or([eb("s.facilitator_id", "=", f.author), eb("s.co_facilitator_id", "=", f.author), eb("n.signed_by", "=", f.author)]));
  if (f.from) base = base.where("n.local_date", ">=", f.from);
  if (f.to) base = base.where("n.local_date", "<=", f.to);
  let ids: string[] | null = null;
  let capped = false;
  if (f.q) {
    const words = f.q.toLowerCase();
    // As the words would be stored inside a JSON string (quotes and backslashes escaped).
    const stored = JSON.stringify(words).slice(1, -1);
    const like = `%${stored.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const candidates = await base
      .select(["n.id", "n.shared", "e.content", "n.signed_at", "s.facilitator_id", "s.co_facilitator_id"])
      .where((eb) => eb.or([sql<boolean>`lower(n.shared) like ${like} escape '\\'`, sql<boolean>`lower(e.content) like ${like} escape '\\'`]))
      .limit(SEARCH_CANDIDATES + 1)
      .execute();
    capped = candidates.length > SEARCH_CANDIDATES;
    ids = candidates
      .slice(0, SEARCH_CANDIDATES)
      .filter((c) => readsText(c, viewerId) && searchableText(c.shared, c.content).includes(words))
      .map((c) => c.id);
    if (!ids.length) return { rows: [], total: 0, page: 1, pageSize: CHART_PAGE_SIZE, capped };
  }
  const filtered = ids ? base.where("n.id", "in", ids) : base;
  const countRow = await filtered.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirst();
  const total = Number(countRow?.n ?? 0);
  const lastPage = Math.max(1, Math.ceil(total / CHART_PAGE_SIZE));
  const page = Math.min(f.page, lastPage);
  const rows = await filtered
    .innerJoin("users as fu", "fu.id", "s.facilitator_id")
    .leftJoin("users as sb", "sb.id", "n.signed_by")
    .select((eb) => [
      "n.id",
      "n.local_date",
      "n.kind",
      "n.signed_at",
      "n.late_entry",
      "n.cosign_required",
      "n.cosigned_at",
      "s.title",
      "s.starts_at",
      "fu.name as facilitator_name",
      "sb.name as signed_by_name",
      eb
        .selectFrom("note_addenda as a")
        .select((x) => x.fn.countAll<number>().as("c"))
        .whereRef("a.note_id", "=", "n.id")
        .where((x) => x.or([x("a.patient_id", "is", null), x("a.patient_id", "=", patientId)]))
        .as("addenda"),
    ])
    .orderBy("n.local_date", "desc")
    .orderBy("s.starts_at", "desc")
    .orderBy("n.id", "desc")
    .limit(CHART_PAGE_SIZE)
    .offset((page - 1) * CHART_PAGE_SIZE)
    .execute();
  return {
    rows: rows.map((r): ChartNoteRow => {
      const lateEntry = Boolean(Number(r.late_entry));
      const state = noteState({ signedAt: r.signed_at, cosignRequired: Boolean(Number(r.cosign_required)), cosignedAt: r.cosigned_at });
      return {
        id: r.id,
        date: r.local_date,
        startsAt: r.starts_at,
        title: r.title,
        kind: r.kind as NoteKind,
        author: r.signed_by_name ?? r.facilitator_name,
        state: chartState({ state, lateEntry }),
        lateEntry,
        addenda: Number(r.addenda ?? 0),
      };
    }),
    total,
    page,
    pageSize: CHART_PAGE_SIZE,
    capped,
  };
}

/** The people who facilitated or signed this patient's notes: the author filter's choices. */
export async function chartNoteAuthors(db: Queryable, patientId: string, siteIds: string[]) {
  if (patientId.length > 64 || !siteIds.length) return [];
  const ids = patientNotes(db, patientId, siteIds);
  const rows = await db
    .selectFrom("users as u")
    .select(["u.id", "u.name"])
    .where((eb) =>
      eb.or([
        eb("u.id", "in", ids.select("s.facilitator_id")),
        eb("u.id", "in", ids.select("s.co_facilitator_id").where("s.co_facilitator_id", "is not", null)),
        eb("u.id", "in", ids.select("n.signed_by").where("n.signed_by", "is not", null)),
      ]),
    )
    .orderBy("u.name")
    .limit(200)
    .execute();
  return rows;
}

/** A note as the chart shows it, with its text withheld from a draft for anyone not writing it. */
export interface ChartNote {
  note: NoteView;
  /** False for a draft read by someone other than its writers: only its heading is shown. */
  textShown: boolean;
  state: Exclude<ChartNoteState, "missing">;
}

const withoutText = (n: NoteView): NoteView => ({
  ...n,
  shared: { topic: "", curriculum: "", interventions: "", process: "" },
  parts: n.parts.map((p) => ({ ...p, content: { sections: {}, participation: "", objectives: [], harm: "", harmDetail: "", use: "", useDetail: "" } })),
  addenda: [],
});

/** One note in this patient's chart: the shared part and only their part and addenda (noteForPatient filters them). */
export async function chartNote(db: Queryable, noteId: string, patientId: string, siteIds: string[], viewerId: string): Promise<ChartNote | null> {
  const note = await noteForPatient(db, noteId, patientId, siteIds);
  if (!note) return null;
  const textShown = note.state !== "draft" || note.facilitatorId === viewerId || note.coFacilitatorId === viewerId;
  return { note: textShown ? note : withoutText(note), textShown, state: chartState(note) };
}

/**
 * The signed notes (signed, awaiting co-signature, or late) of a date range for printing or
 * disclosing, oldest first: the shared part and this patient's part only. Null when there are more
 * than `PRINT_LIMIT` (narrow the range).
 */
export async function signedNotesInRange(db: Queryable, patientId: string, siteIds: string[], from: string, to: string): Promise<NoteView[] | null> {
  if (patientId.length > 64 || !siteIds.length) return [];
  const ids = await patientNotes(db, patientId, siteIds)
    .select("n.id")
    .where("n.signed_at", "is not", null)
    .where("n.local_date", ">=", from)
    .where("n.local_date", "<=", to)
    .orderBy("n.local_date")
    .orderBy("s.starts_at")
    .orderBy("n.id")
    .limit(PRINT_LIMIT + 1)
    .execute();
  if (ids.length > PRINT_LIMIT) return null;
  const notes: NoteView[] = [];
  for (const { id } of ids) {
    const n = await noteForPatient(db, id, patientId, siteIds);
    if (n) notes.push(n);
  }
  return notes;
}

/** Records a print of this patient's notes: how many and which, never their text. */
export async function auditNotesPrinted(
  db: DB,
  actor: Actor,
  patientId: string,
  siteId: string,
  detail: { notes: number; noteId?: string; from?: string; to?: string },
  meta: ClientMeta,
) {
  await recordAudit(db, { actor, action: "note.printed", entityType: "patient", entityId: patientId, patientId, siteId, detail, meta });
}

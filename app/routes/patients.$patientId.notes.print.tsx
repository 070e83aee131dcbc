import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { RouteErrorBoundary } from "~/components/error-boundary";
import { PrintPage } from "~/features/consents/components/print-page";
import { auditNotesPrinted, chartNote, PRINT_LIMIT, signedNotesInRange } from "~/features/notes/chart.server";
import { chartState } from "~/features/notes/chart.server";
import { CHART_NOTE_CSS, ChartNoteDocument } from "~/features/notes/components/chart-note";
import { requirePatient } from "~/features/patients/access.server";
import { isCivilDate, shortDate } from "~/kernel/time";
import { PART2_REDISCLOSURE_NOTICE } from "~/utils/part2";

// The MRN, never the name: a title stays in browser history (and names the printed file).
export const meta: MetaFunction<typeof loader> = ({ data: d }) => [{ title: `Notes · ${d?.patient.mrn ?? "Patient"}` }];

const refuse = (message: string): never => {
  throw data({ message }, { status: 400 });
};

/**
 * A print of one signed note (`?note=`) or of this patient's signed notes in a date range
 * (`?from=&to=`): the shared part and this patient's own part only, never a draft, never an SUD
 * counseling note. Every print is audited (`note.printed`, with the count and the range, never the text).
 */
export async function loader(args: LoaderFunctionArgs) {
  const { db, user, patientId, sites, header, meta } = await requirePatient(args, "read:notes", null);
  const siteIds = sites.map((s) => s.id);
  const sp = new URL(args.request.url).searchParams;
  const noteId = sp.get("note");
  const patient = { id: patientId, name: header.identity.name, mrn: header.identity.mrn, program: header.identity.siteName };
  if (noteId) {
    const found = await chartNote(db, noteId, patientId, siteIds, user.id);
    if (!found) throw data({ message: "There is no such note in this patient's chart." }, { status: 404 });
    if (found.note.state === "draft") refuse("This note is a draft: only signed notes are printed.");
    await auditNotesPrinted(db, user, patientId, header.siteId, { notes: 1, noteId: found.note.id }, meta);
    return { patient, timeZone: header.timeZone, range: null, notes: [{ note: found.note, state: found.state }] };
  }
  const from = sp.get("from") ?? "";
  const to = sp.get("to") ?? "";
  if (!isCivilDate(from) || !isCivilDate(to)) refuse("Give the first and last day of the notes to print.");
  if (from > to) refuse("The last day must be on or after the first.");
  const notes = await signedNotesInRange(db, patientId, siteIds, from, to);
  if (!notes) refuse(`More than ${PRINT_LIMIT} notes fall in this range: print a shorter one.`);
  await auditNotesPrinted(db, user, patientId, header.siteId, { notes: notes!.length, from, to }, meta);
  return { patient, timeZone: header.timeZone, range: { from, to }, notes: notes!.map((n) => ({ note: n, state: chartState(n) })) };
}

export default function PrintNotes() {
  const d = useLoaderData<typeof loader>();
  return (
    <PrintPage back={`/patients/${d.patient.id}/notes`} backLabel="Back to the chart's notes">
      <style>{CHART_NOTE_CSS}</style>
      <div className="notice" role="note" aria-label="42 CFR part 2 notice">
        {PART2_REDISCLOSURE_NOTICE.map((p) => (
          <p key={p}>{p}</p>
        ))}
      </div>
      <h1>{d.range ? "Progress notes" : "Progress note"}</h1>
      <dl>
        <dt>Patient</dt>
        <dd>
          {d.patient.name}, {d.patient.mrn}
        </dd>
        <dt>Program</dt>
        <dd>{d.patient.program}</dd>
        {d.range ? (
          <>
            <dt>Period</dt>
            <dd>
              {shortDate(d.range.from)} through {shortDate(d.range.to)}: {d.notes.length} signed {d.notes.length === 1 ? "note" : "notes"}
            </dd>
          </>
        ) : null}
      </dl>
      {d.notes.length ? (
        d.notes.map((n) => <ChartNoteDocument key={n.note.id} note={n.note} state={n.state} textShown timeZone={d.timeZone} />)
      ) : (
        <p>No signed notes in this period.</p>
      )}
      <p className="small muted">{PART2_REDISCLOSURE_NOTICE[0]} Group notes show the group&apos;s shared part and this patient&apos;s own part only.</p>
    </PrintPage>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}

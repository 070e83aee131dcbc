import { ATTENDANCE_MODES } from "~/features/attendance/rules";
import { formatInstant, instantRange, longDate } from "~/kernel/time";
import {
  entrySections,
  GROUP_SHARED_FIELDS,
  HARM_ANSWERS,
  type HarmAnswer,
  OBJECTIVE_PROGRESS,
  PARTICIPATION,
  type Participation,
  USE_ANSWERS,
  type UseAnswer,
} from "../rules";
import type { NoteView } from "../notes.server";

export const KIND_LABELS = { group: "Group", individual: "Individual", family: "Family" } as const;
export const STATE_LABELS = {
  draft: "Draft (not signed)",
  awaiting_cosign: "Awaiting co-signature",
  signed: "Signed",
  late_entry: "Signed late entry",
} as const;
export type ChartState = keyof typeof STATE_LABELS;

const modeLabel = (m: string | null) => (m ? ((ATTENDANCE_MODES as Record<string, string>)[m] ?? m) : "not recorded");
const para = (t: string) => (t.trim() ? t : "—");

/**
 * One note as a patient's chart (and its print) shows it: its heading, signatures, the group's
 * shared part, this patient's own part (the only part the view holds), and the addenda. Plain
 * elements, so the same markup reads on screen and on paper.
 */
export function ChartNoteDocument({
  note,
  state,
  textShown,
  timeZone,
  headingLevel = 2,
}: {
  note: NoteView;
  state: ChartState;
  textShown: boolean;
  timeZone: string;
  headingLevel?: 2 | 3;
}) {
  const H = headingLevel === 2 ? "h2" : "h3";
  const Sub = headingLevel === 2 ? "h3" : "h4";
  const part = note.parts[0];
  const sharedAddenda = note.addenda.filter((a) => a.patientId === null);
  const ownAddenda = note.addenda.filter((a) => a.patientId !== null);
  return (
    <article className="chart-note" aria-label={`Note: ${note.sessionTitle}, ${longDate(note.date)}`}>
      <H className="chart-note-title">
        {note.sessionTitle} · {longDate(note.date)}
      </H>
      <dl className="chart-note-facts">
        <dt>Session</dt>
        <dd>
          {KIND_LABELS[note.kind]}, {instantRange(note.startsAt, note.endsAt, timeZone)}, with {note.facilitators}
        </dd>
        <dt>State</dt>
        <dd>{STATE_LABELS[state]}</dd>
        {note.signedAt ? (
          <>
            <dt>Signed</dt>
            <dd>
              {note.signedBy}, {formatInstant(note.signedAt, timeZone)}
              {note.lateEntry ? " — late entry: signed more than the program's late-entry hours after the session ended" : ""}
            </dd>
          </>
        ) : null}
        {note.cosignRequired ? (
          <>
            <dt>Co-signature</dt>
            <dd>{note.cosignedAt ? `${note.cosignedBy}, ${formatInstant(note.cosignedAt, timeZone)}` : "Awaiting a clinical supervisor's co-signature"}</dd>
          </>
        ) : null}
        {part ? (
          <>
            <dt>Attended</dt>
            <dd>
              {part.minutes === null ? "minutes not recorded" : `${part.minutes} minutes`}, {modeLabel(part.mode).toLowerCase()}
            </dd>
          </>
        ) : null}
      </dl>
      {!textShown ? (
        <p>This note is a draft: its text is shown only to the session&apos;s facilitators until it is signed.</p>
      ) : (
        <>
          {note.kind === "group" ? (
            <section aria-label="The group's shared part">
              <Sub>The group</Sub>
              <dl className="chart-note-text">
                {GROUP_SHARED_FIELDS.map((f) => (
                  <div key={f.key}>
                    <dt>{f.label}</dt>
                    <dd>{para(note.shared[f.key])}</dd>
                  </div>
                ))}
              </dl>
            </section>
          ) : null}
          {part ? (
            <section aria-label={note.kind === "group" ? "This patient's part" : "The note"}>
              <Sub>{note.kind === "group" ? `${part.name}'s part` : "Note"}</Sub>
              <dl className="chart-note-text">
                {note.kind === "group" ? (
                  <div>
                    <dt>Participation</dt>
                    <dd>{part.content.participation ? PARTICIPATION[part.content.participation as Participation] : "—"}</dd>
                  </div>
                ) : null}
                {entrySections(note.kind, note.format).map((s) => (
                  <div key={s.key}>
                    <dt>{s.label}</dt>
                    <dd>{para(part.content.sections[s.key] ?? "")}</dd>
                  </div>
                ))}
                <div>
                  <dt>Thoughts of harm</dt>
                  <dd>
                    {part.content.harm ? HARM_ANSWERS[part.content.harm as HarmAnswer] : "—"}
                    {part.content.harmDetail ? `: ${part.content.harmDetail}` : ""}
                  </dd>
                </div>
                <div>
                  <dt>Use since last session</dt>
                  <dd>
                    {part.content.use ? USE_ANSWERS[part.content.use as UseAnswer] : "—"}
                    {part.content.useDetail ? `: ${part.content.useDetail}` : ""}
                  </dd>
                </div>
              </dl>
              {part.content.objectives.length ? (
                <table className="chart-note-table" aria-label="Objectives addressed">
                  <thead>
                    <tr>
                      <th scope="col">Objective addressed</th>
                      <th scope="col">Progress</th>
                      <th scope="col">Comment</th>
                    </tr>
                  </thead>
                  <tbody>
                    {part.content.objectives.map((o) => (
                      <tr key={o.key}>
                        <td>{o.text}</td>
                        <td>{OBJECTIVE_PROGRESS[o.progress]}</td>
                        <td>{o.comment || "—"}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              ) : (
                <p className="chart-note-muted">No treatment-plan objectives recorded in this note.</p>
              )}
            </section>
          ) : null}
          {sharedAddenda.length || ownAddenda.length ? (
            <section aria-label="Addenda">
              <Sub>Addenda</Sub>
              <ol className="chart-note-addenda">
                {[...sharedAddenda, ...ownAddenda]
                  .sort((a, b) => (a.signedAt < b.signedAt ? -1 : 1))
                  .map((a) => (
                    <li key={a.id}>
                      <p className="chart-note-addendum-head">
                        {a.patientId ? "To this patient's part" : "To the whole note"} · signed by {a.signedBy}, {formatInstant(a.signedAt, timeZone)}
                      </p>
                      <p>{a.text}</p>
                    </li>
                  ))}
              </ol>
            </section>
          ) : null}
        </>
      )}
    </article>
  );
}

/**
 * The document's own styles: readable on screen in either color scheme and on paper. No ">" in it:
 * React escapes it in a server-rendered <style>, and the page would not hydrate.
 */
export const CHART_NOTE_CSS = `
  .chart-note { line-height: 1.45; }
  .chart-note h2, .chart-note h3, .chart-note h4 { margin: 0.6em 0 0.3em; }
  .chart-note h2 { font-size: 1.3em; }
  .chart-note h3 { font-size: 1.1em; }
  .chart-note .chart-note-title { margin-top: 0; }
  .chart-note-facts, .chart-note-text { display: grid; grid-template-columns: minmax(8em, auto) 1fr; gap: 0.2em 1em; margin: 0 0 0.6em; }
  .chart-note-text div { display: contents; }
  .chart-note dt { font-weight: 700; }
  .chart-note dd { margin: 0; white-space: pre-wrap; overflow-wrap: anywhere; }
  .chart-note-table { width: 100%; border-collapse: collapse; margin: 0.4em 0; }
  .chart-note-table th, .chart-note-table td { border: 1px solid var(--mantine-color-default-border, #888); padding: 0.2em 0.5em; text-align: left; vertical-align: top; }
  .chart-note-addenda { padding-left: 1.4em; margin: 0; }
  .chart-note-addenda p { margin: 0 0 0.3em; white-space: pre-wrap; overflow-wrap: anywhere; }
  .chart-note-addendum-head { font-size: 0.9em; font-weight: 600; }
  .chart-note-muted { opacity: 0.8; font-size: 0.9em; }
  @media (max-width: 40em) { .chart-note-facts, .chart-note-text { grid-template-columns: 1fr; } .chart-note dd { margin-bottom: 0.4em; } }
  @media print { .chart-note { break-inside: auto; } .chart-note + .chart-note { break-before: page; } .chart-note-table tr { break-inside: avoid; } }
`;

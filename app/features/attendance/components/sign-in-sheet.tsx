import { Anchor, Button, Group } from "@mantine/core";
import { Link } from "@remix-run/react";
import { SiteAddress } from "~/features/admin/components/site-address";

/** Rows on the page: enough for a full group of 15 and a few walk-ins, still one page. */
const MIN_ROWS = 16;

export interface SignInSheetData {
  id: string;
  site: string;
  /** The site's address, lines separated by newlines. */
  siteAddress: string | null;
  title: string;
  /** Already shown as people read it: "Sat, Dec 5, 2026". */
  date: string;
  time: string;
  where: string;
  facilitators: string;
  rows: { initials: string; mrn: string }[];
}

/** The printable sign-in sheet: one letter page, initials and MRN only, with blank rows for walk-ins. */
export function SignInSheet({ sheet: d }: { sheet: SignInSheetData }) {
  const blanks = Math.max(0, MIN_ROWS - d.rows.length);
  return (
    <div className="sign-in-sheet">
      <style>{`
        .sign-in-sheet { max-width: 8in; margin: 0 auto; padding: 0.4in 0.3in; font-size: 11pt; color: #000; background: #fff; }
        .sign-in-sheet h1 { font-size: 16pt; margin: 0 0 4pt; }
        .sign-in-sheet dl { display: grid; grid-template-columns: auto 1fr auto 1fr; gap: 2pt 10pt; margin: 0 0 10pt; }
        .sign-in-sheet dt { font-weight: 700; }
        .sign-in-sheet dd { margin: 0; }
        .sign-in-sheet table { width: 100%; border-collapse: collapse; }
        .sign-in-sheet th, .sign-in-sheet td { border: 1px solid #000; padding: 0 6pt; height: 0.42in; text-align: left; }
        .sign-in-sheet th { height: auto; padding: 4pt 6pt; background: #eee; }
        .sign-in-sheet .note { font-size: 8.5pt; margin-top: 6pt; }
        /* Paper is white in either color scheme. */
        body:has(.sign-in-sheet) { background: #fff; }
        .sign-in-sheet a { color: #1d3fa8; }
        @media print {
          @page { size: letter portrait; margin: 0.4in; }
          .sign-in-sheet { padding: 0; max-width: none; }
          .no-print { display: none !important; }
        }
      `}</style>
      <Group className="no-print" mb="md" justify="space-between">
        <Anchor component={Link} to={`/schedule/sessions/${d.id}`}>
          ← Back to the session
        </Anchor>
        <Button onClick={() => window.print()}>Print</Button>
      </Group>
      <h1>Sign-in sheet</h1>
      <dl>
        <dt>Program</dt>
        <dd>
          {d.site}
          {d.siteAddress ? <SiteAddress address={d.siteAddress} /> : null}
        </dd>
        <dt>Date</dt>
        <dd>{d.date}</dd>
        <dt>Session</dt>
        <dd>{d.title}</dd>
        <dt>Time</dt>
        <dd>{d.time}</dd>
        <dt>Facilitator</dt>
        <dd>{d.facilitators}</dd>
        <dt>Where</dt>
        <dd>{d.where}</dd>
      </dl>
      <table aria-label="Sign-in sheet">
        <thead>
          <tr>
            <th style={{ width: "0.4in" }}>#</th>
            <th style={{ width: "0.9in" }}>Initials</th>
            <th style={{ width: "1.4in" }}>MRN</th>
            <th>Signature</th>
            <th style={{ width: "0.9in" }}>Time in</th>
            <th style={{ width: "0.9in" }}>Time out</th>
          </tr>
        </thead>
        <tbody>
          {d.rows.map((r, i) => (
            <tr key={r.mrn}>
              <td>{i + 1}</td>
              <td>{r.initials}</td>
              <td>{r.mrn}</td>
              <td />
              <td />
              <td />
            </tr>
          ))}
          {Array.from({ length: blanks }, (_, i) => (
            <tr key={`blank-${i}`}>
              <td>{d.rows.length + i + 1}</td>
              <td />
              <td />
              <td />
              <td />
              <td />
            </tr>
          ))}
        </tbody>
      </table>
      <p className="note">
        Confidential: 42 CFR Part 2 protects the identity of patients in substance use treatment. Keep this sheet out of public view and file it with the
        session record.
      </p>
    </div>
  );
}

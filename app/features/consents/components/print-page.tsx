import { Anchor, Button, Group } from "@mantine/core";
import { Link } from "@remix-run/react";
import type { ReactNode } from "react";

/** A page for paper, outside the app's layout: white in either color scheme, letter-sized when printed. */
export function PrintPage({ back, backLabel, children }: { back: string; backLabel: string; children: ReactNode }) {
  return (
    <div className="part2-print">
      <style>{`
        .part2-print { max-width: 8in; margin: 0 auto; padding: 0.4in 0.3in; font-size: 10.5pt; line-height: 1.4; color: #000; background: #fff; }
        .part2-print h1 { font-size: 16pt; margin: 10pt 0 4pt; }
        .part2-print h2 { font-size: 12.5pt; margin: 14pt 0 4pt; border-bottom: 1px solid #000; }
        .part2-print dl { display: grid; grid-template-columns: auto 1fr; gap: 2pt 10pt; margin: 0 0 8pt; }
        .part2-print dt { font-weight: 700; }
        .part2-print dd { margin: 0; }
        .part2-print table { width: 100%; border-collapse: collapse; margin: 4pt 0; }
        .part2-print th, .part2-print td { border: 1px solid #555; padding: 2pt 5pt; text-align: left; vertical-align: top; }
        .part2-print th { background: #eee; }
        .part2-print .date { white-space: nowrap; }
        .part2-print .notice { border: 2px solid #000; padding: 6pt 9pt; margin: 0 0 10pt; font-size: 9.5pt; }
        .part2-print .notice p { margin: 0 0 4pt; }
        .part2-print .notice ol { margin: 0 0 4pt; padding-left: 18pt; list-style-type: upper-alpha; }
        .part2-print .muted { color: #333; }
        .part2-print .small { font-size: 8.5pt; }
        body:has(.part2-print) { background: #fff; }
        .part2-print a { color: #1d3fa8; }
        @media print {
          @page { size: letter portrait; margin: 0.5in; }
          .part2-print { padding: 0; max-width: none; }
          .no-print { display: none !important; }
          .part2-print tr { break-inside: avoid; }
        }
      `}</style>
      <Group className="no-print" mb="md" justify="space-between">
        <Anchor component={Link} to={back}>
          ← {backLabel}
        </Anchor>
        <Button onClick={() => window.print()}>Print</Button>
      </Group>
      {children}
    </div>
  );
}

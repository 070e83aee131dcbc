/**
 * The rows the drug-testing lists show, as plain types: the view builders (views.server.ts) make
 * them and the components (draw board, test table) render them.
 */

/** One patient a draw selected, with the collection recorded for them that day, if any. */
export interface BoardRow {
  order: number;
  patientId: string;
  name: string;
  mrn: string;
  /** The collection's clock time at the site, when there is one. */
  time: string | null;
  test: { id: string; outcome: string; unexpectedPositive: boolean } | null;
}

/** A drug test as a list shows it; `name`/`mrn` on a day's list, `date`/`observed` on a patient's. */
export interface TestRow {
  id: string;
  time: string;
  reason: string;
  specimen: string | null;
  panel: string | null;
  outcome: string;
  validity: string | null;
  unexpectedPositive: boolean;
  findings: { label: string; open: boolean }[];
  patientId?: string;
  name?: string;
  mrn?: string;
  date?: string;
  observed?: boolean | null;
}

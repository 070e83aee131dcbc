import { stringify } from "csv-stringify/sync";
import { PART2_REDISCLOSURE_NOTICE } from "./part2";

type Cell = string | number | boolean | null | undefined;

/**
 * A spreadsheet runs a cell that starts with = + - @ (or a tab or CR) as a formula; exported text
 * from people (names, user agents, notes) is defused with a leading apostrophe. Numbers are kept.
 */
function defuse(cell: Cell): Cell {
  return typeof cell === "string" && /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
}

/** RFC 4180 rows: CRLF line ends, and any field with a comma, quote, CR or LF quoted. */
export function csvRows(rows: Cell[][]): string {
  return stringify(
    rows.map((r) => r.map(defuse)),
    { record_delimiter: "windows", quoted_match: /[\r\n]/ },
  );
}

/** The first lines of every export: the 42 CFR Part 2 prohibition on redisclosure, then a blank line. */
export function part2Preamble(): string {
  return csvRows([...PART2_REDISCLOSURE_NOTICE.map((line) => [line]), []]);
}

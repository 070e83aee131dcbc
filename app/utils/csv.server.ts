import { stringify } from "csv-stringify/sync";
import { PART2_REDISCLOSURE_NOTICE } from "./part2";

type Cell = string | number | boolean | null | undefined;

/** RFC 4180 rows (CRLF line ends, quoted where needed). */
export function csvRows(rows: Cell[][]): string {
  return stringify(rows, { record_delimiter: "windows" });
}

/** The first lines of every export: the 42 CFR Part 2 prohibition on redisclosure, then a blank line. */
export function part2Preamble(): string {
  return csvRows([...PART2_REDISCLOSURE_NOTICE.map((line) => [line]), []]);
}

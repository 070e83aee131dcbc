import { Link } from "@remix-run/react";
import type { ReactNode } from "react";
import css from "./plain-table.module.css";

export const plain = css;

export interface PlainColumn {
  title: ReactNode;
  /** Numbers read right-aligned. */
  right?: boolean;
}

/**
 * A read-only table with one header row, for lists long enough that rendering each cell as a
 * Mantine component shows in the page's server time. Cells are whatever the caller passes.
 */
export function PlainTable({
  label,
  columns,
  rows,
}: {
  label: string;
  columns: PlainColumn[];
  rows: { key: string; cells: ReactNode[]; strongLast?: boolean }[];
}) {
  return (
    <table className={css.table} aria-label={label}>
      <thead>
        <tr>
          {columns.map((c, i) => (
            <th key={i} className={c.right ? css.right : undefined}>
              {c.title}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.key}>
            {r.cells.map((cell, i) => (
              <td
                key={i}
                className={
                  [columns[i]?.right ? css.right : "", r.strongLast && i === r.cells.length - 1 ? css.strong : ""].filter(Boolean).join(" ") || undefined
                }
              >
                {cell}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** A link in a plain table, styled as the theme's anchors. */
export function PlainLink({ to, children }: { to: string; children: ReactNode }) {
  return (
    <Link to={to} className={css.link}>
      {children}
    </Link>
  );
}

import { Table, type TableProps, type TableThProps } from "@mantine/core";
import type { ReactNode } from "react";

/** One column's heading; `w` fixes the column's width. */
export interface Heading {
  title?: ReactNode;
  w?: TableThProps["w"];
}

/**
 * A drug-testing table: one row of headings, then the rows the caller renders (`Table.Tr`s). A
 * heading given as null or false leaves its column out. `label` names the table for screen readers;
 * the other props (size, spacing, stripes, margins) go to the table.
 */
export function HeadedTable({
  label,
  heads,
  children,
  ...table
}: { label: string; heads: (Heading | null | false)[]; children: ReactNode } & Omit<TableProps, "children" | "aria-label">) {
  return (
    <Table {...table} aria-label={label}>
      <Table.Thead>
        <Table.Tr>
          {heads.map((h, i) =>
            h ? (
              <Table.Th key={i} w={h.w}>
                {h.title}
              </Table.Th>
            ) : null,
          )}
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>{children}</Table.Tbody>
    </Table>
  );
}

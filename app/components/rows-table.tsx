import { Table } from "@mantine/core";
import type { CSSProperties, ReactNode } from "react";

const RIGHT = { textAlign: "right" } as const;

export interface RowsColumn<T> {
  title: string;
  /** Numbers read right-aligned. */
  right?: boolean;
  /** A widest cell, for long free text. */
  maw?: number;
  cell: (row: T) => ReactNode;
}

/** A short read-only table, striped, one row per record and one cell per column. */
export function RowsTable<T>({
  label,
  columns,
  rows,
  rowKey,
  rowStyle,
}: {
  /** Left out where the section's title already names the table. */
  label?: string;
  columns: RowsColumn<T>[];
  rows: T[];
  rowKey: (row: T) => string;
  /** How a row stands out from the rest (a resolved diagnosis fades). */
  rowStyle?: (row: T) => CSSProperties | undefined;
}) {
  return (
    <Table striped fz="sm" aria-label={label}>
      <Table.Thead>
        <Table.Tr>
          {columns.map((c) => (
            <Table.Th key={c.title} style={c.right ? RIGHT : undefined}>
              {c.title}
            </Table.Th>
          ))}
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {rows.map((r) => (
          <Table.Tr key={rowKey(r)} style={rowStyle?.(r)}>
            {columns.map((c) => (
              <Table.Td key={c.title} maw={c.maw} style={c.right ? RIGHT : undefined}>
                {c.cell(r)}
              </Table.Td>
            ))}
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

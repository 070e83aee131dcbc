import { useSearchParams } from "@remix-run/react";
import { DataTable, type DataTableColumn, type DataTableSortStatus } from "mantine-datatable";

/** Where a page of a server-sorted list stands: as a list query answers it, and as the URL says. */
export interface ListPlace {
  total: number;
  page: number;
  pageSize: number;
  sort: string;
  direction: "asc" | "desc";
}

/** The place of a list a loader returned along with its rows and other data. */
export const placeOf = ({ total, page, pageSize, sort, direction }: ListPlace): ListPlace => ({ total, page, pageSize, sort, direction });

interface ServerTableProps<T> extends ListPlace {
  records: T[];
  columns: DataTableColumn<T>[];
  idAccessor: keyof T & string;
  noRecordsText: string;
  ariaLabel: string;
}

/**
 * A table whose paging and sorting live in the URL and are done by the server: the browser
 * never holds more than one page, and a link to the page shows the same rows.
 */
export function ServerTable<T>({ records, columns, total, page, pageSize, sort, direction, idAccessor, noRecordsText, ariaLabel }: ServerTableProps<T>) {
  const [searchParams, setSearchParams] = useSearchParams();
  const update = (changes: Record<string, string>) => {
    const next = new URLSearchParams(searchParams);
    for (const [k, v] of Object.entries(changes)) next.set(k, v);
    setSearchParams(next, { preventScrollReset: true });
  };
  const table = {
    "aria-label": ariaLabel,
    withTableBorder: true,
    borderRadius: "md",
    striped: true,
    highlightOnHover: true,
    minHeight: records.length ? undefined : 160,
    records,
    columns,
    idAccessor,
    sortStatus: { columnAccessor: sort, direction } as DataTableSortStatus<T>,
    onSortStatusChange: (s: DataTableSortStatus<T>) => update({ sort: String(s.columnAccessor), dir: s.direction, page: "1" }),
    noRecordsText,
  } as const;
  // No pager for an empty list: its line would repeat the empty state's "no records" text.
  if (total === 0) return <DataTable<T> {...table} />;
  return (
    <DataTable<T>
      {...table}
      totalRecords={total}
      recordsPerPage={pageSize}
      page={page}
      onPageChange={(p) => update({ page: String(p) })}
      paginationText={({ from, to, totalRecords }) => `${from}–${to} of ${totalRecords}`}
      getPaginationControlProps={(control) =>
        control === "previous" ? { "aria-label": "Previous page" } : control === "next" ? { "aria-label": "Next page" } : {}
      }
    />
  );
}

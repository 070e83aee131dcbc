import type { DataTableColumn } from "mantine-datatable";
import { type ListPlace, placeOf, ServerTable } from "~/components/server-table";
import type { listAuditEvents } from "~/features/audit/audit-log.server";
import { formatInstant } from "~/kernel/time";

export type AuditEvent = Awaited<ReturnType<typeof listAuditEvents>>["events"][number];

/**
 * A page of audit events, newest first unless the reader turns it: when (in the site's zone) and
 * who, then the columns the page reads the events by.
 */
export function AuditTable({
  label,
  list,
  timeZone,
  whenWidth,
  empty,
  columns,
}: {
  label: string;
  list: ListPlace & { events: AuditEvent[] };
  timeZone: string;
  whenWidth: number;
  empty: string;
  columns: DataTableColumn<AuditEvent>[];
}) {
  return (
    <ServerTable
      ariaLabel={label}
      records={list.events}
      {...placeOf(list)}
      idAccessor="id"
      noRecordsText={empty}
      columns={[
        { accessor: "occurred_at", title: "When", sortable: true, render: (e) => formatInstant(e.occurred_at, timeZone), width: whenWidth },
        { accessor: "user_name", title: "Who", render: (e) => e.user_name ?? "—" },
        ...columns,
      ]}
    />
  );
}

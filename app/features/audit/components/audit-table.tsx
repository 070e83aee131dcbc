import { Badge, Stack, Text } from "@mantine/core";
import type { DataTableColumn } from "mantine-datatable";
import { type ListPlace, placeOf, ServerTable } from "~/components/server-table";
import type { ReadableAuditEvent } from "~/features/audit/audit-log.server";
import { formatInstantExact } from "~/kernel/time";

export type { ReadableAuditEvent };

/** Long unbroken text (addresses, ids, browser names) wraps inside its cell instead of widening the table. */
const WRAP = { overflowWrap: "anywhere", wordBreak: "normal" } as const;

function WhenWho({ e, timeZone }: { e: ReadableAuditEvent; timeZone: string }) {
  return (
    <Stack gap={2} style={WRAP}>
      <Text size="sm">{formatInstantExact(e.occurredAt, timeZone)}</Text>
      <Text size="sm" c="dimmed">
        {e.who ?? "No one signed in"}
      </Text>
    </Stack>
  );
}

function What({ e, showPatient }: { e: ReadableAuditEvent; showPatient: boolean }) {
  return (
    <Stack gap={4} align="flex-start" style={WRAP}>
      <Text size="sm" fw={600}>
        {e.actionLabel}
      </Text>
      {e.outcome !== "success" ? (
        <Badge color={e.outcome === "denied" ? "red" : "orange"} variant="light" size="sm">
          {e.outcomeLabel}
        </Badge>
      ) : null}
      {showPatient && e.patient ? (
        e.patient === "hidden" ? (
          <Text size="sm" c="dimmed">
            A patient you may not see
          </Text>
        ) : (
          <Text size="sm">
            {e.patient.name} · {e.patient.mrn}
          </Text>
        )
      ) : null}
      {e.record ? (
        <Text size="sm" c="dimmed">
          {e.record}
        </Text>
      ) : null}
    </Stack>
  );
}

function Details({ e, showAddress }: { e: ReadableAuditEvent; showAddress: boolean }) {
  if (!e.changes.length && !(showAddress && e.ip)) return <Text size="sm">—</Text>;
  return (
    <Stack gap={2} style={WRAP}>
      {e.changes.map((line, i) => (
        <Text key={i} size="sm" style={{ whiteSpace: "pre-line" }}>
          {line}
        </Text>
      ))}
      {showAddress && e.ip ? (
        <Text size="xs" c="dimmed">
          From {e.ip}
        </Text>
      ) : null}
    </Stack>
  );
}

/**
 * A page of audit events in words, newest first unless the reader turns it. Three columns that
 * wrap, so the table fits a tablet: when and who; what was done, to which patient or record; and
 * what changed, a line per field.
 */
export function AuditTable({
  label,
  list,
  timeZone,
  empty,
  showPatient = true,
  showAddress = true,
}: {
  label: string;
  list: ListPlace & { events: ReadableAuditEvent[] };
  timeZone: string;
  empty: string;
  /** The chart's own history leaves out the patient: it is theirs. */
  showPatient?: boolean;
  showAddress?: boolean;
}) {
  const columns: DataTableColumn<ReadableAuditEvent>[] = [
    { accessor: "occurredAt", title: "When and who", sortable: true, width: "28%", render: (e) => <WhenWho e={e} timeZone={timeZone} /> },
    { accessor: "actionLabel", title: showPatient ? "What, and for whom" : "What", width: "32%", render: (e) => <What e={e} showPatient={showPatient} /> },
    { accessor: "changes", title: "Details", render: (e) => <Details e={e} showAddress={showAddress} /> },
  ];
  return <ServerTable ariaLabel={label} records={list.events} {...placeOf(list)} idAccessor="id" noRecordsText={empty} columns={columns} />;
}

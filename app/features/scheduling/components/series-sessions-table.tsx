import { Anchor, Badge, Text } from "@mantine/core";
import { Link } from "@remix-run/react";
import { RowsTable } from "~/components/rows-table";
import { longDate } from "~/kernel/time";

export interface SeriesSessionRow {
  id: string;
  date: string;
  time: string;
  status: string;
  patients: number;
  capacity: number;
  room: string | null;
  changed: boolean;
}

/** A group's coming sessions, with those moved or cancelled on their own marked. */
export function SeriesSessionsTable({ sessions }: { sessions: SeriesSessionRow[] }) {
  if (sessions.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        No sessions ahead. Clear the last date to let the group go on.
      </Text>
    );
  }
  return (
    <RowsTable
      rows={sessions}
      rowKey={(s) => s.id}
      columns={[
        {
          title: "Date",
          cell: (s) => (
            <Anchor component={Link} to={`/schedule/sessions/${s.id}`}>
              {longDate(s.date)}
            </Anchor>
          ),
        },
        { title: "Time", cell: (s) => s.time },
        { title: "Room", cell: (s) => s.room ?? "Telehealth" },
        { title: "Roster", cell: (s) => `${s.patients} of ${s.capacity}` },
        {
          title: "Status",
          cell: (s) =>
            s.status === "cancelled" ? <Badge color="gray">Cancelled</Badge> : s.changed ? <Badge variant="light">Changed on its own</Badge> : "Scheduled",
        },
      ]}
    />
  );
}

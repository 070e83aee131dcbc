import { Anchor, Badge, Table, Text } from "@mantine/core";
import { Link } from "@remix-run/react";
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
    <Table fz="sm" striped>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Date</Table.Th>
          <Table.Th>Time</Table.Th>
          <Table.Th>Room</Table.Th>
          <Table.Th>Roster</Table.Th>
          <Table.Th>Status</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {sessions.map((s) => (
          <Table.Tr key={s.id}>
            <Table.Td>
              <Anchor component={Link} to={`/schedule/sessions/${s.id}`}>
                {longDate(s.date)}
              </Anchor>
            </Table.Td>
            <Table.Td>{s.time}</Table.Td>
            <Table.Td>{s.room ?? "Telehealth"}</Table.Td>
            <Table.Td>
              {s.patients} of {s.capacity}
            </Table.Td>
            <Table.Td>
              {s.status === "cancelled" ? <Badge color="gray">Cancelled</Badge> : s.changed ? <Badge variant="light">Changed on its own</Badge> : "Scheduled"}
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

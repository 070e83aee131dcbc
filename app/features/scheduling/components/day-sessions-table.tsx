import { Anchor, Badge, Card, Group, Table, Text } from "@mantine/core";
import { Link } from "@remix-run/react";
import { ATTENDANCE_STATUSES, type AttendanceStatus } from "~/features/attendance/rules";
import { CancelledBadge, SessionLink } from "./session-link";
import { longDate } from "~/kernel/time";

export interface DaySession {
  id: string;
  time: string;
  title: string;
  kindLabel: string;
  group: boolean;
  where: string;
  who: string;
  track: string | null;
  capacity: number;
  cancelled: boolean;
  started: boolean;
  patients: { id: string; name: string; mark: string | null }[];
}

/** What a patient's name says beside it: absent marks, or "not marked" once the session started. */
function markNote(mark: string | null, s: DaySession) {
  if (mark) {
    const status = ATTENDANCE_STATUSES[mark as AttendanceStatus];
    return status?.attended ? "" : ` (${status?.label.toLowerCase() ?? mark})`;
  }
  return s.started && !s.cancelled ? " (not marked)" : "";
}

/** One day's sessions: where, who leads, who is expected and how far the roll call is. */
export function DaySessionsTable({ date, sessions, canTakeRoll }: { date: string; sessions: DaySession[]; canTakeRoll: boolean }) {
  if (sessions.length === 0) {
    return (
      <Card withBorder>
        <Text c="dimmed">Nothing is scheduled on this day.</Text>
      </Card>
    );
  }
  return (
    <Card withBorder p={0}>
      <Table fz="sm" verticalSpacing="sm" striped aria-label={`Sessions on ${longDate(date)}`}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th w={120}>Time</Table.Th>
            <Table.Th>Session</Table.Th>
            <Table.Th>Where</Table.Th>
            <Table.Th>Facilitator</Table.Th>
            <Table.Th>Patients expected</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {sessions.map((s) => (
            <Table.Tr key={s.id} style={s.cancelled ? { opacity: 0.65 } : undefined}>
              <Table.Td fw={700}>{s.time}</Table.Td>
              <Table.Td>
                <SessionLink id={s.id} title={s.title} cancelled={s.cancelled} />
                <Text size="xs" c="dimmed">
                  {s.kindLabel}
                  {s.track ? ` · ${s.track}` : ""}
                </Text>
                <CancelledBadge cancelled={s.cancelled} />
              </Table.Td>
              <Table.Td>{s.where}</Table.Td>
              <Table.Td>{s.who}</Table.Td>
              <Table.Td>
                <Group gap="xs">
                  {s.group ? (
                    <Text size="xs" fw={600}>
                      {s.patients.length} of {s.capacity}
                    </Text>
                  ) : null}
                  {!s.cancelled && s.started ? (
                    <Badge size="sm" variant="light" color={s.patients.every((p) => p.mark) ? "teal" : "orange"}>
                      {s.patients.filter((p) => p.mark).length} of {s.patients.length} marked
                    </Badge>
                  ) : null}
                </Group>
                <Text size="sm">
                  {s.patients.length
                    ? s.patients.map((p, i) => (
                        <span key={p.id}>
                          {i ? ", " : ""}
                          {p.name}
                          {markNote(p.mark, s)}
                        </span>
                      ))
                    : "—"}
                </Text>
                {canTakeRoll && s.started && !s.cancelled && s.patients.length ? (
                  <Anchor component={Link} to={`/schedule/sessions/${s.id}/roll`} size="sm">
                    {s.patients.some((p) => p.mark) ? "Change roll call" : "Take roll call"}
                  </Anchor>
                ) : null}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Card>
  );
}

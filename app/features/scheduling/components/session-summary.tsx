import { Anchor, Badge, Button, Card, Group, Table, Text, Title } from "@mantine/core";
import { Link } from "@remix-run/react";
import { longDate, weekStart, timeRange } from "~/kernel/time";

export interface SessionSummaryData {
  id: string;
  title: string;
  kind: string;
  date: string;
  start: string;
  end: string;
  room: string | null;
  modality: string;
  telehealth: boolean;
  facilitators: string;
  track: string | null;
  capacity: number;
  status: string;
  cancelReason: string | null;
}

export interface AppointmentData {
  approach: string | null;
  family: { name: string; relationship: string }[];
}

/** The session's heading, its roll-call and sign-in-sheet buttons, and the facts about it. */
export function SessionSummary({
  session: s,
  appointment,
  rollTaken,
  canTakeRoll,
  canPrint,
}: {
  session: SessionSummaryData;
  appointment: AppointmentData | null;
  rollTaken: boolean;
  canTakeRoll: boolean;
  canPrint: boolean;
}) {
  const facts = [
    ["Kind", appointment?.approach ? `${s.kind} · ${appointment.approach}` : s.kind],
    ...(appointment ? [] : [["Track", s.track ?? "Open group"]]),
    ...(appointment && appointment.family.length ? [["Family members", appointment.family.map((m) => `${m.name} (${m.relationship})`).join(", ")]] : []),
    ["Facilitator", s.facilitators],
    ["Where", s.telehealth ? "Telehealth" : `${s.room ?? "No room"} (${s.modality.toLowerCase()})`],
    ...(appointment ? [] : [["Capacity", String(s.capacity)]]),
    ...(s.cancelReason ? [["Cancelled because", s.cancelReason]] : []),
  ];
  return (
    <>
      <div>
        <Anchor component={Link} to={`/schedule?week=${weekStart(s.date)}`} size="sm">
          ← Week of {longDate(weekStart(s.date))}
        </Anchor>
        <Group gap="sm" align="center">
          <Title order={1}>{s.title}</Title>
          {s.status === "cancelled" ? <Badge color="gray">Cancelled</Badge> : null}
        </Group>
        <Text c="dimmed">
          {longDate(s.date)}, {timeRange(s.start, s.end)}
        </Text>
        {canTakeRoll || canPrint ? (
          <Group gap="xs" mt="sm" className="no-print">
            {canTakeRoll ? (
              <Button component={Link} to={`/schedule/sessions/${s.id}/roll`}>
                {rollTaken ? "Change roll call" : "Take roll call"}
              </Button>
            ) : null}
            {canPrint ? (
              <Button component={Link} to={`/schedule/sessions/${s.id}/sign-in-sheet`} variant="default" reloadDocument>
                Sign-in sheet
              </Button>
            ) : null}
          </Group>
        ) : null}
      </div>
      <Card withBorder>
        <Table variant="vertical" fz="sm">
          <Table.Tbody>
            {facts.map(([k, v]) => (
              <Table.Tr key={k}>
                <Table.Th w={180}>{k}</Table.Th>
                <Table.Td>{v}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Card>
    </>
  );
}

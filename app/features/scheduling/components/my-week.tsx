import { Card, Table, Text } from "@mantine/core";
import { CancelledBadge, SessionLink } from "./session-link";
import { longDate } from "~/kernel/time";

export interface MyWeekDay {
  date: string;
  sessions: {
    id: string;
    time: string;
    title: string;
    kindLabel: string;
    patient: { name: string } | null;
    where: string;
    roster: string | null;
    cancelled: boolean;
  }[];
}

/** A facilitator's week, one card per day they lead something. */
export function MyWeek({ days, today }: { days: MyWeekDay[]; today: string }) {
  if (days.length === 0) {
    return (
      <Card withBorder>
        <Text c="dimmed">You facilitate nothing this week.</Text>
      </Card>
    );
  }
  return days.map((day) => (
    <Card key={day.date} withBorder component="section" aria-label={longDate(day.date)} p="sm">
      <Text fw={700} mb={4}>
        {longDate(day.date)}
        {day.date === today ? " · today" : ""}
      </Text>
      <Table fz="sm">
        <Table.Tbody>
          {day.sessions.map((s) => (
            <Table.Tr key={s.id} style={s.cancelled ? { opacity: 0.65 } : undefined}>
              <Table.Td w={120} fw={600}>
                {s.time}
              </Table.Td>
              <Table.Td>
                <SessionLink id={s.id} title={s.title} cancelled={s.cancelled} />
                {s.patient ? <Text span size="sm">{` with ${s.patient.name}`}</Text> : null}
                <CancelledBadge cancelled={s.cancelled} ml="xs" />
              </Table.Td>
              <Table.Td>{s.where}</Table.Td>
              <Table.Td w={140}>{s.roster ? `${s.roster} patients` : s.kindLabel}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Card>
  ));
}

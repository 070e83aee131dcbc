/**
 * A patient's attendance this week and week by week, on their chart: what they attended, what is
 * still possible, sessions whose roll is missing, the week's required hours (age on Monday, partial
 * weeks prorated) and billable days counted by each level of care's own rule.
 */
import { Alert, Anchor, Badge, Card, Group, List, SimpleGrid, Table, Text, Title } from "@mantine/core";
import { Link } from "@remix-run/react";
import type { ReactNode } from "react";
import { SectionCard } from "~/components/section-card";
import { formatDuration, longDate, shortDate } from "~/kernel/time";
import type { AttendanceFlags, BillableCount } from "../attendance.server";
import { BILLABLE_DAY_RULES } from "../rules";
import type { LevelOfCare } from "~/features/patients/rules";

/** One of the week's figures: what it counts, then the figure, large. */
function WeekFigure({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text fw={700} size="xl">
        {children}
      </Text>
    </div>
  );
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

export function ThisWeekCard({ week }: { week: AttendanceFlags }) {
  return (
    <SectionCard title="This week">
      {week.belowRequired ? (
        <Alert color="red" mb="sm" title="Below required hours">
          Even attending everything left on their schedule this week, they cannot reach the {formatDuration(week.requiredMinutes ?? 0)} this week requires.
        </Alert>
      ) : null}
      {week.rollMissing.length ? (
        <Alert color="orange" mb="sm" title="Roll missing">
          {plural(week.rollMissing.length, "session", "sessions")} of earlier days this week ({formatDuration(week.rollMissingMinutes)}) have no mark for them.
          They no longer count as possible hours; take the roll to credit what they attended.
          <List size="sm" mt={4}>
            {week.rollMissing.map((m) => (
              <List.Item key={m.sessionId}>
                <Anchor component={Link} to={`/schedule/sessions/${m.sessionId}/roll`}>
                  Take roll: {m.title}, {longDate(m.date)}
                </Anchor>
              </List.Item>
            ))}
          </List>
        </Alert>
      ) : null}
      {week.missedSessions ? (
        <Alert color="orange" mb="sm" title="Missed sessions">
          Their last two sessions were unexcused absences. Reach out before the next one.
        </Alert>
      ) : null}
      <SimpleGrid cols={{ base: 2, sm: 4 }}>
        <WeekFigure label="Attended">{formatDuration(week.attendedMinutes)}</WeekFigure>
        <WeekFigure label="Still possible (today or later, not yet marked)">{formatDuration(week.remainingMinutes)}</WeekFigure>
        <WeekFigure label="Roll missing (not counted)">{formatDuration(week.rollMissingMinutes)}</WeekFigure>
        <WeekFigure label="Required this week">{week.requiredMinutes === null ? "Not judged" : formatDuration(week.requiredMinutes)}</WeekFigure>
      </SimpleGrid>
      {week.partialNote ? (
        <Text size="sm" mt="sm" fw={600}>
          {week.partialNote}
        </Text>
      ) : null}
      <Text size="xs" c="dimmed" mt={4}>
        Level of care band: {week.requirementLabel}. {week.ageNote}. A partial week (admission, discharge, change of level) is prorated by calendar days in
        care, each at its level's weekly minimum ÷ 7.
      </Text>
    </SectionCard>
  );
}

/** "2 IOP days (H0015), 1 PHP day (S0201)", or why there are none. */
export function billableText(b: BillableCount, levels: readonly LevelOfCare[]): string {
  const parts: string[] = [];
  if (b.H0015) parts.push(`${plural(b.H0015, "IOP day", "IOP days")} (H0015)`);
  if (b.S0201) parts.push(`${plural(b.S0201, "PHP day", "PHP days")} (S0201)`);
  if (parts.length) return parts.join(", ");
  return levels.length && levels.every((l) => l === "OP") ? "None: OP is billed per service" : "None";
}

export interface WeekRow {
  monday: string;
  attendedMinutes: number;
  billable: BillableCount;
  levels: LevelOfCare[];
  present: number;
  absent: number;
  /** Attended minutes in sessions whose signed note has the patient's part, and the rest (absent: not shown). */
  documentedMinutes?: number;
  undocumentedMinutes?: number;
}

export function WeekByWeekCard({
  weeks,
  total,
  since,
  notes,
}: {
  weeks: WeekRow[];
  total: BillableCount;
  since: string;
  /** Documented hours are shown; `required`: the site bills a day only when its sessions have signed notes. */
  notes?: { required: boolean; heldForNotes: number };
}) {
  return (
    <Card withBorder>
      <Group justify="space-between" mb="xs">
        <Title order={2} size="h3">
          Week by week
        </Title>
        <Badge size="lg" variant="light" color="indigo" style={{ textTransform: "none" }}>
          {plural(total.total, "billable day", "billable days")} since {shortDate(since)}
        </Badge>
      </Group>
      <Text size="xs" c="dimmed" mb="xs">
        A day is billable by the level of care in effect that day: an {BILLABLE_DAY_RULES.IOP.label} needs at least {BILLABLE_DAY_RULES.IOP.minMinutes / 60}{" "}
        attended hours, a {BILLABLE_DAY_RULES.PHP.label} at least {BILLABLE_DAY_RULES.PHP.minMinutes / 60}; OP services are billed one by one, so an OP day is
        never a billable day. Weeks run Monday to Sunday in the site's time zone.
        {notes ? " Documented time is time in sessions whose note is signed with this patient's part; undocumented time has no signed note yet." : null}
      </Text>
      {notes?.required ? (
        <Alert color="yellow" variant="light" mb="xs" p="xs">
          <Text size="sm">
            This site bills a day only when every session the patient attended that day has a signed note.
            {notes.heldForNotes
              ? ` ${plural(notes.heldForNotes, "day has", "days have")} enough hours but ${notes.heldForNotes === 1 ? "is" : "are"} not billable until ${notes.heldForNotes === 1 ? "its notes are" : "their notes are"} signed.`
              : ""}
          </Text>
        </Alert>
      ) : null}
      {weeks.length === 0 ? (
        <Text size="sm" c="dimmed">
          No attendance recorded yet.
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={560}>
          <Table fz="sm" striped aria-label="Attendance by week">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Week of</Table.Th>
                <Table.Th>Time attended</Table.Th>
                {notes ? <Table.Th>Documented</Table.Th> : null}
                {notes ? <Table.Th>Undocumented</Table.Th> : null}
                <Table.Th>Billable days</Table.Th>
                <Table.Th>Sessions attended</Table.Th>
                <Table.Th>Absences</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {weeks.map((w) => (
                <Table.Tr key={w.monday}>
                  <Table.Td>{longDate(w.monday)}</Table.Td>
                  <Table.Td>{formatDuration(w.attendedMinutes)}</Table.Td>
                  {notes ? <Table.Td>{formatDuration(w.documentedMinutes ?? 0)}</Table.Td> : null}
                  {notes ? (
                    <Table.Td>
                      {w.undocumentedMinutes ? (
                        <Text span size="sm" fw={700}>
                          {formatDuration(w.undocumentedMinutes)}
                        </Text>
                      ) : (
                        formatDuration(0)
                      )}
                    </Table.Td>
                  ) : null}
                  <Table.Td>{billableText(w.billable, w.levels)}</Table.Td>
                  <Table.Td>{w.present}</Table.Td>
                  <Table.Td>{w.absent}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Card>
  );
}

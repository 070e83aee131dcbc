import { Alert, Anchor, Badge, Card, Group, SimpleGrid, Stack, Table, Text, Title } from "@mantine/core";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { RouteErrorBoundary } from "~/components/error-boundary";
import { attendanceFlags, attendanceHistory } from "~/features/attendance/attendance.server";
import { requirePatient } from "~/features/patients/access.server";
import { addDays, formatDuration, longDate, clockAt, shortDate } from "~/kernel/time";
import type { ReactNode } from "react";
import { RowsTable } from "~/components/rows-table";
import { SectionCard } from "~/components/section-card";

export async function loader(args: LoaderFunctionArgs) {
  const { db, patientId, header, today, clinical } = await requirePatient(args, "read:patients", "attendance");
  const tz = header.timeZone;
  // This episode, or the last twelve weeks when the admission date is not visible to the role.
  const since = clinical && header.clinical.admittedOn ? header.clinical.admittedOn : addDays(today, -84);
  const [history, flags] = await Promise.all([attendanceHistory(db, patientId, since), attendanceFlags(db, [patientId], tz)]);
  const week = flags.get(patientId) ?? null;
  return {
    clinical,
    since,
    week,
    weeks: history.weeks,
    totalBillableDays: history.totalBillableDays,
    marks: history.marks.slice(0, 40).map((m) => ({
      sessionId: m.session_id,
      date: m.local_date,
      time: clockAt(m.starts_at, tz),
      title: m.title,
      label: m.label,
      status: m.status,
      minutes: m.minutes,
      mode: m.mode,
      note: m.note,
    })),
  };
}

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

export default function PatientAttendance() {
  const d = useLoaderData<typeof loader>();
  return (
    <Stack gap="md">
      {d.week ? (
        <SectionCard title="This week">
          {d.week.belowRequired ? (
            <Alert color="red" mb="sm" title="Below required hours">
              Even attending everything left on their schedule this week, they cannot reach {d.week.requirementLabel.toLowerCase()}.
            </Alert>
          ) : null}
          {d.week.missedSessions ? (
            <Alert color="orange" mb="sm" title="Missed sessions">
              Their last two sessions were unexcused absences. Reach out before the next one.
            </Alert>
          ) : null}
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <WeekFigure label="Attended">{formatDuration(d.week.attendedMinutes)}</WeekFigure>
            <WeekFigure label="Still scheduled (not yet marked)">{formatDuration(d.week.remainingMinutes)}</WeekFigure>
            <WeekFigure label="Level of care requires">{d.week.requirementLabel}</WeekFigure>
          </SimpleGrid>
        </SectionCard>
      ) : null}

      <Card withBorder>
        <Group justify="space-between" mb="xs">
          <Title order={2} size="h3">
            Week by week
          </Title>
          <Badge size="lg" variant="light" color="indigo">
            {d.totalBillableDays} billable {d.totalBillableDays === 1 ? "day" : "days"} since {shortDate(d.since)}
          </Badge>
        </Group>
        <Text size="xs" c="dimmed" mb="xs">
          A billable IOP day has at least three attended hours of program services (H0015). Weeks run Monday to Sunday in the site's time zone.
        </Text>
        {d.weeks.length === 0 ? (
          <Text size="sm" c="dimmed">
            No attendance recorded yet.
          </Text>
        ) : (
          <Table fz="sm" striped aria-label="Attendance by week">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Week of</Table.Th>
                <Table.Th>Time attended</Table.Th>
                <Table.Th>Billable days</Table.Th>
                <Table.Th>Sessions attended</Table.Th>
                <Table.Th>Absences</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {d.weeks.map((w) => (
                <Table.Tr key={w.monday}>
                  <Table.Td>{longDate(w.monday)}</Table.Td>
                  <Table.Td>{formatDuration(w.attendedMinutes)}</Table.Td>
                  <Table.Td>{w.billableDays}</Table.Td>
                  <Table.Td>{w.present}</Table.Td>
                  <Table.Td>{w.absent}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Card>

      <SectionCard title="Recent sessions">
        {d.marks.length === 0 ? (
          <Text size="sm" c="dimmed">
            Nothing marked yet.
          </Text>
        ) : (
          <RowsTable
            label="Recent attendance"
            rows={d.marks}
            rowKey={(m) => m.sessionId}
            columns={[
              {
                title: "Date",
                cell: (m) => (
                  <>
                    {longDate(m.date)}, {m.time}
                  </>
                ),
              },
              {
                title: "Session",
                cell: (m) => (
                  <Anchor component={Link} to={`/schedule/sessions/${m.sessionId}`}>
                    {m.title}
                  </Anchor>
                ),
              },
              {
                title: "Attendance",
                cell: (m) => (
                  <>
                    <Badge variant="light" color={m.status === "absent_unexcused" ? "red" : m.status === "absent_excused" ? "gray" : "teal"}>
                      {m.label}
                    </Badge>
                    {m.mode === "telehealth" ? (
                      <Text span size="xs">
                        {" "}
                        · telehealth
                      </Text>
                    ) : null}
                  </>
                ),
              },
              { title: "Minutes", cell: (m) => m.minutes },
              { title: "Note", cell: (m) => m.note ?? "" },
            ]}
          />
        )}
      </SectionCard>
    </Stack>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}

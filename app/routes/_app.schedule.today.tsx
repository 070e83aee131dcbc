import { Anchor, Badge, Card, Group, Stack, Table, Text, Title } from "@mantine/core";
import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { RouteErrorBoundary } from "~/components/error-boundary";
import { PeriodNav } from "~/components/period-nav";
import { requireUser } from "~/features/auth/guard.server";
import { can } from "~/features/auth/permissions";
import { ScheduleTabs } from "~/features/scheduling/components/schedule-tabs";
import { addDays, isCivilDate, startOfDayUtc, todayIn, longDate } from "~/kernel/time";
import { clockRange, rosterNames, sessionsInRange } from "~/features/scheduling/views.server";
import { markedCounts } from "~/features/attendance/attendance.server";
import { ATTENDANCE_STATUSES, type AttendanceStatus } from "~/features/attendance/rules";
import { recordPatientListView } from "~/features/audit/list-views.server";

export const meta: MetaFunction = () => [{ title: "Today · Schedule · IOP Dashboard" }];

export async function loader(args: LoaderFunctionArgs) {
  const { db, user, site, meta } = await requireUser(args, "read:schedule");
  if (!site) throw data({ message: "You are not assigned to a site." }, { status: 404 });
  const today = todayIn(site.time_zone);
  const requested = new URL(args.request.url).searchParams.get("date") ?? "";
  const date = isCivilDate(requested) ? requested : today;
  const sessions = await sessionsInRange(db, site.id, startOfDayUtc(date, site.time_zone), startOfDayUtc(addDays(date, 1), site.time_zone));
  const [names, marks] = await Promise.all([
    rosterNames(
      db,
      sessions.map((s) => s.id),
    ),
    markedCounts(
      db,
      sessions.map((s) => s.id),
    ),
  ]);
  const now = new Date().toISOString();
  // Who is a patient is itself Part 2 information: one audit row per view of a list that names them.
  const shown = new Set([...names.values()].flatMap((list) => list.map((p) => p.id))).size;
  await recordPatientListView(db, user, { kind: "schedule_day", siteId: site.id, filters: { date }, shown }, meta);
  return {
    canBook: can(user.role, "book:sessions"),
    site: { name: site.name, timeZone: site.time_zone },
    today,
    date,
    sessions: sessions.map((s) => ({
      id: s.id,
      time: clockRange(s, site.time_zone),
      title: s.title,
      kindLabel: s.kindLabel,
      group: s.kind === "group",
      where: s.where,
      who: s.who,
      track: s.track,
      capacity: s.capacity,
      cancelled: s.cancelled,
      patients: (names.get(s.id) ?? []).map((p) => ({ ...p, mark: marks.get(s.id)?.get(p.id) ?? null })),
      started: s.startsAt <= now,
    })),
    canTakeRoll: can(user.role, "take:attendance"),
  };
}

export default function TodayPage() {
  const d = useLoaderData<typeof loader>();
  const live = d.sessions.filter((s) => !s.cancelled);
  const people = new Set(live.flatMap((s) => s.patients.map((p) => p.id))).size;
  const dayLink = (date: string) => `/schedule/today?date=${date}`;
  return (
    <Stack gap="md">
      <ScheduleTabs canBook={d.canBook} />
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={1}>{d.date === d.today ? "Today" : longDate(d.date)}</Title>
          <Text c="dimmed">
            {d.date === d.today ? `${longDate(d.date)} · ` : ""}
            {d.site.name} · {live.length} {live.length === 1 ? "session" : "sessions"}, {people} {people === 1 ? "patient" : "patients"} expected · times in{" "}
            {d.site.timeZone}
          </Text>
        </div>
        <PeriodNav unit="day" previous={dayLink(addDays(d.date, -1))} current={dayLink(d.today)} next={dayLink(addDays(d.date, 1))} />
      </Group>
      {d.sessions.length === 0 ? (
        <Card withBorder>
          <Text c="dimmed">Nothing is scheduled on this day.</Text>
        </Card>
      ) : (
        <Card withBorder p={0}>
          <Table fz="sm" verticalSpacing="sm" striped aria-label={`Sessions on ${longDate(d.date)}`}>
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
              {d.sessions.map((s) => (
                <Table.Tr key={s.id} style={s.cancelled ? { opacity: 0.65 } : undefined}>
                  <Table.Td fw={700}>{s.time}</Table.Td>
                  <Table.Td>
                    <Anchor component={Link} to={`/schedule/sessions/${s.id}`} fw={600} td={s.cancelled ? "line-through" : undefined}>
                      {s.title}
                    </Anchor>
                    <Text size="xs" c="dimmed">
                      {s.kindLabel}
                      {s.track ? ` · ${s.track}` : ""}
                    </Text>
                    {s.cancelled ? (
                      <Badge size="xs" color="gray">
                        Cancelled
                      </Badge>
                    ) : null}
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
                              {p.mark
                                ? ATTENDANCE_STATUSES[p.mark as AttendanceStatus]?.attended
                                  ? ""
                                  : ` (${ATTENDANCE_STATUSES[p.mark as AttendanceStatus]?.label.toLowerCase() ?? p.mark})`
                                : s.started && !s.cancelled
                                  ? " (not marked)"
                                  : ""}
                            </span>
                          ))
                        : "—"}
                    </Text>
                    {d.canTakeRoll && s.started && !s.cancelled && s.patients.length ? (
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
      )}
    </Stack>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}

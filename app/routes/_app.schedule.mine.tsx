import { Anchor, Badge, Card, Group, Stack, Table, Text, Title } from "@mantine/core";
import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { RouteErrorBoundary } from "~/components/error-boundary";
import { PeriodNav } from "~/components/period-nav";
import { requireUser } from "~/features/auth/guard.server";
import { ScheduleTabs } from "~/features/scheduling/components/schedule-tabs";
import { addDays, weekStart, isCivilDate, startOfDayUtc, todayIn, longDate } from "~/kernel/time";
import { clockRange, hoursOf, sessionsInRange } from "~/features/scheduling/views.server";

export const meta: MetaFunction = () => [{ title: "My week · Schedule · IOP Dashboard" }];

export async function loader(args: LoaderFunctionArgs) {
  const { db, user, site } = await requireUser(args, "book:sessions");
  if (!site) throw data({ message: "You are not assigned to a site." }, { status: 404 });
  const today = todayIn(site.time_zone);
  const requested = new URL(args.request.url).searchParams.get("week") ?? "";
  const monday = weekStart(isCivilDate(requested) ? requested : today);
  const sessions = await sessionsInRange(db, site.id, startOfDayUtc(monday, site.time_zone), startOfDayUtc(addDays(monday, 7), site.time_zone), {
    facilitatorId: user.id,
  });
  const live = sessions.filter((s) => !s.cancelled);
  return {
    name: user.name,
    site: { name: site.name, timeZone: site.time_zone },
    today,
    monday,
    hours: Math.round(live.reduce((h, s) => h + hoursOf(s), 0) * 10) / 10,
    groups: live.filter((s) => s.kind === "group").length,
    appointments: live.filter((s) => s.kind !== "group").length,
    days: Array.from({ length: 7 }, (_, i) => addDays(monday, i))
      .map((date) => ({
        date,
        sessions: sessions
          .filter((s) => s.date === date)
          .map((s) => ({
            id: s.id,
            time: clockRange(s, site.time_zone),
            title: s.title,
            kindLabel: s.kindLabel,
            patient: s.patient,
            where: s.where,
            roster: s.kind === "group" ? `${s.onRoster} of ${s.capacity}` : null,
            cancelled: s.cancelled,
          })),
      }))
      .filter((d) => d.sessions.length),
  };
}

export default function MyWeekPage() {
  const d = useLoaderData<typeof loader>();
  const weekLink = (monday: string) => `/schedule/mine?week=${monday}`;
  return (
    <Stack gap="md" maw={1000}>
      <ScheduleTabs canBook />
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={1}>My week of {longDate(d.monday)}</Title>
          <Text c="dimmed">
            {d.name} · {d.groups} {d.groups === 1 ? "group" : "groups"}, {d.appointments} individual or family · {d.hours} hours · times in {d.site.timeZone}
          </Text>
        </div>
        <PeriodNav unit="week" previous={weekLink(addDays(d.monday, -7))} current={weekLink(weekStart(d.today))} next={weekLink(addDays(d.monday, 7))} />
      </Group>
      {d.days.length === 0 ? (
        <Card withBorder>
          <Text c="dimmed">You facilitate nothing this week.</Text>
        </Card>
      ) : (
        d.days.map((day) => (
          <Card key={day.date} withBorder component="section" aria-label={longDate(day.date)} p="sm">
            <Text fw={700} mb={4}>
              {longDate(day.date)}
              {day.date === d.today ? " · today" : ""}
            </Text>
            <Table fz="sm">
              <Table.Tbody>
                {day.sessions.map((s) => (
                  <Table.Tr key={s.id} style={s.cancelled ? { opacity: 0.65 } : undefined}>
                    <Table.Td w={120} fw={600}>
                      {s.time}
                    </Table.Td>
                    <Table.Td>
                      <Anchor component={Link} to={`/schedule/sessions/${s.id}`} fw={600} td={s.cancelled ? "line-through" : undefined}>
                        {s.title}
                      </Anchor>
                      {s.patient ? <Text span size="sm">{` with ${s.patient.name}`}</Text> : null}
                      {s.cancelled ? (
                        <Badge size="xs" color="gray" ml="xs">
                          Cancelled
                        </Badge>
                      ) : null}
                    </Table.Td>
                    <Table.Td>{s.where}</Table.Td>
                    <Table.Td w={140}>{s.roster ? `${s.roster} patients` : s.kindLabel}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Card>
        ))
      )}
    </Stack>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}

import { Group, Stack, Text, Title } from "@mantine/core";
import { type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { RouteErrorBoundary } from "~/components/error-boundary";
import { PeriodNav } from "~/components/period-nav";
import { requireSiteUser } from "~/features/auth/guard.server";
import { MyWeek } from "~/features/scheduling/components/my-week";
import { ScheduleTabs } from "~/features/scheduling/components/schedule-tabs";
import { clockRange, minutesOf, sessionsInRange } from "~/features/scheduling/views.server";
import { addDays, formatDuration, isCivilDate, longDate, startOfDayUtc, weekStart } from "~/kernel/time";

export const meta: MetaFunction = () => [{ title: "My week · Schedule · IOP Dashboard" }];

export async function loader(args: LoaderFunctionArgs) {
  const { db, user, site, timeZone, today } = await requireSiteUser(args, "book:sessions");
  const requested = new URL(args.request.url).searchParams.get("week") ?? "";
  const monday = weekStart(isCivilDate(requested) ? requested : today);
  const sessions = await sessionsInRange(db, site.id, startOfDayUtc(monday, timeZone), startOfDayUtc(addDays(monday, 7), timeZone), {
    facilitatorId: user.id,
  });
  const live = sessions.filter((s) => !s.cancelled);
  return {
    name: user.name,
    site: { name: site.name, timeZone },
    today,
    monday,
    minutes: live.reduce((m, s) => m + minutesOf(s), 0),
    groups: live.filter((s) => s.kind === "group").length,
    appointments: live.filter((s) => s.kind !== "group").length,
    days: Array.from({ length: 7 }, (_, i) => addDays(monday, i))
      .map((date) => ({
        date,
        sessions: sessions
          .filter((s) => s.date === date)
          .map((s) => ({
            id: s.id,
            time: clockRange(s, timeZone),
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
            {d.name} · {d.groups} {d.groups === 1 ? "group" : "groups"}, {d.appointments} individual or family · {formatDuration(d.minutes)} · times in{" "}
            {d.site.timeZone}
          </Text>
        </div>
        <PeriodNav unit="week" previous={weekLink(addDays(d.monday, -7))} current={weekLink(weekStart(d.today))} next={weekLink(addDays(d.monday, 7))} />
      </Group>
      <MyWeek days={d.days} today={d.today} />
    </Stack>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}

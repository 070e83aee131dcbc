import { Group, Stack, Text, Title } from "@mantine/core";
import { type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { RouteErrorBoundary } from "~/components/error-boundary";
import { PeriodNav } from "~/components/period-nav";
import { requireSiteUser } from "~/features/auth/guard.server";
import { can } from "~/features/auth/permissions";
import { DaySessionsTable } from "~/features/scheduling/components/day-sessions-table";
import { ScheduleTabs } from "~/features/scheduling/components/schedule-tabs";
import { clockRange, rosterNames, sessionsInRange } from "~/features/scheduling/views.server";
import { markedCounts } from "~/features/attendance/attendance.server";
import { recordPatientListView } from "~/features/audit/list-views.server";
import { addDays, isCivilDate, longDate, startOfDayUtc } from "~/kernel/time";

export const meta: MetaFunction = () => [{ title: "Today · Schedule · IOP Dashboard" }];

export async function loader(args: LoaderFunctionArgs) {
  const { db, user, site, timeZone, today, meta } = await requireSiteUser(args, "read:schedule");
  const requested = new URL(args.request.url).searchParams.get("date") ?? "";
  const date = isCivilDate(requested) ? requested : today;
  const sessions = await sessionsInRange(db, site.id, startOfDayUtc(date, timeZone), startOfDayUtc(addDays(date, 1), timeZone));
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
    site: { name: site.name, timeZone },
    today,
    date,
    sessions: sessions.map((s) => ({
      id: s.id,
      time: clockRange(s, timeZone),
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
      <DaySessionsTable date={d.date} sessions={d.sessions} canTakeRoll={d.canTakeRoll} />
    </Stack>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}

import { Anchor, Group, Stack, Text, Title } from "@mantine/core";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { RouteErrorBoundary } from "~/components/error-boundary";
import { PeriodNav } from "~/components/period-nav";
import { requireSiteUser } from "~/features/auth/guard.server";
import { counselorsAt } from "~/features/patients/patients.server";
import { can } from "~/features/auth/permissions";
import { ScheduleTabs } from "~/features/scheduling/components/schedule-tabs";
import { WeekFilters, WeekGrid } from "~/features/scheduling/components/week-grid";
import { clockRange, sessionsInRange } from "~/features/scheduling/views.server";
import { listRooms, listTracks } from "~/features/scheduling/program.server";
import { APPOINTMENT_KINDS, GROUP_KINDS } from "~/features/scheduling/vocabulary";
import { recordPatientListView } from "~/features/audit/list-views.server";
import { addDays, isCivilDate, longDate, startOfDayUtc, weekStart } from "~/kernel/time";

export const meta: MetaFunction = () => [{ title: "Schedule · IOP Dashboard" }];

export async function loader(args: LoaderFunctionArgs) {
  const { db, user, site, timeZone, today, meta } = await requireSiteUser(args, "read:schedule");
  const sp = new URL(args.request.url).searchParams;
  const requested = sp.get("week") ?? "";
  const monday = weekStart(isCivilDate(requested) ? requested : today);
  const [tracks, rooms, people] = await Promise.all([listTracks(db, site.id), listRooms(db, site.id), counselorsAt(db, [site.id])]);
  const pick = (key: string, allowed: string[]) => {
    const v = sp.get(key) ?? "";
    return allowed.includes(v) ? v : undefined;
  };
  const filters = {
    trackId: pick(
      "track",
      tracks.map((t) => t.id),
    ),
    facilitatorId: pick(
      "facilitator",
      people.map((p) => p.id),
    ),
    roomId: pick(
      "room",
      rooms.map((r) => r.id),
    ),
    kind: pick("kind", [...Object.keys(GROUP_KINDS), ...Object.keys(APPOINTMENT_KINDS)]),
  };
  const sessions = await sessionsInRange(db, site.id, startOfDayUtc(monday, timeZone), startOfDayUtc(addDays(monday, 7), timeZone), filters);
  const days = Array.from({ length: 7 }, (_, i) => addDays(monday, i));
  // The week names the patient of each individual and family session.
  // Who is a patient is itself Part 2 information: one audit row per view of a list that names them.
  const shown = new Set(sessions.flatMap((s) => (s.patient ? [s.patient.name] : []))).size;
  await recordPatientListView(
    db,
    user,
    {
      kind: "schedule_week",
      siteId: site.id,
      filters: { week: monday, track: filters.trackId, facilitator: filters.facilitatorId, room: filters.roomId, kind: filters.kind },
      shown,
    },
    meta,
  );
  return {
    canBook: can(user.role, "book:sessions"),
    site: { name: site.name, timeZone },
    today,
    monday,
    days: days.map((date) => ({
      date,
      label: longDate(date),
      sessions: sessions
        .filter((s) => s.date === date)
        .map((s) => ({
          id: s.id,
          title: s.patient ? `${s.title}: ${s.patient.name}` : s.title,
          time: clockRange(s, timeZone),
          where: s.where,
          who: s.who,
          track: s.track,
          roster: s.kind === "group" ? `${s.onRoster} of ${s.capacity}` : null,
          cancelled: s.cancelled,
        })),
    })),
    total: sessions.length,
    options: {
      tracks: tracks.map((t) => ({ value: t.id, label: t.name })),
      rooms: rooms.map((r) => ({ value: r.id, label: r.name })),
      people: people.map((p) => ({ value: p.id, label: p.name })),
    },
    filters: { track: filters.trackId ?? "", facilitator: filters.facilitatorId ?? "", room: filters.roomId ?? "", kind: filters.kind ?? "" },
  };
}

export default function SchedulePage() {
  const d = useLoaderData<typeof loader>();
  const [searchParams] = useSearchParams();
  const weekLink = (monday: string) => {
    const next = new URLSearchParams(searchParams);
    next.set("week", monday);
    return `/schedule?${next}`;
  };
  return (
    <Stack gap="md">
      <ScheduleTabs canBook={d.canBook} />
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={1}>Week of {longDate(d.monday)}</Title>
          <Text c="dimmed">
            {d.site.name} · times in {d.site.timeZone} · {d.total} {d.total === 1 ? "session" : "sessions"}
          </Text>
        </div>
        <PeriodNav unit="week" previous={weekLink(addDays(d.monday, -7))} current={weekLink(weekStart(d.today))} next={weekLink(addDays(d.monday, 7))} />
      </Group>
      <WeekFilters monday={d.monday} filters={d.filters} options={d.options} />
      <WeekGrid days={d.days} today={d.today} />
      <Text size="xs" c="dimmed">
        Days and times follow the site's clock: a 9:00 AM group shows at 9:00 AM in the weeks either side of a daylight-saving change.{" "}
        <Anchor component={Link} to={weekLink(weekStart(d.today))}>
          Back to this week
        </Anchor>
      </Text>
    </Stack>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}

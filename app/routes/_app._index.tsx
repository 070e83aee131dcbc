import { Anchor, Card, Group, SimpleGrid, Stack, Text, Title } from "@mantine/core";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useRevalidator } from "@remix-run/react";
import { useEffect } from "react";
import { RouteErrorBoundary } from "~/components/error-boundary";
import { navFor } from "~/features/auth/navigation";
import { requireUser } from "~/features/auth/guard.server";
import { can, ROLE_DESCRIPTIONS, ROLE_LABELS } from "~/features/auth/permissions";
import { markedCounts } from "~/features/attendance/attendance.server";
import { type Attention, needsAttention } from "~/features/attendance/attention.server";
import { PatientFlags } from "~/features/patients/components/flags";
import { addDays, startOfDayUtc, todayIn, dateTimeFormat } from "~/kernel/time";
import { clockRange, sessionsInRange } from "~/features/scheduling/views.server";
import { census, drawToday, groupFill, nothingNextWeek } from "~/features/reports/dashboard.server";
import { PlainLink, PlainTable, plain } from "~/components/plain-table";
import { recordPatientListView } from "~/features/audit/list-views.server";

export const meta: MetaFunction = () => [{ title: "Home · IOP Dashboard" }];

const SECTION_TEXT: Record<string, string> = {
  "/patients": "Caseloads, intake, diagnoses, MAT, level of care and discharge. Press / anywhere to find a patient.",
  "/schedule": "The week, today's sessions with roll call, your own week, and booking individual and family sessions.",
  "/drug-tests": "Today's random draw, collections and results, read against each patient's MAT.",
  "/reports": "Attendance, billable days, drug-test results, retention and caseloads — live, with CSV export.",
  "/admin/program": "Tracks and rooms: when the program meets, at which level of care, and where.",
  "/admin/users": "Create accounts, change roles, reset passwords and deactivate people who leave.",
  "/admin/audit": "Who did what, when, to which record — filter, page and export.",
};

const ATTENTION_PAGE_SIZE = 25;

export async function loader(args: LoaderFunctionArgs) {
  const { db, user, site, meta } = await requireUser(args, "read:home");
  const now = new Date();
  const tz = site?.time_zone ?? "UTC";
  // What is on today, with roll-call progress; and, for those with a caseload, who needs attention.
  let todaySummary: { sessions: number; started: number; marked: number; expected: number } | null = null;
  let attention: Attention[] | null = null;
  let attentionTotal = 0;
  let attentionPage = 1;
  let attentionPages = 1;
  let admin: { census: Awaited<ReturnType<typeof census>>; fill: Awaited<ReturnType<typeof groupFill>> } | null = null;
  let counselor: { mine: { id: string; title: string; time: string; where: string }[]; idle: Awaited<ReturnType<typeof nothingNextWeek>> } | null = null;
  let draw: Awaited<ReturnType<typeof drawToday>> | null = null;
  let sessionPatients = 0;
  if (site) {
    const date = todayIn(tz, now);
    const sessions = (await sessionsInRange(db, site.id, startOfDayUtc(date, tz), startOfDayUtc(addDays(date, 1), tz))).filter((s) => !s.cancelled);
    const started = sessions.filter((s) => s.startsAt <= now.toISOString());
    const marks = await markedCounts(
      db,
      started.map((s) => s.id),
    );
    todaySummary = {
      sessions: sessions.length,
      started: started.length,
      expected: started.reduce((n, s) => n + s.onRoster, 0),
      marked: started.reduce((n, s) => n + (marks.get(s.id)?.size ?? 0), 0),
    };
    if (can(user.role, "read:patient-clinical")) {
      // A page of the list at a time: a whole site can have hundreds, and the list is a worklist.
      const everyone = await needsAttention(db, site.id, tz, user.role === "counselor" ? user.id : null);
      attentionPages = Math.max(1, Math.ceil(everyone.length / ATTENTION_PAGE_SIZE));
      const asked = Number(new URL(args.request.url).searchParams.get("attention"));
      attentionPage = Number.isInteger(asked) && asked >= 1 ? Math.min(asked, attentionPages) : 1;
      attentionTotal = everyone.length;
      attention = everyone.slice((attentionPage - 1) * ATTENTION_PAGE_SIZE, attentionPage * ATTENTION_PAGE_SIZE);
    }
    if (user.role === "admin") {
      const [c, fill] = await Promise.all([census(db, site.id, date), groupFill(db, site.id, date, tz)]);
      admin = { census: c, fill };
    }
    if (user.role === "counselor") {
      const [mine, idle] = await Promise.all([
        sessionsInRange(db, site.id, startOfDayUtc(date, tz), startOfDayUtc(addDays(date, 1), tz), { facilitatorId: user.id }),
        nothingNextWeek(db, site.id, user.id, date, tz),
      ]);
      sessionPatients = mine.filter((s) => !s.cancelled && s.patient).length;
      counselor = {
        mine: mine
          .filter((s) => !s.cancelled)
          .map((s) => ({ id: s.id, title: s.patient ? `${s.title}: ${s.patient.name}` : s.title, time: clockRange(s, tz), where: s.where })),
        idle,
      };
    }
    if (can(user.role, "draw:drug-tests")) draw = await drawToday(db, site.id, date);
  }
  // Home names patients in its worklist, the counselor's sessions and the draw's missing
  // collections. One audit row per load that shows any (42 CFR Part 2: who is a patient is
  // protected); a load that names no one writes nothing. Home reloads when the window regains
  // focus, and each such reload is a new display of the list, so it is recorded too: one small
  // row, never one per patient (docs/security.md).
  const shownOnHome = (attention?.length ?? 0) + (draw?.missing.length ?? 0) + sessionPatients;
  if (site && shownOnHome > 0)
    await recordPatientListView(db, user, { kind: "home_worklist", siteId: site.id, filters: { attentionPage }, shown: shownOnHome }, meta);
  const hour = Number(dateTimeFormat("en-US", { hour: "numeric", hourCycle: "h23", timeZone: tz }).format(now));
  return {
    firstName: user.name.split(" ")[0],
    role: user.role,
    site: site ? { name: site.name, timeZone: site.time_zone } : null,
    today: dateTimeFormat("en-US", { weekday: "long", month: "long", day: "numeric", year: "numeric", timeZone: tz }).format(now),
    greeting: hour < 12 ? "Good morning" : hour < 18 ? "Good afternoon" : "Good evening",
    sections: navFor(user.role).filter((s) => s.to !== "/"),
    todaySummary,
    attention,
    attentionPaging: { total: attentionTotal, page: attentionPage, pages: attentionPages, size: ATTENTION_PAGE_SIZE },
    admin,
    counselor,
    draw,
    attentionScope: user.role === "counselor" ? "your caseload" : "the program",
  };
}

/**
 * The home page is live: it reads the record again whenever someone comes back to the window. Not
 * on a timer — a request would count as activity and keep an unattended screen signed in.
 */
function useLiveData() {
  const { revalidate, state } = useRevalidator();
  useEffect(() => {
    const refresh = () => {
      if (state === "idle") revalidate();
    };
    window.addEventListener("focus", refresh);
    return () => window.removeEventListener("focus", refresh);
  }, [revalidate, state]);
}

export default function Home() {
  useLiveData();
  const { firstName, role, site, today, greeting, sections, todaySummary, attention, attentionPaging, attentionScope, admin, counselor, draw } =
    useLoaderData<typeof loader>();
  return (
    <Stack gap="lg">
      <div>
        <Title order={1}>
          {greeting}, {firstName}
        </Title>
        <Text c="dimmed">
          {today}
          {site ? ` · ${site.name} (${site.timeZone})` : " · You are not assigned to a site yet; ask an admin."}
        </Text>
      </div>
      {todaySummary ? (
        <Card withBorder>
          <Group justify="space-between">
            <div>
              <Title order={2} size="h3">
                Today
              </Title>
              <Text size="sm">
                {todaySummary.sessions} {todaySummary.sessions === 1 ? "session" : "sessions"} scheduled
                {todaySummary.started
                  ? ` · roll call: ${todaySummary.marked} of ${todaySummary.expected} marked in the ${todaySummary.started} that have started`
                  : ""}
              </Text>
            </div>
            <Anchor component={Link} to="/schedule/today" fw={600}>
              Open today's list
            </Anchor>
          </Group>
        </Card>
      ) : null}
      {draw ? (
        <Card withBorder>
          <Group justify="space-between" align="flex-start">
            <div>
              <Title order={2} size="h3">
                Today's random draw
              </Title>
              {draw.drawn ? (
                <Text size="sm">
                  {draw.selected} selected ·{" "}
                  {draw.missing.length
                    ? `${draw.missing.length} still to collect: ${draw.missing.map((m) => `${m.name} (${m.mrn})`).join(", ")}`
                    : "every collection recorded"}
                </Text>
              ) : (
                <Text size="sm">Not drawn yet today.</Text>
              )}
            </div>
            <Anchor component={Link} to="/drug-tests" fw={600}>
              {draw.drawn ? "Open drug tests" : "Run today's draw"}
            </Anchor>
          </Group>
        </Card>
      ) : null}
      {counselor ? (
        <SimpleGrid cols={{ base: 1, md: 2 }}>
          <Card withBorder>
            <Title order={2} size="h3" mb="xs">
              Your sessions today
            </Title>
            {counselor.mine.length === 0 ? (
              <Text size="sm">You facilitate nothing today.</Text>
            ) : (
              <Stack gap={4}>
                {counselor.mine.map((s) => (
                  <Text size="sm" key={s.id}>
                    <b>{s.time}</b>{" "}
                    <Anchor component={Link} to={`/schedule/sessions/${s.id}`}>
                      {s.title}
                    </Anchor>{" "}
                    · {s.where}
                  </Text>
                ))}
              </Stack>
            )}
          </Card>
          <Card withBorder>
            <Title order={2} size="h3" mb="xs">
              Nothing scheduled next week
            </Title>
            {counselor.idle.patients.length === 0 ? (
              <Text size="sm">Every active patient on your caseload has a session in the week of {counselor.idle.weekOf}.</Text>
            ) : (
              <Stack gap={4}>
                <Text size="xs" c="dimmed">
                  Active patients on your caseload with no session in the week of {counselor.idle.weekOf}:
                </Text>
                {counselor.idle.patients.map((p) => (
                  <Anchor key={p.id} component={Link} to={`/patients/${p.id}/schedule`} size="sm">
                    {p.name} · {p.mrn}
                  </Anchor>
                ))}
              </Stack>
            )}
          </Card>
        </SimpleGrid>
      ) : null}
      {admin ? (
        <SimpleGrid cols={{ base: 1, lg: 2 }}>
          <Card withBorder>
            <Group justify="space-between" mb="xs">
              <Title order={2} size="h3">
                Census
              </Title>
              <Text size="sm">
                <Anchor component={Link} to="/patients?status=open&counselor=all">
                  {admin.census.total} in the program
                </Anchor>{" "}
                ·{" "}
                <Anchor component={Link} to="/patients?status=all&counselor=all&sort=admitted_on&direction=desc">
                  {admin.census.admittedThisWeek} admitted
                </Anchor>{" "}
                ·{" "}
                <Anchor component={Link} to="/patients?status=discharged&counselor=all">
                  {admin.census.dischargedThisWeek} discharged
                </Anchor>{" "}
                this week
              </Text>
            </Group>
            <PlainTable
              label="Census by track and level of care"
              columns={[
                { title: "Track" },
                ...(["IOP", "PHP", "OP"] as const).map((l) => ({
                  title: <PlainLink to={`/patients?status=open&counselor=all&level=${l}`}>{l}</PlainLink>,
                  right: true,
                })),
                { title: "Total", right: true },
              ]}
              rows={admin.census.rows.map((r) => ({
                key: r.trackId ?? "none",
                strongLast: true,
                cells: [r.trackId ? <PlainLink to={`/schedule?track=${r.trackId}`}>{r.track}</PlainLink> : r.track, r.IOP, r.PHP, r.OP, r.total],
              }))}
            />
          </Card>
          <Card withBorder>
            <Title order={2} size="h3" mb="xs">
              Group fill this week
            </Title>
            {admin.fill.length === 0 ? (
              <Text size="sm">No groups meet this week.</Text>
            ) : (
              <PlainTable
                label="Group fill this week"
                columns={[{ title: "Group" }, { title: "Sessions", right: true }, { title: "Seats filled", right: true }]}
                rows={admin.fill.map((g) => ({
                  key: `${g.seriesId}-${g.title}`,
                  cells: [
                    g.seriesId ? <PlainLink to={`/admin/program/groups/${g.seriesId}`}>{g.title}</PlainLink> : g.title,
                    g.sessions,
                    g.fill === null ? "—" : `${g.fill}%`,
                  ],
                }))}
              />
            )}
          </Card>
        </SimpleGrid>
      ) : null}
      {attention ? (
        <Card withBorder>
          <Title order={2} size="h3" mb={4}>
            Needs attention{attentionPaging.total ? ` (${attentionPaging.total})` : ""}
          </Title>
          <Text size="sm" c="dimmed" mb="xs">
            Patients in {attentionScope} below their required hours this week, who missed their last two sessions, or with an unexpected drug-test result not
            yet acknowledged.
          </Text>
          {attention.length === 0 ? (
            <Text size="sm">Nobody right now.</Text>
          ) : (
            <PlainTable
              label="Needs attention"
              columns={[{ title: "Patient" }, { title: "Why" }, { title: "This week" }, ...(attentionScope === "the program" ? [{ title: "Counselor" }] : [])]}
              rows={attention.map((p) => ({
                key: p.id,
                cells: [
                  <>
                    <PlainLink to={`/patients/${p.id}/${p.unexpectedResults && !p.belowRequired && !p.missedSessions ? "drug-tests" : "attendance"}`}>
                      {p.name}
                    </PlainLink>
                    <p className={`${plain.small} ${plain.dimmed}`}>{p.mrn}</p>
                  </>,
                  <>
                    <PatientFlags
                      dualDiagnosis={false}
                      mat={null}
                      alerts={{ belowRequired: p.belowRequired, missedSessions: p.missedSessions, unexpectedResults: p.unexpectedResults }}
                    />
                    {p.unexpectedAnalytes.length ? <p className={plain.small}>{p.unexpectedAnalytes.join(", ")}</p> : null}
                  </>,
                  <p className={plain.small}>{p.hours}</p>,
                  ...(attentionScope === "the program" ? [p.counselor ?? "—"] : []),
                ],
              }))}
            />
          )}
          {attentionPaging.pages > 1 ? <AttentionPages {...attentionPaging} /> : null}
        </Card>
      ) : null}
      <Card withBorder>
        <Text fw={600}>Signed in as {ROLE_LABELS[role]}</Text>
        <Text size="sm">{ROLE_DESCRIPTIONS[role]}</Text>
      </Card>
      {sections.length ? (
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          {sections.map((s) => (
            <Card key={s.to} withBorder>
              <Group justify="space-between">
                <Anchor component={Link} to={s.to} fw={600}>
                  {s.label}
                </Anchor>
              </Group>
              <Text size="sm" mt={4}>
                {SECTION_TEXT[s.to]}
              </Text>
            </Card>
          ))}
        </SimpleGrid>
      ) : null}
    </Stack>
  );
}

/** Which part of a long list is on screen, and links to the parts either side. */
function AttentionPages({ total, page, pages, size }: { total: number; page: number; pages: number; size: number }) {
  const first = (page - 1) * size + 1;
  const last = Math.min(total, page * size);
  return (
    <Group justify="space-between" mt="sm" component="nav" aria-label="Needs attention pages">
      <Text size="sm">
        {first}–{last} of {total} · page {page} of {pages}
      </Text>
      <Group gap="md">
        {page > 1 ? (
          <Anchor component={Link} to={`/?attention=${page - 1}`} size="sm">
            ‹ Previous {size}
          </Anchor>
        ) : null}
        {page < pages ? (
          <Anchor component={Link} to={`/?attention=${page + 1}`} size="sm">
            Next {Math.min(size, total - last)} ›
          </Anchor>
        ) : null}
      </Group>
    </Group>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}

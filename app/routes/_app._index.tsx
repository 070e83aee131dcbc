import { Anchor, Card, Group, SimpleGrid, Stack, Table, Text, Title } from "@mantine/core";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useRevalidator } from "@remix-run/react";
import { useEffect } from "react";
import { RouteErrorBoundary } from "~/components/error-boundary";
import { navFor } from "~/components/navigation";
import { requireUser } from "~/features/auth/guard.server";
import { can, ROLE_DESCRIPTIONS, ROLE_LABELS } from "~/features/auth/permissions";
import { markedCounts } from "~/features/attendance/attendance.server";
import { type Attention, needsAttention } from "~/features/attendance/attention.server";
import { PatientFlags } from "~/features/patients/components/flags";
import { addDays } from "~/features/scheduling/rules";
import { sessionsInRange } from "~/features/scheduling/views.server";
import { startOfDayUtc, todayIn } from "~/utils/time";

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

export async function loader(args: LoaderFunctionArgs) {
  const { db, user, site } = await requireUser(args, "read:home");
  const now = new Date();
  const tz = site?.time_zone ?? "UTC";
  // What is on today, with roll-call progress; and, for those with a caseload, who needs attention.
  let todaySummary: { sessions: number; started: number; marked: number; expected: number } | null = null;
  let attention: Attention[] | null = null;
  if (site) {
    const date = todayIn(tz, now);
    const sessions = (await sessionsInRange(db, site.id, startOfDayUtc(date, tz), startOfDayUtc(addDays(date, 1), tz))).filter((s) => !s.cancelled);
    const started = sessions.filter((s) => s.startsAt <= now.toISOString());
    const marks = await markedCounts(db, started.map((s) => s.id));
    todaySummary = {
      sessions: sessions.length,
      started: started.length,
      expected: started.reduce((n, s) => n + s.onRoster, 0),
      marked: started.reduce((n, s) => n + (marks.get(s.id)?.size ?? 0), 0),
    };
    if (can(user.role, "read:patient-clinical")) attention = await needsAttention(db, site.id, tz, user.role === "counselor" ? user.id : null);
  }
  const hour = Number(new Intl.DateTimeFormat("en-US", { hour: "numeric", hourCycle: "h23", timeZone: tz }).format(now));
  return {
    firstName: user.name.split(" ")[0],
    role: user.role,
    site: site ? { name: site.name, timeZone: site.time_zone } : null,
    today: new Intl.DateTimeFormat("en-US", { weekday: "long", month: "long", day: "numeric", year: "numeric", timeZone: tz }).format(now),
    greeting: hour < 12 ? "Good morning" : hour < 18 ? "Good afternoon" : "Good evening",
    sections: navFor(user.role).filter((s) => s.to !== "/"),
    todaySummary,
    attention,
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
  const { firstName, role, site, today, greeting, sections, todaySummary, attention, attentionScope } = useLoaderData<typeof loader>();
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
                {todaySummary.started ? ` · roll call: ${todaySummary.marked} of ${todaySummary.expected} marked in the ${todaySummary.started} that have started` : ""}
              </Text>
            </div>
            <Anchor component={Link} to="/schedule/today" fw={600}>
              Open today's list
            </Anchor>
          </Group>
        </Card>
      ) : null}
      {attention ? (
        <Card withBorder>
          <Title order={2} size="h3" mb={4}>
            Needs attention
          </Title>
          <Text size="sm" c="dimmed" mb="xs">
            Patients in {attentionScope} below their required hours this week, who missed their last two sessions, or with an unexpected drug-test result not yet acknowledged.
          </Text>
          {attention.length === 0 ? (
            <Text size="sm">Nobody right now.</Text>
          ) : (
            <Table fz="sm" striped aria-label="Needs attention">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Patient</Table.Th>
                  <Table.Th>Why</Table.Th>
                  <Table.Th>This week</Table.Th>
                  {attentionScope === "the program" ? <Table.Th>Counselor</Table.Th> : null}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {attention.map((p) => (
                  <Table.Tr key={p.id}>
                    <Table.Td>
                      <Anchor component={Link} to={`/patients/${p.id}/${p.unexpectedResults && !p.belowRequired && !p.missedSessions ? "drug-tests" : "attendance"}`}>
                        {p.name}
                      </Anchor>
                      <Text size="xs" c="dimmed">
                        {p.mrn}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <PatientFlags dualDiagnosis={false} mat={null} alerts={{ belowRequired: p.belowRequired, missedSessions: p.missedSessions, unexpectedResults: p.unexpectedResults }} />
                      {p.unexpectedAnalytes.length ? (
                        <Text size="xs" mt={2}>
                          {p.unexpectedAnalytes.join(", ")}
                        </Text>
                      ) : null}
                    </Table.Td>
                    <Table.Td>
                      <Text size="xs">{p.hours}</Text>
                    </Table.Td>
                    {attentionScope === "the program" ? <Table.Td>{p.counselor ?? "—"}</Table.Td> : null}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
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

export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}

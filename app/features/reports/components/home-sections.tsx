/**
 * The sections of the home page: today at the site, the draw, a counselor's day, the admin's
 * census and group fill, the worklist of who needs attention, and the way into each section.
 */
import { Anchor, Card, Group, SimpleGrid, Stack, Text, Title } from "@mantine/core";
import { Link } from "@remix-run/react";
import { PlainLink, PlainTable, plain } from "~/components/plain-table";
import type { Attention } from "~/features/attendance/attention.server";
import { can, ROLE_DESCRIPTIONS, ROLE_LABELS, type Role } from "~/features/auth/permissions";
import { PatientFlags } from "~/features/patients/components/flags";
import type { census, drawToday, groupFill, nothingNextWeek } from "~/features/reports/dashboard.server";
import { SectionCard } from "~/components/section-card";
import { shortDate } from "~/kernel/time";

export interface TodaySummary {
  sessions: number;
  started: number;
  marked: number;
  expected: number;
}

export interface CounselorDay {
  mine: { id: string; title: string; time: string; where: string }[];
  idle: Awaited<ReturnType<typeof nothingNextWeek>>;
}

export interface AdminOverview {
  census: Awaited<ReturnType<typeof census>>;
  fill: Awaited<ReturnType<typeof groupFill>>;
}

export type DrawToday = Awaited<ReturnType<typeof drawToday>>;

export interface AttentionPaging {
  total: number;
  page: number;
  pages: number;
  size: number;
}

/**
 * What each section holds, said for the role reading it: staff see who a patient is, not their
 * clinical record, and do not book sessions, so their cards do not promise either.
 */
function sectionText(to: string, role: Role): string | undefined {
  const clinical = can(role, "read:patient-clinical");
  switch (to) {
    case "/patients":
      return clinical
        ? "Caseloads, intake, diagnoses, MAT, level of care and discharge. Press / anywhere to find a patient."
        : can(role, "bill:claims")
          ? "Who is in the program, with what a claim needs: demographics, payer, days attended and diagnosis codes. Press / anywhere to find a patient."
          : "Who is in the program, with each patient's sessions, attendance and drug tests. Press / anywhere to find a patient.";
    case "/schedule":
      return can(role, "book:sessions")
        ? "The week, today's sessions with roll call, your own week, and booking individual and family sessions."
        : "The week and today's sessions, with roll call and the sign-in sheet.";
    case "/drug-tests":
      return clinical
        ? "Today's random draw, collections and results, read against each patient's MAT."
        : "Today's random draw, and recording collections and results.";
    case "/reports":
      return can(role, "read:reports")
        ? "Attendance, billable days, drug-test results, retention and caseloads — live, with CSV export."
        : "Authorization use: units approved, used and remaining — live, with CSV export.";
    case "/billing/charges":
      return "One charge per day attended, ready or held, with every reason a held day cannot be billed yet; the fee schedule.";
    case "/billing/claims":
      return "Send ready charges to payers as an 837 batch, and read their 835 remittances: paid, adjusted or denied, with the reasons.";
    case "/billing/authorizations":
      return "Every authorization at the site: units used and remaining, days left, and those ending soon or exceeded.";
    case "/admin/program":
      return "Tracks and rooms: when the program meets, at which level of care, and where.";
    case "/admin/users":
      return "Create accounts, change roles, reset passwords and deactivate people who leave.";
    case "/admin/audit":
      return "Who did what, when, to which record — filter, page and export.";
    case "/admin/sites":
      return "The clinic's sites: names, addresses as printed on documents, and the time zone days and weeks are counted in.";
  }
}

export function TodayCard({ summary }: { summary: TodaySummary }) {
  return (
    <Card withBorder>
      <Group justify="space-between">
        <div>
          <Title order={2} size="h3">
            Today
          </Title>
          <Text size="sm">
            {summary.sessions} {summary.sessions === 1 ? "session" : "sessions"} scheduled
            {summary.started ? ` · roll call: ${summary.marked} of ${summary.expected} marked in the ${summary.started} that have started` : ""}
          </Text>
        </div>
        <Anchor component={Link} to="/schedule/today" fw={600}>
          Open today's list
        </Anchor>
      </Group>
    </Card>
  );
}

export function DrawCard({ draw }: { draw: DrawToday }) {
  return (
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
  );
}

/** A counselor's own sessions today, and their patients with nothing booked next week. */
export function CounselorCards({ counselor }: { counselor: CounselorDay }) {
  return (
    <SimpleGrid cols={{ base: 1, md: 2 }}>
      <SectionCard title="Your sessions today">
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
      </SectionCard>
      <SectionCard title={counselor.idle.patients.length === 0 ? "Next week" : "Nothing scheduled next week"}>
        {counselor.idle.patients.length === 0 ? (
          <Text size="sm">Every active patient on your caseload has a session in the week of {shortDate(counselor.idle.weekOf)}.</Text>
        ) : (
          <Stack gap={4}>
            <Text size="xs" c="dimmed">
              Active patients on your caseload with no session in the week of {shortDate(counselor.idle.weekOf)}:
            </Text>
            {counselor.idle.patients.map((p) => (
              <Anchor key={p.id} component={Link} to={`/patients/${p.id}/schedule`} size="sm">
                {p.name} · {p.mrn}
              </Anchor>
            ))}
          </Stack>
        )}
      </SectionCard>
    </SimpleGrid>
  );
}

/** The admin's census by track and level of care, and how full this week's groups are. */
export function AdminCards({ admin }: { admin: AdminOverview }) {
  return (
    <SimpleGrid cols={{ base: 1, lg: 2 }}>
      <Card withBorder>
        <Group justify="space-between" mb="xs">
          <Title order={2} size="h3">
            Census
          </Title>
          <Text size="sm">
            <Anchor component={Link} to="/patients?status=active&counselor=all">
              {admin.census.total} attending
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
        <Text size="xs" c="dimmed" mb="xs">
          Attending: status Active. Admitted: started treatment this week (a referral counts when it starts). Shown separately, not counted:{" "}
          <Anchor component={Link} to="/patients?status=referred&counselor=all" inherit>
            {admin.census.referredNotStarted} referred, not started
          </Anchor>{" "}
          ·{" "}
          <Anchor component={Link} to="/patients?status=on_hold&counselor=all" inherit>
            {admin.census.onHold} on hold
          </Anchor>
          .
        </Text>
        <PlainTable
          label="Census by track and level of care"
          columns={[
            { title: "Track" },
            ...(["IOP", "PHP", "OP"] as const).map((l) => ({
              title: <PlainLink to={`/patients?status=active&counselor=all&level=${l}`}>{l}</PlainLink>,
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
      <SectionCard title="Group fill this week">
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
      </SectionCard>
    </SimpleGrid>
  );
}

/** The worklist: patients below their hours, missing sessions, or with a result to acknowledge; a page at a time. */
export function AttentionCard({ attention, paging, scope }: { attention: Attention[]; paging: AttentionPaging; scope: string }) {
  const wholeProgram = scope === "the program";
  return (
    <Card withBorder>
      <Title order={2} size="h3" mb={4}>
        Needs attention{paging.total ? ` (${paging.total})` : ""}
      </Title>
      <Text size="sm" c="dimmed" mb="xs">
        Patients in {scope} below their required hours this week, who missed their last two sessions, or with an unexpected drug-test result not yet
        acknowledged.
      </Text>
      {attention.length === 0 ? (
        <Text size="sm">Nobody right now.</Text>
      ) : (
        <PlainTable
          label="Needs attention"
          columns={[{ title: "Patient" }, { title: "Why" }, { title: "This week" }, ...(wholeProgram ? [{ title: "Counselor" }] : [])]}
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
              ...(wholeProgram ? [p.counselor ?? "—"] : []),
            ],
          }))}
        />
      )}
      {paging.pages > 1 ? <AttentionPages {...paging} /> : null}
    </Card>
  );
}

/** Which part of a long list is on screen, and links to the parts either side. */
function AttentionPages({ total, page, pages, size }: AttentionPaging) {
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

/** What the signed-in role may do, and a card for each section it opens. */
export function RoleAndSections({ role, sections }: { role: Role; sections: { to: string; label: string }[] }) {
  return (
    <>
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
                {sectionText(s.to, role)}
              </Text>
            </Card>
          ))}
        </SimpleGrid>
      ) : null}
    </>
  );
}

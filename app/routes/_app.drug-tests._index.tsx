import { parseWithZod } from "@conform-to/zod/v4";
import { Button, Card, Group, SimpleGrid, Stack, Text, Title } from "@mantine/core";
import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { RouteErrorBoundary } from "~/components/error-boundary";
import { PeriodNav } from "~/components/period-nav";
import { recordPatientListView } from "~/features/audit/list-views.server";
import { requireSiteUser } from "~/features/auth/guard.server";
import { can } from "~/features/auth/permissions";
import { openAlertsAt } from "~/features/drug-testing/alerts.server";
import { testsOn } from "~/features/drug-testing/collections.server";
import { DrawForm } from "~/features/drug-testing/components/draw-form";
import { NegativeRateCard, RecentDrawsCard } from "~/features/drug-testing/components/program-rate";
import { RandomDraw } from "~/features/drug-testing/components/random-draw";
import { TestTable } from "~/features/drug-testing/components/test-table";
import { UnexpectedResults } from "~/features/drug-testing/components/unexpected-results";
import { drawBoard, drawsOn, eligiblePatients, recentDraws, runDraw } from "~/features/drug-testing/draws.server";
import { programNegativeRate } from "~/features/drug-testing/history.server";
import { drawSchema } from "~/features/drug-testing/schemas";
import { boardRows, dayTestRows, drawSummary } from "~/features/drug-testing/views.server";
import { redirectWithToast } from "~/kernel/http.server";
import { refusedReply } from "~/utils/forms.server";
import { addDays, isCivilDate, longDate } from "~/kernel/time";

export const meta: MetaFunction = () => [{ title: "Drug tests · IOP Dashboard" }];

export async function loader(args: LoaderFunctionArgs) {
  const { db, user, site, timeZone, today, meta } = await requireSiteUser(args, "record:drug-tests");
  const requested = new URL(args.request.url).searchParams.get("date") ?? "";
  const date = isCivilDate(requested) ? requested : today;
  const canAcknowledge = can(user.role, "acknowledge:drug-test-alerts");
  // Staff read results in neutral words, never against a patient's MAT (docs/security.md).
  const clinical = can(user.role, "read:patient-clinical");
  const [draws, tests, attending, active, alerts, rate, recent] = await Promise.all([
    drawsOn(db, site.id, date),
    testsOn(db, site.id, date),
    eligiblePatients(db, site.id, date, "attending"),
    eligiblePatients(db, site.id, date, "all_active"),
    canAcknowledge ? openAlertsAt(db, [site.id], user.role === "counselor" ? user.id : null) : Promise.resolve([]),
    programNegativeRate(db, site.id, today),
    recentDraws(db, site.id, 8),
  ]);
  const latest = draws[draws.length - 1] ?? null;
  const board = latest ? await drawBoard(db, latest) : [];
  // Who is a patient is itself Part 2 information: one audit row per view of a list that names them.
  const shown = new Set([...tests.map((t) => t.patient_id), ...board.map((b) => b.patientId), ...alerts.map((a) => a.patientId)]).size;
  await recordPatientListView(db, user, { kind: "drug_tests_day", siteId: site.id, filters: { date }, shown }, meta);
  return {
    site: { name: site.name, timeZone },
    today,
    date,
    canDraw: can(user.role, "draw:drug-tests") && date >= today,
    canPanels: can(user.role, "manage:drug-panels"),
    mine: user.role === "counselor",
    clinical,
    eligibleCounts: { attending: attending.length, all_active: active.length },
    draw: latest ? drawSummary(latest, draws.length, timeZone) : null,
    board: boardRows(board, timeZone),
    tests: dayTestRows(tests, timeZone, clinical),
    alerts,
    rate,
    recent: recent.map((d) => ({ id: d.id, date: d.date, sequence: d.sequence, selected: d.selected.length, eligible: d.eligible.length, by: d.drawnBy })),
  };
}

export async function action(args: ActionFunctionArgs) {
  const { db, user, site, today, meta } = await requireSiteUser(args, "draw:drug-tests");
  const submission = parseWithZod(await args.request.formData(), { schema: drawSchema(today) });
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  const result = await runDraw(db, user, submission.value, site, meta);
  if (!result.ok) return data(refusedReply(submission, result), { status: result.status });
  const v = submission.value;
  const message = `Drew ${result.selected} of ${result.eligible} ${v.pool === "attending" ? "patients attending" : "active patients"} for ${longDate(v.date)}${result.sequence > 1 ? ` (draw ${result.sequence} of the day)` : ""}.`;
  return redirectWithToast(`/drug-tests?date=${v.date}`, message);
}

export default function DrugTestsPage() {
  const d = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const dayLink = (date: string) => `/drug-tests?date=${date}`;
  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={1}>Drug tests</Title>
          <Text c="dimmed">
            {d.date === d.today ? "Today, " : ""}
            {longDate(d.date)} · {d.site.name} · times in {d.site.timeZone}
          </Text>
        </div>
        <Group gap="xs">
          <Button component={Link} to={`/drug-tests/new?date=${d.date <= d.today ? d.date : d.today}`}>
            Record a collection
          </Button>
          {d.canPanels ? (
            <Button component={Link} to="/drug-tests/panels" variant="default">
              Panels
            </Button>
          ) : null}
        </Group>
      </Group>
      <PeriodNav unit="day" previous={dayLink(addDays(d.date, -1))} current={dayLink(d.today)} next={dayLink(addDays(d.date, 1))} size="xs" />

      {d.alerts.length ? <UnexpectedResults alerts={d.alerts} mine={d.mine} /> : null}

      <RandomDraw date={d.date} draw={d.draw} board={d.board} clinical={d.clinical} recordOpen={d.date <= d.today}>
        {d.canDraw ? <DrawForm date={d.date} hasDraw={Boolean(d.draw)} counts={d.eligibleCounts} lastResult={lastResult} /> : null}
      </RandomDraw>

      <Card withBorder>
        <Title order={2} size="h3" mb="xs">
          Collections on {longDate(d.date)}
        </Title>
        {d.tests.length === 0 ? (
          <Text c="dimmed">No collections recorded on this day.</Text>
        ) : (
          <TestTable rows={d.tests} label={`Collections on ${longDate(d.date)}`} clinical={d.clinical} per="day" />
        )}
      </Card>

      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <NegativeRateCard rate={d.rate} clinical={d.clinical} />
        <RecentDrawsCard draws={d.recent} pastDay={!d.canDraw && d.date < d.today} />
      </SimpleGrid>
    </Stack>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}

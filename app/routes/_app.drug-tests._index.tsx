import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { Alert, Anchor, Badge, Button, Card, Group, Progress, SimpleGrid, Stack, Table, Text, Title } from "@mantine/core";
import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { RouteErrorBoundary } from "~/components/error-boundary";
import { PeriodNav } from "~/components/period-nav";
import { FormErrors } from "~/components/form-errors";
import { SelectField, TextareaField, TextField } from "~/components/form-fields";
import { requireUser } from "~/features/auth/guard.server";
import { can } from "~/features/auth/permissions";
import { openAlertsAt } from "~/features/drug-testing/alerts.server";
import { testsOn } from "~/features/drug-testing/collections.server";
import { FindingBadges, OutcomeBadge } from "~/features/drug-testing/components/badges";
import { drawBoard, drawsOn, eligiblePatients, recentDraws, runDraw } from "~/features/drug-testing/draws.server";
import { programNegativeRate } from "~/features/drug-testing/history.server";
import { DRAW_MODES, DRAW_POOLS, neutralFindings, SPECIMENS, type Specimen, TEST_REASONS, type TestReason } from "~/features/drug-testing/rules";
import { drawSchema } from "~/features/drug-testing/schemas";
import { addDays, isCivilDate, todayIn, localClock, longDate } from "~/kernel/time";
import { refusedReply } from "~/utils/forms.server";
import { toastHeader } from "~/kernel/toast.server";
import { recordPatientListView } from "~/features/audit/list-views.server";

export const meta: MetaFunction = () => [{ title: "Drug tests · IOP Dashboard" }];

export async function loader(args: LoaderFunctionArgs) {
  const { db, user, site, meta } = await requireUser(args, "record:drug-tests");
  if (!site) throw data({ message: "You are not assigned to a site." }, { status: 404 });
  const tz = site.time_zone;
  const today = todayIn(tz);
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
    site: { name: site.name, timeZone: tz },
    today,
    date,
    canDraw: can(user.role, "draw:drug-tests") && date >= today,
    canPanels: can(user.role, "manage:drug-panels"),
    mine: user.role === "counselor",
    clinical,
    eligibleCounts: { attending: attending.length, all_active: active.length },
    draw: latest
      ? {
          id: latest.id,
          sequence: latest.sequence,
          count: draws.length,
          by: latest.drawnBy,
          at: localClock(latest.drawnAt, tz),
          pool: DRAW_POOLS[latest.pool],
          rule: latest.mode === "rate" ? `${latest.amount} % of ${latest.eligible.length}, rounded up` : `${latest.amount} of ${latest.eligible.length}`,
          selected: latest.selected.length,
          eligible: latest.eligible.length,
          reason: latest.reason,
        }
      : null,
    board: board.map((b) => ({ ...b, time: b.test ? localClock(b.test.collectedAt, tz) : null })),
    tests: tests.map((t) => ({
      id: t.id,
      patientId: t.patient_id,
      name: t.name,
      mrn: t.mrn,
      time: localClock(t.collected_at, tz),
      reason: TEST_REASONS[t.reason as TestReason] ?? t.reason,
      specimen: t.specimen ? SPECIMENS[t.specimen as Specimen] : null,
      panel: t.panel_name,
      outcome: t.outcome,
      validity: t.validity,
      unexpectedPositive: t.unexpected_positive,
      findings: clinical ? t.findings : neutralFindings(t.findings),
    })),
    alerts,
    rate,
    recent: recent.map((d) => ({ id: d.id, date: d.date, sequence: d.sequence, selected: d.selected.length, eligible: d.eligible.length, by: d.drawnBy })),
  };
}

export async function action(args: ActionFunctionArgs) {
  const { db, user, site, meta } = await requireUser(args, "draw:drug-tests");
  if (!site) throw data({ message: "You are not assigned to a site." }, { status: 404 });
  const today = todayIn(site.time_zone);
  const submission = parseWithZod(await args.request.formData(), { schema: drawSchema(today) });
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  const result = await runDraw(db, user, submission.value, site, meta);
  if (!result.ok) return data(refusedReply(submission, result), { status: result.status });
  const v = submission.value;
  const message = `Drew ${result.selected} of ${result.eligible} ${v.pool === "attending" ? "patients attending" : "active patients"} for ${longDate(v.date)}${result.sequence > 1 ? ` (draw ${result.sequence} of the day)` : ""}.`;
  return redirect(`/drug-tests?date=${v.date}`, { headers: { "Set-Cookie": await toastHeader({ kind: "success", message }) } });
}

function DrawForm({ date, hasDraw, counts }: { date: string; hasDraw: boolean; counts: { attending: number; all_active: number } }) {
  const lastResult = useActionData<typeof action>();
  const navigation = useNavigation();
  const [form, fields] = useForm({
    id: `draw-${date}-${hasDraw}`,
    lastResult,
    defaultValue: { date, pool: counts.attending ? "attending" : "all_active", mode: "rate", amount: "20" },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: drawSchema(date) }),
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
  });
  return (
    <Form method="post" {...getFormProps(form)} aria-labelledby="draw-heading">
      <input type="hidden" name={fields.date.name} value={date} />
      <Stack gap="sm">
        <Title order={3} size="h4" id="draw-heading">
          {hasDraw ? "Draw again" : "Run the draw"}
        </Title>
        <FormErrors errors={form.errors} title="Not drawn" />
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <SelectField
            field={fields.pool}
            label="Who is eligible"
            options={[
              { value: "attending", label: `${DRAW_POOLS.attending} (${counts.attending})` },
              { value: "all_active", label: `${DRAW_POOLS.all_active} (${counts.all_active})` },
            ]}
            required
          />
          <TextField field={fields.amount} label="How many" type="number" min={1} required />
          <SelectField field={fields.mode} label="Counted as" options={DRAW_MODES} required />
        </SimpleGrid>
        {hasDraw ? (
          <TextareaField
            field={fields.reason}
            label="Why draw again"
            description="A second draw for the same day is kept beside the first and audited."
            required
          />
        ) : null}
        <Text size="xs" c="dimmed">
          Every eligible patient is equally likely. The draw uses a fresh cryptographic seed, stored with the eligible list, so anyone can re-run it and get the
          same patients.
        </Text>
        <div>
          <Button type="submit" loading={navigation.state === "submitting"}>
            {hasDraw ? "Draw again" : "Draw patients"}
          </Button>
        </div>
      </Stack>
    </Form>
  );
}

export default function DrugTestsPage() {
  const d = useLoaderData<typeof loader>();
  const dayLink = (date: string) => `/drug-tests?date=${date}`;
  const collected = d.board.filter((b) => b.test).length;
  const missing = d.board.length - collected;
  const isToday = d.date === d.today;
  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={1}>Drug tests</Title>
          <Text c="dimmed">
            {isToday ? "Today, " : ""}
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

      {d.alerts.length ? (
        <Card withBorder>
          <Title order={2} size="h3" mb="xs">
            Unexpected results {d.mine ? "on your caseload" : "awaiting acknowledgement"}
          </Title>
          <Table fz="sm" aria-label="Unexpected results awaiting acknowledgement">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Patient</Table.Th>
                <Table.Th>Collected</Table.Th>
                <Table.Th>Finding</Table.Th>
                {d.mine ? null : <Table.Th>Counselor</Table.Th>}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {d.alerts.map((a) => (
                <Table.Tr key={a.testId}>
                  <Table.Td>
                    <Anchor component={Link} to={`/patients/${a.patientId}/drug-tests`}>
                      {a.name}
                    </Anchor>{" "}
                    <Text span size="xs" c="dimmed">
                      {a.mrn}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Anchor component={Link} to={`/drug-tests/${a.testId}`}>
                      {longDate(a.collectedOn)}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>
                    <Group gap={4}>
                      {a.labels.map((l) => (
                        <Badge key={l} color="red" variant="light" tt="none">
                          {l}
                        </Badge>
                      ))}
                      {a.highRisk ? (
                        <Badge color="red.9" variant="filled" tt="none">
                          Higher risk
                        </Badge>
                      ) : null}
                    </Group>
                  </Table.Td>
                  {d.mine ? null : <Table.Td>{a.counselor ?? "—"}</Table.Td>}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Card>
      ) : null}

      <Card withBorder>
        <Title order={2} size="h3" mb="xs">
          Random draw
        </Title>
        {d.draw ? (
          <Stack gap="sm">
            <Text size="sm">
              {d.draw.count > 1 ? `Draw ${d.draw.sequence} of the day` : "Drawn"} by {d.draw.by} at {d.draw.at}: <b>{d.draw.selected}</b> of {d.draw.eligible} (
              {d.draw.pool.toLowerCase()}, {d.draw.rule}).{" "}
              <Anchor component={Link} to={`/drug-tests/draws/${d.draw.id}`}>
                Check this draw
              </Anchor>
            </Text>
            {d.draw.reason ? (
              <Text size="sm">
                <b>Why it was drawn again:</b> {d.draw.reason}
              </Text>
            ) : null}
            <Text size="sm" fw={600} role="status">
              {collected} of {d.board.length} collected · {missing} still missing
            </Text>
            <Table fz="sm" striped aria-label={`Selected for testing on ${longDate(d.date)}`}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th w={40}>#</Table.Th>
                  <Table.Th>Patient</Table.Th>
                  <Table.Th>Collection</Table.Th>
                  <Table.Th />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {d.board.map((b) => (
                  <Table.Tr key={b.patientId}>
                    <Table.Td>{b.order}</Table.Td>
                    <Table.Td>
                      <Anchor component={Link} to={`/patients/${b.patientId}/drug-tests`}>
                        {b.name}
                      </Anchor>{" "}
                      <Text span size="xs" c="dimmed">
                        {b.mrn}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      {b.test ? (
                        <Group gap="xs">
                          <Anchor component={Link} to={`/drug-tests/${b.test.id}`} size="sm">
                            {b.time}
                          </Anchor>
                          <OutcomeBadge outcome={b.test.outcome} unexpectedPositive={b.test.unexpectedPositive} neutral={!d.clinical} />
                        </Group>
                      ) : (
                        <Badge color="orange" variant="light" tt="none">
                          Missing
                        </Badge>
                      )}
                    </Table.Td>
                    <Table.Td>
                      {!b.test && d.date <= d.today ? (
                        <Anchor
                          component={Link}
                          to={`/drug-tests/new?patient=${b.patientId}&reason=random&date=${d.date}`}
                          size="sm"
                          aria-label={`Record collection for ${b.name}`}
                        >
                          Record collection
                        </Anchor>
                      ) : null}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Stack>
        ) : (
          <Text c="dimmed" mb="sm">
            No random draw for this day yet.
          </Text>
        )}
        {d.canDraw ? (
          <Card withBorder mt="md" bg="var(--mantine-color-body)">
            <DrawForm date={d.date} hasDraw={Boolean(d.draw)} counts={d.eligibleCounts} />
          </Card>
        ) : null}
      </Card>

      <Card withBorder>
        <Title order={2} size="h3" mb="xs">
          Collections on {longDate(d.date)}
        </Title>
        {d.tests.length === 0 ? (
          <Text c="dimmed">No collections recorded on this day.</Text>
        ) : (
          <Table fz="sm" striped aria-label={`Collections on ${longDate(d.date)}`}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th w={70}>Time</Table.Th>
                <Table.Th>Patient</Table.Th>
                <Table.Th>Reason</Table.Th>
                <Table.Th>Specimen</Table.Th>
                <Table.Th>Outcome</Table.Th>
                <Table.Th>Flagged</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {d.tests.map((t) => (
                <Table.Tr key={t.id}>
                  <Table.Td>
                    <Anchor component={Link} to={`/drug-tests/${t.id}`} aria-label={`${t.time} test of ${t.name}`}>
                      {t.time}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>
                    {t.name}{" "}
                    <Text span size="xs" c="dimmed">
                      {t.mrn}
                    </Text>
                  </Table.Td>
                  <Table.Td>{t.reason}</Table.Td>
                  <Table.Td>{t.specimen ? `${t.specimen}${t.panel ? ` · ${t.panel}` : ""}` : "—"}</Table.Td>
                  <Table.Td>
                    <OutcomeBadge outcome={t.outcome} unexpectedPositive={t.unexpectedPositive} validity={t.validity} neutral={!d.clinical} />
                  </Table.Td>
                  <Table.Td>
                    <FindingBadges findings={t.findings} />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Card>

      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <Card withBorder>
          <Title order={2} size="h3">
            Negative rate
          </Title>
          <Text size="sm" c="dimmed" mb="sm">
            Program-wide at this site, the last eight weeks. {d.clinical ? "A prescribed MAT medication" : "An expected medication"} alone counts as negative;
            refusals, no-shows and invalid specimens count as not negative; pending tests are not counted yet.
          </Text>
          {d.rate.total.percent === null ? (
            <Text c="dimmed">No completed tests in these weeks.</Text>
          ) : (
            <Text size="lg" fw={700}>
              {d.rate.total.percent} % negative{" "}
              <Text span size="sm" fw={400}>
                ({d.rate.total.negative} of {d.rate.total.counted} tests; {d.rate.refusals} refused or no-show; {d.rate.pending} pending)
              </Text>
            </Text>
          )}
          <Table fz="sm" mt="sm" aria-label="Negative rate by week">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Week of</Table.Th>
                <Table.Th>Tests</Table.Th>
                <Table.Th w="45%">Negative</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {d.rate.weekly.map((w) => (
                <Table.Tr key={w.monday}>
                  <Table.Td>{longDate(w.monday)}</Table.Td>
                  <Table.Td>{w.counted}</Table.Td>
                  <Table.Td>
                    {w.percent === null ? (
                      "—"
                    ) : (
                      <Group gap="xs" wrap="nowrap">
                        <Progress value={w.percent} color="teal" w={100} aria-hidden />
                        <Text size="sm">{w.percent} %</Text>
                      </Group>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Card>
        <Card withBorder>
          <Title order={2} size="h3" mb="xs">
            Recent draws
          </Title>
          {d.recent.length === 0 ? (
            <Text c="dimmed">No draws yet.</Text>
          ) : (
            <Stack gap={6}>
              {d.recent.map((r) => (
                <Group key={r.id} justify="space-between" wrap="nowrap">
                  <Anchor component={Link} to={`/drug-tests/draws/${r.id}`} size="sm">
                    {longDate(r.date)}
                    {r.sequence > 1 ? ` (draw ${r.sequence})` : ""}
                  </Anchor>
                  <Text size="sm" c="dimmed">
                    {r.selected} of {r.eligible} · {r.by}
                  </Text>
                </Group>
              ))}
            </Stack>
          )}
          {!d.canDraw && d.date < d.today ? (
            <Alert color="gray" mt="md" py={6}>
              Draws are made for today or a day ahead.
            </Alert>
          ) : null}
        </Card>
      </SimpleGrid>
    </Stack>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}

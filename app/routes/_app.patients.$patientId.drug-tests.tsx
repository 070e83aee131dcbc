import { getFormProps, type SubmissionResult, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { Alert, Anchor, Badge, Button, Card, Group, Pagination, SimpleGrid, Stack, Table, Text, Textarea, Title } from "@mantine/core";
import { type ActionFunctionArgs, data, type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigate, useNavigation } from "@remix-run/react";
import { RouteErrorBoundary } from "~/components/error-boundary";
import { FormErrors } from "~/components/form-errors";
import { can } from "~/features/auth/permissions";
import { acknowledgeAlerts, acknowledgedAlertsOf, openAlertsOf } from "~/features/drug-testing/alerts.server";
import { FindingBadges, OutcomeBadge } from "~/features/drug-testing/components/badges";
import { TestStrip } from "~/features/drug-testing/components/test-strip";
import { patientHistory } from "~/features/drug-testing/history.server";
import { neutralFindingLabel, neutralFindings, SPECIMENS, type Specimen, TEST_REASONS, type TestReason } from "~/features/drug-testing/rules";
import { AcknowledgeSchema } from "~/features/drug-testing/schemas";
import { requirePatient } from "~/features/patients/access.server";
import { todayIn, localClock, longDate } from "~/kernel/time";
import { refusedReply } from "~/utils/forms.server";
import { toastHeader } from "~/kernel/toast.server";

export async function loader(args: LoaderFunctionArgs) {
  const { db, user, patientId, today, header, clinical } = await requirePatient(args, "record:drug-tests", "drug-tests");
  const page = Number(new URL(args.request.url).searchParams.get("page") ?? "1");
  const [history, open, acknowledged] = await Promise.all([
    patientHistory(db, patientId, today, Number.isInteger(page) && page > 0 ? page : 1),
    openAlertsOf(db, patientId),
    acknowledgedAlertsOf(db, patientId, 10),
  ]);
  const tz = header.timeZone;
  // Staff (no clinical access) get the same history in neutral words: no analyte read against MAT,
  // no higher-risk mark, never the counselor's acknowledgement note (docs/security.md).
  const acknowledgedFor = clinical
    ? acknowledged
    : acknowledged
        .map((a) => ({ ...a, label: neutralFindingLabel(a.kind, a.label), note: a.status === "withdrawn" ? "Withdrawn: the finding no longer stands." : null }))
        .filter((a, i, all) => all.findIndex((o) => o.test_id === a.test_id && o.label === a.label && o.status === a.status) === i);
  return {
    patientId,
    clinical,
    name: header.identity.name,
    discharged: header.identity.status === "discharged",
    canAcknowledge: can(user.role, "acknowledge:drug-test-alerts"),
    history: {
      ...history,
      tests: history.tests.map((t) => ({
        id: t.id,
        date: t.collected_on,
        time: localClock(t.collected_at, tz),
        reason: TEST_REASONS[t.reason as TestReason] ?? t.reason,
        specimen: t.specimen ? SPECIMENS[t.specimen as Specimen] : null,
        observed: t.observed,
        panel: t.panel_name,
        collector: t.collector,
        outcome: t.outcome,
        validity: t.validity,
        unexpectedPositive: t.unexpected_positive,
        findings: clinical ? t.findings : neutralFindings(t.findings),
        expectedPositives: clinical ? t.expectedPositives : null,
      })),
    },
    open: clinical ? open : open.map((o) => ({ ...o, findings: neutralFindings(o.findings).map((f) => ({ ...f, highRisk: false })) })),
    acknowledged: acknowledgedFor.map((a) => ({
      id: a.id,
      testId: a.test_id,
      label: a.label,
      status: a.status,
      note: a.note,
      by: a.by_name,
      date: a.collected_on,
      on: a.closed_at ? todayIn(tz, new Date(a.closed_at)) : null,
    })),
  };
}

export async function action(args: ActionFunctionArgs) {
  const { db, user, patientId, sites, meta } = await requirePatient(args, "acknowledge:drug-test-alerts", null);
  const submission = parseWithZod(await args.request.formData(), { schema: AcknowledgeSchema });
  const testId = submission.payload.testId ? String(submission.payload.testId) : "";
  if (submission.status !== "success") return data({ testId, reply: submission.reply() as SubmissionResult<string[]> }, { status: 400 });
  const result = await acknowledgeAlerts(
    db,
    user,
    { patientId, testId: submission.value.testId, note: submission.value.note },
    sites.map((s) => s.id),
    meta,
  );
  if (!result.ok) return data({ testId, reply: refusedReply(submission, result) as SubmissionResult<string[]> }, { status: result.status });
  return redirect(`/patients/${patientId}/drug-tests`, {
    headers: { "Set-Cookie": await toastHeader({ kind: "success", message: `Acknowledged: ${result.acknowledged.join(", ")}.` }) },
  });
}

function AcknowledgeForm({ testId, lastResult, what }: { testId: string; lastResult?: SubmissionResult<string[]>; what: string }) {
  const navigation = useNavigation();
  const [form, fields] = useForm({
    id: `ack-${testId}`,
    lastResult,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: AcknowledgeSchema }),
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
  });
  return (
    <Form method="post" {...getFormProps(form)}>
      <input type="hidden" name="intent" value="acknowledge" />
      <input type="hidden" name="testId" value={testId} />
      <Stack gap="xs">
        <FormErrors errors={form.errors} title="Not acknowledged" />
        <Textarea
          label={`Acknowledgement note for ${what}`}
          description="What was done: discussed with the patient, plan or dosing changed, retest ordered…"
          name={fields.note.name}
          defaultValue={typeof fields.note.initialValue === "string" ? fields.note.initialValue : undefined}
          error={fields.note.errors?.join(" ")}
          required
          autosize
          minRows={2}
        />
        <div>
          <Button type="submit" size="sm" loading={navigation.state === "submitting" && navigation.formData?.get("testId") === testId}>
            Acknowledge
          </Button>
        </div>
      </Stack>
    </Form>
  );
}

export default function PatientDrugTests() {
  const { patientId, name, discharged, canAcknowledge, clinical, history: h, open, acknowledged } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigate = useNavigate();
  const openCount = open.reduce((n, o) => n + o.findings.length, 0);
  return (
    <Stack gap="md" component="section" aria-label="Drug tests">
      {open.length ? (
        <Card withBorder style={{ borderColor: "var(--mantine-color-red-6)" }}>
          <Group gap="xs" mb="xs">
            <Title order={2} size="h3">
              Unexpected result
            </Title>
            <Badge
              color="red.9"
              variant="filled"
              tt="none"
              aria-label={`${openCount} unexpected ${openCount === 1 ? "result" : "results"} not yet acknowledged`}
            >
              {openCount} open
            </Badge>
          </Group>
          <Stack gap="md">
            {open.map((o) => {
              const what = `${longDate(o.collectedOn)} (${o.findings.map((f) => f.label).join(", ")})`;
              return (
                <div key={o.testId}>
                  <Group gap="xs" mb={4}>
                    <Anchor component={Link} to={`/drug-tests/${o.testId}`} fw={600}>
                      {longDate(o.collectedOn)}
                    </Anchor>
                    <Text size="sm" c="dimmed">
                      {TEST_REASONS[o.reason as TestReason] ?? o.reason}
                    </Text>
                    {o.findings.map((f) => (
                      <Badge key={f.id} color="red" variant="light" tt="none">
                        {f.label}
                      </Badge>
                    ))}
                    {o.findings.some((f) => f.highRisk) ? (
                      <Badge color="red.9" variant="filled" tt="none">
                        Higher risk
                      </Badge>
                    ) : null}
                  </Group>
                  {canAcknowledge ? (
                    <AcknowledgeForm testId={o.testId} what={what} lastResult={actionData?.testId === o.testId ? actionData.reply : undefined} />
                  ) : (
                    <Text size="sm" c="dimmed">
                      Flagged for the counselor, who acknowledges it with a note.
                    </Text>
                  )}
                </div>
              );
            })}
          </Stack>
        </Card>
      ) : null}
      {actionData && !open.some((o) => o.testId === actionData.testId) ? (
        <FormErrors errors={actionData.reply.error?.[""] ?? ["Not acknowledged."]} title="Not acknowledged" />
      ) : null}

      <SimpleGrid cols={{ base: 1, sm: 3 }}>
        <Card withBorder>
          <Text size="sm" c="dimmed">
            Negative streak
          </Text>
          <Text size="xl" fw={700}>
            {h.streak} {h.streak === 1 ? "test" : "tests"}
          </Text>
          <Text size="xs" c="dimmed">
            in a row, most recent first; {clinical ? "prescribed MAT" : "expected medication"} counts as negative
          </Text>
        </Card>
        <Card withBorder>
          <Text size="sm" c="dimmed">
            Since the last unexpected positive
          </Text>
          <Text size="xl" fw={700}>
            {h.daysSinceUnexpected === null ? "None on record" : `${h.daysSinceUnexpected} ${h.daysSinceUnexpected === 1 ? "day" : "days"}`}
          </Text>
        </Card>
        <Card withBorder>
          <Text size="sm" c="dimmed">
            Negative rate
          </Text>
          <Text size="xl" fw={700}>
            {h.rate.percent === null ? "—" : `${h.rate.percent} %`}
          </Text>
          <Text size="xs" c="dimmed">
            {h.rate.negative} of {h.rate.counted} completed tests
          </Text>
        </Card>
      </SimpleGrid>

      <Card withBorder>
        <Group justify="space-between" mb="xs">
          <Title order={2} size="h3">
            Drug tests
          </Title>
          {discharged ? null : (
            <Button component={Link} to={`/drug-tests/new?patient=${patientId}`} size="sm">
              Record a collection
            </Button>
          )}
        </Group>
        {h.total === 0 ? (
          <Text c="dimmed">No drug tests recorded for {name}.</Text>
        ) : (
          <Stack gap="md">
            <TestStrip items={h.strip} neutral={!clinical} />
            <Table fz="sm" striped aria-label="Drug tests">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Collected</Table.Th>
                  <Table.Th>Reason</Table.Th>
                  <Table.Th>Specimen</Table.Th>
                  <Table.Th>Outcome</Table.Th>
                  <Table.Th>Flagged</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {h.tests.map((t) => (
                  <Table.Tr key={t.id}>
                    <Table.Td>
                      <Anchor component={Link} to={`/drug-tests/${t.id}`}>
                        {longDate(t.date)}
                      </Anchor>{" "}
                      <Text span size="xs" c="dimmed">
                        {t.time}
                      </Text>
                    </Table.Td>
                    <Table.Td>{t.reason}</Table.Td>
                    <Table.Td>
                      {t.specimen ? `${t.specimen}${t.observed ? ", observed" : ""}` : "—"}
                      {t.panel ? (
                        <Text size="xs" c="dimmed">
                          {t.panel}
                        </Text>
                      ) : null}
                    </Table.Td>
                    <Table.Td>
                      <OutcomeBadge outcome={t.outcome} unexpectedPositive={t.unexpectedPositive} validity={t.validity} neutral={!clinical} />
                    </Table.Td>
                    <Table.Td>
                      <FindingBadges findings={t.findings} />
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
            {h.pages > 1 ? (
              <Pagination
                total={h.pages}
                value={h.page}
                onChange={(p) => navigate(`/patients/${patientId}/drug-tests?page=${p}`)}
                getItemProps={(p) => ({ component: Link, to: `/patients/${patientId}/drug-tests?page=${p}`, "aria-label": `Page ${p}` })}
                getControlProps={(control) => ({ "aria-label": `${control} page` })}
              />
            ) : null}
          </Stack>
        )}
      </Card>

      {acknowledged.length ? (
        <Card withBorder>
          <Title order={2} size="h3" mb="xs">
            Acknowledged
          </Title>
          <Stack gap="xs">
            {acknowledged.map((a) => (
              <Alert key={a.id} color="gray" py={6} title={`${longDate(a.date)} · ${a.label}${a.status === "withdrawn" ? " — withdrawn" : ""}`}>
                {a.status === "withdrawn" ? a.note : `${a.by ?? "Someone"}${a.on ? ` on ${longDate(a.on)}` : ""}${a.note ? `: ${a.note}` : "."}`}
              </Alert>
            ))}
          </Stack>
        </Card>
      ) : null}
    </Stack>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}

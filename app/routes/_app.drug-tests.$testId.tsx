import { getFormProps, type SubmissionResult, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { Alert, Anchor, Badge, Button, Card, Group, Paper, Radio, SimpleGrid, Stack, Table, Text, Title } from "@mantine/core";
import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useRef } from "react";
import { RouteErrorBoundary } from "~/components/error-boundary";
import { FormErrors } from "~/components/form-errors";
import { DateField, SelectField, TextField } from "~/components/form-fields";
import { recordAudit } from "~/features/audit/audit.server";
import { requireUser } from "~/features/auth/guard.server";
import { can } from "~/features/auth/permissions";
import { confirmResult, getTest, saveResults } from "~/features/drug-testing/collections.server";
import { OutcomeBadge, ReadingBadge } from "~/features/drug-testing/components/badges";
import {
  analyteLabel,
  CONFIRMATIONS,
  type Confirmation,
  INTERPRETATION_RULES,
  neutralFindingLabel,
  SPECIMENS,
  type Specimen,
  TEST_REASONS,
  type TestReason,
  URINE_TEMPERATURE_RANGE,
  VALIDITIES,
} from "~/features/drug-testing/rules";
import { confirmSchema, RESULT_CHOICES, ResultsSchema } from "~/features/drug-testing/schemas";
import { MAT_MEDICATIONS, type MatMedication } from "~/features/patients/rules";
import { todayIn, localClock, longDate } from "~/kernel/time";
import { refusedReply } from "~/utils/forms.server";
import { redirectWithToast } from "~/kernel/http.server";

// The MRN, never the name: a title ends up in browser history and on shared screens.
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data ? `Drug test · ${data.test.mrn}` : "Drug test"} · IOP Dashboard` }];

export async function loader(args: LoaderFunctionArgs) {
  const { db, user, sites, meta } = await requireUser(args, "record:drug-tests");
  const t = await getTest(
    db,
    args.params.testId ?? "",
    sites.map((s) => s.id),
  );
  if (!t) throw data({ message: "There is no such test at your sites." }, { status: 404 });
  await recordAudit(db, {
    actor: user,
    action: "patient.viewed",
    entityType: "patient",
    entityId: t.patient_id,
    patientId: t.patient_id,
    siteId: t.site_id,
    detail: { section: "drug-test", testId: t.id },
    meta,
  });
  const clinical = can(user.role, "read:patient-clinical");
  const notes = new Map(INTERPRETATION_RULES.map((r) => [r.id, r.note]));
  const tz = t.time_zone;
  return {
    clinical,
    today: todayIn(tz),
    timeZone: tz,
    test: {
      id: t.id,
      version: t.version,
      patientId: t.patient_id,
      patientName: t.patientName,
      mrn: t.mrn,
      date: t.collected_on,
      time: localClock(t.collected_at, tz),
      collection: t.collection,
      reason: TEST_REASONS[t.reason as TestReason] ?? t.reason,
      draw: t.draw_id ? { id: t.draw_id, sequence: Number(t.draw_sequence) } : null,
      specimen: t.specimen ? SPECIMENS[t.specimen as Specimen] : null,
      urine: t.specimen === "urine",
      observed: t.observed === null ? null : Boolean(t.observed),
      temperatureInRange: t.temperature_in_range === null ? null : Boolean(t.temperature_in_range),
      temperatureNote: t.temperature_note,
      panel: t.panel_name,
      collector: t.collector_name,
      recorder: t.recorder_name,
      validity: t.validity,
      outcome: t.outcome,
      unexpectedPositive: Boolean(t.unexpected_positive),
      note: t.note,
      // Staff see the reading, never which medication it was read against.
      mat: clinical ? t.matContext.map((m) => `${MAT_MEDICATIONS[m.medication as MatMedication] ?? m.medication} (since ${m.startedOn})`) : null,
      results: t.results.map((r) => ({
        analyte: r.analyte,
        label: analyteLabel(r.analyte),
        result: r.result ?? "pending",
        confirmation: r.confirmation
          ? `${CONFIRMATIONS[r.confirmation as Confirmation]} by ${r.lab} (accession ${r.accession_number}, reported ${r.confirmed_on})`
          : null,
        // Staff enter the result; what it means against the patient's MAT is for counselors.
        reading: clinical ? r.reading : null,
        highRisk: clinical && r.high_risk,
        // Counselors see why a reading is what it is; a plain negative needs no explanation.
        note: clinical && r.rule && r.reading !== "expected_negative" ? (notes.get(r.rule) ?? null) : null,
      })),
      alerts: alertsFor(clinical, t.alerts).map((a) => ({
        id: a.id,
        label: a.label,
        status: a.status,
        highRisk: a.highRisk,
        note: a.note,
        by: a.by_name,
        on: a.closed_at ? todayIn(tz, new Date(a.closed_at)) : null,
      })),
    },
  };
}

/**
 * A test's alerts as the reader may see them: counselors and admins in full; staff in neutral words
 * ("Not as expected" once per state), with no higher-risk mark and never the counselor's note.
 */
function alertsFor<A extends { kind: string; label: string; status: string; high_risk: boolean; note: string | null }>(clinical: boolean, alerts: A[]) {
  if (clinical) return alerts.map((a) => ({ ...a, highRisk: a.high_risk }));
  const out: (A & { highRisk: boolean })[] = [];
  for (const a of alerts) {
    const label = neutralFindingLabel(a.kind, a.label);
    if (!out.some((o) => o.label === label && o.status === a.status)) out.push({ ...a, label, kind: "", highRisk: false, note: null });
  }
  return out;
}

type Reply = { intent: "results" | "confirm"; reply: SubmissionResult<string[]> };

export async function action(args: ActionFunctionArgs) {
  const { db, user, sites, meta } = await requireUser(args, "record:drug-tests");
  const id = args.params.testId ?? "";
  const siteIds = sites.map((s) => s.id);
  const formData = await args.request.formData();
  const done = (message: string) => redirectWithToast(`/drug-tests/${id}`, message);
  // Staff are told that something went to the counselor, not what it says about the patient's MAT.
  const clinical = can(user.role, "read:patient-clinical");
  const flagged = (raised: string[], withdrawn: string[]) =>
    clinical
      ? [raised.length ? ` Flagged for the counselor: ${raised.join(", ")}.` : "", withdrawn.length ? ` No longer flagged: ${withdrawn.join(", ")}.` : ""].join(
          "",
        )
      : [raised.length ? " Flagged for the counselor: not as expected." : "", withdrawn.length ? " A flag no longer stands." : ""].join("");
  if (formData.get("intent") === "confirm") {
    const test = await getTest(db, id, siteIds);
    const submission = parseWithZod(formData, { schema: confirmSchema(todayIn(test?.time_zone ?? "UTC")) });
    if (submission.status !== "success") return data({ intent: "confirm", reply: submission.reply() } satisfies Reply, { status: 400 });
    const result = await confirmResult(db, user, id, submission.value, siteIds, meta);
    if (!result.ok) return data({ intent: "confirm", reply: refusedReply(submission, result) } satisfies Reply, { status: result.status });
    return done(
      `${analyteLabel(submission.value.analyte)}: ${CONFIRMATIONS[submission.value.confirmation].toLowerCase()} recorded.${flagged(result.raised, result.withdrawn)}`,
    );
  }
  const submission = parseWithZod(formData, { schema: ResultsSchema });
  if (submission.status !== "success") return data({ intent: "results", reply: submission.reply() } satisfies Reply, { status: 400 });
  const result = await saveResults(db, user, id, submission.value, siteIds, meta);
  if (!result.ok) return data({ intent: "results", reply: refusedReply(submission, result) } satisfies Reply, { status: result.status });
  return done(`Results saved${result.outcome === "pending" ? "; some are still pending" : ""}.${flagged(result.raised, result.withdrawn)}`);
}

function ResultsForm() {
  const { test: t, clinical } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const formRef = useRef<HTMLFormElement>(null);
  const [form, fields] = useForm({
    id: `results-${t.version}`,
    lastResult: actionData?.intent === "results" ? actionData.reply : undefined,
    defaultValue: { validity: t.validity ?? "valid", results: Object.fromEntries(t.results.map((r) => [r.analyte, r.result])) },
    shouldValidate: "onSubmit",
  });
  const typed = (fields.results.initialValue ?? {}) as Record<string, string>;
  const markNegative = () => {
    for (const r of t.results) {
      const pending = formRef.current?.querySelector<HTMLInputElement>(`input[name="results.${r.analyte}"][value="pending"]:checked`);
      const negative = formRef.current?.querySelector<HTMLInputElement>(`input[name="results.${r.analyte}"][value="negative"]`);
      if (pending && negative) negative.checked = true;
    }
  };
  return (
    <Form method="post" {...getFormProps(form)} ref={formRef} aria-labelledby="results-heading">
      <input type="hidden" name="intent" value="results" />
      <input type="hidden" name="version" value={t.version} />
      <Stack gap="sm">
        <Group justify="space-between" align="flex-end">
          <Title order={2} size="h3" id="results-heading">
            Results
          </Title>
          <Button type="button" variant="default" size="xs" onClick={markNegative}>
            Mark the pending ones negative
          </Button>
        </Group>
        <FormErrors errors={form.errors} title="Results not saved" />
        <SelectField field={fields.validity} label="Specimen validity" options={VALIDITIES} required />
        <Table fz="sm" verticalSpacing="xs" aria-label="Results by analyte">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Analyte</Table.Th>
              <Table.Th>Presumptive result</Table.Th>
              {/* Staff see no reading against MAT: the column holds only the lab's confirmation. */}
              <Table.Th>{clinical ? "Reading" : "Lab confirmation"}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {t.results.map((r) => (
              <Table.Tr key={r.analyte}>
                <Table.Td fw={600} id={`analyte-${r.analyte}`}>
                  {r.label}
                </Table.Td>
                <Table.Td>
                  <Group gap="md" role="radiogroup" aria-labelledby={`analyte-${r.analyte}`} wrap="nowrap">
                    {Object.entries(RESULT_CHOICES).map(([value, label]) => (
                      <Radio
                        key={value}
                        name={`results.${r.analyte}`}
                        value={value}
                        label={label}
                        defaultChecked={(typed[r.analyte] ?? r.result) === value}
                        disabled={Boolean(r.confirmation)}
                        size="xs"
                      />
                    ))}
                    {r.confirmation ? <input type="hidden" name={`results.${r.analyte}`} value={r.result} /> : null}
                  </Group>
                </Table.Td>
                <Table.Td>
                  {r.reading ? <ReadingBadge reading={r.reading} highRisk={r.highRisk} /> : null}
                  {r.note ? (
                    <Text size="xs" c="dimmed" mt={2}>
                      {r.note}
                    </Text>
                  ) : null}
                  {r.confirmation ? (
                    <Text size="xs" mt={2}>
                      {r.confirmation}
                    </Text>
                  ) : null}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        <div>
          <Button type="submit" loading={navigation.state === "submitting" && navigation.formData?.get("intent") === "results"}>
            Save results
          </Button>
        </div>
      </Stack>
    </Form>
  );
}

function ConfirmForm() {
  const { test: t, today } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const positives = t.results.filter((r) => r.result === "positive");
  const [form, fields] = useForm({
    id: `confirm-${t.version}`,
    lastResult: actionData?.intent === "confirm" ? actionData.reply : undefined,
    defaultValue: { confirmedOn: today },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: confirmSchema(today) }),
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
  });
  return (
    <Form method="post" {...getFormProps(form)} aria-labelledby="confirm-heading">
      <input type="hidden" name="intent" value="confirm" />
      <input type="hidden" name="version" value={t.version} />
      <Stack gap="sm">
        <Title order={2} size="h3" id="confirm-heading">
          Lab confirmation
        </Title>
        {positives.length === 0 ? (
          <Text size="sm" c="dimmed">
            A lab confirmation is recorded for a presumptive positive; this test has none.
          </Text>
        ) : null}
        {positives.length === 0 && !form.errors?.length ? null : (
          <>
            <FormErrors errors={form.errors} title="Confirmation not recorded" />
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <SelectField field={fields.analyte} label="Analyte" options={positives.map((r) => ({ value: r.analyte, label: r.label }))} required />
              <SelectField field={fields.confirmation} label="Lab result" options={CONFIRMATIONS} required />
              <TextField field={fields.lab} label="Lab" required />
              <TextField field={fields.accessionNumber} label="Accession number" required />
              <DateField field={fields.confirmedOn} label="Reported on" required max={today} />
            </SimpleGrid>
            <div>
              <Button type="submit" variant="default">
                Record confirmation
              </Button>
            </div>
          </>
        )}
      </Stack>
    </Form>
  );
}

export default function DrugTestPage() {
  const { test: t, timeZone, clinical } = useLoaderData<typeof loader>();
  const open = t.alerts.filter((a) => a.status === "open");
  const closed = t.alerts.filter((a) => a.status === "acknowledged");
  const title = t.collection === "collected" ? `${t.specimen ?? ""} test` : t.collection === "refused" ? "Refused test" : "No-show";
  return (
    <Stack gap="md" maw={960}>
      <Group gap="md">
        <Anchor component={Link} to={`/drug-tests?date=${t.date}`} size="sm">
          ← Drug tests on {longDate(t.date)}
        </Anchor>
        <Anchor component={Link} to={`/patients/${t.patientId}/drug-tests`} size="sm">
          {t.patientName}&apos;s tests
        </Anchor>
      </Group>
      <div>
        <Group gap="sm" align="center">
          <Title order={1}>
            {title} — {t.patientName}
          </Title>
          <OutcomeBadge outcome={t.outcome} unexpectedPositive={t.unexpectedPositive} validity={t.validity} neutral={!clinical} />
        </Group>
        <Text c="dimmed">
          {t.mrn} · {longDate(t.date)} at {t.time} ({timeZone}) · {t.reason}
          {t.draw ? (
            <>
              {" "}
              (
              <Anchor component={Link} to={`/drug-tests/draws/${t.draw.id}`}>
                draw {t.draw.sequence} of the day
              </Anchor>
              )
            </>
          ) : null}
        </Text>
      </div>
      {open.length ? (
        <Alert color="red" title="Unexpected result" role="alert">
          {open.map((a) => a.label).join(", ")}
          {open.some((a) => a.highRisk) ? " — higher risk" : ""}. The patient&apos;s counselor sees this flag until they acknowledge it with a note on the
          patient&apos;s Drug tests tab.
        </Alert>
      ) : null}
      {closed.map((a) => (
        <Alert key={a.id} color="gray" title={`${a.label}: acknowledged`}>
          {a.by} on {a.on ? longDate(a.on) : ""}
          {a.note ? `: ${a.note}` : "."}
        </Alert>
      ))}
      <Card withBorder>
        <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
          <Text size="sm">
            <b>{t.collection === "collected" ? "Collected by" : "Recorded by"}</b> {t.collector}
          </Text>
          {t.collection === "collected" ? (
            <>
              <Text size="sm">
                <b>Panel</b> {t.panel}
              </Text>
              <Text size="sm">
                <b>Observed</b> {t.observed ? "yes" : "no"}
              </Text>
              {t.urine ? (
                <Text size="sm">
                  <b>Temperature</b> {t.temperatureInRange ? `in range (${URINE_TEMPERATURE_RANGE})` : `out of range — ${t.temperatureNote}`}
                </Text>
              ) : null}
            </>
          ) : null}
          {t.mat && t.collection === "collected" ? (
            <Text size="sm">
              <b>Read against MAT</b> {t.mat.length ? t.mat.join(", ") : "none on that day"}
            </Text>
          ) : null}
          <Text size="sm">
            <b>Entered by</b> {t.recorder}
          </Text>
        </SimpleGrid>
        {t.note ? (
          <Text size="sm" mt="sm">
            <b>Note</b> {t.note}
          </Text>
        ) : null}
      </Card>
      {t.collection === "collected" ? (
        <>
          <Paper withBorder p="lg">
            <ResultsForm />
          </Paper>
          <Paper withBorder p="lg">
            <ConfirmForm />
          </Paper>
        </>
      ) : (
        <Card withBorder>
          <Badge color="red" variant="light" tt="none">
            {t.collection === "refused" ? "Refused" : "No-show"}
          </Badge>
          <Text size="sm" mt="xs">
            No specimen was collected, so there are no results. This is recorded as {t.collection === "refused" ? "a refusal" : "a no-show"}, never as a
            negative.
          </Text>
        </Card>
      )}
    </Stack>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}

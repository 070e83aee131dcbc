import { getFormProps, type SubmissionResult, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { Badge, Button, Card, Group, Paper, Radio, SimpleGrid, Stack, Text, Title } from "@mantine/core";
import { type ActionFunctionArgs, data, type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { DateField, TextareaField, TextField } from "~/components/form-fields";
import { FormErrors } from "~/components/form-errors";
import { RouteErrorBoundary } from "~/components/error-boundary";
import { requirePatient } from "~/features/patients/access.server";
import { DECISION_DAYS, decisionSchema, disagreementSchema, requestSchema } from "~/features/patients/amendments";
import { amendmentRequestsOf, decideAmendment, recordAmendmentRequest, recordDisagreement } from "~/features/patients/amendments.server";
import { refusedReply } from "~/utils/forms.server";
import { redirectWithToast } from "~/kernel/http.server";

export async function loader(args: LoaderFunctionArgs) {
  const { db, patientId, canWrite, today } = await requirePatient(args, "read:patient-clinical", "amendments");
  return { canWrite, today, requests: await amendmentRequestsOf(db, patientId, today) };
}

export async function action(args: ActionFunctionArgs) {
  const { db, user, patientId, today, sites, meta } = await requirePatient(args, "write:patients", null);
  const formData = await args.request.formData();
  const siteIds = sites.map((s) => s.id);
  const intent = String(formData.get("intent") ?? "");
  const done = (message: string) => redirectWithToast(`/patients/${patientId}/amendments`, message);
  const id = String(formData.get("id") ?? "");
  if (intent === "decide") {
    const submission = parseWithZod(formData, { schema: decisionSchema(today) });
    if (submission.status !== "success") return data({ intent, id, reply: submission.reply() as SubmissionResult<string[]> }, { status: 400 });
    const result = await decideAmendment(db, user, patientId, submission.value, siteIds, meta);
    if (!result.ok) return data({ intent, id, reply: refusedReply(submission, result) as SubmissionResult<string[]> }, { status: result.status });
    return done(submission.value.decision === "accepted" ? "Request accepted. Make the change in the chart." : "Request denied; the reason is kept with it.");
  }
  if (intent === "disagree") {
    const submission = parseWithZod(formData, { schema: disagreementSchema(today) });
    if (submission.status !== "success") return data({ intent, id, reply: submission.reply() as SubmissionResult<string[]> }, { status: 400 });
    const result = await recordDisagreement(db, user, patientId, submission.value, siteIds, meta);
    if (!result.ok) return data({ intent, id, reply: refusedReply(submission, result) as SubmissionResult<string[]> }, { status: result.status });
    return done("Statement of disagreement kept with the request.");
  }
  if (intent !== "request") throw data({ message: "That is not something this page can do." }, { status: 400 });
  const submission = parseWithZod(formData, { schema: requestSchema(today) });
  if (submission.status !== "success") return data({ intent, id: "", reply: submission.reply() as SubmissionResult<string[]> }, { status: 400 });
  const result = await recordAmendmentRequest(db, user, patientId, submission.value, siteIds, meta);
  if (!result.ok) return data({ intent, id: "", reply: refusedReply(submission, result) as SubmissionResult<string[]> }, { status: result.status });
  return done(`Request recorded. A decision is due within ${DECISION_DAYS} days.`);
}

type Req = ReturnType<typeof useLoaderData<typeof loader>>["requests"][number];

function Decide({ r, today, lastResult }: { r: Req; today: string; lastResult?: SubmissionResult<string[]> }) {
  const navigation = useNavigation();
  const [form, fields] = useForm({
    id: `decide-${r.id}`,
    lastResult,
    defaultValue: { decidedOn: today },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: decisionSchema(today) }),
    shouldValidate: "onSubmit",
  });
  return (
    <Form method="post" {...getFormProps(form)}>
      <input type="hidden" name="intent" value="decide" />
      <input type="hidden" name="id" value={r.id} />
      <input type="hidden" name="version" value={r.version} />
      <Stack gap="xs">
        <FormErrors errors={form.errors} />
        <Radio.Group name={fields.decision.name} label="Decision" error={fields.decision.errors?.join(" ")} required>
          <Group mt={4}>
            <Radio value="accepted" label="Accept" />
            <Radio value="denied" label="Deny" />
          </Group>
        </Radio.Group>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <DateField field={fields.decidedOn} label="Decided on" max={today} required />
        </SimpleGrid>
        <TextareaField field={fields.note} label="What was changed, or the reason for the denial" required />
        <div>
          <Button type="submit" variant="light" loading={navigation.state === "submitting"}>
            Record the decision
          </Button>
        </div>
      </Stack>
    </Form>
  );
}

function Disagree({ r, today, lastResult }: { r: Req; today: string; lastResult?: SubmissionResult<string[]> }) {
  const navigation = useNavigation();
  const [form, fields] = useForm({
    id: `disagree-${r.id}`,
    lastResult,
    defaultValue: { disagreementOn: today },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: disagreementSchema(today) }),
    shouldValidate: "onSubmit",
  });
  return (
    <Form method="post" {...getFormProps(form)}>
      <input type="hidden" name="intent" value="disagree" />
      <input type="hidden" name="id" value={r.id} />
      <input type="hidden" name="version" value={r.version} />
      <Stack gap="xs">
        <FormErrors errors={form.errors} />
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <DateField field={fields.disagreementOn} label="Statement received on" max={today} required />
        </SimpleGrid>
        <TextareaField field={fields.disagreement} label="The patient's statement of disagreement" required />
        <div>
          <Button type="submit" variant="light" loading={navigation.state === "submitting"}>
            Keep the statement with the record
          </Button>
        </div>
      </Stack>
    </Form>
  );
}

const STATUS = {
  pending: { label: "Awaiting decision", color: "orange" },
  accepted: { label: "Accepted", color: "teal.9" },
  denied: { label: "Denied", color: "red.9" },
} as const;

export default function AmendmentsTab() {
  const { canWrite, today, requests } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const [form, fields] = useForm({
    id: "request",
    lastResult: actionData?.intent === "request" ? actionData.reply : undefined,
    defaultValue: { requestedOn: today },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: requestSchema(today) }),
    shouldValidate: "onSubmit",
  });
  const replyFor = (intent: string, id: string) => (actionData?.intent === intent && actionData.id === id ? actionData.reply : undefined);
  return (
    <Stack gap="md">
      <Text size="sm" c="dimmed">
        A patient may ask for their record to be amended. Record the request as they made it; the program decides within {DECISION_DAYS} days. If it is
        accepted, make the change in the chart (every change is audited); if it is denied, say why — the patient may then file a statement of disagreement,
        which is kept with the record.
      </Text>
      {requests.length === 0 ? <Text size="sm">No amendment requests.</Text> : null}
      {requests.map((r) => {
        const status = STATUS[r.status as keyof typeof STATUS] ?? STATUS.pending;
        return (
          <Card withBorder key={r.id} aria-label={`Amendment request of ${r.requested_on}`} component="section">
            <Group justify="space-between" mb={4}>
              <Text fw={600}>
                {r.section} · requested {r.requested_on}
              </Text>
              <Group gap="xs">
                {r.overdue ? (
                  <Badge color="red.9" variant="filled">
                    Overdue since {r.dueOn}
                  </Badge>
                ) : r.status === "pending" ? (
                  <Text size="xs">Decision due by {r.dueOn}</Text>
                ) : null}
                <Badge color={status.color} variant={r.status === "pending" ? "light" : "filled"}>
                  {status.label}
                </Badge>
              </Group>
            </Group>
            <Text size="sm" style={{ whiteSpace: "pre-wrap" }}>
              {r.request}
            </Text>
            {r.decided_on ? (
              <Text size="sm" mt="xs">
                <b>{r.status === "accepted" ? "Accepted" : "Denied"}</b> on {r.decided_on} by {r.decided_by}: {r.decision_note}
              </Text>
            ) : null}
            {r.disagreement ? (
              <Text size="sm" mt="xs">
                <b>Patient's statement of disagreement</b> ({r.disagreement_on}): {r.disagreement}
              </Text>
            ) : null}
            {canWrite && r.status === "pending" ? (
              <Paper withBorder p="sm" mt="sm">
                <Decide r={r} today={today} lastResult={replyFor("decide", r.id)} />
              </Paper>
            ) : null}
            {canWrite && r.status === "denied" && !r.disagreement ? (
              <Paper withBorder p="sm" mt="sm">
                <Disagree r={r} today={today} lastResult={replyFor("disagree", r.id)} />
              </Paper>
            ) : null}
          </Card>
        );
      })}
      {canWrite ? (
        <Paper withBorder p="lg">
          <Title order={2} size="h3" mb="xs">
            Record a request to amend
          </Title>
          <Form method="post" {...getFormProps(form)}>
            <input type="hidden" name="intent" value="request" />
            <Stack>
              <FormErrors errors={form.errors} />
              <SimpleGrid cols={{ base: 1, sm: 2 }}>
                <DateField field={fields.requestedOn} label="Requested on" max={today} required />
                <TextField field={fields.section} label="Part of the record" placeholder="e.g. diagnoses, discharge summary, 3 Nov group note" required />
              </SimpleGrid>
              <TextareaField field={fields.request} label="What the patient asks to change, and why" required />
              <div>
                <Button type="submit" loading={navigation.state === "submitting"}>
                  Record the request
                </Button>
              </div>
            </Stack>
          </Form>
        </Paper>
      ) : null}
    </Stack>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}

import { type SubmissionResult, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { Badge, Card, Group, Paper, Radio, SimpleGrid, Text } from "@mantine/core";
import { useNavigation } from "@remix-run/react";
import { DateField, TextareaField, TextField } from "~/components/form-fields";
import { IntentForm, type IntentFormProps } from "~/features/scheduling/components/intent-form";
import { ChartForm } from "./chart-form";
import { decisionSchema, disagreementSchema, requestSchema } from "../amendments";
import { shortDate, shortDateOr } from "~/kernel/time";

/** A request to amend the record, as the chart lists it. */
export interface AmendmentRequestView {
  id: string;
  version: number;
  requested_on: string;
  section: string;
  request: string;
  status: string;
  decided_on: string | null;
  decided_by: string | null;
  decision_note: string | null;
  disagreement: string | null;
  disagreement_on: string | null;
  dueOn: string;
  overdue: boolean;
}
type Req = AmendmentRequestView;

/** A form that changes one request (decides it, or files a disagreement): names the request and the version it was read at. */
function RequestChangeForm<Schema extends Record<string, unknown>>({
  r,
  children,
  ...form
}: { r: Req } & Pick<IntentFormProps<Schema>, "form" | "intent" | "submit" | "children">) {
  const navigation = useNavigation();
  return (
    <IntentForm version={r.version} compact button={{ variant: "light", loading: navigation.state === "submitting" }} {...form}>
      <input type="hidden" name="id" value={r.id} />
      {children}
    </IntentForm>
  );
}

export function Decide({ r, today, lastResult }: { r: Req; today: string; lastResult?: SubmissionResult<string[]> }) {
  const [form, fields] = useForm({
    id: `decide-${r.id}`,
    lastResult,
    defaultValue: { decidedOn: today },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: decisionSchema(today) }),
    shouldValidate: "onSubmit",
  });
  return (
    <RequestChangeForm r={r} form={form} intent="decide" submit="Record the decision">
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
    </RequestChangeForm>
  );
}

export function Disagree({ r, today, lastResult }: { r: Req; today: string; lastResult?: SubmissionResult<string[]> }) {
  const [form, fields] = useForm({
    id: `disagree-${r.id}`,
    lastResult,
    defaultValue: { disagreementOn: today },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: disagreementSchema(today) }),
    shouldValidate: "onSubmit",
  });
  return (
    <RequestChangeForm r={r} form={form} intent="disagree" submit="Keep the statement with the record">
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <DateField field={fields.disagreementOn} label="Statement received on" max={today} required />
      </SimpleGrid>
      <TextareaField field={fields.disagreement} label="The patient's statement of disagreement" required />
    </RequestChangeForm>
  );
}

const STATUS = {
  pending: { label: "Awaiting decision", color: "orange" },
  accepted: { label: "Accepted", color: "teal.9" },
  denied: { label: "Denied", color: "red.9" },
} as const;

/** One request: what was asked, its decision or due date, and the form its state calls for. */
export function AmendmentCard({
  r,
  today,
  canWrite,
  replyFor,
}: {
  r: Req;
  today: string;
  canWrite: boolean;
  replyFor: (intent: string, id: string) => SubmissionResult<string[]> | undefined;
}) {
  const status = STATUS[r.status as keyof typeof STATUS] ?? STATUS.pending;
  return (
    <Card withBorder aria-label={`Amendment request of ${shortDate(r.requested_on)}`} component="section">
      <Group justify="space-between" mb={4}>
        <Text fw={600}>
          {r.section} · requested {shortDate(r.requested_on)}
        </Text>
        <Group gap="xs">
          {r.overdue ? (
            <Badge color="red.9" variant="filled">
              Overdue since {shortDate(r.dueOn)}
            </Badge>
          ) : r.status === "pending" ? (
            <Text size="xs">Decision due by {shortDate(r.dueOn)}</Text>
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
          <b>{r.status === "accepted" ? "Accepted" : "Denied"}</b> on {shortDate(r.decided_on)} by {r.decided_by}: {r.decision_note}
        </Text>
      ) : null}
      {r.disagreement ? (
        <Text size="sm" mt="xs">
          <b>Patient's statement of disagreement</b> ({shortDateOr(r.disagreement_on)}): {r.disagreement}
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
}

/** The patient's request, recorded as they made it. */
export function RequestForm({ today, lastResult }: { today: string; lastResult?: SubmissionResult<string[]> }) {
  const navigation = useNavigation();
  const [form, fields] = useForm({
    id: "request",
    lastResult,
    defaultValue: { requestedOn: today },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: requestSchema(today) }),
    shouldValidate: "onSubmit",
  });
  return (
    <ChartForm
      title="Record a request to amend"
      form={form}
      intent="request"
      submit="Record the request"
      button={{ loading: navigation.state === "submitting" }}
    >
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <DateField field={fields.requestedOn} label="Requested on" max={today} required />
        <TextField field={fields.section} label="Part of the record" placeholder="e.g. diagnoses, discharge summary, 3 Nov group note" required />
      </SimpleGrid>
      <TextareaField field={fields.request} label="What the patient asks to change, and why" required />
    </ChartForm>
  );
}

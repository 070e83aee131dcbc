import { getFormProps, type SubmissionResult, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { Alert, Anchor, Badge, Button, Card, Group, Stack, Text, Textarea, Title } from "@mantine/core";
import { Form, Link, useNavigation } from "@remix-run/react";
import { FormErrors } from "~/components/form-errors";
import { AcknowledgeSchema } from "../schemas";
import { HigherRiskBadge } from "./unexpected-results";
import { longDate } from "~/kernel/time";

/** A counselor's note on what was done about one test's unexpected result. */
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

export interface OpenTestAlerts {
  testId: string;
  collectedOn: string;
  reason: string;
  findings: { id: string; label: string; highRisk: boolean }[];
  /** The recollection the findings ask for ("Recollect under direct observation"), or null. */
  recollect?: string | null;
}

/**
 * A patient's unexpected results not yet acknowledged, one block a test; a counselor acknowledges
 * each with a note, others see that it is flagged for the counselor.
 */
export function OpenAlertsCard({
  open,
  canAcknowledge,
  reply,
}: {
  open: OpenTestAlerts[];
  canAcknowledge: boolean;
  /** The last acknowledgement's answer, shown on its own test's form. */
  reply?: { testId: string; reply: SubmissionResult<string[]> };
}) {
  const openCount = open.reduce((n, o) => n + o.findings.length, 0);
  return (
    <Card withBorder style={{ borderColor: "var(--mantine-color-red-6)" }}>
      <Group gap="xs" mb="xs">
        <Title order={2} size="h3">
          Unexpected result
        </Title>
        <Badge color="red.9" variant="filled" tt="none" aria-label={`${openCount} unexpected ${openCount === 1 ? "result" : "results"} not yet acknowledged`}>
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
                  {o.reason}
                </Text>
                {o.findings.map((f) => (
                  <Badge key={f.id} color="red" variant="light" tt="none">
                    {f.label}
                  </Badge>
                ))}
                {o.findings.some((f) => f.highRisk) ? <HigherRiskBadge /> : null}
              </Group>
              {o.recollect ? (
                <Text size="sm" fw={600} mb={4}>
                  {o.recollect}:{" "}
                  <Anchor component={Link} to={`/drug-tests/${o.testId}`}>
                    see the test
                  </Anchor>
                  .
                </Text>
              ) : null}
              {canAcknowledge ? (
                <AcknowledgeForm testId={o.testId} what={what} lastResult={reply?.testId === o.testId ? reply.reply : undefined} />
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
  );
}

export interface AcknowledgedAlert {
  id: string;
  label: string;
  status: string;
  note: string | null;
  by: string | null;
  date: string;
  on: string | null;
}

/** Alerts already acknowledged (who, when, the note) or withdrawn because the finding went away. */
export function AcknowledgedCard({ acknowledged }: { acknowledged: AcknowledgedAlert[] }) {
  return (
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
  );
}

/**
 * Safety flags on the chart: an open flag (any answer above 0 on PHQ-9 item 9) with the form that
 * records the counselor's safety check and closes it; closed flags with the check that closed them.
 */
import { getFormProps, type SubmissionResult } from "@conform-to/react";
import { Alert, Badge, Button, Card, Group, SimpleGrid, Stack, Text, Title } from "@mantine/core";
import { Form, useNavigation } from "@remix-run/react";
import { DateField, SelectField, TextareaField, TextField } from "~/components/form-fields";
import { FormErrors } from "~/components/form-errors";
import { useSchemaForm } from "~/components/schema-form";
import { shortDate } from "~/kernel/time";
import type { SafetyFlagView } from "../measures.server";
import { RISK_LEVELS } from "../rules";
import { safetyCheckSchema } from "../schemas";

function SafetyCheckForm({ flag, today, lastResult }: { flag: SafetyFlagView; today: string; lastResult?: SubmissionResult<string[]> }) {
  const navigation = useNavigation();
  const [form, fields] = useSchemaForm(safetyCheckSchema(today), {
    id: `safety-${flag.id}`,
    lastResult,
    defaultValue: { checkedOn: today },
  });
  return (
    <Form method="post" {...getFormProps(form)}>
      <input type="hidden" name="intent" value="safety-check" />
      <input type="hidden" name="flagId" value={flag.id} />
      <input type="hidden" name="version" value={flag.version} />
      <Stack gap="sm">
        <FormErrors errors={form.errors} />
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <SelectField field={fields.riskLevel} label="Risk level" options={RISK_LEVELS} required />
          <DateField field={fields.checkedOn} label="Date of the check" max={today} required />
        </SimpleGrid>
        <TextareaField
          field={fields.plan}
          label="Safety plan"
          description="What was agreed: supports, means restriction, crisis numbers, next contact."
          required
        />
        <TextField
          field={fields.whoWasTold}
          label="Who was told"
          description="For example the clinical supervisor, the prescriber, a family member (with consent)."
          required
        />
        <div>
          <Button type="submit" color="red.8" loading={navigation.state === "submitting"}>
            Record safety check
          </Button>
        </div>
      </Stack>
    </Form>
  );
}

export function SafetyFlags({
  flags,
  today,
  canWrite,
  lastResult,
}: {
  flags: SafetyFlagView[];
  today: string;
  canWrite: boolean;
  lastResult?: { flagId: string; reply: SubmissionResult<string[]> };
}) {
  if (!flags.length) return null;
  const open = flags.filter((f) => f.status === "open");
  const closed = flags.filter((f) => f.status === "closed");
  return (
    <Stack gap="md">
      {open.map((f) => (
        <Card key={`${f.id}-${f.version}`} withBorder style={{ borderColor: "var(--mantine-color-red-7)", borderWidth: 2 }}>
          <Alert color="red" variant="light" title="Safety flag: PHQ-9 item 9" role="alert" mb="sm">
            On {shortDate(f.openedOn)} the patient answered “{f.answer}” to thoughts that they would be better off dead or of hurting themselves. A counselor
            must check on their safety and record it here; the flag stays on the chart and on Home until then.
          </Alert>
          {canWrite ? (
            <SafetyCheckForm flag={f} today={today} lastResult={lastResult?.flagId === f.id ? lastResult.reply : undefined} />
          ) : (
            <Text size="sm">A counselor records the safety check.</Text>
          )}
        </Card>
      ))}
      {closed.length ? (
        <Card withBorder>
          <Title order={2} size="h4" mb="xs">
            Safety checks recorded
          </Title>
          <Stack gap="xs">
            {closed.map((f) => (
              <div key={f.id}>
                <Group gap="xs">
                  <Badge color="gray" variant="light">
                    Closed
                  </Badge>
                  <Text size="sm" fw={600}>
                    Flag of {shortDate(f.openedOn)} (“{f.answer}”): risk {f.riskLevel}, checked {f.checkedOn ? shortDate(f.checkedOn) : "—"} by{" "}
                    {f.checkedBy ?? "—"}
                  </Text>
                </Group>
                <Text size="sm">Plan: {f.plan}</Text>
                <Text size="sm">Told: {f.whoWasTold}</Text>
              </div>
            ))}
          </Stack>
        </Card>
      ) : null}
    </Stack>
  );
}

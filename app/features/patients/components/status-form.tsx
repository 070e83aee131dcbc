import { getFormProps, type SubmissionResult, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { Button, Group, Paper, Stack, Text, Title } from "@mantine/core";
import { Form } from "@remix-run/react";
import { DateField, SelectField, TextField, optional } from "~/components/form-fields";
import { STATUS_LABELS, type PatientStatus } from "../rules";
import { statusChangeSchema } from "../schemas";
import { FormErrors } from "~/components/form-errors";

/** Moves a patient along referred → active ⇄ on hold; discharge has its own page. */
export function StatusForm({
  today,
  version,
  allowed,
  lastResult,
}: {
  today: string;
  version: number;
  allowed: PatientStatus[];
  lastResult?: SubmissionResult<string[]>;
}) {
  const [form, fields] = useForm({
    id: `status-${version}`,
    lastResult,
    defaultValue: { effectiveOn: today, status: allowed[0] },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: statusChangeSchema(today) }),
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
  });
  if (!allowed.length) return null;
  return (
    <Paper withBorder p="lg" key={version}>
      <Title order={2} size="h3" mb="xs">
        Change status
      </Title>
      <Form method="post" {...getFormProps(form)}>
        <input type="hidden" name="intent" value="change-status" />
        <input type="hidden" name="version" value={version} />
        <Stack>
          <FormErrors errors={form.errors} />
          <Group align="flex-start">
            <SelectField field={fields.status} label="New status" options={allowed.map((s) => ({ value: s, label: STATUS_LABELS[s] }))} required />
            <DateField field={fields.effectiveOn} label="Effective" required max={today} />
          </Group>
          <TextField field={fields.reason} label={optional("Reason")} />
          <Text size="xs" c="dimmed">
            To discharge, use the Discharge section.
          </Text>
          <div>
            <Button type="submit" variant="light">
              Save status
            </Button>
          </div>
        </Stack>
      </Form>
    </Paper>
  );
}

import { type SubmissionResult, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { Group, Text } from "@mantine/core";
import { DateField, SelectField, TextField, optional } from "~/components/form-fields";
import { STATUS_LABELS, type PatientStatus } from "../rules";
import { statusChangeSchema } from "../schemas";
import { ChartForm } from "./chart-form";

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
    <ChartForm key={version} title="Change status" form={form} intent="change-status" version={version} submit="Save status" button={{ variant: "light" }}>
      <Group align="flex-start">
        <SelectField field={fields.status} label="New status" options={allowed.map((s) => ({ value: s, label: STATUS_LABELS[s] }))} required />
        <DateField field={fields.effectiveOn} label="Effective" required max={today} />
      </Group>
      <TextField field={fields.reason} label={optional("Reason")} />
      <Text size="xs" c="dimmed">
        To discharge, use the Discharge section.
      </Text>
    </ChartForm>
  );
}

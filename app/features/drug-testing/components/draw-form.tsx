import { getFormProps, type SubmissionResult, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { Button, SimpleGrid, Stack, Text, Title } from "@mantine/core";
import { Form, useNavigation } from "@remix-run/react";
import { FormErrors } from "~/components/form-errors";
import { SelectField, TextareaField, TextField } from "~/components/form-fields";
import { DRAW_MODES, DRAW_POOLS } from "../rules";
import { drawSchema } from "../schemas";

/** Runs the day's random draw, or a second one (which needs a reason). */
export function DrawForm({
  date,
  hasDraw,
  counts,
  lastResult,
}: {
  date: string;
  hasDraw: boolean;
  counts: { attending: number; all_active: number };
  lastResult?: SubmissionResult<string[]>;
}) {
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

import { type DefaultValue, type FormMetadata, type SubmissionResult, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { Paper, Stack } from "@mantine/core";
import { useNavigation } from "@remix-run/react";
import type { ReactNode } from "react";
import type { z } from "zod";
import { IntentForm } from "./intent-form";
import { ProgramPageTitle } from "./program-page-title";
import { RetireCard } from "./retire-card";

/** The fields of a form whose input has the shape `Input`. */
type Fieldset<Input extends Record<string, unknown>> = ReturnType<FormMetadata<Input>["getFieldset"]>;

/**
 * A room's or track's page: its fields under its version, and retiring or restoring it. `lastResult`
 * is what the action answered, for the form (`update` or `active`) that was sent.
 */
export function ProgramItemPage<Input extends Record<string, unknown>>({
  noun,
  item,
  schema,
  defaultValue,
  lastResult,
  fields: renderFields,
}: {
  noun: "room" | "track";
  item: { id: string; name: string; version: number; active: boolean };
  schema: z.ZodType<unknown, Input>;
  defaultValue: DefaultValue<Input>;
  lastResult: { intent: "update" | "active"; reply: SubmissionResult<string[]> } | undefined;
  fields: (fields: Fieldset<Input>) => ReactNode;
}) {
  const navigation = useNavigation();
  const [form, fields] = useForm({
    id: `${noun}-${item.id}-${item.version}`,
    lastResult: lastResult?.intent === "update" ? lastResult.reply : undefined,
    defaultValue: defaultValue,
    onValidate: ({ formData }) => parseWithZod(formData, { schema }),
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
  });
  const activeErrors = lastResult?.intent === "active" ? lastResult.reply.error?.[""] : undefined;
  return (
    <Stack gap="lg" maw={720}>
      <ProgramPageTitle title={item.name} />
      <Paper withBorder p="lg" key={item.version}>
        <IntentForm form={form} intent="update" version={item.version} submit={`Save ${noun}`} button={{ loading: navigation.state === "submitting" }}>
          {renderFields(fields)}
        </IntentForm>
      </Paper>
      <RetireCard noun={noun} active={item.active} version={item.version} errors={activeErrors} />
    </Stack>
  );
}

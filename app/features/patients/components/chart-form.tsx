import { Paper, Text, Title } from "@mantine/core";
import type { ReactNode } from "react";
import { IntentForm, type IntentFormProps } from "~/features/scheduling/components/intent-form";

/**
 * A form on a patient's chart in its own panel: its heading, a line on what it does, then the
 * form, which posts its intent and the version of the chart it was read at, shows its refusal
 * above its fields and ends with its named button.
 */
export function ChartForm<Schema extends Record<string, unknown>>({
  title,
  intro,
  maw,
  ...form
}: { title: ReactNode; intro?: ReactNode; maw?: number } & IntentFormProps<Schema>) {
  return (
    <Paper withBorder p="lg" maw={maw}>
      <Title order={2} size="h3" mb="xs">
        {title}
      </Title>
      {intro ? (
        <Text size="sm" c="dimmed" mb="sm">
          {intro}
        </Text>
      ) : null}
      <IntentForm {...form} />
    </Paper>
  );
}

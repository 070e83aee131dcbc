import { Checkbox, Paper, SimpleGrid, Text, Title } from "@mantine/core";
import type { ReactNode } from "react";
import { IntentForm, type IntentFormProps } from "~/features/scheduling/components/intent-form";

/** A checkbox group's values as Conform hands them back: one value is a string, several an array. */
export const asList = (v: unknown): string[] => (Array.isArray(v) ? (v as string[]) : typeof v === "string" ? [v] : []);

/**
 * A form of the consents pages in its own section, named by its heading: what it does, then the
 * form, which carries its request key (a second submit of the same form saves nothing twice),
 * shows its refusal above its fields and ends with its button.
 */
export function ConsentsPageForm<Schema extends Record<string, unknown>>({
  id,
  title,
  intro,
  form,
  intent,
  requestKey,
  errorsTitle,
  submit,
  busy,
  children,
}: {
  id: string;
  title: string;
  intro: ReactNode;
  form: IntentFormProps<Schema>["form"];
  intent?: string;
  requestKey: string;
  errorsTitle: string;
  submit: string;
  busy: boolean;
  children: ReactNode;
}) {
  return (
    <Paper withBorder p="lg" component="section" aria-labelledby={id}>
      <Title order={2} size="h3" mb={4} id={id}>
        {title}
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        {intro}
      </Text>
      <IntentForm form={form} intent={intent} errorsTitle={errorsTitle} submit={submit} button={{ loading: busy }}>
        <input type="hidden" name="requestKey" value={requestKey} />
        {children}
      </IntentForm>
    </Paper>
  );
}

/** Labelled checkboxes, two to a row, for a field that takes several of `options` (plus any `more`). */
export function CheckboxChoices({
  field,
  label,
  description,
  options,
  more,
}: {
  field: { name: string; initialValue?: unknown; errors?: string[] };
  label: string;
  description?: string;
  options: Record<string, string>;
  more?: ReactNode;
}) {
  return (
    <Checkbox.Group label={label} description={description} defaultValue={asList(field.initialValue)} error={field.errors?.join(" ")}>
      <SimpleGrid cols={{ base: 1, sm: 2 }} mt={6} spacing={6}>
        {Object.entries(options).map(([value, label]) => (
          <Checkbox key={value} name={field.name} value={value} label={label} />
        ))}
        {more}
      </SimpleGrid>
    </Checkbox.Group>
  );
}

import { Button, Group, TextInput } from "@mantine/core";
import { Form } from "@remix-run/react";

/**
 * A record's row action that takes a date (resolve a diagnosis, end an episode): the date, today by
 * default, and a small button, each named for the record it acts on.
 */
export function DatedRowAction({
  intent,
  record,
  name,
  today,
  max,
  dateLabel,
  submit,
  submitLabel,
  error,
}: {
  intent: string;
  /** The hidden values that say which record, at which version. */
  record: Record<string, string | number>;
  name: string;
  today: string;
  max?: string;
  dateLabel: string;
  submit: string;
  submitLabel: string;
  error?: string;
}) {
  return (
    <Form method="post">
      <input type="hidden" name="intent" value={intent} />
      {Object.entries(record).map(([key, value]) => (
        <input key={key} type="hidden" name={key} value={value} />
      ))}
      <Group gap={6} wrap="nowrap" align="flex-start">
        <TextInput type="date" size="xs" name={name} defaultValue={today} max={max} aria-label={dateLabel} error={error} />
        <Button type="submit" size="xs" variant="default" aria-label={submitLabel}>
          {submit}
        </Button>
      </Group>
    </Form>
  );
}

/** What a page's action answers after a row action: which action, for which record, and the reply. */
interface RowAnswer {
  intent: string;
  id: string;
  reply: { error?: Record<string, string[] | null> | null };
}

/** The message of a refused row action, under the date of the row it was about. */
export function rowRefusal(answer: RowAnswer | undefined, intent: string, id: string): string | undefined {
  if (answer?.intent !== intent || answer.id !== id) return undefined;
  return Object.values(answer.reply.error ?? {})
    .flat()
    .join(" ");
}

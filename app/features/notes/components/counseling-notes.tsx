import { Alert, Button, Card, Stack, Text, Textarea, Title } from "@mantine/core";
import { Form, useNavigation } from "@remix-run/react";
import { formatInstant } from "~/kernel/time";

/**
 * The reader's own SUD counseling notes on this patient (42 CFR § 2.11), apart from the progress
 * notes: only their author ever sees them, so this card lists the reader's notes and nobody else's.
 */
export function CounselingNotesCard({
  notes,
  requestKey,
  max,
  timeZone,
  error,
  fieldError,
  typed,
}: {
  notes: { id: string; text: string; writtenAt: string }[];
  requestKey: string;
  max: number;
  timeZone: string;
  error?: string;
  fieldError?: string;
  typed?: string;
}) {
  const busy = useNavigation().formData?.get("intent") === "counseling";
  return (
    <Card withBorder component="section" aria-labelledby="counseling-notes-title">
      <Title order={2} size="h3" id="counseling-notes-title">
        SUD counseling notes
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        Your own notes analysing what was said in a counseling session, kept apart from the record (42 CFR § 2.11). Only you can read them: they are never in
        the notes list, a print or an export, and they are disclosed only under a consent that names them alone. Times, modality, test results, diagnosis, plan
        and progress belong in the progress note, not here.
      </Text>
      <Form method="post">
        <input type="hidden" name="intent" value="counseling" />
        <input type="hidden" name="requestKey" value={requestKey} />
        <Stack gap="xs">
          {error ? (
            <Alert color="red" role="alert">
              {error}
            </Alert>
          ) : null}
          <Textarea
            label="New counseling note"
            name="text"
            autosize
            minRows={3}
            maxRows={12}
            maxLength={max}
            defaultValue={typed ?? ""}
            key={requestKey}
            error={fieldError}
          />
          <div>
            <Button type="submit" loading={busy}>
              Save counseling note
            </Button>
          </div>
        </Stack>
      </Form>
      <Title order={3} size="h4" mt="md" mb="xs">
        Your counseling notes on this patient
      </Title>
      {notes.length ? (
        <Stack gap="sm" component="ol" style={{ listStyle: "none", padding: 0, margin: 0 }} aria-label="Your counseling notes">
          {notes.map((n) => (
            <li key={n.id}>
              <Text size="xs" c="dimmed">
                {formatInstant(n.writtenAt, timeZone)}
              </Text>
              <Text size="sm" style={{ whiteSpace: "pre-wrap", overflowWrap: "anywhere" }}>
                {n.text}
              </Text>
            </li>
          ))}
        </Stack>
      ) : (
        <Text size="sm">You have written none on this patient.</Text>
      )}
    </Card>
  );
}

/** The session's note page: its heading, then the editor (a draft its writer opens), the signed note, or how to start one. */
import { Alert, Badge, Button, Group, Stack, Text } from "@mantine/core";
import { Form, Link } from "@remix-run/react";
import { PageHeading } from "~/components/page-heading";
import { longDate } from "~/kernel/time";
import { NOTE_STATE_LABELS, type NoteState } from "../rules";
import type { NoteActionResult, NotePageData } from "../note-page.server";
import { NoteEditor } from "./note-editor";
import { SignedNote } from "./signed-note";

export function NotePage({ page, result }: { page: NotePageData; result: NoteActionResult | null | undefined }) {
  const s = page.session;
  const note = page.note;
  const refusal = result && !result.ok ? result : null;
  return (
    <Stack gap="md" maw={980}>
      <PageHeading back={{ to: `/schedule/sessions/${s.id}`, label: s.title }} title={`Note: ${s.title}`}>
        {s.kindLabel} · {longDate(s.date)}, {s.time} · {s.modality} · {s.facilitators} · {page.formatLabel}
      </PageHeading>
      {s.family.length && !note ? <Text size="sm">Family present: {s.family.map((f) => `${f.name} (${f.relationship})`).join(", ")}</Text> : null}
      {!note ? (
        <Stack gap="sm">
          {refusal ? (
            <Alert color="red" role="alert" title="The note was not started">
              {refusal.formError}
            </Alert>
          ) : null}
          {page.writes ? (
            <Form method="post">
              <input type="hidden" name="intent" value="open" />
              <Group>
                <Button type="submit">Start the note</Button>
                <Text size="sm" c="dimmed">
                  A part is made for each patient the roll call marks present, late or left early.
                </Text>
              </Group>
            </Form>
          ) : (
            <Alert color="gray" title="No note yet">
              {page.problem && page.problem !== "You may read this note, not write it." ? page.problem : "No note has been written for this session yet."}
            </Alert>
          )}
        </Stack>
      ) : note.state === "draft" && page.writes ? (
        <NoteEditor page={page} note={note} refusal={refusal} />
      ) : (
        <SignedNote page={page} note={note} refusal={refusal} />
      )}
    </Stack>
  );
}

const STATE_COLORS: Record<NoteState, string> = { missing: "gray", draft: "blue", awaiting_cosign: "yellow", signed: "green" };

/** The session page's way to the note: "Write notes" for its writers, "Read the note" for other readers, with where it stands. */
export function SessionNoteButton({
  sessionId,
  status,
  prominent,
}: {
  sessionId: string;
  status: { state: NoteState; writes: boolean; exists: boolean } | null;
  /** The roll is taken: writing the note is the next step. */
  prominent: boolean;
}) {
  if (!status || (!status.writes && !status.exists)) return null;
  const to = `/schedule/sessions/${sessionId}/note`;
  const label = status.writes ? (status.state === "missing" ? "Write notes" : status.state === "draft" ? "Open the note" : "Open the note") : "Read the note";
  return (
    <Group gap="sm" align="center">
      {status.writes && status.state === "missing" ? (
        <Form method="post" action={to}>
          <input type="hidden" name="intent" value="open" />
          <Button type="submit" variant={prominent ? "filled" : "default"}>
            {label}
          </Button>
        </Form>
      ) : (
        <Button component={Link} to={to} variant={prominent && status.state === "draft" ? "filled" : "default"}>
          {label}
        </Button>
      )}
      <Badge color={STATE_COLORS[status.state]} variant="light" aria-label={`Note: ${NOTE_STATE_LABELS[status.state]}`}>
        Note: {NOTE_STATE_LABELS[status.state]}
      </Badge>
    </Group>
  );
}

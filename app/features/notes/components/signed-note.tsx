/**
 * A note as it reads once signed (or as a reader sees a draft): the shared part, each patient's
 * part with its addenda, who signed it and when, the late-entry mark, the co-signature it waits for;
 * the addendum forms for its authors and the co-sign button for a supervisor who may co-sign.
 */
import { Alert, Badge, Button, Card, Group, Stack, Text, Textarea, Title } from "@mantine/core";
import { Form } from "@remix-run/react";
import { IntentButton } from "~/components/intent-button";
import { formatInstant } from "~/kernel/time";
import { entrySections, GROUP_SHARED_FIELDS, HARM_ANSWERS, NOTE_LIMITS, NOTE_STATE_LABELS, OBJECTIVE_PROGRESS, PARTICIPATION, USE_ANSWERS } from "../rules";
import type { NoteActionResult, NotePageData } from "../note-page.server";

type Note = NonNullable<NotePageData["note"]>;
type Refusal = Extract<NoteActionResult, { ok: false }>;

function Line({ label, value }: { label: string; value: string }) {
  return (
    <div>
      <Text size="sm" fw={600}>
        {label}
      </Text>
      <Text size="sm" style={{ whiteSpace: "pre-wrap" }}>
        {value.trim() ? value : "—"}
      </Text>
    </div>
  );
}

function Addenda({ list, timeZone }: { list: Note["addenda"]; timeZone: string }) {
  if (!list.length) return null;
  return (
    <Stack gap={6}>
      {list.map((a) => (
        <Card key={a.id} withBorder padding="xs" bg="var(--mantine-color-gray-light)">
          <Text size="xs" fw={600}>
            Addendum by {a.signedBy}, {formatInstant(a.signedAt, timeZone)}
          </Text>
          <Text size="sm" style={{ whiteSpace: "pre-wrap" }}>
            {a.text}
          </Text>
        </Card>
      ))}
    </Stack>
  );
}

function AddendumForm({
  noteId,
  patientId,
  label,
  requestKey,
  refusal,
}: {
  noteId: string;
  patientId: string | null;
  label: string;
  requestKey: string;
  refusal: Refusal | null;
}) {
  const mine = refusal?.intent === "addendum" && (refusal.patientId ?? null) === patientId ? refusal : null;
  return (
    <Form method="post">
      <input type="hidden" name="intent" value="addendum" />
      <input type="hidden" name="noteId" value={noteId} />
      <input type="hidden" name="patientId" value={patientId ?? ""} />
      <input type="hidden" name="requestKey" value={requestKey} />
      <Textarea
        name="text"
        label={label}
        description="Dated and signed with your name; the signed note itself does not change."
        autosize
        minRows={2}
        maxLength={NOTE_LIMITS.addendum}
        error={mine ? (mine.fieldErrors?.text?.[0] ?? mine.formError) : undefined}
      />
      <Button type="submit" variant="default" size="xs" mt={6}>
        Add addendum
      </Button>
    </Form>
  );
}

export function SignedNote({ page, note, refusal }: { page: NotePageData; note: Note; refusal: Refusal | null }) {
  const tz = page.timeZone;
  const group = note.kind === "group";
  const sections = entrySections(note.kind, note.format);
  const shared = note.addenda.filter((a) => !a.patientId);
  return (
    <Stack gap="md">
      <Card withBorder>
        <Group gap="xs" mb={6}>
          <Badge autoContrast color={note.state === "draft" ? "gray" : note.state === "awaiting_cosign" ? "yellow" : "green"}>
            {NOTE_STATE_LABELS[note.state]}
          </Badge>
          {note.lateEntry ? (
            <Badge autoContrast color="orange">
              Late entry
            </Badge>
          ) : null}
        </Group>
        {note.signedAt ? (
          <Text size="sm">
            Signed by {note.signedBy}, {formatInstant(note.signedAt, tz)}
            {note.lateEntry ? " (late entry: signed after the program's time limit)" : ""}.
          </Text>
        ) : (
          <Text size="sm">This note is a draft, not signed yet. It may still change.</Text>
        )}
        {note.state === "awaiting_cosign" ? <Text size="sm">Waiting for co-signature by a clinical supervisor.</Text> : null}
        {note.cosignedAt ? (
          <Text size="sm">
            Co-signed by {note.cosignedBy}, {formatInstant(note.cosignedAt, tz)}.
          </Text>
        ) : null}
        {page.cosign?.allowed ? (
          <IntentButton intent="cosign" values={{ noteId: note.id }} mt="sm">
            Co-sign the note
          </IntentButton>
        ) : page.cosign?.why ? (
          <Text size="sm" mt="sm">
            You cannot co-sign it: {page.cosign.why}
          </Text>
        ) : null}
      </Card>
      {refusal && refusal.intent !== "addendum" ? (
        <Alert color="red" role="alert">
          {refusal.formError}
        </Alert>
      ) : null}
      {group ? (
        <Card withBorder component="section" aria-labelledby="shared-title">
          <Title order={2} size="h4" id="shared-title" mb="xs">
            The group
          </Title>
          <Stack gap="xs">
            {GROUP_SHARED_FIELDS.map((f) => (
              <Line key={f.key} label={f.label} value={note.shared[f.key]} />
            ))}
            <Addenda list={shared} timeZone={tz} />
            {page.canAddendum ? (
              <AddendumForm
                // A new form (cleared) only once an addendum has been added here: a page reload after
                // a refused addendum, or any other, keeps what the person typed.
                key={`shared-${shared.length}`}
                noteId={note.id}
                patientId={null}
                label="Addendum to the group part"
                requestKey={page.requestKey}
                refusal={refusal}
              />
            ) : null}
          </Stack>
        </Card>
      ) : null}
      {note.parts.map((p) => (
        <Card key={p.patientId} withBorder component="section" aria-labelledby={`t-${p.patientId}`}>
          <Group justify="space-between" mb="xs">
            <Title order={2} size="h4" id={`t-${p.patientId}`}>
              {p.name}
            </Title>
            <Group gap="xs">
              {p.minutes !== null ? <Badge variant="outline">{p.minutes} min</Badge> : null}
              {p.modeLabel ? <Badge variant="outline">{p.modeLabel}</Badge> : null}
            </Group>
          </Group>
          <Stack gap="xs">
            {group ? <Line label="Participation" value={p.content.participation ? PARTICIPATION[p.content.participation] : ""} /> : null}
            {sections.map((x) => (
              <Line key={x.key} label={x.label} value={p.content.sections[x.key] ?? ""} />
            ))}
            <Line
              label="Treatment plan objectives addressed"
              value={
                p.content.objectives.map((o) => `${o.text} — ${OBJECTIVE_PROGRESS[o.progress]}${o.comment ? ` (${o.comment})` : ""}`).join("\n") ||
                "None named."
              }
            />
            <Line
              label="Risk"
              value={[
                p.content.harm ? HARM_ANSWERS[p.content.harm] + (p.content.harmDetail ? `: ${p.content.harmDetail}` : "") : "",
                p.content.use ? USE_ANSWERS[p.content.use] + (p.content.useDetail ? `: ${p.content.useDetail}` : "") : "",
              ]
                .filter(Boolean)
                .join("\n")}
            />
            {!group ? <Addenda list={shared} timeZone={tz} /> : null}
            <Addenda list={note.addenda.filter((a) => a.patientId === p.patientId)} timeZone={tz} />
            {page.canAddendum ? (
              <AddendumForm
                key={`${p.patientId}-${note.addenda.filter((a) => a.patientId === p.patientId).length}`}
                noteId={note.id}
                patientId={p.patientId}
                label={`Addendum to ${p.name}'s part`}
                requestKey={page.requestKey}
                refusal={refusal}
              />
            ) : null}
          </Stack>
        </Card>
      ))}
    </Stack>
  );
}

import { Alert, Button, Group, List, Text } from "@mantine/core";
import { clockAt } from "~/kernel/time";
import type { PartStatus } from "./part-autosave";

/** "Saved 10:42" / "Saving…" / "Not saved yet — will retry", beside a part's title (announced politely). */
export function SaveState({ status, lastSaved, timeZone }: { status: PartStatus; lastSaved: { at: string; by: string }; timeZone: string }) {
  const text =
    status.kind === "saving"
      ? "Saving…"
      : status.kind === "saved"
        ? `Saved ${clockAt(status.at, timeZone)}`
        : status.kind === "offline"
          ? "Not saved yet — will retry"
          : status.kind === "conflict"
            ? "Not saved: someone else saved first"
            : status.kind === "refused"
              ? "Not saved"
              : `Last saved ${clockAt(lastSaved.at, timeZone)} by ${lastSaved.by}`;
  const color = status.kind === "offline" || status.kind === "conflict" || status.kind === "refused" ? "red.8" : "dimmed";
  return (
    <Text size="sm" c={color} role="status" aria-live="polite" data-save-state={status.kind}>
      {text}
    </Text>
  );
}

/** What a refused save says, with the other person's text beside the person's own (kept in the fields). */
export function SaveProblem({
  status,
  theirs,
  onSaveMine,
  timeZone,
}: {
  status: PartStatus;
  timeZone: string;
  /** The other person's current text, as label/value lines. */
  theirs: (current: Extract<PartStatus, { kind: "conflict" }>["current"]) => { label: string; value: string }[];
  onSaveMine: () => void;
}) {
  if (status.kind === "offline")
    return (
      <Alert color="yellow" title="Not saved yet — will retry">
        The server could not be reached. Your text is still here; it is sent again on your next change or when you leave the field.
      </Alert>
    );
  if (status.kind === "refused")
    return (
      <Alert color="red" title="Not saved" role="alert">
        {[status.message, ...Object.values(status.fieldErrors).flat()].filter((m, i, a) => a.indexOf(m) === i).join(" ")}
      </Alert>
    );
  if (status.kind !== "conflict") return null;
  const lines = theirs(status.current).filter((l) => l.value.trim());
  return (
    <Alert color="orange" title="Someone else saved this part first" role="alert">
      <Text size="sm">{status.message}</Text>
      <Text size="sm" fw={600} mt="xs">
        {status.current.updatedBy}&apos;s text, saved {clockAt(status.current.updatedAt, timeZone)}:
      </Text>
      {lines.length ? (
        <List size="sm" data-testid="their-text">
          {lines.map((l) => (
            <List.Item key={l.label}>
              <b>{l.label}:</b> {l.value}
            </List.Item>
          ))}
        </List>
      ) : (
        <Text size="sm">(empty)</Text>
      )}
      <Group mt="xs">
        <Button size="xs" variant="default" onClick={onSaveMine}>
          Save my text over theirs
        </Button>
      </Group>
    </Alert>
  );
}

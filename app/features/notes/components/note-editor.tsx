/**
 * The draft note on one screen: the group's shared part once at the top, then a card per patient
 * who attended (or the one patient's part of an individual or family note). Alt+↓ / Alt+↑ move to
 * the next / previous part's first field; Tab moves through the fields in reading order. "Sign
 * note" first sends any change still waiting, and signs only once every part is saved.
 */
import { Alert, Anchor, Button, Group, Kbd, List, Stack, Text } from "@mantine/core";
import { Form, useSubmit } from "@remix-run/react";
import { type KeyboardEvent, useCallback, useEffect, useRef, useState } from "react";
import { longDate } from "~/kernel/time";
import { entrySections, GROUP_ENTRY_SECTIONS } from "../rules";
import type { NoteActionResult, NotePageData } from "../note-page.server";
import type { PartHandle } from "./part-autosave";
import { fieldId, focusPart, type PartFrame, PatientPart, SharedPart } from "./note-parts";

type Note = NonNullable<NotePageData["note"]>;
type Refusal = Extract<NoteActionResult, { ok: false }>;

export function NoteEditor({ page, note, refusal }: { page: NotePageData; note: Note; refusal: Refusal | null }) {
  const handles = useRef(new Map<string, PartHandle>());
  const register = useCallback((key: string, h: PartHandle | null) => {
    if (h) handles.current.set(key, h);
    else handles.current.delete(key);
  }, []);
  const [tick, setTick] = useState(0);
  const onSettled = useCallback(() => setTick((t) => t + 1), []);
  const [signQueued, setSignQueued] = useState(false);
  const [signBlocked, setSignBlocked] = useState(false);
  const signForm = useRef<HTMLFormElement>(null);
  const submit = useSubmit();
  const signRefusal = refusal?.intent === "sign" ? refusal : null;
  const errors = signRefusal?.fieldErrors ?? {};
  const group = note.kind === "group";
  const plainSave = refusal?.intent === "save-shared" || refusal?.intent === "save-entry" ? refusal : null;

  useEffect(() => {
    if (!signQueued) return;
    const all = [...handles.current.values()];
    if (all.some((h) => h.unsaved())) {
      setSignQueued(false);
      setSignBlocked(true);
    } else if (!all.some((h) => h.busy()) && signForm.current) {
      setSignQueued(false);
      submit(signForm.current);
    }
  }, [tick, signQueued, submit]);

  const order = [...(group ? ["shared"] : []), ...note.parts.map((p) => p.patientId)];
  const nextOf = (key: string) => {
    const i = order.indexOf(key);
    const n = order[i + 1];
    if (!n) return null;
    return { id: n, name: note.parts.find((p) => p.patientId === n)?.name ?? "" };
  };
  const frame = (key: string): PartFrame => ({ noteId: note.id, timeZone: page.timeZone, errors, register, onSettled, next: nextOf(key) });

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (!e.altKey || (e.key !== "ArrowDown" && e.key !== "ArrowUp")) return;
    const card = (e.target as HTMLElement).closest<HTMLElement>("[data-part]");
    const cards = [...e.currentTarget.querySelectorAll<HTMLElement>("[data-part]")];
    const i = card ? cards.indexOf(card) : -1;
    const to = cards[e.key === "ArrowDown" ? i + 1 : Math.max(0, i - 1)];
    if (!to) return;
    e.preventDefault();
    focusPart(to.id);
  };

  const gaps = Object.entries(errors).filter(([path]) => path !== "entries");
  const s = page.session;
  const details =
    !group && note.parts[0] ? (
      <Text size="sm" c="dimmed">
        {longDate(s.date)}, {s.time} · {note.parts[0].minutes !== null ? `${note.parts[0].minutes} minutes attended` : "minutes not recorded"} ·{" "}
        {note.parts[0].modeLabel ?? s.modality}
        {s.family.length ? ` · Family present: ${s.family.map((f) => `${f.name} (${f.relationship})`).join(", ")}` : ""}
      </Text>
    ) : undefined;

  return (
    <Stack gap="md">
      {signRefusal ? (
        <Alert color="red" role="alert" title="Not signed">
          <Text size="sm">{signRefusal.formError}</Text>
          {gaps.length ? (
            <List size="sm" mt="xs">
              {gaps.map(([path, messages]) => (
                <List.Item key={path}>
                  <Anchor
                    href={`#${fieldId(path)}`}
                    onClick={(e) => {
                      const el = document.getElementById(fieldId(path));
                      if (el) {
                        e.preventDefault();
                        el.focus();
                      }
                    }}
                  >
                    {messages?.join(" ")}
                  </Anchor>
                </List.Item>
              ))}
            </List>
          ) : null}
        </Alert>
      ) : refusal ? (
        // A save refused here came from a plain form (no JavaScript): the part keeps what was sent.
        <Alert color="red" role="alert" title="Not saved">
          {refusal.formError}
          {refusal.current ? ` ${refusal.current.updatedBy}'s version is now the one your next save replaces.` : ""}
        </Alert>
      ) : null}
      <Text size="sm" c="dimmed">
        Each part saves by itself as you type and when you leave a field; <Kbd>Tab</Kbd> goes field by field.
        {order.length > 1 ? (
          <>
            {" "}
            Move between {group ? "the group part and each patient" : "parts"} with <Kbd>Alt</Kbd> + <Kbd>↓</Kbd> / <Kbd>Alt</Kbd> + <Kbd>↑</Kbd>, or the
            &quot;Next&quot; link under each card.
          </>
        ) : null}
        {group ? " Each patient's chart shows the group part and only their own part." : ""}
      </Text>
      <Stack gap="md" onKeyDown={onKeyDown}>
        {group ? (
          <SharedPart
            frame={frame("shared")}
            shared={plainSave?.intent === "save-shared" && plainSave.posted?.shared ? plainSave.posted.shared : note.shared}
            version={plainSave?.intent === "save-shared" && plainSave.current ? plainSave.current.version : note.sharedVersion}
            lastSaved={{ at: note.sharedUpdatedAt, by: note.sharedUpdatedBy }}
          />
        ) : null}
        {note.parts.map((p) => (
          <PatientPart
            key={p.patientId}
            frame={frame(p.patientId)}
            part={
              plainSave?.intent === "save-entry" && plainSave.patientId === p.patientId
                ? { ...p, content: plainSave.posted?.content ?? p.content, version: plainSave.current?.version ?? p.version }
                : p
            }
            kind={note.kind}
            sections={group ? GROUP_ENTRY_SECTIONS : entrySections(note.kind, note.format)}
            objectives={page.objectives[p.patientId] ?? []}
            details={details}
          />
        ))}
      </Stack>
      {signBlocked ? (
        <Alert color="red" role="alert">
          A part above is not saved yet (marked in red). Resolve it, let it save, then sign.
        </Alert>
      ) : null}
      <Form
        method="post"
        ref={signForm}
        onSubmit={(e) => {
          setSignBlocked(false);
          const all = [...handles.current.values()];
          let waiting = false;
          for (const h of all) if (!h.unsaved() && h.flush()) waiting = true;
          if (all.some((h) => h.unsaved()) || waiting || all.some((h) => h.busy())) {
            e.preventDefault();
            setSignQueued(true);
            setTick((t) => t + 1);
          }
        }}
      >
        <input type="hidden" name="intent" value="sign" />
        <input type="hidden" name="noteId" value={note.id} />
        <Group>
          <Button type="submit" loading={signQueued}>
            Sign note
          </Button>
          <Text size="sm" c="dimmed">
            Signing locks the note; afterwards only an addendum can be added.
          </Text>
        </Group>
      </Form>
    </Stack>
  );
}

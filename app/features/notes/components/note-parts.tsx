/**
 * The parts of a draft note, each its own form that saves itself (part-autosave.ts) and, without
 * JavaScript, with its own "Save" button: the group's shared part, and one card per patient.
 */
import { Badge, Button, Card, Group, NativeSelect, Stack, Text, Textarea, TextInput, Title } from "@mantine/core";
import { type FocusEvent, type ReactNode, useRef, useState } from "react";
import {
  type EntryContent,
  GROUP_SHARED_FIELDS,
  type GroupShared,
  HARM_ANSWERS,
  NOTE_LIMITS,
  OBJECTIVE_PROGRESS,
  PARTICIPATION,
  QUICK_PHRASES,
  USE_ANSWERS,
} from "../rules";
import type { PlanObjective } from "../objectives.server";
import type { NotePageData } from "../note-page.server";
import { type PartHandle, usePartAutosave } from "./part-autosave";
import { SaveProblem, SaveState } from "./part-status";

type Part = NonNullable<NotePageData["note"]>["parts"][number];
type Errors = Record<string, string[] | undefined>;
export const fieldId = (path: string) => `f-${path.replace(/[^A-Za-z0-9_-]/g, "-")}`;
const err = (errors: Errors, path: string) => errors[path]?.[0];

interface PartFrame {
  noteId: string;
  timeZone: string;
  errors: Errors;
  register: (key: string, handle: PartHandle | null) => void;
  onSettled: () => void;
  /** "Next patient" target and its label, or null on the last part. */
  next: { id: string; name: string } | null;
}

function PartCard({ id, title, aside, children, footer }: { id: string; title: ReactNode; aside: ReactNode; children: ReactNode; footer: ReactNode }) {
  return (
    <Card withBorder component="section" aria-labelledby={`${id}-title`} id={id} data-part padding="md">
      <Group justify="space-between" align="baseline" mb="xs" wrap="wrap">
        <Title order={2} size="h4" id={`${id}-title`}>
          {title}
        </Title>
        {aside}
      </Group>
      {children}
      {footer}
    </Card>
  );
}

function PartFooter({ save, next }: { save: string; next: PartFrame["next"] }) {
  return (
    <Group justify="space-between" mt="sm">
      <Button type="submit" variant="default" size="xs">
        {save}
      </Button>
      {next ? (
        <Button
          component="a"
          href={`#part-${next.id}`}
          variant="subtle"
          size="xs"
          onClick={(e) => {
            e.preventDefault();
            focusPart(`part-${next.id}`);
          }}
        >
          Next: {next.name} ↓
        </Button>
      ) : null}
    </Group>
  );
}

/** Moves focus to a part's first field and scrolls it into view. */
export function focusPart(id: string) {
  const card = document.getElementById(id);
  const first = card?.querySelector<HTMLElement>("[data-first-field]");
  first?.focus();
  card?.scrollIntoView({ block: "start" });
}

function useFrame(frame: PartFrame, key: string, version: number) {
  const saver = usePartAutosave(key, version, frame.onSettled);
  frame.register(key, saver.handle);
  // Leaving a field saves at once (moving within the part too: it costs one request).
  const onBlur = (_e: FocusEvent<HTMLFormElement>) => saver.left();
  return { ...saver, onBlur };
}

export function SharedPart({
  frame,
  shared,
  version,
  lastSaved,
}: {
  frame: PartFrame;
  shared: GroupShared;
  version: number;
  lastSaved: { at: string; by: string };
}) {
  const s = useFrame(frame, "shared", version);
  return (
    <form method="post" ref={s.formRef} onInput={s.changed} onChange={s.changed} onBlur={s.onBlur} onSubmit={(e) => (e.preventDefault(), s.save())}>
      <input type="hidden" name="intent" value="save-shared" />
      <input type="hidden" name="noteId" value={frame.noteId} />
      <input type="hidden" name="version" value={s.version} />
      <PartCard
        id="part-shared"
        title="The group (written once, shared by every member's note)"
        aside={<SaveState status={s.status} lastSaved={lastSaved} timeZone={frame.timeZone} />}
        footer={<PartFooter save="Save the group part" next={frame.next} />}
      >
        <Stack gap="sm">
          <SaveProblem
            status={s.status}
            timeZone={frame.timeZone}
            onSaveMine={s.save}
            theirs={(c) => GROUP_SHARED_FIELDS.map((f) => ({ label: f.label, value: (c.shared as GroupShared | undefined)?.[f.key] ?? "" }))}
          />
          {GROUP_SHARED_FIELDS.map((f, i) => {
            const path = `shared.${f.key}`;
            const short = f.key === "topic" || f.key === "curriculum";
            const Field = short ? TextInput : Textarea;
            return (
              <Field
                key={f.key}
                id={fieldId(path)}
                name={f.key}
                label={f.label}
                withAsterisk={f.required}
                defaultValue={shared[f.key]}
                maxLength={short ? NOTE_LIMITS.short : NOTE_LIMITS.text}
                error={err(frame.errors, path)}
                {...(short ? {} : { autosize: true, minRows: 2, maxRows: 10 })}
                {...(i === 0 ? { "data-first-field": true } : {})}
              />
            );
          })}
        </Stack>
      </PartCard>
    </form>
  );
}

const REASSURING = { harm: "denied", use: "none" } as const;

export function PatientPart({
  frame,
  part,
  kind,
  sections,
  objectives,
  details,
}: {
  frame: PartFrame;
  part: Part;
  kind: string;
  sections: readonly { key: string; label: string; hint: string }[];
  objectives: PlanObjective[];
  /** Lines known about the session for an individual or family note (date, time, family present…). */
  details?: ReactNode;
}) {
  const s = useFrame(frame, `entry-${part.patientId}`, part.version);
  const c: EntryContent = part.content;
  const [harm, setHarm] = useState<string>(c.harm);
  const [use, setUse] = useState<string>(c.use);
  const areas = useRef<Record<string, HTMLTextAreaElement | null>>({});
  const at = (field: string) => `entry.${part.patientId}.${field}`;
  const group = kind === "group";
  const saved = new Map(c.objectives.map((o) => [o.key, o]));
  const shown = [
    ...objectives.map((o) => ({ key: o.key, text: o.text, problem: o.problem })),
    ...c.objectives.filter((o) => !objectives.some((p) => p.key === o.key)).map((o) => ({ key: o.key, text: o.text, problem: "" })),
  ];
  const addPhrase = (phrase: string) => {
    const area = areas.current.response;
    if (!area) return;
    const before = area.value.trimEnd();
    area.value = before ? `${before} ${phrase}` : phrase;
    s.changed();
  };
  const fillRisk = () => {
    setHarm("denied");
    setUse("none");
    s.changed();
  };
  return (
    <form method="post" ref={s.formRef} onInput={s.changed} onChange={s.changed} onBlur={s.onBlur} onSubmit={(e) => (e.preventDefault(), s.save())}>
      <input type="hidden" name="intent" value="save-entry" />
      <input type="hidden" name="noteId" value={frame.noteId} />
      <input type="hidden" name="patientId" value={part.patientId} />
      <input type="hidden" name="version" value={s.version} />
      <PartCard
        id={`part-${part.patientId}`}
        title={part.name}
        aside={
          <Group gap="xs">
            {part.status ? <Badge variant="light">{part.status.replace("_", " ")}</Badge> : null}
            {part.minutes !== null ? <Badge variant="outline">{part.minutes} min</Badge> : null}
            {part.modeLabel ? <Badge variant="outline">{part.modeLabel}</Badge> : null}
            <SaveState status={s.status} lastSaved={{ at: part.updatedAt, by: part.updatedBy }} timeZone={frame.timeZone} />
          </Group>
        }
        footer={<PartFooter save={`Save ${part.name}'s part`} next={frame.next} />}
      >
        <Stack gap="sm">
          {details}
          {!part.attended ? <Text c="red.8">The roll call no longer marks {part.name} as attending. Correct the roll call, or clear this part.</Text> : null}
          <SaveProblem
            status={s.status}
            timeZone={frame.timeZone}
            onSaveMine={s.save}
            theirs={(cur) => {
              const t = cur.content as EntryContent | undefined;
              return [
                ...sections.map((x) => ({ label: x.label, value: t?.sections[x.key] ?? "" })),
                { label: "Participation", value: t?.participation ? PARTICIPATION[t.participation] : "" },
                { label: "Thoughts of harm", value: t?.harm ? HARM_ANSWERS[t.harm] : "" },
                { label: "Use", value: t?.use ? USE_ANSWERS[t.use] : "" },
              ];
            }}
          />
          {group ? (
            <NativeSelect
              id={fieldId(at("participation"))}
              name="participation"
              label="Participation"
              withAsterisk
              defaultValue={c.participation}
              error={err(frame.errors, at("participation"))}
              data={[{ value: "", label: "Choose…" }, ...Object.entries(PARTICIPATION).map(([value, label]) => ({ value, label }))]}
              data-first-field
            />
          ) : null}
          {sections.map((x, i) => (
            <div key={x.key}>
              <Textarea
                id={fieldId(at(x.key))}
                name={`section.${x.key}`}
                label={x.label}
                description={x.hint}
                withAsterisk
                autosize
                minRows={2}
                maxRows={10}
                maxLength={NOTE_LIMITS.text}
                defaultValue={c.sections[x.key] ?? ""}
                error={err(frame.errors, at(x.key))}
                ref={(el) => {
                  areas.current[x.key] = el;
                }}
                {...(!group && i === 0 ? { "data-first-field": true } : {})}
              />
              {group && x.key === "response" ? (
                <Group gap={6} mt={6} role="group" aria-label={`Quick phrases for ${part.name}'s response`}>
                  {QUICK_PHRASES.map((p) => (
                    <Button key={p} size="compact-xs" variant="light" onClick={() => addPhrase(p)} aria-label={`Add to response: ${p}`}>
                      + {p}
                    </Button>
                  ))}
                </Group>
              ) : null}
            </div>
          ))}
          <fieldset style={{ border: 0, padding: 0, margin: 0 }}>
            <Text component="legend" fw={600} size="sm">
              Treatment plan objectives addressed
            </Text>
            {shown.length ? (
              <Stack gap={6} mt={4}>
                {shown.map((o) => (
                  <div key={o.key}>
                    <input type="hidden" name={`objective.${o.key}.text`} value={o.text} />
                    <NativeSelect
                      name={`objective.${o.key}.progress`}
                      label={`${o.key.replace("p", "Problem ").replace(".o", ", objective ")}: ${o.text}`}
                      defaultValue={saved.get(o.key)?.progress ?? ""}
                      data={[{ value: "", label: "Not addressed" }, ...Object.entries(OBJECTIVE_PROGRESS).map(([value, label]) => ({ value, label }))]}
                      size="xs"
                    />
                  </div>
                ))}
              </Stack>
            ) : (
              <Text size="sm" c="dimmed">
                {part.name} has no active treatment plan with objectives.
              </Text>
            )}
          </fieldset>
          <fieldset style={{ border: 0, padding: 0, margin: 0 }}>
            <Group justify="space-between" align="baseline">
              <Text component="legend" fw={600} size="sm">
                Risk
              </Text>
              <Button size="compact-xs" variant="light" onClick={fillRisk}>
                Denies harm, no use
              </Button>
            </Group>
            <Group grow align="flex-start" mt={4} wrap="wrap">
              <NativeSelect
                id={fieldId(at("harm"))}
                name="harm"
                label="Thoughts of harming self or others"
                withAsterisk
                value={harm}
                onChange={(e) => setHarm(e.currentTarget.value)}
                error={err(frame.errors, at("harm"))}
                data={[{ value: "", label: "Choose…" }, ...Object.entries(HARM_ANSWERS).map(([value, label]) => ({ value, label }))]}
                miw={220}
              />
              <NativeSelect
                id={fieldId(at("use"))}
                name="use"
                label="Use since the last session"
                withAsterisk
                value={use}
                onChange={(e) => setUse(e.currentTarget.value)}
                error={err(frame.errors, at("use"))}
                data={[{ value: "", label: "Choose…" }, ...Object.entries(USE_ANSWERS).map(([value, label]) => ({ value, label }))]}
                miw={220}
              />
            </Group>
            {harm && harm !== REASSURING.harm ? (
              <TextInput
                id={fieldId(at("harmDetail"))}
                name="harmDetail"
                label="What was done about the thoughts of harm"
                withAsterisk
                mt={6}
                maxLength={NOTE_LIMITS.short}
                defaultValue={c.harmDetail}
                error={err(frame.errors, at("harmDetail"))}
              />
            ) : (
              <input type="hidden" name="harmDetail" value="" />
            )}
            {use && use !== REASSURING.use ? (
              <TextInput
                id={fieldId(at("useDetail"))}
                name="useDetail"
                label="What was used or suspected"
                withAsterisk
                mt={6}
                maxLength={NOTE_LIMITS.short}
                defaultValue={c.useDetail}
                error={err(frame.errors, at("useDetail"))}
              />
            ) : (
              <input type="hidden" name="useDetail" value="" />
            )}
          </fieldset>
        </Stack>
      </PartCard>
    </form>
  );
}

export type { PartFrame };

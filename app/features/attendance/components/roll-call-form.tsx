import { Badge, Button, Group, Paper, Stack, Table, Text, TextInput } from "@mantine/core";
import { Form } from "@remix-run/react";
import { Fragment, type KeyboardEvent, useEffect, useRef, useState } from "react";
import { FormErrors } from "~/components/form-errors";
import { ATTENDANCE_MODES, ATTENDANCE_STATUSES, type AttendanceMode, type AttendanceStatus, STATUS_KEYS } from "../rules";
import roll from "./roll.module.css";
import { longDate } from "~/kernel/time";

export interface RollCallSession {
  date: string;
  minutes: number;
  defaultMode: AttendanceMode;
  rollVersion: number;
  pastDay: boolean;
  lastSaved: { at: string; by: string | null } | null;
}

export interface RollCallPatient {
  patientId: string;
  name: string;
  mrn: string;
  mark: { status: AttendanceStatus; mode: AttendanceMode; minutes: number; note: string | null } | null;
}

type Row = { status: AttendanceStatus | ""; mode: AttendanceMode; minutes: string; note: string };

/** Late and left early are the marks whose minutes the taker types; the rest follow the status. */
const asksMinutes = (status: AttendanceStatus | "") => status === "late" || status === "left_early";

/**
 * The roll-call table: one row a patient, marked with the keyboard alone (arrows move, a letter or
 * number marks, Enter saves) or by pointer; minutes follow the status, and a refusal shows beside
 * the button. A minutes message spans the row under the patient it is about, and the first field
 * refused takes the focus, with every other mark and note as the taker left them.
 */
export function RollCallForm({
  session: s,
  roster,
  refusal,
  submitting,
}: {
  session: RollCallSession;
  roster: RollCallPatient[];
  refusal: { formError?: string; fieldErrors: Record<string, string[]> } | undefined;
  submitting: boolean;
}) {
  const formRef = useRef<HTMLFormElement>(null);
  const rowRefs = useRef<(HTMLTableRowElement | null)[]>([]);
  const [active, setActive] = useState(0);
  const [rows, setRows] = useState<Record<string, Row>>(() =>
    Object.fromEntries(
      roster.map((p) => [
        p.patientId,
        { status: p.mark?.status ?? "", mode: p.mark?.mode ?? s.defaultMode, minutes: p.mark ? String(p.mark.minutes) : "", note: p.mark?.note ?? "" },
      ]),
    ),
  );
  const setRow = (id: string, patch: Partial<Row>) => setRows((r) => ({ ...r, [id]: { ...r[id], ...patch } }));
  const choose = (id: string, status: AttendanceStatus) => {
    const current = rows[id];
    // Late and left early start empty, to be said (issue 18, item 7): a prefilled full session was
    // credited whenever nobody brought it down. Between the two, what was typed stays.
    const minutes = status === "present" ? String(s.minutes) : !ATTENDANCE_STATUSES[status].attended ? "0" : asksMinutes(current.status) ? current.minutes : "";
    setRow(id, { status, minutes });
  };
  // After a refused save, to the first field refused, so the keyboard taker types the minutes there.
  useEffect(() => {
    formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [refusal]);
  const focusRow = (i: number) => {
    const next = Math.max(0, Math.min(roster.length - 1, i));
    setActive(next);
    rowRefs.current[next]?.focus();
  };
  const onKeyDown = (e: KeyboardEvent<HTMLTableSectionElement>) => {
    const target = e.target as HTMLElement;
    if (["INPUT", "SELECT", "TEXTAREA"].includes(target.tagName)) return;
    const index = rowRefs.current.findIndex((r) => r === target);
    if (index < 0) return;
    const id = roster[index].patientId;
    const key = e.key.toLowerCase();
    if (e.key === "ArrowDown") {
      e.preventDefault();
      focusRow(index + 1);
    } else if (e.key === "ArrowUp") {
      e.preventDefault();
      focusRow(index - 1);
    } else if (e.key === "Enter") {
      e.preventDefault();
      formRef.current?.requestSubmit();
    } else {
      const status = STATUS_KEYS.find((k) => ATTENDANCE_STATUSES[k].key === key || String(STATUS_KEYS.indexOf(k) + 1) === key);
      if (status) {
        e.preventDefault();
        choose(id, status);
      }
    }
  };
  const marked = Object.values(rows).filter((r) => r.status).length;
  const errors = refusal?.fieldErrors ?? {};
  return (
    <Paper withBorder p="md">
      <Form method="post" ref={formRef} aria-label="Roll call">
        <input type="hidden" name="version" value={s.rollVersion} />
        <Stack>
          <Group justify="space-between">
            <Text size="sm" c="dimmed" id="roll-keys">
              Keys: ↑ ↓ move between patients · P present · L late · E left early · X excused absence · A unexcused absence · Enter saves.
            </Text>
            <Group gap="xs">
              <Badge variant="light" size="lg">
                {marked} of {roster.length} marked
              </Badge>
              <Button type="button" variant="light" className={roll.touch} onClick={() => roster.forEach((p) => choose(p.patientId, "present"))}>
                Mark everyone present
              </Button>
            </Group>
          </Group>
          {roster.length === 0 ? (
            <Text c="dimmed">No patients are on this session's roster.</Text>
          ) : (
            <Table fz="sm" verticalSpacing={6} aria-label="Roster" aria-describedby="roll-keys">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Patient</Table.Th>
                  <Table.Th>Attendance</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody onKeyDown={onKeyDown}>
                {roster.map((p, i) => {
                  const r = rows[p.patientId];
                  const minutesEditable = asksMinutes(r.status);
                  const err = errors[`minutes.${p.patientId}`];
                  const errorId = `minutes-error-${p.patientId}`;
                  return (
                    <Fragment key={p.patientId}>
                      <Table.Tr
                        className={err ? roll.invalid : undefined}
                        ref={(el) => {
                          rowRefs.current[i] = el;
                        }}
                        tabIndex={i === active ? 0 : -1}
                        onFocus={() => setActive(i)}
                        aria-label={`${p.name}: ${r.status ? ATTENDANCE_STATUSES[r.status].label : "not marked"}`}
                        style={{ outlineOffset: -2 }}
                        data-active={i === active || undefined}
                      >
                        <Table.Td>
                          <p className={roll.name}>{p.name}</p>
                          <p className={roll.mrn}>{p.mrn}</p>
                          <input type="hidden" name={`status.${p.patientId}`} value={r.status} />
                        </Table.Td>
                        <Table.Td>
                          <div className={roll.statuses} role="group" aria-label={`Status for ${p.name}`}>
                            {STATUS_KEYS.map((k) => (
                              <button
                                key={k}
                                type="button"
                                tabIndex={-1}
                                className={`${roll.status} ${ATTENDANCE_STATUSES[k].attended ? roll.attended : roll.absent}`}
                                aria-pressed={r.status === k}
                                aria-label={ATTENDANCE_STATUSES[k].label}
                                onClick={() => {
                                  choose(p.patientId, k);
                                  setActive(i);
                                }}
                              >
                                {ATTENDANCE_STATUSES[k].short}
                              </button>
                            ))}
                          </div>
                          {/* How, minutes and a note sit under the status: one row reads left to right on a laptop and fits a tablet. */}
                          <div className={roll.fields}>
                            <select
                              aria-label={`How ${p.name} attended`}
                              name={`mode.${p.patientId}`}
                              value={r.mode}
                              onChange={(e) => setRow(p.patientId, { mode: e.currentTarget.value as AttendanceMode })}
                              className={`${roll.input} ${roll.mode}`}
                            >
                              {Object.entries(ATTENDANCE_MODES).map(([value, label]) => (
                                <option key={value} value={value}>
                                  {label}
                                </option>
                              ))}
                            </select>
                            <div className={roll.minutes}>
                              <input
                                aria-label={`Minutes ${p.name} attended`}
                                name={`minutes.${p.patientId}`}
                                value={r.minutes}
                                onChange={(e) => setRow(p.patientId, { minutes: e.currentTarget.value })}
                                readOnly={!minutesEditable}
                                placeholder={minutesEditable ? `1–${s.minutes}` : undefined}
                                inputMode="numeric"
                                className={roll.input}
                                aria-required={minutesEditable || undefined}
                                aria-invalid={err ? true : undefined}
                                aria-describedby={err ? errorId : undefined}
                              />
                              <span className={roll.unit} aria-hidden="true">
                                min
                              </span>
                            </div>
                            <div className={roll.note}>
                              <input
                                aria-label={`Note for ${p.name}`}
                                placeholder="Note (optional)"
                                name={`note.${p.patientId}`}
                                value={r.note}
                                onChange={(e) => setRow(p.patientId, { note: e.currentTarget.value })}
                                maxLength={300}
                                className={roll.input}
                              />
                            </div>
                          </div>
                        </Table.Td>
                      </Table.Tr>
                      {/* Across the whole row, under the patient it is about: one line at any width, read with the field it describes. */}
                      {err ? (
                        <Table.Tr className={roll.errorRow}>
                          <Table.Td colSpan={2}>
                            <div className={roll.error} id={errorId}>
                              {err.join(" ")}
                            </div>
                          </Table.Td>
                        </Table.Tr>
                      ) : null}
                    </Fragment>
                  );
                })}
              </Table.Tbody>
            </Table>
          )}
          {s.pastDay && s.rollVersion > 0 ? (
            <TextInput
              name="reason"
              label="Why the marks are being corrected"
              description={`This session was on ${longDate(s.date)}; corrections are kept in the audit log with their reason.`}
              error={errors.reason?.join(" ")}
              maw={520}
              classNames={{ input: roll.touch }}
            />
          ) : null}
          {/* Next to the button the taker just pressed, so a refusal is seen without scrolling back up. */}
          <FormErrors errors={refusal?.formError ? [refusal.formError] : undefined} title="Not saved" />
          <Group>
            <Button type="submit" className={roll.touch} loading={submitting} disabled={roster.length === 0}>
              Save roll call
            </Button>
            {s.lastSaved ? (
              <Text size="xs" c="dimmed">
                Last saved by {s.lastSaved.by}, {s.lastSaved.at}.
              </Text>
            ) : null}
          </Group>
        </Stack>
      </Form>
    </Paper>
  );
}

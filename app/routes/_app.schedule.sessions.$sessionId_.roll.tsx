import { Alert, Anchor, Badge, Button, Group, Paper, Stack, Table, Text, TextInput, Title } from "@mantine/core";
import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { type KeyboardEvent, useRef, useState } from "react";
import { RouteErrorBoundary } from "~/components/error-boundary";
import { FormErrors } from "~/components/form-errors";
import { getRollCall, saveRollCall } from "~/features/attendance/attendance.server";
import { readRollCallForm } from "~/features/attendance/roll-form";
import { ATTENDANCE_MODES, ATTENDANCE_STATUSES, type AttendanceMode, type AttendanceStatus, STATUS_KEYS } from "~/features/attendance/rules";
import { requireUser } from "~/features/auth/guard.server";
import { todayIn, localClock, longDate } from "~/kernel/time";
import { readForm } from "~/utils/form.server";
import { toastHeader } from "~/kernel/toast.server";
import roll from "~/features/attendance/components/roll.module.css";
import { recordPatientListView } from "~/features/audit/list-views.server";

export const meta: MetaFunction<typeof loader> = ({ data: d }) => [{ title: `Roll call · ${d?.session.title ?? "Session"} · IOP Dashboard` }];

export async function loader(args: LoaderFunctionArgs) {
  const { db, user, site, meta } = await requireUser(args, "take:attendance");
  if (!site) throw data({ message: "You are not assigned to a site." }, { status: 404 });
  const roll = await getRollCall(db, args.params.sessionId ?? "", site.id);
  if (!roll) throw data({ message: "There is no such session at your site." }, { status: 404 });
  const s = roll.session;
  // Who is a patient is itself Part 2 information: one audit row per view of a list that names them.
  await recordPatientListView(
    db,
    user,
    { kind: "roll_call", siteId: site.id, filters: { session: s.id, date: s.local_date }, shown: roll.roster.length },
    meta,
  );
  const now = new Date().toISOString();
  return {
    session: {
      id: s.id,
      title: s.title,
      date: s.local_date,
      time: `${localClock(s.starts_at, site.time_zone)}–${localClock(s.ends_at, site.time_zone)}`,
      minutes: s.minutes,
      where: s.modality === "telehealth" ? "Telehealth" : (s.room_name ?? "No room"),
      facilitators: [s.facilitator_name, s.co_facilitator_name].filter(Boolean).join(" & "),
      cancelled: s.status === "cancelled",
      notStarted: s.starts_at > now,
      defaultMode: (s.modality === "telehealth" ? "telehealth" : "in_person") as AttendanceMode,
      rollVersion: s.rollVersion,
      lastSaved: s.roll_updated_at
        ? { at: `${longDate(todayIn(site.time_zone, new Date(s.roll_updated_at)))} ${localClock(s.roll_updated_at, site.time_zone)}`, by: s.roll_updated_by }
        : null,
      // After the session's day a change is a correction and needs a reason.
      pastDay: s.local_date < todayIn(site.time_zone),
    },
    roster: roll.roster,
  };
}

export async function action(args: ActionFunctionArgs) {
  const { db, user, site, meta } = await requireUser(args, "take:attendance");
  if (!site) throw data({ message: "You are not assigned to a site." }, { status: 404 });
  const id = args.params.sessionId ?? "";
  const form = readRollCallForm(await readForm(args.request));
  if (!form.ok) return data({ formError: form.formError, fieldErrors: {} as Record<string, string[]> }, { status: 400 });
  const { marks, version, reason } = form;
  const result = await saveRollCall(db, user, id, { version, marks, reason }, site, meta);
  if (!result.ok)
    return data({ formError: result.formError ?? "Not saved: check the marked rows.", fieldErrors: result.fieldErrors ?? {} }, { status: result.status });
  const message =
    result.changed === 0
      ? "Nothing changed; the roll call is as it was."
      : `Roll call saved: ${result.saved} marked${result.correction ? " (correction recorded with its reason)" : ""}.`;
  return redirect(`/schedule/sessions/${id}`, { headers: { "Set-Cookie": await toastHeader({ kind: "success", message }) } });
}

type Row = { status: AttendanceStatus | ""; mode: AttendanceMode; minutes: string; note: string };

export default function RollCall() {
  const { session: s, roster } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
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
    // Late and left early start from the full session, for the taker to bring down.
    const minutes = status === "present" ? String(s.minutes) : ATTENDANCE_STATUSES[status].attended ? current.minutes || String(s.minutes) : "0";
    setRow(id, { status, minutes });
  };
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
  const errors = actionData?.fieldErrors ?? {};
  const locked = s.cancelled || s.notStarted;
  return (
    <Stack gap="md" maw={1100}>
      <div>
        <Anchor component={Link} to={`/schedule/sessions/${s.id}`} size="sm">
          ← {s.title}
        </Anchor>
        <Title order={1}>Roll call: {s.title}</Title>
        <Text c="dimmed">
          {longDate(s.date)}, {s.time} · {s.where} · {s.facilitators} · {s.minutes} minutes
        </Text>
      </div>
      {s.cancelled ? <Alert color="gray">This session was cancelled; there is no roll to take.</Alert> : null}
      {s.notStarted ? <Alert color="blue">This session has not started yet. Take roll once it begins.</Alert> : null}
      {!locked ? (
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
                  <Button type="button" variant="light" onClick={() => roster.forEach((p) => choose(p.patientId, "present"))}>
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
                      const minutesEditable = r.status === "late" || r.status === "left_early";
                      const err = errors[`minutes.${p.patientId}`];
                      return (
                        <Table.Tr
                          key={p.patientId}
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
                                  inputMode="numeric"
                                  className={roll.input}
                                  aria-invalid={err ? true : undefined}
                                  aria-describedby={err ? `minutes-error-${p.patientId}` : undefined}
                                />
                                <span className={roll.unit} aria-hidden="true">
                                  min
                                </span>
                                {err ? (
                                  <div className={roll.error} id={`minutes-error-${p.patientId}`}>
                                    {err.join(" ")}
                                  </div>
                                ) : null}
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
                      );
                    })}
                  </Table.Tbody>
                </Table>
              )}
              {s.pastDay && s.rollVersion > 0 ? (
                <TextInput
                  name="reason"
                  label="Why the marks are being corrected"
                  description={`This session was on ${s.date}; corrections are kept in the audit log with their reason.`}
                  error={errors.reason?.join(" ")}
                  maw={520}
                />
              ) : null}
              {/* Next to the button the taker just pressed, so a refusal is seen without scrolling back up. */}
              <FormErrors errors={actionData?.formError ? [actionData.formError] : undefined} title="Not saved" />
              <Group>
                <Button type="submit" loading={navigation.state === "submitting"} disabled={roster.length === 0}>
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
      ) : null}
    </Stack>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}

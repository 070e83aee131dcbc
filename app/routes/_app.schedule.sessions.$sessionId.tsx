import { getFormProps, type SubmissionResult, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { Anchor, Badge, Button, Card, Group, NativeSelect, Paper, Select, SimpleGrid, Stack, Table, Text, Title } from "@mantine/core";
import { type ActionFunctionArgs, data, type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { DateField, SelectField, TextField } from "~/components/form-fields";
import { RouteErrorBoundary } from "~/components/error-boundary";
import { requireUser } from "~/features/auth/guard.server";
import { can } from "~/features/auth/permissions";
import { OPEN_STATUSES } from "~/features/patients/rules";
import { markedCounts } from "~/features/attendance/attendance.server";
import { ATTENDANCE_STATUSES, type AttendanceStatus } from "~/features/attendance/rules";
import { addToRoster, removeFromRoster, roster } from "~/features/scheduling/enrollment.server";
import { cancelSession, getSession, moveSession } from "~/features/scheduling/groups.server";
import { listRooms } from "~/features/scheduling/program.server";
import { CancelSessionSchema, MoveSessionSchema, RosterAddSchema, RosterRemoveSchema } from "~/features/scheduling/schemas";
import { weekStart, localClock, longDate } from "~/kernel/time";
import {
  APPOINTMENT_KINDS,
  type AppointmentKind,
  APPROACHES,
  type Approach,
  GROUP_KINDS,
  type GroupKind,
  MODALITIES,
  type Modality,
} from "~/features/scheduling/vocabulary";

const SOURCES: Record<string, string> = { track: "Track", added: "Added by hand", booked: "Booked" };
import { refusedReply } from "~/utils/forms.server";
import { redirectWithToast } from "~/kernel/http.server";
import { FormErrors } from "~/components/form-errors";
import { recordPatientListView } from "~/features/audit/list-views.server";

export async function loader(args: LoaderFunctionArgs) {
  const { db, user, site, meta } = await requireUser(args, "read:schedule");
  if (!site) throw data({ message: "You are not assigned to a site." }, { status: 404 });
  const s = await getSession(db, args.params.sessionId ?? "", site.id);
  if (!s) throw data({ message: "There is no such session at your site." }, { status: 404 });
  const appointment = s.kind !== "group";
  // Admins change any session; counselors change individual and family sessions.
  const canManage = can(user.role, "manage:program") || (appointment && can(user.role, "book:sessions"));
  const canEditRoster = !appointment && can(user.role, "book:sessions") && s.status === "scheduled" && s.ends_at > new Date().toISOString();
  const [rooms, people, candidates] = await Promise.all([
    canManage ? listRooms(db, site.id).then((r) => r.filter((x) => x.active)) : [],
    roster(db, s.id),
    canEditRoster
      ? db
          .selectFrom("patients")
          .select(["id", "mrn", "legal_first_name", "legal_last_name", "preferred_name"])
          .where("site_id", "=", site.id)
          .where("status", "in", OPEN_STATUSES)
          .orderBy("legal_last_name")
          .orderBy("legal_first_name")
          .execute()
      : [],
  ]);
  const onRoster = new Set(people.current.map((p) => p.patient_id));
  // Who is a patient is itself Part 2 information: one audit row per view of a list that names them.
  const shown = new Set([...people.current, ...people.left].map((p) => p.patient_id).concat(candidates.map((c) => c.id))).size;
  await recordPatientListView(db, user, { kind: "session_roster", siteId: site.id, filters: { session: s.id, date: s.local_date }, shown }, meta);
  const family = s.family_members ? (JSON.parse(s.family_members) as { name: string; relationship: string }[]) : [];
  const marks = await markedCounts(db, [s.id]);
  const started = s.starts_at <= new Date().toISOString();
  return {
    canManage,
    canEditRoster,
    canTakeRoll: can(user.role, "take:attendance") && s.status === "scheduled" && started,
    canPrint: can(user.role, "take:attendance") && s.status === "scheduled",
    marks: Object.fromEntries([...(marks.get(s.id) ?? new Map())].map(([pid, st]) => [pid, ATTENDANCE_STATUSES[st as AttendanceStatus]?.label ?? st])),
    roster: {
      current: people.current.map((p) => ({ id: p.patient_id, name: p.name, preferredName: p.preferredName, mrn: p.mrn, via: SOURCES[p.source] ?? p.source })),
      left: people.left.map((p) => ({ id: p.patient_id, name: p.name, mrn: p.mrn, reason: p.left_reason, leftAt: p.left_at })),
    },
    candidates: candidates
      .filter((c) => !onRoster.has(c.id))
      .map((c) => ({ value: c.id, label: `${c.legal_last_name}, ${c.preferred_name || c.legal_first_name} · ${c.mrn}` })),
    appointment: appointment ? { approach: s.approach ? (APPROACHES[s.approach as Approach] ?? s.approach) : null, family } : null,
    timeZone: site.time_zone,
    rooms: rooms.map((r) => ({ value: r.id, label: `${r.name} — holds ${r.capacity}` })),
    session: {
      id: s.id,
      version: s.version,
      title: s.title,
      kind: s.group_kind ? (GROUP_KINDS[s.group_kind as GroupKind] ?? s.group_kind) : (APPOINTMENT_KINDS[s.kind as AppointmentKind] ?? s.kind),
      date: s.local_date,
      start: localClock(s.starts_at, site.time_zone),
      end: localClock(s.ends_at, site.time_zone),
      room: s.room_name,
      roomId: s.room_id,
      modality: MODALITIES[s.modality as Modality] ?? s.modality,
      telehealth: s.modality === "telehealth",
      facilitators: [s.facilitator_name, s.co_facilitator_name].filter(Boolean).join(" & "),
      track: s.track_name,
      capacity: s.capacity,
      status: s.status,
      cancelReason: s.cancel_reason,
    },
  };
}

export async function action(args: ActionFunctionArgs) {
  const { db, user, site, meta } = await requireUser(args, "book:sessions");
  if (!site) throw data({ message: "You are not assigned to a site." }, { status: 404 });
  const id = args.params.sessionId ?? "";
  const formData = await args.request.formData();
  const done = (message: string) => redirectWithToast(`/schedule/sessions/${id}`, message);
  const intent = formData.get("intent");
  if (intent === "add-patient") {
    const submission = parseWithZod(formData, { schema: RosterAddSchema });
    if (submission.status !== "success") return data({ intent: "add-patient", reply: submission.reply() as SubmissionResult<string[]> }, { status: 400 });
    const result = await addToRoster(db, user, id, submission.value.patientId, site, meta);
    if (!result.ok) return data({ intent: "add-patient", reply: refusedReply(submission, result) as SubmissionResult<string[]> }, { status: result.status });
    return done("Added to this session's roster.");
  }
  if (intent === "remove-patient") {
    const submission = parseWithZod(formData, { schema: RosterRemoveSchema });
    if (submission.status !== "success") return data({ intent: "remove-patient", reply: submission.reply() as SubmissionResult<string[]> }, { status: 400 });
    const result = await removeFromRoster(db, user, id, submission.value.patientId, submission.value.reason, site, meta);
    if (!result.ok) return data({ intent: "remove-patient", reply: refusedReply(submission, result) as SubmissionResult<string[]> }, { status: result.status });
    return done("Taken off this session's roster.");
  }
  if (intent !== "move" && intent !== "cancel") throw data({ message: "That is not something this page can do." }, { status: 400 });
  // Moving and cancelling: any session for admins, individual and family sessions for counselors.
  const target = await getSession(db, id, site.id);
  if (target && target.kind === "group" && !can(user.role, "manage:program")) {
    throw data({ message: "Only an admin can move or cancel a group session." }, { status: 403 });
  }
  if (intent === "cancel") {
    const submission = parseWithZod(formData, { schema: CancelSessionSchema });
    if (submission.status !== "success") return data({ intent: "cancel", reply: submission.reply() as SubmissionResult<string[]> }, { status: 400 });
    const result = await cancelSession(db, user, id, submission.value, site.id, meta);
    if (!result.ok) return data({ intent: "cancel", reply: refusedReply(submission, result) as SubmissionResult<string[]> }, { status: result.status });
    return done("Session cancelled. The rest of the series is unchanged.");
  }
  const submission = parseWithZod(formData, { schema: MoveSessionSchema });
  if (submission.status !== "success") return data({ intent: "move", reply: submission.reply() as SubmissionResult<string[]> }, { status: 400 });
  const result = await moveSession(db, user, id, submission.value, site, meta);
  if (!result.ok) return data({ intent: "move", reply: refusedReply(submission, result) as SubmissionResult<string[]> }, { status: result.status });
  return done(`Session moved to ${longDate(submission.value.date)}, ${submission.value.startTime}–${submission.value.endTime}.`);
}

export default function SessionPage() {
  const { session: s, canManage, canEditRoster, canTakeRoll, canPrint, marks, rooms, roster, candidates, appointment } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [addForm, addFields] = useForm({
    id: `add-${roster.current.length}`,
    lastResult: actionData?.intent === "add-patient" ? actionData.reply : undefined,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: RosterAddSchema }),
    shouldValidate: "onSubmit",
  });
  const [removeForm, removeFields] = useForm({
    id: `remove-${roster.current.length}`,
    lastResult: actionData?.intent === "remove-patient" ? actionData.reply : undefined,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: RosterRemoveSchema }),
    shouldValidate: "onSubmit",
  });
  const [cancelForm, cancelFields] = useForm({
    id: `cancel-${s.version}`,
    lastResult: actionData?.intent === "cancel" ? actionData.reply : undefined,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: CancelSessionSchema }),
    shouldValidate: "onSubmit",
  });
  const [moveForm, moveFields] = useForm({
    id: `move-${s.version}`,
    lastResult: actionData?.intent === "move" ? actionData.reply : undefined,
    defaultValue: { date: s.date, startTime: s.start, endTime: s.end, roomId: s.roomId ?? "" },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: MoveSessionSchema }),
    shouldValidate: "onSubmit",
  });
  return (
    <Stack gap="lg" maw={820}>
      <div>
        <Anchor component={Link} to={`/schedule?week=${weekStart(s.date)}`} size="sm">
          ← Week of {longDate(weekStart(s.date))}
        </Anchor>
        <Group gap="sm" align="center">
          <Title order={1}>{s.title}</Title>
          {s.status === "cancelled" ? <Badge color="gray">Cancelled</Badge> : null}
        </Group>
        <Text c="dimmed">
          {longDate(s.date)}, {s.start}–{s.end}
        </Text>
        {canTakeRoll || canPrint ? (
          <Group gap="xs" mt="sm" className="no-print">
            {canTakeRoll ? (
              <Button component={Link} to={`/schedule/sessions/${s.id}/roll`}>
                {Object.keys(marks).length ? "Change roll call" : "Take roll call"}
              </Button>
            ) : null}
            {canPrint ? (
              <Button component={Link} to={`/schedule/sessions/${s.id}/sign-in-sheet`} variant="default" reloadDocument>
                Sign-in sheet
              </Button>
            ) : null}
          </Group>
        ) : null}
      </div>
      <Card withBorder>
        <Table variant="vertical" fz="sm">
          <Table.Tbody>
            {[
              ["Kind", appointment?.approach ? `${s.kind} · ${appointment.approach}` : s.kind],
              ...(appointment ? [] : [["Track", s.track ?? "Open group"]]),
              ...(appointment && appointment.family.length
                ? [["Family members", appointment.family.map((m) => `${m.name} (${m.relationship})`).join(", ")]]
                : []),
              ["Facilitator", s.facilitators],
              ["Where", s.telehealth ? "Telehealth" : `${s.room ?? "No room"} (${s.modality.toLowerCase()})`],
              ...(appointment ? [] : [["Capacity", String(s.capacity)]]),
              ...(s.cancelReason ? [["Cancelled because", s.cancelReason]] : []),
            ].map(([k, v]) => (
              <Table.Tr key={k}>
                <Table.Th w={180}>{k}</Table.Th>
                <Table.Td>{v}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Card>
      <Card withBorder>
        <Group justify="space-between" mb="xs">
          <Title order={2} size="h3">
            {appointment ? "Patient" : "Roster"}
          </Title>
          {appointment ? null : (
            <Text size="sm" c="dimmed">
              {roster.current.length} of {s.capacity}
            </Text>
          )}
        </Group>
        {roster.current.length === 0 ? (
          <Text size="sm" c="dimmed">
            No patients on this session yet.
          </Text>
        ) : (
          <Table fz="sm" striped aria-label="Patients on this session">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Patient</Table.Th>
                <Table.Th>MRN</Table.Th>
                <Table.Th>On the roster by</Table.Th>
                <Table.Th>Attendance</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {roster.current.map((p) => (
                <Table.Tr key={p.id}>
                  <Table.Td>
                    <Anchor component={Link} to={`/patients/${p.id}/schedule`}>
                      {p.name}
                    </Anchor>
                    {p.preferredName ? <Text span size="xs" c="dimmed">{` “${p.preferredName}”`}</Text> : null}
                  </Table.Td>
                  <Table.Td>{p.mrn}</Table.Td>
                  <Table.Td>{p.via}</Table.Td>
                  <Table.Td>{marks[p.id] ?? "—"}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
        {roster.left.length ? (
          <Text size="xs" c="dimmed" mt="xs">
            Left this session: {roster.left.map((p) => `${p.name} (${p.reason ?? "no reason given"})`).join("; ")}
          </Text>
        ) : null}
        {canEditRoster ? (
          <SimpleGrid cols={{ base: 1, md: 2 }} mt="md">
            <Form method="post" {...getFormProps(addForm)}>
              <input type="hidden" name="intent" value="add-patient" />
              <Stack gap="xs">
                <FormErrors errors={addForm.errors} title="Not added" />
                <Select
                  label="Add a patient"
                  name={addFields.patientId.name}
                  data={candidates}
                  searchable
                  nothingFoundMessage="No patient by that name"
                  placeholder="Type a name or MRN"
                  error={addFields.patientId.errors?.join(" ")}
                />
                <div>
                  <Button type="submit" variant="light">
                    Add to roster
                  </Button>
                </div>
              </Stack>
            </Form>
            {roster.current.length ? (
              <Form method="post" {...getFormProps(removeForm)}>
                <input type="hidden" name="intent" value="remove-patient" />
                <Stack gap="xs">
                  <FormErrors errors={removeForm.errors} title="Not removed" />
                  <NativeSelect
                    label="Take a patient off"
                    name={removeFields.patientId.name}
                    data={[{ value: "", label: "Choose…", disabled: true }, ...roster.current.map((p) => ({ value: p.id, label: p.name }))]}
                    defaultValue=""
                    error={removeFields.patientId.errors?.join(" ")}
                  />
                  <TextField field={removeFields.reason} label="Why" placeholder="e.g. Works this shift; attends the evening group instead" required />
                  <div>
                    <Button type="submit" variant="outline" color="red">
                      Take off roster
                    </Button>
                  </div>
                </Stack>
              </Form>
            ) : null}
          </SimpleGrid>
        ) : null}
      </Card>
      {canManage && s.status !== "cancelled" ? (
        <SimpleGrid cols={{ base: 1, md: 2 }}>
          <Paper withBorder p="lg">
            <Title order={2} size="h3" mb="xs">
              Move this session
            </Title>
            <Form method="post" {...getFormProps(moveForm)}>
              <input type="hidden" name="intent" value="move" />
              <input type="hidden" name="version" value={s.version} />
              <Stack>
                <FormErrors errors={moveForm.errors} />
                <DateField field={moveFields.date} label="New date" required />
                <Group align="flex-start">
                  <TextField field={moveFields.startTime} label="Starts at" type="time" required w={150} />
                  <TextField field={moveFields.endTime} label="Ends at" type="time" required w={150} />
                </Group>
                {!s.telehealth ? <SelectField field={moveFields.roomId} label="Room" options={rooms} required /> : null}
                <Text size="xs" c="dimmed">
                  Only this occurrence moves; the rest of the series stays as it is.
                </Text>
                <div>
                  <Button type="submit" variant="light">
                    Move session
                  </Button>
                </div>
              </Stack>
            </Form>
          </Paper>
          <Paper withBorder p="lg">
            <Title order={2} size="h3" mb="xs">
              Cancel this session
            </Title>
            <Form method="post" {...getFormProps(cancelForm)}>
              <input type="hidden" name="intent" value="cancel" />
              <input type="hidden" name="version" value={s.version} />
              <Stack>
                <FormErrors errors={cancelForm.errors} />
                <TextField field={cancelFields.reason} label="Reason" placeholder="e.g. Facilitator out sick; snow closure" required />
                <div>
                  <Button type="submit" color="red" variant="outline">
                    Cancel session
                  </Button>
                </div>
              </Stack>
            </Form>
          </Paper>
        </SimpleGrid>
      ) : null}
    </Stack>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}

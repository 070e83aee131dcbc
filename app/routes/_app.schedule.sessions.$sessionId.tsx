import { getFormProps, type SubmissionResult, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { Anchor, Badge, Button, Card, Group, Paper, SimpleGrid, Stack, Table, Text, Title } from "@mantine/core";
import { type ActionFunctionArgs, data, type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { DateField, SelectField, TextField } from "~/components/form-fields";
import { RouteErrorBoundary } from "~/components/error-boundary";
import { requireUser } from "~/features/auth/guard.server";
import { can } from "~/features/auth/permissions";
import { cancelSession, getSession, moveSession } from "~/features/scheduling/groups.server";
import { listRooms } from "~/features/scheduling/program.server";
import { weekStart } from "~/features/scheduling/rules";
import { CancelSessionSchema, MoveSessionSchema } from "~/features/scheduling/schemas";
import { GROUP_KINDS, type GroupKind, localClock, longDate, MODALITIES, type Modality } from "~/features/scheduling/vocabulary";
import { refusedReply } from "~/utils/forms.server";
import { toastHeader } from "~/utils/toast.server";
import { FormErrors } from "~/components/form-errors";

export async function loader(args: LoaderFunctionArgs) {
  const { db, user, site } = await requireUser(args, "read:schedule");
  if (!site) throw data({ message: "You are not assigned to a site." }, { status: 404 });
  const s = await getSession(db, args.params.sessionId ?? "", site.id);
  if (!s) throw data({ message: "There is no such session at your site." }, { status: 404 });
  const canManage = can(user.role, "manage:program");
  const rooms = canManage ? (await listRooms(db, site.id)).filter((r) => r.active) : [];
  return {
    canManage,
    timeZone: site.time_zone,
    rooms: rooms.map((r) => ({ value: r.id, label: `${r.name} — holds ${r.capacity}` })),
    session: {
      id: s.id,
      version: s.version,
      title: s.title,
      kind: s.group_kind ? (GROUP_KINDS[s.group_kind as GroupKind] ?? s.group_kind) : s.kind,
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
  const { db, user, site, meta } = await requireUser(args, "manage:program");
  if (!site) throw data({ message: "You are not assigned to a site." }, { status: 404 });
  const id = args.params.sessionId ?? "";
  const formData = await args.request.formData();
  const done = (message: string) => redirect(`/schedule/sessions/${id}`, { headers: { "Set-Cookie": toastHeader({ kind: "success", message }) } });
  if (formData.get("intent") === "cancel") {
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
  const { session: s, canManage, rooms } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
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
      </div>
      <Card withBorder>
        <Table variant="vertical" fz="sm">
          <Table.Tbody>
            {[
              ["Kind", s.kind],
              ["Track", s.track ?? "Open group"],
              ["Facilitator", s.facilitators],
              ["Where", s.telehealth ? "Telehealth" : `${s.room ?? "No room"} (${s.modality.toLowerCase()})`],
              ["Capacity", String(s.capacity)],
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

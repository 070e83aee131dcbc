import { getFormProps, type SubmissionResult, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { Anchor, Button, Group, Paper, Stack, Title } from "@mantine/core";
import { type ActionFunctionArgs, data, type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { RouteErrorBoundary } from "~/components/error-boundary";
import { requireUser } from "~/features/auth/guard.server";
import { TextField } from "~/components/form-fields";
import { getRoom, setActive, updateRoom } from "~/features/scheduling/program.server";
import { SetActiveSchema, UpdateRoomSchema } from "~/features/scheduling/schemas";
import { refusedReply } from "~/utils/forms.server";
import { redirectWithToast } from "~/kernel/http.server";
import { FormErrors } from "~/components/form-errors";
import { RetireCard } from "~/features/scheduling/components/retire-card";

export async function loader(args: LoaderFunctionArgs) {
  const { db, sites } = await requireUser(args, "manage:program");
  const room = await getRoom(
    db,
    args.params.roomId ?? "",
    sites.map((s) => s.id),
  );
  if (!room) throw data({ message: "There is no such room at your sites." }, { status: 404 });
  return { room };
}

export async function action(args: ActionFunctionArgs) {
  const { db, user, sites, meta } = await requireUser(args, "manage:program");
  const id = args.params.roomId ?? "";
  const formData = await args.request.formData();
  const intent = formData.get("intent");
  const done = (message: string) => redirectWithToast(`/admin/program/rooms/${id}`, message);
  if (intent === "deactivate" || intent === "reactivate") {
    const submission = parseWithZod(formData, { schema: SetActiveSchema });
    if (submission.status !== "success") return data({ intent: "active", reply: submission.reply() as SubmissionResult<string[]> }, { status: 400 });
    const result = await setActive(
      db,
      user,
      "rooms",
      id,
      submission.value.intent === "reactivate",
      submission.value.version,
      sites.map((s) => s.id),
      meta,
    );
    if (!result.ok) return data({ intent: "active", reply: refusedReply(submission, result) as SubmissionResult<string[]> }, { status: result.status });
    return done(submission.value.intent === "reactivate" ? "Room restored." : "Room retired.");
  }
  const submission = parseWithZod(formData, { schema: UpdateRoomSchema });
  if (submission.status !== "success") return data({ intent: "update", reply: submission.reply() as SubmissionResult<string[]> }, { status: 400 });
  const result = await updateRoom(
    db,
    user,
    id,
    submission.value,
    sites.map((s) => s.id),
    meta,
  );
  if (!result.ok) return data({ intent: "update", reply: refusedReply(submission, result) as SubmissionResult<string[]> }, { status: result.status });
  return done("Room saved.");
}

export default function RoomPage() {
  const { room: track } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const [form, fields] = useForm({
    id: `room-${track.id}-${track.version}`,
    lastResult: actionData?.intent === "update" ? actionData.reply : undefined,
    defaultValue: { name: track.name, capacity: String(track.capacity) },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: UpdateRoomSchema }),
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
  });
  const activeErrors = actionData?.intent === "active" ? actionData.reply.error?.[""] : undefined;
  return (
    <Stack gap="lg" maw={720}>
      <div>
        <Anchor component={Link} to="/admin/program" size="sm">
          ← Program setup
        </Anchor>
        <Title order={1}>{track.name}</Title>
      </div>
      <Paper withBorder p="lg" key={track.version}>
        <Form method="post" {...getFormProps(form)}>
          <input type="hidden" name="intent" value="update" />
          <input type="hidden" name="version" value={track.version} />
          <Stack>
            <FormErrors errors={form.errors} />
            <Group align="flex-start">
              <TextField field={fields.name} label="Room name" required autoComplete="off" />
              <TextField field={fields.capacity} label="Capacity" type="number" min={1} required w={120} />
            </Group>
            <div>
              <Button type="submit" loading={navigation.state === "submitting"}>
                Save room
              </Button>
            </div>
          </Stack>
        </Form>
      </Paper>
      <RetireCard noun="room" active={track.active} version={track.version} errors={activeErrors} />
    </Stack>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}

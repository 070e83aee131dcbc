import { getFormProps, type SubmissionResult, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { Anchor, Button, Paper, Stack, Title } from "@mantine/core";
import { type ActionFunctionArgs, data, type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { RouteErrorBoundary } from "~/components/error-boundary";
import { requireUser } from "~/features/auth/guard.server";
import { TrackFields } from "~/features/scheduling/components/track-fields";
import { getTrack, setActive, updateTrack } from "~/features/scheduling/program.server";
import { SetActiveSchema, UpdateTrackSchema } from "~/features/scheduling/schemas";
import { refusedReply } from "~/utils/forms.server";
import { redirectWithToast } from "~/kernel/http.server";
import { FormErrors } from "~/components/form-errors";
import { RetireCard } from "~/features/scheduling/components/retire-card";

export async function loader(args: LoaderFunctionArgs) {
  const { db, sites } = await requireUser(args, "manage:program");
  const track = await getTrack(
    db,
    args.params.trackId ?? "",
    sites.map((s) => s.id),
  );
  if (!track) throw data({ message: "There is no such track at your sites." }, { status: 404 });
  return { track };
}

export async function action(args: ActionFunctionArgs) {
  const { db, user, sites, meta } = await requireUser(args, "manage:program");
  const id = args.params.trackId ?? "";
  const formData = await args.request.formData();
  const intent = formData.get("intent");
  const done = (message: string) => redirectWithToast(`/admin/program/tracks/${id}`, message);
  if (intent === "deactivate" || intent === "reactivate") {
    const submission = parseWithZod(formData, { schema: SetActiveSchema });
    if (submission.status !== "success") return data({ intent: "active", reply: submission.reply() as SubmissionResult<string[]> }, { status: 400 });
    const result = await setActive(
      db,
      user,
      "tracks",
      id,
      submission.value.intent === "reactivate",
      submission.value.version,
      sites.map((s) => s.id),
      meta,
    );
    if (!result.ok) return data({ intent: "active", reply: refusedReply(submission, result) as SubmissionResult<string[]> }, { status: result.status });
    return done(submission.value.intent === "reactivate" ? "Track restored." : "Track retired.");
  }
  const submission = parseWithZod(formData, { schema: UpdateTrackSchema });
  if (submission.status !== "success") return data({ intent: "update", reply: submission.reply() as SubmissionResult<string[]> }, { status: 400 });
  const result = await updateTrack(db, user, id, submission.value, sites, meta);
  if (!result.ok) return data({ intent: "update", reply: refusedReply(submission, result) as SubmissionResult<string[]> }, { status: result.status });
  return done("Track saved.");
}

export default function TrackPage() {
  const { track } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const [form, fields] = useForm({
    id: `track-${track.id}-${track.version}`,
    lastResult: actionData?.intent === "update" ? actionData.reply : undefined,
    defaultValue: { name: track.name, levelOfCare: track.level_of_care, days: track.days, startTime: track.start_time, endTime: track.end_time },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: UpdateTrackSchema }),
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
            <TrackFields fields={fields} />
            <div>
              <Button type="submit" loading={navigation.state === "submitting"}>
                Save track
              </Button>
            </div>
          </Stack>
        </Form>
      </Paper>
      <RetireCard noun="track" active={track.active} version={track.version} errors={activeErrors} />
    </Stack>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}

import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { Anchor, Button, Paper, Stack, Text, Title } from "@mantine/core";
import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { RouteErrorBoundary } from "~/components/error-boundary";
import { requireUser } from "~/features/auth/guard.server";
import { counselorsAt } from "~/features/patients/patients.server";
import { createSeries } from "~/features/scheduling/groups.server";
import { listRooms, listTracks } from "~/features/scheduling/program.server";
import { SeriesFields } from "~/features/scheduling/components/series-fields";
import { SeriesSchema } from "~/features/scheduling/schemas";
import { refusedReply } from "~/utils/forms.server";
import { todayIn } from "~/kernel/time";
import { toastHeader } from "~/kernel/toast.server";
import { FormErrors } from "~/components/form-errors";

export const meta: MetaFunction = () => [{ title: "Add a group series · IOP Dashboard" }];

export async function loader(args: LoaderFunctionArgs) {
  const { db, site } = await requireUser(args, "manage:program");
  if (!site) throw data({ message: "You are not assigned to a site." }, { status: 404 });
  const [tracks, rooms, people] = await Promise.all([listTracks(db, site.id), listRooms(db, site.id), counselorsAt(db, [site.id])]);
  return {
    site: { name: site.name, timeZone: site.time_zone },
    today: todayIn(site.time_zone),
    tracks: tracks.filter((t) => t.active).map((t) => ({ value: t.id, label: `${t.name} (${t.level_of_care})` })),
    rooms: rooms.filter((r) => r.active).map((r) => ({ value: r.id, label: `${r.name} — holds ${r.capacity}` })),
    people: people.map((p) => ({ value: p.id, label: p.name })),
  };
}

export async function action(args: ActionFunctionArgs) {
  const { db, user, site, meta } = await requireUser(args, "manage:program");
  if (!site) throw data({ message: "You are not assigned to a site." }, { status: 404 });
  const submission = parseWithZod(await args.request.formData(), { schema: SeriesSchema });
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  const result = await createSeries(db, user, site, submission.value, meta);
  if (!result.ok) return data(refusedReply(submission, result), { status: result.status });
  return redirect("/admin/program", {
    headers: {
      "Set-Cookie": await toastHeader({
        kind: "success",
        message: `${submission.value.title}: ${result.sessions} sessions scheduled${result.enrolled ? `, ${result.enrolled} patients from the track on each roster` : ""}.`,
      }),
    },
  });
}

export default function NewSeries() {
  const { site, today, tracks, rooms, people } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const navigation = useNavigation();
  const [form, fields] = useForm({
    lastResult,
    defaultValue: { startsOn: today, capacity: "12", modality: "in_person", autoEnroll: "yes" },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: SeriesSchema }),
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
  });
  return (
    <Stack gap="lg" maw={860}>
      <div>
        <Anchor component={Link} to="/admin/program" size="sm">
          ← Program setup
        </Anchor>
        <Title order={1}>Add a group series</Title>
        <Text c="dimmed">
          A weekly group at {site.name}. Its sessions are written for the coming weeks, in the site's time zone ({site.timeZone}).
        </Text>
      </div>
      <Paper withBorder p="lg">
        <Form method="post" {...getFormProps(form)}>
          <Stack>
            <FormErrors errors={form.errors} title="Not saved" />
            <SeriesFields fields={fields} options={{ tracks, rooms, people }} withFirstDate />
            <div>
              <Button type="submit" loading={navigation.state === "submitting"}>
                Schedule group
              </Button>
            </div>
          </Stack>
        </Form>
      </Paper>
    </Stack>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}

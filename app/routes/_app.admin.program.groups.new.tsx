import { parseWithZod } from "@conform-to/zod/v4";
import { Paper, Stack } from "@mantine/core";
import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { RouteErrorBoundary } from "~/components/error-boundary";
import { PageHeading } from "~/components/page-heading";
import { useSchemaForm } from "~/components/schema-form";
import { requireSiteUser } from "~/features/auth/guard.server";
import { createSeries } from "~/features/scheduling/groups.server";
import { seriesOptions } from "~/features/scheduling/options.server";
import { IntentForm } from "~/features/scheduling/components/intent-form";
import { SeriesFields } from "~/features/scheduling/components/series-fields";
import { SeriesSchema } from "~/features/scheduling/schemas";
import { refusedReply } from "~/utils/forms.server";
import { redirectWithToast } from "~/kernel/http.server";

export const meta: MetaFunction = () => [{ title: "Add a group series · IOP Dashboard" }];

export async function loader(args: LoaderFunctionArgs) {
  const { db, site, timeZone, today } = await requireSiteUser(args, "manage:program");
  return { site: { name: site.name, timeZone }, today, ...(await seriesOptions(db, site.id)) };
}

export async function action(args: ActionFunctionArgs) {
  const { db, user, site, meta } = await requireSiteUser(args, "manage:program");
  const submission = parseWithZod(await args.request.formData(), { schema: SeriesSchema });
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  const result = await createSeries(db, user, site, submission.value, meta);
  if (!result.ok) return data(refusedReply(submission, result), { status: result.status });
  const enrolled = result.enrolled ? `, ${result.enrolled} patients from the track on each roster` : "";
  return redirectWithToast("/admin/program", `${submission.value.title}: ${result.sessions} sessions scheduled${enrolled}.`);
}

export default function NewSeries() {
  const { site, today, tracks, rooms, people } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const navigation = useNavigation();
  const [form, fields] = useSchemaForm(SeriesSchema, {
    lastResult,
    defaultValue: { startsOn: today, capacity: "12", modality: "in_person", autoEnroll: "yes" },
  });
  return (
    <Stack gap="lg" maw={860}>
      <PageHeading back={{ to: "/admin/program", label: "Program setup" }} title="Add a group series">
        A weekly group at {site.name}. Its sessions are written for the coming weeks, in the site's time zone ({site.timeZone}).
      </PageHeading>
      <Paper withBorder p="lg">
        <IntentForm form={form} errorsTitle="Not saved" submit="Schedule group" button={{ loading: navigation.state === "submitting" }}>
          <SeriesFields fields={fields} options={{ tracks, rooms, people }} withFirstDate />
        </IntentForm>
      </Paper>
    </Stack>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}

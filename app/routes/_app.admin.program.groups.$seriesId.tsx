import { parseWithZod } from "@conform-to/zod/v4";
import { Paper, Stack, Text, Title } from "@mantine/core";
import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { RouteErrorBoundary } from "~/components/error-boundary";
import { PageHeading } from "~/components/page-heading";
import { useSchemaForm } from "~/components/schema-form";
import { requireSiteUser } from "~/features/auth/guard.server";
import { SeriesFields } from "~/features/scheduling/components/series-fields";
import { getSeries, seriesSessionsFrom, updateSeries } from "~/features/scheduling/groups.server";
import { seriesOptions } from "~/features/scheduling/options.server";
import { IntentForm } from "~/features/scheduling/components/intent-form";
import { SeriesSessionsTable } from "~/features/scheduling/components/series-sessions-table";
import { dayList } from "~/features/scheduling/rules";
import { UpdateSeriesSchema } from "~/features/scheduling/schemas";
import { instantRange, timeRange, shortDate } from "~/kernel/time";
import { GROUP_KINDS, type GroupKind } from "~/features/scheduling/vocabulary";
import { refusedReply } from "~/utils/forms.server";
import { foundOr404, redirectWithToast } from "~/kernel/http.server";
import { SectionCard } from "~/components/section-card";

export const meta: MetaFunction<typeof loader> = ({ data: d }) => [{ title: `${d?.series.title ?? "Group"} · Program setup · IOP Dashboard` }];

export async function loader(args: LoaderFunctionArgs) {
  const { db, site, timeZone } = await requireSiteUser(args, "manage:program");
  const series = foundOr404(await getSeries(db, args.params.seriesId ?? "", site.id), "There is no such group at your site.");
  const [options, sessions] = await Promise.all([
    seriesOptions(db, site.id, { trackId: series.track_id, roomId: series.room_id }),
    seriesSessionsFrom(db, series.id, new Date().toISOString()),
  ]);
  return {
    site: { name: site.name, timeZone },
    series: { ...series, kindLabel: GROUP_KINDS[series.kind as GroupKind] ?? series.kind },
    sessions: sessions.map((s) => ({
      id: s.id,
      date: s.local_date,
      time: instantRange(s.starts_at, s.ends_at, timeZone),
      status: s.status,
      patients: s.patients,
      capacity: s.capacity,
      room: s.room_name,
      changed: s.version > 1,
    })),
    options,
  };
}

export async function action(args: ActionFunctionArgs) {
  const { db, user, site, meta } = await requireSiteUser(args, "manage:program");
  const id = args.params.seriesId ?? "";
  const submission = parseWithZod(await args.request.formData(), { schema: UpdateSeriesSchema });
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  const result = await updateSeries(db, user, id, submission.value, site, meta);
  if (!result.ok) return data(refusedReply(submission, result), { status: result.status });
  const parts = [`${result.updated} updated`, result.added ? `${result.added} added` : null, result.removed ? `${result.removed} removed` : null]
    .filter(Boolean)
    .join(", ");
  return redirectWithToast(`/admin/program/groups/${id}`, `${submission.value.title} saved. Future sessions: ${parts}. Past sessions are unchanged.`);
}

export default function SeriesPage() {
  const { site, series, sessions, options } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const navigation = useNavigation();
  const [form, fields] = useSchemaForm(UpdateSeriesSchema, {
    id: `series-${series.version}`,
    lastResult,
    defaultValue: {
      title: series.title,
      kind: series.kind,
      trackId: series.track_id ?? "",
      modality: series.modality,
      facilitatorId: series.facilitator_id,
      coFacilitatorId: series.co_facilitator_id ?? "",
      roomId: series.room_id ?? "",
      capacity: String(series.capacity),
      days: series.days,
      startTime: series.start_time,
      endTime: series.end_time,
      endsOn: series.ends_on ?? "",
      autoEnroll: series.autoEnroll ? "yes" : undefined,
    },
  });
  return (
    <Stack gap="lg" maw={960}>
      <PageHeading back={{ to: "/admin/program", label: "Program setup" }} title={series.title}>
        {series.kindLabel} · {series.track_name ?? "Open group"} · {dayList(series.days)} {timeRange(series.start_time, series.end_time)} · since{" "}
        {shortDate(series.starts_on)}
        {series.ends_on ? ` · last ${shortDate(series.ends_on)}` : ""}
      </PageHeading>

      <Paper withBorder p="lg">
        <Title order={2} size="h3" mb={4}>
          Change this group
        </Title>
        <Text size="sm" c="dimmed" mb="md">
          Changes apply to sessions from now on; sessions already held stay as they were, and a session you moved or cancelled on its own keeps that. Times are
          in {site.timeZone}.
        </Text>
        <IntentForm
          form={form}
          intent="update"
          version={series.version}
          errorsTitle="Not saved"
          submit="Save changes to future sessions"
          button={{ loading: navigation.state === "submitting" }}
        >
          <SeriesFields fields={fields} options={options} />
        </IntentForm>
      </Paper>

      <SectionCard title="Coming sessions">
        <SeriesSessionsTable sessions={sessions} />
      </SectionCard>
    </Stack>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}

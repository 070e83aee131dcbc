import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { Anchor, Badge, Button, Card, Paper, Stack, Table, Text, Title } from "@mantine/core";
import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { RouteErrorBoundary } from "~/components/error-boundary";
import { FormErrors } from "~/components/form-errors";
import { requireUser } from "~/features/auth/guard.server";
import { counselorsAt } from "~/features/patients/patients.server";
import { SeriesFields } from "~/features/scheduling/components/series-fields";
import { getSeries, seriesSessionsFrom, updateSeries } from "~/features/scheduling/groups.server";
import { listRooms, listTracks } from "~/features/scheduling/program.server";
import { dayList } from "~/features/scheduling/rules";
import { UpdateSeriesSchema } from "~/features/scheduling/schemas";
import { localClock, longDate } from "~/kernel/time";
import { GROUP_KINDS, type GroupKind } from "~/features/scheduling/vocabulary";
import { refusedReply } from "~/utils/forms.server";
import { toastHeader } from "~/kernel/toast.server";

export const meta: MetaFunction<typeof loader> = ({ data: d }) => [{ title: `${d?.series.title ?? "Group"} · Program setup · IOP Dashboard` }];

export async function loader(args: LoaderFunctionArgs) {
  const { db, site } = await requireUser(args, "manage:program");
  if (!site) throw data({ message: "You are not assigned to a site." }, { status: 404 });
  const series = await getSeries(db, args.params.seriesId ?? "", site.id);
  if (!series) throw data({ message: "There is no such group at your site." }, { status: 404 });
  const [tracks, rooms, people, sessions] = await Promise.all([
    listTracks(db, site.id),
    listRooms(db, site.id),
    counselorsAt(db, [site.id]),
    seriesSessionsFrom(db, series.id, new Date().toISOString()),
  ]);
  return {
    site: { name: site.name, timeZone: site.time_zone },
    series: { ...series, kindLabel: GROUP_KINDS[series.kind as GroupKind] ?? series.kind },
    sessions: sessions.map((s) => ({
      id: s.id,
      date: s.local_date,
      time: `${localClock(s.starts_at, site.time_zone)}–${localClock(s.ends_at, site.time_zone)}`,
      status: s.status,
      patients: s.patients,
      capacity: s.capacity,
      room: s.room_name,
      changed: s.version > 1,
    })),
    options: {
      // A retired track or room stays choosable while this group still uses it.
      tracks: tracks.filter((t) => t.active || t.id === series.track_id).map((t) => ({ value: t.id, label: `${t.name} (${t.level_of_care})` })),
      rooms: rooms.filter((r) => r.active || r.id === series.room_id).map((r) => ({ value: r.id, label: `${r.name} — holds ${r.capacity}` })),
      people: people.map((p) => ({ value: p.id, label: p.name })),
    },
  };
}

export async function action(args: ActionFunctionArgs) {
  const { db, user, site, meta } = await requireUser(args, "manage:program");
  if (!site) throw data({ message: "You are not assigned to a site." }, { status: 404 });
  const id = args.params.seriesId ?? "";
  const submission = parseWithZod(await args.request.formData(), { schema: UpdateSeriesSchema });
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  const result = await updateSeries(db, user, id, submission.value, site, meta);
  if (!result.ok) return data(refusedReply(submission, result), { status: result.status });
  const parts = [`${result.updated} updated`, result.added ? `${result.added} added` : null, result.removed ? `${result.removed} removed` : null]
    .filter(Boolean)
    .join(", ");
  return redirect(`/admin/program/groups/${id}`, {
    headers: {
      "Set-Cookie": await toastHeader({ kind: "success", message: `${submission.value.title} saved. Future sessions: ${parts}. Past sessions are unchanged.` }),
    },
  });
}

export default function SeriesPage() {
  const { site, series, sessions, options } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const navigation = useNavigation();
  const [form, fields] = useForm({
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
    onValidate: ({ formData }) => parseWithZod(formData, { schema: UpdateSeriesSchema }),
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
  });
  return (
    <Stack gap="lg" maw={960}>
      <div>
        <Anchor component={Link} to="/admin/program" size="sm">
          ← Program setup
        </Anchor>
        <Title order={1}>{series.title}</Title>
        <Text c="dimmed">
          {series.kindLabel} · {series.track_name ?? "Open group"} · {dayList(series.days)} {series.start_time}–{series.end_time} · since{" "}
          {longDate(series.starts_on)}
          {series.ends_on ? ` · last ${longDate(series.ends_on)}` : ""}
        </Text>
      </div>

      <Paper withBorder p="lg">
        <Title order={2} size="h3" mb={4}>
          Change this group
        </Title>
        <Text size="sm" c="dimmed" mb="md">
          Changes apply to sessions from now on; sessions already held stay as they were, and a session you moved or cancelled on its own keeps that. Times are
          in {site.timeZone}.
        </Text>
        <Form method="post" {...getFormProps(form)}>
          <input type="hidden" name="intent" value="update" />
          <input type="hidden" name="version" value={series.version} />
          <Stack>
            <FormErrors errors={form.errors} title="Not saved" />
            <SeriesFields fields={fields} options={options} />
            <div>
              <Button type="submit" loading={navigation.state === "submitting"}>
                Save changes to future sessions
              </Button>
            </div>
          </Stack>
        </Form>
      </Paper>

      <Card withBorder>
        <Title order={2} size="h3" mb="xs">
          Coming sessions
        </Title>
        {sessions.length === 0 ? (
          <Text size="sm" c="dimmed">
            No sessions ahead. Clear the last date to let the group go on.
          </Text>
        ) : (
          <Table fz="sm" striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Date</Table.Th>
                <Table.Th>Time</Table.Th>
                <Table.Th>Room</Table.Th>
                <Table.Th>Roster</Table.Th>
                <Table.Th>Status</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {sessions.map((s) => (
                <Table.Tr key={s.id}>
                  <Table.Td>
                    <Anchor component={Link} to={`/schedule/sessions/${s.id}`}>
                      {longDate(s.date)}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>{s.time}</Table.Td>
                  <Table.Td>{s.room ?? "Telehealth"}</Table.Td>
                  <Table.Td>
                    {s.patients} of {s.capacity}
                  </Table.Td>
                  <Table.Td>
                    {s.status === "cancelled" ? (
                      <Badge color="gray">Cancelled</Badge>
                    ) : s.changed ? (
                      <Badge variant="light">Changed on its own</Badge>
                    ) : (
                      "Scheduled"
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Card>
    </Stack>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}

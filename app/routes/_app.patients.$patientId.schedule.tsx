import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { Anchor, Badge, Button, Card, Group, List, Paper, SimpleGrid, Stack, Table, Text, Title } from "@mantine/core";
import { type ActionFunctionArgs, data, type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { RouteErrorBoundary } from "~/components/error-boundary";
import { FormErrors } from "~/components/form-errors";
import { DateField, SelectField } from "~/components/form-fields";
import { can } from "~/features/auth/permissions";
import { requirePatient } from "~/features/patients/access.server";
import { type LevelOfCare } from "~/features/patients/rules";
import { assignTrack } from "~/features/scheduling/enrollment.server";
import { trackChoices } from "~/features/scheduling/program.server";
import { hourRequirement } from "~/features/scheduling/rules";
import { TrackMoveSchema } from "~/features/scheduling/schemas";
import { longDate } from "~/kernel/time";
import { clockRange, patientSchedule, trackHistory } from "~/features/scheduling/views.server";
import { refusedReply } from "~/utils/forms.server";
import { toastHeader } from "~/kernel/toast.server";

export async function loader(args: LoaderFunctionArgs) {
  const { db, user, patientId, header, canWrite, today, clinical } = await requirePatient(args, "read:patients", "schedule");
  const tz = header.timeZone;
  const [schedule, history, tracks] = await Promise.all([
    patientSchedule(db, patientId, today, tz, 4),
    trackHistory(db, patientId),
    canWrite ? trackChoices(db, [header.siteId]) : [],
  ]);
  const open = header.identity.status !== "discharged";
  const requirement = clinical && open ? hourRequirement(header.clinical.levelOfCare as LevelOfCare, header.clinical.adolescent) : null;
  return {
    patientId,
    today,
    timeZone: tz,
    open,
    canWrite: canWrite && open,
    canBook: can(user.role, "book:sessions") && open,
    version: header.clinical.version,
    track: header.identity.track,
    history,
    tracks: tracks.filter((t) => t.value !== header.identity.trackId).map(({ value, label }) => ({ value, label })),
    level: clinical ? { level: header.clinical.levelOfCare, adolescent: header.clinical.adolescent } : null,
    requirement,
    weeks: schedule.weekly.map((w) => ({
      ...w,
      meets: requirement ? (requirement.min === null || w.hours >= requirement.min) && (requirement.max === null || w.hours < requirement.max) : null,
    })),
    sessions: schedule.sessions
      .filter((s) => s.endsAt > new Date().toISOString())
      .map((s) => ({
        id: s.id,
        date: s.date,
        time: clockRange(s, tz),
        title: s.title,
        kindLabel: s.kindLabel,
        where: s.where,
        facilitator: s.facilitator,
        cancelled: s.cancelled,
        viaTrack: s.viaTrack,
      })),
  };
}

export async function action(args: ActionFunctionArgs) {
  const { db, user, patientId, sites, meta } = await requirePatient(args, "write:patients", null);
  const submission = parseWithZod(await args.request.formData(), { schema: TrackMoveSchema });
  if (submission.status !== "success") return data({ reply: submission.reply(), left: [] as string[] }, { status: 400 });
  const result = await assignTrack(
    db,
    user,
    patientId,
    submission.value,
    sites.map((s) => s.id),
    meta,
  );
  if (!result.ok) return data({ reply: refusedReply(submission, result), left: [] as string[] }, { status: result.status });
  const left = result.left.length
    ? ` Left ${result.left.length} ${result.left.length === 1 ? "session" : "sessions"}: ${result.left.slice(0, 3).join("; ")}${result.left.length > 3 ? "; …" : ""}.`
    : "";
  return redirect(`/patients/${patientId}/schedule`, {
    headers: {
      "Set-Cookie": await toastHeader({
        kind: "success",
        message: `Track changed from ${submission.value.effectiveOn}; on ${result.joined} coming group ${result.joined === 1 ? "session" : "sessions"}.${left}`,
      }),
    },
  });
}

export default function PatientSchedule() {
  const d = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const [form, fields] = useForm({
    id: `track-${d.version}`,
    lastResult: actionData?.reply,
    defaultValue: { effectiveOn: d.today },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: TrackMoveSchema }),
    shouldValidate: "onSubmit",
  });
  return (
    <Stack gap="md">
      {d.requirement ? (
        <Card withBorder>
          <Group justify="space-between" align="flex-start" mb="xs">
            <div>
              <Title order={2} size="h3">
                Scheduled hours
              </Title>
              <Text size="sm" c="dimmed">
                {d.level?.adolescent ? "Adolescent" : "Adult"} {d.level?.level}: {d.requirement.label} (ASAM). Counts the sessions they are on, not attendance.
              </Text>
            </div>
          </Group>
          <SimpleGrid cols={{ base: 2, sm: 4 }}>
            {d.weeks.map((w) => (
              <Paper key={w.monday} withBorder p="sm" aria-label={`Week of ${longDate(w.monday)}`}>
                <Text size="xs" c="dimmed">
                  Week of {longDate(w.monday)}
                </Text>
                <Text fw={700} size="xl">
                  {w.hours} h
                </Text>
                <Text size="xs">
                  {w.sessions} {w.sessions === 1 ? "session" : "sessions"}
                </Text>
                {w.meets === false ? (
                  <Badge color="orange" variant="light" mt={4}>
                    {d.requirement && d.requirement.min !== null && w.hours < d.requirement.min ? "Below level of care" : "Above level of care"}
                  </Badge>
                ) : (
                  <Badge color="teal" variant="light" mt={4}>
                    Meets level of care
                  </Badge>
                )}
              </Paper>
            ))}
          </SimpleGrid>
        </Card>
      ) : null}

      <Card withBorder>
        <Group justify="space-between" mb="xs">
          <Title order={2} size="h3">
            Coming sessions
          </Title>
          {d.canBook ? (
            <Button component={Link} to={`/schedule/book?patient=${d.patientId}`} variant="light" size="xs">
              Book an individual or family session
            </Button>
          ) : null}
        </Group>
        {d.sessions.length === 0 ? (
          <Text size="sm" c="dimmed">
            {d.open ? "Not on any session in the next four weeks. Put them in a track or book a session." : "Discharged: no sessions ahead."}
          </Text>
        ) : (
          <Table fz="sm" striped aria-label="Coming sessions">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Date</Table.Th>
                <Table.Th>Time</Table.Th>
                <Table.Th>Session</Table.Th>
                <Table.Th>Where</Table.Th>
                <Table.Th>With</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {d.sessions.map((s) => (
                <Table.Tr key={s.id} style={s.cancelled ? { opacity: 0.65 } : undefined}>
                  <Table.Td>{longDate(s.date)}</Table.Td>
                  <Table.Td>{s.time}</Table.Td>
                  <Table.Td>
                    <Anchor component={Link} to={`/schedule/sessions/${s.id}`} td={s.cancelled ? "line-through" : undefined}>
                      {s.title}
                    </Anchor>
                    {s.cancelled ? (
                      <Badge size="xs" color="gray" ml="xs">
                        Cancelled
                      </Badge>
                    ) : null}
                  </Table.Td>
                  <Table.Td>{s.where}</Table.Td>
                  <Table.Td>{s.facilitator}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Card>

      <SimpleGrid cols={{ base: 1, md: d.canWrite ? 2 : 1 }}>
        <Card withBorder>
          <Title order={2} size="h3" mb="xs">
            Track
          </Title>
          <Text mb="xs">{d.track ? <b>{d.track}</b> : "Not in a track."}</Text>
          {d.history.length ? (
            <List size="sm" spacing={4}>
              {d.history.map((h) => (
                <List.Item key={h.id}>
                  {h.name}: {h.starts_on} – {h.ends_on ?? "now"}
                  {h.end_reason ? ` (${h.end_reason})` : ""}
                </List.Item>
              ))}
            </List>
          ) : null}
        </Card>
        {d.canWrite ? (
          <Paper withBorder p="lg">
            <Title order={2} size="h3" mb="xs">
              {d.track ? "Move to another track" : "Put in a track"}
            </Title>
            <Form method="post" {...getFormProps(form)}>
              <input type="hidden" name="intent" value="move-track" />
              <input type="hidden" name="version" value={d.version} />
              <Stack>
                <FormErrors errors={form.errors} title="Not moved" />
                <SelectField field={fields.trackId} label="Track" options={d.tracks} required />
                <DateField field={fields.effectiveOn} label="From" required />
                <Text size="xs" c="dimmed">
                  They leave the coming sessions of their current track's groups and join the new track's from this date. Past sessions stay as they were.
                </Text>
                <div>
                  <Button type="submit" loading={navigation.state === "submitting"}>
                    {d.track ? "Move track" : "Put in track"}
                  </Button>
                </div>
              </Stack>
            </Form>
          </Paper>
        ) : null}
      </SimpleGrid>
    </Stack>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}

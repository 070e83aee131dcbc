import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { Anchor, Badge, Button, Card, Group, Paper, SimpleGrid, Stack, Table, Text, Title } from "@mantine/core";
import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { TextField } from "~/components/form-fields";
import { RouteErrorBoundary } from "~/components/error-boundary";
import { requireUser } from "~/features/auth/guard.server";
import { TrackFields } from "~/features/scheduling/components/track-fields";
import { listSeries } from "~/features/scheduling/groups.server";
import { createRoom, createTrack, listRooms, listTracks } from "~/features/scheduling/program.server";
import { minutesBetween } from "~/kernel/time";
import { dayList, hourRequirement } from "~/features/scheduling/rules";
import { CreateRoomSchema, CreateTrackSchema } from "~/features/scheduling/schemas";
import { refusedReply } from "~/utils/forms.server";
import { toastHeader } from "~/kernel/toast.server";
import { FormErrors } from "~/components/form-errors";

export const meta: MetaFunction = () => [{ title: "Program setup · IOP Dashboard" }];

export async function loader(args: LoaderFunctionArgs) {
  const { db, site } = await requireUser(args, "manage:program");
  if (!site) throw data({ message: "You are not assigned to a site." }, { status: 404 });
  const [tracks, rooms, series] = await Promise.all([listTracks(db, site.id), listRooms(db, site.id), listSeries(db, site.id)]);
  return { site: { name: site.name, timeZone: site.time_zone }, tracks, rooms, series };
}

export async function action(args: ActionFunctionArgs) {
  const { db, user, site, meta } = await requireUser(args, "manage:program");
  if (!site) throw data({ message: "You are not assigned to a site." }, { status: 404 });
  const formData = await args.request.formData();
  if (formData.get("intent") === "create-room") {
    const submission = parseWithZod(formData, { schema: CreateRoomSchema });
    if (submission.status !== "success") return data({ intent: "create-room", reply: submission.reply() }, { status: 400 });
    const result = await createRoom(db, user, site.id, submission.value, meta);
    if (!result.ok) return data({ intent: "create-room", reply: refusedReply(submission, result) }, { status: result.status });
    return redirect("/admin/program", { headers: { "Set-Cookie": await toastHeader({ kind: "success", message: `Room ${submission.value.name} added.` }) } });
  }
  const submission = parseWithZod(formData, { schema: CreateTrackSchema });
  if (submission.status !== "success") return data({ intent: "create-track", reply: submission.reply() }, { status: 400 });
  const result = await createTrack(db, user, site, submission.value, meta);
  if (!result.ok) return data({ intent: "create-track", reply: refusedReply(submission, result) }, { status: result.status });
  return redirect("/admin/program", { headers: { "Set-Cookie": await toastHeader({ kind: "success", message: `Track ${submission.value.name} added.` }) } });
}

function weeklyHours(days: string[], start: string, end: string) {
  return (days.length * minutesBetween(start, end)) / 60;
}

export default function ProgramSetup() {
  const { site, tracks, rooms, series } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const [trackForm, trackFields] = useForm({
    id: `track-${tracks.length}`,
    lastResult: actionData?.intent === "create-track" ? actionData.reply : undefined,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: CreateTrackSchema }),
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
  });
  const [roomForm, roomFields] = useForm({
    id: `room-${rooms.length}`,
    lastResult: actionData?.intent === "create-room" ? actionData.reply : undefined,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: CreateRoomSchema }),
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
  });
  return (
    <Stack gap="lg">
      <div>
        <Title order={1}>Program setup</Title>
        <Text c="dimmed">
          Tracks and rooms at {site.name}. Times are local to the site ({site.timeZone}), so a 09:00 track stays at 09:00 when the clocks change.
        </Text>
      </div>

      <Card withBorder>
        <Title order={2} size="h3" mb="xs">
          Tracks
        </Title>
        {tracks.length === 0 ? (
          <Text c="dimmed">No tracks yet. Add the program's first below.</Text>
        ) : (
          <Table fz="sm" striped aria-label="Tracks">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Track</Table.Th>
                <Table.Th>Level</Table.Th>
                <Table.Th>Meets</Table.Th>
                <Table.Th>Hours a week</Table.Th>
                <Table.Th>Status</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {tracks.map((t) => {
                const hours = weeklyHours(t.days, t.start_time, t.end_time);
                const need = hourRequirement(t.level_of_care as "IOP" | "PHP" | "OP", false);
                const short = need.min !== null && hours < need.min;
                return (
                  <Table.Tr key={t.id}>
                    <Table.Td>
                      <Anchor component={Link} to={`/admin/program/tracks/${t.id}`}>
                        {t.name}
                      </Anchor>
                    </Table.Td>
                    <Table.Td>{t.level_of_care}</Table.Td>
                    <Table.Td>
                      {dayList(t.days)} · {t.start_time}–{t.end_time}
                    </Table.Td>
                    <Table.Td>
                      {hours}{" "}
                      {short ? (
                        <Badge color="orange" variant="light" size="sm" tt="none">
                          below the adult {t.level_of_care} minimum of {need.min}
                        </Badge>
                      ) : null}
                    </Table.Td>
                    <Table.Td>
                      {t.active ? (
                        "Active"
                      ) : (
                        <Badge color="gray" variant="light" size="sm">
                          Retired
                        </Badge>
                      )}
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        )}
      </Card>

      <Card withBorder>
        <Group justify="space-between" mb="xs">
          <Title order={2} size="h3">
            Group series
          </Title>
          <Button component={Link} to="/admin/program/groups/new" size="xs" variant="light">
            Add a group series
          </Button>
        </Group>
        {series.length === 0 ? (
          <Text c="dimmed">No recurring groups yet.</Text>
        ) : (
          <Table fz="sm" striped aria-label="Group series">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Group</Table.Th>
                <Table.Th>Track</Table.Th>
                <Table.Th>Meets</Table.Th>
                <Table.Th>Facilitator</Table.Th>
                <Table.Th>Room</Table.Th>
                <Table.Th>Capacity</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {series.map((g) => (
                <Table.Tr key={g.id}>
                  <Table.Td>
                    <Anchor component={Link} to={`/admin/program/groups/${g.id}`} fw={700}>
                      {g.title}
                    </Anchor>
                    <Text size="xs" c="dimmed">
                      {g.kindLabel}
                    </Text>
                  </Table.Td>
                  <Table.Td>{g.track_name ?? "Open"}</Table.Td>
                  <Table.Td>
                    {dayList(g.days)} · {g.start_time}–{g.end_time}
                  </Table.Td>
                  <Table.Td>{g.facilitator_name}</Table.Td>
                  <Table.Td>{g.room_name ?? "Telehealth"}</Table.Td>
                  <Table.Td>{g.capacity}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Card>

      <SimpleGrid cols={{ base: 1, lg: 2 }}>
        <Paper withBorder p="lg" key={`t-${tracks.length}`}>
          <Title order={2} size="h3" mb="xs">
            Add a track
          </Title>
          <Form method="post" {...getFormProps(trackForm)}>
            <input type="hidden" name="intent" value="create-track" />
            <Stack>
              <FormErrors errors={trackForm.errors} />
              <TrackFields fields={trackFields} />
              <div>
                <Button type="submit" loading={navigation.state === "submitting"}>
                  Add track
                </Button>
              </div>
            </Stack>
          </Form>
        </Paper>

        <Stack>
          <Card withBorder>
            <Title order={2} size="h3" mb="xs">
              Rooms
            </Title>
            {rooms.length === 0 ? (
              <Text c="dimmed">No rooms yet. Telehealth sessions need none.</Text>
            ) : (
              <Table fz="sm" striped aria-label="Rooms">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Room</Table.Th>
                    <Table.Th>Capacity</Table.Th>
                    <Table.Th>Status</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {rooms.map((r) => (
                    <Table.Tr key={r.id}>
                      <Table.Td>
                        <Anchor component={Link} to={`/admin/program/rooms/${r.id}`}>
                          {r.name}
                        </Anchor>
                      </Table.Td>
                      <Table.Td>{r.capacity}</Table.Td>
                      <Table.Td>
                        {r.active ? (
                          "Active"
                        ) : (
                          <Badge color="gray" variant="light" size="sm">
                            Retired
                          </Badge>
                        )}
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            )}
          </Card>
          <Paper withBorder p="lg" key={`r-${rooms.length}`}>
            <Title order={2} size="h3" mb="xs">
              Add a room
            </Title>
            <Form method="post" {...getFormProps(roomForm)}>
              <input type="hidden" name="intent" value="create-room" />
              <Stack>
                <FormErrors errors={roomForm.errors} />
                <Group align="flex-start">
                  <TextField field={roomFields.name} label="Room name" required autoComplete="off" />
                  <TextField field={roomFields.capacity} label="Capacity" type="number" min={1} required w={120} />
                </Group>
                <div>
                  <Button type="submit" variant="light">
                    Add room
                  </Button>
                </div>
              </Stack>
            </Form>
          </Paper>
        </Stack>
      </SimpleGrid>
    </Stack>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}

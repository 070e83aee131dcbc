import { parseWithZod } from "@conform-to/zod/v4";
import { Anchor, Button, Card, Group, Paper, SimpleGrid, Stack, Text, Title } from "@mantine/core";
import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { RouteErrorBoundary } from "~/components/error-boundary";
import { useSchemaForm } from "~/components/schema-form";
import { requireSiteUser } from "~/features/auth/guard.server";
import { IntentForm } from "~/features/scheduling/components/intent-form";
import { RoomsTable, SeriesTable, TracksTable } from "~/features/scheduling/components/program-tables";
import { RoomFields } from "~/features/scheduling/components/room-fields";
import { TrackFields } from "~/features/scheduling/components/track-fields";
import { listSeries } from "~/features/scheduling/groups.server";
import { createRoom, createTrack, listRooms, listTracks } from "~/features/scheduling/program.server";
import { CreateRoomSchema, CreateTrackSchema, ProgramSetupSchema } from "~/features/scheduling/schemas";
import { redirectWithToast } from "~/kernel/http.server";
import { refusedReply } from "~/utils/forms.server";
import { SectionCard } from "~/components/section-card";

export const meta: MetaFunction = () => [{ title: "Program setup · IOP Dashboard" }];

export async function loader(args: LoaderFunctionArgs) {
  const { db, site, timeZone } = await requireSiteUser(args, "manage:program");
  const [tracks, rooms, series] = await Promise.all([listTracks(db, site.id), listRooms(db, site.id), listSeries(db, site.id)]);
  return { site: { name: site.name, timeZone }, tracks, rooms, series };
}

export async function action(args: ActionFunctionArgs) {
  const { db, user, site, meta } = await requireSiteUser(args, "manage:program");
  const submission = parseWithZod(await args.request.formData(), { schema: ProgramSetupSchema });
  const intent = submission.payload.intent === "create-room" ? "create-room" : "create-track";
  if (submission.status !== "success") return data({ intent, reply: submission.reply() }, { status: 400 });
  const v = submission.value;
  const result = v.intent === "create-room" ? await createRoom(db, user, site.id, v, meta) : await createTrack(db, user, site, v, meta);
  if (!result.ok) return data({ intent, reply: refusedReply(submission, result) }, { status: result.status });
  return redirectWithToast("/admin/program", `${v.intent === "create-room" ? "Room" : "Track"} ${v.name} added.`);
}

export default function ProgramSetup() {
  const { site, tracks, rooms, series } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const [trackForm, trackFields] = useSchemaForm(CreateTrackSchema, {
    id: `track-${tracks.length}`,
    lastResult: actionData?.intent === "create-track" ? actionData.reply : undefined,
  });
  const [roomForm, roomFields] = useSchemaForm(CreateRoomSchema, {
    id: `room-${rooms.length}`,
    lastResult: actionData?.intent === "create-room" ? actionData.reply : undefined,
  });
  return (
    <Stack gap="lg">
      <div>
        <Title order={1}>Program setup</Title>
        <Text c="dimmed">
          Tracks and rooms at {site.name}. Times are local to the site ({site.timeZone}), so a 9:00 AM track stays at 9:00 AM when the clocks change.
        </Text>
        <Anchor component={Link} to="/admin/program/asam" size="sm">
          ASAM assessments: which edition names the dimensions
        </Anchor>
        <br />
        <Anchor component={Link} to="/admin/program/measures" size="sm">
          Standardized measures: how often they are repeated
        </Anchor>
        <br />
        <Anchor component={Link} to="/admin/program/plans" size="sm">
          Treatment plans: how often they are reviewed
        </Anchor>
        <br />
        <Anchor component={Link} to="/admin/program/notes" size="sm">
          Progress notes: format, late entries and billing
        </Anchor>
        <br />
        <Anchor component={Link} to="/admin/payers" size="sm">
          Payers: who pays for care, and their electronic payer ids
        </Anchor>
      </div>

      <SectionCard title="Tracks">
        <TracksTable tracks={tracks} />
      </SectionCard>

      <Card withBorder>
        <Group justify="space-between" mb="xs">
          <Title order={2} size="h3">
            Group series
          </Title>
          <Button component={Link} to="/admin/program/groups/new" size="xs" variant="light">
            Add a group series
          </Button>
        </Group>
        <SeriesTable series={series} />
      </Card>

      <SimpleGrid cols={{ base: 1, lg: 2 }}>
        <Paper withBorder p="lg" key={`t-${tracks.length}`}>
          <Title order={2} size="h3" mb="xs">
            Add a track
          </Title>
          <IntentForm form={trackForm} intent="create-track" submit="Add track" button={{ loading: navigation.state === "submitting" }}>
            <TrackFields fields={trackFields} />
          </IntentForm>
        </Paper>

        <Stack>
          <SectionCard title="Rooms">
            <RoomsTable rooms={rooms} />
          </SectionCard>
          <Paper withBorder p="lg" key={`r-${rooms.length}`}>
            <Title order={2} size="h3" mb="xs">
              Add a room
            </Title>
            <IntentForm form={roomForm} intent="create-room" submit="Add room" button={{ variant: "light" }}>
              <RoomFields fields={roomFields} />
            </IntentForm>
          </Paper>
        </Stack>
      </SimpleGrid>
    </Stack>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}

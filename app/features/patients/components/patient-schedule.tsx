import { type SubmissionResult, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { Anchor, Badge, Button, Card, Group, List, Paper, SimpleGrid, Text, Title } from "@mantine/core";
import { Link, useNavigation } from "@remix-run/react";
import { DateField, SelectField } from "~/components/form-fields";
import { RowsTable } from "~/components/rows-table";
import type { hourRequirement } from "~/features/scheduling/rules";
import { ConfirmAlert } from "~/features/scheduling/components/confirm-alert";
import { TrackMoveSchema } from "~/features/scheduling/schemas";
import { longDate, dateRange, formatDuration } from "~/kernel/time";
import { ChartForm } from "./chart-form";

type Requirement = NonNullable<ReturnType<typeof hourRequirement>>;

/** Scheduled hours a week against the hours the level of care asks for (ASAM). */
export function ScheduledHours({
  level,
  requirement,
  weeks,
}: {
  level: { level: string; adolescent: boolean } | null;
  requirement: Requirement;
  weeks: { monday: string; minutes: number; sessions: number; meets: boolean | null }[];
}) {
  return (
    <Card withBorder>
      <Group justify="space-between" align="flex-start" mb="xs">
        <div>
          <Title order={2} size="h3">
            Scheduled hours
          </Title>
          <Text size="sm" c="dimmed">
            {level?.adolescent ? "Adolescent" : "Adult"} {level?.level}: {requirement.label} (ASAM). Counts the sessions they are on, not attendance.
          </Text>
        </div>
      </Group>
      <SimpleGrid cols={{ base: 2, sm: 4 }}>
        {weeks.map((w) => (
          <Paper key={w.monday} withBorder p="sm" aria-label={`Week of ${longDate(w.monday)}`}>
            <Text size="xs" c="dimmed">
              Week of {longDate(w.monday)}
            </Text>
            <Text fw={700} size="xl">
              {formatDuration(w.minutes)}
            </Text>
            <Text size="xs">
              {w.sessions} {w.sessions === 1 ? "session" : "sessions"}
            </Text>
            {w.meets === false ? (
              <Badge color="orange" variant="light" mt={4}>
                {requirement && requirement.min !== null && w.minutes < requirement.min * 60 ? "Below level of care" : "Above level of care"}
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
  );
}

export interface ComingSession {
  id: string;
  date: string;
  time: string;
  title: string;
  where: string;
  facilitator: string;
  cancelled: boolean;
}

/** The sessions a patient is on in the coming weeks, and where to book another. */
export function ComingSessions({
  patientId,
  open,
  canBook,
  sessions,
  linkSessions = true,
}: {
  patientId: string;
  open: boolean;
  canBook: boolean;
  sessions: ComingSession[];
  /** False for a role without the schedule (billing): titles are text, not links it cannot open. */
  linkSessions?: boolean;
}) {
  return (
    <Card withBorder>
      <Group justify="space-between" mb="xs">
        <Title order={2} size="h3">
          Coming sessions
        </Title>
        {canBook ? (
          <Button component={Link} to={`/schedule/book?patient=${patientId}`} variant="light" size="xs">
            Book an individual or family session
          </Button>
        ) : null}
      </Group>
      {sessions.length === 0 ? (
        <Text size="sm" c="dimmed">
          {open ? "Not on any session in the next four weeks. Put them in a track or book a session." : "Discharged: no sessions ahead."}
        </Text>
      ) : (
        <RowsTable
          label="Coming sessions"
          rows={sessions}
          rowKey={(s) => s.id}
          rowStyle={(s) => (s.cancelled ? { opacity: 0.65 } : undefined)}
          columns={[
            { title: "Date", cell: (s) => longDate(s.date) },
            { title: "Time", cell: (s) => s.time },
            {
              title: "Session",
              cell: (s) => (
                <>
                  {linkSessions ? (
                    <Anchor component={Link} to={`/schedule/sessions/${s.id}`} td={s.cancelled ? "line-through" : undefined}>
                      {s.title}
                    </Anchor>
                  ) : (
                    <Text span size="sm" td={s.cancelled ? "line-through" : undefined}>
                      {s.title}
                    </Text>
                  )}
                  {s.cancelled ? (
                    <Badge size="xs" color="gray" ml="xs">
                      Cancelled
                    </Badge>
                  ) : null}
                </>
              ),
            },
            { title: "Where", cell: (s) => s.where },
            { title: "With", cell: (s) => s.facilitator },
          ]}
        />
      )}
    </Card>
  );
}

/** The patient's track, its history, and (for those who may) the form that moves them. */
export function PatientTrack({
  today,
  version,
  track,
  history,
  tracks,
  canWrite,
  lastResult,
  confirm,
}: {
  today: string;
  version: number;
  track: string | null;
  history: { id: string; name: string; starts_on: string; ends_on: string | null; end_reason: string | null }[];
  tracks: { value: string; label: string }[];
  canWrite: boolean;
  lastResult?: SubmissionResult<string[]>;
  /** The track's hours do not fit the level of care: the warning, and the track "Move anyway" confirms. */
  confirm?: { message: string; trackId: string } | null;
}) {
  const navigation = useNavigation();
  const [form, fields] = useForm({
    id: `track-${version}`,
    lastResult,
    defaultValue: { effectiveOn: today },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: TrackMoveSchema }),
    shouldValidate: "onSubmit",
  });
  return (
    <SimpleGrid cols={{ base: 1, md: canWrite ? 2 : 1 }}>
      <Card withBorder>
        <Title order={2} size="h3" mb="xs">
          Track
        </Title>
        <Text mb="xs">{track ? <b>{track}</b> : "Not in a track."}</Text>
        {history.length ? (
          <List size="sm" spacing={4}>
            {history.map((h) => (
              <List.Item key={h.id}>
                {h.name}: {dateRange(h.starts_on, h.ends_on)}
                {h.end_reason ? ` (${h.end_reason})` : ""}
              </List.Item>
            ))}
          </List>
        ) : null}
      </Card>
      {canWrite ? (
        <ChartForm
          title={track ? "Move to another track" : "Put in a track"}
          form={form}
          intent="move-track"
          version={version}
          errorsTitle="Not moved"
          submit={track ? "Move track" : "Put in track"}
          button={{ loading: navigation.state === "submitting" }}
          confirm={
            confirm ? (
              <ConfirmAlert
                title="Check the track's hours"
                message={confirm.message}
                name="confirmTrackHours"
                value={confirm.trackId}
                label={track ? "Move anyway" : "Put in track anyway"}
                loading={navigation.state === "submitting"}
              />
            ) : undefined
          }
        >
          <SelectField field={fields.trackId} label="Track" options={tracks} required />
          <DateField field={fields.effectiveOn} label="From" required />
          <Text size="xs" c="dimmed">
            They leave the coming sessions of their current track's groups and join the new track's from this date. Past sessions stay as they were.
          </Text>
        </ChartForm>
      ) : null}
    </SimpleGrid>
  );
}

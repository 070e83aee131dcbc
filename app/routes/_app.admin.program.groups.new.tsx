import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { Anchor, Button, Checkbox, Group, Paper, SimpleGrid, Stack, Text, Title } from "@mantine/core";
import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { DateField, SelectField, TextField, optional } from "~/components/form-fields";
import { RouteErrorBoundary } from "~/components/error-boundary";
import { requireUser } from "~/features/auth/guard.server";
import { counselorsAt } from "~/features/patients/patients.server";
import { createSeries } from "~/features/scheduling/groups.server";
import { listRooms, listTracks } from "~/features/scheduling/program.server";
import { WEEKDAY_LABELS, WEEKDAYS } from "~/features/scheduling/rules";
import { SeriesSchema } from "~/features/scheduling/schemas";
import { GROUP_KINDS, MODALITIES } from "~/features/scheduling/vocabulary";
import { refusedReply } from "~/utils/forms.server";
import { todayIn } from "~/utils/time";
import { toastHeader } from "~/utils/toast.server";
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
    headers: { "Set-Cookie": toastHeader({ kind: "success", message: `${submission.value.title}: ${result.sessions} sessions scheduled.` }) },
  });
}

export default function NewSeries() {
  const { site, today, tracks, rooms, people } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const navigation = useNavigation();
  const [form, fields] = useForm({
    lastResult,
    defaultValue: { startsOn: today, capacity: "12", modality: "in_person" },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: SeriesSchema }),
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
  });
  const initialDays = fields.days.initialValue;
  const days = Array.isArray(initialDays) ? (initialDays as string[]) : typeof initialDays === "string" ? [initialDays] : [];
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
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <TextField field={fields.title} label="Title" placeholder="e.g. Relapse Prevention" required autoComplete="off" />
              <SelectField field={fields.kind} label="Kind" options={GROUP_KINDS} required />
              <SelectField field={fields.trackId} label={optional("Track")} options={tracks} placeholder="No track (open group)" allowEmpty />
              <SelectField field={fields.modality} label="Modality" options={MODALITIES} required />
              <SelectField field={fields.facilitatorId} label="Facilitator" options={people} required />
              <SelectField field={fields.coFacilitatorId} label={optional("Co-facilitator")} options={people} placeholder="None" allowEmpty />
              <SelectField field={fields.roomId} label="Room" options={rooms} description="Not needed for telehealth." placeholder="No room (telehealth)" allowEmpty />
              <TextField field={fields.capacity} label="Capacity" type="number" min={1} required w={140} />
            </SimpleGrid>
            <Checkbox.Group label="Meets on" defaultValue={days} error={fields.days.errors?.join(" ")}>
              <Group mt={6} gap="md">
                {WEEKDAYS.map((d) => (
                  <Checkbox key={d} name={fields.days.name} value={d} label={WEEKDAY_LABELS[d]} />
                ))}
              </Group>
            </Checkbox.Group>
            <Group align="flex-start">
              <TextField field={fields.startTime} label="Starts at" type="time" required w={160} />
              <TextField field={fields.endTime} label="Ends at" type="time" required w={160} />
              <DateField field={fields.startsOn} label="First date" required />
              <DateField field={fields.endsOn} label={optional("Last date")} />
            </Group>
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

import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { Anchor, Button, Group, Paper, Select, SimpleGrid, Stack, Text, Title } from "@mantine/core";
import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useState } from "react";
import { RouteErrorBoundary } from "~/components/error-boundary";
import { FormErrors } from "~/components/form-errors";
import { DateField, SelectField, TextField, optional } from "~/components/form-fields";
import { requireSiteUser } from "~/features/auth/guard.server";
import { counselorsAt } from "~/features/patients/patients.server";
import { bookAppointment } from "~/features/scheduling/appointments.server";
import { patientOptions, roomOptions } from "~/features/scheduling/options.server";
import { AppointmentSchema, FAMILY_ROWS } from "~/features/scheduling/schemas";
import { APPOINTMENT_KINDS, APPROACHES, DURATIONS, longDate } from "~/features/scheduling/vocabulary";
import { refusedReply } from "~/utils/forms.server";
import { redirectWithToast } from "~/kernel/http.server";

export const meta: MetaFunction = () => [{ title: "Book a session · IOP Dashboard" }];

const REPEATS = [{ value: "1", label: "Once" }, ...[2, 4, 6, 8, 10, 12].map((n) => ({ value: String(n), label: `Weekly for ${n} weeks` }))];

export async function loader(args: LoaderFunctionArgs) {
  const { db, user, site, timeZone, today } = await requireSiteUser(args, "book:sessions");
  const [patients, rooms, people] = await Promise.all([patientOptions(db, site.id), roomOptions(db, site.id), counselorsAt(db, [site.id])]);
  const requested = new URL(args.request.url).searchParams.get("patient") ?? "";
  return {
    site: { name: site.name, timeZone },
    today,
    patients,
    rooms,
    people: people.map((p) => ({ value: p.id, label: p.name })),
    defaults: {
      patientId: patients.some((p) => p.value === requested) ? requested : "",
      kind: "individual",
      facilitatorId: people.some((p) => p.id === user.id) ? user.id : "",
      durationMinutes: "50",
      modality: "in_person",
      weeks: "1",
    },
  };
}

export async function action(args: ActionFunctionArgs) {
  const { db, user, site, meta } = await requireSiteUser(args, "book:sessions");
  const submission = parseWithZod(await args.request.formData(), { schema: AppointmentSchema });
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  const result = await bookAppointment(db, user, submission.value, site, meta);
  if (!result.ok) return data(refusedReply(submission, result), { status: result.status });
  const v = submission.value;
  const what = `${APPOINTMENT_KINDS[v.kind]} booked: ${longDate(v.date)} at ${v.startTime}${v.weeks > 1 ? `, then weekly for ${v.weeks} weeks` : ""}.`;
  return redirectWithToast(`/schedule/sessions/${result.sessionIds[0]}`, what);
}

export default function BookSession() {
  const { site, today, patients, rooms, people, defaults } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const navigation = useNavigation();
  const [form, fields] = useForm({
    lastResult,
    defaultValue: { ...defaults, date: today },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: AppointmentSchema }),
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
  });
  const [kind, setKind] = useState<string>((fields.kind.initialValue as string) || "individual");
  const [modality, setModality] = useState<string>((fields.modality.initialValue as string) || "in_person");
  const familyFields = fields as unknown as Record<string, typeof fields.patientId>;
  return (
    <Stack gap="lg" maw={860}>
      <div>
        <Anchor component={Link} to="/schedule" size="sm">
          ← Schedule
        </Anchor>
        <Title order={1}>Book a session</Title>
        <Text c="dimmed">
          An individual or family session for one patient at {site.name}, once or every week at the same time ({site.timeZone}).
        </Text>
      </div>
      <Paper withBorder p="lg">
        <Form
          method="post"
          {...getFormProps(form)}
          onChange={(e) => {
            const t = e.target as HTMLInputElement;
            if (t.name === fields.kind.name) setKind(t.value);
            if (t.name === fields.modality.name) setModality(t.value);
          }}
        >
          <Stack>
            <FormErrors errors={form.errors} title="Not booked" />
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <Select
                label="Patient"
                name={fields.patientId.name}
                data={patients}
                defaultValue={(fields.patientId.initialValue as string) || null}
                searchable
                required
                nothingFoundMessage="No patient by that name in the program"
                placeholder="Type a name or MRN"
                error={fields.patientId.errors?.join(" ")}
              />
              <SelectField field={fields.kind} label="Kind" options={APPOINTMENT_KINDS} required />
              {kind === "individual" ? <SelectField field={fields.approach} label="Approach" options={APPROACHES} required /> : null}
              <SelectField field={fields.facilitatorId} label="Counselor" options={people} required />
            </SimpleGrid>
            {kind === "family" ? (
              <Stack gap={4}>
                <Text size="sm" fw={500}>
                  Family members coming
                </Text>
                {Array.from({ length: FAMILY_ROWS }, (_, i) => (
                  <Group key={i} align="flex-start" grow>
                    <TextField field={familyFields[`familyName${i}`]} label={i === 0 ? "Name" : optional("Name")} autoComplete="off" />
                    <TextField
                      field={familyFields[`familyRelationship${i}`]}
                      label={i === 0 ? "Relationship" : optional("Relationship")}
                      placeholder="e.g. Mother, Spouse"
                      autoComplete="off"
                    />
                  </Group>
                ))}
              </Stack>
            ) : null}
            <Group align="flex-start">
              <DateField field={fields.date} label="Date" required min={today} />
              <TextField field={fields.startTime} label="Starts at" type="time" required w={150} />
              <SelectField
                field={fields.durationMinutes}
                label="Length"
                options={DURATIONS.map((m) => ({ value: String(m), label: `${m} minutes` }))}
                required
              />
              <SelectField field={fields.weeks} label="Repeats" options={REPEATS} required />
            </Group>
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <SelectField field={fields.modality} label="Where" options={{ in_person: "In person", telehealth: "Telehealth" }} required />
              {modality === "in_person" ? <SelectField field={fields.roomId} label="Room" options={rooms} required /> : null}
            </SimpleGrid>
            <div>
              <Button type="submit" loading={navigation.state === "submitting"}>
                Book session
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

import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { Anchor, Button, Paper, Select, SimpleGrid, Stack, Text, Title } from "@mantine/core";
import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useState } from "react";
import type { z } from "zod";
import { RouteErrorBoundary } from "~/components/error-boundary";
import { FormErrors } from "~/components/form-errors";
import { CheckboxField, DateField, optional, SelectField, TextareaField, TextField } from "~/components/form-fields";
import { requireUser } from "~/features/auth/guard.server";
import { collectorsAt, recordCollection } from "~/features/drug-testing/collections.server";
import { listPanels } from "~/features/drug-testing/panels.server";
import { COLLECTIONS, SPECIMENS, TEST_REASONS, URINE_TEMPERATURE_RANGE } from "~/features/drug-testing/rules";
import { collectionSchema } from "~/features/drug-testing/schemas";
import { OPEN_STATUSES } from "~/features/patients/rules";
import { isCivilDate, todayIn, localClock } from "~/kernel/time";
import { refusedReply } from "~/utils/forms.server";
import { newId } from "~/utils/ids";
import { toastHeader } from "~/kernel/toast.server";
import { recordPatientListView } from "~/features/audit/list-views.server";

export const meta: MetaFunction = () => [{ title: "Record a collection · Drug tests · IOP Dashboard" }];

export async function loader(args: LoaderFunctionArgs) {
  const { db, user, site, meta } = await requireUser(args, "record:drug-tests");
  if (!site) throw data({ message: "You are not assigned to a site." }, { status: 404 });
  const today = todayIn(site.time_zone);
  const params = new URL(args.request.url).searchParams;
  const [patients, panels, people] = await Promise.all([
    db
      .selectFrom("patients")
      .select(["id", "mrn", "legal_first_name", "legal_last_name", "preferred_name"])
      .where("site_id", "=", site.id)
      .where("status", "in", OPEN_STATUSES)
      .orderBy("legal_last_name")
      .orderBy("legal_first_name")
      .execute(),
    listPanels(db, site.id, { activeOnly: true }),
    collectorsAt(db, site.id),
  ]);
  // The patient picker lists everyone in the program at the site.
  // Who is a patient is itself Part 2 information: one audit row per view of a list that names them.
  await recordPatientListView(db, user, { kind: "collection_picker", siteId: site.id, shown: patients.length }, meta);
  const requestedDate = params.get("date") ?? "";
  const date = isCivilDate(requestedDate) && requestedDate <= today ? requestedDate : today;
  const reason = params.get("reason") ?? "";
  const patient = params.get("patient") ?? "";
  return {
    site: { name: site.name, timeZone: site.time_zone },
    today,
    patients: patients.map((p) => ({ value: p.id, label: `${p.legal_last_name}, ${p.preferred_name || p.legal_first_name} · ${p.mrn}` })),
    panels: panels.map((p) => ({
      value: p.id,
      label: `${p.name} (${p.analytes.length} ${p.analytes.length === 1 ? "analyte" : "analytes"})`,
      specimen: p.specimen,
    })),
    people: people.map((p) => ({ value: p.id, label: p.name })),
    defaults: {
      // A fresh key per form: a double submit finds the collection the first one recorded.
      requestKey: newId(),
      patientId: patients.some((p) => p.id === patient) ? patient : "",
      collection: "collected",
      date,
      time: date === today ? localClock(new Date().toISOString(), site.time_zone) : "",
      reason: reason in TEST_REASONS ? reason : "",
      specimen: "urine",
      panelId: panels.find((p) => p.specimen === "urine")?.id ?? "",
      collectedBy: people.some((p) => p.id === user.id) ? user.id : "",
    },
  };
}

export async function action(args: ActionFunctionArgs) {
  const { db, user, site, sites, meta } = await requireUser(args, "record:drug-tests");
  if (!site) throw data({ message: "You are not assigned to a site." }, { status: 404 });
  const submission = parseWithZod(await args.request.formData(), { schema: collectionSchema(todayIn(site.time_zone)) });
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  const result = await recordCollection(
    db,
    user,
    submission.value,
    sites.map((s) => s.id),
    meta,
  );
  if (!result.ok) return data(refusedReply(submission, result), { status: result.status });
  const c = submission.value.collection;
  const message = result.repeated
    ? "This collection was already recorded; here it is."
    : c === "collected"
      ? `Collection recorded for ${result.patientName}. Enter the results when they are read.`
      : `${c === "refused" ? "Refusal" : "No-show"} recorded for ${result.patientName}; their counselor will see it flagged.`;
  return redirect(`/drug-tests/${result.id}`, { headers: { "Set-Cookie": await toastHeader({ kind: "success", message }) } });
}

export default function RecordCollection() {
  const { site, today, patients, panels, people, defaults } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const navigation = useNavigation();
  const [form, fields] = useForm<z.input<ReturnType<typeof collectionSchema>>, z.output<ReturnType<typeof collectionSchema>>>({
    lastResult,
    defaultValue: defaults,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: collectionSchema(today) }),
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
  });
  const initial = (v: unknown, fallback: string) => (typeof v === "string" && v ? v : fallback);
  const [collection, setCollection] = useState(initial(fields.collection.initialValue, "collected"));
  const [specimen, setSpecimen] = useState(initial(fields.specimen.initialValue, "urine"));
  const [temperature, setTemperature] = useState(initial(fields.temperatureInRange.initialValue, ""));
  const collected = collection === "collected";
  const panelOptions = panels.filter((p) => p.specimen === specimen);
  return (
    <Stack gap="lg" maw={860}>
      <div>
        <Anchor component={Link} to="/drug-tests" size="sm">
          ← Drug tests
        </Anchor>
        <Title order={1}>Record a collection</Title>
        <Text c="dimmed">
          At {site.name}; the date and time are the site&apos;s ({site.timeZone}). A refusal or a no-show is recorded here too — never as a negative.
        </Text>
      </div>
      <Paper withBorder p="lg">
        <Form
          method="post"
          {...getFormProps(form)}
          onChange={(e) => {
            const t = e.target as HTMLInputElement;
            if (t.name === fields.collection.name) setCollection(t.value);
            if (t.name === fields.specimen.name) setSpecimen(t.value);
            if (t.name === fields.temperatureInRange.name) setTemperature(t.value);
          }}
        >
          <input type="hidden" name={fields.requestKey.name} value={defaults.requestKey} />
          <Stack>
            <FormErrors errors={form.errors} title="Not recorded" />
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
              <SelectField field={fields.collection} label="What happened" options={COLLECTIONS} required />
              <DateField field={fields.date} label="Date" required max={today} />
              <TextField field={fields.time} label="Time" type="time" required w={150} />
              <SelectField field={fields.reason} label="Reason" options={TEST_REASONS} required />
              <SelectField field={fields.collectedBy} label={collected ? "Collected by" : "Recorded by"} options={people} required />
            </SimpleGrid>
            {collected ? (
              <SimpleGrid cols={{ base: 1, sm: 2 }}>
                <SelectField field={fields.specimen} label="Specimen" options={SPECIMENS} required />
                <SelectField
                  key={specimen}
                  field={fields.panelId}
                  label="Panel used"
                  options={panelOptions.map((p) => ({ value: p.value, label: p.label }))}
                  placeholder={panelOptions.length ? "Choose…" : "No panel for this specimen; an admin can add one"}
                  required
                />
                <CheckboxField field={fields.observed} label="The collection was observed" />
                {specimen === "urine" ? (
                  <SelectField
                    field={fields.temperatureInRange}
                    label={`Temperature in range (${URINE_TEMPERATURE_RANGE})`}
                    options={{ yes: "Yes", no: "No — out of range" }}
                    required
                  />
                ) : null}
              </SimpleGrid>
            ) : null}
            {collected && specimen === "urine" && temperature === "no" ? (
              <TextareaField
                field={fields.temperatureNote}
                label="Why the temperature was out of range"
                description="For example: recollected under direct observation; the second specimen was in range."
                required
              />
            ) : null}
            <TextareaField field={fields.note} label={optional("Note")} />
            <div>
              <Button type="submit" loading={navigation.state === "submitting"}>
                {collected ? "Record collection" : collection === "refused" ? "Record refusal" : "Record no-show"}
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

import { getFormProps, type SubmissionResult, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { Alert, Button, SimpleGrid, Stack } from "@mantine/core";
import { Form, useNavigation } from "@remix-run/react";
import { useState } from "react";
import type { z } from "zod";
import { FormErrors } from "~/components/form-errors";
import { CheckboxField, DateField, optional, SelectField, TextareaField, TextField } from "~/components/form-fields";
import { PatientPicker } from "~/features/patients/components/patient-picker";
import { COLLECTIONS, SPECIMENS, TEST_REASONS, temperatureInRange, URINE_TEMPERATURE_RANGE } from "../rules";
import { collectionSchema } from "../schemas";

type Option = { value: string; label: string };

/**
 * Records a collection, a refusal or a no-show. The specimen, panel and temperature questions
 * appear only for a collection, the panels only for the chosen specimen, and, when the urine
 * temperature typed is out of range, a warning that a second, observed collection is needed.
 */
export function CollectionForm({
  today,
  patients,
  panels,
  people,
  defaults,
  lastResult,
}: {
  today: string;
  patients: Option[];
  panels: (Option & { specimen: string })[];
  people: Option[];
  defaults: Record<string, string> & { requestKey: string };
  lastResult?: SubmissionResult<string[]>;
}) {
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
  const [temperature, setTemperature] = useState(initial(fields.temperatureF.initialValue, ""));
  const degrees = temperature.trim() === "" ? null : Number(temperature);
  const outOfRange = degrees !== null && Number.isFinite(degrees) && !temperatureInRange(degrees);
  const collected = collection === "collected";
  const panelOptions = panels.filter((p) => p.specimen === specimen);
  return (
    <Form
      method="post"
      {...getFormProps(form)}
      onChange={(e) => {
        const t = e.target as HTMLInputElement;
        if (t.name === fields.collection.name) setCollection(t.value);
        if (t.name === fields.specimen.name) setSpecimen(t.value);
        if (t.name === fields.temperatureF.name) setTemperature(t.value);
      }}
    >
      <input type="hidden" name={fields.requestKey.name} value={defaults.requestKey} />
      {defaults.recollectionOf ? <input type="hidden" name={fields.recollectionOf.name} value={defaults.recollectionOf} /> : null}
      <Stack>
        <FormErrors errors={form.errors} title="Not recorded" />
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <PatientPicker field={fields.patientId} patients={patients} />
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
              <TextField
                field={fields.temperatureF}
                label="Urine temperature (°F)"
                description={`Read the strip within 4 minutes; in range: ${URINE_TEMPERATURE_RANGE}.`}
                inputMode="decimal"
                required
                w={220}
                onInput={(e) => setTemperature(e.currentTarget.value)}
              />
            ) : null}
          </SimpleGrid>
        ) : null}
        {collected && specimen === "urine" && outOfRange ? (
          <>
            <Alert color="orange" title="Out of range: collect again under direct observation">
              {degrees} °F is outside {URINE_TEMPERATURE_RANGE}. Record this specimen, then collect a second one at once under direct observation (49 CFR
              40.65(b)(5)); the test&apos;s page will ask for it.
            </Alert>
            <TextareaField field={fields.temperatureNote} label={optional("What the collector saw")} />
          </>
        ) : null}
        <TextareaField field={fields.note} label={optional("Note")} />
        <div>
          <Button type="submit" loading={navigation.state === "submitting"}>
            {collected ? "Record collection" : collection === "refused" ? "Record refusal" : "Record no-show"}
          </Button>
        </div>
      </Stack>
    </Form>
  );
}

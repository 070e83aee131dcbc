import { getFormProps, type SubmissionResult, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { Button, SimpleGrid, Stack } from "@mantine/core";
import { Form, useNavigation } from "@remix-run/react";
import { useState } from "react";
import type { z } from "zod";
import { FormErrors } from "~/components/form-errors";
import { CheckboxField, DateField, optional, SelectField, TextareaField, TextField } from "~/components/form-fields";
import { PatientPicker } from "~/features/patients/components/patient-picker";
import { COLLECTIONS, SPECIMENS, TEST_REASONS, URINE_TEMPERATURE_RANGE } from "../rules";
import { collectionSchema } from "../schemas";

type Option = { value: string; label: string };

/**
 * Records a collection, a refusal or a no-show. The specimen, panel and temperature questions
 * appear only for a collection, the panels only for the chosen specimen, and the temperature note
 * only when a urine temperature was out of range.
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
  const [temperature, setTemperature] = useState(initial(fields.temperatureInRange.initialValue, ""));
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
        if (t.name === fields.temperatureInRange.name) setTemperature(t.value);
      }}
    >
      <input type="hidden" name={fields.requestKey.name} value={defaults.requestKey} />
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
  );
}

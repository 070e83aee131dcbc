import { type SubmissionResult, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { Group, SimpleGrid, Stack, Text } from "@mantine/core";
import { useNavigation } from "@remix-run/react";
import { useState } from "react";
import { DateField, SelectField, TextField, optional } from "~/components/form-fields";
import { PatientPicker } from "~/features/patients/components/patient-picker";
import { AppointmentSchema, FAMILY_ROWS, familyKeys, MAX_BOOKED_WEEKS, UNTIL_DISCHARGE } from "../schemas";
import { APPOINTMENT_KINDS, APPROACHES, DURATIONS } from "../vocabulary";
import { IntentForm } from "./intent-form";

type Option = { value: string; label: string };

const REPEATS = [
  { value: "1", label: "Once" },
  ...[2, 4, 6, 8, 10, MAX_BOOKED_WEEKS].map((n) => ({ value: String(n), label: `Weekly for ${n} weeks` })),
  { value: UNTIL_DISCHARGE, label: "Weekly until discharge" },
];

/** Booking an individual or family session for one patient, once or weekly; family members and the room show when they apply. */
export function AppointmentForm({
  today,
  patients,
  rooms,
  people,
  defaults,
  lastResult,
}: {
  today: string;
  patients: Option[];
  rooms: Option[];
  people: Option[];
  defaults: Record<string, string>;
  lastResult: SubmissionResult<string[]> | undefined;
}) {
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
  return (
    <IntentForm
      form={form}
      errorsTitle="Not booked"
      submit="Book session"
      button={{ loading: navigation.state === "submitting" }}
      onChange={(e) => {
        const t = e.target as HTMLInputElement;
        if (t.name === fields.kind.name) setKind(t.value);
        if (t.name === fields.modality.name) setModality(t.value);
      }}
    >
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <PatientPicker field={fields.patientId} patients={patients} />
        <SelectField field={fields.kind} label="Kind" options={APPOINTMENT_KINDS} required />
        {kind === "individual" ? <SelectField field={fields.approach} label="Approach" options={APPROACHES} required /> : null}
        <SelectField field={fields.facilitatorId} label="Counselor" options={people} required />
      </SimpleGrid>
      {kind === "family" ? (
        <Stack gap={4}>
          <Text size="sm" fw={500}>
            Family members coming
          </Text>
          {FAMILY_ROWS.map((i) => (
            <Group key={i} align="flex-start" grow>
              <TextField field={fields[familyKeys(i).name]} label={i === 0 ? "Name" : optional("Name")} autoComplete="off" />
              <TextField
                field={fields[familyKeys(i).relationship]}
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
        <SelectField field={fields.durationMinutes} label="Length" options={DURATIONS.map((m) => ({ value: String(m), label: `${m} minutes` }))} required />
        <SelectField field={fields.weeks} label="Repeats" options={REPEATS} required />
      </Group>
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <SelectField field={fields.modality} label="Where" options={{ in_person: "In person", telehealth: "Telehealth" }} required />
        {modality === "in_person" ? <SelectField field={fields.roomId} label="Room" options={rooms} required /> : null}
      </SimpleGrid>
    </IntentForm>
  );
}

import type { FieldMetadata } from "@conform-to/react";
import { Checkbox, Group, SimpleGrid, Stack } from "@mantine/core";
import { SelectField, TextField } from "~/components/form-fields";
import { LEVEL_LABELS } from "~/features/patients/rules";
import { WEEKDAY_LABELS, WEEKDAYS } from "~/kernel/time";

interface TrackFieldsProps {
  fields: {
    name: FieldMetadata<any>;
    levelOfCare: FieldMetadata<any>;
    days: FieldMetadata<any>;
    startTime: FieldMetadata<any>;
    endTime: FieldMetadata<any>;
  };
}

/** A track's name, level of care and weekly pattern (days and local times). */
export function TrackFields({ fields }: TrackFieldsProps) {
  const initial = fields.days.initialValue;
  const days = Array.isArray(initial) ? (initial as string[]) : typeof initial === "string" ? [initial] : [];
  return (
    <Stack>
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <TextField field={fields.name} label="Track name" placeholder="e.g. Evening IOP" required autoComplete="off" />
        <SelectField field={fields.levelOfCare} label="Level of care" options={LEVEL_LABELS} required />
      </SimpleGrid>
      <Checkbox.Group label="Meets on" defaultValue={days} error={fields.days.errors?.join(" ")}>
        <Group mt={6} gap="md">
          {WEEKDAYS.map((d) => (
            <Checkbox key={d} name={fields.days.name} value={d} label={WEEKDAY_LABELS[d]} />
          ))}
        </Group>
      </Checkbox.Group>
      <Group align="flex-start">
        <TextField field={fields.startTime} label="Starts at" type="time" required w={160} description="Site's local time" />
        <TextField field={fields.endTime} label="Ends at" type="time" required w={160} description="Site's local time" />
      </Group>
    </Stack>
  );
}

import type { FieldMetadata } from "@conform-to/react";
import { Group, SimpleGrid, Stack } from "@mantine/core";
import { SelectField, TextField } from "~/components/form-fields";
import { WeekdaysField } from "./weekdays-field";
import { LEVEL_LABELS } from "~/features/patients/rules";

interface TrackFieldsProps {
  fields: {
    name: FieldMetadata<string>;
    levelOfCare: FieldMetadata<string>;
    days: FieldMetadata<string[]>;
    startTime: FieldMetadata<string>;
    endTime: FieldMetadata<string>;
  };
}

/** A track's name, level of care and weekly pattern (days and local times). */
export function TrackFields({ fields }: TrackFieldsProps) {
  return (
    <Stack>
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <TextField field={fields.name} label="Track name" placeholder="e.g. Evening IOP" required autoComplete="off" />
        <SelectField field={fields.levelOfCare} label="Level of care" options={LEVEL_LABELS} required />
      </SimpleGrid>
      <WeekdaysField field={fields.days} />
      <Group align="flex-start">
        <TextField field={fields.startTime} label="Starts at" type="time" required w={160} description="Site's local time" />
        <TextField field={fields.endTime} label="Ends at" type="time" required w={160} description="Site's local time" />
      </Group>
    </Stack>
  );
}

import type { FieldMetadata } from "@conform-to/react";
import { Checkbox, Group } from "@mantine/core";
import { WEEKDAYS, WEEKDAY_LABELS } from "~/kernel/time";

/** "Meets on": one checkbox a weekday, for a track's or a group's weekly pattern. */
export function WeekdaysField({ field }: { field: FieldMetadata<string[]> }) {
  const initial = field.initialValue;
  const days = Array.isArray(initial) ? (initial as string[]) : typeof initial === "string" ? [initial] : [];
  return (
    <Checkbox.Group label="Meets on" defaultValue={days} error={field.errors?.join(" ")}>
      <Group mt={6} gap="md">
        {WEEKDAYS.map((d) => (
          <Checkbox key={d} name={field.name} value={d} label={WEEKDAY_LABELS[d]} />
        ))}
      </Group>
    </Checkbox.Group>
  );
}

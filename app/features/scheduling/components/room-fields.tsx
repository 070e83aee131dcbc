import type { FieldMetadata } from "@conform-to/react";
import { Group } from "@mantine/core";
import { TextField } from "~/components/form-fields";

/** A room's name and how many it holds. */
export function RoomFields({ fields }: { fields: { name: FieldMetadata<string>; capacity: FieldMetadata<unknown> } }) {
  return (
    <Group align="flex-start">
      <TextField field={fields.name} label="Room name" required autoComplete="off" />
      <TextField field={fields.capacity} label="Capacity" type="number" min={1} required w={120} />
    </Group>
  );
}

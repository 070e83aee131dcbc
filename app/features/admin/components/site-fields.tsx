import type { FieldMetadata } from "@conform-to/react";
import { SelectField, TextareaField, TextField } from "~/components/form-fields";

/** A site's fields: its name, its time zone (from the server's list of IANA zones) and its address, one line per line. */
export function SiteFields({
  fields,
  timeZones,
}: {
  fields: { name: FieldMetadata<string>; timeZone: FieldMetadata<string>; address: FieldMetadata<string | undefined> };
  timeZones: string[];
}) {
  return (
    <>
      <TextField field={fields.name} label="Site name" required maxLength={120} />
      <SelectField
        field={fields.timeZone}
        label="Time zone"
        description="Days, weeks and session times at this site are counted in it."
        required
        options={timeZones.map((z) => ({ value: z, label: z.replaceAll("_", " ") }))}
        placeholder="Choose a time zone…"
      />
      <TextareaField
        field={fields.address}
        label="Address (optional)"
        description="Street, city, state and ZIP on as many lines as they need. Printed documents show it line by line."
        rows={3}
      />
    </>
  );
}

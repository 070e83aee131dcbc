import type { FieldMetadata } from "@conform-to/react";
import { Select } from "@mantine/core";

/**
 * The "Patient" field of a form that records or books something for one person in the program:
 * a searchable list of `openPatientsForPicker` rows ("Last, First · MRN"), bound to a Conform field.
 *
 * The list opens when clicked or typed in, not on focus: after a refused save the form moves focus
 * to its first field, and a list opening by itself would cover the fields the message is about.
 */
export function PatientPicker({ field, patients }: { field: FieldMetadata<string>; patients: { value: string; label: string }[] }) {
  return (
    <Select
      label="Patient"
      name={field.name}
      data={patients}
      defaultValue={(field.initialValue as string) || null}
      searchable
      openOnFocus={false}
      required
      nothingFoundMessage="No patient by that name in the program"
      placeholder="Type a name or MRN"
      error={field.errors?.join(" ")}
    />
  );
}

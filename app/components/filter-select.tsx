import { type ComboboxItem, NativeSelect } from "@mantine/core";

/** A list filter's choice: its first option (named `any`, e.g. "All tracks") leaves the list unfiltered. */
export function FilterSelect({
  label,
  name,
  value,
  any,
  options,
  error,
  w,
}: {
  label: string;
  name: string;
  value: string;
  any: string;
  options: (ComboboxItem | string)[];
  error?: string;
  w: number;
}) {
  return <NativeSelect label={label} name={name} defaultValue={value} data={[{ value: "", label: any }, ...options]} error={error} w={w} />;
}

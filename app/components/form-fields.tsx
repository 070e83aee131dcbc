/**
 * Mantine inputs bound to Conform fields: name, the value to show (what the person typed, after a
 * refused save), and the field's error. Every input has a visible label.
 */
import type { FieldMetadata } from "@conform-to/react";
import { Checkbox, NativeSelect, PasswordInput, Textarea, TextInput, type TextInputProps } from "@mantine/core";

type AnyField = FieldMetadata<unknown>;

const initial = (field: AnyField): string | undefined => {
  const v = field.initialValue;
  return typeof v === "string" ? v : undefined;
};
const error = (field: AnyField) => field.errors?.join(" ");
/** What a text-like input takes from its field: its name, the value to show and its error. */
const bound = (field: AnyField) => ({ name: field.name, defaultValue: initial(field), error: error(field) });

interface BaseProps {
  field: AnyField;
  label: string;
  description?: string;
  required?: boolean;
}

export function TextField({ field, label, description, required, ...rest }: BaseProps & Omit<TextInputProps, "label" | "name" | "error">) {
  return <TextInput label={label} description={description} {...bound(field)} required={required} {...rest} />;
}

const PASSWORD_TOGGLE = { "aria-label": "Show or hide what you typed" };

/** A password box: it never shows a value back after a refused save, and its eye button is named. */
export function PasswordField({ field, label, description, required, autoComplete }: BaseProps & { autoComplete: "current-password" | "new-password" }) {
  return (
    <PasswordInput
      label={label}
      description={description}
      name={field.name}
      error={error(field)}
      autoComplete={autoComplete}
      required={required}
      visibilityToggleButtonProps={PASSWORD_TOGGLE}
    />
  );
}

export function DateField({ field, label, description, required, max, min }: BaseProps & { max?: string; min?: string }) {
  return <TextInput type="date" label={label} description={description} {...bound(field)} required={required} max={max} min={min} w={200} />;
}

export function SelectField({
  field,
  label,
  description,
  required,
  options,
  placeholder,
  allowEmpty,
}: BaseProps & { options: Record<string, string> | { value: string; label: string }[]; placeholder?: string; allowEmpty?: boolean }) {
  const data = Array.isArray(options) ? options : Object.entries(options).map(([value, l]) => ({ value, label: l }));
  return (
    <NativeSelect
      label={label}
      description={description}
      name={field.name}
      defaultValue={initial(field) ?? ""}
      error={error(field)}
      required={required}
      // A required choice starts on a prompt that cannot be chosen back; an optional one can be emptied again.
      data={[{ value: "", label: placeholder ?? "Choose…", disabled: !allowEmpty }, ...data]}
    />
  );
}

export function TextareaField({ field, label, description, required, rows = 3 }: BaseProps & { rows?: number }) {
  return <Textarea label={label} description={description} {...bound(field)} required={required} autosize minRows={rows} />;
}

export function CheckboxField({ field, label, description, value = "yes" }: BaseProps & { value?: string }) {
  const v = field.initialValue;
  const checked = Array.isArray(v) ? v.includes(value) : v === value;
  return <Checkbox label={label} description={description} name={field.name} value={value} defaultChecked={checked} error={error(field)} />;
}

/** Labels "(optional)" so required fields need no asterisk. */
export const optional = (label: string) => `${label} (optional)`;

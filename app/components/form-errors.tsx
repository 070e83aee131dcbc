import { Alert } from "@mantine/core";

/** The form-level message of a refused save (field messages sit under their fields). */
export function FormErrors({ errors, title }: { errors?: string[] | null; title?: string }) {
  if (!errors?.length) return null;
  return (
    <Alert color="red" role="alert" title={title}>
      {errors.join(" ")}
    </Alert>
  );
}

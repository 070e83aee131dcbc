import { Alert, type MantineSpacing } from "@mantine/core";

/** The form-level message of a refused save (field messages sit under their fields). */
export function FormErrors({ errors, title, mb }: { errors?: string[] | null; title?: string; mb?: MantineSpacing }) {
  if (!errors?.length) return null;
  return (
    <Alert color="red" role="alert" title={title} mb={mb}>
      {errors.join(" ")}
    </Alert>
  );
}

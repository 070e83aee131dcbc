import { Alert, Button, Text } from "@mantine/core";

/**
 * A warning a save stopped at, with the submit that confirms it: the form's fields go again with
 * `name=value`, so the server saves (and audits the confirmation) only when the person chose to.
 */
export function ConfirmAlert({
  title,
  message,
  name,
  value = "yes",
  label,
  loading,
}: {
  title: string;
  message: string;
  name: string;
  value?: string;
  label: string;
  loading?: boolean;
}) {
  return (
    <Alert color="orange" role="alert" title={title}>
      <Text size="sm">{message}</Text>
      <Button type="submit" name={name} value={value} color="orange" variant="outline" mt="sm" loading={loading}>
        {label}
      </Button>
    </Alert>
  );
}

import { Button, Group } from "@mantine/core";
import { Link } from "@remix-run/react";

/** A form's named save button, and a way back that saves nothing. */
export function SubmitOrCancel({ submit, cancelTo, loading }: { submit: string; cancelTo: string; loading: boolean }) {
  return (
    <Group>
      <Button type="submit" loading={loading}>
        {submit}
      </Button>
      <Button component={Link} to={cancelTo} variant="default">
        Cancel
      </Button>
    </Group>
  );
}

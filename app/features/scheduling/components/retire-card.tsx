import { Alert, Button, Card, Text, Title } from "@mantine/core";
import { Form } from "@remix-run/react";

/** Retire or restore a track or room; the history that refers to it stays. */
export function RetireCard({ noun, active, version, errors }: { noun: "track" | "room"; active: boolean; version: number; errors?: string[] | null }) {
  const retiredMeans = noun === "track" ? "A retired track takes no new patients; its history stays." : "A retired room cannot be booked; its history stays.";
  const restoreMeans = noun === "track" ? "Restoring lets patients join it again." : "Restoring lets it be booked again.";
  return (
    <Card withBorder>
      <Title order={2} size="h3" mb="xs">
        {active ? `Retire this ${noun}` : `Restore this ${noun}`}
      </Title>
      {errors?.length ? (
        <Alert color="red" role="alert" mb="sm">
          {errors.join(" ")}
        </Alert>
      ) : null}
      <Text size="sm" mb="sm">
        {active ? retiredMeans : restoreMeans}
      </Text>
      <Form method="post">
        <input type="hidden" name="intent" value={active ? "deactivate" : "reactivate"} />
        <input type="hidden" name="version" value={version} />
        <Button type="submit" variant="outline" color={active ? "red" : "teal"}>
          {active ? `Retire ${noun}` : `Restore ${noun}`}
        </Button>
      </Form>
    </Card>
  );
}

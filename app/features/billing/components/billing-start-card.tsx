import { Alert, Button, Card, Stack, Text, TextInput, Title } from "@mantine/core";
import { Form, useNavigation } from "@remix-run/react";
import { shortDate } from "~/kernel/time";

/**
 * The "Bill days from" form: the first day the site bills through the dashboard. Its own form (and
 * intent) beside the notes settings, with the version it started from, so a stale one is refused.
 */
export function BillingStartCard({
  value,
  version,
  typed,
  error,
  fieldError,
}: {
  value: string | null;
  version: number;
  typed?: string;
  error?: string;
  fieldError?: string;
}) {
  const navigation = useNavigation();
  const busy = navigation.state === "submitting" && navigation.formData?.get("intent") === "billing-start";
  return (
    <Card withBorder>
      <Form method="post" key={version}>
        <input type="hidden" name="intent" value="billing-start" />
        <input type="hidden" name="v_billFrom" value={version} />
        <Stack>
          <Title order={2} size="h4">
            Billing start
          </Title>
          {error ? (
            <Alert color="red" role="alert">
              {error}
            </Alert>
          ) : null}
          <TextInput
            type="date"
            name="billFrom"
            label="Bill days from"
            description="The first day billed through the dashboard. Days attended before it get no charge (they were billed another way) but still count against their authorization's units. Leave it empty to bill every attended day."
            defaultValue={typed ?? value ?? ""}
            error={fieldError}
            styles={{ input: { maxWidth: 200 } }}
          />
          <Text size="sm" c="dimmed">
            {value ? `Billing starts on ${shortDate(value)}.` : "Every attended day is billed."} Moving the date removes or restores the charges between the old
            and the new date that were not exported; exported charges stay with their claims.
          </Text>
          <div>
            <Button type="submit" loading={busy}>
              Save billing start
            </Button>
          </div>
        </Stack>
      </Form>
    </Card>
  );
}

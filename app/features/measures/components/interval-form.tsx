/** The setting that spaces repeat measures at a site: whole days, 7 to 90. */
import { Alert, Button, Card, Stack, Text, TextInput } from "@mantine/core";
import { Form, useNavigation } from "@remix-run/react";
import { DEFAULT_MEASURE_INTERVAL_DAYS, MEASURE_GRACE_DAYS, MEASURE_INTERVAL_MAX_DAYS, MEASURE_INTERVAL_MIN_DAYS } from "../rules";

export function IntervalForm({
  days,
  version,
  typed,
  error,
  fieldError,
}: {
  days: number;
  version: number;
  typed?: string;
  error?: string;
  fieldError?: string;
}) {
  const navigation = useNavigation();
  return (
    <Card withBorder>
      <Form method="post">
        <input type="hidden" name="version" value={version} />
        <Stack>
          {error ? (
            <Alert color="red" role="alert">
              {error}
            </Alert>
          ) : null}
          <TextInput
            name="days"
            label="Days between repeat measures"
            description={`A whole number from ${MEASURE_INTERVAL_MIN_DAYS} to ${MEASURE_INTERVAL_MAX_DAYS}. The usual rhythm is every ${DEFAULT_MEASURE_INTERVAL_DAYS} days.`}
            inputMode="numeric"
            defaultValue={typed ?? String(days)}
            error={fieldError}
            styles={{ input: { maxWidth: 200 } }}
          />
          <Text size="sm" c="dimmed">
            Each measure (PHQ-9, GAD-7, AUDIT, DAST-10, BAM) is due at intake, then this many days after it was last given, and at discharge. It counts as
            overdue {MEASURE_GRACE_DAYS} days after its due date. A change applies at once to every patient at this site, counted from each measure&apos;s last
            date.
          </Text>
          <div>
            <Button type="submit" loading={navigation.state === "submitting"}>
              Save interval
            </Button>
          </div>
        </Stack>
      </Form>
    </Card>
  );
}

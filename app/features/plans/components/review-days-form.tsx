/** The setting that says how long a treatment plan runs before its review is due at a site. */
import { Alert, Button, Card, Stack, Text, TextInput } from "@mantine/core";
import { Form, useNavigation } from "@remix-run/react";
import { DEFAULT_PLAN_REVIEW_DAYS, INITIAL_PLAN_DAYS, PLAN_REVIEW_DAYS_RANGE } from "../rules";

export function ReviewDaysForm({
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
            label="Days between plan reviews"
            description={`A whole number from ${PLAN_REVIEW_DAYS_RANGE.min} to ${PLAN_REVIEW_DAYS_RANGE.max}. Payers commonly ask for a review every ${DEFAULT_PLAN_REVIEW_DAYS} days in intensive outpatient care.`}
            inputMode="numeric"
            defaultValue={typed ?? String(days)}
            error={fieldError}
            styles={{ input: { maxWidth: 200 } }}
          />
          <Text size="sm" c="dimmed">
            A plan&apos;s review is due this many days after it became active, or at once when the patient&apos;s level of care changes or a drug test comes
            back unexpected. A first plan is due {INITIAL_PLAN_DAYS} days after admission. A change applies to plans that become active from now on; active
            plans keep the interval they started with.
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

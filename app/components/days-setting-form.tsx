/**
 * A site setting that is a number of days (how often measures repeat, how often plans are
 * reviewed): one box, what the number does, and a save button. A refused value stays in the box.
 */
import { Alert, Button, Card, Stack, Text, TextInput } from "@mantine/core";
import { Form, useNavigation } from "@remix-run/react";
import type { ReactNode } from "react";

export function DaysSettingForm({
  label,
  description,
  explanation,
  days,
  version,
  typed,
  error,
  fieldError,
}: {
  label: string;
  description: string;
  explanation: ReactNode;
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
            label={label}
            description={description}
            inputMode="numeric"
            defaultValue={typed ?? String(days)}
            error={fieldError}
            styles={{ input: { maxWidth: 200 } }}
          />
          <Text size="sm" c="dimmed">
            {explanation}
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

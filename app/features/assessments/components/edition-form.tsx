/** The program setting that says which edition of The ASAM Criteria names the dimensions. */
import { Alert, Button, Card, Radio, Stack, Text } from "@mantine/core";
import { Form, useNavigation } from "@remix-run/react";
import { ASAM_EDITIONS, type AsamEdition, DIMENSIONS, dimensionName } from "../rules";

export function EditionForm({ edition, version, error }: { edition: AsamEdition; version: number; error?: string }) {
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
          <Radio.Group
            name="edition"
            label="Dimension names on ASAM assessments"
            description="Applies to assessments recorded from now on, at every site; each saved assessment keeps the names it was written with."
            defaultValue={edition}
          >
            <Stack gap="xs" mt="xs">
              {(Object.entries(ASAM_EDITIONS) as [AsamEdition, string][]).map(([value, label]) => (
                <Radio key={value} value={value} label={label} description={DIMENSIONS.map((d) => `${d} ${dimensionName(value, d)}`).join(" · ")} />
              ))}
            </Stack>
          </Radio.Group>
          <Text size="sm" c="dimmed">
            The 4th edition folds readiness to change into the other dimensions and adds person-centered considerations.
          </Text>
          <div>
            <Button type="submit" loading={navigation.state === "submitting"}>
              Save
            </Button>
          </div>
        </Stack>
      </Form>
    </Card>
  );
}

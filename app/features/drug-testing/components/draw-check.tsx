import { Alert, Button, Card, Code, SimpleGrid, Table, Text, Title } from "@mantine/core";
import { Form } from "@remix-run/react";
import { HeadedTable } from "./headed-table";

/**
 * How anyone can check a stored draw: its seed, algorithm and eligible list, and a button that
 * re-runs it and says whether it gives the stored selection.
 */
export function DrawCheck({
  seed,
  algorithm,
  selectedCount,
  eligible,
  rerun,
}: {
  seed: string;
  algorithm: string;
  selectedCount: number;
  eligible: { id: string; mrn: string }[];
  rerun: { reproduced: boolean; mrns: string[] } | null;
}) {
  return (
    <Card withBorder>
      <Title order={2} size="h3" mb="xs">
        Check the draw
      </Title>
      <Text size="sm" mb="sm">
        The draw can be re-run by anyone from what is stored here: the seed, the eligible patients (sorted by id) and how many were drawn. The same inputs
        always give the same patients in the same order.
      </Text>
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="sm">
        <div>
          <Text size="sm" fw={600}>
            Seed
          </Text>
          <Code block style={{ wordBreak: "break-all", whiteSpace: "pre-wrap" }}>
            {seed}
          </Code>
        </div>
        <div>
          <Text size="sm" fw={600}>
            Algorithm
          </Text>
          <Code block>{algorithm}</Code>
          <Text size="xs" c="dimmed" mt={4}>
            HMAC-SHA256 keyed with the seed over the counters 0, 1, 2… gives 32-bit numbers; rejection sampling makes each pick unbiased; a partial Fisher–Yates
            shuffle of the eligible list picks the patients.
          </Text>
        </div>
      </SimpleGrid>
      <Form method="get" style={{ marginTop: 12 }}>
        <input type="hidden" name="rerun" value="1" />
        <Button type="submit" variant="default">
          Re-run the draw from its seed
        </Button>
      </Form>
      {rerun ? (
        rerun.reproduced ? (
          <Alert color="teal" mt="sm" title="Reproduced">
            Re-running {algorithm} from the stored seed gives the same {selectedCount} patients in the same order: {rerun.mrns.join(", ")}.
          </Alert>
        ) : (
          <Alert color="red" mt="sm" title="Not reproduced" role="alert">
            Re-running from the stored seed does not give the stored selection. The record may have been changed; check the audit log for this draw.
          </Alert>
        )
      ) : null}
      <details style={{ marginTop: 12 }}>
        <summary>
          <Text span size="sm" fw={600}>
            The {eligible.length} eligible patients, sorted by id
          </Text>
        </summary>
        <HeadedTable fz="xs" mt="xs" label="Eligible patients" heads={[{ title: "Patient id" }, { title: "MRN" }]}>
          {eligible.map((e) => (
            <Table.Tr key={e.id}>
              <Table.Td>
                <Code>{e.id}</Code>
              </Table.Td>
              <Table.Td>{e.mrn}</Table.Td>
            </Table.Tr>
          ))}
        </HeadedTable>
      </details>
    </Card>
  );
}

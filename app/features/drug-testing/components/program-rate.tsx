import { Alert, Anchor, Card, Group, Progress, Stack, Table, Text, Title } from "@mantine/core";
import { Link } from "@remix-run/react";
import { longDate } from "~/kernel/time";
import { HeadedTable } from "./headed-table";

interface Rate {
  counted: number;
  negative: number;
  percent: number | null;
}

export interface ProgramRate {
  total: Rate;
  refusals: number;
  pending: number;
  weekly: (Rate & { monday: string })[];
}

/** The site's negative rate over the last eight weeks, in total and week by week. */
export function NegativeRateCard({ rate, clinical }: { rate: ProgramRate; clinical: boolean }) {
  return (
    <Card withBorder>
      <Title order={2} size="h3">
        Negative rate
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        Program-wide at this site, the last eight weeks. {clinical ? "A prescribed MAT medication" : "An expected medication"} alone counts as negative;
        refusals, no-shows, invalid specimens, dilute negatives and{" "}
        {clinical ? "tests where a prescribed buprenorphine or methadone was not detected" : "tests not as expected"} count as not negative; pending tests are
        not counted yet.
      </Text>
      {rate.total.percent === null ? (
        <Text c="dimmed">No completed tests in these weeks.</Text>
      ) : (
        <Text size="lg" fw={700}>
          {rate.total.percent} % negative{" "}
          <Text span size="sm" fw={400}>
            ({rate.total.negative} of {rate.total.counted} tests; {rate.refusals} refused or no-show; {rate.pending} pending)
          </Text>
        </Text>
      )}
      <HeadedTable fz="sm" mt="sm" label="Negative rate by week" heads={[{ title: "Week of" }, { title: "Tests" }, { title: "Negative", w: "45%" }]}>
        {rate.weekly.map((w) => (
          <Table.Tr key={w.monday}>
            <Table.Td>{longDate(w.monday)}</Table.Td>
            <Table.Td>{w.counted}</Table.Td>
            <Table.Td>
              {w.percent === null ? (
                "—"
              ) : (
                <Group gap="xs" wrap="nowrap">
                  <Progress value={w.percent} color="teal" w={100} aria-hidden />
                  <Text size="sm">{w.percent} %</Text>
                </Group>
              )}
            </Table.Td>
          </Table.Tr>
        ))}
      </HeadedTable>
    </Card>
  );
}

export interface RecentDraw {
  id: string;
  date: string;
  sequence: number;
  selected: number;
  eligible: number;
  by: string;
}

/** The site's latest draws, each linked to its check page. */
export function RecentDrawsCard({ draws, pastDay }: { draws: RecentDraw[]; pastDay: boolean }) {
  return (
    <Card withBorder>
      <Title order={2} size="h3" mb="xs">
        Recent draws
      </Title>
      {draws.length === 0 ? (
        <Text c="dimmed">No draws yet.</Text>
      ) : (
        <Stack gap={6}>
          {draws.map((r) => (
            <Group key={r.id} justify="space-between" wrap="nowrap">
              <Anchor component={Link} to={`/drug-tests/draws/${r.id}`} size="sm">
                {longDate(r.date)}
                {r.sequence > 1 ? ` (draw ${r.sequence})` : ""}
              </Anchor>
              <Text size="sm" c="dimmed">
                {r.selected} of {r.eligible} · {r.by}
              </Text>
            </Group>
          ))}
        </Stack>
      )}
      {pastDay ? (
        <Alert color="gray" mt="md" py={6}>
          Draws are made for today or a day ahead.
        </Alert>
      ) : null}
    </Card>
  );
}

import { Button, Card, Group, Pagination, SimpleGrid, Stack, Text, Title } from "@mantine/core";
import { Link, useNavigate } from "@remix-run/react";
import { type StripItem, TestStrip } from "./test-strip";
import { TestTable } from "./test-table";
import type { TestRow } from "../views";

interface Rate {
  counted: number;
  negative: number;
  percent: number | null;
}

/** A patient's negative streak, days since the last unexpected positive, and negative rate. */
export function HistoryFigures({
  streak,
  daysSinceUnexpected,
  rate,
  clinical,
}: {
  streak: number;
  daysSinceUnexpected: number | null;
  rate: Rate;
  clinical: boolean;
}) {
  return (
    <SimpleGrid cols={{ base: 1, sm: 3 }}>
      <Card withBorder>
        <Text size="sm" c="dimmed">
          Negative streak
        </Text>
        <Text size="xl" fw={700}>
          {streak} {streak === 1 ? "test" : "tests"}
        </Text>
        <Text size="xs" c="dimmed">
          in a row, most recent first;{" "}
          {clinical
            ? "prescribed MAT counts as negative; a test missing it, or a dilute negative, ends the streak"
            : "expected medication counts as negative; a dilute negative ends the streak"}
        </Text>
      </Card>
      <Card withBorder>
        <Text size="sm" c="dimmed">
          Since the last unexpected positive
        </Text>
        <Text size="xl" fw={700}>
          {daysSinceUnexpected === null ? "None on record" : `${daysSinceUnexpected} ${daysSinceUnexpected === 1 ? "day" : "days"}`}
        </Text>
      </Card>
      <Card withBorder>
        <Text size="sm" c="dimmed">
          Negative rate
        </Text>
        <Text size="xl" fw={700}>
          {rate.percent === null ? "—" : `${rate.percent} %`}
        </Text>
        <Text size="xs" c="dimmed">
          {rate.negative} of {rate.counted} completed tests;{" "}
          {clinical ? "missing prescribed medication and dilute negatives count as not negative" : "dilute negatives count as not negative"}
        </Text>
      </Card>
    </SimpleGrid>
  );
}

/** A patient's drug tests: the strip of the latest, then one page of the table. */
export function PatientTestsCard({
  patientId,
  name,
  canRecord,
  clinical,
  history: h,
}: {
  patientId: string;
  name: string;
  /** A collection can be recorded (the patient is not discharged). */
  canRecord: boolean;
  clinical: boolean;
  history: { total: number; page: number; pages: number; strip: StripItem[]; tests: TestRow[] };
}) {
  const navigate = useNavigate();
  const pageLink = (p: number) => `/patients/${patientId}/drug-tests?page=${p}`;
  return (
    <Card withBorder>
      <Group justify="space-between" mb="xs">
        <Title order={2} size="h3">
          Drug tests
        </Title>
        {canRecord ? (
          <Button component={Link} to={`/drug-tests/new?patient=${patientId}`} size="sm">
            Record a collection
          </Button>
        ) : null}
      </Group>
      {h.total === 0 ? (
        <Text c="dimmed">No drug tests recorded for {name}.</Text>
      ) : (
        <Stack gap="md">
          <TestStrip items={h.strip} neutral={!clinical} />
          <TestTable rows={h.tests} label="Drug tests" clinical={clinical} per="patient" />
          {h.pages > 1 ? (
            <Pagination
              total={h.pages}
              value={h.page}
              onChange={(p) => navigate(pageLink(p))}
              getItemProps={(p) => ({ component: Link, to: pageLink(p), "aria-label": `Page ${p}` })}
              getControlProps={(control) => ({ "aria-label": `${control} page` })}
            />
          ) : null}
        </Stack>
      )}
    </Card>
  );
}

/**
 * The chart's measures: each one's latest score and band, whether it is due, and its trend over
 * the complete administrations (a line chart, with the values in words beside it).
 */
import { LineChart } from "@mantine/charts";
import { Badge, Button, Card, Group, SimpleGrid, Stack, Text, Title } from "@mantine/core";
import { Link } from "@remix-run/react";
import { shortDate } from "~/kernel/time";
import type { MeasureSummary } from "../measures.server";
import { BAM_SUBSCALES, type BamSubscale, bamConcerns, bandColor, bandLabel, MEASURES } from "../rules";
import { DueBadge } from "./due-list";

const SUBSCALE_COLORS: Record<BamSubscale, string> = { use: "red.7", risk: "orange.7", protective: "teal.7" };

function Latest({ m }: { m: MeasureSummary }) {
  const measure = MEASURES[m.code];
  if (!m.latest) return <Text size="sm">Not given yet.</Text>;
  const { latest } = m;
  if (m.code === "bam") {
    const concerns = bamConcerns(latest.subscales);
    return (
      <Stack gap={2}>
        <Text size="sm">
          {shortDate(latest.on)}:{" "}
          {(Object.keys(BAM_SUBSCALES) as BamSubscale[])
            .map((k) => `${BAM_SUBSCALES[k].label} ${latest.subscales?.[k] ?? "—"}/${BAM_SUBSCALES[k].max}`)
            .join(" · ")}
        </Text>
        <Group gap={4}>
          <Badge color={bandColor("bam", latest.band)} variant="light">
            {bandLabel("bam", latest.band)}
          </Badge>
          {concerns.length ? <Text size="xs">({concerns.join(", ")})</Text> : null}
        </Group>
      </Stack>
    );
  }
  return (
    <Group gap="xs" align="baseline">
      <Text fw={700} size="xl">
        {latest.total ?? "—"}
        <Text span size="sm" c="dimmed" fw={400}>
          {latest.total !== null ? ` / ${measure.maxTotal}` : ""}
        </Text>
      </Text>
      <Badge color={bandColor(m.code, latest.band)} variant="light">
        {bandLabel(m.code, latest.band)}
      </Badge>
      <Text size="sm" c="dimmed">
        {shortDate(latest.on)}
      </Text>
    </Group>
  );
}

function Trend({ m }: { m: MeasureSummary }) {
  const measure = MEASURES[m.code];
  if (m.trend.length < 2)
    return (
      <Text size="xs" c="dimmed">
        The trend appears after two complete administrations.
      </Text>
    );
  const bam = m.code === "bam";
  const data = m.trend.map((p) => ({ date: shortDate(p.on), ...(bam ? p.subscales : { score: p.total }) }));
  const series = bam
    ? (Object.keys(BAM_SUBSCALES) as BamSubscale[]).map((k) => ({ name: k, label: BAM_SUBSCALES[k].label, color: SUBSCALE_COLORS[k] }))
    : [{ name: "score", label: measure.name, color: "indigo.7" }];
  const words = bam
    ? m.trend.map((p) => `${shortDate(p.on)}: use ${p.subscales?.use}, risk ${p.subscales?.risk}, protective ${p.subscales?.protective}`).join("; ")
    : m.trend.map((p) => `${shortDate(p.on)}: ${p.total}`).join("; ");
  return (
    <figure style={{ margin: 0 }}>
      <LineChart
        h={160}
        data={data}
        dataKey="date"
        series={series}
        curveType="linear"
        withLegend={bam}
        yAxisProps={{ domain: [0, bam ? 24 : (measure.maxTotal ?? "auto")] }}
      />
      <Text component="figcaption" size="xs" c="dimmed" mt={4}>
        {measure.name} over time — {words}
      </Text>
    </figure>
  );
}

export function MeasuresOverview({ measures, patientId, canWrite = true }: { measures: MeasureSummary[]; patientId: string; canWrite?: boolean }) {
  return (
    <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
      {measures.map((m) => (
        <Card key={m.code} withBorder>
          <Stack gap="xs">
            <Group justify="space-between" align="flex-start" wrap="nowrap">
              <div>
                <Title order={2} size="h4">
                  {MEASURES[m.code].name}
                </Title>
                <Text size="xs" c="dimmed">
                  {MEASURES[m.code].title.replace(/^.*?: /, "").replace(/ \(.*\)$/, "")} · scored per {MEASURES[m.code].source}
                </Text>
              </div>
              <DueBadge due={m.due} />
            </Group>
            <Latest m={m} />
            <Trend m={m} />
            <div>
              {canWrite ? (
                <Button component={Link} to={`/patients/${patientId}/measures/${m.code}`} variant="light" size="sm">
                  Give the {MEASURES[m.code].name}
                </Button>
              ) : null}
            </div>
          </Stack>
        </Card>
      ))}
    </SimpleGrid>
  );
}

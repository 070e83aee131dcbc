/** The latest ASAM assessment on the chart, and how each dimension moved across all of them. */
import { Badge, Card, Group, SimpleGrid, Table, Text, Title, VisuallyHidden } from "@mantine/core";
import { shortDate } from "~/kernel/time";
import {
  ASSESSMENT_KINDS,
  type AsamEdition,
  DIFFERENCE_REASONS,
  DIMENSIONS,
  type Dimension,
  DIRECTION_ARROWS,
  DIRECTION_LABELS,
  type Direction,
  dimensionMoves,
  dimensionName,
  moveSummary,
  movementTable,
  type Rating,
  RATING_LABELS,
  type Ratings,
} from "../rules";

/** What a view needs of an assessment (the loader's JSON). */
export interface ShownAssessment {
  id: string;
  kind: keyof typeof ASSESSMENT_KINDS;
  edition: AsamEdition;
  assessedOn: string;
  ratings: Ratings;
  narratives: Record<Dimension, string>;
  recommendedLevel: string;
  placedLevel: string;
  differenceReason: keyof typeof DIFFERENCE_REASONS | null;
  differenceNote: string | null;
  assessedBy: string;
}

/** Risk colours, calm to alarming, each with the text colour that reads on it at WCAG AA (4.5:1). */
const RATING_COLORS: Record<Rating, string> = { 0: "teal.9", 1: "green.9", 2: "yellow.9", 3: "orange.9", 4: "red.9" };
const RATING_TEXT: Record<Rating, string> = { 0: "white", 1: "black", 2: "black", 3: "black", 4: "white" };
const DIRECTION_COLORS: Record<Direction, string> = { down: "teal.9", up: "red.9", same: "dimmed" };

export function RatingBadge({ rating }: { rating: Rating }) {
  return (
    <Badge color={RATING_COLORS[rating]} c={RATING_TEXT[rating]} variant="filled" style={{ textTransform: "none", flexShrink: 0 }}>
      {rating} · {RATING_LABELS[rating]}
    </Badge>
  );
}

function Move({ direction, change }: { direction: Direction; change: number }) {
  return (
    <Text span size="sm" c={DIRECTION_COLORS[direction]} fw={600}>
      {DIRECTION_ARROWS[direction]} {direction === "same" ? "no change" : `${DIRECTION_LABELS[direction]} (${change > 0 ? "+" : ""}${change})`}
    </Text>
  );
}

const kindAndDate = (a: ShownAssessment) => `${ASSESSMENT_KINDS[a.kind]}, ${shortDate(a.assessedOn)}`;

export function LatestAssessment({ latest, previous }: { latest: ShownAssessment; previous: ShownAssessment | null }) {
  const moves = previous ? dimensionMoves(previous.ratings, latest.ratings) : null;
  const summary = moves ? moveSummary(moves) : null;
  const differ = latest.recommendedLevel !== latest.placedLevel;
  return (
    <Card withBorder>
      <Group justify="space-between" align="baseline" mb="xs">
        <Title order={2} size="h3">
          Latest assessment: {kindAndDate(latest)}
        </Title>
        <Text size="sm" c="dimmed">
          By {latest.assessedBy} · ASAM Criteria, {latest.edition === "4" ? "4th" : "3rd"} edition
        </Text>
      </Group>
      {summary && previous ? (
        <Text size="sm" mb="sm">
          Since the {ASSESSMENT_KINDS[previous.kind].toLowerCase()} assessment of {shortDate(previous.assessedOn)}: lower risk in {summary.improved}, higher in{" "}
          {summary.worsened}, unchanged in {summary.same} of 6 dimensions.
        </Text>
      ) : null}
      <Group gap="xl" mb="md">
        <Text size="sm">
          <b>Recommended</b> {latest.recommendedLevel}
        </Text>
        <Text size="sm">
          <b>Placed</b> {latest.placedLevel}
        </Text>
        {differ ? (
          <Text size="sm">
            <b>Why they differ</b> {latest.differenceReason ? DIFFERENCE_REASONS[latest.differenceReason] : "not recorded"}
            {latest.differenceNote ? `: ${latest.differenceNote}` : ""}
          </Text>
        ) : null}
      </Group>
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="sm">
        {DIMENSIONS.map((d) => (
          <Card key={d} withBorder padding="sm" component="section" aria-label={`Dimension ${d}`}>
            <Group justify="space-between" align="flex-start" gap="xs" wrap="nowrap">
              <Text fw={600} size="sm">
                {d}. {dimensionName(latest.edition, d)}
              </Text>
              <RatingBadge rating={latest.ratings[d]} />
            </Group>
            {moves ? <Move direction={moves[d - 1].direction} change={moves[d - 1].change} /> : null}
            <Text size="sm" mt={4} style={{ whiteSpace: "pre-wrap" }}>
              {latest.narratives[d]}
            </Text>
          </Card>
        ))}
      </SimpleGrid>
    </Card>
  );
}

/** Dimension rows × assessment columns (oldest first): the rating, and an arrow from the one before. */
export function MovementTable({ assessments, edition }: { assessments: ShownAssessment[]; edition: AsamEdition }) {
  const table = movementTable(assessments);
  return (
    <Card withBorder>
      <Title order={2} size="h3" mb="xs">
        How each dimension moved
      </Title>
      <Text size="sm" c="dimmed" mb="xs">
        Risk ratings 0–4, oldest assessment first. ↓ lower risk than the assessment before, ↑ higher, → the same.
      </Text>
      <Table.ScrollContainer minWidth={320 + assessments.length * 96}>
        <Table fz="sm" striped aria-label="Dimension ratings by assessment" withColumnBorders>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Dimension</Table.Th>
              {assessments.map((a) => (
                <Table.Th key={a.id} scope="col" style={{ textAlign: "center" }}>
                  {shortDate(a.assessedOn)}
                  <Text size="xs" c="dimmed">
                    {ASSESSMENT_KINDS[a.kind]}
                  </Text>
                </Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {table.map((row) => (
              <Table.Tr key={row.dimension}>
                <Table.Th scope="row" fw={500}>
                  {row.dimension}. {dimensionName(edition, row.dimension)}
                </Table.Th>
                {row.cells.map((c) => (
                  <Table.Td key={c.id} style={{ textAlign: "center", whiteSpace: "nowrap" }}>
                    <b>{c.rating}</b>{" "}
                    {c.direction ? (
                      <Text span c={DIRECTION_COLORS[c.direction]} fw={700}>
                        <span aria-hidden="true">{DIRECTION_ARROWS[c.direction]}</span>
                        <VisuallyHidden>{DIRECTION_LABELS[c.direction]}</VisuallyHidden>
                      </Text>
                    ) : null}
                  </Table.Td>
                ))}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Card>
  );
}

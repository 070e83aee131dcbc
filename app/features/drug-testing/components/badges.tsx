import { Badge, Group, Text } from "@mantine/core";
import { NEUTRAL, READINGS, type Reading, VALIDITIES, type Validity } from "../rules";

const OUTCOME_STYLE: Record<string, { color: string; label: string }> = {
  pending: { color: "gray", label: "Pending" },
  negative: { color: "teal", label: "Negative" },
  invalid: { color: "orange", label: "Invalid specimen" },
  refused: { color: "red", label: "Refused" },
  no_show: { color: "red", label: "No-show" },
};

/**
 * A test's outcome as people read it: a positive that is only the prescribed MAT medication reads
 * "Expected positive", anything unexpected reads "Unexpected positive". With `neutral` (a role
 * without clinical access) the same in words that say nothing about treatment: "Expected
 * medication", "Not as expected". A negative on a dilute specimen reads "Negative, dilute" (it is
 * not counted as a negative; rules.ts, `countsAsNegative`); a dilute positive keeps its outcome with
 * a "Dilute" mark.
 */
export function OutcomeBadge({
  outcome,
  unexpectedPositive,
  validity,
  neutral = false,
}: {
  outcome: string;
  unexpectedPositive: boolean;
  validity?: string | null;
  neutral?: boolean;
}) {
  const style =
    outcome === "positive"
      ? unexpectedPositive
        ? { color: "red", label: neutral ? NEUTRAL.notAsExpected : "Unexpected positive" }
        : { color: "blue", label: neutral ? NEUTRAL.expected : "Expected positive" }
      : (OUTCOME_STYLE[outcome] ?? { color: "gray", label: outcome });
  const diluteNegative = validity === "dilute" && (outcome === "negative" || (outcome === "positive" && !unexpectedPositive));
  if (diluteNegative) {
    return (
      // Dark text on the light yellow keeps AA contrast (yellow text on it does not).
      <Badge color="yellow" c="dark.7" variant="light" tt="none" title="A dilute specimen: not counted as a negative; a recollection is asked for">
        {style.label}, dilute
      </Badge>
    );
  }
  return (
    <Group gap={4} wrap="nowrap">
      <Badge color={style.color} variant="light" tt="none">
        {style.label}
      </Badge>
      {validity === "dilute" && outcome !== "pending" ? (
        <Badge color="yellow" variant="outline" tt="none">
          Dilute
        </Badge>
      ) : null}
    </Group>
  );
}

const READING_COLORS: Record<Reading, string> = {
  pending: "gray",
  expected_negative: "teal",
  expected_positive: "blue",
  unexpected_positive: "red",
  unexpected_negative: "orange",
};

/** One analyte's reading, with a second badge when the rule marks it higher risk. */
export function ReadingBadge({ reading, highRisk }: { reading: string; highRisk: boolean }) {
  return (
    <Group gap={4} wrap="nowrap">
      <Badge color={READING_COLORS[reading as Reading] ?? "gray"} variant="light" tt="none">
        {READINGS[reading as Reading] ?? reading}
      </Badge>
      {highRisk ? (
        <Badge color="red.9" variant="filled" tt="none">
          Higher risk
        </Badge>
      ) : null}
    </Group>
  );
}

export function ValidityText({ validity }: { validity: string | null }) {
  if (!validity)
    return (
      <Text span c="dimmed">
        not yet read
      </Text>
    );
  return <Text span>{VALIDITIES[validity as Validity] ?? validity}</Text>;
}

/** The labels of the findings a test raised, as short badges; open ones in red. */
export function FindingBadges({ findings }: { findings: { label: string; open: boolean }[] }) {
  if (!findings.length) return null;
  return (
    <Group gap={4}>
      {findings.map((f) => (
        <Badge
          key={f.label}
          color={f.open ? "red" : "gray"}
          variant={f.open ? "light" : "outline"}
          tt="none"
          title={f.open ? "Unexpected result, not yet acknowledged" : "Acknowledged"}
        >
          {f.label}
          {f.open ? "" : " ✓"}
        </Badge>
      ))}
    </Group>
  );
}

import { Box, Group, Text, VisuallyHidden } from "@mantine/core";
import { shortDate } from "~/kernel/time";

export interface StripItem {
  id: string;
  date: string;
  outcome: string;
  unexpectedPositive: boolean;
  /** A prescribed buprenorphine or methadone was not detected: not negative. */
  medicationMissing: boolean;
  /** The specimen was dilute: a negative on it is not counted as negative. */
  dilute?: boolean;
  /** true negative (expected MAT positives included), false not negative, null pending */
  negative: boolean | null;
}

const describe = (t: StripItem, neutral: boolean) =>
  t.outcome === "pending"
    ? "pending"
    : t.outcome === "refused"
      ? "refused"
      : t.outcome === "no_show"
        ? "no-show"
        : t.outcome === "invalid"
          ? "invalid specimen"
          : t.unexpectedPositive
            ? neutral
              ? "not as expected"
              : "unexpected positive"
            : t.medicationMissing
              ? neutral
                ? "not as expected"
                : "prescribed medication not detected (not negative)"
              : t.dilute
                ? "negative, dilute (not counted as negative)"
                : t.outcome === "positive"
                  ? neutral
                    ? "negative apart from expected medication"
                    : "negative apart from prescribed MAT"
                  : "negative";

/** Red is "unexpected positive" (for staff, "not as expected", which also covers a missing expected medication). */
const colorOf = (t: StripItem, neutral: boolean) =>
  t.negative === null
    ? "var(--mantine-color-gray-5)"
    : t.negative
      ? "var(--mantine-color-teal-6)"
      : t.unexpectedPositive || (neutral && t.medicationMissing)
        ? "var(--mantine-color-red-7)"
        : "var(--mantine-color-orange-6)";

/**
 * The simple chart: one block per test, oldest on the left. Tall green blocks are negative (a
 * prescribed MAT medication alone counts as negative), short red ones unexpected positives, short
 * orange ones refusals, no-shows, invalid specimens, dilute negatives and prescribed medication not detected, grey
 * ones pending. Without clinical access, a missing medication is red "not as expected". Read as a list by
 * screen readers.
 */
export function TestStrip({ items, neutral = false }: { items: StripItem[]; neutral?: boolean }) {
  if (!items.length) return null;
  return (
    <div>
      <Box
        component="ul"
        aria-label={`The last ${items.length} tests, oldest first`}
        style={{ display: "flex", alignItems: "flex-end", gap: 4, listStyle: "none", padding: 0, margin: 0, height: 56 }}
      >
        {items.map((t) => (
          <li key={t.id} title={`${shortDate(t.date)}: ${describe(t, neutral)}`} style={{ flex: "0 0 14px" }}>
            <div aria-hidden style={{ height: t.negative ? 48 : 24, background: colorOf(t, neutral), borderRadius: 3 }} />
            <VisuallyHidden>
              {shortDate(t.date)}: {describe(t, neutral)}
            </VisuallyHidden>
          </li>
        ))}
      </Box>
      <Group gap="md" mt={6}>
        {[
          ["var(--mantine-color-teal-6)", neutral ? "Negative (expected medication counts as negative)" : "Negative (prescribed MAT counts as negative)"],
          ["var(--mantine-color-red-7)", neutral ? "Not as expected" : "Unexpected positive"],
          [
            "var(--mantine-color-orange-6)",
            neutral ? "Refused, no-show, invalid or dilute" : "Refused, no-show, invalid, dilute, or prescribed medication not detected",
          ],
          ["var(--mantine-color-gray-5)", "Pending"],
        ].map(([color, label]) => (
          <Group key={label} gap={4} wrap="nowrap">
            <span aria-hidden style={{ width: 10, height: 10, background: color, borderRadius: 2, display: "inline-block" }} />
            <Text size="xs">{label}</Text>
          </Group>
        ))}
      </Group>
    </div>
  );
}

import { Alert, Badge, Card, SimpleGrid, Text } from "@mantine/core";
import { URINE_TEMPERATURE_RANGE } from "../rules";
import { longDate } from "~/kernel/time";

export interface TestAlert {
  id: string;
  label: string;
  status: string;
  highRisk: boolean;
  note: string | null;
  by: string | null;
  on: string | null;
}

/** A test's open flag (one alert for all its open findings) and each acknowledgement. */
export function TestAlerts({ alerts }: { alerts: TestAlert[] }) {
  const open = alerts.filter((a) => a.status === "open");
  const closed = alerts.filter((a) => a.status === "acknowledged");
  return (
    <>
      {open.length ? (
        <Alert color="red" title="Unexpected result" role="alert">
          {open.map((a) => a.label).join(", ")}
          {open.some((a) => a.highRisk) ? " — higher risk" : ""}. The patient&apos;s counselor sees this flag until they acknowledge it with a note on the
          patient&apos;s Drug tests tab.
        </Alert>
      ) : null}
      {closed.map((a) => (
        <Alert key={a.id} color="gray" title={`${a.label}: acknowledged`}>
          {a.by} on {a.on ? longDate(a.on) : ""}
          {a.note ? `: ${a.note}` : "."}
        </Alert>
      ))}
    </>
  );
}

export interface CollectionFacts {
  collection: string;
  collector: string;
  recorder: string;
  panel: string | null;
  observed: boolean | null;
  urine: boolean;
  temperatureInRange: boolean | null;
  temperatureNote: string | null;
  /** The MAT the results were read against; null for a reader without clinical access. */
  mat: string[] | null;
  note: string | null;
}

/** Who collected and entered the test, how, and (for counselors) the MAT it was read against. */
export function CollectionFactsCard({ test: t }: { test: CollectionFacts }) {
  return (
    <Card withBorder>
      <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
        <Text size="sm">
          <b>{t.collection === "collected" ? "Collected by" : "Recorded by"}</b> {t.collector}
        </Text>
        {t.collection === "collected" ? (
          <>
            <Text size="sm">
              <b>Panel</b> {t.panel}
            </Text>
            <Text size="sm">
              <b>Observed</b> {t.observed ? "yes" : "no"}
            </Text>
            {t.urine ? (
              <Text size="sm">
                <b>Temperature</b> {t.temperatureInRange ? `in range (${URINE_TEMPERATURE_RANGE})` : `out of range — ${t.temperatureNote}`}
              </Text>
            ) : null}
          </>
        ) : null}
        {t.mat && t.collection === "collected" ? (
          <Text size="sm">
            <b>Read against MAT</b> {t.mat.length ? t.mat.join(", ") : "none on that day"}
          </Text>
        ) : null}
        <Text size="sm">
          <b>Entered by</b> {t.recorder}
        </Text>
      </SimpleGrid>
      {t.note ? (
        <Text size="sm" mt="sm">
          <b>Note</b> {t.note}
        </Text>
      ) : null}
    </Card>
  );
}

/** What stands instead of results when no specimen was collected. */
export function NoSpecimenCard({ collection }: { collection: string }) {
  return (
    <Card withBorder>
      <Badge color="red" variant="light" tt="none">
        {collection === "refused" ? "Refused" : "No-show"}
      </Badge>
      <Text size="sm" mt="xs">
        No specimen was collected, so there are no results. This is recorded as {collection === "refused" ? "a refusal" : "a no-show"}, never as a negative.
      </Text>
    </Card>
  );
}

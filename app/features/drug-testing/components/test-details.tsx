import { Alert, Anchor, Badge, Button, Card, SimpleGrid, Text } from "@mantine/core";
import { Link } from "@remix-run/react";
import { URINE_TEMPERATURE_RANGE } from "../rules";
import { longDate } from "~/kernel/time";

export interface LinkedTest {
  id: string;
  collectedOn: string;
  observed: boolean;
}

export interface Recollection {
  observed: boolean;
  reasons: string[];
  sources: string[];
  done: boolean;
}

/**
 * What a specimen that cannot be relied on asks of the collector: a new specimen, under direct
 * observation when the rules say so, with a button that records it linked to this test. Once a
 * recollection is recorded, the alert says so and links to it.
 */
export function RecollectionAlert({
  recollection: r,
  testId,
  patientId,
  recollections,
  canRecord,
}: {
  recollection: Recollection;
  testId: string;
  patientId: string;
  recollections: LinkedTest[];
  canRecord: boolean;
}) {
  const what = r.observed ? "Observed recollection needed" : "Recollection needed";
  if (r.done) {
    return (
      <Alert color="gray" title={`${what}: recollected`}>
        {r.reasons.join(", ")}. Recollected{" "}
        {recollections.map((c, i) => (
          <span key={c.id}>
            {i ? ", " : ""}
            <Anchor component={Link} to={`/drug-tests/${c.id}`}>
              on {longDate(c.collectedOn)}
            </Anchor>
            {c.observed ? " under direct observation" : ""}
          </span>
        ))}
        .
      </Alert>
    );
  }
  return (
    <Alert color="orange" title={what} role="alert">
      <Text size="sm">
        {r.reasons.join(", ")}: this specimen cannot be relied on.{" "}
        {r.observed
          ? "Collect a new specimen from the patient now, under direct observation"
          : "Collect a new specimen from the patient (direct observation is not required)"}{" "}
        and record it as a recollection of this test. ({r.sources.join("; ")}; the clinic follows DOT&apos;s thresholds as the published reference.)
      </Text>
      {canRecord ? (
        <Button component={Link} to={`/drug-tests/new?patient=${patientId}&recollectionOf=${testId}`} size="sm" mt="sm">
          {r.observed ? "Record the observed recollection" : "Record the recollection"}
        </Button>
      ) : null}
    </Alert>
  );
}

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
  temperatureF: number | null;
  measures: { creatinine: number | null; specificGravity: number | null; ph: number | null; oxidant: boolean | null };
  recollects: LinkedTest | null;
  /** The MAT the results were read against; null for a reader without clinical access. */
  mat: string[] | null;
  note: string | null;
}

/** The validity measurements in words ("creatinine 15 mg/dL · specific gravity 1.0020 · pH 6"), or "" when none. */
const measured = (m: CollectionFacts["measures"]) =>
  [
    m.creatinine !== null ? `creatinine ${m.creatinine} mg/dL` : "",
    m.specificGravity !== null ? `specific gravity ${m.specificGravity.toFixed(4)}` : "",
    m.ph !== null ? `pH ${m.ph}` : "",
    m.oxidant ? "oxidizing adulterant found" : "",
  ]
    .filter(Boolean)
    .join(" · ");

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
                <b>Temperature</b> {t.temperatureF !== null ? `${t.temperatureF} °F, ` : ""}
                {t.temperatureInRange ? `in range (${URINE_TEMPERATURE_RANGE})` : `out of range (${URINE_TEMPERATURE_RANGE})`}
                {t.temperatureInRange === false && t.temperatureNote ? ` — ${t.temperatureNote}` : ""}
              </Text>
            ) : null}
            {measured(t.measures) ? (
              <Text size="sm">
                <b>Validity tests</b> {measured(t.measures)}
              </Text>
            ) : null}
            {t.recollects ? (
              <Text size="sm">
                <b>Recollection of</b>{" "}
                <Anchor component={Link} to={`/drug-tests/${t.recollects.id}`}>
                  the test on {longDate(t.recollects.collectedOn)}
                </Anchor>
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

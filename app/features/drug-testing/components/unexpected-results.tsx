import { Anchor, Badge, Card, Group, Table, Title } from "@mantine/core";
import { Link } from "@remix-run/react";
import { PatientCell } from "./patient-cell";
import { longDate } from "~/kernel/time";
import { HeadedTable } from "./headed-table";

export interface OpenAlertRow {
  testId: string;
  patientId: string;
  name: string;
  mrn: string;
  collectedOn: string;
  labels: string[];
  highRisk: boolean;
  counselor: string | null;
}

/** Unexpected results not yet acknowledged: a counselor's own caseload (`mine`), or the site's. */
export function UnexpectedResults({ alerts, mine }: { alerts: OpenAlertRow[]; mine: boolean }) {
  return (
    <Card withBorder>
      <Title order={2} size="h3" mb="xs">
        Unexpected results {mine ? "on your caseload" : "awaiting acknowledgement"}
      </Title>
      <HeadedTable
        fz="sm"
        label="Unexpected results awaiting acknowledgement"
        heads={[{ title: "Patient" }, { title: "Collected" }, { title: "Finding" }, !mine && { title: "Counselor" }]}
      >
        {alerts.map((a) => (
          <Table.Tr key={a.testId}>
            <Table.Td>
              <PatientCell patientId={a.patientId} name={a.name} mrn={a.mrn} linked />
            </Table.Td>
            <Table.Td>
              <Anchor component={Link} to={`/drug-tests/${a.testId}`}>
                {longDate(a.collectedOn)}
              </Anchor>
            </Table.Td>
            <Table.Td>
              <Group gap={4}>
                {a.labels.map((l) => (
                  <Badge key={l} color="red" variant="light" tt="none">
                    {l}
                  </Badge>
                ))}
                {a.highRisk ? <HigherRiskBadge /> : null}
              </Group>
            </Table.Td>
            {mine ? null : <Table.Td>{a.counselor ?? "—"}</Table.Td>}
          </Table.Tr>
        ))}
      </HeadedTable>
    </Card>
  );
}

export function HigherRiskBadge() {
  return (
    <Badge color="red.9" variant="filled" tt="none">
      Higher risk
    </Badge>
  );
}

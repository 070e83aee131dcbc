import { Anchor, Card, Group, Table, Text, Title } from "@mantine/core";
import { Link } from "@remix-run/react";
import { shortDate } from "~/kernel/time";

export interface ActiveConsentRow {
  id: string;
  recipient: string;
  general: boolean;
  purposes: string;
  information: string;
  signedOn: string;
}

/** The consents a disclosure can be made under now; with none, the way to record one. */
export function ActiveConsents({ patientId, patientName, active }: { patientId: string; patientName: string; active: ActiveConsentRow[] }) {
  return (
    <Card withBorder>
      <Title order={2} size="h3" mb={4}>
        Active consents
      </Title>
      {active.length === 0 ? (
        <Text c="dimmed" size="sm">
          {patientName} has no active consent: nothing can be disclosed.{" "}
          <Anchor component={Link} to={`/patients/${patientId}/consents`}>
            Record a consent
          </Anchor>{" "}
          first.
        </Text>
      ) : (
        <Table fz="sm" aria-label="Active consents">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Recipient</Table.Th>
              <Table.Th>Purposes</Table.Th>
              <Table.Th>Information</Table.Th>
              <Table.Th>Signed</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {active.map((c) => (
              <Table.Tr key={c.id}>
                <Table.Td>
                  {c.recipient}
                  {c.general ? " (general designation: any recipient for these purposes)" : ""}
                </Table.Td>
                <Table.Td>{c.purposes}</Table.Td>
                <Table.Td>{c.information}</Table.Td>
                <Table.Td style={{ whiteSpace: "nowrap" }}>{shortDate(c.signedOn)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Card>
  );
}

export interface DisclosureRow {
  id: string;
  disclosedOn: string;
  recipient: string;
  purpose: string;
  information: string[];
  consent: { signedOn: string };
  disclosedBy: string;
}

/** The disclosures made from this chart, each with its document. */
export function DisclosureList({ patientId, disclosures }: { patientId: string; disclosures: DisclosureRow[] }) {
  return (
    <Card withBorder>
      <Group justify="space-between" mb="xs">
        <Title order={2} size="h3">
          Disclosures
        </Title>
        <Anchor component={Link} to={`/patients/${patientId}/accounting-of-disclosures`}>
          Print the accounting of disclosures (last 3 years)
        </Anchor>
      </Group>
      {disclosures.length === 0 ? (
        <Text c="dimmed">No disclosures made.</Text>
      ) : (
        <Table.ScrollContainer minWidth={720}>
          <Table fz="sm" striped aria-label="Disclosures">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Date</Table.Th>
                <Table.Th>Recipient</Table.Th>
                <Table.Th>Purpose</Table.Th>
                <Table.Th>Information</Table.Th>
                <Table.Th>Consent</Table.Th>
                <Table.Th>By</Table.Th>
                <Table.Th>Document</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {disclosures.map((d) => (
                <Table.Tr key={d.id}>
                  <Table.Td style={{ whiteSpace: "nowrap" }}>{shortDate(d.disclosedOn)}</Table.Td>
                  <Table.Td>{d.recipient}</Table.Td>
                  <Table.Td>{d.purpose}</Table.Td>
                  <Table.Td>{d.information.join(", ")}</Table.Td>
                  <Table.Td style={{ whiteSpace: "nowrap" }}>Signed {shortDate(d.consent.signedOn)}</Table.Td>
                  <Table.Td>{d.disclosedBy}</Table.Td>
                  <Table.Td>
                    <Anchor component={Link} to={`/disclosures/${d.id}`} aria-label={`Open the disclosure to ${d.recipient} on ${shortDate(d.disclosedOn)}`}>
                      Open
                    </Anchor>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Card>
  );
}

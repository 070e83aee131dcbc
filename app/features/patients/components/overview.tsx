import { Card, Table, Text, Title } from "@mantine/core";
import { RowsTable } from "~/components/rows-table";
import { DETOX_STATUSES, PAYER_TYPES, SEXES, STATUS_LABELS, type PatientStatus } from "../rules";
import { shortDate } from "~/kernel/time";

export type Fact = [label: string, value: string | null];

/** Label and value rows; an empty value reads "not recorded". */
export function Facts({ rows }: { rows: Fact[] }) {
  return (
    <Table variant="vertical" withTableBorder={false} fz="sm">
      <Table.Tbody>
        {rows.map(([k, v]) => (
          <Table.Tr key={k}>
            <Table.Th w={180}>{k}</Table.Th>
            <Table.Td>
              {v || (
                <Text span c="dimmed" size="sm">
                  not recorded
                </Text>
              )}
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

/** What the overview shows of someone's details: who they are and how to reach them. */
export interface PatientDetailsView {
  legalFirstName: string;
  legalLastName: string;
  preferredName: string | null;
  dateOfBirth: string;
  sex: string;
  genderIdentity: string | null;
  preferredLanguage: string;
  phone: string | null;
  email: string | null;
  address: string | null;
  emergencyContactName: string | null;
  emergencyContactRelationship: string | null;
  emergencyContactPhone: string | null;
  primaryCounselorName: string | null;
  payerType: string;
  payerPlan: string | null;
  payerMemberId: string | null;
  detoxStatus: string;
  detoxCompletedOn: string | null;
  part2NoticeOn: string | null;
}

export function demographicFacts(p: PatientDetailsView): Fact[] {
  return [
    ["Legal name", `${p.legalFirstName} ${p.legalLastName}`],
    ["Preferred name", p.preferredName],
    ["Date of birth", shortDate(p.dateOfBirth)],
    ["Sex", SEXES[p.sex as keyof typeof SEXES] ?? p.sex],
    ["Gender identity", p.genderIdentity],
    ["Preferred language", p.preferredLanguage],
    ["Phone", p.phone],
    ["Email", p.email],
    ["Address", p.address],
    [
      "Emergency contact",
      [p.emergencyContactName, p.emergencyContactRelationship && `(${p.emergencyContactRelationship})`, p.emergencyContactPhone].filter(Boolean).join(" ") ||
        null,
    ],
  ];
}

export function programFacts(p: PatientDetailsView, at: { siteName: string; track: string | null }): Fact[] {
  return [
    ["Site", at.siteName],
    ["Primary counselor", p.primaryCounselorName],
    ["Track", at.track],
    ["Payer", [PAYER_TYPES[p.payerType as keyof typeof PAYER_TYPES], p.payerPlan].filter(Boolean).join(" — ")],
    ["Member id", p.payerMemberId],
    ["Detox", `${DETOX_STATUSES[p.detoxStatus as keyof typeof DETOX_STATUSES]}${p.detoxCompletedOn ? ` (${shortDate(p.detoxCompletedOn)})` : ""}`],
    ["Part 2 notice given", p.part2NoticeOn ? shortDate(p.part2NoticeOn) : p.part2NoticeOn],
  ];
}

/** The card staff see instead of the clinical overview: identity only. */
export function IdentityCard({ identity }: { identity: { name: string; preferredName: string | null; mrn: string; track: string | null; siteName: string } }) {
  return (
    <Card withBorder maw={560}>
      <Title order={2} size="h3" mb="xs">
        Who this is
      </Title>
      <Facts
        rows={[
          ["Name", identity.name],
          ["Preferred name", identity.preferredName],
          ["MRN", identity.mrn],
          ["Track", identity.track],
          ["Site", identity.siteName],
        ]}
      />
      <Text size="sm" c="dimmed" mt="sm">
        Clinical details are visible to the patient's counselors and program admins only.
      </Text>
    </Card>
  );
}

export function StatusHistory({
  statuses,
}: {
  statuses: { id: string; effective_on: string; status: string; reason: string | null; changed_by_name: string | null }[];
}) {
  return (
    <Card withBorder>
      <Title order={2} size="h3" mb="xs">
        Status history
      </Title>
      <RowsTable
        rows={statuses}
        rowKey={(s) => s.id}
        columns={[
          { title: "From", cell: (s) => shortDate(s.effective_on) },
          { title: "Status", cell: (s) => STATUS_LABELS[s.status as PatientStatus] ?? s.status },
          { title: "Reason", cell: (s) => s.reason ?? "—" },
          { title: "By", cell: (s) => s.changed_by_name ?? "—" },
        ]}
      />
    </Card>
  );
}

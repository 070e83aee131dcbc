import { Badge, SimpleGrid, Stack, Text } from "@mantine/core";
import { RowsTable } from "~/components/rows-table";
import { SectionCard } from "~/components/section-card";
import { Facts } from "~/features/patients/components/overview";
import { PAYER_TYPES, SEXES, STATUS_LABELS, type PatientStatus } from "~/features/patients/rules";
import { shortDate, shortDateOr } from "~/kernel/time";
import type { BillingChartView } from "../chart.server";

interface Program {
  mrn: string;
  siteName: string;
  track: string | null;
  status: PatientStatus;
  levelOfCare: string;
  admittedOn: string | null;
  dischargedOn: string | null;
}

/**
 * The chart's overview for billing staff: who the patient is as a claim names them, the program
 * dates and level a claim carries, and the diagnosis codes for claims (code and description only).
 */
export function BillingOverview({ chart, program }: { chart: BillingChartView; program: Program }) {
  return (
    <Stack gap="md">
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <SectionCard title="Patient for claims">
          <Facts
            rows={[
              ["Legal name", chart.legalName],
              ["Date of birth", shortDate(chart.dateOfBirth)],
              ["Sex", SEXES[chart.sex as keyof typeof SEXES] ?? chart.sex],
              ["Address", chart.address],
              ["Phone", chart.phone],
              ["MRN", program.mrn],
            ]}
          />
        </SectionCard>
        <SectionCard title="Program and payer">
          <Facts
            rows={[
              ["Site", program.siteName],
              ["Track", program.track],
              ["Status", STATUS_LABELS[program.status]],
              ["Level of care", program.levelOfCare],
              ["Admitted", shortDateOr(program.admittedOn, "")],
              ["Discharged", shortDateOr(program.dischargedOn, "")],
              ["Payer", [PAYER_TYPES[chart.payerType as keyof typeof PAYER_TYPES], chart.payerPlan].filter(Boolean).join(" — ")],
              ["Member id", chart.payerMemberId],
            ]}
          />
        </SectionCard>
      </SimpleGrid>
      <SectionCard title="Diagnosis codes for claims">
        {chart.diagnoses.length === 0 ? (
          <Text c="dimmed" size="sm">
            No diagnosis codes are in effect. A claim needs at least one: ask the patient's counselor.
          </Text>
        ) : (
          <RowsTable
            rows={chart.diagnoses}
            rowKey={(d) => d.code}
            columns={[
              {
                title: "ICD-10-CM code",
                cell: (d) => (
                  <>
                    <b>{d.code}</b>{" "}
                    {d.primary ? (
                      <Badge size="xs" variant="light">
                        Principal
                      </Badge>
                    ) : null}
                  </>
                ),
              },
              { title: "Description", cell: (d) => d.description },
            ]}
          />
        )}
        <Text size="xs" c="dimmed" mt="xs">
          Codes in effect today, principal first. Clinical details (notes, plans, MAT, scores, drug tests) are visible to the patient's counselors and program
          admins only.
        </Text>
      </SectionCard>
    </Stack>
  );
}

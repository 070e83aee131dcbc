/** Home's list of patients with an open safety flag: a counselor's caseload, or an admin's site. */
import { Card, Text, Title } from "@mantine/core";
import { PlainLink, PlainTable, plain } from "~/components/plain-table";
import { shortDate } from "~/kernel/time";
import type { OpenSafetyFlag } from "../measures.server";

export function SafetyFlagsCard({ flags, scope }: { flags: OpenSafetyFlag[]; scope: "caseload" | "site" }) {
  return (
    <Card withBorder style={flags.length ? { borderColor: "var(--mantine-color-red-7)", borderWidth: 2 } : undefined}>
      <Title order={2} size="h3" mb={4}>
        Safety flags{flags.length ? ` (${flags.length})` : ""}
      </Title>
      <Text size="sm" c="dimmed" mb="xs">
        Patients {scope === "caseload" ? "on your caseload" : "at this site"} who answered above 0 on PHQ-9 item 9 (thoughts of death or self-harm) and have no
        safety check recorded yet.
      </Text>
      {flags.length === 0 ? (
        <Text size="sm">None open.</Text>
      ) : (
        <PlainTable
          label="Safety flags"
          columns={[{ title: "Patient" }, { title: "Flag opened" }, ...(scope === "site" ? [{ title: "Counselor" }] : [])]}
          rows={flags.map((f) => ({
            key: f.patientId,
            cells: [
              <>
                <PlainLink to={`/patients/${f.patientId}/measures`}>{f.name}</PlainLink>
                <p className={`${plain.small} ${plain.dimmed}`}>{f.mrn}</p>
              </>,
              shortDate(f.openedOn),
              ...(scope === "site" ? [f.counselor ?? "Not assigned"] : []),
            ],
          }))}
        />
      )}
    </Card>
  );
}

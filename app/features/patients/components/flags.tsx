import { Badge, Group } from "@mantine/core";

/** The risk and treatment flags a patient carries, as badges that read well in a list. */
export function PatientFlags({ dualDiagnosis, mat }: { dualDiagnosis: boolean; mat: string | null }) {
  if (!dualDiagnosis && !mat) return null;
  return (
    <Group gap={4} wrap="wrap">
      {dualDiagnosis ? (
        <Badge color="grape" variant="light" size="sm" tt="none">
          Dual diagnosis
        </Badge>
      ) : null}
      {mat ? (
        <Badge color="cyan" variant="light" size="sm" tt="none" title={`Medication for addiction treatment: ${mat}`}>
          MAT: {mat}
        </Badge>
      ) : null}
    </Group>
  );
}

const STATUS_COLORS: Record<string, string> = { referred: "yellow", active: "teal", on_hold: "orange", discharged: "gray" };
const STATUS_TEXT: Record<string, string> = { referred: "Referred", active: "Active", on_hold: "On hold", discharged: "Discharged" };

export function StatusBadge({ status }: { status: string }) {
  return (
    <Badge color={STATUS_COLORS[status] ?? "gray"} variant="light" size="sm">
      {STATUS_TEXT[status] ?? status}
    </Badge>
  );
}

import { Badge, Group } from "@mantine/core";

export interface PatientAlerts {
  belowRequired?: boolean;
  missedSessions?: boolean;
  /** Unacknowledged unexpected drug-test results. */
  unexpectedResults?: number;
}

/** The risk and treatment flags a patient carries, as badges that read well in a list. Alerts come first. */
export function PatientFlags({ dualDiagnosis, mat, alerts = {} }: { dualDiagnosis: boolean; mat: string | null; alerts?: PatientAlerts }) {
  const { belowRequired, missedSessions, unexpectedResults } = alerts;
  if (!dualDiagnosis && !mat && !belowRequired && !missedSessions && !unexpectedResults) return null;
  return (
    <Group gap={4} wrap="wrap">
      {unexpectedResults ? (
        <Badge color="red.9" variant="filled" size="sm" tt="none">
          {unexpectedResults === 1 ? "Unexpected result" : `${unexpectedResults} unexpected results`}
        </Badge>
      ) : null}
      {belowRequired ? (
        <Badge color="red" variant="light" size="sm" tt="none" title="Even attending everything left this week, they cannot reach the hours their level of care requires.">
          Below required hours
        </Badge>
      ) : null}
      {missedSessions ? (
        <Badge color="orange" variant="light" size="sm" tt="none" title="Two unexcused absences in a row.">
          Missed sessions
        </Badge>
      ) : null}
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

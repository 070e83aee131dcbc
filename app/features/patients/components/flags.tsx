import css from "./flags.module.css";

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
    <div className={css.flags}>
      {unexpectedResults ? (
        <span className={`${css.badge} ${css.alert}`}>{unexpectedResults === 1 ? "Unexpected result" : `${unexpectedResults} unexpected results`}</span>
      ) : null}
      {belowRequired ? (
        <span className={`${css.badge} ${css.red}`} title="Even attending everything left this week, they cannot reach the hours their level of care requires.">
          Below required hours
        </span>
      ) : null}
      {missedSessions ? (
        <span className={`${css.badge} ${css.orange}`} title="Two unexcused absences in a row.">
          Missed sessions
        </span>
      ) : null}
      {dualDiagnosis ? <span className={`${css.badge} ${css.grape}`}>Dual diagnosis</span> : null}
      {mat ? (
        <span className={`${css.badge} ${css.cyan}`} title={`Medication for addiction treatment: ${mat}`}>
          MAT: {mat}
        </span>
      ) : null}
    </div>
  );
}

const STATUS_COLORS: Record<string, string> = { referred: css.yellow, active: css.teal, on_hold: css.orange, discharged: css.gray };
const STATUS_TEXT: Record<string, string> = { referred: "Referred", active: "Active", on_hold: "On hold", discharged: "Discharged" };

export function StatusBadge({ status }: { status: string }) {
  return <span className={`${css.badge} ${css.upper} ${STATUS_COLORS[status] ?? css.gray}`}>{STATUS_TEXT[status] ?? status}</span>;
}

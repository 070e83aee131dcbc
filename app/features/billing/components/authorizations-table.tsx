/** The site's authorizations, one row each, with units used counted from attendance; each patient opens their Coverage section. */
import { PlainLink, PlainTable, plain } from "~/components/plain-table";
import { dateRange } from "~/kernel/time";
import type { AuthorizationListRow } from "../authorizations.server";
import { AUTHORIZATION_STATUSES, UNIT_KINDS } from "../rules";
import css from "./billing.module.css";

export function AuthorizationsTable({ rows }: { rows: AuthorizationListRow[] }) {
  return (
    <PlainTable
      label="Authorizations"
      columns={[
        { title: "Patient" },
        { title: "Payer" },
        { title: "Level" },
        { title: "Dates" },
        { title: "Status" },
        { title: "Used", right: true },
        { title: "Remaining", right: true },
        { title: "Days left", right: true },
      ]}
      rows={rows.map((a) => ({
        key: a.id,
        cells: [
          <>
            <PlainLink to={`/patients/${a.patientId}/coverage`}>{a.patientName}</PlainLink>
            <p className={`${plain.small} ${plain.dimmed}`}>{a.mrn}</p>
          </>,
          a.payerName,
          a.levelOfCare,
          dateRange(a.startsOn, a.endsOn),
          AUTHORIZATION_STATUSES[a.status],
          `${a.used} of ${a.unitsApproved} ${UNIT_KINDS[a.unitKind].toLowerCase()}`,
          <span key="r" className={a.exceeded ? css.danger : undefined}>
            {a.exceeded ? `${-a.remaining} over` : String(a.remaining)}
          </span>,
          String(a.daysLeft),
        ],
      }))}
    />
  );
}

import { Anchor, Table, Text } from "@mantine/core";
import { Link } from "@remix-run/react";
import { FindingBadges, OutcomeBadge } from "./badges";
import { HeadedTable } from "./headed-table";
import { PatientCell } from "./patient-cell";
import { longDate } from "~/kernel/time";
import type { TestRow } from "../views";

/**
 * Drug tests in a table: a site's day (`per="day"`: time, patient) or one patient's history
 * (`per="patient"`: date and time). Reason, outcome and flags read the same in both.
 */
export function TestTable({ rows, label, clinical, per }: { rows: TestRow[]; label: string; clinical: boolean; per: "day" | "patient" }) {
  return (
    <HeadedTable
      fz="sm"
      striped
      label={label}
      heads={[
        ...(per === "day" ? [{ title: "Time", w: 70 }, { title: "Patient" }] : [{ title: "Collected" }]),
        { title: "Reason" },
        { title: "Specimen" },
        { title: "Outcome" },
        { title: "Flagged" },
      ]}
    >
      {rows.map((t) => (
        <Table.Tr key={t.id}>
          {per === "day" ? (
            <>
              <Table.Td>
                <Anchor component={Link} to={`/drug-tests/${t.id}`} aria-label={`${t.time} test of ${t.name}`}>
                  {t.time}
                </Anchor>
              </Table.Td>
              <Table.Td>
                <PatientCell patientId={t.patientId ?? ""} name={t.name ?? ""} mrn={t.mrn ?? ""} />
              </Table.Td>
            </>
          ) : (
            <Table.Td>
              <Anchor component={Link} to={`/drug-tests/${t.id}`}>
                {longDate(t.date ?? "")}
              </Anchor>{" "}
              <Text span size="xs" c="dimmed">
                {t.time}
              </Text>
            </Table.Td>
          )}
          <Table.Td>{t.reason}</Table.Td>
          {per === "day" ? (
            <Table.Td>{t.specimen ? `${t.specimen}${t.panel ? ` · ${t.panel}` : ""}` : "—"}</Table.Td>
          ) : (
            <Table.Td>
              {t.specimen ? `${t.specimen}${t.observed ? ", observed" : ""}` : "—"}
              {t.panel ? (
                <Text size="xs" c="dimmed">
                  {t.panel}
                </Text>
              ) : null}
            </Table.Td>
          )}
          <Table.Td>
            <OutcomeBadge outcome={t.outcome} unexpectedPositive={t.unexpectedPositive} validity={t.validity} neutral={!clinical} />
          </Table.Td>
          <Table.Td>
            <FindingBadges findings={t.findings} />
          </Table.Td>
        </Table.Tr>
      ))}
    </HeadedTable>
  );
}

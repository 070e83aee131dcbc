import { Anchor, Badge, Group, Table } from "@mantine/core";
import { Link } from "@remix-run/react";
import { OutcomeBadge } from "./badges";
import { HeadedTable } from "./headed-table";
import { PatientCell } from "./patient-cell";
import type { BoardRow } from "../views";

/**
 * The selected patients of a draw in the order drawn, each with its collection or "Missing". The
 * day's page links each patient and offers "Record collection" (`record`); the draw's own page lists
 * them plainly.
 */
export function DrawBoard({
  rows,
  label,
  clinical,
  record,
}: {
  rows: BoardRow[];
  label: string;
  clinical: boolean;
  /** The day the board is for, and whether collections can still be recorded for it. */
  record?: { date: string; open: boolean };
}) {
  return (
    <HeadedTable fz="sm" striped label={label} heads={[{ title: "#", w: 40 }, { title: "Patient" }, { title: "Collection" }, Boolean(record) && {}]}>
      {rows.map((b) => (
        <Table.Tr key={b.patientId}>
          <Table.Td>{b.order}</Table.Td>
          <Table.Td>
            <PatientCell patientId={b.patientId} name={b.name} mrn={b.mrn} linked={Boolean(record)} />
          </Table.Td>
          <Table.Td>
            {b.test ? (
              <Group gap="xs">
                <Anchor component={Link} to={`/drug-tests/${b.test.id}`} size="sm">
                  {b.time}
                </Anchor>
                <OutcomeBadge outcome={b.test.outcome} unexpectedPositive={b.test.unexpectedPositive} neutral={!clinical} />
              </Group>
            ) : (
              <Badge color="orange" variant="light" tt="none">
                Missing
              </Badge>
            )}
          </Table.Td>
          {record ? (
            <Table.Td>
              {!b.test && record.open ? (
                <Anchor
                  component={Link}
                  to={`/drug-tests/new?patient=${b.patientId}&reason=random&date=${record.date}`}
                  size="sm"
                  aria-label={`Record collection for ${b.name}`}
                >
                  Record collection
                </Anchor>
              ) : null}
            </Table.Td>
          ) : null}
        </Table.Tr>
      ))}
    </HeadedTable>
  );
}

import { Anchor, Button, Group, NativeSelect, Text, TextInput } from "@mantine/core";
import { IconSearch } from "@tabler/icons-react";
import { Form, Link } from "@remix-run/react";
import { ServerTable } from "~/components/server-table";
import { LEVELS_OF_CARE } from "../rules";
import css from "./caseload.module.css";
import { PatientFlags, StatusBadge } from "./flags";

/** Which patients the list shows by status. */
export const STATUS_FILTERS = {
  open: "In the program (referred, active, on hold)",
  active: "Active",
  referred: "Referred",
  on_hold: "On hold",
  discharged: "Discharged",
  all: "Everyone, including discharged",
} as const;
export type CaseloadStatusFilter = keyof typeof STATUS_FILTERS;

/** The list's filters, sent as search params: clinical ones only for those who see clinical details. */
export function CaseloadFilters({
  clinical,
  counselors,
  filters,
}: {
  clinical: boolean;
  counselors: { value: string; label: string }[];
  filters: { counselor: string; status: string; level: string; flag: string; q: string };
}) {
  return (
    <Form method="get">
      <Group align="flex-end" gap="sm">
        {clinical ? (
          <NativeSelect
            label="Counselor"
            name="counselor"
            defaultValue={filters.counselor}
            data={[{ value: "all", label: "All counselors" }, ...counselors]}
            w={200}
          />
        ) : null}
        <NativeSelect
          label="Status"
          name="status"
          defaultValue={filters.status}
          data={Object.entries(STATUS_FILTERS).map(([value, label]) => ({ value, label }))}
          w={250}
        />
        {clinical ? (
          <>
            <NativeSelect
              label="Level of care"
              name="level"
              defaultValue={filters.level}
              data={[{ value: "", label: "Any level" }, ...LEVELS_OF_CARE.map((l) => ({ value: l, label: l }))]}
              w={140}
            />
            <NativeSelect
              label="Flag"
              name="flag"
              defaultValue={filters.flag}
              data={[
                { value: "", label: "Any" },
                { value: "dual", label: "Dual diagnosis" },
                { value: "mat", label: "On MAT" },
              ]}
              w={160}
            />
          </>
        ) : null}
        <TextInput label="Name or MRN" name="q" defaultValue={filters.q} leftSection={<IconSearch size={16} aria-hidden />} w={220} />
        <Button type="submit" variant="default">
          Show
        </Button>
      </Group>
    </Form>
  );
}

export interface CaseloadRow {
  id: string;
  name: string;
  preferredName: string | null;
  mrn: string;
  track: string | null;
  status: string;
  levelOfCare: string;
  adolescent: boolean;
  daysInProgram: number | null;
  counselor: string | null;
  dualDiagnosis: boolean;
  mat: string | null;
  alerts: { belowRequired?: boolean; missedSessions?: boolean; unexpectedResults?: number };
}

/** The patients, paged and sorted on the server. */
export function CaseloadTable({
  patients,
  clinical,
  searched,
  ...paging
}: {
  patients: CaseloadRow[];
  clinical: boolean;
  searched: boolean;
  total: number;
  page: number;
  pageSize: number;
  sort: string;
  direction: "asc" | "desc";
}) {
  return (
    <ServerTable
      ariaLabel="Patients"
      records={patients}
      {...paging}
      idAccessor="id"
      noRecordsText={searched ? "No patient matches that search." : "No patients match these filters."}
      columns={[
        {
          accessor: "name",
          title: "Name",
          sortable: true,
          render: (p) => (
            <div>
              <Anchor component={Link} to={`/patients/${p.id}`}>
                {p.name}
              </Anchor>
              {p.preferredName ? (
                <Text size="xs" c="dimmed">
                  Goes by {p.preferredName}
                </Text>
              ) : null}
              <Text size="xs" c="dimmed" className={css.narrowOnly}>
                <span className={css.mrn}>{p.mrn}</span>
                {p.track ? ` · ${p.track}` : null}
              </Text>
            </div>
          ),
        },
        {
          accessor: "mrn",
          title: "MRN",
          sortable: true,
          titleClassName: css.wideOnly,
          cellsClassName: css.wideOnly,
          render: (p) => <span className={css.mrn}>{p.mrn}</span>,
        },
        ...(clinical
          ? [
              {
                accessor: "level_of_care",
                title: "Level",
                sortable: true,
                render: (p: CaseloadRow) => `${p.levelOfCare}${p.adolescent ? " · adolescent" : ""}`,
              },
            ]
          : []),
        { accessor: "track", title: "Track", sortable: true, titleClassName: css.wideOnly, cellsClassName: css.wideOnly, render: (p) => p.track ?? "—" },
        { accessor: "status", title: "Status", sortable: true, render: (p) => <StatusBadge status={p.status} /> },
        ...(clinical
          ? [
              {
                accessor: "admitted_on",
                title: (
                  <>
                    <span className={css.wideOnly}>Days in program</span>
                    <span className={css.narrowOnly}>Days</span>
                  </>
                ),
                sortable: true,
                render: (p: CaseloadRow) => (p.daysInProgram ?? "—").toString(),
              },
              { accessor: "counselor", title: "Counselor", render: (p: CaseloadRow) => p.counselor ?? "—" },
              {
                accessor: "flags",
                title: "Flags",
                render: (p: CaseloadRow) => <PatientFlags dualDiagnosis={p.dualDiagnosis} mat={p.mat} alerts={p.alerts} />,
              },
            ]
          : []),
      ]}
    />
  );
}

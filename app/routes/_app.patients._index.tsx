import { Anchor, Button, Group, NativeSelect, Stack, Text, TextInput, Title } from "@mantine/core";
import { IconSearch, IconUserPlus } from "@tabler/icons-react";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { RouteErrorBoundary } from "~/components/error-boundary";
import { ServerTable } from "~/components/server-table";
import { requireUser } from "~/features/auth/guard.server";
import { can } from "~/features/auth/permissions";
import { CASELOAD_SORTS, listCaseload } from "~/features/patients/caseload.server";
import { PatientFlags, StatusBadge } from "~/features/patients/components/flags";
import { attendanceFlags } from "~/features/attendance/attendance.server";
import { unexpectedResultFlags } from "~/features/drug-testing/alerts.server";
import { counselorsAt } from "~/features/patients/patients.server";
import { LEVELS_OF_CARE } from "~/features/patients/rules";
import { readListParams } from "~/utils/list-params";
import { todayIn } from "~/kernel/time";
import { recordPatientListView } from "~/features/audit/list-views.server";

export const meta: MetaFunction = () => [{ title: "Patients · IOP Dashboard" }];

const STATUS_FILTERS = {
  open: "In the program (referred, active, on hold)",
  active: "Active",
  referred: "Referred",
  on_hold: "On hold",
  discharged: "Discharged",
  all: "Everyone, including discharged",
} as const;

export async function loader(args: LoaderFunctionArgs) {
  const { db, user, sites, site, meta } = await requireUser(args, "read:patients");
  const url = new URL(args.request.url);
  const sp = url.searchParams;
  const clinical = can(user.role, "read:patient-clinical");
  const siteIds = sites.map((s) => s.id);
  const params = readListParams(url, CASELOAD_SORTS, { sort: "name", direction: "asc" });
  const counselors = clinical ? await counselorsAt(db, siteIds) : [];
  // A counselor starts on their own caseload; everyone else on the whole program.
  const counselorParam = sp.get("counselor") ?? (user.role === "counselor" ? user.id : "all");
  const counselorId = counselorParam === "all" || !counselors.some((c) => c.id === counselorParam) ? null : counselorParam;
  const statusParam = sp.get("status") ?? "open";
  const status = (statusParam in STATUS_FILTERS ? statusParam : "open") as keyof typeof STATUS_FILTERS;
  const levelParam = sp.get("level");
  const level = clinical && LEVELS_OF_CARE.includes(levelParam as never) ? (levelParam as (typeof LEVELS_OF_CARE)[number]) : null;
  const flagParam = sp.get("flag");
  const flag = clinical && (flagParam === "dual" || flagParam === "mat") ? flagParam : null;
  const search = (sp.get("q") ?? "").trim().slice(0, 80);
  const today = todayIn(site?.time_zone ?? "UTC");
  const result = await listCaseload(db, { siteIds, counselorId, status, level, flag, search, today, ...params });
  const pageIds = result.patients.map((p) => p.id);
  // Who is a patient is itself Part 2 information: one audit row per view of the list.
  await recordPatientListView(
    db,
    user,
    {
      kind: "caseload",
      siteId: site?.id ?? null,
      filters: { status, counselor: counselorId ?? "all", level, flag, q: search, sort: params.sort, direction: params.direction, page: params.page },
      shown: pageIds.length,
    },
    meta,
  );
  const [flags, results] = clinical
    ? await Promise.all([attendanceFlags(db, pageIds, site?.time_zone ?? "UTC"), unexpectedResultFlags(db, pageIds)])
    : [new Map(), new Map()];
  const patients = clinical
    ? result.patients.map((p) => ({
        ...p,
        alerts: {
          belowRequired: flags.get(p.id)?.belowRequired ?? false,
          missedSessions: flags.get(p.id)?.missedSessions ?? false,
          unexpectedResults: results.get(p.id)?.count ?? 0,
        },
      }))
    : result.patients.map((p) => ({
        ...p,
        levelOfCare: "",
        counselor: null,
        dualDiagnosis: false,
        mat: null,
        adolescent: false,
        daysInProgram: null,
        admittedOn: null,
        alerts: {},
      }));
  return {
    ...params,
    total: result.total,
    patients,
    clinical,
    emergencyAccess: user.emergencyAccess,
    canEnroll: can(user.role, "write:patients"),
    counselors: counselors.map((c) => ({ value: c.id, label: c.role === "admin" ? `${c.name} (admin)` : c.name })),
    filters: { counselor: counselorId ?? "all", status, level: level ?? "", flag: flag ?? "", q: search },
    mine: counselorId === user.id,
  };
}

export default function PatientsPage() {
  const d = useLoaderData<typeof loader>();
  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={1}>{d.mine ? "My caseload" : "Patients"}</Title>
          <Text c="dimmed">
            {d.total} {d.total === 1 ? "patient" : "patients"}
            {d.mine ? " on your caseload" : ""}
          </Text>
        </div>
        <Group gap="sm">
          {d.emergencyAccess ? (
            <Button component={Link} to="/patients/emergency-access" variant="outline" color="red">
              Emergency access
            </Button>
          ) : null}
          {d.canEnroll ? (
            <Button component={Link} to="/patients/new" leftSection={<IconUserPlus size={18} aria-hidden />}>
              Enroll a patient
            </Button>
          ) : null}
        </Group>
      </Group>
      <Form method="get">
        <Group align="flex-end" gap="sm">
          {d.clinical ? (
            <NativeSelect
              label="Counselor"
              name="counselor"
              defaultValue={d.filters.counselor}
              data={[{ value: "all", label: "All counselors" }, ...d.counselors]}
              w={200}
            />
          ) : null}
          <NativeSelect
            label="Status"
            name="status"
            defaultValue={d.filters.status}
            data={Object.entries(STATUS_FILTERS).map(([value, label]) => ({ value, label }))}
            w={250}
          />
          {d.clinical ? (
            <>
              <NativeSelect
                label="Level of care"
                name="level"
                defaultValue={d.filters.level}
                data={[{ value: "", label: "Any level" }, ...LEVELS_OF_CARE.map((l) => ({ value: l, label: l }))]}
                w={140}
              />
              <NativeSelect
                label="Flag"
                name="flag"
                defaultValue={d.filters.flag}
                data={[
                  { value: "", label: "Any" },
                  { value: "dual", label: "Dual diagnosis" },
                  { value: "mat", label: "On MAT" },
                ]}
                w={160}
              />
            </>
          ) : null}
          <TextInput label="Name or MRN" name="q" defaultValue={d.filters.q} leftSection={<IconSearch size={16} aria-hidden />} w={220} />
          <Button type="submit" variant="default">
            Show
          </Button>
        </Group>
      </Form>
      <ServerTable
        ariaLabel="Patients"
        records={d.patients}
        total={d.total}
        page={d.page}
        pageSize={d.pageSize}
        sort={d.sort}
        direction={d.direction}
        idAccessor="id"
        noRecordsText={d.filters.q ? "No patient matches that search." : "No patients match these filters."}
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
              </div>
            ),
          },
          { accessor: "mrn", title: "MRN", sortable: true },
          ...(d.clinical
            ? [
                {
                  accessor: "level_of_care",
                  title: "Level",
                  sortable: true,
                  render: (p: (typeof d.patients)[number]) => `${p.levelOfCare}${p.adolescent ? " · adolescent" : ""}`,
                },
              ]
            : []),
          { accessor: "track", title: "Track", sortable: true, render: (p) => p.track ?? "—" },
          { accessor: "status", title: "Status", sortable: true, render: (p) => <StatusBadge status={p.status} /> },
          ...(d.clinical
            ? [
                {
                  accessor: "admitted_on",
                  title: "Days in program",
                  sortable: true,
                  render: (p: (typeof d.patients)[number]) => (p.daysInProgram ?? "—").toString(),
                },
                { accessor: "counselor", title: "Counselor", render: (p: (typeof d.patients)[number]) => p.counselor ?? "—" },
                {
                  accessor: "flags",
                  title: "Flags",
                  render: (p: (typeof d.patients)[number]) => <PatientFlags dualDiagnosis={p.dualDiagnosis} mat={p.mat} alerts={p.alerts} />,
                },
              ]
            : []),
        ]}
      />
    </Stack>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}

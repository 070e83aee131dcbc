import { Button, Group, Stack, Text, Title } from "@mantine/core";
import { IconUserPlus } from "@tabler/icons-react";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { RouteErrorBoundary } from "~/components/error-boundary";
import { attendanceFlags } from "~/features/attendance/attendance.server";
import { recordPatientListView } from "~/features/audit/list-views.server";
import { requireUser } from "~/features/auth/guard.server";
import { can } from "~/features/auth/permissions";
import { unexpectedResultFlags } from "~/features/drug-testing/alerts.server";
import { CASELOAD_SORTS, listCaseload } from "~/features/patients/caseload.server";
import { CaseloadFilters, CaseloadTable, STATUS_FILTERS } from "~/features/patients/components/caseload";
import { counselorChoices } from "~/features/patients/patients.server";
import { LEVELS_OF_CARE } from "~/features/patients/rules";
import { readListParams } from "~/utils/list-params";
import { todayIn } from "~/kernel/time";

export const meta: MetaFunction = () => [{ title: "Patients · IOP Dashboard" }];

export async function loader(args: LoaderFunctionArgs) {
  const { db, user, sites, site, meta } = await requireUser(args, "read:patients");
  const url = new URL(args.request.url);
  const sp = url.searchParams;
  const clinical = can(user.role, "read:patient-clinical");
  const siteIds = sites.map((s) => s.id);
  const params = readListParams(url, CASELOAD_SORTS, { sort: "name", direction: "asc" });
  const counselors = clinical ? await counselorChoices(db, siteIds) : [];
  // A counselor starts on their own caseload; everyone else on the whole program.
  const counselorParam = sp.get("counselor") ?? (user.role === "counselor" ? user.id : "all");
  const counselorId = counselorParam === "all" || !counselors.some((c) => c.value === counselorParam) ? null : counselorParam;
  const statusParam = sp.get("status") ?? "open";
  const status = (statusParam in STATUS_FILTERS ? statusParam : "open") as keyof typeof STATUS_FILTERS;
  const levelParam = sp.get("level");
  const level = clinical && LEVELS_OF_CARE.includes(levelParam as never) ? (levelParam as (typeof LEVELS_OF_CARE)[number]) : null;
  const flagParam = sp.get("flag");
  const flag = clinical && (flagParam === "dual" || flagParam === "mat") ? flagParam : null;
  const search = (sp.get("q") ?? "").trim().slice(0, 80);
  // Someone at no site (emergency access only) still reaches this list and its emergency-access button.
  const timeZone = site?.time_zone ?? "UTC";
  const today = todayIn(timeZone);
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
  const [flags, results] = clinical ? await Promise.all([attendanceFlags(db, pageIds, timeZone), unexpectedResultFlags(db, pageIds)]) : [new Map(), new Map()];
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
    counselors,
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
      <CaseloadFilters clinical={d.clinical} counselors={d.counselors} filters={d.filters} />
      <CaseloadTable
        patients={d.patients}
        clinical={d.clinical}
        searched={Boolean(d.filters.q)}
        total={d.total}
        page={d.page}
        pageSize={d.pageSize}
        sort={d.sort}
        direction={d.direction}
      />
    </Stack>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}

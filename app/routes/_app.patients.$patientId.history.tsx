import { Code, Stack, Text, Title } from "@mantine/core";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { RouteErrorBoundary } from "~/components/error-boundary";
import { listAuditEvents } from "~/features/audit/audit-log.server";
import { type AuditEvent, AuditTable } from "~/features/audit/components/audit-table";
import type { DataTableColumn } from "mantine-datatable";
import { requirePatient } from "~/features/patients/access.server";
import { readListParams } from "~/utils/list-params";

export async function loader(args: LoaderFunctionArgs) {
  const { db, patientId, sites, header } = await requirePatient(args, "read:patient-clinical", "history");
  const params = readListParams(new URL(args.request.url), ["occurred_at"] as const, { sort: "occurred_at", direction: "desc", pageSize: 25 });
  const result = await listAuditEvents(db, { patientId, siteIds: sites.map((s) => s.id) }, params);
  return { ...result, ...params, timeZone: header.timeZone };
}

const ACTION_TEXT: Record<string, string> = {
  "patient.viewed": "Viewed the chart",
  "patient.enrolled": "Enrolled",
  "patient.updated": "Changed details",
  "patient.level_changed": "Changed level of care",
  "patient.status_changed": "Changed status",
  "patient.discharged": "Discharged",
  "patient.readmitted": "Re-admitted",
  "diagnosis.added": "Added a diagnosis",
  "diagnosis.resolved": "Resolved a diagnosis",
  "mat.started": "Recorded a MAT episode",
  "mat.ended": "Ended a MAT episode",
};

function details(action: string, json: string | null): string {
  if (!json) return "";
  try {
    const c = JSON.parse(json) as { before?: Record<string, unknown>; after?: Record<string, unknown>; detail?: Record<string, unknown> };
    if (action === "patient.viewed") return `Section: ${String(c.detail?.section ?? "")}`;
    const parts = Object.entries(c.after ?? {}).map(([k, v]) =>
      c.before && k in c.before ? `${k}: ${JSON.stringify(c.before[k])} → ${JSON.stringify(v)}` : `${k}: ${typeof v === "string" ? v : JSON.stringify(v)}`,
    );
    return parts.join("; ");
  } catch {
    return "";
  }
}

/** What a chart's history says of each event after when and who, in words a clinician reads. */
const CHART_COLUMNS: DataTableColumn<AuditEvent>[] = [
  { accessor: "action", title: "What", render: (e) => ACTION_TEXT[e.action] ?? <Code>{e.action}</Code> },
  { accessor: "changes", title: "Details", render: (e) => <Text size="xs">{details(e.action, e.changes)}</Text> },
];

export default function ChartHistory() {
  const d = useLoaderData<typeof loader>();
  return (
    <Stack gap="xs">
      <Title order={2} size="h3">
        Chart history
      </Title>
      <Text size="sm" c="dimmed">
        Everyone who opened or changed this chart, newest first. The same entries are in the program's audit log.
      </Text>
      <AuditTable label="Chart history" list={d} timeZone={d.timeZone} whenWidth={210} empty="Nothing recorded yet." columns={CHART_COLUMNS} />
    </Stack>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}

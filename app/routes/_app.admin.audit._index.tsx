import { Alert, Button, Code, Group, Stack, Text, TextInput, Title } from "@mantine/core";
import { IconDownload } from "@tabler/icons-react";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useLoaderData, useLocation } from "@remix-run/react";
import { RouteErrorBoundary } from "~/components/error-boundary";
import { FilterSelect } from "~/components/filter-select";
import { type AuditEvent, AuditTable } from "~/features/audit/components/audit-table";
import type { DataTableColumn } from "mantine-datatable";
import { auditActions, auditUsers, listAuditEvents } from "~/features/audit/audit-log.server";
import { readAuditQuery } from "~/features/audit/query.server";
import { requireUser } from "~/features/auth/guard.server";
import { readListParams } from "~/utils/list-params";

export const meta: MetaFunction = () => [{ title: "Audit log · IOP Dashboard" }];

export async function loader(args: LoaderFunctionArgs) {
  const { db, sites, site } = await requireUser(args, "read:audit");
  const url = new URL(args.request.url);
  const timeZone = site?.time_zone ?? "UTC";
  const siteIds = sites.map((s) => s.id);
  const params = readListParams(url, ["occurred_at"] as const, { sort: "occurred_at", direction: "desc", pageSize: 50 });
  const query = readAuditQuery(url, siteIds, timeZone);
  const [actions, users] = await Promise.all([auditActions(db), auditUsers(db, siteIds)]);
  const result = query.ok ? await listAuditEvents(db, query.filters, params) : { total: 0, events: [] };
  return { ...result, ...params, values: query.values, errors: query.ok ? {} : query.errors, actions, users, timeZone };
}

function describeChanges(json: string | null): string {
  if (!json) return "";
  try {
    const c = JSON.parse(json) as { before?: Record<string, unknown>; after?: Record<string, unknown>; detail?: Record<string, unknown> };
    const parts: string[] = [];
    for (const key of Object.keys(c.after ?? {})) {
      const after = JSON.stringify(c.after?.[key]);
      parts.push(c.before ? `${key}: ${JSON.stringify(c.before[key] ?? null)} → ${after}` : `${key}: ${after}`);
    }
    for (const [k, v] of Object.entries(c.detail ?? {})) parts.push(`${k}: ${typeof v === "string" ? v : JSON.stringify(v)}`);
    return parts.join("; ");
  } catch {
    return json;
  }
}

/** What the log shows of each event after when and who: every field a reviewer needs. */
const LOG_COLUMNS: DataTableColumn<AuditEvent>[] = [
  { accessor: "action", title: "Action", render: (e) => <Code>{e.action}</Code> },
  { accessor: "outcome", title: "Outcome" },
  { accessor: "entity_type", title: "Record", render: (e) => (e.entity_type ? `${e.entity_type} ${e.entity_id?.slice(-8) ?? ""}` : "—") },
  { accessor: "changes", title: "Details", render: (e) => <Text size="xs">{describeChanges(e.changes)}</Text> },
  { accessor: "ip", title: "Address", render: (e) => e.ip ?? "—" },
];

export default function AuditPage() {
  const data = useLoaderData<typeof loader>();
  const location = useLocation();
  const exportHref = `/admin/audit/export.csv${location.search}`;
  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={1}>Audit log</Title>
          <Text c="dimmed">Every sign-in, refusal and change, in order. Each entry is chained to the one before, so edits are detectable.</Text>
        </div>
        <Button component="a" href={exportHref} variant="light" leftSection={<IconDownload size={18} aria-hidden />}>
          Export CSV
        </Button>
      </Group>
      <Form method="get">
        <Group align="flex-start" gap="sm">
          <FilterSelect
            label="User"
            name="user"
            value={data.values.user}
            any="Anyone"
            options={data.users.map((u) => ({ value: u.id, label: u.name }))}
            error={data.errors.user}
            w={200}
          />
          <FilterSelect label="Action" name="action" value={data.values.action} any="Any action" options={data.actions} error={data.errors.action} w={220} />
          <TextInput label="Patient id" name="patient" defaultValue={data.values.patient} error={data.errors.patient} w={180} />
          <TextInput label="From" type="date" name="from" defaultValue={data.values.from} error={data.errors.from} w={160} />
          <TextInput label="To" type="date" name="to" defaultValue={data.values.to} error={data.errors.to} w={160} />
          <Button type="submit" mt={25}>
            Filter
          </Button>
        </Group>
      </Form>
      {Object.keys(data.errors).length ? (
        <Alert color="red" role="alert">
          Fix the filters above to see the log.
        </Alert>
      ) : null}
      <AuditTable
        label="Audit events"
        list={data}
        timeZone={data.timeZone}
        whenWidth={200}
        empty="No audit events match these filters."
        columns={LOG_COLUMNS}
      />
    </Stack>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}

import { Button, Group, Stack, Text, Title } from "@mantine/core";
import { IconDownload } from "@tabler/icons-react";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData, useLocation } from "@remix-run/react";
import { RouteErrorBoundary } from "~/components/error-boundary";
import { AuditFilters } from "~/features/audit/components/audit-filters";
import { AuditTable } from "~/features/audit/components/audit-table";
import { auditUsers, listReadableAuditEvents } from "~/features/audit/audit-log.server";
import { readAuditQuery } from "~/features/audit/query.server";
import { requireUser } from "~/features/auth/guard.server";
import { can } from "~/features/auth/permissions";
import { readListParams } from "~/utils/list-params";

export const meta: MetaFunction = () => [{ title: "Audit log · IOP Dashboard" }];

export async function loader(args: LoaderFunctionArgs) {
  const { db, sites, site, user } = await requireUser(args, "read:audit");
  const url = new URL(args.request.url);
  const timeZone = site?.time_zone ?? "UTC";
  const siteIds = sites.map((s) => s.id);
  const params = readListParams(url, ["occurredAt"] as const, { sort: "occurredAt", direction: "desc", pageSize: 50 });
  const query = readAuditQuery(url, siteIds, timeZone);
  const users = await auditUsers(db, siteIds);
  const result = query.ok
    ? await listReadableAuditEvents(db, query.filters, params, { namePatients: can(user.role, "read:patients"), timeZone })
    : { total: 0, events: [] };
  return { ...result, ...params, values: query.values, errors: query.ok ? {} : query.errors, users, timeZone };
}

export default function AuditPage() {
  const data = useLoaderData<typeof loader>();
  const location = useLocation();
  const exportHref = `/admin/audit/export.csv${location.search}`;
  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={1}>Audit log</Title>
          <Text c="dimmed">Every sign-in, chart opened, refusal and change, in order. Each entry is chained to the one before, so edits are detectable.</Text>
        </div>
        <Button component="a" href={exportHref} variant="light" leftSection={<IconDownload size={18} aria-hidden />}>
          Export CSV
        </Button>
      </Group>
      <AuditFilters values={data.values} errors={data.errors} users={data.users} />
      <AuditTable label="Audit events" list={data} timeZone={data.timeZone} empty="No audit events match these filters." />
    </Stack>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}

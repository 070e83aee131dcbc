import { Stack, Text, Title } from "@mantine/core";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { RouteErrorBoundary } from "~/components/error-boundary";
import { listReadableAuditEvents } from "~/features/audit/audit-log.server";
import { AuditTable } from "~/features/audit/components/audit-table";
import { requirePatient } from "~/features/patients/access.server";
import { readListParams } from "~/utils/list-params";

export async function loader(args: LoaderFunctionArgs) {
  const { db, patientId, sites, header } = await requirePatient(args, "read:patient-clinical", "history");
  const params = readListParams(new URL(args.request.url), ["occurredAt"] as const, { sort: "occurredAt", direction: "desc", pageSize: 25 });
  const result = await listReadableAuditEvents(db, { patientId, siteIds: sites.map((s) => s.id) }, params, { namePatients: false, timeZone: header.timeZone });
  return { ...result, ...params, timeZone: header.timeZone };
}

export default function ChartHistory() {
  const d = useLoaderData<typeof loader>();
  return (
    <Stack gap="xs">
      <Title order={2} size="h3">
        Chart history
      </Title>
      <Text size="sm" c="dimmed">
        Everyone who opened or changed this chart, newest first. The same entries are in the program&apos;s audit log.
      </Text>
      <AuditTable label="Chart history" list={d} timeZone={d.timeZone} empty="Nothing recorded yet." showPatient={false} showAddress={false} />
    </Stack>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}

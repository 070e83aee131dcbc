import { Anchor, Button, Card, Group, Stack, Text, TextInput } from "@mantine/core";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { RouteErrorBoundary } from "~/components/error-boundary";
import { PageHeading } from "~/components/page-heading";
import { RowsTable } from "~/components/rows-table";
import { emergencyAccessReport } from "~/features/auth/emergency-access.server";
import { EMERGENCY_ACCESS_MINUTES } from "~/features/auth/security";
import { requireUser } from "~/features/auth/guard.server";
import { ROLE_LABELS } from "~/features/auth/permissions";
import { readRange } from "~/features/reports/range";
import { addDays, startOfDayUtc, todayIn, formatInstant } from "~/kernel/time";

export const meta: MetaFunction = () => [{ title: "Emergency access report · IOP Dashboard" }];

export async function loader(args: LoaderFunctionArgs) {
  const { db, sites, site } = await requireUser(args, "read:audit");
  const tz = site?.time_zone ?? "UTC";
  const sp = new URL(args.request.url).searchParams;
  const { value, errors } = readRange(sp, todayIn(tz));
  const from = sp.get("from") ? value.from : addDays(value.to, -89);
  const rows = await emergencyAccessReport(
    db,
    sites.map((s) => s.id),
    startOfDayUtc(from, tz),
    startOfDayUtc(addDays(value.to, 1), tz),
  );
  return {
    from,
    to: value.to,
    errors,
    rows: rows.map((r) => ({ ...r, startedAt: formatInstant(r.startedAt, tz), expiresAt: formatInstant(r.expiresAt, tz) })),
  };
}

export default function EmergencyAccessReportPage() {
  const { from, to, errors, rows } = useLoaderData<typeof loader>();
  return (
    <Stack gap="lg">
      <PageHeading back={{ to: "/admin/security", label: "Sign-in security" }} title="Emergency access report">
        Every time someone broke the glass: who, which chart, why, and how many pages they opened in its {EMERGENCY_ACCESS_MINUTES} minutes. Review each one.
      </PageHeading>
      <Form method="get">
        <Group align="flex-start">
          <TextInput type="date" label="From" name="from" defaultValue={from} error={errors.from} />
          <TextInput type="date" label="To" name="to" defaultValue={to} error={errors.to} />
          <Button type="submit" variant="light" mt={25}>
            Show
          </Button>
        </Group>
      </Form>
      <Card withBorder>
        {rows.length === 0 ? (
          <Text size="sm">
            Nobody used emergency access between {from} and {to}.
          </Text>
        ) : (
          <RowsTable
            label="Emergency accesses"
            rows={rows}
            rowKey={(r) => r.id}
            columns={[
              { title: "Started", cell: (r) => r.startedAt },
              {
                title: "Who",
                cell: (r) => (
                  <>
                    {r.userName}
                    <Text size="xs" c="dimmed">
                      {ROLE_LABELS[r.userRole as keyof typeof ROLE_LABELS] ?? r.userRole}
                    </Text>
                  </>
                ),
              },
              {
                title: "Patient",
                cell: (r) => (
                  <>
                    <Anchor component={Link} to={`/admin/audit?patient=${r.patientId}`}>
                      {r.patientName ?? r.mrn}
                    </Anchor>
                    <Text size="xs" c="dimmed">
                      {r.patientName ? `${r.mrn} · ${r.siteName}` : r.siteName}
                    </Text>
                  </>
                ),
              },
              { title: "Reason", maw: 360, cell: (r) => r.reason },
              { title: "Pages viewed", right: true, cell: (r) => r.pagesViewed },
              { title: "Until", cell: (r) => r.expiresAt },
            ]}
          />
        )}
      </Card>
    </Stack>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}

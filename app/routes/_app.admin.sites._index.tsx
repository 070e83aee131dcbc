import { Button, Group, Stack, Text, Title } from "@mantine/core";
import { IconPlus } from "@tabler/icons-react";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { RouteErrorBoundary } from "~/components/error-boundary";
import { SitesTable } from "~/features/admin/components/sites-table";
import { listManagedSites } from "~/features/admin/sites.server";
import { requireUser } from "~/features/auth/guard.server";

export const meta: MetaFunction = () => [{ title: "Sites · IOP Dashboard" }];

export async function loader(args: LoaderFunctionArgs) {
  const { db, sites } = await requireUser(args, "manage:sites");
  return {
    sites: await listManagedSites(
      db,
      sites.map((s) => s.id),
    ),
  };
}

export default function SitesPage() {
  const { sites } = useLoaderData<typeof loader>();
  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={1}>Sites</Title>
          <Text c="dimmed">The sites you work at: each one&apos;s name, the time zone its days are counted in, and its address.</Text>
        </div>
        <Button component={Link} to="/admin/sites/new" leftSection={<IconPlus size={18} aria-hidden />}>
          Add a site
        </Button>
      </Group>
      <SitesTable sites={sites} />
    </Stack>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}

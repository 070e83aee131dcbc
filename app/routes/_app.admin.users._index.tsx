import { Anchor, Badge, Button, Group, Stack, Text, TextInput, Title } from "@mantine/core";
import { IconSearch, IconUserPlus } from "@tabler/icons-react";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { RouteErrorBoundary } from "~/components/error-boundary";
import { placeOf, ServerTable } from "~/components/server-table";
import { listUsers, USER_SORTS } from "~/features/admin/users.server";
import { requireUser } from "~/features/auth/guard.server";
import { ROLE_LABELS } from "~/features/auth/permissions";
import { formatInstant } from "~/kernel/time";
import { readListParams } from "~/utils/list-params";

export const meta: MetaFunction = () => [{ title: "Staff accounts · IOP Dashboard" }];

export async function loader(args: LoaderFunctionArgs) {
  const { db, sites, site } = await requireUser(args, "manage:users");
  const url = new URL(args.request.url);
  const params = readListParams(url, USER_SORTS, { sort: "name", direction: "asc" });
  const search = (url.searchParams.get("q") ?? "").trim().slice(0, 100);
  const result = await listUsers(db, { ...params, search, siteIds: sites.map((s) => s.id) });
  return { ...result, ...params, search, timeZone: site?.time_zone ?? "UTC" };
}

export default function UsersPage() {
  const data = useLoaderData<typeof loader>();
  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={1}>Staff accounts</Title>
          <Text c="dimmed">Everyone who can sign in at your sites.</Text>
        </div>
        <Group gap="sm">
          <Button component={Link} to="/admin/security" variant="default">
            Sign-in security
          </Button>
          <Button component={Link} to="/admin/users/new" leftSection={<IconUserPlus size={18} aria-hidden />}>
            Add a staff member
          </Button>
        </Group>
      </Group>
      <Form method="get" role="search">
        <Group align="flex-end">
          <TextInput label="Search by name or email" name="q" defaultValue={data.search} leftSection={<IconSearch size={16} aria-hidden />} w={320} />
          <Button type="submit" variant="default">
            Search
          </Button>
        </Group>
      </Form>
      <ServerTable
        ariaLabel="Staff accounts"
        records={data.users}
        {...placeOf(data)}
        idAccessor="id"
        noRecordsText={data.search ? "No one matches that search." : "No staff accounts yet."}
        columns={[
          {
            accessor: "name",
            title: "Name",
            sortable: true,
            render: (u) => (
              <Text span size="sm">
                <Anchor component={Link} to={`/admin/users/${u.id}`}>
                  {u.name}
                </Anchor>
                {u.credentials ? (
                  <Text span size="sm" c="dimmed">
                    , {u.credentials}
                  </Text>
                ) : null}
              </Text>
            ),
          },
          { accessor: "email", title: "Email", sortable: true },
          { accessor: "role", title: "Role", sortable: true, render: (u) => ROLE_LABELS[u.role] },
          {
            accessor: "signing",
            title: "Signs",
            render: (u) => u.signing ?? "—",
          },
          { accessor: "sites", title: "Sites", render: (u) => u.sites.join(", ") },
          {
            accessor: "active",
            title: "Status",
            sortable: true,
            render: (u) =>
              !u.active ? (
                <Badge color="gray" variant="light">
                  Deactivated
                </Badge>
              ) : u.must_change_password ? (
                <Badge color="yellow" variant="light">
                  Must set password
                </Badge>
              ) : (
                <Badge color="teal" variant="light">
                  Active
                </Badge>
              ),
          },
          {
            accessor: "last_sign_in_at",
            title: "Last sign-in",
            sortable: true,
            render: (u) => (u.last_sign_in_at ? formatInstant(u.last_sign_in_at, data.timeZone) : "Never"),
          },
        ]}
      />
    </Stack>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}

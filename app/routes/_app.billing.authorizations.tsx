import { Anchor, Button, Group, NativeSelect, Stack, Text } from "@mantine/core";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { RouteErrorBoundary } from "~/components/error-boundary";
import { FilterSelect } from "~/components/filter-select";
import { PageHeading } from "~/components/page-heading";
import { requireSiteUser } from "~/features/auth/guard.server";
import { listSiteAuthorizations } from "~/features/billing/authorizations.server";
import { AUTHORIZATION_STATUSES } from "~/features/billing/rules";
import { AuthorizationsTable } from "~/features/billing/components/authorizations-table";
import { AUTHORIZATION_FILTERS, AuthorizationListSchema } from "~/features/billing/schemas";
import { recordPatientListView } from "~/features/audit/list-views.server";

export const meta: MetaFunction = () => [{ title: "Authorizations · IOP Dashboard" }];

export async function loader(args: LoaderFunctionArgs) {
  const { db, user, site, today, meta } = await requireSiteUser(args, "read:coverage");
  const params = Object.fromEntries(new URL(args.request.url).searchParams);
  const q = AuthorizationListSchema.parse(params);
  const list = await listSiteAuthorizations(db, site.id, today, { status: q.status, show: q.show, page: q.page });
  await recordPatientListView(
    db,
    user,
    { kind: "authorizations", siteId: site.id, filters: { status: q.status ?? null, show: q.show, page: list.page }, shown: list.rows.length },
    meta,
  );
  return { site: { name: site.name }, filters: { status: q.status ?? "", show: q.show }, ...list };
}

export default function AuthorizationsPage() {
  const { site, filters, rows, total, page, pageSize } = useLoaderData<typeof loader>();
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const at = (p: number) => `?${new URLSearchParams({ ...(filters.status ? { status: filters.status } : {}), show: filters.show, page: String(p) })}`;
  return (
    <Stack gap="lg">
      <PageHeading back={{ to: "/", label: "Home" }} title="Authorizations">
        Every authorization at {site.name}, with units used counted from attendance (only days billable by their hours count).
      </PageHeading>
      <Form method="get">
        <Group align="flex-end">
          <FilterSelect
            label="Status"
            name="status"
            value={filters.status}
            any="Any status"
            options={Object.entries(AUTHORIZATION_STATUSES).map(([value, label]) => ({ value, label }))}
            w={180}
          />
          <NativeSelect
            label="Show"
            name="show"
            defaultValue={filters.show}
            data={Object.entries(AUTHORIZATION_FILTERS).map(([value, label]) => ({ value, label }))}
            w={220}
          />
          <Button type="submit" variant="light">
            Show authorizations
          </Button>
        </Group>
      </Form>
      <Text size="sm" aria-live="polite">
        {total === 0
          ? "No authorizations match."
          : `${total} ${total === 1 ? "authorization" : "authorizations"}${pages > 1 ? `, page ${page} of ${pages}` : ""}.`}
      </Text>
      {rows.length ? <AuthorizationsTable rows={rows} /> : null}
      {pages > 1 ? (
        <Group aria-label="Pages">
          {page > 1 ? (
            <Anchor component={Link} to={at(page - 1)}>
              Previous page
            </Anchor>
          ) : null}
          {page < pages ? (
            <Anchor component={Link} to={at(page + 1)}>
              Next page
            </Anchor>
          ) : null}
        </Group>
      ) : null}
    </Stack>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}

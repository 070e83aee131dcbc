import { Anchor, Card, SimpleGrid, Stack, Text, Title } from "@mantine/core";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { RouteErrorBoundary } from "~/components/error-boundary";
import { forbidden, requireUser } from "~/features/auth/guard.server";
import { can } from "~/features/auth/permissions";
import { REPORTS, reportPermission } from "~/features/reports/registry.server";

export const meta: MetaFunction = () => [{ title: "Reports · IOP Dashboard" }];

export async function loader(args: LoaderFunctionArgs) {
  // Open to whoever may open at least one report: "read:reports", or "bill:claims" for billing's own.
  const auth = await requireUser(args, null);
  const { user } = auth;
  const mine = REPORTS.filter((r) => can(user.role, reportPermission(r)));
  if (!can(user.role, "read:reports") && !can(user.role, "bill:claims")) throw await forbidden(auth, args, "read:reports");
  return { ownCaseload: user.role === "counselor", reports: mine.map((r) => ({ id: r.id, title: r.title, description: r.description })) };
}

export default function Reports() {
  const { reports, ownCaseload } = useLoaderData<typeof loader>();
  return (
    <Stack gap="lg">
      <div>
        <Title order={1}>Reports</Title>
        <Text c="dimmed">
          Live from the record: every figure is computed when you open it.{" "}
          {ownCaseload ? "You see your own caseload." : "You see the whole site; filter by track or counselor."} Each report defines its measure on its page and
          exports as CSV with the 42 CFR Part 2 notice on top.
        </Text>
      </div>
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        {reports.map((r) => (
          <Card key={r.id} withBorder>
            <Anchor component={Link} to={`/reports/${r.id}`} fw={700}>
              {r.title}
            </Anchor>
            <Text size="sm" mt={4}>
              {r.description}
            </Text>
          </Card>
        ))}
      </SimpleGrid>
    </Stack>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}

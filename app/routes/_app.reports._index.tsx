import { Anchor, Card, SimpleGrid, Stack, Text, Title } from "@mantine/core";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { RouteErrorBoundary } from "~/components/error-boundary";
import { requireUser } from "~/features/auth/guard.server";
import { REPORTS } from "~/features/reports/registry.server";

export const meta: MetaFunction = () => [{ title: "Reports · IOP Dashboard" }];

export async function loader(args: LoaderFunctionArgs) {
  const { user } = await requireUser(args, "read:reports");
  return { ownCaseload: user.role === "counselor", reports: REPORTS.map((r) => ({ id: r.id, title: r.title, description: r.description })) };
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

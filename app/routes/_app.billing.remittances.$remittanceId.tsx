import { Group, Paper, Stack, Text } from "@mantine/core";
import { type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { RouteErrorBoundary } from "~/components/error-boundary";
import { PageHeading } from "~/components/page-heading";
import { requireSiteUser } from "~/features/auth/guard.server";
import { remittanceById } from "~/features/billing/claims.server";
import { RemittanceLines } from "~/features/billing/components/claims";
import { foundOr404 } from "~/kernel/http.server";
import { formatInstant, shortDateOr } from "~/kernel/time";

export const meta: MetaFunction = () => [{ title: "Remittance · IOP Dashboard" }];

/** One 835 as posted: its payment, every line with its outcome and reasons, and the lines that matched nothing. */
export async function loader(args: LoaderFunctionArgs) {
  const { db, site, timeZone } = await requireSiteUser(args, "bill:claims");
  const r = foundOr404(await remittanceById(db, args.params.remittanceId ?? "", site.id), "There is no such remittance at this site.");
  return { r, timeZone };
}

export default function RemittancePage() {
  const { r, timeZone } = useLoaderData<typeof loader>();
  return (
    <Stack gap="md">
      <PageHeading back={{ to: "/billing/claims", label: "Claims" }} title={`Remittance ${r.traceNumber}`}>
        {r.payer}: {r.paid} paid {shortDateOr(r.paidOn)}.
      </PageHeading>
      <Paper withBorder p="md">
        <Group gap="xl">
          <Text>
            <b>Lines:</b> {r.lineCount}
          </Text>
          <Text>
            <b>Unmatched:</b> {r.unmatchedCount}
          </Text>
          <Text>
            <b>Imported:</b> {formatInstant(r.importedAt, timeZone)} by {r.by}
          </Text>
        </Group>
      </Paper>
      <RemittanceLines lines={r.lines} />
    </Stack>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}

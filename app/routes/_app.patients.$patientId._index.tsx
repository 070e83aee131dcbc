import type { SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { Button, Card, Group, SimpleGrid, Stack, Title } from "@mantine/core";
import { type ActionFunctionArgs, data, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { RouteErrorBoundary } from "~/components/error-boundary";
import { requirePatient } from "~/features/patients/access.server";
import { demographicFacts, Facts, IdentityCard, programFacts, StatusHistory } from "~/features/patients/components/overview";
import { StatusForm } from "~/features/patients/components/status-form";
import { changeStatus, patientDetails, statusHistory } from "~/features/patients/patients.server";
import { STATUS_LABELS, STATUS_TRANSITIONS } from "~/features/patients/rules";
import { statusChangeSchema } from "~/features/patients/schemas";
import { redirectWithToast } from "~/kernel/http.server";
import { refusedReply } from "~/utils/forms.server";
import { SectionCard } from "~/components/section-card";
import { can } from "~/features/auth/permissions";
import { billingChart } from "~/features/billing/chart.server";
import { BillingOverview } from "~/features/billing/components/billing-overview";

export async function loader(args: LoaderFunctionArgs) {
  const access = await requirePatient(args, "read:patients", "overview");
  const { db, header, clinical, canWrite, today } = access;
  if (!clinical) {
    // Billing staff get what a claim needs (issue 21, item 8); others without clinical access, identity only.
    const chart = can(access.user.role, "bill:claims") ? await billingChart(db, access.patientId, [header.siteId]) : null;
    const billing = chart
      ? {
          chart,
          program: {
            mrn: header.identity.mrn,
            siteName: header.identity.siteName,
            track: header.identity.track,
            status: header.identity.status,
            levelOfCare: header.clinical.levelOfCare,
            admittedOn: header.clinical.admittedOn,
            dischargedOn: header.clinical.dischargedOn,
          },
        }
      : null;
    return { clinical: null, billing, identity: header.identity, canWrite: false, today };
  }
  const details = (await patientDetails(db, access.patientId, [header.siteId]))!;
  return {
    identity: header.identity,
    canWrite,
    today,
    billing: null,
    clinical: {
      version: details.version,
      status: details.status,
      demographics: demographicFacts(details),
      program: programFacts(details, header.identity),
      statuses: await statusHistory(db, access.patientId),
    },
  };
}

export async function action(args: ActionFunctionArgs) {
  const { db, user, patientId, header, today, meta, sites } = await requirePatient(args, "write:patients", null);
  const submission = parseWithZod(await args.request.formData(), { schema: statusChangeSchema(today) });
  if (submission.status !== "success") return data({ reply: submission.reply() }, { status: 400 });
  const siteIds = sites.map((s) => s.id);
  const result = await changeStatus(db, user, patientId, submission.value, siteIds, meta);
  if (!result.ok) return data({ reply: refusedReply(submission, result) }, { status: result.status });
  return redirectWithToast(`/patients/${patientId}`, `${header.identity.name} is now ${STATUS_LABELS[submission.value.status].toLowerCase()}.`);
}

export default function Overview() {
  const { identity, clinical, billing, canWrite, today } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as { reply: SubmissionResult<string[]> } | undefined;
  if (billing) return <BillingOverview chart={billing.chart} program={billing.program} />;
  if (!clinical) return <IdentityCard identity={identity} />;
  return (
    <Stack gap="md">
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <Card withBorder>
          <Group justify="space-between" mb="xs">
            <Title order={2} size="h3">
              Demographics
            </Title>
            {canWrite ? (
              <Button component={Link} to={`/patients/${identity.id}/edit`} variant="light" size="xs">
                Edit details
              </Button>
            ) : null}
          </Group>
          <Facts rows={clinical.demographics} />
        </Card>
        <SectionCard title="Program and payer">
          <Facts rows={clinical.program} />
        </SectionCard>
      </SimpleGrid>
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <StatusHistory statuses={clinical.statuses} />
        {canWrite ? <StatusForm today={today} version={clinical.version} allowed={STATUS_TRANSITIONS[clinical.status]} lastResult={actionData?.reply} /> : null}
      </SimpleGrid>
    </Stack>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}

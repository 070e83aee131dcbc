import { parseWithZod } from "@conform-to/zod/v4";
import { Alert, Anchor, Button, Group, Stack, Text } from "@mantine/core";
import { type ActionFunctionArgs, data, type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { RouteErrorBoundary } from "~/components/error-boundary";
import { FormErrors } from "~/components/form-errors";
import { IntentButton } from "~/components/intent-button";
import { RowsTable } from "~/components/rows-table";
import { SectionCard } from "~/components/section-card";
import { coSignPlan, discardDraft, planPage, startDraft } from "~/features/plans/plans.server";
import { PlanDiffTable, PlanDocument, PlanSignatureList, PlanStatusBadge, ReviewLine, reasonLabel } from "~/features/plans/components/plan-view";
import { planActionSchema } from "~/features/plans/schemas";
import { requirePatient } from "~/features/patients/access.server";
import { redirectWithToast } from "~/kernel/http.server";
import { formatInstant } from "~/kernel/time";
import { newId } from "~/utils/ids";

export async function loader(args: LoaderFunctionArgs) {
  const { db, user, patientId, today, canWrite, header } = await requirePatient(args, "read:patient-clinical", "plan");
  const versionId = new URL(args.request.url).searchParams.get("version");
  const page = await planPage(db, patientId, user.id, versionId);
  return { ...page, patientId, today, canWrite, timeZone: header.timeZone, requestKey: newId() };
}

export async function action(args: ActionFunctionArgs) {
  const { db, user, patientId, today, sites, meta } = await requirePatient(args, "write:patients", null);
  const submission = parseWithZod(await args.request.formData(), { schema: planActionSchema });
  if (submission.status !== "success") return data({ formError: "That is not something this page can do; reload the page." }, { status: 400 });
  const siteIds = sites.map((s) => s.id);
  const input = submission.value;
  const base = `/patients/${patientId}/plan`;
  if (input.intent === "start") {
    const result = await startDraft(db, user, patientId, input.requestKey, siteIds, today, meta);
    if (!result.ok) return data({ formError: result.formError ?? "Not started." }, { status: result.status });
    return redirect(`${base}/edit`);
  }
  if (input.intent === "discard") {
    const result = await discardDraft(db, user, patientId, input, siteIds, meta);
    if (!result.ok) return data({ formError: result.formError ?? "Not discarded." }, { status: result.status });
    return redirectWithToast(base, "Draft discarded.");
  }
  const result = await coSignPlan(db, user, patientId, input, siteIds, today, meta);
  if (!result.ok) return data({ formError: result.formError ?? "Not co-signed." }, { status: result.status });
  return redirectWithToast(
    base,
    result.activated ? "Plan co-signed. It is now the active plan." : "Plan co-signed. It becomes active once the patient acknowledges it.",
  );
}

export default function Plan() {
  const page = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const base = `/patients/${page.patientId}/plan`;
  const { shown, awaiting, draft } = page;
  return (
    <Stack gap="md">
      <FormErrors errors={actionData?.formError ? [actionData.formError] : null} />
      <SectionCard title="Treatment plan">
        <Stack gap="sm">
          {page.review ? <ReviewLine review={page.review} today={page.today} /> : null}
          {!page.active && !awaiting ? <Text>This patient has no active treatment plan yet.</Text> : null}
          {awaiting ? (
            <Alert color="yellow" title={`Version ${awaiting.number} is signed and waits before it becomes active`}>
              <PlanSignatureList plan={awaiting} timeZone={page.timeZone} />
              {page.canWrite && awaiting.waits.includes("acknowledgement") ? (
                <Button component={Link} to={`${base}/acknowledge`} mt="sm">
                  Ask the patient to acknowledge it
                </Button>
              ) : null}
              {page.canWrite && page.cosign?.allowed ? (
                <IntentButton intent="cosign" values={{ planId: awaiting.id, version: awaiting.version }} mt="sm">
                  Co-sign version {awaiting.number}
                </IntentButton>
              ) : page.canWrite && page.cosign && !page.cosign.allowed ? (
                <Text size="sm" mt="sm">
                  You cannot co-sign it: {page.cosign.why}
                </Text>
              ) : null}
            </Alert>
          ) : null}
          {page.canWrite ? (
            <Group>
              {draft ? (
                <>
                  <Button component={Link} to={`${base}/edit`}>
                    Continue the draft (version {draft.number})
                  </Button>
                  <IntentButton intent="discard" values={{ planId: draft.id, version: draft.version }} variant="default" color="red">
                    Discard the draft
                  </IntentButton>
                </>
              ) : (
                <IntentButton intent="start" values={{ requestKey: page.requestKey }}>
                  {page.active || awaiting ? "Start a new version (review or update)" : "Write the first plan"}
                </IntentButton>
              )}
            </Group>
          ) : null}
        </Stack>
      </SectionCard>
      {shown ? (
        <SectionCard
          title={
            <Group gap="sm">
              <span>Version {shown.number}</span>
              <PlanStatusBadge status={shown.status} />
            </Group>
          }
        >
          <Stack gap="md">
            <Text size="sm" c="dimmed">
              {reasonLabel(shown.reason)}
            </Text>
            <PlanSignatureList plan={shown} timeZone={page.timeZone} />
            <PlanDocument content={shown.content} diagnoses={page.diagnoses} />
          </Stack>
        </SectionCard>
      ) : null}
      {page.changes ? (
        <SectionCard title={`What changed from version ${page.changes.from}`}>
          <PlanDiffTable changes={page.changes.list} from={page.changes.from} to={page.changes.to} />
        </SectionCard>
      ) : null}
      {page.versions.length ? (
        <SectionCard title="All versions">
          <RowsTable
            label="Plan versions"
            rows={page.versions}
            rowKey={(v) => v.id}
            columns={[
              {
                title: "Version",
                cell: (v) =>
                  v.status === "draft" ? (
                    `${v.number} (draft)`
                  ) : (
                    <Anchor component={Link} to={`${base}?version=${v.id}`}>
                      Version {v.number}
                    </Anchor>
                  ),
              },
              { title: "Why", cell: (v) => reasonLabel(v.reason) },
              { title: "Status", cell: (v) => <PlanStatusBadge status={v.status} /> },
              { title: "Signed", cell: (v) => (v.signedAt ? `${v.signedBy}, ${formatInstant(v.signedAt, page.timeZone)}` : "—") },
            ]}
          />
        </SectionCard>
      ) : null}
    </Stack>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}

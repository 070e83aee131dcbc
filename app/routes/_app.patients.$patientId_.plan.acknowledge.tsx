import { parseWithZod } from "@conform-to/zod/v4";
import { Anchor, Stack, Text, Title } from "@mantine/core";
import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { RouteErrorBoundary } from "~/components/error-boundary";
import { acknowledgePlan, acknowledgementPage } from "~/features/plans/plans.server";
import { AcknowledgeForm } from "~/features/plans/components/acknowledge-form";
import { PlanDocument } from "~/features/plans/components/plan-view";
import { acknowledgeSchema } from "~/features/plans/schemas";
import { requirePatient } from "~/features/patients/access.server";
import { redirectWithToast } from "~/kernel/http.server";
import { shortDate } from "~/kernel/time";
import { refusedReply } from "~/utils/forms.server";

// Shown to the patient on a tablet: the title names no one (it ends up in the browser's history).
export const meta: MetaFunction = () => [{ title: "Your treatment plan · IOP Dashboard" }];

export async function loader(args: LoaderFunctionArgs) {
  const { db, patientId } = await requirePatient(args, "write:patients", "plan acknowledgement");
  return { ...(await acknowledgementPage(db, patientId)), patientId };
}

export async function action(args: ActionFunctionArgs) {
  const { db, user, patientId, today, sites, meta } = await requirePatient(args, "write:patients", null);
  const submission = parseWithZod(await args.request.formData(), { schema: acknowledgeSchema });
  if (submission.status !== "success") return data({ reply: submission.reply() }, { status: 400 });
  const result = await acknowledgePlan(
    db,
    user,
    patientId,
    submission.value,
    sites.map((s) => s.id),
    today,
    meta,
  );
  if (!result.ok) return data({ reply: refusedReply(submission, result) }, { status: result.status });
  return redirectWithToast(
    `/patients/${patientId}/plan`,
    result.activated
      ? "The patient acknowledged the plan. It is now the active plan."
      : "The patient acknowledged the plan. It waits for a supervisor's co-signature.",
  );
}

export default function AcknowledgePlan() {
  const { plan, diagnoses, patientId, firstName } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <Stack gap="lg" maw={860} style={{ fontSize: "1.1rem" }}>
      <Anchor component={Link} to={`/patients/${patientId}/plan`} size="sm">
        Back to the chart (for staff)
      </Anchor>
      {plan ? (
        <>
          <Title order={1}>{firstName}, this is your treatment plan</Title>
          <Text>
            {plan.signedBy} wrote it with you and signed it{plan.signedAt ? ` on ${shortDate(plan.signedAt.slice(0, 10))}` : ""}. Please read it. If something
            is not right, say so now: it can be changed before you sign.
          </Text>
          <PlanDocument content={plan.content} diagnoses={diagnoses} />
          <AcknowledgeForm key={plan.version} planId={plan.id} version={plan.version} lastResult={actionData?.reply} />
        </>
      ) : (
        <>
          <Title order={1}>Nothing to sign</Title>
          <Text>No treatment plan is waiting for the patient&rsquo;s signature. Hand the screen back to staff.</Text>
          {actionData?.reply?.error?.[""] ? <Text c="red.8">{actionData.reply.error[""].join(" ")}</Text> : null}
        </>
      )}
    </Stack>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}

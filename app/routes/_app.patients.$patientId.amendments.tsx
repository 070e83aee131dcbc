import type { SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { Stack, Text } from "@mantine/core";
import { type ActionFunctionArgs, data, type LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { RouteErrorBoundary } from "~/components/error-boundary";
import { requirePatient } from "~/features/patients/access.server";
import { amendmentActionSchema, DECISION_DAYS } from "~/features/patients/amendments";
import { amendmentRequestsOf, decideAmendment, recordAmendmentRequest, recordDisagreement } from "~/features/patients/amendments.server";
import { AmendmentCard, RequestForm } from "~/features/patients/components/amendments";
import { redirectWithToast } from "~/kernel/http.server";
import { refusedReply } from "~/utils/forms.server";

export async function loader(args: LoaderFunctionArgs) {
  const { db, patientId, canWrite, today } = await requirePatient(args, "read:patient-clinical", "amendments");
  return { canWrite, today, requests: await amendmentRequestsOf(db, patientId, today) };
}

export async function action(args: ActionFunctionArgs) {
  const { db, user, patientId, today, sites, meta } = await requirePatient(args, "write:patients", null);
  const submission = parseWithZod(await args.request.formData(), { schema: amendmentActionSchema(today) });
  // A refused form is answered on the form it came from: the new request's, or one request's.
  const intent = String(submission.payload.intent ?? "");
  const id = intent === "request" ? "" : String(submission.payload.id ?? "");
  if (submission.status !== "success") return data({ intent, id, reply: submission.reply() as SubmissionResult<string[]> }, { status: 400 });
  const siteIds = sites.map((s) => s.id);
  const input = submission.value;
  const result =
    input.intent === "decide"
      ? await decideAmendment(db, user, patientId, input, siteIds, meta)
      : input.intent === "disagree"
        ? await recordDisagreement(db, user, patientId, input, siteIds, meta)
        : await recordAmendmentRequest(db, user, patientId, input, siteIds, meta);
  if (!result.ok) return data({ intent, id, reply: refusedReply(submission, result) as SubmissionResult<string[]> }, { status: result.status });
  const message =
    input.intent === "decide"
      ? input.decision === "accepted"
        ? "Request accepted. Make the change in the chart."
        : "Request denied; the reason is kept with it."
      : input.intent === "disagree"
        ? "Statement of disagreement kept with the request."
        : `Request recorded. A decision is due within ${DECISION_DAYS} days.`;
  return redirectWithToast(`/patients/${patientId}/amendments`, message);
}

export default function AmendmentsTab() {
  const { canWrite, today, requests } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const replyFor = (intent: string, id: string) => (actionData?.intent === intent && actionData.id === id ? actionData.reply : undefined);
  return (
    <Stack gap="md">
      <Text size="sm" c="dimmed">
        A patient may ask for their record to be amended. Record the request as they made it; the program decides within {DECISION_DAYS} days. If it is
        accepted, make the change in the chart (every change is audited); if it is denied, say why — the patient may then file a statement of disagreement,
        which is kept with the record.
      </Text>
      {requests.length === 0 ? <Text size="sm">No amendment requests.</Text> : null}
      {requests.map((r) => (
        <AmendmentCard key={r.id} r={r} today={today} canWrite={canWrite} replyFor={replyFor} />
      ))}
      {canWrite ? <RequestForm today={today} lastResult={replyFor("request", "")} /> : null}
    </Stack>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}

import { type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { Stack } from "@mantine/core";
import { type ActionFunctionArgs, data, type LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { RouteErrorBoundary } from "~/components/error-boundary";
import { FormErrors } from "~/components/form-errors";
import { can } from "~/features/auth/permissions";
import { acknowledgeAlerts, acknowledgedAlertsOf, openAlertsOf } from "~/features/drug-testing/alerts.server";
import { AcknowledgedCard, OpenAlertsCard } from "~/features/drug-testing/components/patient-alerts";
import { HistoryFigures, PatientTestsCard } from "~/features/drug-testing/components/patient-history";
import { patientHistory } from "~/features/drug-testing/history.server";
import { AcknowledgeSchema } from "~/features/drug-testing/schemas";
import { acknowledgedView, openAlertsView, patientHistoryView } from "~/features/drug-testing/views.server";
import { requirePatient } from "~/features/patients/access.server";
import { redirectWithToast } from "~/kernel/http.server";
import { refusedReply } from "~/utils/forms.server";

export async function loader(args: LoaderFunctionArgs) {
  const { db, user, patientId, today, header, clinical } = await requirePatient(args, "record:drug-tests", "drug-tests");
  const page = Number(new URL(args.request.url).searchParams.get("page") ?? "1");
  const [history, open, acknowledged] = await Promise.all([
    patientHistory(db, patientId, today, Number.isInteger(page) && page > 0 ? page : 1),
    openAlertsOf(db, patientId),
    acknowledgedAlertsOf(db, patientId, 10),
  ]);
  const tz = header.timeZone;
  // Staff (no clinical access) get the same history in neutral words: no analyte read against MAT,
  // no higher-risk mark, never the counselor's acknowledgement note (docs/security.md).
  return {
    patientId,
    clinical,
    name: header.identity.name,
    discharged: header.identity.status === "discharged",
    canAcknowledge: can(user.role, "acknowledge:drug-test-alerts"),
    history: patientHistoryView(history, tz, clinical),
    open: openAlertsView(open, clinical),
    acknowledged: acknowledgedView(acknowledged, tz, clinical),
  };
}

export async function action(args: ActionFunctionArgs) {
  const { db, user, patientId, sites, meta } = await requirePatient(args, "acknowledge:drug-test-alerts", null);
  const submission = parseWithZod(await args.request.formData(), { schema: AcknowledgeSchema });
  const testId = submission.payload.testId ? String(submission.payload.testId) : "";
  if (submission.status !== "success") return data({ testId, reply: submission.reply() as SubmissionResult<string[]> }, { status: 400 });
  const result = await acknowledgeAlerts(
    db,
    user,
    { patientId, testId: submission.value.testId, note: submission.value.note },
    sites.map((s) => s.id),
    meta,
  );
  if (!result.ok) return data({ testId, reply: refusedReply(submission, result) as SubmissionResult<string[]> }, { status: result.status });
  return redirectWithToast(`/patients/${patientId}/drug-tests`, `Acknowledged: ${result.acknowledged.join(", ")}.`);
}

export default function PatientDrugTests() {
  const { patientId, name, discharged, canAcknowledge, clinical, history: h, open, acknowledged } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <Stack gap="md" component="section" aria-label="Drug tests">
      {open.length ? <OpenAlertsCard open={open} canAcknowledge={canAcknowledge} reply={actionData} /> : null}
      {actionData && !open.some((o) => o.testId === actionData.testId) ? (
        <FormErrors errors={actionData.reply.error?.[""] ?? ["Not acknowledged."]} title="Not acknowledged" />
      ) : null}
      <HistoryFigures streak={h.streak} daysSinceUnexpected={h.daysSinceUnexpected} rate={h.rate} clinical={clinical} />
      <PatientTestsCard patientId={patientId} name={name} canRecord={!discharged} clinical={clinical} history={h} />
      {acknowledged.length ? <AcknowledgedCard acknowledged={acknowledged} /> : null}
    </Stack>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}

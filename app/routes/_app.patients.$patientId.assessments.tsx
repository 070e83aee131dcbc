import { parseWithZod } from "@conform-to/zod/v4";
import { Stack, Text } from "@mantine/core";
import { type ActionFunctionArgs, data, type LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { RouteErrorBoundary } from "~/components/error-boundary";
import { SectionCard } from "~/components/section-card";
import { asamEdition, assessmentFormBasis, assessmentsOf, recordAssessment } from "~/features/assessments/assessments.server";
import { AssessmentForm } from "~/features/assessments/components/assessment-form";
import { LatestAssessment, MovementTable } from "~/features/assessments/components/assessment-view";
import { ASSESSMENT_KINDS, suggestedKind } from "~/features/assessments/rules";
import { assessmentSchema } from "~/features/assessments/schemas";
import { requirePatient } from "~/features/patients/access.server";
import { redirectWithToast } from "~/kernel/http.server";
import { shortDate } from "~/kernel/time";
import { newId } from "~/utils/ids";
import { refusedReply } from "~/utils/forms.server";

export async function loader(args: LoaderFunctionArgs) {
  const { db, patientId, canWrite, today, header } = await requirePatient(args, "read:patient-clinical", "assessments");
  const [assessments, edition, basis] = await Promise.all([assessmentsOf(db, patientId), asamEdition(db, header.siteId), assessmentFormBasis(db, patientId)]);
  return {
    canWrite,
    today,
    edition: edition.value,
    assessments,
    basis,
    // A fresh key per form: a double submit finds the assessment the first one recorded.
    requestKey: newId(),
    suggestedKind: suggestedKind(header.identity.status, assessments.length),
    currentLevel: header.clinical.levelOfCare,
  };
}

export async function action(args: ActionFunctionArgs) {
  const { db, user, patientId, today, sites, meta } = await requirePatient(args, "write:patients", null);
  const submission = parseWithZod(await args.request.formData(), { schema: assessmentSchema(today) });
  if (submission.status !== "success") return data({ reply: submission.reply() }, { status: 400 });
  const input = submission.value;
  const result = await recordAssessment(
    db,
    user,
    patientId,
    input,
    sites.map((s) => s.id),
    meta,
  );
  if (!result.ok) return data({ reply: refusedReply(submission, result) }, { status: result.status });
  // The new id in the address starts the next form empty; a refused form keeps what was typed.
  return redirectWithToast(
    `/patients/${patientId}/assessments?recorded=${result.id}`,
    `${ASSESSMENT_KINDS[input.kind]} assessment of ${shortDate(input.assessedOn)} recorded.`,
  );
}

export default function Assessments() {
  const { assessments, canWrite, today, edition, basis, requestKey, suggestedKind, currentLevel } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const latest = assessments.at(-1);
  return (
    <Stack gap="md">
      {latest ? (
        <>
          <LatestAssessment latest={latest} previous={assessments.at(-2) ?? null} />
          <MovementTable assessments={assessments} edition={edition} />
        </>
      ) : (
        <SectionCard title="ASAM assessments">
          <Text c="dimmed">No ASAM assessment recorded yet.</Text>
        </SectionCard>
      )}
      {canWrite ? (
        <AssessmentForm
          key={params.get("recorded") ?? "new"}
          today={today}
          edition={edition}
          requestKey={requestKey}
          basis={basis}
          suggestedKind={suggestedKind}
          currentLevel={currentLevel}
          lastResult={actionData?.reply}
        />
      ) : null}
    </Stack>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}

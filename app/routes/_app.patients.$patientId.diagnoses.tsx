import { parseWithZod } from "@conform-to/zod/v4";
import { Badge, Stack, Text } from "@mantine/core";
import { type ActionFunctionArgs, data, type LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { RouteErrorBoundary } from "~/components/error-boundary";
import { requirePatient } from "~/features/patients/access.server";
import { addDiagnosis, diagnosesOf, resolveDiagnosis } from "~/features/patients/clinical.server";
import { DiagnosisForm } from "~/features/patients/components/diagnosis-form";
import { diagnosisActionSchema } from "~/features/patients/schemas";
import { DIAGNOSIS_CATEGORY_LABELS, DUAL_DIAGNOSIS_RULE, type DiagnosisCategory } from "~/features/patients/diagnosis-category";
import { redirectWithToast } from "~/kernel/http.server";
import { refusedReply } from "~/utils/forms.server";
import { DatedRowAction, rowRefusal } from "~/components/dated-row-action";
import { RowsTable } from "~/components/rows-table";
import { SectionCard } from "~/components/section-card";
import { shortDateOr, shortDate } from "~/kernel/time";

export async function loader(args: LoaderFunctionArgs) {
  const { db, patientId, canWrite, today } = await requirePatient(args, "read:patient-clinical", "diagnoses");
  return { patientId, canWrite, today, diagnoses: await diagnosesOf(db, patientId) };
}

export async function action(args: ActionFunctionArgs) {
  const { db, user, patientId, today, sites, meta } = await requirePatient(args, "write:patients", null);
  const submission = parseWithZod(await args.request.formData(), { schema: diagnosisActionSchema(today) });
  // A refused form is answered on the form it came from: the add form, or one row's.
  const intent = submission.payload.intent === "resolve" ? "resolve" : "add";
  const answer = { intent, id: intent === "resolve" ? String(submission.payload.diagnosisId) : "" };
  if (submission.status !== "success") return data({ ...answer, reply: submission.reply() }, { status: 400 });
  const siteIds = sites.map((s) => s.id);
  const input = submission.value;
  const result =
    input.intent === "resolve"
      ? await resolveDiagnosis(db, user, patientId, input, siteIds, meta)
      : await addDiagnosis(db, user, patientId, input, siteIds, meta);
  if (!result.ok) return data({ ...answer, reply: refusedReply(submission, result) }, { status: result.status });
  return redirectWithToast(`/patients/${patientId}/diagnoses`, input.intent === "resolve" ? "Diagnosis marked resolved." : `Added ${input.code}.`);
}

export default function Diagnoses() {
  const { diagnoses, canWrite, today } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <Stack gap="md">
      <SectionCard title="Diagnoses">
        {diagnoses.length === 0 ? (
          <Text c="dimmed">No diagnoses recorded yet.</Text>
        ) : (
          <RowsTable
            rows={diagnoses}
            rowKey={(d) => d.id}
            rowStyle={(d) => (d.resolved_on ? { opacity: 0.75 } : undefined)}
            columns={[
              {
                title: "Code",
                cell: (d) => (
                  <>
                    <b>{d.code}</b>{" "}
                    {d.is_primary ? (
                      <Badge size="xs" variant="light">
                        Primary
                      </Badge>
                    ) : null}
                  </>
                ),
              },
              { title: "Description", cell: (d) => d.description },
              { title: "Kind", cell: (d) => DIAGNOSIS_CATEGORY_LABELS[d.category as DiagnosisCategory] ?? d.category },
              { title: "Onset", cell: (d) => shortDateOr(d.onset_on) },
              {
                title: "Resolved",
                cell: (d) =>
                  d.resolved_on ? (
                    shortDate(d.resolved_on)
                  ) : canWrite ? (
                    <DatedRowAction
                      intent="resolve"
                      record={{ diagnosisId: d.id, version: d.version }}
                      name="resolvedOn"
                      today={today}
                      max={today}
                      dateLabel={`Date ${d.code} resolved`}
                      submit="Resolve"
                      submitLabel={`Mark ${d.code} resolved`}
                      error={rowRefusal(actionData, "resolve", d.id)}
                    />
                  ) : (
                    "Active"
                  ),
              },
            ]}
          />
        )}
        <Text size="sm" c="dimmed" mt="sm">
          {DUAL_DIAGNOSIS_RULE}
        </Text>
      </SectionCard>
      {canWrite ? <DiagnosisForm key={diagnoses.length} today={today} lastResult={actionData?.intent === "add" ? actionData.reply : undefined} /> : null}
    </Stack>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}

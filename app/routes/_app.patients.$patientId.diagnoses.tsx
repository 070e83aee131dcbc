import { getFormProps, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { Autocomplete, Badge, Button, Group, Paper, Stack, Text, TextInput, Title } from "@mantine/core";
import { type ActionFunctionArgs, data, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useState } from "react";
import { CheckboxField, DateField, optional } from "~/components/form-fields";
import { RouteErrorBoundary } from "~/components/error-boundary";
import { useSchemaForm } from "~/components/schema-form";
import { requirePatient } from "~/features/patients/access.server";
import { addDiagnosis, diagnosesOf, resolveDiagnosis } from "~/features/patients/clinical.server";
import { ICD10_CODES } from "~/features/patients/icd10-codes";
import { diagnosisSchema, diagnosisActionSchema } from "~/features/patients/schemas";
import { redirectWithToast } from "~/kernel/http.server";
import { refusedReply } from "~/utils/forms.server";
import { FormErrors } from "~/components/form-errors";
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

const CATEGORY_LABELS: Record<string, string> = { substance: "Substance use", mental_health: "Mental health", other: "Other" };
const OPTIONS = ICD10_CODES.map((c) => `${c.code} — ${c.description}`);

function AddDiagnosis({ today, lastResult }: { today: string; lastResult?: SubmissionResult<string[]> }) {
  const [form, fields] = useSchemaForm(diagnosisSchema(today), {
    lastResult,
  });
  const [code, setCode] = useState((fields.code.initialValue as string | undefined) ?? "");
  const [description, setDescription] = useState((fields.description.initialValue as string | undefined) ?? "");
  const navigation = useNavigation();
  return (
    <Paper withBorder p="lg">
      <Title order={2} size="h3" mb="xs">
        Add a diagnosis
      </Title>
      <Form method="post" {...getFormProps(form)}>
        <input type="hidden" name="intent" value="add" />
        <Stack>
          <FormErrors errors={form.errors} />
          <Autocomplete
            label="ICD-10-CM code"
            description="Search the clinic's list by code or words (opioid, PTSD, alcohol), or type any valid code."
            name={fields.code.name}
            value={code}
            onChange={setCode}
            onOptionSubmit={(option) => {
              const [c, ...rest] = option.split(" — ");
              setCode(c);
              setDescription(rest.join(" — "));
            }}
            data={OPTIONS}
            limit={12}
            error={fields.code.errors?.join(" ")}
            required
          />
          <TextInput
            label="Description"
            description="Filled in from the list; needed only for a code that is not on it."
            name={fields.description.name}
            value={description}
            onChange={(e) => setDescription(e.currentTarget.value)}
            error={fields.description.errors?.join(" ")}
          />
          <Group align="flex-end">
            <DateField field={fields.onsetOn} label={optional("Onset")} max={today} />
            <CheckboxField field={fields.isPrimary} label="Primary diagnosis" />
          </Group>
          <div>
            <Button type="submit" loading={navigation.state === "submitting"}>
              Add diagnosis
            </Button>
          </div>
        </Stack>
      </Form>
    </Paper>
  );
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
              { title: "Kind", cell: (d) => CATEGORY_LABELS[d.category] ?? d.category },
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
      </SectionCard>
      {canWrite ? <AddDiagnosis key={diagnoses.length} today={today} lastResult={actionData?.intent === "add" ? actionData.reply : undefined} /> : null}
    </Stack>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}

import { getFormProps, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { Badge, Button, Paper, SimpleGrid, Stack, Text, Title } from "@mantine/core";
import { type ActionFunctionArgs, data, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { DateField, SelectField, TextField, optional } from "~/components/form-fields";
import { RouteErrorBoundary } from "~/components/error-boundary";
import { useSchemaForm } from "~/components/schema-form";
import { requirePatient } from "~/features/patients/access.server";
import { addMatEpisode, endMatEpisode, matEpisodesOf } from "~/features/patients/clinical.server";
import { MAT_MEDICATIONS, MAT_SETTINGS, type MatMedication, matActive } from "~/features/patients/rules";
import { matSchema, matActionSchema } from "~/features/patients/schemas";
import { redirectWithToast } from "~/kernel/http.server";
import { refusedReply } from "~/utils/forms.server";
import { FormErrors } from "~/components/form-errors";
import { DatedRowAction, rowRefusal } from "~/components/dated-row-action";
import { RowsTable } from "~/components/rows-table";
import { SectionCard } from "~/components/section-card";
import { shortDate } from "~/kernel/time";

export async function loader(args: LoaderFunctionArgs) {
  const { db, patientId, canWrite, today } = await requirePatient(args, "read:patient-clinical", "mat");
  return { canWrite, today, episodes: await matEpisodesOf(db, patientId) };
}

export async function action(args: ActionFunctionArgs) {
  const { db, user, patientId, today, sites, meta } = await requirePatient(args, "write:patients", null);
  const submission = parseWithZod(await args.request.formData(), { schema: matActionSchema(today) });
  // A refused form is answered on the form it came from: the add form, or one row's.
  const intent = submission.payload.intent === "end" ? "end" : "add";
  const answer = { intent, id: intent === "end" ? String(submission.payload.matId) : "" };
  if (submission.status !== "success") return data({ ...answer, reply: submission.reply() }, { status: 400 });
  const siteIds = sites.map((s) => s.id);
  const input = submission.value;
  const result =
    input.intent === "end" ? await endMatEpisode(db, user, patientId, input, siteIds, meta) : await addMatEpisode(db, user, patientId, input, siteIds, meta);
  if (!result.ok) return data({ ...answer, reply: refusedReply(submission, result) }, { status: result.status });
  return redirectWithToast(`/patients/${patientId}/mat`, input.intent === "end" ? "MAT episode ended." : `${MAT_MEDICATIONS[input.medication]} recorded.`);
}

function AddMat({ today, lastResult }: { today: string; lastResult?: SubmissionResult<string[]> }) {
  const navigation = useNavigation();
  const [form, fields] = useSchemaForm(matSchema(today), {
    lastResult,
    defaultValue: { startedOn: today, setting: "office_based" },
  });
  return (
    <Paper withBorder p="lg">
      <Title order={2} size="h3" mb="xs">
        Record a medication episode
      </Title>
      <Form method="post" {...getFormProps(form)}>
        <input type="hidden" name="intent" value="add" />
        <Stack>
          <FormErrors errors={form.errors} />
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <SelectField field={fields.medication} label="Medication" options={MAT_MEDICATIONS} required />
            <TextField field={fields.formulation} label={optional("Form")} placeholder="e.g. sublingual film, XR injection" />
            <TextField field={fields.dose} label="Dose" placeholder="e.g. 16 mg" required />
            <TextField field={fields.schedule} label="Schedule" placeholder="e.g. daily, monthly injection" required />
            <TextField field={fields.prescriber} label="Prescriber" required />
            <SelectField field={fields.setting} label="Setting" options={MAT_SETTINGS} required />
            <DateField field={fields.startedOn} label="Start date" required />
            <DateField field={fields.endedOn} label={optional("End date")} description="Leave empty while they are on it." />
          </SimpleGrid>
          <div>
            <Button type="submit" loading={navigation.state === "submitting"}>
              Record medication
            </Button>
          </div>
        </Stack>
      </Form>
    </Paper>
  );
}

/** An episode's medication as people name it. */
const medicationOf = (m: { medication: string }) => MAT_MEDICATIONS[m.medication as MatMedication] ?? m.medication;

export default function Mat() {
  const { episodes, canWrite, today } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <Stack gap="md">
      <SectionCard title="Medication for addiction treatment">
        <Text size="sm" c="dimmed" mb="sm">
          Drug tests read these episodes: a buprenorphine or methadone positive is expected while an episode runs.
        </Text>
        {episodes.length === 0 ? (
          <Text c="dimmed">No MAT episodes recorded.</Text>
        ) : (
          <RowsTable
            rows={episodes}
            rowKey={(m) => m.id}
            columns={[
              {
                title: "Medication",
                cell: (m) => (
                  <>
                    <b>{medicationOf(m)}</b>
                    {m.formulation ? ` (${m.formulation})` : ""}{" "}
                    {matActive(m.started_on, m.ended_on, today) ? (
                      <Badge size="xs" color="cyan" variant="light">
                        Current
                      </Badge>
                    ) : null}
                  </>
                ),
              },
              {
                title: "Dose and schedule",
                cell: (m) => (
                  <>
                    {m.dose}, {m.schedule}
                  </>
                ),
              },
              { title: "Prescriber", cell: (m) => m.prescriber },
              { title: "Setting", cell: (m) => MAT_SETTINGS[m.setting as keyof typeof MAT_SETTINGS] ?? m.setting },
              { title: "Started", cell: (m) => shortDate(m.started_on) },
              {
                title: "Ended",
                cell: (m) =>
                  m.ended_on ? (
                    `${shortDate(m.ended_on)}${m.end_reason ? ` — ${m.end_reason}` : ""}`
                  ) : canWrite ? (
                    <DatedRowAction
                      intent="end"
                      record={{ matId: m.id, version: m.version }}
                      name="endedOn"
                      today={today}
                      dateLabel={`Last day of ${medicationOf(m)}`}
                      submit="End"
                      submitLabel={`End ${medicationOf(m)}`}
                      error={rowRefusal(actionData, "end", m.id)}
                    />
                  ) : (
                    "Ongoing"
                  ),
              },
            ]}
          />
        )}
      </SectionCard>
      {canWrite ? <AddMat key={episodes.length} today={today} lastResult={actionData?.intent === "add" ? actionData.reply : undefined} /> : null}
    </Stack>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}

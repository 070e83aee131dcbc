import { getFormProps } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { Button, Group, Paper, Stack, Title } from "@mantine/core";
import { type ActionFunctionArgs, data, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { DateField, SelectField, TextareaField } from "~/components/form-fields";
import { RouteErrorBoundary } from "~/components/error-boundary";
import { useSchemaForm } from "~/components/schema-form";
import { requirePatient } from "~/features/patients/access.server";
import { changeLevelOfCare, levelHistory, stepDirection } from "~/features/patients/patients.server";
import { LEVEL_LABELS, LEVELS_OF_CARE } from "~/features/patients/rules";
import { levelChangeSchema } from "~/features/patients/schemas";
import { redirectWithToast } from "~/kernel/http.server";
import { refusedReply } from "~/utils/forms.server";
import { FormErrors } from "~/components/form-errors";
import { RowsTable } from "~/components/rows-table";
import { SectionCard } from "~/components/section-card";
import { shortDate } from "~/kernel/time";

export async function loader(args: LoaderFunctionArgs) {
  const { db, patientId, header, canWrite, today } = await requirePatient(args, "read:patient-clinical", "level-of-care");
  return {
    canWrite: canWrite && header.identity.status !== "discharged",
    today,
    current: header.clinical.levelOfCare,
    version: header.clinical.version,
    history: await levelHistory(db, patientId),
  };
}

export async function action(args: ActionFunctionArgs) {
  const { db, user, patientId, header, today, sites, meta } = await requirePatient(args, "write:patients", null);
  const submission = parseWithZod(await args.request.formData(), { schema: levelChangeSchema(today) });
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  const siteIds = sites.map((s) => s.id);
  const result = await changeLevelOfCare(db, user, patientId, submission.value, siteIds, meta);
  if (!result.ok) return data(refusedReply(submission, result), { status: result.status });
  const { levelOfCare, effectiveOn } = submission.value;
  const direction = stepDirection(header.clinical.levelOfCare, levelOfCare);
  return redirectWithToast(`/patients/${patientId}/care`, `Level of care: ${direction} to ${levelOfCare} from ${shortDate(effectiveOn)}.`);
}

export default function LevelOfCarePage() {
  const { canWrite, today, current, version, history } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const navigation = useNavigation();
  const [form, fields] = useSchemaForm(levelChangeSchema(today), {
    id: `level-${version}`,
    lastResult,
    defaultValue: { effectiveOn: today },
  });
  return (
    <Stack gap="md">
      <SectionCard title="Level-of-care history">
        <RowsTable
          rows={history}
          rowKey={(h) => h.id}
          columns={[
            { title: "From", cell: (h) => shortDate(h.effective_on) },
            { title: "Level", cell: (h) => h.level_of_care },
            { title: "Reason", cell: (h) => h.reason },
            { title: "Episode", cell: (h) => h.episode_number },
            { title: "By", cell: (h) => h.changed_by_name ?? "—" },
          ]}
        />
      </SectionCard>
      {canWrite ? (
        <Paper withBorder p="lg" maw={640} key={version}>
          <Title order={2} size="h3" mb="xs">
            Step up or step down
          </Title>
          <Form method="post" {...getFormProps(form)}>
            <input type="hidden" name="intent" value="change-level" />
            <input type="hidden" name="version" value={version} />
            <Stack>
              <FormErrors errors={form.errors} />
              <Group align="flex-start">
                <SelectField
                  field={fields.levelOfCare}
                  label="New level of care"
                  options={LEVELS_OF_CARE.filter((l) => l !== current).map((l) => ({ value: l, label: LEVEL_LABELS[l] }))}
                  required
                />
                <DateField field={fields.effectiveOn} label="Effective" required max={today} />
              </Group>
              <TextareaField
                field={fields.reason}
                label="Clinical reason"
                description="What in the assessment supports the change (ASAM dimensions, progress, risk)."
                required
              />
              <div>
                <Button type="submit" loading={navigation.state === "submitting"}>
                  Change level of care
                </Button>
              </div>
            </Stack>
          </Form>
        </Paper>
      ) : null}
    </Stack>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}

import { getFormProps } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { Paper, SimpleGrid, Stack, Title } from "@mantine/core";
import { type ActionFunctionArgs, data, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { DateField, SelectField, TextareaField, TextField, optional } from "~/components/form-fields";
import { RouteErrorBoundary } from "~/components/error-boundary";
import { SubmitOrCancel } from "~/components/form-buttons";
import { useSchemaForm } from "~/components/schema-form";
import { requirePatient } from "~/features/patients/access.server";
import { counselorChoices, patientDetails, updateDemographics } from "~/features/patients/patients.server";
import { DETOX_STATUSES, LANGUAGES, PAYER_TYPES, SEXES } from "~/features/patients/rules";
import { demographicsSchema } from "~/features/patients/schemas";
import { redirectWithToast } from "~/kernel/http.server";
import { refusedReply } from "~/utils/forms.server";
import { FormErrors } from "~/components/form-errors";

export async function loader(args: LoaderFunctionArgs) {
  const { db, patientId, header, today } = await requirePatient(args, "write:patients", "edit");
  const [p, counselors] = await Promise.all([patientDetails(db, patientId, [header.siteId]), counselorChoices(db, [header.siteId])]);
  // The form's fields are all text: what is not recorded starts empty; the counselor is chosen by id.
  const fields = Object.entries(p!).filter(([k]) => k !== "status" && k !== "primaryCounselorName");
  return { today, patientId, counselors, values: Object.fromEntries(fields.map(([k, v]) => [k, String(v ?? "")])) };
}

export async function action(args: ActionFunctionArgs) {
  const { db, user, patientId, today, sites, meta } = await requirePatient(args, "write:patients", null);
  const submission = parseWithZod(await args.request.formData(), { schema: demographicsSchema(today) });
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  const siteIds = sites.map((s) => s.id);
  const result = await updateDemographics(db, user, patientId, submission.value, siteIds, meta);
  if (!result.ok) return data(refusedReply(submission, result), { status: result.status });
  return redirectWithToast(`/patients/${patientId}`, "Details saved.");
}

export default function EditPatient() {
  const { today, patientId, counselors, values } = useLoaderData<typeof loader>();
  const navigation = useNavigation();
  const [form, fields] = useSchemaForm(demographicsSchema(today), { lastResult: useActionData<typeof action>(), defaultValue: values });
  return (
    <Paper withBorder p="lg" maw={900}>
      <Title order={2} size="h3" mb="sm">
        Edit details
      </Title>
      <Form method="post" {...getFormProps(form)}>
        <input type="hidden" name="version" value={values.version} />
        <Stack>
          <FormErrors errors={form.errors} title="Not saved" />
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextField field={fields.legalFirstName} label="Legal first name" required />
            <TextField field={fields.legalLastName} label="Legal last name" required />
            <TextField field={fields.preferredName} label={optional("Preferred name")} />
            <DateField field={fields.dateOfBirth} label="Date of birth" required max={today} />
            <SelectField field={fields.sex} label="Sex" options={SEXES} required />
            <TextField field={fields.genderIdentity} label={optional("Gender identity")} />
            <SelectField field={fields.preferredLanguage} label="Preferred language" options={LANGUAGES.map((l) => ({ value: l, label: l }))} required />
            <TextField field={fields.phone} label={optional("Phone")} type="tel" />
            <TextField field={fields.email} label={optional("Email")} type="email" />
          </SimpleGrid>
          <TextareaField field={fields.address} label={optional("Address")} rows={2} />
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <TextField field={fields.emergencyContactName} label={optional("Emergency contact")} />
            <TextField field={fields.emergencyContactRelationship} label={optional("Relationship")} />
            <TextField field={fields.emergencyContactPhone} label={optional("Emergency contact phone")} type="tel" />
            <SelectField field={fields.primaryCounselorId} label="Primary counselor" options={counselors} required />
            <SelectField field={fields.payerType} label="Payer" options={PAYER_TYPES} required />
            <TextField field={fields.payerPlan} label={optional("Plan name")} />
            <TextField field={fields.payerMemberId} label="Member id" description="Required for insurance." />
            <SelectField field={fields.detoxStatus} label="Detox before start" options={DETOX_STATUSES} required />
            <DateField field={fields.detoxCompletedOn} label="Detox completed on" max={today} />
            <DateField field={fields.part2NoticeOn} label={optional("Part 2 notice given on")} max={today} />
          </SimpleGrid>
          <SubmitOrCancel submit="Save details" cancelTo={`/patients/${patientId}`} loading={navigation.state === "submitting"} />
        </Stack>
      </Form>
    </Paper>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}

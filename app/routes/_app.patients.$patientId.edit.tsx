import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { Button, Group, Paper, SimpleGrid, Stack, Title } from "@mantine/core";
import { type ActionFunctionArgs, data, type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { DateField, SelectField, TextareaField, TextField, optional } from "~/components/form-fields";
import { RouteErrorBoundary } from "~/components/error-boundary";
import { requirePatient } from "~/features/patients/access.server";
import { counselorsAt, getPatientRow, updateDemographics } from "~/features/patients/patients.server";
import { DETOX_STATUSES, LANGUAGES, PAYER_TYPES, SEXES } from "~/features/patients/rules";
import { demographicsSchema } from "~/features/patients/schemas";
import { toastHeader } from "~/kernel/toast.server";
import { refusedReply } from "~/utils/forms.server";
import { FormErrors } from "~/components/form-errors";

export async function loader(args: LoaderFunctionArgs) {
  const { db, patientId, header, today } = await requirePatient(args, "write:patients", "edit");
  const row = (await getPatientRow(db, patientId, [header.siteId]))!;
  const counselors = await counselorsAt(db, [header.siteId]);
  return {
    today,
    patientId,
    counselors: counselors.map((c) => ({ value: c.id, label: c.role === "admin" ? `${c.name} (admin)` : c.name })),
    values: {
      version: String(row.version),
      legalFirstName: row.legal_first_name,
      legalLastName: row.legal_last_name,
      preferredName: row.preferred_name ?? "",
      dateOfBirth: row.date_of_birth,
      sex: row.sex,
      genderIdentity: row.gender_identity ?? "",
      phone: row.phone ?? "",
      email: row.email ?? "",
      address: row.address ?? "",
      emergencyContactName: row.emergency_contact_name ?? "",
      emergencyContactRelationship: row.emergency_contact_relationship ?? "",
      emergencyContactPhone: row.emergency_contact_phone ?? "",
      preferredLanguage: row.preferred_language,
      primaryCounselorId: row.primary_counselor_id ?? "",
      payerType: row.payer_type,
      payerPlan: row.payer_plan ?? "",
      payerMemberId: row.payer_member_id ?? "",
      detoxStatus: row.detox_status,
      detoxCompletedOn: row.detox_completed_on ?? "",
      part2NoticeOn: row.part2_notice_on ?? "",
    },
  };
}

export async function action(args: ActionFunctionArgs) {
  const { db, user, patientId, today, sites, meta } = await requirePatient(args, "write:patients", null);
  const submission = parseWithZod(await args.request.formData(), { schema: demographicsSchema(today) });
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  const result = await updateDemographics(
    db,
    user,
    patientId,
    submission.value,
    sites.map((s) => s.id),
    meta,
  );
  if (!result.ok) return data(refusedReply(submission, result), { status: result.status });
  return redirect(`/patients/${patientId}`, { headers: { "Set-Cookie": await toastHeader({ kind: "success", message: "Details saved." }) } });
}

export default function EditPatient() {
  const { today, patientId, counselors, values } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const navigation = useNavigation();
  const [form, fields] = useForm({
    lastResult,
    defaultValue: values as Record<string, string>,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: demographicsSchema(today) }),
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
  });
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
          <Group>
            <Button type="submit" loading={navigation.state === "submitting"}>
              Save details
            </Button>
            <Button component={Link} to={`/patients/${patientId}`} variant="default">
              Cancel
            </Button>
          </Group>
        </Stack>
      </Form>
    </Paper>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}

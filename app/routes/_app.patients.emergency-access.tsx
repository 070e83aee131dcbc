import { parseWithZod } from "@conform-to/zod/v4";
import { Alert, Anchor, Button, List, Stack, Text, Title } from "@mantine/core";
import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Link, useActionData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { RouteErrorBoundary } from "~/components/error-boundary";
import { FormPaper } from "~/components/form-paper";
import { useSchemaForm } from "~/components/schema-form";
import { TextareaField, TextField } from "~/components/form-fields";
import { NOT_ALLOWED, startEmergencyAccess } from "~/features/auth/emergency-access.server";
import { EMERGENCY_ACCESS_MINUTES } from "~/features/auth/security";
import { requireUser } from "~/features/auth/guard.server";
import { recordAudit } from "~/features/audit/audit.server";
import { invariantResponse } from "~/kernel/http.server";

export const meta: MetaFunction = () => [{ title: "Emergency access · IOP Dashboard" }];

const Schema = z.object({
  mrn: z.string({ error: "Enter the patient's MRN." }).trim().min(1, "Enter the patient's MRN.").max(20, "An MRN looks like MRN-001234."),
  reason: z
    .string({ error: "Say why you need this chart now." })
    .trim()
    .min(15, "Say why you need this chart now, in a sentence: at least 15 characters.")
    .max(500, "Keep the reason under 500 characters."),
});

export async function loader(args: LoaderFunctionArgs) {
  const { user } = await requireUser(args, null);
  invariantResponse(user.emergencyAccess, NOT_ALLOWED, 403);
  return null;
}

export async function action(args: ActionFunctionArgs) {
  const { db, user, meta } = await requireUser(args, null);
  if (!user.emergencyAccess) {
    await recordAudit(db, { actor: user, action: "emergency_access.refused", outcome: "denied", meta });
    throw data({ message: NOT_ALLOWED }, { status: 403 });
  }
  const submission = parseWithZod(await args.request.formData(), { schema: Schema });
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  const result = await startEmergencyAccess(db, user, submission.value, meta);
  if (!result.ok) return data(submission.reply({ formErrors: [result.message] }), { status: result.status });
  return redirect(`/patients/${result.patientId}`);
}

export default function EmergencyAccessPage() {
  const navigation = useNavigation();
  const [form, fields] = useSchemaForm(Schema, { lastResult: useActionData<typeof action>(), shouldValidate: "onBlur" });
  return (
    <Stack gap="lg" maw={640}>
      <Anchor component={Link} to="/patients" size="sm">
        ← Patients
      </Anchor>
      <div>
        <Title order={1}>Emergency access</Title>
        <Text c="dimmed">Open a chart your role or sites would not show, when a patient's safety cannot wait.</Text>
      </div>
      <Alert color="red" title="Break the glass only in an emergency">
        <List size="sm">
          <List.Item>The chart opens read-only for {EMERGENCY_ACCESS_MINUTES} minutes.</List.Item>
          <List.Item>Your reason, and every page you open, is recorded and reviewed by the program's admins.</List.Item>
        </List>
      </Alert>
      <FormPaper form={form}>
        <TextField field={fields.mrn} label="Patient's MRN" placeholder="MRN-001234" required />
        <TextareaField field={fields.reason} label="Reason" description="What is happening, and why this chart is needed now." required />
        <div>
          <Button type="submit" color="red.9" loading={navigation.state === "submitting"}>
            Open the chart under emergency access
          </Button>
        </div>
      </FormPaper>
    </Stack>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}

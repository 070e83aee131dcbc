import { parseWithZod } from "@conform-to/zod/v4";
import { Alert, Button, Stack, Text, Title } from "@mantine/core";
import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { RouteErrorBoundary } from "~/components/error-boundary";
import { FormPaper } from "~/components/form-paper";
import { PasswordField } from "~/components/form-fields";
import { useSchemaForm } from "~/components/schema-form";
import { changeOwnPassword } from "~/features/auth/account.server";
import { requireUser } from "~/features/auth/guard.server";
import { PASSWORD_MIN_LENGTH } from "~/features/auth/password.server";
import { ChangePasswordSchema } from "~/features/auth/schemas";
import { toastHeader } from "~/kernel/toast.server";

export const meta: MetaFunction = () => [{ title: "Change password · IOP Dashboard" }];

export async function loader(args: LoaderFunctionArgs) {
  const { user } = await requireUser(args, "update:own-account");
  return { mustChange: user.mustChangePassword, minLength: PASSWORD_MIN_LENGTH };
}

export async function action(args: ActionFunctionArgs) {
  const { db, user, sessionId, meta } = await requireUser(args, "update:own-account");
  const submission = parseWithZod(await args.request.formData(), { schema: ChangePasswordSchema });
  const hide = ["currentPassword", "newPassword", "confirmPassword"];
  if (submission.status !== "success") return data(submission.reply({ hideFields: hide }), { status: 400 });
  const result = await changeOwnPassword(db, user, sessionId, submission.value, meta);
  if (!result.ok) return data(submission.reply({ fieldErrors: result.fieldErrors, hideFields: hide }), { status: 400 });
  return redirect("/", { headers: { "Set-Cookie": await toastHeader({ kind: "success", message: "Your password was changed." }) } });
}

export default function ChangePasswordPage() {
  const { mustChange, minLength } = useLoaderData<typeof loader>();
  const navigation = useNavigation();
  const [form, fields] = useSchemaForm(ChangePasswordSchema, { lastResult: useActionData<typeof action>() });
  return (
    <Stack gap="lg" maw={480}>
      <Title order={1}>{mustChange ? "Set your own password" : "Change password"}</Title>
      {mustChange ? (
        <Alert color="indigo" title="Your password was set by an admin">
          Choose a password only you know before you continue. Your current password is the temporary one you were given.
        </Alert>
      ) : null}
      <FormPaper form={form}>
        <PasswordField field={fields.currentPassword} label="Current password" autoComplete="current-password" required />
        <PasswordField
          field={fields.newPassword}
          label="New password"
          description={`At least ${minLength} characters. A few unrelated words make a strong, memorable password.`}
          autoComplete="new-password"
          required
        />
        <PasswordField field={fields.confirmPassword} label="Confirm new password" autoComplete="new-password" required />
        <Text size="sm" c="dimmed">
          Changing your password signs you out on every other device.
        </Text>
        <Button type="submit" loading={navigation.state === "submitting"}>
          Save new password
        </Button>
      </FormPaper>
    </Stack>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}

import { parseWithZod } from "@conform-to/zod/v4";
import { Stack, Text } from "@mantine/core";
import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { RouteErrorBoundary } from "~/components/error-boundary";
import { PageHeading } from "~/components/page-heading";
import { FormPaper } from "~/components/form-paper";
import { SubmitOrCancel } from "~/components/form-buttons";
import { PasswordField } from "~/components/form-fields";
import { useSchemaForm } from "~/components/schema-form";
import { UserFields } from "~/features/admin/components/user-fields";
import { createUser, listSites } from "~/features/admin/users.server";
import { requireUser } from "~/features/auth/guard.server";
import { CreateUserSchema } from "~/features/auth/schemas";
import { toastHeader } from "~/kernel/toast.server";
import { refusedReply } from "~/utils/forms.server";

export const meta: MetaFunction = () => [{ title: "Add a staff member · IOP Dashboard" }];

export async function loader(args: LoaderFunctionArgs) {
  const { db, sites } = await requireUser(args, "manage:users");
  return {
    sites: await listSites(
      db,
      sites.map((s) => s.id),
    ),
  };
}

export async function action(args: ActionFunctionArgs) {
  const { db, user, sites, meta } = await requireUser(args, "manage:users");
  const submission = parseWithZod(await args.request.formData(), { schema: CreateUserSchema });
  if (submission.status !== "success") return data(submission.reply({ hideFields: ["temporaryPassword"] }), { status: 400 });
  const siteIds = sites.map((s) => s.id);
  const result = await createUser(db, user, submission.value, siteIds, meta);
  if (!result.ok) {
    return data(refusedReply(submission, result, { hideFields: ["temporaryPassword"] }), { status: result.status });
  }
  return redirect(`/admin/users/${result.id}`, {
    headers: {
      "Set-Cookie": await toastHeader({
        kind: "success",
        message: `Account created for ${submission.value.name}. Give them the temporary password in person.`,
      }),
    },
  });
}

export default function NewUserPage() {
  const { sites } = useLoaderData<typeof loader>();
  const navigation = useNavigation();
  const [form, fields] = useSchemaForm(CreateUserSchema, { lastResult: useActionData<typeof action>() });
  return (
    <Stack gap="lg" maw={560}>
      <PageHeading back={{ to: "/admin/users", label: "Staff accounts" }} title="Add a staff member" />
      <FormPaper form={form}>
        <UserFields fields={fields} sites={sites} />
        <PasswordField
          field={fields.temporaryPassword}
          label="Temporary password"
          description="At least 12 characters. They must replace it the first time they sign in."
          autoComplete="new-password"
          required
        />
        <Text size="sm" c="dimmed">
          Tell them the temporary password in person or by phone, never by email.
        </Text>
        <SubmitOrCancel submit="Create account" cancelTo="/admin/users" loading={navigation.state === "submitting"} />
      </FormPaper>
    </Stack>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}

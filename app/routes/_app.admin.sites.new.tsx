import { parseWithZod } from "@conform-to/zod/v4";
import { Stack } from "@mantine/core";
import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { RouteErrorBoundary } from "~/components/error-boundary";
import { SubmitOrCancel } from "~/components/form-buttons";
import { FormPaper } from "~/components/form-paper";
import { PageHeading } from "~/components/page-heading";
import { useSchemaForm } from "~/components/schema-form";
import { SiteFields } from "~/features/admin/components/site-fields";
import { CreateSiteSchema, timeZones } from "~/features/admin/sites";
import { createSite } from "~/features/admin/sites.server";
import { requireUser } from "~/features/auth/guard.server";
import { redirectWithToast } from "~/kernel/http.server";
import { refusedReply } from "~/utils/forms.server";

export const meta: MetaFunction = () => [{ title: "Add a site · IOP Dashboard" }];

export async function loader(args: LoaderFunctionArgs) {
  await requireUser(args, "manage:sites");
  return { timeZones: timeZones() };
}

export async function action(args: ActionFunctionArgs) {
  const { db, user, meta } = await requireUser(args, "manage:sites");
  const submission = parseWithZod(await args.request.formData(), { schema: CreateSiteSchema });
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  const result = await createSite(db, user, submission.value, meta);
  if (!result.ok) return data(refusedReply(submission, result), { status: result.status });
  return redirectWithToast(`/admin/sites/${result.id}`, `Site ${submission.value.name} added. You are assigned to it.`);
}

export default function NewSitePage() {
  const { timeZones } = useLoaderData<typeof loader>();
  const navigation = useNavigation();
  const [form, fields] = useSchemaForm(CreateSiteSchema, { lastResult: useActionData<typeof action>() });
  return (
    <Stack gap="lg" maw={560}>
      <PageHeading back={{ to: "/admin/sites", label: "Sites" }} title="Add a site" />
      <FormPaper form={form}>
        <SiteFields fields={fields} timeZones={timeZones} />
        <SubmitOrCancel submit="Add site" cancelTo="/admin/sites" loading={navigation.state === "submitting"} />
      </FormPaper>
    </Stack>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}

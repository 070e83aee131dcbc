import { getFormProps } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { Button, Group, Paper, Stack } from "@mantine/core";
import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { RouteErrorBoundary } from "~/components/error-boundary";
import { FormErrors } from "~/components/form-errors";
import { PageHeading } from "~/components/page-heading";
import { useSchemaForm } from "~/components/schema-form";
import { requireSiteUser } from "~/features/auth/guard.server";
import { PayerFields } from "~/features/billing/components/payer-fields";
import { getPayer, updatePayer } from "~/features/billing/payers.server";
import { UpdatePayerSchema } from "~/features/billing/schemas";
import { foundOr404, redirectWithToast } from "~/kernel/http.server";
import { refusedReply } from "~/utils/forms.server";

export const meta: MetaFunction = () => [{ title: "Payer · IOP Dashboard" }];

const UNKNOWN = "There is no such payer at your site.";

export async function loader(args: LoaderFunctionArgs) {
  const { db, site } = await requireSiteUser(args, "manage:payers");
  return { payer: foundOr404(await getPayer(db, args.params.payerId ?? "", site.id), UNKNOWN) };
}

export async function action(args: ActionFunctionArgs) {
  const { db, user, site, meta } = await requireSiteUser(args, "manage:payers");
  const id = args.params.payerId ?? "";
  foundOr404(await getPayer(db, id, site.id), UNKNOWN);
  const submission = parseWithZod(await args.request.formData(), { schema: UpdatePayerSchema });
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  const result = await updatePayer(db, user, id, submission.value, site.id, meta);
  if (!result.ok) return data(refusedReply(submission, result), { status: result.status });
  return redirectWithToast("/admin/payers", `Payer ${submission.value.name} saved.`);
}

export default function PayerPage() {
  const { payer } = useLoaderData<typeof loader>();
  const navigation = useNavigation();
  const [form, fields] = useSchemaForm(UpdatePayerSchema, {
    id: `payer-${payer.id}-${payer.version}`,
    lastResult: useActionData<typeof action>(),
    defaultValue: { name: payer.name, kind: payer.kind, payerCode: payer.payerCode, active: payer.active ? "yes" : undefined },
  });
  return (
    <Stack gap="lg">
      <PageHeading back={{ to: "/admin/payers", label: "Payers" }} title={payer.name} />
      <Paper withBorder p="lg" maw={720}>
        <Form method="post" {...getFormProps(form)}>
          <input type="hidden" name="intent" value="update-payer" />
          <input type="hidden" name="payerId" value={payer.id} />
          <input type="hidden" name="version" value={payer.version} />
          <Stack>
            <FormErrors errors={form.errors} />
            <PayerFields fields={fields} />
            <Group>
              <Button type="submit" loading={navigation.state === "submitting"}>
                Save payer
              </Button>
            </Group>
          </Stack>
        </Form>
      </Paper>
    </Stack>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}

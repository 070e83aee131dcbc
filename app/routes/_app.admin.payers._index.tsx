import { getFormProps } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { Anchor, Badge, Button, Paper, Stack, Text, Title } from "@mantine/core";
import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { RouteErrorBoundary } from "~/components/error-boundary";
import { FormErrors } from "~/components/form-errors";
import { PageHeading } from "~/components/page-heading";
import { RowsTable } from "~/components/rows-table";
import { SectionCard } from "~/components/section-card";
import { useSchemaForm } from "~/components/schema-form";
import { requireSiteUser } from "~/features/auth/guard.server";
import { PayerFields } from "~/features/billing/components/payer-fields";
import { createPayer, listPayers } from "~/features/billing/payers.server";
import { PAYER_KINDS } from "~/features/billing/rules";
import { CreatePayerSchema } from "~/features/billing/schemas";
import { redirectWithToast } from "~/kernel/http.server";
import { refusedReply } from "~/utils/forms.server";

export const meta: MetaFunction = () => [{ title: "Payers · IOP Dashboard" }];

export async function loader(args: LoaderFunctionArgs) {
  const { db, site } = await requireSiteUser(args, "manage:payers");
  return { site: { name: site.name }, payers: await listPayers(db, site.id) };
}

export async function action(args: ActionFunctionArgs) {
  const { db, user, site, meta } = await requireSiteUser(args, "manage:payers");
  const submission = parseWithZod(await args.request.formData(), { schema: CreatePayerSchema });
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  const result = await createPayer(db, user, site.id, submission.value, meta);
  if (!result.ok) return data(refusedReply(submission, result), { status: result.status });
  return redirectWithToast("/admin/payers", `Payer ${submission.value.name} added.`);
}

export default function PayersPage() {
  const { site, payers } = useLoaderData<typeof loader>();
  const navigation = useNavigation();
  const [form, fields] = useSchemaForm(CreatePayerSchema, {
    id: `payer-${payers.length}`,
    lastResult: useActionData<typeof action>(),
    defaultValue: { active: "yes" },
  });
  return (
    <Stack gap="lg">
      <PageHeading back={{ to: "/admin/program", label: "Program setup" }} title="Payers">
        Who pays for care at {site.name}: each patient's coverage names one of these.
      </PageHeading>
      <SectionCard title={`Payers (${payers.length})`}>
        {payers.length ? (
          <RowsTable
            label="Payers"
            rows={payers}
            rowKey={(p) => p.id}
            columns={[
              {
                title: "Name",
                cell: (p) => (
                  <Anchor component={Link} to={`/admin/payers/${p.id}`}>
                    {p.name}
                  </Anchor>
                ),
              },
              { title: "Kind", cell: (p) => PAYER_KINDS[p.kind] },
              { title: "Electronic payer id", cell: (p) => p.payerCode || "—" },
              { title: "Status", cell: (p) => (p.active ? <Badge variant="light">Active</Badge> : <Badge color="gray">Inactive</Badge>) },
            ]}
          />
        ) : (
          <Text size="sm">No payers yet. Add the plans your patients are covered by.</Text>
        )}
      </SectionCard>
      <Paper withBorder p="lg" maw={720}>
        <Title order={2} size="h3" mb="xs">
          Add a payer
        </Title>
        <Form method="post" {...getFormProps(form)}>
          <input type="hidden" name="intent" value="create-payer" />
          <Stack>
            <FormErrors errors={form.errors} />
            <PayerFields fields={fields} />
            <div>
              <Button type="submit" loading={navigation.state === "submitting"}>
                Add payer
              </Button>
            </div>
          </Stack>
        </Form>
      </Paper>
    </Stack>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}

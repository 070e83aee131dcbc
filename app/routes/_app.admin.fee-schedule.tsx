import { parseWithZod } from "@conform-to/zod/v4";
import { Card, Paper, Stack, Text } from "@mantine/core";
import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { RouteErrorBoundary } from "~/components/error-boundary";
import { PageHeading } from "~/components/page-heading";
import { requireSiteUser } from "~/features/auth/guard.server";
import { FeeRowForm, FeeScheduleTable } from "~/features/billing/components/fee-schedule";
import { getFeeRow, listFeeSchedule, NO_SUCH_FEE_ROW, saveFeeRow } from "~/features/billing/fee-schedule.server";
import { payerChoices } from "~/features/billing/payers.server";
import { PAYER_KINDS } from "~/features/billing/rules";
import { FeeRowSchema } from "~/features/billing/charge-schemas";
import { foundOr404, redirectWithToast } from "~/kernel/http.server";
import { refusedReply } from "~/utils/forms.server";

export const meta: MetaFunction = () => [{ title: "Fee schedule · IOP Dashboard" }];

/** The current site's fee schedule: how each payer is billed for a day of IOP or PHP. */
export async function loader(args: LoaderFunctionArgs) {
  const { db, site } = await requireSiteUser(args, "manage:payers");
  const editId = new URL(args.request.url).searchParams.get("row") ?? "";
  const [rows, payers, editing] = await Promise.all([
    listFeeSchedule(db, site.id),
    payerChoices(db, site.id),
    editId ? getFeeRow(db, editId, site.id) : Promise.resolve(null),
  ]);
  if (editId) foundOr404(editing, NO_SUCH_FEE_ROW);
  return {
    site: { name: site.name },
    rows,
    editing,
    payers: payers.map((p) => ({ value: p.id, label: `${p.name} (${PAYER_KINDS[p.kind]})` })),
  };
}

export async function action(args: ActionFunctionArgs) {
  const { db, user, site, meta } = await requireSiteUser(args, "manage:payers");
  const submission = parseWithZod(await args.request.formData(), { schema: FeeRowSchema });
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  const result = await saveFeeRow(db, user, site.id, submission.value, meta);
  if (!result.ok) return data(refusedReply(submission, result), { status: result.status });
  const v = submission.value;
  return redirectWithToast("/admin/fee-schedule", `${v.level} row ${result.created ? "added" : "saved"}: ${v.procedureCode}.`);
}

export default function FeeSchedulePage() {
  const { site, rows, editing, payers } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const form = payers.length ? (
    <Paper withBorder p="lg">
      <FeeRowForm editing={editing} payers={payers} lastResult={lastResult} />
    </Paper>
  ) : (
    <Card withBorder>
      <Text>There are no payers at {site.name} yet. Add the payers first; then map each one&apos;s levels of care here.</Text>
    </Card>
  );
  return (
    <Stack gap="md" maw={1100}>
      <PageHeading back={{ to: "/billing/charges", label: "Charges" }} title="Fee schedule">
        How a day is billed at {site.name}, per payer and level of care: the claim, the code, the day rule and the rate. Charges are recomputed from this
        schedule.
      </PageHeading>
      {editing ? form : null}
      <FeeScheduleTable rows={rows} />
      {editing ? null : form}
    </Stack>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}

import { parseWithZod } from "@conform-to/zod/v4";
import { Stack } from "@mantine/core";
import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { RouteErrorBoundary } from "~/components/error-boundary";
import { PageHeading } from "~/components/page-heading";
import { requireSiteUser } from "~/features/auth/guard.server";
import {
  billingProvider,
  exportClaims,
  importRemittance,
  listBatches,
  listRemittances,
  MAX_REMITTANCE_BYTES,
  readyCharges,
  saveBillingProvider,
} from "~/features/billing/claims.server";
import { claimsActionSchema } from "~/features/billing/claims-schemas";
import { ClaimsTable } from "~/features/billing/components/claim-corrections";
import { listClaims } from "~/features/billing/corrections.server";
import { BatchesTable, ExportPanel, ImportForm, ProviderForm, RemittancesTable } from "~/features/billing/components/claims";
import { redirectWithToast } from "~/kernel/http.server";
import { describeBytes } from "~/utils/form.server";
import { refusedReply } from "~/utils/forms.server";
import { newId } from "~/utils/ids";

export const meta: MetaFunction = () => [{ title: "Claims · IOP Dashboard" }];

/** The site's claims: ready charges to export, batches sent, remittances received, the billing provider. */
export async function loader(args: LoaderFunctionArgs) {
  const { db, site, timeZone } = await requireSiteUser(args, "bill:claims");
  const [ready, batches, claims, remittances, provider] = await Promise.all([
    readyCharges(db, site.id),
    listBatches(db, site.id),
    listClaims(db, site.id),
    listRemittances(db, site.id),
    billingProvider(db, site.id),
  ]);
  return {
    timeZone,
    ready: ready.map((r) => ({ ...r, requestKey: newId() })),
    batches,
    claims,
    remittances,
    provider,
    importKey: newId(),
    maxBytes: describeBytes(MAX_REMITTANCE_BYTES),
  };
}

const TOO_LARGE_835 = `This file is larger than an 835 this page accepts (${describeBytes(MAX_REMITTANCE_BYTES)}). Nothing was imported: ask the payer to split it.`;

export async function action(args: ActionFunctionArgs) {
  const { db, user, site, meta } = await requireSiteUser(args, "bill:claims");
  const form = await args.request.formData();
  const file = form.get("file");
  form.delete("file");
  const submission = parseWithZod(form, { schema: claimsActionSchema });
  const intent = String(submission.payload.intent ?? "");
  if (submission.status !== "success") return data({ intent, reply: submission.reply(), skipped: [] }, { status: 400 });
  const v = submission.value;
  if (v.intent === "export") {
    const r = await exportClaims(db, user, site.id, v, meta);
    if (!r.ok) return data({ intent, reply: refusedReply(submission, r), skipped: [] }, { status: r.status });
    const left = r.skipped.length ? ` ${r.skipped.length} patient${r.skipped.length === 1 ? " was" : "s were"} left out: see why below.` : "";
    if (r.skipped.length)
      return data({
        intent,
        reply: submission.reply({ resetForm: true }),
        skipped: r.skipped,
        done: `Exported ${r.claims} ${r.claims === 1 ? "claim" : "claims"}.${left}`,
      });
    return redirectWithToast(
      "/billing/claims",
      r.repeated ? "This batch was exported already." : `Exported ${r.claims} ${r.claims === 1 ? "claim" : "claims"}.`,
    );
  }
  if (v.intent === "import") {
    if (!(file instanceof File) || file.size === 0)
      return data({ intent, reply: submission.reply({ fieldErrors: { file: ["Choose the 835 file to import."] } }), skipped: [] }, { status: 400 });
    // Refused on its size before a byte of it is read.
    if (file.size > MAX_REMITTANCE_BYTES)
      return data({ intent, reply: submission.reply({ fieldErrors: { file: [TOO_LARGE_835] } }), skipped: [] }, { status: 400 });
    const r = await importRemittance(db, user, site.id, { content: await file.text(), requestKey: v.requestKey }, meta);
    if (!r.ok) return data({ intent, reply: refusedReply(submission, r), skipped: [] }, { status: r.status });
    const unmatched = r.unmatched ? ` ${r.unmatched} matched no charge and are listed.` : "";
    return redirectWithToast(`/billing/remittances/${r.remittanceId}`, `Imported ${r.lines} lines.${unmatched}`);
  }
  const r = await saveBillingProvider(db, user, site.id, v, meta);
  if (!r.ok) return data({ intent, reply: refusedReply(submission, r), skipped: [] }, { status: r.status });
  return redirectWithToast("/billing/claims", "Billing provider saved.");
}

export default function ClaimsPage() {
  const { timeZone, ready, batches, claims, remittances, provider, importKey, maxBytes } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const replyFor = (intent: string) => (actionData?.intent === intent ? actionData.reply : undefined);
  return (
    <Stack gap="md">
      <PageHeading back={{ to: "/", label: "Home" }} title="Claims">
        Send ready charges to payers as 837 batches, and post what they paid from their 835 remittances.
      </PageHeading>
      <ExportPanel
        key={batches.length}
        ready={ready}
        reply={replyFor("export")}
        skipped={actionData?.intent === "export" ? actionData.skipped : []}
        done={actionData?.intent === "export" && "done" in actionData ? actionData.done : undefined}
      />
      <BatchesTable batches={batches} timeZone={timeZone} />
      <ClaimsTable claims={claims} timeZone={timeZone} />
      <ImportForm key={remittances.length} requestKey={importKey} reply={replyFor("import")} maxBytes={maxBytes} />
      <RemittancesTable remittances={remittances} />
      <ProviderForm values={provider.settings} version={provider.version} reply={replyFor("provider")} />
    </Stack>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}

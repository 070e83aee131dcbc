import { parseWithZod } from "@conform-to/zod/v4";
import { Stack } from "@mantine/core";
import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { RouteErrorBoundary } from "~/components/error-boundary";
import { PageHeading } from "~/components/page-heading";
import { requireSiteUser } from "~/features/auth/guard.server";
import { correctionSchema } from "~/features/billing/claims-schemas";
import { ClaimSummary, CorrectionPanel } from "~/features/billing/components/claim-corrections";
import { claimDetail, correctClaim } from "~/features/billing/corrections.server";
import { foundOr404, redirectWithToast } from "~/kernel/http.server";
import { refusedReply } from "~/utils/forms.server";
import { newId } from "~/utils/ids";

export const meta: MetaFunction = () => [{ title: "Claim · IOP Dashboard" }];

/** One exported claim: its lines, what differs now, and its replacement or void. */
export async function loader(args: LoaderFunctionArgs) {
  const { db, site, timeZone } = await requireSiteUser(args, "bill:claims");
  const claim = foundOr404(await claimDetail(db, args.params.claimId ?? "", site.id), "There is no such claim at this site.");
  return { claim, timeZone, requestKey: newId() };
}

export async function action(args: ActionFunctionArgs) {
  const { db, user, site, meta } = await requireSiteUser(args, "bill:claims");
  const submission = parseWithZod(await args.request.formData(), { schema: correctionSchema });
  if (submission.status !== "success") return data({ reply: submission.reply() }, { status: 400 });
  const v = submission.value;
  // The claim is the page's: another site's or an unknown id answers 404 alike.
  const r = await correctClaim(db, user, site.id, { claimId: args.params.claimId ?? "", kind: v.intent, basis: v.basis, requestKey: v.requestKey }, meta);
  if (!r.ok) return data({ reply: refusedReply(submission, r) }, { status: r.status });
  const what = v.intent === "replace" ? "Replacement" : "Void";
  return redirectWithToast(
    `/billing/claims/${r.claimId}`,
    r.repeated ? `This ${what.toLowerCase()} was sent already.` : `${what} claim sent in a batch of its own: download its 837 below.`,
  );
}

export default function ClaimPage() {
  const { claim, timeZone, requestKey } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const reply = actionData?.reply;
  const errors = reply?.error ? Object.values(reply.error).flatMap((e) => e ?? []) : undefined;
  return (
    <Stack gap="md">
      <PageHeading back={{ to: "/billing/claims", label: "Claims" }} title={`Claim ${claim.control}`}>
        {claim.patient} · {claim.payer} · {claim.total}
      </PageHeading>
      <ClaimSummary c={claim} timeZone={timeZone} />
      <CorrectionPanel key={claim.basis + requestKey} c={claim} requestKey={requestKey} formErrors={errors?.length ? errors : undefined} />
    </Stack>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}

import { type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { RouteErrorBoundary } from "~/components/error-boundary";
import { requireUser } from "~/features/auth/guard.server";
import { DisclosureDocument } from "~/features/consents/components/disclosure-document";
import { openDisclosure } from "~/features/consents/disclosures.server";
import { foundOr404 } from "~/kernel/http.server";
import { shortDate } from "~/kernel/time";

export const meta: MetaFunction<typeof loader> = ({ data: d }) => [
  { title: `Disclosure to ${d?.recipient ?? "recipient"} · ${d?.disclosedOn ? shortDate(d.disclosedOn) : ""}` },
];

export async function loader(args: LoaderFunctionArgs) {
  const { db, user, sites, meta } = await requireUser(args, "disclose:records");
  // Re-opening a disclosed record shows patient information again: every opening is audited.
  const siteIds = sites.map((s) => s.id);
  return foundOr404(await openDisclosure(db, user, args.params.disclosureId ?? "", siteIds, meta), "There is no such disclosure at your sites.");
}

export default function DisclosurePage() {
  return <DisclosureDocument d={useLoaderData<typeof loader>()} />;
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}

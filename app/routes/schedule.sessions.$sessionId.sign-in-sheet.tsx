import { type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { RouteErrorBoundary } from "~/components/error-boundary";
import { SignInSheet } from "~/features/attendance/components/sign-in-sheet";
import { signInSheet } from "~/features/attendance/roll-call-page.server";
import { recordAudit } from "~/features/audit/audit.server";
import { requireSiteUser } from "~/features/auth/guard.server";
import { foundOr404 } from "~/kernel/http.server";

export const meta: MetaFunction<typeof loader> = ({ data: d }) => [{ title: `Sign-in sheet · ${d?.title ?? "Session"} · ${d?.date ?? ""}` }];

export async function loader(args: LoaderFunctionArgs) {
  const { db, user, site, timeZone, meta } = await requireSiteUser(args, "take:attendance");
  const found = await signInSheet(db, args.params.sessionId ?? "", { id: site.id, name: site.name, timeZone });
  const { sheet, session } = foundOr404(found, "There is no such session at your site.");
  // Printing who is expected is a disclosure on paper: it is audited like a chart view.
  await recordAudit(db, {
    actor: user,
    action: "session.sign_in_sheet_printed",
    entityType: "session",
    entityId: session.id,
    siteId: site.id,
    detail: { title: session.title, date: session.localDate, patients: sheet.rows.length },
    meta,
  });
  return sheet;
}

export default function SignInSheetPage() {
  const sheet = useLoaderData<typeof loader>();
  return <SignInSheet sheet={sheet} />;
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}

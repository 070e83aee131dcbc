import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/features/auth/guard.server";
import { searchPatients } from "~/features/patients/caseload.server";

/** Quick patient search for the command palette: identity only, at the user's sites. */
export async function loader(args: LoaderFunctionArgs) {
  const { db, sites } = await requireUser(args, "read:patients");
  const q = new URL(args.request.url).searchParams.get("q") ?? "";
  // A resource route answers with a Response of its own (a bare object makes Remix warn in the log).
  return Response.json({ results: await searchPatients(db, q, sites.map((s) => s.id)) }, { headers: { "Cache-Control": "no-store" } });
}

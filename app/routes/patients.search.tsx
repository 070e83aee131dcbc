import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/features/auth/guard.server";
import { searchPatients } from "~/features/patients/caseload.server";

/** Quick patient search for the command palette: identity only, at the user's sites. */
export async function loader(args: LoaderFunctionArgs) {
  const { db, sites } = await requireUser(args, "read:patients");
  const q = new URL(args.request.url).searchParams.get("q") ?? "";
  return { results: await searchPatients(db, q, sites.map((s) => s.id)) };
}

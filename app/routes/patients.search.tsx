import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/features/auth/guard.server";
import { searchPatients } from "~/features/patients/caseload.server";
import { recordPatientListView } from "~/features/audit/list-views.server";

/** Quick patient search for the command palette: identity only, at the user's sites. */
export async function loader(args: LoaderFunctionArgs) {
  const { db, user, sites, site, meta } = await requireUser(args, "read:patients");
  const q = new URL(args.request.url).searchParams.get("q") ?? "";
  const results = await searchPatients(
    db,
    q,
    sites.map((s) => s.id),
  );
  // Every search is audited (one row, with what was asked and how many were found): a search
  // that finds no one still asked whether someone is a patient (42 CFR Part 2).
  if (q.trim())
    await recordPatientListView(db, user, { kind: "search", siteId: site?.id ?? null, filters: { q: q.trim().slice(0, 80) }, shown: results.length }, meta);
  // A resource route answers with a Response of its own (a bare object makes Remix warn in the log).
  return Response.json({ results }, { headers: { "Cache-Control": "no-store" } });
}

import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { type ClientActionFunctionArgs, isRouteErrorResponse, type ShouldRevalidateFunction, useActionData, useLoaderData } from "@remix-run/react";
import { RouteErrorBoundary } from "~/components/error-boundary";
import { requireSiteUser } from "~/features/auth/guard.server";
import { NotePage } from "~/features/notes/components/note-page";
import { notePage, runNoteAction } from "~/features/notes/note-page.server";
import { AUTOSAVE_INTENTS, type Offline } from "~/features/notes/schemas";
import { foundOr404, redirectWithToast } from "~/kernel/http.server";
import { readForm } from "~/utils/form.server";

export const meta: MetaFunction<typeof loader> = ({ data: d }) => [{ title: `Note · ${d?.session.title ?? "Session"} · IOP Dashboard` }];

export async function loader(args: LoaderFunctionArgs) {
  const { db, user, site, timeZone, meta } = await requireSiteUser(args, "read:notes");
  // Each view of a note is audited inside notePage (note.viewed), as a chart view is.
  const page = await notePage(db, args.params.sessionId ?? "", { id: site.id, timeZone }, user, meta);
  return foundOr404(page, "There is no such session at your site.");
}

export async function action(args: ActionFunctionArgs) {
  const { db, user, site, meta } = await requireSiteUser(args, "write:notes");
  const sessionId = args.params.sessionId ?? "";
  const form = await readForm(args.request);
  const byScript = form.get("js") === "1";
  const result = await runNoteAction(db, user, sessionId, site.id, form, meta);
  const here = `/schedule/sessions/${sessionId}/note`;
  if (!result.ok) return data(result, { status: result.status });
  // A save typed with JavaScript stays on the page; a plain form's "Save" comes back to the page.
  if (AUTOSAVE_INTENTS.includes(result.intent) && byScript) return data(result);
  return redirectWithToast(here, result.message ?? "Saved.");
}

/**
 * Saves sent as the person types go through here: when the server cannot be reached (a restart, a
 * dropped connection) the editor is told so and keeps the text, instead of the page failing.
 */
export async function clientAction({ request, serverAction }: ClientActionFunctionArgs) {
  const form = await request.clone().formData();
  const intent = String(form.get("intent") ?? "");
  if (!AUTOSAVE_INTENTS.includes(intent)) return serverAction();
  // The part's save carries a token the answer echoes, so the part knows which answer is its own.
  const saveToken = String(form.get("saveToken") ?? "");
  try {
    return { ...((await serverAction()) as object), saveToken } as Awaited<ReturnType<typeof serverAction>> & { saveToken: string };
  } catch (e) {
    if (e instanceof TypeError || (isRouteErrorResponse(e) && e.status >= 500)) return { ok: false, offline: true, intent, saveToken } satisfies Offline;
    throw e;
  }
}

/** A part saved as the person types changes nothing else on the page: no reload (and no second audited view). */
export const shouldRevalidate: ShouldRevalidateFunction = ({ formData, defaultShouldRevalidate }) =>
  formData && AUTOSAVE_INTENTS.includes(String(formData.get("intent"))) ? false : defaultShouldRevalidate;

export default function NoteRoute() {
  const page = useLoaderData<typeof loader>();
  const result = useActionData<typeof clientAction>();
  const answer = result as Parameters<typeof NotePage>[0]["result"] | Offline | undefined;
  return <NotePage page={page} result={answer && "offline" in answer ? null : answer} />;
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}

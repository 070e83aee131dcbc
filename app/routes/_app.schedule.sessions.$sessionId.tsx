import { parseWithZod } from "@conform-to/zod/v4";
import { Stack } from "@mantine/core";
import { type ActionFunctionArgs, data, type LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { RouteErrorBoundary } from "~/components/error-boundary";
import { recordPatientListView } from "~/features/audit/list-views.server";
import { requireSiteUser } from "~/features/auth/guard.server";
import { can } from "~/features/auth/permissions";
import { SessionChanges } from "~/features/scheduling/components/session-changes";
import { SessionRoster } from "~/features/scheduling/components/session-roster";
import { SessionSummary } from "~/features/scheduling/components/session-summary";
import { SessionNoteButton } from "~/features/notes/components/note-page";
import { sessionNoteStatus } from "~/features/notes/note-page.server";
import { addToRoster, removeFromRoster } from "~/features/scheduling/enrollment.server";
import { cancelSession, moveSession } from "~/features/scheduling/groups.server";
import { SESSION_INTENTS, SessionActionSchema, type SessionIntent } from "~/features/scheduling/schemas";
import { sessionIsGroup, sessionPage } from "~/features/scheduling/session-page.server";
import { foundOr404, invariantResponse, redirectWithToast } from "~/kernel/http.server";
import { refusedReply } from "~/utils/forms.server";
import { longDate, timeRange } from "~/kernel/time";

const DONE = {
  "add-patient": "Added to this session's roster.",
  "remove-patient": "Taken off this session's roster.",
  cancel: "Session cancelled. The rest of the series is unchanged.",
};

export async function loader(args: LoaderFunctionArgs) {
  const { db, user, site, timeZone, meta } = await requireSiteUser(args, "read:schedule");
  const found = await sessionPage(db, args.params.sessionId ?? "", { role: user.role, siteId: site.id, timeZone });
  const { page, shown } = foundOr404(found, "There is no such session at your site.");
  // Who is a patient is itself Part 2 information: one audit row per view of a list that names them.
  await recordPatientListView(
    db,
    user,
    { kind: "session_roster", siteId: site.id, filters: { session: page.session.id, date: page.session.date }, shown },
    meta,
  );
  return { ...page, note: await sessionNoteStatus(db, page.session.id, site.id, user) };
}

export async function action(args: ActionFunctionArgs) {
  const { db, user, site, meta } = await requireSiteUser(args, "book:sessions");
  const id = args.params.sessionId ?? "";
  const formData = await args.request.formData();
  const intent = formData.get("intent") as SessionIntent;
  invariantResponse(SESSION_INTENTS.includes(intent), "That is not something this page can do.");
  // Moving and cancelling: any session for admins, individual and family sessions for counselors.
  if ((intent === "move" || intent === "cancel") && (await sessionIsGroup(db, id, site.id)) && !can(user.role, "manage:program")) {
    throw data({ message: "Only an admin can move or cancel a group session." }, { status: 403 });
  }
  const submission = parseWithZod(formData, { schema: SessionActionSchema });
  if (submission.status !== "success") return data({ intent, reply: submission.reply() }, { status: 400 });
  const v = submission.value;
  const result =
    v.intent === "add-patient"
      ? await addToRoster(db, user, id, v.patientId, site, meta)
      : v.intent === "remove-patient"
        ? await removeFromRoster(db, user, id, v.patientId, v.reason, site, meta)
        : v.intent === "cancel"
          ? await cancelSession(db, user, id, v, site.id, meta)
          : await moveSession(db, user, id, v, site, meta);
  if (!result.ok) return data({ intent, reply: refusedReply(submission, result) }, { status: result.status });
  const message = v.intent === "move" ? `Session moved to ${longDate(v.date)}, ${timeRange(v.startTime, v.endTime)}.` : DONE[v.intent];
  return redirectWithToast(`/schedule/sessions/${id}`, message);
}

export default function SessionPage() {
  const { session, canManage, canEditRoster, canTakeRoll, canPrint, marks, rooms, roster, candidates, appointment, note } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <Stack gap="lg" maw={820}>
      <SessionSummary session={session} appointment={appointment} rollTaken={Object.keys(marks).length > 0} canTakeRoll={canTakeRoll} canPrint={canPrint} />
      <SessionNoteButton sessionId={session.id} status={note} prominent={Object.keys(marks).length > 0} />
      <SessionRoster
        roster={roster}
        marks={marks}
        capacity={session.capacity}
        appointment={appointment !== null}
        candidates={candidates}
        canEditRoster={canEditRoster}
        lastResult={actionData}
      />
      {canManage && session.status !== "cancelled" ? <SessionChanges session={session} rooms={rooms} lastResult={actionData} /> : null}
    </Stack>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}

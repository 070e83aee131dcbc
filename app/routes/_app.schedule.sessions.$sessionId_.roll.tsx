import { Alert, Anchor, Stack, Text, Title } from "@mantine/core";
import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { RouteErrorBoundary } from "~/components/error-boundary";
import { saveRollCall } from "~/features/attendance/attendance.server";
import { RollCallForm } from "~/features/attendance/components/roll-call-form";
import { rollCallPage } from "~/features/attendance/roll-call-page.server";
import { readRollCallForm } from "~/features/attendance/roll-form";
import { recordPatientListView } from "~/features/audit/list-views.server";
import { requireSiteUser } from "~/features/auth/guard.server";
import { can } from "~/features/auth/permissions";
import { foundOr404, redirectWithToast } from "~/kernel/http.server";
import { readForm } from "~/utils/form.server";
import { longDate } from "~/kernel/time";

export const meta: MetaFunction<typeof loader> = ({ data: d }) => [{ title: `Roll call · ${d?.session.title ?? "Session"} · IOP Dashboard` }];

export async function loader(args: LoaderFunctionArgs) {
  const { db, user, site, timeZone, meta } = await requireSiteUser(args, "take:attendance");
  const page = foundOr404(await rollCallPage(db, args.params.sessionId ?? "", { id: site.id, timeZone }), "There is no such session at your site.");
  // Who is a patient is itself Part 2 information: one audit row per view of a list that names them.
  await recordPatientListView(
    db,
    user,
    { kind: "roll_call", siteId: site.id, filters: { session: page.session.id, date: page.session.date }, shown: page.roster.length },
    meta,
  );
  return page;
}

export async function action(args: ActionFunctionArgs) {
  const { db, user, site, meta } = await requireSiteUser(args, "take:attendance");
  const id = args.params.sessionId ?? "";
  const form = readRollCallForm(await readForm(args.request));
  if (!form.ok) return data({ formError: form.formError, fieldErrors: {} as Record<string, string[]> }, { status: 400 });
  const { marks, version, reason } = form;
  const result = await saveRollCall(db, user, id, { version, marks, reason }, site, meta);
  if (!result.ok) return data({ formError: result.formError ?? "Check the marked rows.", fieldErrors: result.fieldErrors ?? {} }, { status: result.status });
  const message =
    result.changed === 0
      ? "Nothing changed; the roll call is as it was."
      : `Roll call saved: ${result.saved} marked${result.correction ? " (correction recorded with its reason)" : ""}.${can(user.role, "write:notes") ? " Next: write the note (Write notes, below)." : ""}`;
  return redirectWithToast(`/schedule/sessions/${id}`, message);
}

export default function RollCall() {
  const { session: s, roster } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  return (
    <Stack gap="md" maw={1100}>
      <div>
        <Anchor component={Link} to={`/schedule/sessions/${s.id}`} size="sm">
          ← {s.title}
        </Anchor>
        <Title order={1}>Roll call: {s.title}</Title>
        <Text c="dimmed">
          {longDate(s.date)}, {s.time} · {s.where} · {s.facilitators} · {s.minutes} minutes
        </Text>
      </div>
      {s.cancelled ? <Alert color="gray">This session was cancelled; there is no roll to take.</Alert> : null}
      {s.notStarted ? <Alert color="blue">This session has not started yet. Take roll once it begins.</Alert> : null}
      {!s.cancelled && !s.notStarted ? <RollCallForm session={s} roster={roster} refusal={actionData} submitting={navigation.state === "submitting"} /> : null}
    </Stack>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}

import { parseWithZod } from "@conform-to/zod/v4";
import { Stack, Text } from "@mantine/core";
import { type ActionFunctionArgs, data, type LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { RouteErrorBoundary } from "~/components/error-boundary";
import { requirePatient } from "~/features/patients/access.server";
import { DischargeForm, EpisodeSummary, ReadmitForm } from "~/features/patients/components/discharge";
import { dischargePatient, episodesOf, readmitPatient } from "~/features/patients/patients.server";
import { dischargeActionSchema } from "~/features/patients/schemas";
import { redirectWithToast } from "~/kernel/http.server";
import { refusedReply } from "~/utils/forms.server";
import { shortDate } from "~/kernel/time";

export async function loader(args: LoaderFunctionArgs) {
  const { db, patientId, header, canWrite, today } = await requirePatient(args, "read:patient-clinical", "discharge");
  return {
    canWrite,
    today,
    discharged: header.identity.status === "discharged",
    admittedOn: header.clinical.admittedOn,
    version: header.clinical.version,
    episodes: (await episodesOf(db, patientId)).filter((e) => e.discharged_on),
  };
}

/** "Taken off 3 coming sessions: Relapse Prevention on …; …" */
function leftNote(left: string[]): string {
  if (!left.length) return "";
  return ` Taken off ${left.length} coming ${left.length === 1 ? "session" : "sessions"}: ${left.slice(0, 3).join("; ")}${left.length > 3 ? "; and more" : ""}.`;
}

export async function action(args: ActionFunctionArgs) {
  const { db, user, patientId, today, sites, meta, header } = await requirePatient(args, "write:patients", null);
  const submission = parseWithZod(await args.request.formData(), { schema: dischargeActionSchema(today) });
  const intent = submission.payload.intent === "readmit" ? "readmit" : "discharge";
  if (submission.status !== "success") return data({ intent, reply: submission.reply() }, { status: 400 });
  const siteIds = sites.map((s) => s.id);
  const input = submission.value;
  if (input.intent === "readmit") {
    const result = await readmitPatient(db, user, patientId, input, siteIds, meta);
    if (!result.ok) return data({ intent, reply: refusedReply(submission, result) }, { status: result.status });
    return redirectWithToast(`/patients/${patientId}`, `${header.identity.name} re-admitted: a new episode starts ${shortDate(input.admittedOn)}.`);
  }
  const result = await dischargePatient(db, user, patientId, input, siteIds, meta);
  if (!result.ok) return data({ intent, reply: refusedReply(submission, result) }, { status: result.status });
  return redirectWithToast(
    `/patients/${patientId}/discharge`,
    `${header.identity.name} discharged on ${shortDate(input.dischargedOn)}.${leftNote(result.sessionsLeft)}`,
  );
}

export default function DischargePage() {
  const { canWrite, today, discharged, admittedOn, version, episodes } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <Stack gap="md">
      {episodes.map((e) => (
        <EpisodeSummary key={e.id} e={e} />
      ))}
      {canWrite && !discharged ? (
        <DischargeForm today={today} version={version} admittedOn={admittedOn} lastResult={actionData?.intent === "discharge" ? actionData.reply : undefined} />
      ) : null}
      {canWrite && discharged ? (
        <ReadmitForm today={today} version={version} lastResult={actionData?.intent === "readmit" ? actionData.reply : undefined} />
      ) : null}
      {!episodes.length && (!canWrite || discharged) ? <Text c="dimmed">Not discharged.</Text> : null}
    </Stack>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}

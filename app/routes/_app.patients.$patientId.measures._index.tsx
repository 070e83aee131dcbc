import { parseWithZod } from "@conform-to/zod/v4";
import { Stack } from "@mantine/core";
import { type ActionFunctionArgs, data, type LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { RouteErrorBoundary } from "~/components/error-boundary";
import { DueList } from "~/features/measures/components/due-list";
import { MeasuresOverview } from "~/features/measures/components/measures-overview";
import { SafetyFlags } from "~/features/measures/components/safety-flags";
import { measuresDue, measuresOverview, recordSafetyCheck, safetyFlagsOf } from "~/features/measures/measures.server";
import { safetyCheckSchema } from "~/features/measures/schemas";
import { requirePatient } from "~/features/patients/access.server";
import { redirectWithToast } from "~/kernel/http.server";
import { refusedReply } from "~/utils/forms.server";

export async function loader(args: LoaderFunctionArgs) {
  const { db, patientId, today, clinical, canWrite } = await requirePatient(args, "enter:measures", "measures");
  // Those who only enter answers see what is due, never a score, a band, an earlier answer or a flag.
  if (!clinical) return { clinical: false as const, patientId, due: await measuresDue(db, patientId, today) };
  const [measures, flags] = await Promise.all([measuresOverview(db, patientId, today), safetyFlagsOf(db, patientId)]);
  return { clinical: true as const, patientId, today, canWrite, measures, flags };
}

export async function action(args: ActionFunctionArgs) {
  const { db, user, patientId, today, sites, meta } = await requirePatient(args, "write:patients", null);
  const submission = parseWithZod(await args.request.formData(), { schema: safetyCheckSchema(today) });
  const flagId = String(submission.payload.flagId ?? "");
  if (submission.status !== "success") return data({ flagId, reply: submission.reply() }, { status: 400 });
  const result = await recordSafetyCheck(
    db,
    user,
    patientId,
    submission.value,
    sites.map((s) => s.id),
    meta,
  );
  if (!result.ok) return data({ flagId, reply: refusedReply(submission, result) }, { status: result.status });
  return redirectWithToast(`/patients/${patientId}/measures`, "Safety check recorded; the flag is closed.");
}

export default function Measures() {
  const page = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  if (!page.clinical) return <DueList due={page.due} patientId={page.patientId} />;
  return (
    <Stack gap="md">
      <SafetyFlags flags={page.flags} today={page.today} canWrite={page.canWrite} lastResult={actionData} />
      <MeasuresOverview measures={page.measures} patientId={page.patientId} canWrite={page.canWrite} />
    </Stack>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}

import { parseWithZod } from "@conform-to/zod/v4";
import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { RouteErrorBoundary } from "~/components/error-boundary";
import { requireSiteUser } from "~/features/auth/guard.server";
import { EnrollForm } from "~/features/patients/components/enroll-form";
import { counselorChoices, enrollPatient } from "~/features/patients/patients.server";
import { intakeSchema } from "~/features/patients/schemas";
import { trackChoices } from "~/features/scheduling/program.server";
import { redirectWithToast } from "~/kernel/http.server";
import { refusedReply } from "~/utils/forms.server";

export const meta: MetaFunction = () => [{ title: "Enroll a patient · IOP Dashboard" }];

export async function loader(args: LoaderFunctionArgs) {
  const { db, user, sites, site, today } = await requireSiteUser(args, "write:patients");
  const siteIds = sites.map((s) => s.id);
  const [counselors, tracks] = await Promise.all([counselorChoices(db, siteIds), trackChoices(db, siteIds)]);
  return {
    today,
    sites: sites.map((s) => ({ value: s.id, label: s.name })),
    counselors,
    tracks: tracks.map(({ value, label }) => ({ value, label })),
    defaults: {
      siteId: site.id,
      primaryCounselorId: user.role === "counselor" ? user.id : "",
      admittedOn: today,
      part2NoticeOn: today,
      initialStatus: "active",
      levelOfCare: "IOP",
      preferredLanguage: "English",
      detoxStatus: "not_needed",
    },
  };
}

export async function action(args: ActionFunctionArgs) {
  const { db, user, sites, today, meta } = await requireSiteUser(args, "write:patients");
  const formData = await args.request.formData();
  const submission = parseWithZod(formData, { schema: intakeSchema(today) });
  // A confirmation already given goes back with the form, so confirming a second warning keeps the first.
  const confirmedDuplicate = formData.get("confirmDuplicate") === "yes";
  if (submission.status !== "success") return data({ reply: submission.reply(), duplicates: [], trackHours: null, confirmedDuplicate }, { status: 400 });
  const v = submission.value;
  const siteIds = sites.map((s) => s.id);
  // "Enroll anyway" confirms the hours of the track it was shown for, not whichever is chosen next.
  const result = await enrollPatient(db, user, v, siteIds, meta, { confirmTrackHours: Boolean(v.trackId) && formData.get("confirmTrackHours") === v.trackId });
  if (!result.ok) {
    const trackHours = result.trackHours && v.trackId ? { message: result.formError ?? result.trackHours, trackId: v.trackId } : null;
    return data({ reply: refusedReply(submission, result), duplicates: result.duplicates ?? [], trackHours, confirmedDuplicate }, { status: result.status });
  }
  return redirectWithToast(`/patients/${result.id}`, `Enrolled ${submission.value.legalFirstName} ${submission.value.legalLastName} as ${result.mrn}.`);
}

export default function EnrollPage() {
  const { today, sites, counselors, tracks, defaults } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <EnrollForm
      today={today}
      sites={sites}
      counselors={counselors}
      tracks={tracks}
      defaults={defaults}
      lastResult={actionData?.reply}
      duplicates={actionData?.duplicates ?? []}
      trackHours={actionData?.trackHours ?? null}
      confirmedDuplicate={actionData?.confirmedDuplicate ?? false}
    />
  );
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}

import { parseWithZod } from "@conform-to/zod/v4";
import { Stack } from "@mantine/core";
import { type ActionFunctionArgs, data, type LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { RouteErrorBoundary } from "~/components/error-boundary";
import { can } from "~/features/auth/permissions";
import { requirePatient } from "~/features/patients/access.server";
import { ComingSessions, PatientTrack, ScheduledHours } from "~/features/patients/components/patient-schedule";
import { assignTrack } from "~/features/scheduling/enrollment.server";
import { trackChoices } from "~/features/scheduling/program.server";
import { hourRequirement } from "~/features/scheduling/rules";
import { TrackMoveSchema } from "~/features/scheduling/schemas";
import { clockRange, patientSchedule, trackHistory } from "~/features/scheduling/views.server";
import { redirectWithToast } from "~/kernel/http.server";
import { refusedReply } from "~/utils/forms.server";
import { shortDate } from "~/kernel/time";

export async function loader(args: LoaderFunctionArgs) {
  const { db, user, patientId, header, canWrite, today, clinical } = await requirePatient(args, "read:patients", "schedule");
  const tz = header.timeZone;
  const [schedule, history, tracks] = await Promise.all([
    patientSchedule(db, patientId, today, tz, 4),
    trackHistory(db, patientId),
    canWrite ? trackChoices(db, [header.siteId]) : [],
  ]);
  const open = header.identity.status !== "discharged";
  const requirement = clinical && open ? hourRequirement(header.clinical.levelOfCare, header.clinical.adolescent) : null;
  return {
    patientId,
    today,
    timeZone: tz,
    open,
    canWrite: canWrite && open,
    canBook: can(user.role, "book:sessions") && open,
    linkSessions: can(user.role, "read:schedule"),
    version: header.clinical.version,
    track: header.identity.track,
    history,
    tracks: tracks.filter((t) => t.value !== header.identity.trackId).map(({ value, label }) => ({ value, label })),
    level: clinical ? { level: header.clinical.levelOfCare, adolescent: header.clinical.adolescent } : null,
    requirement,
    weeks: schedule.weekly.map((w) => ({
      ...w,
      meets: requirement
        ? (requirement.min === null || w.minutes >= requirement.min * 60) && (requirement.max === null || w.minutes < requirement.max * 60)
        : null,
    })),
    sessions: schedule.sessions
      .filter((s) => s.endsAt > new Date().toISOString())
      .map((s) => ({
        id: s.id,
        date: s.date,
        time: clockRange(s, tz),
        title: s.title,
        kindLabel: s.kindLabel,
        where: s.where,
        facilitator: s.facilitator,
        cancelled: s.cancelled,
        viaTrack: s.viaTrack,
      })),
  };
}

export async function action(args: ActionFunctionArgs) {
  const { db, user, patientId, sites, meta } = await requirePatient(args, "write:patients", null);
  const submission = parseWithZod(await args.request.formData(), { schema: TrackMoveSchema });
  if (submission.status !== "success") return data({ reply: submission.reply(), confirm: null }, { status: 400 });
  const siteIds = sites.map((s) => s.id);
  const v = submission.value;
  // "Move anyway" confirms the hours of the track it was shown for, not whichever is chosen next.
  const result = await assignTrack(db, user, patientId, { ...v, confirmTrackHours: v.confirmTrackHours === v.trackId }, siteIds, meta);
  if (!result.ok) {
    const confirm = "trackHours" in result ? { message: result.formError ?? result.trackHours, trackId: v.trackId } : null;
    return data({ reply: refusedReply(submission, result), confirm }, { status: result.status });
  }
  const left = result.left.length
    ? ` Left ${result.left.length} ${result.left.length === 1 ? "session" : "sessions"}: ${result.left.slice(0, 3).join("; ")}${result.left.length > 3 ? "; …" : ""}.`
    : "";
  const sessions = result.joined === 1 ? "session" : "sessions";
  return redirectWithToast(
    `/patients/${patientId}/schedule`,
    `Track changed from ${shortDate(submission.value.effectiveOn)}; on ${result.joined} coming group ${sessions}.${left}`,
  );
}

export default function PatientSchedule() {
  const d = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <Stack gap="md">
      {d.requirement ? <ScheduledHours level={d.level} requirement={d.requirement} weeks={d.weeks} /> : null}
      <ComingSessions patientId={d.patientId} open={d.open} canBook={d.canBook} sessions={d.sessions} linkSessions={d.linkSessions} />
      <PatientTrack
        today={d.today}
        version={d.version}
        track={d.track}
        history={d.history}
        tracks={d.tracks}
        canWrite={d.canWrite}
        lastResult={actionData?.reply}
        confirm={actionData?.confirm ?? null}
      />
    </Stack>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}

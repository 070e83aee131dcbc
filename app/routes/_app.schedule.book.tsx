import { parseWithZod } from "@conform-to/zod/v4";
import { Paper, Stack } from "@mantine/core";
import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { RouteErrorBoundary } from "~/components/error-boundary";
import { PageHeading } from "~/components/page-heading";
import { requireSiteUser } from "~/features/auth/guard.server";
import { counselorsAt } from "~/features/patients/patients.server";
import { bookAppointment } from "~/features/scheduling/appointments.server";
import { AppointmentForm } from "~/features/scheduling/components/appointment-form";
import { patientOptions, roomOptions } from "~/features/scheduling/options.server";
import { AppointmentSchema, UNTIL_DISCHARGE } from "~/features/scheduling/schemas";
import { APPOINTMENT_KINDS } from "~/features/scheduling/vocabulary";
import { refusedReply } from "~/utils/forms.server";
import { redirectWithToast } from "~/kernel/http.server";
import { longDate, clock12 } from "~/kernel/time";

export const meta: MetaFunction = () => [{ title: "Book a session · IOP Dashboard" }];

export async function loader(args: LoaderFunctionArgs) {
  const { db, user, site, timeZone, today } = await requireSiteUser(args, "book:sessions");
  const [patients, rooms, people] = await Promise.all([patientOptions(db, site.id), roomOptions(db, site.id), counselorsAt(db, [site.id])]);
  const requested = new URL(args.request.url).searchParams.get("patient") ?? "";
  return {
    site: { name: site.name, timeZone },
    today,
    patients,
    rooms,
    people: people.map((p) => ({ value: p.id, label: p.name })),
    defaults: {
      patientId: patients.some((p) => p.value === requested) ? requested : "",
      kind: "individual",
      facilitatorId: people.some((p) => p.id === user.id) ? user.id : "",
      durationMinutes: "50",
      modality: "in_person",
      weeks: "1",
    },
  };
}

export async function action(args: ActionFunctionArgs) {
  const { db, user, site, meta } = await requireSiteUser(args, "book:sessions");
  const submission = parseWithZod(await args.request.formData(), { schema: AppointmentSchema });
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  const result = await bookAppointment(db, user, submission.value, site, meta);
  if (!result.ok) return data(refusedReply(submission, result), { status: result.status });
  const v = submission.value;
  const repeats = v.weeks === UNTIL_DISCHARGE ? ", then weekly until discharge" : v.weeks > 1 ? `, then weekly for ${v.weeks} weeks` : "";
  const what = `${APPOINTMENT_KINDS[v.kind]} booked: ${longDate(v.date)} at ${clock12(v.startTime)}${repeats}.`;
  return redirectWithToast(`/schedule/sessions/${result.sessionIds[0]}`, what);
}

export default function BookSession() {
  const { site, today, patients, rooms, people, defaults } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  return (
    <Stack gap="lg" maw={860}>
      <PageHeading back={{ to: "/schedule", label: "Schedule" }} title="Book a session">
        An individual or family session for one patient at {site.name}, once or every week at the same time ({site.timeZone}).
      </PageHeading>
      <Paper withBorder p="lg">
        <AppointmentForm today={today} patients={patients} rooms={rooms} people={people} defaults={defaults} lastResult={lastResult} />
      </Paper>
    </Stack>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}

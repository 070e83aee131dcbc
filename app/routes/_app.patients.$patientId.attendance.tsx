import { Anchor, Badge, Stack, Text } from "@mantine/core";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { RouteErrorBoundary } from "~/components/error-boundary";
import { attendanceFlags, attendanceHistory } from "~/features/attendance/attendance.server";
import { requirePatient } from "~/features/patients/access.server";
import { ThisWeekCard, WeekByWeekCard } from "~/features/attendance/components/week-standing";
import { addDays, clockAt, longDate } from "~/kernel/time";
import { RowsTable } from "~/components/rows-table";
import { SectionCard } from "~/components/section-card";
import { can } from "~/features/auth/permissions";

export async function loader(args: LoaderFunctionArgs) {
  const { db, user, patientId, header, today, clinical } = await requirePatient(args, "read:patients", "attendance");
  const tz = header.timeZone;
  // This episode, or the last twelve weeks when the admission date is not visible to the role
  // (billing staff see it: a claim carries it, and authorizations count days from it).
  const seesAdmission = clinical || can(user.role, "bill:claims");
  const since = seesAdmission && header.clinical.admittedOn ? header.clinical.admittedOn : addDays(today, -84);
  const [history, flags] = await Promise.all([attendanceHistory(db, patientId, since), attendanceFlags(db, [patientId], tz)]);
  const week = flags.get(patientId) ?? null;
  return {
    clinical,
    // Billing staff have no schedule: a session's title is text for them, not a link they cannot open.
    linkSessions: can(user.role, "read:schedule"),
    since,
    week,
    weeks: history.weeks.map((w) => ({ ...w, ...history.documentation.get(w.monday) })),
    totalBillable: history.totalBillable,
    notes: { required: history.notesRequired, heldForNotes: history.heldForNotes },
    marks: history.marks.slice(0, 40).map((m) => ({
      sessionId: m.session_id,
      date: m.local_date,
      time: clockAt(m.starts_at, tz),
      title: m.title,
      label: m.label,
      status: m.status,
      minutes: m.minutes,
      mode: m.mode,
      note: m.note,
      documented: m.documented,
    })),
  };
}

export default function PatientAttendance() {
  const d = useLoaderData<typeof loader>();
  return (
    <Stack gap="md">
      {d.week ? <ThisWeekCard week={d.week} /> : null}
      <WeekByWeekCard weeks={d.weeks} total={d.totalBillable} since={d.since} notes={d.notes} />

      <SectionCard title="Recent sessions">
        {d.marks.length === 0 ? (
          <Text size="sm" c="dimmed">
            Nothing marked yet.
          </Text>
        ) : (
          <RowsTable
            label="Recent attendance"
            rows={d.marks}
            rowKey={(m) => m.sessionId}
            columns={[
              {
                title: "Date",
                cell: (m) => (
                  <>
                    {longDate(m.date)}, {m.time}
                  </>
                ),
              },
              {
                title: "Session",
                cell: (m) =>
                  d.linkSessions ? (
                    <Anchor component={Link} to={`/schedule/sessions/${m.sessionId}`}>
                      {m.title}
                    </Anchor>
                  ) : (
                    m.title
                  ),
              },
              {
                title: "Attendance",
                cell: (m) => (
                  <>
                    <Badge variant="light" color={m.status === "absent_unexcused" ? "red" : m.status === "absent_excused" ? "gray" : "teal"}>
                      {m.label}
                    </Badge>
                    {m.mode === "telehealth" ? (
                      <Text span size="xs">
                        {" "}
                        · telehealth
                      </Text>
                    ) : null}
                  </>
                ),
              },
              { title: "Minutes", cell: (m) => m.minutes },
              { title: "Documented", cell: (m) => (m.documented === null ? "" : m.documented ? "Signed note" : "No signed note") },
              { title: "Note", cell: (m) => m.note ?? "" },
            ]}
          />
        )}
      </SectionCard>
    </Stack>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}

import { Anchor, Text } from "@mantine/core";
import { Link } from "@remix-run/react";
import { RowsTable } from "~/components/rows-table";
import { SectionCard } from "~/components/section-card";
import { formatDuration, shortDate } from "~/kernel/time";
import type { WeekAttendance } from "../home.server";

/** Home for billing: who attended this week, with the days and hours charges count from. */
export function WeekAttendanceCard({ week }: { week: WeekAttendance }) {
  return (
    <SectionCard title="Attended this week">
      <Text size="sm" c="dimmed" mb="xs">
        {shortDate(week.from)} to {shortDate(week.to)}: {week.total} {week.total === 1 ? "patient" : "patients"} attended
        {week.total > week.rows.length ? ` (the first ${week.rows.length} by name are listed)` : ""}. A billable day reaches its level's hours; a documented one
        has a signed note for every session.
      </Text>
      {week.rows.length === 0 ? null : (
        <RowsTable
          label="Patients who attended this week"
          rows={week.rows}
          rowKey={(r) => r.patientId}
          columns={[
            {
              title: "Patient",
              cell: (r) => (
                <Anchor component={Link} to={`/patients/${r.patientId}/attendance`}>
                  {r.name}
                </Anchor>
              ),
            },
            { title: "MRN", cell: (r) => r.mrn },
            { title: "Days attended", right: true, cell: (r) => r.daysAttended },
            { title: "Hours", right: true, cell: (r) => formatDuration(r.minutes) },
            { title: "Billable days", right: true, cell: (r) => r.billableDays },
            { title: "Documented", right: true, cell: (r) => r.documentedDays },
          ]}
        />
      )}
    </SectionCard>
  );
}

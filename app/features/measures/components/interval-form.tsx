/** The setting that spaces repeat measures at a site: whole days, 7 to 90. */
import { DaysSettingForm } from "~/components/days-setting-form";
import { DEFAULT_MEASURE_INTERVAL_DAYS, MEASURE_GRACE_DAYS, MEASURE_INTERVAL_MAX_DAYS, MEASURE_INTERVAL_MIN_DAYS } from "../rules";

export function IntervalForm(props: { days: number; version: number; typed?: string; error?: string; fieldError?: string }) {
  return (
    <DaysSettingForm
      {...props}
      label="Days between repeat measures"
      description={`A whole number from ${MEASURE_INTERVAL_MIN_DAYS} to ${MEASURE_INTERVAL_MAX_DAYS}. The usual rhythm is every ${DEFAULT_MEASURE_INTERVAL_DAYS} days.`}
      explanation={`Each measure (PHQ-9, GAD-7, AUDIT, DAST-10, BAM) is due at intake, then this many days after it was last given, and at discharge. It counts as overdue ${MEASURE_GRACE_DAYS} days after its due date. A change applies at once to every patient at this site, counted from each measure's last date.`}
    />
  );
}

/** The setting that says how long a treatment plan runs before its review is due at a site. */
import { DaysSettingForm } from "~/components/days-setting-form";
import { DEFAULT_PLAN_REVIEW_DAYS, INITIAL_PLAN_DAYS, PLAN_REVIEW_DAYS_RANGE } from "../rules";

export function ReviewDaysForm(props: { days: number; version: number; typed?: string; error?: string; fieldError?: string }) {
  return (
    <DaysSettingForm
      {...props}
      label="Days between plan reviews"
      description={`A whole number from ${PLAN_REVIEW_DAYS_RANGE.min} to ${PLAN_REVIEW_DAYS_RANGE.max}. Payers commonly ask for a review every ${DEFAULT_PLAN_REVIEW_DAYS} days in intensive outpatient care.`}
      explanation={`A plan's review is due this many days after it became active, or at once when the patient's level of care changes or a drug test comes back unexpected. A first plan is due ${INITIAL_PLAN_DAYS} days after admission. A change applies to plans that become active from now on; active plans keep the interval they started with.`}
    />
  );
}

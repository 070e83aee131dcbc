/** Billing's cards on Home: utilization review for whoever keeps coverage, and billing staff's week. */
import type { BillingHome } from "../home.server";
import { UtilizationAlertsCard } from "./utilization-alerts-card";
import { WeekAttendanceCard } from "./week-attendance-card";

export function UtilizationCard({ home }: { home: Pick<BillingHome, "coverage"> | null }) {
  return home?.coverage ? <UtilizationAlertsCard alerts={home.coverage.alerts} total={home.coverage.total} /> : null;
}

export function BillingWeekCard({ home }: { home: Pick<BillingHome, "billingWeek"> | null }) {
  return home?.billingWeek ? <WeekAttendanceCard week={home.billingWeek} /> : null;
}

/** Every report, in the order the reports page lists them. */
import { attendanceByGroup, attendanceByWeek, requiredHours } from "./attendance.server";
import { billableDays } from "./billing.server";
import { caseloadSizes } from "./caseload.server";
import { drugTestResults } from "./drug-tests.server";
import { discharges, engagement, retention } from "./outcomes.server";
import { measureChange } from "./measure-change.server";
import type { ReportDefinition } from "./report";
import { treatmentPlans } from "~/features/plans/report.server";
import { noteCompletionLag, undocumentedSessions } from "~/features/notes/report.server";
import { authorizationUseReport } from "~/features/billing/reports.server";
import { chargesByPayerWeekReport, denialsByReasonReport, heldChargesByReasonReport, serviceToExportReport } from "~/features/billing/reports-revenue.server";

export const REPORTS: ReportDefinition[] = [
  caseloadSizes,
  retention,
  discharges,
  engagement,
  measureChange,
  attendanceByGroup,
  attendanceByWeek,
  requiredHours,
  billableDays,
  drugTestResults,
  treatmentPlans,
  noteCompletionLag,
  undocumentedSessions,
  // Billing's (permission "bill:claims").
  authorizationUseReport,
  chargesByPayerWeekReport,
  heldChargesByReasonReport,
  denialsByReasonReport,
  serviceToExportReport,
];

export const reportById = (id: string) => REPORTS.find((r) => r.id === id) ?? null;

/** The permission a report is opened with. */
export const reportPermission = (r: ReportDefinition) => r.permission ?? "read:reports";

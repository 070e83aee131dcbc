/**
 * Home for billing staff: who attended this week and how many days, hours and billable days each
 * has — the figures charges and authorization units count from. Attendance facts only: no note
 * text, plan, MAT, score or drug test is read here.
 */
import { ATTENDANCE_STATUSES, type AttendanceStatus } from "~/features/attendance/rules";
import { can, type Role } from "~/features/auth/permissions";
import type { DB } from "~/kernel/db";
import { weekStart } from "~/kernel/time";
import { attendedDays } from "./days.server";
import { usesUnits } from "./rules";
import { utilizationAlerts, type UtilizationAlert } from "./utilization.server";

export interface WeekAttendanceRow {
  patientId: string;
  name: string;
  mrn: string;
  /** Days with any attended session. */
  daysAttended: number;
  /** Days whose attended hours make them billable at that day's level (usesUnits). */
  billableDays: number;
  /** Billable days whose minutes are all documented by a signed note. */
  documentedDays: number;
  minutes: number;
}

export interface WeekAttendance {
  from: string;
  to: string;
  rows: WeekAttendanceRow[];
  /** Patients who attended, whether or not all are listed. */
  total: number;
}

const ATTENDED = (Object.keys(ATTENDANCE_STATUSES) as AttendanceStatus[]).filter((s) => ATTENDANCE_STATUSES[s].attended);

/** Patients at `siteId` who attended between `from` and `to` (civil dates, inclusive), by name, at most `limit`. */
export async function attendedThisWeek(db: DB, siteId: string, from: string, to: string, limit = 50): Promise<WeekAttendance> {
  const patients = await db
    .selectFrom("patients as p")
    .select(["p.id", "p.mrn", "p.legal_first_name", "p.legal_last_name"])
    .where("p.site_id", "=", siteId)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom("attendance as a")
          .select("a.id")
          .whereRef("a.patient_id", "=", "p.id")
          .where("a.local_date", ">=", from)
          .where("a.local_date", "<=", to)
          .where("a.status", "in", ATTENDED),
      ),
    )
    .orderBy("p.legal_last_name")
    .orderBy("p.legal_first_name")
    .orderBy("p.id")
    .execute();
  const shown = patients.slice(0, limit);
  const days = await attendedDays(
    db,
    shown.map((p) => p.id),
    from,
    to,
  );
  return {
    from,
    to,
    total: patients.length,
    rows: shown.map((p) => {
      const list = days.get(p.id) ?? [];
      const billable = list.filter(usesUnits);
      return {
        patientId: p.id,
        name: `${p.legal_last_name}, ${p.legal_first_name}`,
        mrn: p.mrn,
        daysAttended: list.length,
        billableDays: billable.length,
        documentedDays: billable.filter((d) => d.documentedMinutes >= d.minutes).length,
        minutes: list.reduce((n, d) => n + d.minutes, 0),
      };
    }),
  };
}

/** What Home shows about billing: utilization alerts for whoever keeps coverage, and billing staff's week. */
export interface BillingHome {
  coverage: { alerts: UtilizationAlert[]; total: number } | null;
  billingWeek: WeekAttendance | null;
  /** Patients named (for Home's one audit row per load that names any). */
  named: number;
}

const ALERTS_ON_HOME = 25;

export async function billingHome(db: DB, role: Role, siteId: string, today: string): Promise<BillingHome> {
  let coverage: BillingHome["coverage"] = null;
  if (can(role, "write:coverage")) {
    const all = await utilizationAlerts(db, siteId, today);
    coverage = { alerts: all.slice(0, ALERTS_ON_HOME), total: all.length };
  }
  const billingWeek = role === "billing" ? await attendedThisWeek(db, siteId, weekStart(today), today) : null;
  return { coverage, billingWeek, named: (coverage?.alerts.length ?? 0) + (billingWeek?.rows.length ?? 0) };
}

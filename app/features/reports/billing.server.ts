/** Billing reports: billable IOP days by week and payer. */
import { sql } from "kysely";
import { BILLABLE_DAY_MINUTES } from "~/features/attendance/rules";
import { PAYER_TYPES } from "~/features/patients/rules";
import { weekStart } from "~/kernel/time";
import { ATTENDED_STATUSES } from "./attendance.server";
import { type Cell, type ReportColumn, type ReportDefinition, WEEK_COLUMN } from "./report";

type Payer = keyof typeof PAYER_TYPES;
const PAYERS = Object.keys(PAYER_TYPES) as Payer[];
const PAYER_COLORS: Record<Payer, string> = { commercial: "indigo.6", medicaid: "teal.6", medicare: "orange.6", self_pay: "grape.6", other: "gray.6" };

export const billableDays: ReportDefinition = {
  id: "billable-days",
  title: "Billable days by week and payer",
  description: "Patient-days with at least three attended hours (billable IOP days), week by week and by payer.",
  definition: [
    `A billable day is one patient on one day (the site's local date) whose attended minutes add up to at least ${BILLABLE_DAY_MINUTES} (three hours), summed across all of that patient's sessions that day of every kind (group, individual, family).`,
    "Attended minutes are the minutes recorded on marks of present, late or left early; absences add nothing, and sessions without a roll call add nothing.",
    "Counted for patients at this site, whatever their level of care, on days in the range. Each day is counted under the patient's current payer type (a payer type outside the list counts as Other).",
    "Weeks run Monday to Sunday at the site; a week is listed when at least one patient attended something in it, even if no day reached three hours. The first and last weeks of the range may be partial.",
    "The track filter keeps patients whose current track is that track; the counselor filter keeps patients whose primary counselor is that counselor.",
  ],
  async compute(db, p) {
    let q = db
      .selectFrom("attendance as a")
      .innerJoin("patients as pt", "pt.id", "a.patient_id")
      .select(["a.patient_id", "a.local_date", "pt.payer_type", sql<number>`sum(a.minutes)`.as("minutes")])
      .where("pt.site_id", "=", p.siteId)
      .where("a.status", "in", ATTENDED_STATUSES)
      .where("a.local_date", ">=", p.from)
      .where("a.local_date", "<=", p.to)
      .groupBy(["a.patient_id", "a.local_date", "pt.payer_type"]);
    if (p.trackId) q = q.where("pt.track_id", "=", p.trackId);
    if (p.counselorId) q = q.where("pt.primary_counselor_id", "=", p.counselorId);
    const patientDays = await q.execute();

    const weeks = new Map<string, Record<Payer, number>>();
    let total = 0;
    for (const d of patientDays) {
      const monday = weekStart(d.local_date);
      let w = weeks.get(monday);
      if (!w) weeks.set(monday, (w = Object.fromEntries(PAYERS.map((k) => [k, 0])) as Record<Payer, number>));
      if (Number(d.minutes) >= BILLABLE_DAY_MINUTES) {
        const payer: Payer = (PAYERS as string[]).includes(d.payer_type) ? (d.payer_type as Payer) : "other";
        w[payer]++;
        total++;
      }
    }
    const rows = [...weeks.keys()].sort().map((monday) => {
      const w = weeks.get(monday)!;
      const row: Record<string, Cell> = { week: monday, ...w };
      row.total = PAYERS.reduce((n, k) => n + w[k], 0);
      return row;
    });
    const columns: ReportColumn[] = [
      WEEK_COLUMN,
      ...PAYERS.map((k): ReportColumn => ({ key: k, label: PAYER_TYPES[k], kind: "number" })),
      { key: "total", label: "Total billable days", kind: "number" },
    ];
    return {
      columns,
      rows,
      summary: rows.length ? `${total} billable days out of ${patientDays.length} patient-days with an attended mark.` : undefined,
      chart: { type: "bar", dataKey: "week", stacked: true, series: PAYERS.map((k) => ({ name: k, label: PAYER_TYPES[k], color: PAYER_COLORS[k] })) },
    };
  },
};

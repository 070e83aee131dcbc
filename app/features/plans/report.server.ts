/**
 * The treatment plans report: of the patients in care, how many have a current signed plan (active,
 * its review not overdue), and how many reviews are overdue or plans wait for a signature, per
 * counselor. Read from the same standings Home's worklists use, so both always agree.
 */
import { percent, type ReportDefinition } from "~/features/reports/report";
import { shortDate } from "~/kernel/time";
import { countsByCounselor, planStandings } from "./worklist.server";

export const treatmentPlans: ReportDefinition = {
  id: "treatment-plans",
  title: "Treatment plans",
  description: "Patients in care with a current signed plan, overdue reviews and plans waiting for a signature, by counselor.",
  definition: [
    "Counted today, over the patients in care (active or on hold, admitted on or before today); the date range does not change it. The track filter counts patients whose current track is that track.",
    "A current plan is one that is active (signed by its author, acknowledged by the patient and, where the author's credentials need it, co-signed by a clinical supervisor) and whose review is not overdue.",
    "A review is due the program's review interval (30 days unless changed) after the plan became active, or on the day of the first level-of-care change or unexpected drug-test result after that, whichever is first. A first plan is due 7 days after admission.",
    "Overdue: a first plan or review due before today with no signed version waiting (a version signed and waiting for the patient or a supervisor counts under waiting). Due soon: due today or in the next 7 days.",
  ],
  async compute(db, p) {
    const standings = await planStandings(db, p.siteId, p.today, { counselorId: p.counselorId, trackId: p.trackId });
    const counts = countsByCounselor(standings);
    const rows = counts.map((c) => ({
      counselor: c.counselor,
      patients: c.patients,
      current: c.current,
      share: percent(c.current, c.patients),
      overdue: c.overdue,
      dueSoon: c.dueSoon,
      awaitingAcknowledgement: c.awaitingAcknowledgement,
      awaitingCosignature: c.awaitingCosignature,
    }));
    const patients = rows.reduce((n, r) => n + r.patients, 0);
    const current = rows.reduce((n, r) => n + r.current, 0);
    const overdue = rows.reduce((n, r) => n + r.overdue, 0);
    return {
      columns: [
        { key: "counselor", label: "Counselor" },
        { key: "patients", label: "Patients in care", kind: "number" },
        { key: "current", label: "With a current plan", kind: "number" },
        { key: "share", label: "Share with a current plan (%)", kind: "percent" },
        { key: "overdue", label: "Overdue (first plan or review)", kind: "number" },
        { key: "dueSoon", label: "Due in 7 days", kind: "number" },
        { key: "awaitingAcknowledgement", label: "Waiting for the patient", kind: "number" },
        { key: "awaitingCosignature", label: "Waiting for a co-signature", kind: "number" },
      ],
      rows,
      summary: `${current} of ${patients} patients in care (${percent(current, patients) ?? 0}%) have a current signed plan on ${shortDate(p.today)}; ${overdue} overdue.`,
      chart: {
        type: "bar",
        dataKey: "counselor",
        series: [
          { name: "current", label: "Current plan", color: "teal.7" },
          { name: "overdue", label: "Overdue", color: "red.7" },
        ],
      },
    };
  },
};

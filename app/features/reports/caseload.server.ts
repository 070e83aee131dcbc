/** Caseload sizes by counselor. */
import type { ReportDefinition } from "./report";
import { shortDate } from "~/kernel/time";

export const caseloadSizes: ReportDefinition = {
  id: "caseload-sizes",
  title: "Caseload sizes by counselor",
  description: "How many patients each counselor carries on the last day of the range.",
  definition: [
    "A patient is on a counselor's caseload on a day when that counselor is their primary counselor and an episode of theirs is open that day: admitted on or before it, and not discharged before it.",
    "Counted on the last day of the range (or today, if the range ends later). The track filter counts patients whose current track is that track.",
  ],
  async compute(db, p) {
    const day = p.to < p.today ? p.to : p.today;
    let q = db
      .selectFrom("patient_episodes as e")
      .innerJoin("patients as pt", "pt.id", "e.patient_id")
      .innerJoin("users as c", "c.id", "pt.primary_counselor_id")
      .select(["c.id", "c.name", (eb) => eb.fn.count<number>("pt.id").distinct().as("patients")])
      .where("pt.site_id", "=", p.siteId)
      .where("e.admitted_on", "<=", day)
      .where((eb) => eb.or([eb("e.discharged_on", "is", null), eb("e.discharged_on", ">=", day)]))
      .groupBy(["c.id", "c.name"])
      .orderBy("c.name");
    if (p.trackId) q = q.where("pt.track_id", "=", p.trackId);
    if (p.counselorId) q = q.where("c.id", "=", p.counselorId);
    const rows = (await q.execute()).map((r) => ({ counselor: r.name, patients: Number(r.patients) }));
    const total = rows.reduce((n, r) => n + r.patients, 0);
    return {
      columns: [
        { key: "counselor", label: "Counselor" },
        { key: "patients", label: "Patients on caseload", kind: "number" },
      ],
      rows,
      summary: `${total} patients in the program on ${shortDate(day)}.`,
      chart: { type: "bar", dataKey: "counselor", series: [{ name: "patients", label: "Patients", color: "indigo.6" }] },
    };
  },
};

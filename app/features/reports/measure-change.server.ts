/**
 * Measure change (issue 19, item 6): per standardized measure, patients' intake score against
 * their latest (active patients) and against their discharge score (discharged in the range).
 * Two queries (the episodes, then their complete administrations); the pairing and the figures
 * are measure-change.ts's pure functions.
 */
import type { BamSubscale } from "~/features/measures/rules";
import { MEASURE_CODES, type MeasureCode } from "~/features/measures/rules";
import { shortDate } from "~/kernel/time";
import { type Administration, CHANGE_LINES, changeLines, dischargeScoreOf, improvedRule, intakeOf, latestOf, type Pair } from "./measure-change";
import type { Cell, ReportDefinition } from "./report";

const COMPARISONS = { latest: "Intake → latest", discharge: "Intake → discharge" } as const;

export const measureChange: ReportDefinition = {
  id: "measure-change",
  title: "Measure change",
  defaultDays: 365,
  description:
    "For each standardized measure, the mean change from intake to the latest score (active patients) and to discharge (discharged in the range), and the share improved by a clinically meaningful amount.",
  definition: [
    "Intake score: the first complete administration of the measure in the episode, dated from the admission day to 7 days after it (after that the intake measure was overdue). A response with an unanswered question has no score and is never used.",
    "Intake → latest: episodes open on the last day of the range (or today, if the range ends later), with the latest complete administration dated after the intake's day and on or before that day.",
    "Intake → discharge: episodes discharged in the range, with the latest complete administration dated after the intake's day and within 7 days either side of the discharge day (the discharge measure). An episode whose discharge measure was not given is left out.",
    "Mean change is the later score minus the intake score, averaged: below zero means fewer symptoms, except for the BAM's protective factors, where higher is better. Means are given to one decimal.",
    "Improved and Worse are shares of the patients compared, those with no room to improve included. Worse is the mirror image of improved. Improved means:",
    ...CHANGE_LINES.map((l) => `${improvedRule(l.key)}.`),
    "Filters: patients at this site; the track filter keeps patients whose current track is that track, the counselor filter patients whose current primary counselor is that counselor. Each episode counts on its own.",
  ],
  async compute(db, p) {
    const last = p.to < p.today ? p.to : p.today;
    let episodes = db
      .selectFrom("patient_episodes as e")
      .innerJoin("patients as pt", "pt.id", "e.patient_id")
      .select(["e.patient_id", "e.admitted_on", "e.discharged_on"])
      .where("pt.site_id", "=", p.siteId)
      .where("e.admitted_on", "<=", last)
      .where((eb) =>
        eb.or([
          eb("e.discharged_on", "is", null),
          eb("e.discharged_on", ">", last),
          eb.and([eb("e.discharged_on", ">=", p.from), eb("e.discharged_on", "<=", last)]),
        ]),
      );
    if (p.trackId) episodes = episodes.where("pt.track_id", "=", p.trackId);
    if (p.counselorId) episodes = episodes.where("pt.primary_counselor_id", "=", p.counselorId);
    const eps = await episodes.execute();
    const earliest = eps.reduce<string | null>((min, e) => (min === null || e.admitted_on < min ? e.admitted_on : min), null);
    let responses = db
      .selectFrom("measure_responses as r")
      .innerJoin("patients as pt", "pt.id", "r.patient_id")
      .select(["r.patient_id", "r.measure", "r.administered_on", "r.total", "r.subscales"])
      .where("pt.site_id", "=", p.siteId)
      .where("r.complete", "=", 1)
      .where("r.administered_on", ">=", earliest ?? p.today)
      .where("r.administered_on", "<=", p.today)
      .orderBy("r.administered_on")
      .orderBy("r.entered_at");
    if (p.trackId) responses = responses.where("pt.track_id", "=", p.trackId);
    if (p.counselorId) responses = responses.where("pt.primary_counselor_id", "=", p.counselorId);
    const rows = eps.length ? await responses.execute() : [];

    const byPatient = new Map<string, Administration[]>();
    for (const r of rows) {
      const key = `${r.patient_id} ${r.measure}`;
      const list = byPatient.get(key) ?? [];
      list.push({
        on: r.administered_on,
        total: r.total === null ? null : Number(r.total),
        subscales: r.subscales ? (JSON.parse(r.subscales) as Record<BamSubscale, number | null>) : null,
      });
      byPatient.set(key, list);
    }
    const pairs = { latest: [] as Pair[], discharge: [] as Pair[] };
    const patients = { latest: new Set<string>(), discharge: new Set<string>() };
    for (const e of eps) {
      const active = e.discharged_on === null || e.discharged_on > last;
      for (const code of MEASURE_CODES as readonly MeasureCode[]) {
        const list = byPatient.get(`${e.patient_id} ${code}`);
        if (!list) continue;
        const intake = intakeOf(list, e.admitted_on);
        if (!intake) continue;
        const later = active ? latestOf(list, intake, last) : dischargeScoreOf(list, intake, e.discharged_on!);
        if (!later) continue;
        const kind = active ? "latest" : "discharge";
        pairs[kind].push({ code, intake, later });
        patients[kind].add(e.patient_id);
      }
    }
    const tableRows: Record<string, Cell>[] = (["latest", "discharge"] as const).flatMap((kind) =>
      changeLines(pairs[kind]).map((l) => ({
        comparison: COMPARISONS[kind],
        measure: l.label,
        patients: l.n,
        meanIntake: l.meanIntake,
        meanLater: l.meanLater,
        meanChange: l.meanChange,
        improved: l.improved,
        worse: l.worse,
      })),
    );
    return {
      columns: [
        { key: "comparison", label: "Comparison" },
        { key: "measure", label: "Measure" },
        { key: "patients", label: "Patients", kind: "number" },
        { key: "meanIntake", label: "Mean at intake", kind: "number" },
        { key: "meanLater", label: "Mean latest or at discharge", kind: "number" },
        { key: "meanChange", label: "Mean change", kind: "number" },
        { key: "improved", label: "Improved", kind: "percent" },
        { key: "worse", label: "Worse", kind: "percent" },
      ],
      rows: tableRows,
      summary: `Intake → latest: ${patients.latest.size} active patients on ${shortDate(last)} with an intake score and a later one. Intake → discharge: ${patients.discharge.size} patients discharged in the range with an intake and a discharge score.`,
    };
  },
};

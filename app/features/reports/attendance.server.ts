/**
 * Attendance reports: the attendance rate by group and by week, and the share of patient-weeks
 * that reached the weekly hours their level of care requires. Every day and week is the site's
 * civil date (attendance.local_date), never the UTC date of the instant a session started.
 */
import { sql } from "kysely";
import type { DB } from "~/kernel/db";
import { ATTENDANCE_STATUSES, STATUS_KEYS, weekRequirement, weekStanding } from "~/features/attendance/rules";
import type { LevelOfCare } from "~/features/patients/rules";
import { addDays, weekStart, startOfDayUtc } from "~/kernel/time";
import { type Cell, percent, type ReportColumn, type ReportDefinition, type ReportParams, WEEK_COLUMN } from "./report";

/** The marks that count as attended (present, late, left early), from the attendance rules. */
export const ATTENDED_STATUSES = STATUS_KEYS.filter((s) => ATTENDANCE_STATUSES[s].attended);

const NO_TRACK = "No track";

/**
 * Each group session at the site with marks whose local date is in the range, with its marks
 * counted by outcome (one row per session, joined to the session for grouping). Without a counselor
 * filter the counts are the kept per-session tallies (`session_tallies`, rewritten by each roll-call
 * save; ADR 0007), one row per session, so the report reads what it shows rather than every mark.
 * The counselor filter counts the marks of that counselor's patients, from the (session, date,
 * status) index, per session first. Either way the names are joined once per session. The starts_at
 * window (a day wider on each side than the range) only lets the query use the sessions (site,
 * starts_at) index; local_date decides.
 */
function sessionTallies(db: DB, p: ReportParams) {
  let sessions = db
    .selectFrom("sessions")
    .select("id")
    .where("site_id", "=", p.siteId)
    .where("kind", "=", "group")
    .where("starts_at", ">=", startOfDayUtc(addDays(p.from, -1), p.timeZone))
    .where("starts_at", "<", startOfDayUtc(addDays(p.to, 2), p.timeZone));
  if (p.trackId) sessions = sessions.where("track_id", "=", p.trackId);
  if (!p.counselorId) {
    const kept = db
      .selectFrom("session_tallies as k")
      .select([
        "k.session_id",
        sql<string>`min(k.local_date)`.as("local_date"),
        sql<number>`sum(k.marks)`.as("marks"),
        sql<number>`sum(k.attended)`.as("attended"),
        sql<number>`sum(k.excused)`.as("excused"),
        sql<number>`sum(k.unexcused)`.as("unexcused"),
      ])
      .where("k.session_id", "in", sessions)
      .where("k.local_date", ">=", p.from)
      .where("k.local_date", "<=", p.to)
      .groupBy("k.session_id");
    return db.selectFrom(kept.as("x")).innerJoin("sessions as s", "s.id", "x.session_id");
  }
  const marks = db
    .selectFrom("attendance as a")
    .select([
      "a.session_id",
      sql<string>`min(a.local_date)`.as("local_date"),
      sql<number>`count(*)`.as("marks"),
      sql<number>`sum(case when a.status in (${sql.join([...ATTENDED_STATUSES])}) then 1 else 0 end)`.as("attended"),
      sql<number>`sum(case when a.status = 'absent_excused' then 1 else 0 end)`.as("excused"),
      sql<number>`sum(case when a.status = 'absent_unexcused' then 1 else 0 end)`.as("unexcused"),
    ])
    .where("a.session_id", "in", sessions)
    .where("a.local_date", ">=", p.from)
    .where("a.local_date", "<=", p.to)
    // The counselor's patients as a set, kept apart from the index the marks are counted from.
    .where("a.patient_id", "in", (eb) => eb.selectFrom("patients").select("id").where("primary_counselor_id", "=", p.counselorId!));
  return db.selectFrom(marks.groupBy("a.session_id").as("x")).innerJoin("sessions as s", "s.id", "x.session_id");
}

/** Sessions held (with at least one mark counted), marks, and marks by outcome, over session tallies. */
const tally = () => [
  sql<number>`count(*)`.as("sessions"),
  sql<number>`sum(x.marks)`.as("marks"),
  sql<number>`sum(x.attended)`.as("attended"),
  sql<number>`sum(x.excused)`.as("excused"),
  sql<number>`sum(x.unexcused)`.as("unexcused"),
];

interface Tally {
  sessions: number;
  marks: number;
  attended: number;
  excused: number;
  unexcused: number;
}
const emptyTally = (): Tally => ({ sessions: 0, marks: 0, attended: 0, excused: 0, unexcused: 0 });
function add(into: Tally, r: { sessions: unknown; marks: unknown; attended: unknown; excused: unknown; unexcused: unknown }) {
  into.sessions += Number(r.sessions);
  into.marks += Number(r.marks);
  into.attended += Number(r.attended ?? 0);
  into.excused += Number(r.excused ?? 0);
  into.unexcused += Number(r.unexcused ?? 0);
}

/** Over all the rows of a rate report: how many marks were attended, of how many, across how many sessions. */
const rateSummary = (total: Tally) =>
  `${total.attended} of ${total.marks} marks attended (${percent(total.attended, total.marks)}%) across ${total.sessions} sessions with a roll call.`;

/** The counts every attendance-rate row shows, after what the row is (a group, a week). */
const TALLY_COLUMNS: ReportColumn[] = [
  { key: "sessions", label: "Sessions held", kind: "number" },
  { key: "marks", label: "Marks", kind: "number" },
  { key: "attended", label: "Attended", kind: "number" },
];

const byName = (a: string | null, b: string | null) => (a === b ? 0 : a === null ? 1 : b === null ? -1 : a.localeCompare(b));

const RATE_DEFINITION = [
  "Counts the marks of roll calls taken for group sessions at this site whose date (the site's local date) is in the range: one mark per patient per session.",
  "Attended means marked present, late or left early; excused and unexcused absences are not attended. The attendance rate is attended marks divided by all marks.",
  "Only sessions with a roll call count: a session whose roll has not been taken, or that was cancelled, has no marks and is left out. Individual and family sessions are left out.",
  "Sessions held counts the sessions with at least one mark counted. The track filter keeps sessions of that track (the session's own track); the counselor filter keeps the marks of patients whose primary counselor is that counselor.",
];

export const attendanceByGroup: ReportDefinition = {
  id: "attendance-by-group",
  title: "Attendance rate by group",
  description: "How much of each group's roll was attended in the range.",
  definition: [
    ...RATE_DEFINITION,
    "Each row is one group series (named by its current title) on one track; one-off group sessions with no series are grouped by their title and track.",
  ],
  async compute(db, p) {
    const found = await sessionTallies(db, p)
      .leftJoin("group_series as gs", "gs.id", "s.series_id")
      .leftJoin("tracks as t", "t.id", "s.track_id")
      .select(["s.series_id", "gs.title as series_title", "s.title", "s.track_id", "t.name as track"])
      .select(tally)
      .groupBy(["s.series_id", "gs.title", "s.title", "s.track_id", "t.name"])
      .execute();
    // A series renamed part-way has sessions under two titles: one row per series, under its current title.
    const groups = new Map<string, Tally & { group: string; track: string | null }>();
    for (const r of found) {
      const key = `${r.series_id ?? `title:${r.title}`}|${r.track_id ?? ""}`;
      let g = groups.get(key);
      if (!g) groups.set(key, (g = { group: r.series_title ?? r.title, track: r.track, ...emptyTally() }));
      add(g, r);
    }
    const list = [...groups.values()].sort((a, b) => byName(a.track, b.track) || a.group.localeCompare(b.group));
    const total = emptyTally();
    for (const g of list) add(total, g);
    const rows = list.map((g) => ({
      group: g.group,
      track: g.track ?? NO_TRACK,
      sessions: g.sessions,
      marks: g.marks,
      attended: g.attended,
      excused: g.excused,
      unexcused: g.unexcused,
      rate: percent(g.attended, g.marks),
    }));
    return {
      columns: [
        { key: "group", label: "Group" },
        { key: "track", label: "Track" },
        ...TALLY_COLUMNS,
        { key: "excused", label: "Excused absences", kind: "number" },
        { key: "unexcused", label: "Unexcused absences", kind: "number" },
        { key: "rate", label: "Attendance rate", kind: "percent" },
      ],
      rows,
      summary: rows.length ? rateSummary(total) : undefined,
      chart: { type: "bar", dataKey: "group", series: [{ name: "rate", label: "Attendance rate", color: "indigo.6" }], unit: "%" },
    };
  },
};

export const attendanceByWeek: ReportDefinition = {
  id: "attendance-by-week",
  title: "Attendance rate by week",
  description: "The attendance rate week by week, overall and for each track.",
  definition: [
    ...RATE_DEFINITION,
    "Weeks run Monday to Sunday at the site; a week is listed when it has at least one mark. The first and last weeks of the range may be partial: only days inside the range count.",
    "There is a rate column for each track with marks in the range, counting the sessions of that track; sessions with no track are shown as “No track”. A track with no marks in a week has no rate that week (shown as —). The chart shows the rate of all tracks together.",
  ],
  async compute(db, p) {
    // One row per local day and session track; days roll up into weeks here (a session is on one day, so its distinct count adds up).
    const found = await sessionTallies(db, p)
      .leftJoin("tracks as t", "t.id", "s.track_id")
      .select(["x.local_date", "s.track_id", "t.name as track"])
      .select(tally)
      .groupBy(["x.local_date", "s.track_id", "t.name"])
      .execute();
    const tracks = new Map<string, string | null>();
    for (const r of found) tracks.set(r.track_id ?? "", r.track);
    const trackKeys = [...tracks.entries()].sort((a, b) => byName(a[1], b[1])).map(([id, name], i) => ({ id, name: name ?? NO_TRACK, key: `track_${i + 1}` }));
    const weeks = new Map<string, { all: Tally; byTrack: Map<string, Tally> }>();
    for (const r of found) {
      const monday = weekStart(r.local_date);
      let w = weeks.get(monday);
      if (!w) weeks.set(monday, (w = { all: emptyTally(), byTrack: new Map() }));
      add(w.all, r);
      const id = r.track_id ?? "";
      let t = w.byTrack.get(id);
      if (!t) w.byTrack.set(id, (t = emptyTally()));
      add(t, r);
    }
    const total = emptyTally();
    const rows = [...weeks.keys()].sort().map((monday) => {
      const w = weeks.get(monday)!;
      add(total, w.all);
      const row: Record<string, Cell> = {
        week: monday,
        sessions: w.all.sessions,
        marks: w.all.marks,
        attended: w.all.attended,
        rate: percent(w.all.attended, w.all.marks),
      };
      for (const t of trackKeys) {
        const tt = w.byTrack.get(t.id);
        row[t.key] = tt ? percent(tt.attended, tt.marks) : null;
      }
      return row;
    });
    const columns: ReportColumn[] = [
      WEEK_COLUMN,
      ...TALLY_COLUMNS,
      { key: "rate", label: "Attendance rate", kind: "percent" },
      ...trackKeys.map((t): ReportColumn => ({ key: t.key, label: `${t.name} rate`, kind: "percent" })),
    ];
    return {
      columns,
      rows,
      summary: rows.length ? rateSummary(total) : undefined,
      // One line: per-track lines cross and tangle, and a week without a track's marks would plot as 0 (the table shows —).
      chart: { type: "line", dataKey: "week", unit: "%", series: [{ name: "rate", label: "Attendance rate, all tracks", color: "indigo.6" }] },
    };
  },
};

export const requiredHours: ReportDefinition = {
  id: "required-hours",
  title: "Weeks at required hours",
  description: "The share of patient-weeks in which a patient attended at least the hours their level of care requires that week.",
  definition: [
    "A patient-week is a patient at this site and a Monday–Sunday week (site time) in which an episode of theirs was open at least one day.",
    "Every week that overlaps the range and has ended before today is counted whole: the hours of all seven days count, even days outside the range. A week still under way is left out.",
    "The weekly minimum is set by the level of care and by the patient's age on the week's Monday, for the whole week (the same rule as the live “Below required hours” flag): IOP 9 hours for adults and 6 for adolescents (under 18 on that Monday), PHP 20 hours, OP none.",
    "Partial weeks are prorated, as the live flag does: a week of admission, discharge or a change of level part-way through requires, for each calendar day in care, 1/7 of the weekly minimum of the level in effect that day (admission and discharge days count as in care; a change takes effect on its date), rounded up to the whole minute. A week at OP throughout has no minimum and is left out.",
    "Hours are the minutes of the patient's marks that count as attended (present, late, left early), from every kind of session (group, individual, family), on days of that week. A week is at or above the requirement when those minutes reach the week's minimum.",
    "The track filter keeps patients whose current track is that track; the counselor filter keeps patients whose primary counselor is that counselor. A week with no patient-weeks is not listed.",
  ],
  async compute(db, p) {
    const mondays: string[] = [];
    for (let m = weekStart(p.from); m <= p.to; m = addDays(m, 7)) if (addDays(m, 6) < p.today) mondays.push(m);
    const columns: ReportColumn[] = [
      WEEK_COLUMN,
      { key: "patientWeeks", label: "Patient-weeks", kind: "number" },
      { key: "partial", label: "Of which partial (prorated)", kind: "number" },
      { key: "met", label: "At or above required hours", kind: "number" },
      { key: "below", label: "Below required hours", kind: "number" },
      { key: "share", label: "Share at or above", kind: "percent" },
    ];
    const chart = { type: "bar" as const, dataKey: "week", series: [{ name: "share", label: "Share at or above", color: "teal.7" }], unit: "%" };
    if (!mondays.length) return { columns, rows: [], chart };
    const first = mondays[0];
    const last = mondays[mondays.length - 1];
    const lastSunday = addDays(last, 6);

    const patients = () => {
      let q = db.selectFrom("patients as pt").where("pt.site_id", "=", p.siteId);
      if (p.trackId) q = q.where("pt.track_id", "=", p.trackId);
      if (p.counselorId) q = q.where("pt.primary_counselor_id", "=", p.counselorId);
      return q;
    };
    const [episodes, changes, days] = await Promise.all([
      patients()
        .innerJoin("patient_episodes as e", "e.patient_id", "pt.id")
        .select(["e.id", "e.patient_id", "e.admitted_on", "e.discharged_on", "pt.date_of_birth", "pt.level_of_care"])
        .where("e.admitted_on", "<=", lastSunday)
        .where((eb) => eb.or([eb("e.discharged_on", "is", null), eb("e.discharged_on", ">=", first)]))
        .execute(),
      patients()
        .innerJoin("level_of_care_changes as lc", "lc.patient_id", "pt.id")
        .select(["lc.episode_id", "lc.level_of_care", "lc.effective_on"])
        .where("lc.effective_on", "<=", lastSunday)
        .execute(),
      patients()
        .innerJoin("attendance as a", "a.patient_id", "pt.id")
        .select(["a.patient_id", "a.local_date", sql<number>`sum(a.minutes)`.as("minutes")])
        .where("a.status", "in", ATTENDED_STATUSES)
        .where("a.local_date", ">=", first)
        .where("a.local_date", "<=", lastSunday)
        .groupBy(["a.patient_id", "a.local_date"])
        .execute(),
    ]);
    const changesByEpisode = new Map<string, { level: LevelOfCare; effectiveOn: string }[]>();
    for (const c of changes) {
      const list = changesByEpisode.get(c.episode_id) ?? [];
      list.push({ level: c.level_of_care, effectiveOn: c.effective_on });
      changesByEpisode.set(c.episode_id, list);
    }
    const minutesByPatientWeek = new Map<string, number>();
    for (const d of days) {
      const key = `${d.patient_id}|${weekStart(d.local_date)}`;
      minutesByPatientWeek.set(key, (minutesByPatientWeek.get(key) ?? 0) + Number(d.minutes));
    }
    const rows: Record<string, Cell>[] = [];
    let allWeeks = 0;
    let allMet = 0;
    for (const monday of mondays) {
      const sunday = addDays(monday, 6);
      let patientWeeks = 0;
      let partial = 0;
      let met = 0;
      for (const e of episodes) {
        if (e.admitted_on > sunday || (e.discharged_on !== null && e.discharged_on < monday)) continue;
        const requirement = weekRequirement(monday, {
          dateOfBirth: e.date_of_birth,
          admittedOn: e.admitted_on,
          dischargedOn: e.discharged_on,
          levels: changesByEpisode.get(e.id) ?? [],
          currentLevel: e.level_of_care,
        });
        if (requirement.minMinutes === null) continue;
        patientWeeks++;
        if (requirement.partialReasons.length) partial++;
        // The week is over: nothing is still possible, so the live flag's rule judges it as it stands.
        if (!weekStanding(minutesByPatientWeek.get(`${e.patient_id}|${monday}`) ?? 0, 0, requirement).belowRequired) met++;
      }
      if (!patientWeeks) continue;
      allWeeks += patientWeeks;
      allMet += met;
      rows.push({ week: monday, patientWeeks, partial, met, below: patientWeeks - met, share: percent(met, patientWeeks) });
    }
    return {
      columns,
      rows,
      summary: rows.length ? `${allMet} of ${allWeeks} patient-weeks at or above the required hours (${percent(allMet, allWeeks)}%).` : undefined,
      chart,
    };
  },
};

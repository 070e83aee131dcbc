/**
 * Outcome reports: retention at 30/60/90 days with length of stay, discharges by reason with the
 * completion rate, and early engagement (days to the first group, HEDIS IET-style initiation and
 * engagement). Each reads one or two set-based queries; the day arithmetic is done here on civil
 * dates, so both dialects run the same SQL.
 */
import { ATTENDANCE_STATUSES, STATUS_KEYS } from "~/features/attendance/rules";
import { DISCHARGE_REASONS } from "~/features/patients/rules";
import { daysBetween } from "~/kernel/time";
import type { DB } from "~/kernel/db";
import { type Cell, percent, type ReportChart, type ReportColumn, type ReportDefinition, type ReportParams } from "./report";
import { addDays } from "~/kernel/time";
import { ENGAGEMENT_DAYS, ENGAGEMENT_SERVICES, INITIATION_DAYS, ietOutcome, type Service } from "./engagement";

/** Attendance marks that count as a service received: present, late, left early. */
const ATTENDED = STATUS_KEYS.filter((k) => ATTENDANCE_STATUSES[k].attended);

const FILTERS_LINE =
  "Filters: episodes of patients at this site; the track filter keeps patients whose current track is that track, the counselor filter patients whose current primary counselor is that counselor. Each episode counts on its own, so a readmitted patient can count twice.";

const earlier = (a: string, b: string) => (a < b ? a : b);

/** The last admission or discharge day a report reads: the range's end, never after today. */
const lastDay = (p: ReportParams) => earlier(p.to, p.today);

/** Episodes joined to their patient, narrowed to the site, the current track and the primary counselor. */
function episodesAt(db: DB, p: ReportParams) {
  let q = db.selectFrom("patient_episodes as e").innerJoin("patients as pt", "pt.id", "e.patient_id").where("pt.site_id", "=", p.siteId);
  if (p.trackId) q = q.where("pt.track_id", "=", p.trackId);
  if (p.counselorId) q = q.where("pt.primary_counselor_id", "=", p.counselorId);
  return q;
}

/** The middle value, or the mean of the two middle values; null for none. */
export function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

const oneDecimal = (n: number) => Math.round(n * 10) / 10;

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
/** "2026-11-03" → "Nov 2026". */
const monthLabel = (date: string) => `${MONTHS[Number(date.slice(5, 7)) - 1]} ${date.slice(0, 4)}`;

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

// ---------------------------------------------------------------------------------------------
// Retention

export const RETENTION_DAYS = [30, 60, 90] as const;

export const retention: ReportDefinition = {
  id: "retention",
  title: "Retention at 30, 60 and 90 days",
  defaultDays: 365,
  description:
    "Of the episodes admitted in the range, the share still in treatment 30, 60 and 90 days after admission, by month of admission; and the length of stay of discharges.",
  definition: [
    "Cohorts: the episodes of care admitted in the range (admission date from the first to the last day of the range, and not after today), grouped by the calendar month of admission. The first and last months hold only the admissions inside the range.",
    "Day 0 is the admission date and day N is N days after it. An episode has reached day N when day N is today or earlier; only those episodes are counted in the “Reached day N” column, which is the denominator of that retention.",
    "Retained at N days: the episode was not discharged before day N — it is still open, or it was discharged on day N or later. A discharge before day N for any reason, “Treatment completed” included, counts as not retained: this measures time in treatment, and the Discharges report shows completions.",
    "Length of stay (the line under the table): every episode discharged in the range (discharge date from the first to the last day of the range), whatever its admission date; the days from admission to discharge (discharged the day after admission = 1 day). The average is given to one decimal; the median is the middle value, or the mean of the two middle values.",
    FILTERS_LINE,
  ],
  async compute(db, p) {
    const last = lastDay(p);
    const [admitted, discharged] = await Promise.all([
      episodesAt(db, p)
        .select(["e.admitted_on", "e.discharged_on"])
        .where("e.admitted_on", ">=", p.from)
        .where("e.admitted_on", "<=", last)
        .orderBy("e.admitted_on")
        .execute(),
      episodesAt(db, p).select(["e.admitted_on", "e.discharged_on"]).where("e.discharged_on", ">=", p.from).where("e.discharged_on", "<=", last).execute(),
    ]);

    type Tally = { admitted: number; reached: number[]; retained: number[] };
    const blank = (): Tally => ({ admitted: 0, reached: RETENTION_DAYS.map(() => 0), retained: RETENTION_DAYS.map(() => 0) });
    const cohorts = new Map<string, Tally>();
    const all = blank();
    for (const e of admitted) {
      const month = e.admitted_on.slice(0, 7);
      const c = cohorts.get(month) ?? blank();
      cohorts.set(month, c);
      for (const t of [c, all]) t.admitted += 1;
      RETENTION_DAYS.forEach((n, i) => {
        const dayN = addDays(e.admitted_on, n);
        if (dayN > p.today) return;
        const kept = e.discharged_on === null || e.discharged_on >= dayN;
        for (const t of [c, all]) {
          t.reached[i] += 1;
          if (kept) t.retained[i] += 1;
        }
      });
    }
    const row = (cohort: string, t: Tally): Record<string, Cell> => {
      const r: Record<string, Cell> = { cohort, admitted: t.admitted };
      RETENTION_DAYS.forEach((n, i) => {
        r[`reached${n}`] = t.reached[i];
        r[`retained${n}`] = percent(t.retained[i], t.reached[i]);
      });
      return r;
    };
    const rows = [...cohorts.entries()].map(([month, t]) => row(monthLabel(`${month}-01`), t));
    if (rows.length > 1) rows.push(row("All admissions", all));

    const stays = discharged.map((e) => daysBetween(e.admitted_on, e.discharged_on!));
    const mid = median(stays);
    const los =
      mid === null
        ? "No episode was discharged in the range, so there is no length of stay to report."
        : `${plural(stays.length, "episode")} discharged in the range: average length of stay ${plural(oneDecimal(stays.reduce((a, b) => a + b, 0) / stays.length), "day")}, median ${plural(mid, "day")}.`;

    return {
      columns: [
        { key: "cohort", label: "Admitted in", kind: "month" },
        { key: "admitted", label: "Admissions", kind: "number" },
        ...RETENTION_DAYS.flatMap((n) => [
          { key: `reached${n}`, label: `Reached day ${n}`, kind: "number" as const },
          { key: `retained${n}`, label: `Retained at ${n} days`, kind: "percent" as const },
        ]),
      ],
      rows,
      summary: `${plural(all.admitted, "admission")} in the range. ${los}`,
      chart: {
        type: "bar",
        dataKey: "cohort",
        unit: "%",
        series: [
          { name: "retained30", label: "30 days", color: "indigo.6" },
          { name: "retained60", label: "60 days", color: "teal.6" },
          { name: "retained90", label: "90 days", color: "orange.6" },
        ],
      },
    };
  },
};

// ---------------------------------------------------------------------------------------------
// Discharges

const COLUMNS_DISCHARGES: ReportColumn[] = [
  { key: "reason", label: "Reason" },
  { key: "discharges", label: "Discharges", kind: "number" },
  { key: "share", label: "Share of discharges", kind: "percent" },
];
/** The chart's axis labels: the full TEDS labels do not fit under seven bars. */
const SHORT_REASONS: Record<keyof typeof DISCHARGE_REASONS, string> = {
  completed: "Completed",
  transferred: "Transferred",
  left_before_completion: "Left early",
  discharged_by_program: "By program",
  incarcerated: "Incarcerated",
  died: "Died",
  other: "Other",
};
const CHART_DISCHARGES: ReportChart = { type: "bar", dataKey: "short", series: [{ name: "discharges", label: "Discharges", color: "indigo.6" }] };

export const discharges: ReportDefinition = {
  id: "discharges",
  title: "Discharges by reason",
  defaultDays: 365,
  description: "Discharges in the range by reason, and the completion rate.",
  definition: [
    "Every episode of care with a discharge date in the range (from the first to the last day of the range, and not after today), counted once, by the discharge reason recorded at discharge (the TEDS reasons).",
    "Share: that reason's discharges as a share of all discharges in the range.",
    "Completion rate (the line under the table): discharges with the reason “Treatment completed” divided by all discharges in the range, whatever their reason — transfers, incarceration and deaths included.",
    FILTERS_LINE,
  ],
  async compute(db, p) {
    const counts = await episodesAt(db, p)
      .select(["e.discharge_reason", (eb) => eb.fn.countAll<number>().as("n")])
      .where("e.discharged_on", ">=", p.from)
      .where("e.discharged_on", "<=", lastDay(p))
      .groupBy("e.discharge_reason")
      .execute();
    const byReason = new Map<string, number>();
    let unknown = 0;
    for (const c of counts) {
      if (c.discharge_reason && c.discharge_reason in DISCHARGE_REASONS) byReason.set(c.discharge_reason, Number(c.n));
      else unknown += Number(c.n);
    }
    const total = counts.reduce((n, c) => n + Number(c.n), 0);
    if (total === 0) {
      return { columns: COLUMNS_DISCHARGES, rows: [], summary: "No discharges in the range, so there is no completion rate.", chart: CHART_DISCHARGES };
    }
    const rows: Record<string, Cell>[] = Object.entries(DISCHARGE_REASONS).map(([key, label]) => {
      const n = byReason.get(key) ?? 0;
      return { reason: label, short: SHORT_REASONS[key as keyof typeof DISCHARGE_REASONS], discharges: n, share: percent(n, total) };
    });
    if (unknown) rows.push({ reason: "Not recorded", short: "Not recorded", discharges: unknown, share: percent(unknown, total) });
    const completed = byReason.get("completed") ?? 0;
    return {
      columns: COLUMNS_DISCHARGES,
      rows,
      summary: `${plural(total, "discharge")} in the range; completion rate ${percent(completed, total)}% (${completed} completed treatment).`,
      chart: CHART_DISCHARGES,
    };
  },
};

// ---------------------------------------------------------------------------------------------
// Engagement

export { ENGAGEMENT_DAYS, ENGAGEMENT_SERVICES, INITIATION_DAYS };

const FIRST_GROUP_BUCKETS = [
  { key: "0-3", label: "First group on day 0–3", max: 3 },
  { key: "4-7", label: "First group on day 4–7", max: 7 },
  { key: "8-14", label: "First group on day 8–14", max: 14 },
  { key: "15+", label: "First group on day 15 or later", max: Number.POSITIVE_INFINITY },
] as const;

export const engagement: ReportDefinition = {
  id: "engagement",
  title: "Early engagement",
  description: "How soon new admissions attend their first group, and HEDIS IET-style initiation and engagement.",
  definition: [
    "Episodes of care admitted in the range (admission date from the first to the last day of the range, and not after today). Day 0 is the admission date.",
    "An attended service is an attendance mark of Present, Late or Left early, on a day from the admission date to the discharge date (or to today while the episode is open). Excused and unexcused absences are not services.",
    "Days to first group: the days from admission to the first attended session of kind group (the same day = 0), in the buckets 0–3, 4–7, 8–14 and 15 or more days; “No group attended yet” counts the episodes with none so far, open or discharged. These shares are of all episodes admitted in the range. The median (the line under the table) is over the episodes that have attended a group.",
    `Initiation, in the style of HEDIS IET: an attended service of any kind (group, individual or family) on day 0 to day ${INITIATION_DAYS}, both included. Only episodes whose day ${INITIATION_DAYS} is before today, so the whole window has passed, are in its denominator (“Out of”).`,
    `Engagement: initiated, and at least ${ENGAGEMENT_SERVICES} more attended services in the ${ENGAGEMENT_DAYS} days after the initiation day (from the day after it to ${ENGAGEMENT_DAYS} days after it, both included; other services on the initiation day itself do not count). As in HEDIS IET (MY2025), services count as events one per day and provider (the session's facilitator): two services on one day count as two only when different providers gave them. Only episodes whose day ${INITIATION_DAYS + ENGAGEMENT_DAYS} (${INITIATION_DAYS} + ${ENGAGEMENT_DAYS}) is before today are in its denominator, and it is a share of all of them, not only of those initiated.`,
    "An episode discharged before its window closed stays in the denominator: leaving early counts as not initiated or not engaged.",
    FILTERS_LINE,
  ],
  async compute(db, p) {
    const last = lastDay(p);
    const episodes = await episodesAt(db, p)
      .select((eb) => [
        "e.id",
        "e.admitted_on",
        eb
          .selectFrom("attendance as a")
          .innerJoin("sessions as s", "s.id", "a.session_id")
          .select((sb) => sb.fn.min<string>("a.local_date").as("d"))
          .whereRef("a.patient_id", "=", "e.patient_id")
          .where("s.kind", "=", "group")
          .where("a.status", "in", ATTENDED)
          .whereRef("a.local_date", ">=", "e.admitted_on")
          .where((w) => w.or([w("e.discharged_on", "is", null), w("a.local_date", "<=", w.ref("e.discharged_on"))]))
          .where("a.local_date", "<=", p.today)
          .as("first_group"),
      ])
      .where("e.admitted_on", ">=", p.from)
      .where("e.admitted_on", "<=", last)
      .execute();

    // The windows that have passed: initiation needs day 14 before today, engagement day 48.
    const initiationLast = earlier(last, addDays(p.today, -(INITIATION_DAYS + 1)));
    const services =
      p.from <= initiationLast
        ? await episodesAt(db, p)
            .innerJoin("attendance as a", "a.patient_id", "e.patient_id")
            .innerJoin("sessions as s", "s.id", "a.session_id")
            .select(["e.id", "a.local_date", "s.facilitator_id"])
            .where("e.admitted_on", ">=", p.from)
            .where("e.admitted_on", "<=", initiationLast)
            .where("a.status", "in", ATTENDED)
            .whereRef("a.local_date", ">=", "e.admitted_on")
            .where((w) => w.or([w("e.discharged_on", "is", null), w("a.local_date", "<=", w.ref("e.discharged_on"))]))
            .where("a.local_date", "<=", addDays(initiationLast, INITIATION_DAYS + ENGAGEMENT_DAYS))
            .execute()
        : [];
    const servicesOf = new Map<string, Service[]>();
    for (const s of services) servicesOf.set(s.id, [...(servicesOf.get(s.id) ?? []), { date: s.local_date, providerId: s.facilitator_id }]);

    const bucketCounts = FIRST_GROUP_BUCKETS.map(() => 0);
    let never = 0;
    const daysToGroup: number[] = [];
    let initiationEligible = 0;
    let initiated = 0;
    let engagementEligible = 0;
    let engaged = 0;
    for (const e of episodes) {
      if (e.first_group) {
        const days = daysBetween(e.admitted_on, e.first_group);
        daysToGroup.push(days);
        bucketCounts[FIRST_GROUP_BUCKETS.findIndex((b) => days <= b.max)] += 1;
      } else never += 1;

      if (addDays(e.admitted_on, INITIATION_DAYS) >= p.today) continue;
      initiationEligible += 1;
      const outcome = ietOutcome(e.admitted_on, servicesOf.get(e.id) ?? []);
      if (outcome.initiatedOn) initiated += 1;
      if (addDays(e.admitted_on, INITIATION_DAYS + ENGAGEMENT_DAYS) >= p.today) continue;
      engagementEligible += 1;
      if (outcome.engaged) engaged += 1;
    }

    const total = episodes.length;
    const rows: Record<string, Cell>[] =
      total === 0
        ? []
        : [
            ...FIRST_GROUP_BUCKETS.map((b, i) => ({
              measure: b.label,
              short: `Day ${b.key.replace("-", "–")}`,
              episodes: bucketCounts[i],
              outOf: total,
              share: percent(bucketCounts[i], total),
            })),
            { measure: "No group attended yet", short: "No group yet", episodes: never, outOf: total, share: percent(never, total) },
            {
              measure: `Initiation: a service on day 0–${INITIATION_DAYS}`,
              short: "Initiated",
              episodes: initiated,
              outOf: initiationEligible,
              share: percent(initiated, initiationEligible),
            },
            {
              measure: `Engagement: ${ENGAGEMENT_SERVICES} more services within ${ENGAGEMENT_DAYS} days`,
              short: "Engaged",
              episodes: engaged,
              outOf: engagementEligible,
              share: percent(engaged, engagementEligible),
            },
          ];
    const mid = median(daysToGroup);
    const summary =
      total === 0
        ? "No admissions in the range."
        : `${plural(total, "episode")} admitted in the range; ${
            mid === null
              ? "none has attended a group yet."
              : `median ${plural(mid, "day")} from admission to the first attended group (${plural(daysToGroup.length, "episode")} with one).`
          }`;
    return {
      columns: [
        { key: "measure", label: "Measure" },
        { key: "episodes", label: "Episodes", kind: "number" },
        { key: "outOf", label: "Out of", kind: "number" },
        { key: "share", label: "Share", kind: "percent" },
      ],
      rows,
      summary,
      chart: { type: "bar", dataKey: "short", unit: "%", series: [{ name: "share", label: "Share of episodes", color: "indigo.6" }] },
    };
  },
};

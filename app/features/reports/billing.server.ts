/** Billing reports: billable days by week, level of care (H0015 IOP, S0201 PHP) and payer. */
import { sql } from "kysely";
import { BILLABLE_DAY_RULES, billableCode, levelOn } from "~/features/attendance/rules";
import { type LevelOfCare, PAYER_TYPES } from "~/features/patients/rules";
import { weekStart } from "~/kernel/time";
import { ATTENDED_STATUSES } from "./attendance.server";
import { noteSettings } from "~/features/notes/notes.server";
import { daysBillableUnderNotes, hoursOf } from "~/features/notes/billing";
import { type Cell, type ReportColumn, type ReportDefinition, WEEK_COLUMN } from "./report";

type Payer = keyof typeof PAYER_TYPES;
const PAYERS = Object.keys(PAYER_TYPES) as Payer[];
const PAYER_COLORS: Record<Payer, string> = { commercial: "indigo.6", medicaid: "teal.6", medicare: "orange.6", self_pay: "grape.6", other: "gray.6" };

export const billableDays: ReportDefinition = {
  id: "billable-days",
  title: "Billable days by week and payer",
  description: "Patient-days that bill as a per-diem day at their level of care (IOP H0015, PHP S0201), week by week and by payer.",
  definition: [
    `A billable day is one patient on one day (the site's local date) whose attended minutes, summed across all of that patient's sessions that day of every kind (group, individual, family), reach the daily minimum of the level of care in effect that day: an ${BILLABLE_DAY_RULES.IOP.label} at least ${BILLABLE_DAY_RULES.IOP.minMinutes} minutes (three hours; HCPCS H0015: a program of at least 3 hours a day), a ${BILLABLE_DAY_RULES.PHP.label} at least ${BILLABLE_DAY_RULES.PHP.minMinutes} minutes (five hours; Virginia DMAS 12VAC30-130-5100: at least five service hours per service day).`,
    "An OP day is never a billable day, however long: outpatient services are billed one service at a time, not per diem.",
    "The level of care of a day is the one in effect on it, from the patient's level-of-care history (their current level before any change on record).",
    "Attended minutes are the minutes recorded on marks of present, late or left early; absences add nothing, and sessions without a roll call add nothing.",
    "Counted for patients at this site on days in the range. Each day is counted under the patient's current payer type (a payer type outside the list counts as Other).",
    "Weeks run Monday to Sunday at the site; a week is listed when at least one patient attended something in it, even if no day was billable. The first and last weeks of the range may be partial.",
    "The track filter keeps patients whose current track is that track; the counselor filter keeps patients whose primary counselor is that counselor.",
    "Documented hours are attended minutes in sessions whose note is signed by its author (a note waiting for a supervisor's co-signature counts) and has the patient's own part; undocumented hours are the rest: no note, an unsigned draft, or a note without their part. Hours are given to one decimal.",
    "When the site's notes settings say a day is billable only when its sessions have signed notes, a day with any undocumented minute is not billable, however long (CMS Medicare Program Integrity Manual ch. 3 §3.3.2.4: a service billed must be authenticated by its author). The page says so when the rule is on.",
  ],
  async compute(db, p) {
    let q = db
      .selectFrom("attendance as a")
      .innerJoin("patients as pt", "pt.id", "a.patient_id")
      .leftJoin("notes as n", "n.session_id", "a.session_id")
      .leftJoin("note_entries as ne", (j) => j.onRef("ne.note_id", "=", "n.id").onRef("ne.patient_id", "=", "a.patient_id"))
      .select([
        "a.patient_id",
        "a.local_date",
        "pt.payer_type",
        "pt.level_of_care",
        sql<number>`sum(a.minutes)`.as("minutes"),
        // Documented: the note is signed (documents() in notes/rules.ts) and has this patient's part.
        sql<number>`sum(case when n.signed_at is not null and ne.id is not null then a.minutes else 0 end)`.as("documented"),
      ])
      .where("pt.site_id", "=", p.siteId)
      .where("a.status", "in", ATTENDED_STATUSES)
      .where("a.local_date", ">=", p.from)
      .where("a.local_date", "<=", p.to)
      .groupBy(["a.patient_id", "a.local_date", "pt.payer_type", "pt.level_of_care"]);
    if (p.trackId) q = q.where("pt.track_id", "=", p.trackId);
    if (p.counselorId) q = q.where("pt.primary_counselor_id", "=", p.counselorId);
    const levelsQuery = (() => {
      let l = db
        .selectFrom("level_of_care_changes as lc")
        .innerJoin("patients as pt", "pt.id", "lc.patient_id")
        .select(["lc.patient_id", "lc.level_of_care", "lc.effective_on"])
        .where("pt.site_id", "=", p.siteId)
        .where("lc.effective_on", "<=", p.to);
      if (p.trackId) l = l.where("pt.track_id", "=", p.trackId);
      if (p.counselorId) l = l.where("pt.primary_counselor_id", "=", p.counselorId);
      return l;
    })();
    // Each day at the level in effect on it: the patient's level-of-care history, their current level before it.
    const [patientDays, levels, settings] = await Promise.all([q.execute(), levelsQuery.execute(), noteSettings(db, p.siteId)]);
    const billing = new Set(
      daysBillableUnderNotes(
        patientDays.map((d) => ({ d, undocumentedMinutes: Number(d.minutes) - Number(d.documented) })),
        settings.billingNeedsNotes,
      ).map((x) => x.d),
    );
    const changesBy = new Map<string, { level: LevelOfCare; effectiveOn: string }[]>();
    for (const l of levels) {
      const list = changesBy.get(l.patient_id) ?? [];
      list.push({ level: l.level_of_care, effectiveOn: l.effective_on });
      changesBy.set(l.patient_id, list);
    }

    type Week = Record<Payer | "H0015" | "S0201" | "documented" | "undocumented", number>;
    const weeks = new Map<string, Week>();
    let total = 0;
    let heldForNotes = 0;
    const byCode = { H0015: 0, S0201: 0 };
    for (const d of patientDays) {
      const monday = weekStart(d.local_date);
      let w = weeks.get(monday);
      if (!w) weeks.set(monday, (w = Object.fromEntries([...PAYERS, "H0015", "S0201", "documented", "undocumented"].map((k) => [k, 0])) as Week));
      w.documented += Number(d.documented);
      w.undocumented += Number(d.minutes) - Number(d.documented);
      const level = levelOn(changesBy.get(d.patient_id) ?? [], d.local_date, d.level_of_care);
      const code = billableCode(level, Number(d.minutes));
      if (code && !billing.has(d)) heldForNotes++;
      if (code && billing.has(d)) {
        const payer: Payer = (PAYERS as string[]).includes(d.payer_type) ? (d.payer_type as Payer) : "other";
        w[payer]++;
        w[code]++;
        byCode[code]++;
        total++;
      }
    }
    const rows = [...weeks.keys()].sort().map((monday) => {
      const w = weeks.get(monday)!;
      const row: Record<string, Cell> = { week: monday, ...w, documented: hoursOf(w.documented), undocumented: hoursOf(w.undocumented) };
      row.total = PAYERS.reduce((n, k) => n + w[k], 0);
      return row;
    });
    const columns: ReportColumn[] = [
      WEEK_COLUMN,
      { key: "H0015", label: "IOP days (H0015)", kind: "number" },
      { key: "S0201", label: "PHP days (S0201)", kind: "number" },
      ...PAYERS.map((k): ReportColumn => ({ key: k, label: PAYER_TYPES[k], kind: "number" })),
      { key: "total", label: "Total billable days", kind: "number" },
      { key: "documented", label: "Documented hours", kind: "number" },
      { key: "undocumented", label: "Undocumented hours", kind: "number" },
    ];
    return {
      columns,
      rows,
      summary: rows.length
        ? `${total} billable days (${byCode.H0015} IOP H0015, ${byCode.S0201} PHP S0201) out of ${patientDays.length} patient-days with an attended mark; OP days bill per service, not per day.${
            settings.billingNeedsNotes
              ? ` Notes are required for billing at this site: a day is billable only when every session attended that day has a signed note (${heldForNotes} ${heldForNotes === 1 ? "day" : "days"} with enough hours held back for notes).`
              : ""
          }`
        : settings.billingNeedsNotes
          ? "Notes are required for billing at this site: a day is billable only when every session attended that day has a signed note."
          : undefined,
      chart: { type: "bar", dataKey: "week", stacked: true, series: PAYERS.map((k) => ({ name: k, label: PAYER_TYPES[k], color: PAYER_COLORS[k] })) },
    };
  },
};

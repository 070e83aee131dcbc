/**
 * Home's measures worklist (issue 19, item 5): a counselor's caseload's measures that are due or
 * overdue, each patient and measure with how late; an admin's counts per counselor for the site
 * (due, overdue, open safety flags). Read from the open episodes at the site and each patient's
 * latest administration per measure: the work grows with the census, not with history shown.
 */
import { can } from "~/features/auth/permissions";
import type { Role } from "#db/schema";
import type { Queryable } from "~/kernel/db";
import { addDays, daysBetween } from "~/kernel/time";
import { OPEN_STATUSES } from "~/features/patients/rules";
import { openSafetyFlagsAt } from "./measures.server";
import { MEASURE_CODES, MEASURE_GRACE_DAYS, measureDue, type WorklistState, worklistState } from "./rules";
import { measureIntervalSetting } from "./settings.server";
import type { CounselorCounts, MeasuresHome, WorklistItem } from "./worklist";

/** Home lists this many measures at most, the latest first; the card says how many more there are. */
export const WORKLIST_CAP = 25;

type DueItem = WorklistItem & { counselorId: string | null; counselor: string | null };

/**
 * Every measure due or overdue at a site (a counselor's caseload when `counselorId` is given),
 * overdue first and the latest of those first, then by due date, patient and measure.
 */
export async function measuresDueAt(db: Queryable, siteId: string, today: string, counselorId: string | null): Promise<DueItem[]> {
  // Open episodes, and those discharged so recently that the discharge measure is still due.
  const recent = addDays(today, -MEASURE_GRACE_DAYS);
  // The site's patients, found from those in care and the recent discharges (both by index), not
  // by visiting every patient the site ever had: a discharge sets the status and the episode's
  // date together, so these are the same patients the conditions below keep.
  const atSite = db
    .selectFrom("patients")
    .select("id")
    .where("site_id", "=", siteId)
    .where("status", "in", OPEN_STATUSES)
    .unionAll(
      db
        .selectFrom("patient_episodes as d")
        .select("d.patient_id as id")
        .where("d.discharged_on", ">=", recent)
        .where(({ exists, selectFrom }) =>
          exists(selectFrom("patients as dp").select("dp.id").whereRef("dp.id", "=", "d.patient_id").where("dp.site_id", "=", siteId)),
        ),
    );
  let patients = db
    .selectFrom("patients as p")
    .innerJoin("patient_episodes as e", "e.id", "p.current_episode_id")
    .where("p.id", "in", atSite)
    .where("e.admitted_on", "<=", today)
    .where((eb) => eb.or([eb("e.discharged_on", "is", null), eb("e.discharged_on", ">=", recent)]));
  if (counselorId) patients = patients.where("p.primary_counselor_id", "=", counselorId);
  const [rows, last, interval] = await Promise.all([
    patients
      .leftJoin("users as c", "c.id", "p.primary_counselor_id")
      .select([
        "p.id",
        "p.mrn",
        "p.legal_first_name",
        "p.legal_last_name",
        "p.preferred_name",
        "e.admitted_on",
        "e.discharged_on",
        "c.id as counselor_id",
        "c.name as counselor",
      ])
      .execute(),
    patients
      .innerJoin("measure_responses as r", "r.patient_id", "p.id")
      .whereRef("r.administered_on", ">=", "e.admitted_on")
      .select(["p.id", "r.measure", (eb) => eb.fn.max("r.administered_on").as("last_on")])
      .groupBy(["p.id", "r.measure"])
      .execute(),
    measureIntervalSetting(db, siteId),
  ]);
  const lastOn = new Map(last.map((r) => [`${r.id} ${r.measure}`, r.last_on as string | null]));
  const items: DueItem[] = [];
  for (const p of rows) {
    for (const code of MEASURE_CODES) {
      const due = measureDue({
        admittedOn: p.admitted_on,
        dischargedOn: p.discharged_on,
        lastOn: lastOn.get(`${p.id} ${code}`) ?? null,
        today,
        intervalDays: interval.value,
      });
      const state = worklistState(due, today);
      if (!state) continue;
      items.push({
        patientId: p.id,
        name: `${p.legal_last_name}, ${p.preferred_name || p.legal_first_name}`,
        mrn: p.mrn,
        code,
        state,
        reason: due.reason,
        dueOn: due.dueOn,
        daysLate: daysBetween(due.dueOn, today),
        counselorId: p.counselor_id,
        counselor: p.counselor,
      });
    }
  }
  const order = (s: WorklistState) => (s === "overdue" ? 0 : 1);
  return items.sort(
    (a, b) =>
      order(a.state) - order(b.state) ||
      a.dueOn.localeCompare(b.dueOn) ||
      a.name.localeCompare(b.name) ||
      MEASURE_CODES.indexOf(a.code) - MEASURE_CODES.indexOf(b.code),
  );
}

/** An admin's view: per counselor at the site, measures due and overdue and open safety flags. */
export async function measureCountsByCounselor(db: Queryable, siteId: string, today: string): Promise<CounselorCounts[]> {
  const [items, flags] = await Promise.all([
    measuresDueAt(db, siteId, today, null),
    db
      .selectFrom("safety_flags as f")
      .innerJoin("patients as p", "p.id", "f.patient_id")
      .leftJoin("users as c", "c.id", "p.primary_counselor_id")
      .select(["c.id", "c.name", (eb) => eb.fn.countAll().as("n")])
      .where("f.site_id", "=", siteId)
      .where("p.site_id", "=", siteId)
      .where("f.status", "=", "open")
      .groupBy(["c.id", "c.name"])
      .execute(),
  ]);
  const rows = new Map<string, CounselorCounts>();
  const row = (id: string | null, name: string | null) => {
    const key = id ?? "";
    let r = rows.get(key);
    if (!r) rows.set(key, (r = { counselorId: id, counselor: name ?? "Not assigned", due: 0, overdue: 0, safetyFlags: 0 }));
    return r;
  };
  for (const i of items) row(i.counselorId, i.counselor)[i.state] += 1;
  for (const f of flags) row(f.id, f.name).safetyFlags += Number(f.n);
  // Counselors by name; patients with no counselor last.
  return [...rows.values()].sort((a, b) => Number(a.counselorId === null) - Number(b.counselorId === null) || a.counselor.localeCompare(b.counselor));
}

/**
 * Everything Home shows about measures for the signed-in person at their site: open safety flags
 * (a counselor's caseload, an admin's site), and the due list (counselor) or the counts (admin).
 * Null for a role that may not read clinical records.
 */
export async function measuresOnHome(db: Queryable, user: { id: string; role: Role }, siteId: string, today: string): Promise<MeasuresHome | null> {
  if (!can(user.role, "read:patient-clinical")) return null;
  const counselorId = user.role === "counselor" ? user.id : null;
  const [safetyFlags, interval, due, byCounselor] = await Promise.all([
    openSafetyFlagsAt(db, siteId, counselorId),
    measureIntervalSetting(db, siteId),
    counselorId ? measuresDueAt(db, siteId, today, counselorId) : null,
    user.role === "admin" ? measureCountsByCounselor(db, siteId, today) : null,
  ]);
  const worklist = due
    ? {
        items: due.slice(0, WORKLIST_CAP).map(({ counselorId: _c, counselor: _n, ...item }) => item),
        total: due.length,
        overdue: due.filter((i) => i.state === "overdue").length,
        due: due.filter((i) => i.state === "due").length,
      }
    : null;
  return {
    scope: counselorId ? "caseload" : "site",
    intervalDays: interval.value,
    safetyFlags,
    worklist,
    byCounselor,
    // Patients named on the page, for the list-view audit row.
    shown: safetyFlags.length + (worklist?.items.length ?? 0),
  };
}

/**
 * The live figures on Home, by role: census by track and level, admissions and discharges this
 * week and group fill rates for admins; a counselor's own sessions today and caseload patients with
 * nothing scheduled next week; the day's random-draw collections still missing for staff.
 * Set-based queries only.
 */
import type { DB } from "~/kernel/db";
import { drawBoard, drawsOn } from "~/features/drug-testing/draws.server";
import { addDays, weekStart, startOfDayUtc } from "~/kernel/time";

/** The instants a week at the site runs between: from its Monday's midnight to the next Monday's. */
const weekInUtc = (monday: string, timeZone: string) => ({ from: startOfDayUtc(monday, timeZone), until: startOfDayUtc(addDays(monday, 7), timeZone) });

/**
 * The census counts patients who are attending: status Active. Referred patients have not started
 * (their episode is open from the referral date, but no service has begun) and on-hold patients
 * are paused: both are counted beside the census, not in it. "Admitted this week" counts episodes
 * that started this week: whose first change to Active (at intake, or a referral starting) is
 * dated from Monday to today.
 */
export async function census(db: DB, siteId: string, today: string) {
  const monday = weekStart(today);
  const [byTrack, waiting, admitted, discharged] = await Promise.all([
    db
      .selectFrom("patients as p")
      .leftJoin("tracks as t", "t.id", "p.track_id")
      .select(["t.id as track_id", "t.name as track", "p.level_of_care", (eb) => eb.fn.countAll<number>().as("n")])
      .where("p.site_id", "=", siteId)
      .where("p.status", "=", "active")
      .groupBy(["t.id", "t.name", "p.level_of_care"])
      .execute(),
    db
      .selectFrom("patients as p")
      .select(["p.status", (eb) => eb.fn.countAll<number>().as("n")])
      .where("p.site_id", "=", siteId)
      .where("p.status", "in", ["referred", "on_hold"])
      .groupBy("p.status")
      .execute(),
    // Read from this week's changes to Active (by date), each kept when its episode had no change
    // to Active before Monday: the week's admissions, not every episode the site ever had.
    db
      .selectFrom("patient_status_changes as sc")
      .innerJoin("patients as p", "p.id", "sc.patient_id")
      .select((eb) => eb.fn.count<number>("sc.episode_id").distinct().as("n"))
      .where("sc.status", "=", "active")
      .where("sc.effective_on", ">=", monday)
      .where("sc.effective_on", "<=", today)
      .where("p.site_id", "=", siteId)
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom("patient_status_changes as earlier")
              .select("earlier.id")
              .whereRef("earlier.patient_id", "=", "sc.patient_id")
              .whereRef("earlier.episode_id", "=", "sc.episode_id")
              .where("earlier.status", "=", "active")
              .where("earlier.effective_on", "<", monday),
          ),
        ),
      )
      .executeTakeFirstOrThrow(),
    // From the week's discharges (by date), each checked for the site: not every episode the site ever had.
    db
      .selectFrom("patient_episodes as e")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("e.discharged_on", ">=", monday)
      .where("e.discharged_on", "<=", today)
      .where(({ exists, selectFrom }) =>
        exists(selectFrom("patients as p").select("p.id").whereRef("p.id", "=", "e.patient_id").where("p.site_id", "=", siteId)),
      )
      .executeTakeFirstOrThrow(),
  ]);
  const levels = ["IOP", "PHP", "OP"] as const;
  const tracks = new Map<string, { trackId: string | null; track: string; IOP: number; PHP: number; OP: number; total: number }>();
  for (const r of byTrack) {
    const key = r.track_id ?? "none";
    const row = tracks.get(key) ?? { trackId: r.track_id, track: r.track ?? "No track", IOP: 0, PHP: 0, OP: 0, total: 0 };
    const level = r.level_of_care as (typeof levels)[number];
    if (levels.includes(level)) row[level] += Number(r.n);
    row.total += Number(r.n);
    tracks.set(key, row);
  }
  const rows = [...tracks.values()].sort((a, b) => (a.trackId === null ? 1 : b.trackId === null ? -1 : a.track.localeCompare(b.track)));
  return {
    rows,
    total: rows.reduce((n, r) => n + r.total, 0),
    byLevel: Object.fromEntries(levels.map((l) => [l, rows.reduce((n, r) => n + r[l], 0)])) as Record<(typeof levels)[number], number>,
    referredNotStarted: Number(waiting.find((w) => w.status === "referred")?.n ?? 0),
    onHold: Number(waiting.find((w) => w.status === "on_hold")?.n ?? 0),
    admittedThisWeek: Number(admitted.n),
    dischargedThisWeek: Number(discharged.n),
    weekOf: monday,
  };
}

/** This week's group sessions: how full each group runs (patients on the roster / capacity). */
export async function groupFill(db: DB, siteId: string, today: string, timeZone: string) {
  const week = weekInUtc(weekStart(today), timeZone);
  const rows = await db
    .selectFrom("sessions as s")
    .select((eb) => [
      "s.series_id",
      "s.title",
      eb.fn.count<number>("s.id").as("sessions"),
      eb.fn.sum<number>("s.capacity").as("capacity"),
      eb.fn
        .sum<number>(
          eb
            .selectFrom("session_participants as sp")
            .select((e) => e.fn.countAll<number>().as("n"))
            .whereRef("sp.session_id", "=", "s.id")
            .where("sp.left_at", "is", null),
        )
        .as("seats"),
    ])
    .where("s.site_id", "=", siteId)
    .where("s.kind", "=", "group")
    .where("s.status", "=", "scheduled")
    .where("s.starts_at", ">=", week.from)
    .where("s.starts_at", "<", week.until)
    .groupBy(["s.series_id", "s.title"])
    .orderBy("s.title")
    .execute();
  return rows.map((r) => {
    const capacity = Number(r.capacity ?? 0);
    const seats = Number(r.seats ?? 0);
    return { seriesId: r.series_id, title: r.title, sessions: Number(r.sessions), fill: capacity ? Math.round((seats / capacity) * 100) : null };
  });
}

/** A counselor's caseload patients in the program who are on no session next week. */
export async function nothingNextWeek(db: DB, siteId: string, counselorId: string, today: string, timeZone: string) {
  const next = addDays(weekStart(today), 7);
  const { from, until } = weekInUtc(next, timeZone);
  const rows = await db
    .selectFrom("patients as p")
    .select(["p.id", "p.mrn", "p.legal_first_name", "p.legal_last_name", "p.preferred_name"])
    .where("p.site_id", "=", siteId)
    .where("p.primary_counselor_id", "=", counselorId)
    .where("p.status", "=", "active")
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom("session_participants as sp")
            .innerJoin("sessions as s", "s.id", "sp.session_id")
            .select("sp.id")
            .whereRef("sp.patient_id", "=", "p.id")
            .where("sp.left_at", "is", null)
            .where("s.status", "=", "scheduled")
            .where("s.starts_at", ">=", from)
            .where("s.starts_at", "<", until),
        ),
      ),
    )
    .orderBy("p.legal_last_name")
    .execute();
  return { weekOf: next, patients: rows.map((p) => ({ id: p.id, mrn: p.mrn, name: `${p.legal_last_name}, ${p.preferred_name || p.legal_first_name}` })) };
}

/** Today's random draw at the site: who was selected and whose collection is still missing. */
export async function drawToday(db: DB, siteId: string, today: string) {
  const draws = await drawsOn(db, siteId, today);
  const latest = draws[draws.length - 1];
  if (!latest) return { drawn: false, selected: 0, missing: [] as { patientId: string; name: string; mrn: string }[] };
  const board = await drawBoard(db, latest);
  return { drawn: true, selected: board.length, missing: board.filter((b) => !b.test).map((b) => ({ patientId: b.patientId, name: b.name, mrn: b.mrn })) };
}

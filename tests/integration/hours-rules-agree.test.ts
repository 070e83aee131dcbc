/**
 * The live "Below required hours" flag (attendanceFlags, as Home, the caseload and the chart show
 * it) and the "Weeks at required hours" report judge the same week the same way, on real
 * databases: age on the week's Monday, partial weeks prorated by days in care, and a session whose
 * roll was never taken counted as neither attended nor possible. Billable days follow each level's
 * own rule in the chart's history and in the billing report alike.
 *
 * The week: Monday 2026-12-07 … Sunday 2026-12-13 in America/New_York (EST, UTC−5). Every patient
 * is on a track of their own, so the report filtered by that track is their own week. Every
 * number below was worked out by hand.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { attendanceFlags, attendanceHistory, getRollCall, type MarkInput, missingRolls, saveRollCall } from "~/features/attendance/attendance.server";
import { changeLevelOfCare } from "~/features/patients/patients.server";
import { requiredHours } from "~/features/reports/attendance.server";
import { billableDays } from "~/features/reports/billing.server";
import { createTrack } from "~/features/scheduling/program.server";
import { newId } from "~/utils/ids";
import { createTestDatabase, dialects, type TestDatabase } from "../support/databases";
import { meta, seed } from "../support/demo";
import { enroll, version } from "./patients-support";

const TZ = "America/New_York";
const MONDAY = "2026-12-07";
/** Sunday 23:00 EST: the week is over but is still "this week" for the live flag. */
const SUNDAY_NIGHT = new Date("2026-12-14T04:00:00.000Z");

/** Local date → day of the week used below. */
const DAY = { mon: "2026-12-07", tue: "2026-12-08", wed: "2026-12-09", thu: "2026-12-10", fri: "2026-12-11" } as const;
type Day = keyof typeof DAY;

/**
 * Each patient: date of birth, admission, level, and what they attended (minutes per day; a
 * session of that length at 09:00 local, marked present). `unmarked` days have a session with no roll.
 */
const CASES = {
  // Turns 18 on Wednesday 12-09: 17 on Monday, so the adolescent floor (6 h = 360) holds all week.
  teen: { dob: "2008-12-09", admitted: "2026-09-01", level: "IOP", days: { mon: 180, wed: 180 }, below: false },
  // Admitted Thursday: Thu–Sun, 540 × 4 / 7 = 308.57 → 309 min; 180 + 129 = 309 meets it exactly.
  thu: { dob: "1990-05-05", admitted: "2026-12-10", level: "IOP", days: { thu: 180, fri: 129 }, below: false },
  // Admitted Thursday, one minute short: 180 + 128 = 308 < 309.
  thuShort: { dob: "1990-05-05", admitted: "2026-12-10", level: "IOP", days: { thu: 180, fri: 128 }, below: true },
  // Steps down IOP → OP on Wednesday: Mon–Tue at IOP, 540 × 2 / 7 = 154.29 → 155; Monday's 180 meets it.
  // (Friday's 3 OP hours count toward the week, but are no H0015 day.)
  step: { dob: "1990-05-05", admitted: "2026-09-01", level: "IOP", days: { mon: 180, fri: 180 }, below: false, stepDownWed: true },
  // A whole adult IOP week: 180 + 180 + 179 = 539 = 8 h 59 min < 540.
  short: { dob: "1990-05-05", admitted: "2026-09-01", level: "IOP", days: { mon: 180, wed: 180, fri: 179 }, below: true },
  nine: { dob: "1990-05-05", admitted: "2026-09-01", level: "IOP", days: { mon: 180, wed: 180, fri: 180 }, below: false },
  // PHP: Mon–Thu 300 (5 h, PHP days) + Fri 270 (4 h 30 min, not a PHP day) = 1470 ≥ 1200.
  php: { dob: "1990-05-05", admitted: "2026-09-01", level: "PHP", days: { mon: 300, tue: 300, wed: 300, thu: 300, fri: 270 }, below: false },
  // Mon and Wed attended (360); Friday's session had no roll: roll missing, not possible → 360 < 540.
  noRoll: { dob: "1990-05-05", admitted: "2026-09-01", level: "IOP", days: { mon: 180, wed: 180 }, unmarked: { fri: 180 }, below: true },
} as const;
type Key = keyof typeof CASES;

describe.each(dialects)("the live flag and the report agree on %s", (dialect) => {
  let t: TestDatabase;
  let site: { id: string; time_zone: string };
  let admin: { id: string; name: string };
  const patient = {} as Record<Key, string>;
  const track = {} as Record<Key, string>;
  const sessions: string[] = [];

  /** A one-off group session at 09:00 local (14:00Z in EST) of `minutes`, with one patient on its roster. */
  async function session(date: string, minutes: number, patientId: string, title: string) {
    const id = newId();
    const startsAt = `${date}T14:00:00.000Z`;
    const endsAt = new Date(Date.parse(startsAt) + minutes * 60_000).toISOString();
    await t.db
      .insertInto("sessions")
      .values({
        id,
        site_id: site.id,
        kind: "group",
        group_kind: "skills",
        title,
        facilitator_id: admin.id,
        modality: "in_person",
        capacity: 12,
        local_date: date,
        starts_at: startsAt,
        ends_at: endsAt,
        status: "scheduled",
        cancel_reason: null,
        created_at: "2026-10-01T12:00:00.000Z",
        updated_at: "2026-10-01T12:00:00.000Z",
      })
      .execute();
    await t.db
      .insertInto("session_participants")
      .values({ id: newId(), session_id: id, patient_id: patientId, source: "added", joined_at: "2026-10-01T12:00:00.000Z", left_at: null, left_reason: null })
      .execute();
    sessions.push(id);
    return { id, endsAt };
  }

  beforeAll(async () => {
    t = await createTestDatabase(dialect);
    const clinic = await seed(t.db);
    site = { id: clinic.siteId, time_zone: TZ };
    await t.db.updateTable("sites").set({ time_zone: TZ }).where("id", "=", site.id).execute();
    admin = { id: clinic.users["dana.whitfield"].id, name: "Dana Whitfield" };
    const counselor = { id: clinic.users["priya.raman"].id, name: "Priya Raman" };
    for (const [key, c] of Object.entries(CASES) as [Key, (typeof CASES)[Key]][]) {
      const tr = await createTrack(
        t.db,
        admin,
        site,
        // Each track fits its level's weekly band (IOP 9 h; PHP 25 h), so enrolling needs no confirmation.
        c.level === "PHP"
          ? { name: `Track ${key}`, levelOfCare: c.level, days: ["mon", "tue", "wed", "thu", "fri"], startTime: "09:00", endTime: "14:00" }
          : { name: `Track ${key}`, levelOfCare: c.level, days: ["mon", "wed", "fri"], startTime: "09:00", endTime: "12:00" },
        meta,
      );
      if (!tr.ok) throw new Error(JSON.stringify(tr));
      track[key] = tr.id;
      const e = await enroll(t.db, counselor, site.id, {
        legalFirstName: key,
        legalLastName: "Agree",
        dateOfBirth: c.dob,
        admittedOn: c.admitted,
        levelOfCare: c.level,
        trackId: tr.id,
      });
      patient[key] = e.id;
      if ("stepDownWed" in c) {
        const r = await changeLevelOfCare(
          t.db,
          counselor,
          e.id,
          { version: await version(t.db, e.id), levelOfCare: "OP", effectiveOn: DAY.wed, reason: "Step-down" },
          [site.id],
          meta,
        );
        if (!r.ok) throw new Error(JSON.stringify(r));
      }
      for (const [day, minutes] of Object.entries(c.days) as [Day, number][]) {
        const s = await session(DAY[day], minutes, e.id, `Group ${key} ${day}`);
        const roll = await getRollCall(t.db, s.id, site.id);
        const saved = await saveRollCall(
          t.db,
          admin,
          s.id,
          { version: roll!.session.rollVersion, marks: [{ patientId: e.id, status: "present", mode: "in_person" } satisfies MarkInput] },
          site,
          meta,
          new Date(s.endsAt),
        );
        if (!saved.ok) throw new Error(JSON.stringify(saved));
      }
      if ("unmarked" in c)
        for (const [day, minutes] of Object.entries(c.unmarked) as [Day, number][]) await session(DAY[day], minutes, e.id, `Group ${key} ${day}`);
    }
  });
  afterAll(() => t?.destroy());

  it("judges every case the same way live (Sunday night) and in the report (the week over)", async () => {
    const keys = Object.keys(CASES) as Key[];
    const live = await attendanceFlags(
      t.db,
      keys.map((k) => patient[k]),
      TZ,
      SUNDAY_NIGHT,
    );
    const judged: Record<string, { live: boolean; report: boolean; expected: boolean }> = {};
    for (const k of keys) {
      const r = await requiredHours.compute(t.db, {
        siteId: site.id,
        timeZone: TZ,
        from: MONDAY,
        to: "2026-12-13",
        trackId: track[k],
        counselorId: null,
        today: "2026-12-14",
      });
      expect(r.rows, k).toHaveLength(1);
      judged[k] = { live: live.get(patient[k])!.belowRequired, report: r.rows[0].below === 1, expected: CASES[k].below };
    }
    for (const k of keys) expect(judged[k], k).toEqual({ live: CASES[k].below, report: CASES[k].below, expected: CASES[k].below });
  });

  it("shows the figures each judgement rests on", async () => {
    const live = await attendanceFlags(t.db, [patient.teen, patient.thu, patient.step, patient.short, patient.noRoll, patient.php], TZ, SUNDAY_NIGHT);
    expect(live.get(patient.teen)).toMatchObject({
      attendedMinutes: 360,
      requiredMinutes: 360,
      requirementLabel: "6–19 hours a week",
      partialNote: null,
      ageNote: "Hours band by age on the week's Monday: 17, adolescent (ASAM IOP 6–19 h a week)",
    });
    expect(live.get(patient.thu)).toMatchObject({
      attendedMinutes: 309,
      requiredMinutes: 309,
      partialNote: "Partial week: admitted Thu — required hours prorated to 5 h 9 min",
    });
    expect(live.get(patient.step)).toMatchObject({
      attendedMinutes: 360,
      requiredMinutes: 155,
      requirementLabel: "Under 9 hours a week",
      partialNote: "Partial week: IOP → OP from Wed — required hours prorated to 2 h 35 min",
    });
    expect(live.get(patient.short)).toMatchObject({ attendedMinutes: 539, requiredMinutes: 540, belowRequired: true });
    expect(live.get(patient.php)).toMatchObject({ attendedMinutes: 1470, requiredMinutes: 1200, belowRequired: false });
    expect(live.get(patient.noRoll)).toMatchObject({
      attendedMinutes: 360,
      remainingMinutes: 0,
      rollMissingMinutes: 180,
      rollMissing: [{ date: DAY.fri, title: "Group noRoll fri", minutes: 180 }],
      belowRequired: true,
    });
    // On Friday itself the unmarked session is still possible: 360 + 180 = 540, not below yet.
    const friday = await attendanceFlags(t.db, [patient.noRoll], TZ, new Date("2026-12-11T20:00:00.000Z"));
    expect(friday.get(patient.noRoll)).toMatchObject({ remainingMinutes: 180, rollMissingMinutes: 0, belowRequired: false });
  });

  it("lists the session whose roll is missing for Home, from the day after", async () => {
    const sunday = await missingRolls(t.db, site.id, TZ, SUNDAY_NIGHT);
    expect(sunday.sessions.map((s) => [s.title, s.date, s.unmarked])).toEqual([["Group noRoll fri", DAY.fri, 1]]);
    expect((await missingRolls(t.db, site.id, TZ, new Date("2026-12-11T20:00:00.000Z"))).total).toBe(0);
  });

  it("counts billable days by each level's rule, the same in the chart and the billing report", async () => {
    // PHP: Mon–Thu 300 each are S0201 days; Friday's 270 (4 h 30 min) is not.
    const php = await attendanceHistory(t.db, patient.php, "2026-12-01");
    expect(php.totalBillable).toEqual({ H0015: 0, S0201: 4, total: 4 });
    expect(php.weeks[0]).toMatchObject({ monday: MONDAY, attendedMinutes: 1470, levels: ["PHP"] });
    // Step-down: Monday's 180 at IOP is an H0015 day; Friday's 180 at OP is not (OP bills per service).
    const step = await attendanceHistory(t.db, patient.step, "2026-12-01");
    expect(step.totalBillable).toEqual({ H0015: 1, S0201: 0, total: 1 });
    expect(step.weeks[0].levels.sort()).toEqual(["IOP", "OP"]);
    const params = { siteId: site.id, timeZone: TZ, from: MONDAY, to: "2026-12-13", counselorId: null, today: "2026-12-14" };
    const phpReport = await billableDays.compute(t.db, { ...params, trackId: track.php });
    expect(phpReport.rows).toEqual([
      { week: MONDAY, H0015: 0, S0201: 4, commercial: 0, medicaid: 4, medicare: 0, self_pay: 0, other: 0, total: 4, documented: 0, undocumented: 24.5 },
    ]);
    const stepReport = await billableDays.compute(t.db, { ...params, trackId: track.step });
    expect(stepReport.rows).toEqual([
      { week: MONDAY, H0015: 1, S0201: 0, commercial: 0, medicaid: 1, medicare: 0, self_pay: 0, other: 0, total: 1, documented: 0, undocumented: 6 },
    ]);
  });
});

/**
 * Track membership and rosters on real databases: who is on which session after intake, a new
 * group, a track move, a discharge, a roster change by hand, a series edit and the daily extension.
 *
 * Two worlds per dialect:
 * - "the clinic today" follows the real clock, because intake, discharge and a new series enroll
 *   from the moment they run; every date there is counted from today, in the site's zone.
 * - "editing a series" passes a fixed `now` to updateSeries and extendSchedules, so its dates are fixed.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyAuditChain } from "~/features/audit/audit.server";
import { dischargePatient } from "~/features/patients/patients.server";
import { bookAppointment } from "~/features/scheduling/appointments.server";
import { addToRoster, assignTrack, removeFromRoster, roster } from "~/features/scheduling/enrollment.server";
import {
  cancelSession,
  createSeries,
  extendSchedules,
  getSeries,
  moveSession,
  type SeriesInput,
  type SeriesUpdate,
  updateSeries,
} from "~/features/scheduling/groups.server";
import { createRoom, createTrack } from "~/features/scheduling/program.server";
import { addDays, weekdayOf, weekStart, type Weekday, zonedInstant, todayIn } from "~/kernel/time";
import { createTestDatabase, dialects, type TestDatabase } from "../support/databases";
import { meta, seed } from "../support/demo";
import { dischargeInput, enroll, version } from "./patients-support";

const TZ = "America/New_York";
type Actor = { id: string; name: string };

/** "Mon, Nov 30, 2026": how the app names a date in a message. */
const named = (date: string) =>
  new Intl.DateTimeFormat("en-US", { timeZone: "UTC", weekday: "short", month: "short", day: "numeric", year: "numeric" }).format(
    new Date(`${date}T12:00:00Z`),
  );

async function sessionsOf(t: TestDatabase, seriesId: string) {
  return t.db
    .selectFrom("sessions")
    .select(["id", "local_date", "starts_at", "ends_at", "status", "title", "capacity", "cancel_reason"])
    .where("series_id", "=", seriesId)
    .orderBy("starts_at")
    .execute();
}

/** Active roster rows of a patient, by session id. */
async function onRosters(t: TestDatabase, patientId: string) {
  const rows = await t.db.selectFrom("session_participants").select("session_id").where("patient_id", "=", patientId).where("left_at", "is", null).execute();
  return new Set(rows.map((r) => r.session_id));
}

async function rosterNames(t: TestDatabase, sessionId: string) {
  return (await roster(t.db, sessionId)).current.map((r) => r.name);
}

async function auditRows(t: TestDatabase, action: string, entityId?: string) {
  let q = t.db.selectFrom("audit_events").select(["action", "entity_id", "patient_id", "changes"]).where("action", "=", action);
  if (entityId) q = q.where("entity_id", "=", entityId);
  return (await q.orderBy("seq").execute()).map((r) => ({ ...r, changes: r.changes ? JSON.parse(r.changes) : null }));
}

/** The first date on or after `from` that falls on one of `days` and whose `time` is still ahead. */
function firstAhead(from: string, days: Weekday[], time: string): string {
  const now = new Date().toISOString();
  for (let d = from; ; d = addDays(d, 1)) if (days.includes(weekdayOf(d)) && zonedInstant(d, time, TZ) >= now) return d;
}

describe.each(dialects)("the clinic today: track enrollment on %s", (dialect) => {
  let t: TestDatabase;
  let site: { id: string; time_zone: string };
  let siteIds: string[];
  let admin: Actor;
  let counselor: Actor;
  let marcus: string;
  let priya: string;
  let elena: string;
  const tracks: Record<string, string> = {};
  const rooms: Record<string, string> = {};
  const series: Record<string, string> = {};
  const patients: Record<string, string> = {};

  // Every date here counts from today in the site's zone: two weeks of past sessions, eight ahead.
  const today = todayIn(TZ);
  const monday = weekStart(today);
  const seriesStart = addDays(monday, -14);
  const nextMon = addDays(monday, 7);
  const nextTue = addDays(monday, 8);
  const nextWed = addDays(monday, 9);
  const nextThu = addDays(monday, 10);

  const group = (over: Partial<SeriesInput> & Pick<SeriesInput, "title" | "facilitatorId" | "days" | "startTime" | "endTime">): SeriesInput => ({
    kind: "process",
    modality: "in_person",
    capacity: 12,
    startsOn: seriesStart,
    ...over,
  });
  const addSeries = async (name: string, input: SeriesInput) => {
    const r = await createSeries(t.db, admin, site, input, meta, { today });
    if (!r.ok) throw new Error(`series ${name} refused: ${JSON.stringify(r)}`);
    series[name] = r.id;
    return r;
  };
  const admit = async (first: string, last: string, trackId?: string) => {
    const p = await enroll(t.db, counselor, site.id, { legalFirstName: first, legalLastName: last, trackId, admittedOn: addDays(today, -7) });
    patients[first] = p.id;
    return p.id;
  };

  beforeAll(async () => {
    t = await createTestDatabase(dialect);
    const clinic = await seed(t.db);
    site = { id: clinic.siteId, time_zone: TZ };
    siteIds = [site.id];
    admin = { id: clinic.users["dana.whitfield"].id, name: "Dana Whitfield" };
    counselor = { id: clinic.users["marcus.bell"].id, name: "Marcus Bell" };
    marcus = clinic.users["marcus.bell"].id;
    priya = clinic.users["priya.raman"].id;
    elena = clinic.users["elena.ortiz"].id;
    for (const [name, days, startTime, endTime] of [
      ["Morning IOP", ["mon", "wed", "fri"], "09:00", "12:00"],
      ["Evening IOP", ["mon", "tue", "wed", "thu"], "18:00", "21:00"],
      ["Weekend IOP", ["sat", "sun"], "09:00", "13:30"],
    ] as const) {
      const r = await createTrack(t.db, admin, site, { name, levelOfCare: "IOP", days: [...days], startTime, endTime }, meta);
      if (!r.ok) throw new Error("track refused");
      tracks[name] = r.id;
    }
    for (const [name, capacity] of [
      ["Group Room A", 14],
      ["Group Room B", 10],
      ["Counseling Office 1", 3],
    ] as const) {
      const r = await createRoom(t.db, admin, site.id, { name, capacity }, meta);
      if (!r.ok) throw new Error("room refused");
      rooms[name] = r.id;
    }
    await addSeries(
      "mpg",
      group({
        title: "Morning Process Group",
        trackId: tracks["Morning IOP"],
        facilitatorId: marcus,
        roomId: rooms["Group Room A"],
        days: ["mon", "wed", "fri"],
        startTime: "09:00",
        endTime: "10:30",
      }),
    );
    await addSeries(
      "rp",
      group({
        title: "Relapse Prevention",
        kind: "relapse_prevention",
        trackId: tracks["Morning IOP"],
        facilitatorId: priya,
        roomId: rooms["Group Room A"],
        days: ["mon", "wed", "fri"],
        startTime: "10:30",
        endTime: "12:00",
      }),
    );
    await addSeries(
      "epg",
      group({
        title: "Evening Process Group",
        trackId: tracks["Evening IOP"],
        facilitatorId: marcus,
        roomId: rooms["Group Room A"],
        days: ["mon", "tue", "wed", "thu"],
        startTime: "18:00",
        endTime: "19:30",
      }),
    );
    await addSeries(
      "wkd",
      group({
        title: "Weekend Psychoeducation",
        kind: "psychoeducation",
        trackId: tracks["Weekend IOP"],
        facilitatorId: elena,
        roomId: rooms["Group Room B"],
        capacity: 10,
        days: ["sat", "sun"],
        startTime: "09:00",
        endTime: "11:00",
      }),
    );
  });
  afterAll(() => t?.destroy());

  it("puts a patient admitted into a track on every future session of its groups, and on no past one", async () => {
    const before = new Date().toISOString();
    const alice = await admit("Alice", "Archer", tracks["Morning IOP"]);
    const morning = [...(await sessionsOf(t, series.mpg)), ...(await sessionsOf(t, series.rp))];
    const future = morning.filter((s) => s.starts_at >= before);
    const past = morning.filter((s) => s.starts_at < before);
    expect(past.length).toBeGreaterThanOrEqual(6); // two full weeks already held
    expect(future.length).toBeGreaterThanOrEqual(2 * 3 * 7);

    const mine = await onRosters(t, alice);
    expect([...mine].sort()).toEqual(future.map((s) => s.id).sort());
    for (const s of past) expect(mine.has(s.id)).toBe(false);
    // Not the other tracks' groups.
    for (const s of [...(await sessionsOf(t, series.epg)), ...(await sessionsOf(t, series.wkd))]) expect(mine.has(s.id)).toBe(false);

    const first = (await roster(t.db, future[0].id)).current;
    expect(first).toMatchObject([{ name: "Archer, Alice", source: "track", left_at: null }]);
    const membership = await t.db.selectFrom("patient_tracks").select(["track_id", "starts_on", "ends_on"]).where("patient_id", "=", alice).execute();
    expect(membership).toEqual([{ track_id: tracks["Morning IOP"], starts_on: addDays(today, -7), ends_on: null }]);
  });

  it("enrolls the track's open patients, not its discharged ones, in a new group's future sessions", async () => {
    await admit("Bob", "Baker", tracks["Morning IOP"]);
    const carol = await admit("Carol", "Chen", tracks["Morning IOP"]);
    const discharged = await dischargePatient(
      t.db,
      counselor,
      carol,
      dischargeInput(await version(t.db, carol), { dischargedOn: today, followUpOn: addDays(today, 7) }),
      siteIds,
      meta,
    );
    expect(discharged).toMatchObject({ ok: true });

    const before = new Date().toISOString();
    const r = await addSeries(
      "mat",
      group({
        title: "MAT Education",
        kind: "mat_education",
        trackId: tracks["Morning IOP"],
        facilitatorId: elena,
        roomId: rooms["Group Room B"],
        capacity: 10,
        days: ["mon", "wed", "fri"],
        startTime: "12:30",
        endTime: "13:30",
      }),
    );
    expect(r).toMatchObject({ ok: true, enrolled: 2 });
    const all = await sessionsOf(t, series.mat);
    const future = all.filter((s) => s.starts_at >= before);
    expect(future.length).toBeGreaterThan(0);
    expect(all.length).toBeGreaterThan(future.length);
    for (const s of all) {
      expect(await rosterNames(t, s.id)).toEqual(s.starts_at >= before ? ["Archer, Alice", "Baker, Bob"] : []);
    }
    const carolRows = await t.db
      .selectFrom("session_participants")
      .select("id")
      .where("patient_id", "=", carol)
      .where(
        "session_id",
        "in",
        all.map((s) => s.id),
      )
      .execute();
    expect(carolRows).toEqual([]);
  });

  it("leaves every roster empty when automatic enrollment is off", async () => {
    const r = await addSeries(
      "mindful",
      group({
        title: "Morning Mindfulness",
        kind: "coping_skills",
        trackId: tracks["Morning IOP"],
        facilitatorId: elena,
        roomId: rooms["Group Room B"],
        capacity: 10,
        days: ["mon", "wed", "fri"],
        startTime: "13:30",
        endTime: "14:30",
        autoEnroll: false,
      }),
    );
    expect(r).toMatchObject({ ok: true, enrolled: 0 });
    const ids = (await sessionsOf(t, series.mindful)).map((s) => s.id);
    expect(ids.length).toBeGreaterThan(0);
    expect(await t.db.selectFrom("session_participants").select("id").where("session_id", "in", ids).execute()).toEqual([]);
    expect((await getSeries(t.db, series.mindful, site.id))?.autoEnroll).toBe(false);
  });

  it("refuses a group too small for its track, naming the first session that would overflow, and writes nothing", async () => {
    const first = firstAhead(today, ["mon", "wed", "fri"], "14:30");
    const r = await createSeries(
      t.db,
      admin,
      site,
      group({
        title: "Morning Check-in",
        trackId: tracks["Morning IOP"],
        facilitatorId: priya,
        modality: "telehealth",
        capacity: 1,
        days: ["mon", "wed", "fri"],
        startTime: "14:30",
        endTime: "15:00",
      }),
      meta,
      { today },
    );
    expect(r).toEqual({
      ok: false,
      status: 409,
      formError: `Morning Check-in on ${named(first)}, 2:30–3:00 PM would have 2 patients; it holds 1. Change the time or the capacity, or turn off automatic enrollment and build the roster by hand.`,
    });
    expect(await t.db.selectFrom("group_series").select("id").where("title", "=", "Morning Check-in").execute()).toEqual([]);
    expect(await t.db.selectFrom("sessions").select("id").where("title", "=", "Morning Check-in").execute()).toEqual([]);
  });

  it("moves a patient to another track from a date: leaves the old groups from then on (rows kept), joins the new ones, dates the history", async () => {
    const dave = await admit("Dave", "Dunn", tracks["Morning IOP"]);
    const v = await version(t.db, dave);
    const morningIds = new Set([series.mpg, series.rp, series.mat]);
    const morning = await t.db
      .selectFrom("sessions")
      .select(["id", "series_id", "local_date", "starts_at"])
      .where("series_id", "in", [...morningIds])
      .orderBy("starts_at")
      .execute();
    const onBefore = await onRosters(t, dave);
    const rowsBefore = await t.db.selectFrom("session_participants").select("id").where("patient_id", "=", dave).execute();
    const now = new Date();

    const r = await assignTrack(t.db, counselor, dave, { trackId: tracks["Evening IOP"], effectiveOn: nextMon, version: v }, siteIds, meta, now);
    expect(r.ok).toBe(true);
    if (!r.ok) return;

    // The morning sessions from the move on are left, with when and why; the rows stay.
    const rows = await t.db
      .selectFrom("session_participants as sp")
      .innerJoin("sessions as s", "s.id", "sp.session_id")
      .select(["s.id", "s.series_id", "s.local_date", "sp.left_at", "sp.left_reason"])
      .where("sp.patient_id", "=", dave)
      .orderBy("s.starts_at")
      .execute();
    const leftIds = morning.filter((s) => onBefore.has(s.id) && s.local_date >= nextMon).map((s) => s.id);
    const stayIds = morning.filter((s) => onBefore.has(s.id) && s.local_date < nextMon).map((s) => s.id);
    expect(leftIds.length).toBeGreaterThanOrEqual(3 * 3 * 6);
    for (const id of leftIds) expect(rows.find((x) => x.id === id)).toMatchObject({ left_at: now.toISOString(), left_reason: "Moved to Evening IOP" });
    for (const id of stayIds) expect(rows.find((x) => x.id === id)).toMatchObject({ left_at: null, left_reason: null });
    expect(r.left).toHaveLength(leftIds.length);
    expect(r.left[0]).toBe(`Morning Process Group on ${named(nextMon)}, 9:00–10:30 AM`);
    expect(r.left[1]).toBe(`Relapse Prevention on ${named(nextMon)}, 10:30 AM–12:00 PM`);
    expect(r.left[2]).toBe(`MAT Education on ${named(nextMon)}, 12:30–1:30 PM`);

    // The evening sessions from that date on, and none before it.
    const evening = await sessionsOf(t, series.epg);
    const joining = evening.filter((s) => s.local_date >= nextMon).map((s) => s.id);
    const onAfter = await onRosters(t, dave);
    expect(evening.filter((s) => onAfter.has(s.id)).map((s) => s.id)).toEqual(joining);
    expect(r.joined).toBe(joining.length);
    expect(rowsBefore.length + joining.length).toBe(rows.length);

    // History: the old membership ends the day before; the new one starts on the date.
    const history = await t.db
      .selectFrom("patient_tracks")
      .select(["track_id", "starts_on", "ends_on", "end_reason"])
      .where("patient_id", "=", dave)
      .orderBy("starts_on")
      .execute();
    expect(history).toEqual([
      { track_id: tracks["Morning IOP"], starts_on: addDays(today, -7), ends_on: addDays(nextMon, -1), end_reason: "Moved to Evening IOP" },
      { track_id: tracks["Evening IOP"], starts_on: nextMon, ends_on: null, end_reason: null },
    ]);
    const p = await t.db.selectFrom("patients").select(["track_id", "version"]).where("id", "=", dave).executeTakeFirstOrThrow();
    expect({ track: p.track_id, version: Number(p.version) }).toEqual({ track: tracks["Evening IOP"], version: v + 1 });
    const [audit] = await auditRows(t, "patient.track_changed", dave);
    expect(audit.changes).toEqual({
      before: { track: "Morning IOP" },
      after: { track: "Evening IOP", effectiveOn: nextMon },
      detail: { sessionsLeft: r.left, sessionsJoined: joining.length },
    });

    // A second move on the same date corrects that membership instead of adding a one-day-less one.
    const fix = await assignTrack(t.db, counselor, dave, { trackId: tracks["Weekend IOP"], effectiveOn: nextMon, version: v + 1 }, siteIds, meta);
    expect(fix).toMatchObject({ ok: true });
    const corrected = await t.db
      .selectFrom("patient_tracks")
      .select(["track_id", "starts_on", "ends_on", "end_reason"])
      .where("patient_id", "=", dave)
      .orderBy("starts_on")
      .execute();
    expect(corrected).toEqual([
      { track_id: tracks["Morning IOP"], starts_on: addDays(today, -7), ends_on: addDays(nextMon, -1), end_reason: "Moved to Weekend IOP" },
      { track_id: tracks["Weekend IOP"], starts_on: nextMon, ends_on: null, end_reason: null },
    ]);
    const onWeekend = await onRosters(t, dave);
    for (const id of joining) expect(onWeekend.has(id)).toBe(false);
    const weekend = await sessionsOf(t, series.wkd);
    expect(weekend.filter((s) => onWeekend.has(s.id)).map((s) => s.id)).toEqual(weekend.filter((s) => s.local_date >= nextMon).map((s) => s.id));

    // A move from a stale page is refused.
    expect(
      await assignTrack(t.db, counselor, dave, { trackId: tracks["Morning IOP"], effectiveOn: addDays(nextMon, 7), version: v }, siteIds, meta),
    ).toMatchObject({ ok: false, status: 409 });
  });

  it("refuses a move that would double-book the patient, naming the session, and changes nothing", async () => {
    const erin = await admit("Erin", "Ellis", tracks["Morning IOP"]);
    const booked = await bookAppointment(
      t.db,
      counselor,
      {
        patientId: erin,
        kind: "individual",
        approach: "cbt",
        familyMembers: [],
        facilitatorId: priya,
        date: nextTue,
        startTime: "18:30",
        durationMinutes: 60,
        modality: "telehealth",
        weeks: 1,
      },
      site,
      meta,
    );
    expect(booked.ok).toBe(true);
    const v = await version(t.db, erin);
    const rowsBefore = await t.db.selectFrom("session_participants").selectAll().where("patient_id", "=", erin).orderBy("id").execute();

    const r = await assignTrack(t.db, counselor, erin, { trackId: tracks["Evening IOP"], effectiveOn: nextMon, version: v }, siteIds, meta);
    expect(r).toEqual({
      ok: false,
      status: 409,
      formError: `Erin Ellis is already booked for Individual session (CBT) on ${named(nextTue)}, 6:30–7:30 PM.`,
    });
    expect(await version(t.db, erin)).toBe(v);
    expect((await t.db.selectFrom("patients").select("track_id").where("id", "=", erin).executeTakeFirstOrThrow()).track_id).toBe(tracks["Morning IOP"]);
    expect(await t.db.selectFrom("patient_tracks").select(["track_id", "ends_on"]).where("patient_id", "=", erin).execute()).toEqual([
      { track_id: tracks["Morning IOP"], ends_on: null },
    ]);
    expect(await t.db.selectFrom("session_participants").selectAll().where("patient_id", "=", erin).orderBy("id").execute()).toEqual(rowsBefore);
    expect(await auditRows(t, "patient.track_changed", erin)).toEqual([]);
  });

  it("refuses to put a discharged patient in a track", async () => {
    const carol = patients.Carol;
    const r = await assignTrack(
      t.db,
      counselor,
      carol,
      { trackId: tracks["Evening IOP"], effectiveOn: today, version: await version(t.db, carol) },
      siteIds,
      meta,
    );
    expect(r).toEqual({ ok: false, status: 400, formError: "A discharged patient cannot join a track. Re-admit them first." });
    expect(await onRosters(t, carol)).toEqual(new Set());
  });

  it("at discharge ends the track, leaves every future session, cancels the patient's own, and lists them in the audit", async () => {
    const frank = await admit("Frank", "Foster", tracks["Morning IOP"]);
    // A group already held stays on record (as the demo's history does).
    const [held] = await t.db
      .selectFrom("sessions")
      .select(["id", "starts_at"])
      .where("series_id", "=", series.mpg)
      .where("local_date", "=", seriesStart)
      .execute();
    await t.db
      .insertInto("session_participants")
      .values({ id: `held-${frank}`, session_id: held.id, patient_id: frank, source: "track", joined_at: held.starts_at, left_at: null, left_reason: null })
      .execute();
    const weekly = await bookAppointment(
      t.db,
      counselor,
      {
        patientId: frank,
        kind: "individual",
        approach: "cbt",
        familyMembers: [],
        facilitatorId: priya,
        date: nextThu,
        startTime: "15:00",
        durationMinutes: 50,
        modality: "in_person",
        roomId: rooms["Counseling Office 1"],
        weeks: 3,
      },
      site,
      meta,
    );
    if (!weekly.ok) throw new Error(JSON.stringify(weekly));
    const before = new Date().toISOString();
    const futureRows = await t.db
      .selectFrom("session_participants as sp")
      .innerJoin("sessions as s", "s.id", "sp.session_id")
      .select("s.id")
      .where("sp.patient_id", "=", frank)
      .where("s.starts_at", ">=", before)
      .execute();
    expect(futureRows.length).toBeGreaterThan(3);

    const r = await dischargePatient(
      t.db,
      counselor,
      frank,
      dischargeInput(await version(t.db, frank), { dischargedOn: today, followUpOn: addDays(today, 7) }),
      siteIds,
      meta,
    );
    expect(r).toMatchObject({ ok: true });

    expect(await onRosters(t, frank)).toEqual(new Set([held.id]));
    const left = await t.db
      .selectFrom("session_participants")
      .select(["left_reason"])
      .where("patient_id", "=", frank)
      .where("left_at", "is not", null)
      .execute();
    expect(left).toHaveLength(futureRows.length);
    expect(new Set(left.map((l) => l.left_reason))).toEqual(new Set(["Discharged"]));
    const own = await t.db
      .selectFrom("sessions")
      .select(["local_date", "status", "cancel_reason"])
      .where("patient_id", "=", frank)
      .orderBy("starts_at")
      .execute();
    expect(own).toEqual([0, 7, 14].map((d) => ({ local_date: addDays(nextThu, d), status: "cancelled", cancel_reason: "Patient discharged" })));
    expect((await t.db.selectFrom("group_series").select("ends_on").where("id", "=", weekly.seriesId!).executeTakeFirstOrThrow()).ends_on).toBe(today);
    expect(await t.db.selectFrom("patient_tracks").select(["ends_on", "end_reason"]).where("patient_id", "=", frank).execute()).toEqual([
      { ends_on: today, end_reason: "Discharged" },
    ]);

    const [audit] = await auditRows(t, "patient.discharged", frank);
    const listed: string[] = audit.changes.detail.sessionsLeft;
    expect(listed).toHaveLength(futureRows.length);
    expect(listed).toContain(`Individual session (CBT) on ${named(nextThu)}, 3:00–3:50 PM`);
    expect(listed).toContain(`Individual session (CBT) on ${named(addDays(nextThu, 14))}, 3:00–3:50 PM`);
    expect(listed).toContain(`Morning Process Group on ${named(nextWed)}, 9:00–10:30 AM`);
    // The room is free again.
    const rebooked = await bookAppointment(
      t.db,
      counselor,
      {
        patientId: patients.Alice,
        kind: "individual",
        approach: "dbt",
        familyMembers: [],
        facilitatorId: priya,
        date: nextThu,
        startTime: "15:00",
        durationMinutes: 50,
        modality: "in_person",
        roomId: rooms["Counseling Office 1"],
        weeks: 1,
      },
      site,
      meta,
    );
    expect(rebooked.ok).toBe(true);
  });

  it("adds a patient to a group by hand, refusing a full group and a double-booking with the session named", async () => {
    const small = await addSeries(
      "small",
      group({
        title: "Small Group",
        facilitatorId: marcus,
        modality: "telehealth",
        capacity: 2,
        days: [weekdayOf(nextWed)],
        startTime: "14:00",
        endTime: "15:00",
        startsOn: nextWed,
        endsOn: nextWed,
      }),
    );
    expect(small).toMatchObject({ ok: true, sessions: 1, enrolled: 0 });
    const [s] = await sessionsOf(t, series.small);
    const grace = await admit("Grace", "Green");
    const now = new Date();
    expect(await addToRoster(t.db, counselor, s.id, patients.Alice, site, meta, now)).toEqual({ ok: true });
    expect(await addToRoster(t.db, counselor, s.id, patients.Bob, site, meta, now)).toEqual({ ok: true });
    expect(await addToRoster(t.db, counselor, s.id, grace, site, meta, now)).toEqual({
      ok: false,
      status: 409,
      formError: `Small Group on ${named(nextWed)}, 2:00–3:00 PM would have 3 patients; it holds 2.`,
    });
    expect(await rosterNames(t, s.id)).toEqual(["Archer, Alice", "Baker, Bob"]);

    // Taking one off frees the place, and the row stays with the reason.
    expect(await removeFromRoster(t.db, counselor, s.id, patients.Bob, "Medical appointment", site, meta)).toEqual({ ok: true });
    expect(await addToRoster(t.db, counselor, s.id, grace, site, meta, now)).toEqual({ ok: true });
    const after = await roster(t.db, s.id);
    expect(after.current.map((r) => r.name)).toEqual(["Archer, Alice", "Green, Grace"]);
    expect(after.left).toMatchObject([{ name: "Baker, Bob", left_reason: "Medical appointment" }]);
    expect((await auditRows(t, "session.patient_added", s.id)).map((a) => a.patient_id)).toEqual([patients.Alice, patients.Bob, grace]);

    // Alice is in her morning groups at 09:00 and 10:30 on Wednesdays.
    await addSeries(
      "anger",
      group({
        title: "Anger Management",
        facilitatorId: elena,
        modality: "telehealth",
        capacity: 8,
        days: [weekdayOf(nextWed)],
        startTime: "10:00",
        endTime: "11:00",
        startsOn: nextWed,
        endsOn: nextWed,
      }),
    );
    const [anger] = await sessionsOf(t, series.anger);
    expect(await addToRoster(t.db, counselor, anger.id, patients.Alice, site, meta, now)).toEqual({
      ok: false,
      status: 409,
      formError: `Alice Archer is already booked for Morning Process Group on ${named(nextWed)}, 9:00–10:30 AM.`,
    });
    expect(await rosterNames(t, anger.id)).toEqual([]);
    expect(await addToRoster(t.db, counselor, anger.id, patients.Carol, site, meta, now)).toMatchObject({
      ok: false,
      status: 400,
      fieldErrors: { patientId: ["Carol Chen is discharged and cannot be added."] },
    });
  });

  it("refuses to move a group onto a time a patient on its roster is booked elsewhere", async () => {
    const [s] = await sessionsOf(t, series.small);
    const booked = await bookAppointment(
      t.db,
      counselor,
      {
        patientId: patients.Alice,
        kind: "individual",
        approach: "cbt",
        familyMembers: [],
        facilitatorId: elena,
        date: nextThu,
        startTime: "16:00",
        durationMinutes: 60,
        modality: "telehealth",
        weeks: 1,
      },
      site,
      meta,
    );
    expect(booked.ok).toBe(true);
    const v = Number((await t.db.selectFrom("sessions").select("version").where("id", "=", s.id).executeTakeFirstOrThrow()).version);
    expect(await moveSession(t.db, admin, s.id, { version: v, date: nextThu, startTime: "16:30", endTime: "17:30" }, site, meta)).toEqual({
      ok: false,
      status: 409,
      formError: `Alice Archer is already booked for Individual session (CBT) on ${named(nextThu)}, 4:00–5:00 PM.`,
    });
    expect(await moveSession(t.db, admin, s.id, { version: v, date: nextThu, startTime: "17:00", endTime: "18:00" }, site, meta)).toEqual({ ok: true });
    expect((await verifyAuditChain(t.db)).ok).toBe(true);
  });
});

describe.each(dialects)("editing and extending a series on %s", (dialect) => {
  let t: TestDatabase;
  let site: { id: string; time_zone: string };
  let admin: Actor;
  let counselor: Actor;
  let elena: string;
  let priya: string;
  let marcus: string;
  let track: string;
  let roomB: string;
  let skills: string;
  let thursday: string;
  let checkIn: string;
  // Sunday, Dec 6, 2026, noon in New York: Nov 30 and Dec 2 are held, Dec 7 on is ahead.
  const NOW = new Date("2026-12-06T17:00:00.000Z");

  const skillsInput = (): SeriesInput => ({
    title: "Afternoon Skills",
    kind: "coping_skills",
    trackId: track,
    facilitatorId: elena,
    roomId: roomB,
    modality: "in_person",
    capacity: 10,
    days: ["mon", "wed"],
    startTime: "13:00",
    endTime: "14:30",
    startsOn: "2026-11-30",
  });
  const edit = (over: Partial<SeriesUpdate>, base: SeriesInput = skillsInput()): SeriesUpdate => {
    const { startsOn: _, ...rest } = base;
    return { ...rest, autoEnroll: true, version: 1, ...over };
  };

  beforeAll(async () => {
    t = await createTestDatabase(dialect);
    const clinic = await seed(t.db);
    site = { id: clinic.siteId, time_zone: TZ };
    admin = { id: clinic.users["dana.whitfield"].id, name: "Dana Whitfield" };
    counselor = { id: clinic.users["priya.raman"].id, name: "Priya Raman" };
    elena = clinic.users["elena.ortiz"].id;
    priya = clinic.users["priya.raman"].id;
    marcus = clinic.users["marcus.bell"].id;
    const tr = await createTrack(
      t.db,
      admin,
      site,
      { name: "Afternoon IOP", levelOfCare: "IOP", days: ["mon", "tue", "wed", "thu", "fri"], startTime: "13:00", endTime: "16:00" },
      meta,
    );
    const room = await createRoom(t.db, admin, site.id, { name: "Group Room B", capacity: 10 }, meta);
    if (!tr.ok || !room.ok) throw new Error("setup failed");
    track = tr.id;
    roomB = room.id;
    // Mondays and Wednesdays from Nov 30 through Dec 28 (four weeks ahead of Nov 30).
    const a = await createSeries(t.db, admin, site, skillsInput(), meta, { today: "2026-11-30", horizonWeeks: 4 });
    // Written only for its first two weeks, so the daily extension has catching up to do.
    const b = await createSeries(
      t.db,
      admin,
      site,
      {
        ...skillsInput(),
        title: "Thursday Process",
        kind: "process",
        facilitatorId: marcus,
        modality: "telehealth",
        roomId: undefined,
        days: ["thu"],
        startTime: "15:00",
        endTime: "16:00",
        startsOn: "2026-11-05",
      },
      meta,
      { today: "2026-11-05", horizonWeeks: 1 },
    );
    // No track: Fridays Dec 4 through Jan 1.
    const c = await createSeries(
      t.db,
      admin,
      site,
      {
        ...skillsInput(),
        title: "Afternoon Check-in",
        kind: "other",
        trackId: undefined,
        facilitatorId: priya,
        modality: "telehealth",
        roomId: undefined,
        capacity: 8,
        days: ["fri"],
        startTime: "16:00",
        endTime: "17:00",
        startsOn: "2026-12-04",
      },
      meta,
      { today: "2026-12-04", horizonWeeks: 4 },
    );
    if (!a.ok || !b.ok || !c.ok) throw new Error(`setup failed: ${JSON.stringify([a, b, c])}`);
    expect([a.sessions, b.sessions, c.sessions]).toEqual([9, 2, 5]);
    skills = a.id;
    thursday = b.id;
    checkIn = c.id;
    await enroll(t.db, counselor, site.id, { legalFirstName: "Gina", legalLastName: "Green", trackId: track, admittedOn: "2026-11-20" });
    await enroll(t.db, counselor, site.id, { legalFirstName: "Hank", legalLastName: "Hill", trackId: track, admittedOn: "2026-11-20" });
  });
  afterAll(() => t?.destroy());

  it("refuses the second of two overlapping edits of one series with 409, keeping the first", async () => {
    const base = {
      ...skillsInput(),
      title: "Afternoon Check-in",
      kind: "other" as const,
      trackId: undefined,
      facilitatorId: priya,
      modality: "telehealth" as const,
      roomId: undefined,
      capacity: 8,
      days: ["fri" as const],
      startTime: "16:00",
      endTime: "17:00",
    };
    const results = await Promise.all([
      updateSeries(t.db, admin, checkIn, edit({ title: "Friday Check-in" }, base), site, meta, { now: NOW, horizonWeeks: 4 }),
      updateSeries(t.db, counselor, checkIn, edit({ title: "Weekly Check-in" }, base), site, meta, { now: NOW, horizonWeeks: 4 }),
    ]);
    const won = results.filter((r) => r.ok);
    const lost = results.filter((r) => !r.ok);
    expect(won).toHaveLength(1);
    expect(lost).toEqual([
      {
        ok: false,
        status: 409,
        formError: "Someone else changed this group while you were working. Your changes were not saved: reload the page to see theirs, then make yours again.",
      },
    ]);
    const winner = results[0].ok ? "Friday Check-in" : "Weekly Check-in";
    const g = await getSeries(t.db, checkIn, site.id);
    expect({ title: g?.title, version: g?.version }).toEqual({ title: winner, version: 2 });
    // Only sessions still ahead take the new title.
    const sessions = await sessionsOf(t, checkIn);
    expect(sessions.map((s) => [s.local_date, s.title])).toEqual([
      ["2026-12-04", "Afternoon Check-in"],
      ["2026-12-11", winner],
      ["2026-12-18", winner],
      ["2026-12-25", winner],
      ["2027-01-01", winner],
    ]);
    expect(await auditRows(t, "group_series.updated", checkIn)).toHaveLength(1);

    // An edit made from the page as it was before is refused the same way.
    expect(await updateSeries(t.db, admin, checkIn, edit({ title: "Stale" }, base), site, meta, { now: NOW })).toMatchObject({ ok: false, status: 409 });
    expect((await getSeries(t.db, checkIn, site.id))?.title).toBe(winner);
  });

  it("moves a group's time from now on: past, cancelled and moved sessions stay; dropped days go; new days come with the track's patients", async () => {
    const byDate = async () => new Map((await sessionsOf(t, skills)).map((s) => [s.local_date, s]));
    const start = await byDate();
    const dec14 = start.get("2026-12-14")!;
    const dec9 = start.get("2026-12-09")!;
    expect(await cancelSession(t.db, admin, dec14.id, { version: 1, reason: "Staff training" }, site.id, meta)).toEqual({ ok: true });
    expect(await moveSession(t.db, admin, dec9.id, { version: 1, date: "2026-12-10", startTime: "13:00", endTime: "14:30" }, site, meta)).toEqual({ ok: true });
    const pastIds = [start.get("2026-11-30")!.id, start.get("2026-12-02")!.id];
    const pastBefore = await t.db.selectFrom("sessions").selectAll().where("id", "in", pastIds).orderBy("starts_at").execute();
    const pastRostersBefore = await t.db.selectFrom("session_participants").selectAll().where("session_id", "in", pastIds).orderBy("id").execute();
    const keptBefore = await t.db.selectFrom("sessions").selectAll().where("id", "in", [dec14.id, dec9.id]).orderBy("starts_at").execute();

    // Mondays and Wednesdays 13:00 become Tuesdays and Wednesdays 14:00, with a new title.
    const r = await updateSeries(
      t.db,
      admin,
      skills,
      edit({ title: "Afternoon Coping Skills", days: ["tue", "wed"], startTime: "14:00", endTime: "15:30" }),
      site,
      meta,
      { now: NOW, horizonWeeks: 4 },
    );
    expect(r).toEqual({ ok: true, updated: 2, added: 5, removed: 3 });

    const after = await sessionsOf(t, skills);
    expect(after.map((s) => [s.local_date, s.status, s.starts_at, s.ends_at, s.title])).toEqual([
      ["2026-11-30", "scheduled", "2026-11-30T18:00:00.000Z", "2026-11-30T19:30:00.000Z", "Afternoon Skills"],
      ["2026-12-02", "scheduled", "2026-12-02T18:00:00.000Z", "2026-12-02T19:30:00.000Z", "Afternoon Skills"],
      ["2026-12-08", "scheduled", "2026-12-08T19:00:00.000Z", "2026-12-08T20:30:00.000Z", "Afternoon Coping Skills"],
      ["2026-12-10", "scheduled", "2026-12-10T18:00:00.000Z", "2026-12-10T19:30:00.000Z", "Afternoon Skills"], // moved on its own: kept
      ["2026-12-14", "cancelled", "2026-12-14T18:00:00.000Z", "2026-12-14T19:30:00.000Z", "Afternoon Skills"], // cancelled: kept
      ["2026-12-15", "scheduled", "2026-12-15T19:00:00.000Z", "2026-12-15T20:30:00.000Z", "Afternoon Coping Skills"],
      ["2026-12-16", "scheduled", "2026-12-16T19:00:00.000Z", "2026-12-16T20:30:00.000Z", "Afternoon Coping Skills"],
      ["2026-12-22", "scheduled", "2026-12-22T19:00:00.000Z", "2026-12-22T20:30:00.000Z", "Afternoon Coping Skills"],
      ["2026-12-23", "scheduled", "2026-12-23T19:00:00.000Z", "2026-12-23T20:30:00.000Z", "Afternoon Coping Skills"],
      ["2026-12-29", "scheduled", "2026-12-29T19:00:00.000Z", "2026-12-29T20:30:00.000Z", "Afternoon Coping Skills"],
      ["2026-12-30", "scheduled", "2026-12-30T19:00:00.000Z", "2026-12-30T20:30:00.000Z", "Afternoon Coping Skills"],
    ]);
    // Untouched Wednesdays were rewritten in place (same sessions); the session moved off Dec 9 was not written again.
    expect(after.find((s) => s.local_date === "2026-12-16")!.id).toBe(start.get("2026-12-16")!.id);
    expect(after.find((s) => s.local_date === "2026-12-23")!.id).toBe(start.get("2026-12-23")!.id);
    expect(await t.db.selectFrom("sessions").selectAll().where("id", "in", pastIds).orderBy("starts_at").execute()).toEqual(pastBefore);
    expect(await t.db.selectFrom("session_participants").selectAll().where("session_id", "in", pastIds).orderBy("id").execute()).toEqual(pastRostersBefore);
    expect(await t.db.selectFrom("sessions").selectAll().where("id", "in", [dec14.id, dec9.id]).orderBy("starts_at").execute()).toEqual(keptBefore);

    // Everyone in the track is on every session still ahead, new Tuesdays included.
    for (const s of after.filter((x) => x.status === "scheduled" && x.starts_at > NOW.toISOString())) {
      expect(await rosterNames(t, s.id)).toEqual(["Green, Gina", "Hill, Hank"]);
    }
    const [audit] = await auditRows(t, "group_series.updated", skills);
    expect(audit.changes.detail).toMatchObject({ sessionsUpdated: 2, sessionsAdded: 5, sessionsRemoved: ["2026-12-07", "2026-12-21", "2026-12-28"] });
    expect([...audit.changes.detail.keptAsChanged].sort()).toEqual(["2026-12-10", "2026-12-14"]);
    expect(audit.changes.before).toMatchObject({ days: ["mon", "wed"], startTime: "13:00" });
    expect(audit.changes.after).toMatchObject({ days: ["tue", "wed"], startTime: "14:00" });
  });

  it("refuses a capacity smaller than a roster already on a session, naming it, and changes nothing", async () => {
    const before = await t.db
      .selectFrom("sessions")
      .select(["id", "capacity", "starts_at", "title"])
      .where("series_id", "=", skills)
      .orderBy("starts_at")
      .execute();
    const r = await updateSeries(
      t.db,
      admin,
      skills,
      edit({ title: "Afternoon Coping Skills", days: ["tue", "wed"], startTime: "14:00", endTime: "15:30", capacity: 1, version: 2 }),
      site,
      meta,
      { now: NOW, horizonWeeks: 4 },
    );
    expect(r).toEqual({
      ok: false,
      status: 409,
      formError: "Afternoon Coping Skills on Tue, Dec 8, 2026, 2:00–3:30 PM already has 2 patients; a capacity of 1 would not hold them.",
    });
    expect(
      await t.db.selectFrom("sessions").select(["id", "capacity", "starts_at", "title"]).where("series_id", "=", skills).orderBy("starts_at").execute(),
    ).toEqual(before);
    expect((await getSeries(t.db, skills, site.id))?.version).toBe(2);
  });

  it("extends every open series to the horizon, enrolling the track's patients in what is ahead; a second run does nothing", async () => {
    // Sunday, Dec 13, noon: four weeks ahead reaches Sunday, Jan 10.
    const now = new Date("2026-12-13T17:00:00.000Z");
    const extendedBefore = (await auditRows(t, "group_series.extended")).length;
    const written = await extendSchedules(t.db, { now, horizonWeeks: 4 });
    // Afternoon Coping Skills: Jan 5 and 6; Thursday Process: Nov 19 through Jan 7; Check-in: Jan 8.
    expect(written).toBe(2 + 8 + 1);

    const skillsAfter = await sessionsOf(t, skills);
    const added = skillsAfter.filter((s) => s.local_date > "2026-12-30");
    expect(added.map((s) => [s.local_date, s.starts_at, s.title])).toEqual([
      ["2027-01-05", "2027-01-05T19:00:00.000Z", "Afternoon Coping Skills"],
      ["2027-01-06", "2027-01-06T19:00:00.000Z", "Afternoon Coping Skills"],
    ]);
    for (const s of added) expect(await rosterNames(t, s.id)).toEqual(["Green, Gina", "Hill, Hank"]);

    // Catching up writes the Thursdays it missed, but puts nobody on the ones already past.
    const thursdays = await sessionsOf(t, thursday);
    expect(thursdays.map((s) => s.local_date)).toEqual([
      "2026-11-05",
      "2026-11-12",
      "2026-11-19",
      "2026-11-26",
      "2026-12-03",
      "2026-12-10",
      "2026-12-17",
      "2026-12-24",
      "2026-12-31",
      "2027-01-07",
    ]);
    for (const s of thursdays) {
      expect(await rosterNames(t, s.id)).toEqual(s.starts_at > now.toISOString() ? ["Green, Gina", "Hill, Hank"] : []);
    }
    const checkIns = await sessionsOf(t, checkIn);
    expect(checkIns.at(-1)).toMatchObject({ local_date: "2027-01-08", starts_at: "2027-01-08T21:00:00.000Z" });
    expect(await rosterNames(t, checkIns.at(-1)!.id)).toEqual([]);
    expect((await auditRows(t, "group_series.extended")).length).toBe(extendedBefore + 3);

    const sessionsCount = (await t.db.selectFrom("sessions").select("id").execute()).length;
    const rostersCount = (await t.db.selectFrom("session_participants").select("id").execute()).length;
    expect(await extendSchedules(t.db, { now, horizonWeeks: 4 })).toBe(0);
    expect((await t.db.selectFrom("sessions").select("id").execute()).length).toBe(sessionsCount);
    expect((await t.db.selectFrom("session_participants").select("id").execute()).length).toBe(rostersCount);
    expect((await auditRows(t, "group_series.extended")).length).toBe(extendedBefore + 3);
  });

  it("an edit made while today's session is running leaves today's session alone", async () => {
    // Wednesday, Dec 16, 14:30 in New York: the 14:00 session is half over.
    const now = new Date("2026-12-16T19:30:00.000Z");
    const before = await sessionsOf(t, skills);
    const r = await updateSeries(
      t.db,
      admin,
      skills,
      edit({ title: "Afternoon Coping Skills", days: ["tue", "wed"], startTime: "15:00", endTime: "16:30", version: 2 }),
      site,
      meta,
      { now, horizonWeeks: 4 },
    );
    expect(r).toEqual({ ok: true, updated: 6, added: 2, removed: 0 });
    const after = await sessionsOf(t, skills);
    expect(after.filter((s) => s.local_date === "2026-12-16")).toEqual(before.filter((s) => s.local_date === "2026-12-16"));
    expect(after.filter((s) => s.local_date >= "2026-12-16").map((s) => [s.local_date, s.starts_at])).toEqual([
      ["2026-12-16", "2026-12-16T19:00:00.000Z"],
      ["2026-12-22", "2026-12-22T20:00:00.000Z"],
      ["2026-12-23", "2026-12-23T20:00:00.000Z"],
      ["2026-12-29", "2026-12-29T20:00:00.000Z"],
      ["2026-12-30", "2026-12-30T20:00:00.000Z"],
      ["2027-01-05", "2027-01-05T20:00:00.000Z"],
      ["2027-01-06", "2027-01-06T20:00:00.000Z"],
      ["2027-01-12", "2027-01-12T20:00:00.000Z"],
      ["2027-01-13", "2027-01-13T20:00:00.000Z"],
    ]);
    for (const s of after.filter((x) => x.local_date > "2026-12-16")) expect(await rosterNames(t, s.id)).toEqual(["Green, Gina", "Hill, Hank"]);
    expect((await verifyAuditChain(t.db)).ok).toBe(true);
  });
});

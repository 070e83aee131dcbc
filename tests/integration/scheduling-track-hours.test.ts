/**
 * A track whose weekly hours do not fit the patient's level of care (ASAM bands) is saved only
 * when confirmed, at intake and on a move; and a weekly booking "until discharge" is extended like
 * a group series and ends at discharge. Real databases, both dialects. Dates are relative to the
 * real clock where discharge (which reads it) is involved.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dischargePatient, enrollPatient } from "~/features/patients/patients.server";
import { bookAppointment } from "~/features/scheduling/appointments.server";
import { assignTrack } from "~/features/scheduling/enrollment.server";
import { extendSchedules } from "~/features/scheduling/groups.server";
import { createRoom, createTrack } from "~/features/scheduling/program.server";
import { addDays, shortDate, todayIn, weekdayOf } from "~/kernel/time";
import { createTestDatabase, dialects, type TestDatabase } from "../support/databases";
import { meta, seed } from "../support/demo";
import { dischargeInput, enroll, intakeInput, lastSeq, version } from "./patients-support";

const TZ = "America/New_York";
const OP_WARNING = "The Coastal OP track is 1 h 30 min a week; intensive outpatient needs 9–19 h a week for an adult.";

describe.each(dialects)("track hours against the level of care on %s", (dialect) => {
  let t: TestDatabase;
  let site: { id: string; time_zone: string };
  let counselor: { id: string; name: string };
  const tracks: Record<string, string> = {};

  beforeAll(async () => {
    t = await createTestDatabase(dialect);
    const clinic = await seed(t.db);
    site = { id: clinic.siteId, time_zone: TZ };
    const admin = { id: clinic.users["dana.whitfield"].id, name: "Dana Whitfield" };
    counselor = { id: clinic.users["marcus.bell"].id, name: "Marcus Bell" };
    for (const [name, levelOfCare, days, startTime, endTime] of [
      ["Coastal OP", "OP", ["tue"], "17:30", "19:00"], // 1 h 30 min a week
      ["Morning IOP", "IOP", ["mon", "wed", "fri"], "09:00", "12:00"], // 9 h
      ["Teen Weekend", "IOP", ["sat", "sun"], "09:00", "13:00"], // 8 h
    ] as const) {
      const r = await createTrack(t.db, admin, site, { name, levelOfCare, days: [...days], startTime, endTime }, meta);
      if (!r.ok) throw new Error("track refused");
      tracks[name] = r.id;
    }
  });
  afterAll(() => t?.destroy());

  const patientCount = async () => (await t.db.selectFrom("patients").select("id").execute()).length;

  it("refuses to enroll an adult IOP patient in a 1.5-hour OP track until confirmed, naming the hours, and audits the confirmation", async () => {
    const input = intakeInput(site.id, counselor.id, {
      legalFirstName: "Olive",
      legalLastName: "Tide",
      trackId: tracks["Coastal OP"],
      confirmDuplicate: "yes",
    });
    const before = await patientCount();
    const refused = await enrollPatient(t.db, counselor, input, [site.id], meta);
    expect(refused).toEqual({ ok: false, status: 400, formError: `${OP_WARNING} Enroll anyway?`, trackHours: OP_WARNING });
    expect(await patientCount()).toBe(before);

    const seq = await lastSeq(t.db);
    const saved = await enrollPatient(t.db, counselor, input, [site.id], meta, { confirmTrackHours: true });
    if (!saved.ok) throw new Error(JSON.stringify(saved));
    expect(await patientCount()).toBe(before + 1);
    const row = await t.db.selectFrom("patients").select("track_id").where("id", "=", saved.id).executeTakeFirstOrThrow();
    expect(row.track_id).toBe(tracks["Coastal OP"]);
    const audit = await t.db.selectFrom("audit_events").selectAll().where("seq", ">", seq).where("action", "=", "patient.enrolled").executeTakeFirstOrThrow();
    expect(JSON.parse(audit.changes!).after).toMatchObject({ track: "Coastal OP", levelOfCare: "IOP", trackHoursConfirmed: OP_WARNING });
  });

  it("asks nothing when the hours fit: an adult IOP patient in a 9-hour track, an OP patient in the OP track, an adolescent in an 8-hour IOP track", async () => {
    const fits = [
      { legalFirstName: "Nine", trackId: tracks["Morning IOP"] },
      { legalFirstName: "Owen", trackId: tracks["Coastal OP"], levelOfCare: "OP" as const },
      // 16 on admission (2026-09-01): the adolescent IOP band starts at 6 h.
      { legalFirstName: "Tess", trackId: tracks["Teen Weekend"], dateOfBirth: "2010-03-10" },
    ];
    for (const over of fits) {
      const r = await enrollPatient(
        t.db,
        counselor,
        intakeInput(site.id, counselor.id, { legalLastName: "Fits", confirmDuplicate: "yes", ...over }),
        [site.id],
        meta,
      );
      expect(r).toMatchObject({ ok: true });
    }
    // The same 8-hour track is below the adult IOP floor.
    const adult = await enrollPatient(
      t.db,
      counselor,
      intakeInput(site.id, counselor.id, { legalFirstName: "Adam", legalLastName: "Weekend", trackId: tracks["Teen Weekend"], confirmDuplicate: "yes" }),
      [site.id],
      meta,
    );
    expect(adult).toMatchObject({
      ok: false,
      status: 400,
      trackHours: "The Teen Weekend track is 8 h a week; intensive outpatient needs 9–19 h a week for an adult.",
    });
  });

  it("refuses to move an IOP patient into the OP track until confirmed; the move and its confirmation are audited", async () => {
    const p = await enroll(t.db, counselor, site.id, { legalFirstName: "Mona", legalLastName: "Mover", trackId: tracks["Morning IOP"] });
    const on = todayIn(TZ);
    const v = await version(t.db, p.id);
    const refused = await assignTrack(t.db, counselor, p.id, { trackId: tracks["Coastal OP"], effectiveOn: on, version: v }, [site.id], meta);
    expect(refused).toEqual({ ok: false, status: 400, formError: `${OP_WARNING} Move anyway?`, trackHours: OP_WARNING });
    const still = await t.db.selectFrom("patients").select(["track_id", "version"]).where("id", "=", p.id).executeTakeFirstOrThrow();
    expect(still).toMatchObject({ track_id: tracks["Morning IOP"], version: v });

    const seq = await lastSeq(t.db);
    const moved = await assignTrack(
      t.db,
      counselor,
      p.id,
      { trackId: tracks["Coastal OP"], effectiveOn: on, version: v, confirmTrackHours: true },
      [site.id],
      meta,
    );
    expect(moved).toMatchObject({ ok: true });
    const audit = await t.db
      .selectFrom("audit_events")
      .selectAll()
      .where("seq", ">", seq)
      .where("action", "=", "patient.track_changed")
      .executeTakeFirstOrThrow();
    expect(JSON.parse(audit.changes!)).toMatchObject({ before: { track: "Morning IOP" }, after: { track: "Coastal OP", trackHoursConfirmed: OP_WARNING } });
  });

  it("asks the same of a patient not yet in a track, in the words of putting them in one", async () => {
    const p = await enroll(t.db, counselor, site.id, { legalFirstName: "Nina", legalLastName: "Notrack" });
    const r = await assignTrack(
      t.db,
      counselor,
      p.id,
      { trackId: tracks["Coastal OP"], effectiveOn: todayIn(TZ), version: await version(t.db, p.id) },
      [site.id],
      meta,
    );
    expect(r).toMatchObject({ ok: false, status: 400, formError: `${OP_WARNING} Put them in it anyway?` });
  });
});

describe.each(dialects)("weekly bookings until discharge on %s", (dialect) => {
  let t: TestDatabase;
  let site: { id: string; time_zone: string };
  let counselor: { id: string; name: string };
  let priya: string;
  let elena: string;
  let office: string;

  beforeAll(async () => {
    t = await createTestDatabase(dialect);
    const clinic = await seed(t.db);
    site = { id: clinic.siteId, time_zone: TZ };
    const admin = { id: clinic.users["dana.whitfield"].id, name: "Dana Whitfield" };
    counselor = { id: clinic.users["priya.raman"].id, name: "Priya Raman" };
    priya = clinic.users["priya.raman"].id;
    elena = clinic.users["elena.ortiz"].id;
    const o = await createRoom(t.db, admin, site.id, { name: "Counseling Office 1", capacity: 3 }, meta);
    const o2 = await createRoom(t.db, admin, site.id, { name: "Counseling Office 2", capacity: 3 }, meta);
    if (!o.ok || !o2.ok) throw new Error("setup failed");
    office = o.id;
  });
  afterAll(() => t?.destroy());

  it("writes eight weeks ahead, is extended past twelve weeks like a group series, skips a week the patient is busy, and stops at discharge", async () => {
    const now = new Date();
    const today = todayIn(TZ, now);
    // The first Tuesday at least two days ahead.
    let first = addDays(today, 2);
    while (weekdayOf(first) !== "tue") first = addDays(first, 1);
    const patient = (await enroll(t.db, counselor, site.id, { legalFirstName: "Uma", legalLastName: "Until", admittedOn: addDays(today, -14) })).id;
    const booking = {
      patientId: patient,
      kind: "individual" as const,
      approach: "cbt" as const,
      familyMembers: [],
      facilitatorId: priya,
      startTime: "14:00",
      durationMinutes: 50,
      modality: "in_person" as const,
      roomId: office,
    };
    const r = await bookAppointment(t.db, counselor, { ...booking, date: first, weeks: "discharge" }, site, meta, now);
    if (!r.ok || !r.seriesId) throw new Error(JSON.stringify(r));
    const seriesId = r.seriesId;
    const series = await t.db.selectFrom("group_series").select(["ends_on", "patient_id"]).where("id", "=", seriesId).executeTakeFirstOrThrow();
    expect(series).toEqual({ ends_on: null, patient_id: patient });
    const dates = async () =>
      (await t.db.selectFrom("sessions").select(["local_date", "status"]).where("series_id", "=", seriesId).orderBy("local_date").execute()).map((s) => [
        s.local_date,
        s.status,
      ]);
    const horizon = addDays(today, 56);
    const written = await dates();
    // Every Tuesday from the first to the planning horizon (eight weeks from today), nothing beyond.
    const expected: string[] = [];
    for (let d = first; d <= horizon; d = addDays(d, 7)) expected.push(d);
    expect(written).toEqual(expected.map((d) => [d, "scheduled"]));
    expect(expected.length).toBeGreaterThanOrEqual(7);

    // The patient has a one-off session with another counselor in week 14, at the same hour.
    const week14 = addDays(first, 7 * 13);
    const other = await bookAppointment(
      t.db,
      { id: elena, name: "Elena Ortiz" },
      { ...booking, facilitatorId: elena, roomId: undefined, modality: "telehealth", date: week14, weeks: 1 },
      site,
      meta,
      now,
    );
    expect(other).toMatchObject({ ok: true });

    // Ten weeks on, the daily extension has kept it eight weeks ahead: well past twelve weeks.
    const later = new Date(now.getTime() + 70 * 86_400_000);
    const laterHorizon = addDays(todayIn(TZ, later), 56);
    const seq = await lastSeq(t.db);
    await extendSchedules(t.db, { now: later, seriesIds: [seriesId] });
    const extended = await dates();
    const all: string[] = [];
    for (let d = first; d <= laterHorizon; d = addDays(d, 7)) if (d !== week14) all.push(d);
    expect(extended).toEqual(all.map((d) => [d, "scheduled"]));
    expect(all[all.length - 1] > addDays(first, 7 * 12)).toBe(true);
    const onRoster = await t.db
      .selectFrom("session_participants as sp")
      .innerJoin("sessions as s", "s.id", "sp.session_id")
      .select("s.id")
      .where("s.series_id", "=", seriesId)
      .where("sp.patient_id", "=", patient)
      .where("sp.left_at", "is", null)
      .execute();
    expect(onRoster).toHaveLength(all.length);
    const audit = await t.db.selectFrom("audit_events").selectAll().where("seq", ">", seq).where("entity_id", "=", seriesId).executeTakeFirstOrThrow();
    expect(audit.action).toBe("group_series.extended");
    expect(JSON.parse(audit.changes!).detail.notWrittenBecauseOfClashes).toEqual([
      expect.stringMatching(new RegExp(`^${shortDate(week14)}: Uma Until is already booked for Individual session \\(CBT\\)`)),
    ]);

    // Discharged today: every session after today is cancelled, the series ends, and nothing is added again.
    expect(
      await dischargePatient(
        t.db,
        counselor,
        patient,
        dischargeInput(await version(t.db, patient), { dischargedOn: today, followUpOn: undefined }),
        [site.id],
        meta,
      ),
    ).toMatchObject({ ok: true });
    const after = await dates();
    expect(after.filter(([d]) => d! > today).every(([, status]) => status === "cancelled")).toBe(true);
    expect(after.filter(([d]) => d! > today).length).toBe(all.filter((d) => d > today).length);
    expect((await t.db.selectFrom("group_series").select("ends_on").where("id", "=", seriesId).executeTakeFirstOrThrow()).ends_on).toBe(today);
    expect(await extendSchedules(t.db, { now: new Date(later.getTime() + 70 * 86_400_000), seriesIds: [seriesId] })).toBe(0);
    expect((await dates()).length).toBe(after.length);
  });
});

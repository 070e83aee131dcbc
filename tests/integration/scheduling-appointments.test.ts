/**
 * Individual and family sessions on real databases. bookAppointment takes `now`, so every date
 * here is fixed: "now" is Friday, Nov 27, 2026, noon in New York unless a test says otherwise.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyAuditChain } from "~/features/audit/audit.server";
import { dischargePatient } from "~/features/patients/patients.server";
import { type AppointmentInput, bookAppointment } from "~/features/scheduling/appointments.server";
import { addToRoster, roster } from "~/features/scheduling/enrollment.server";
import { createSeries } from "~/features/scheduling/groups.server";
import { createRoom, createTrack } from "~/features/scheduling/program.server";
import { createTestDatabase, dialects, type TestDatabase } from "../support/databases";
import { meta, seed } from "../support/demo";
import { dischargeInput, enroll, lastSeq, version } from "./patients-support";

const TZ = "America/New_York";
const NOW = new Date("2026-11-27T17:00:00.000Z");
type Actor = { id: string; name: string };

/** The site's wall clock at an instant, read independently of the app's own formatting. */
const wallClock = (iso: string) =>
  new Intl.DateTimeFormat("en-GB", { timeZone: TZ, hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(new Date(iso));

describe.each(dialects)("individual and family sessions on %s", (dialect) => {
  let t: TestDatabase;
  let site: { id: string; time_zone: string };
  let counselor: Actor;
  let marcus: string;
  let priya: string;
  let elena: string;
  let staff: string;
  let office: string;
  let familyRoom: string;
  let jane: string;
  let sam: string;
  let process: string;

  const individual = (over: Partial<AppointmentInput> = {}): AppointmentInput => ({
    patientId: jane,
    kind: "individual",
    approach: "cbt",
    familyMembers: [],
    facilitatorId: priya,
    date: "2026-12-01",
    startTime: "14:00",
    durationMinutes: 50,
    modality: "in_person",
    roomId: office,
    weeks: 1,
    ...over,
  });
  const book = (input: AppointmentInput, now = NOW) => bookAppointment(t.db, counselor, input, site, meta, now);
  const sessionCount = async () => (await t.db.selectFrom("sessions").select("id").execute()).length;

  beforeAll(async () => {
    t = await createTestDatabase(dialect);
    const clinic = await seed(t.db);
    site = { id: clinic.siteId, time_zone: TZ };
    const admin = { id: clinic.users["dana.whitfield"].id, name: "Dana Whitfield" };
    counselor = { id: clinic.users["priya.raman"].id, name: "Priya Raman" };
    marcus = clinic.users["marcus.bell"].id;
    priya = clinic.users["priya.raman"].id;
    elena = clinic.users["elena.ortiz"].id;
    staff = clinic.users["tom.kowalski"].id;
    const track = await createTrack(
      t.db,
      admin,
      site,
      { name: "Morning IOP", levelOfCare: "IOP", days: ["mon", "wed", "fri"], startTime: "09:00", endTime: "12:00" },
      meta,
    );
    const groupRoom = await createRoom(t.db, admin, site.id, { name: "Group Room A", capacity: 14 }, meta);
    const o = await createRoom(t.db, admin, site.id, { name: "Counseling Office 1", capacity: 3 }, meta);
    const f = await createRoom(t.db, admin, site.id, { name: "Family Room", capacity: 8 }, meta);
    if (!track.ok || !groupRoom.ok || !o.ok || !f.ok) throw new Error("setup failed");
    office = o.id;
    familyRoom = f.id;
    // Marcus runs the Morning Process Group, Mondays, Wednesdays and Fridays 09:00–10:30, from Nov 30.
    const g = await createSeries(
      t.db,
      admin,
      site,
      {
        title: "Morning Process Group",
        kind: "process",
        trackId: track.id,
        facilitatorId: marcus,
        roomId: groupRoom.id,
        modality: "in_person",
        capacity: 12,
        days: ["mon", "wed", "fri"],
        startTime: "09:00",
        endTime: "10:30",
        startsOn: "2026-11-30",
        autoEnroll: false,
      },
      meta,
      { today: "2026-11-30", horizonWeeks: 4 },
    );
    if (!g.ok) throw new Error(JSON.stringify(g));
    process = g.id;
    jane = (await enroll(t.db, counselor, site.id, { legalFirstName: "Jane", legalLastName: "Doe" })).id;
    sam = (await enroll(t.db, counselor, site.id, { legalFirstName: "Samuel", legalLastName: "Ortega", preferredName: "Sam" })).id;
  });
  afterAll(() => t?.destroy());

  it("books a weekly CBT session for four weeks: four sessions in one series, the patient on each roster, audited", async () => {
    const seq = await lastSeq(t.db);
    const r = await book(individual({ weeks: 4 }));
    if (!r.ok) throw new Error(JSON.stringify(r));
    expect(r.sessionIds).toHaveLength(4);
    expect(r.seriesId).toEqual(expect.any(String));

    const sessions = await t.db
      .selectFrom("sessions")
      .select([
        "id",
        "series_id",
        "kind",
        "title",
        "patient_id",
        "approach",
        "facilitator_id",
        "room_id",
        "capacity",
        "local_date",
        "starts_at",
        "ends_at",
        "status",
        "family_members",
      ])
      .where("series_id", "=", r.seriesId)
      .orderBy("starts_at")
      .execute();
    expect(sessions.map((s) => s.id)).toEqual(r.sessionIds);
    expect(sessions.map((s) => [s.local_date, s.starts_at, s.ends_at])).toEqual([
      ["2026-12-01", "2026-12-01T19:00:00.000Z", "2026-12-01T19:50:00.000Z"],
      ["2026-12-08", "2026-12-08T19:00:00.000Z", "2026-12-08T19:50:00.000Z"],
      ["2026-12-15", "2026-12-15T19:00:00.000Z", "2026-12-15T19:50:00.000Z"],
      ["2026-12-22", "2026-12-22T19:00:00.000Z", "2026-12-22T19:50:00.000Z"],
    ]);
    for (const s of sessions) {
      expect(s).toMatchObject({
        kind: "individual",
        title: "Individual session (CBT)",
        patient_id: jane,
        approach: "cbt",
        facilitator_id: priya,
        room_id: office,
        status: "scheduled",
        family_members: null,
      });
      expect(Number(s.capacity)).toBe(1);
      const people = await roster(t.db, s.id);
      expect(people.current).toMatchObject([{ name: "Doe, Jane", source: "booked", left_at: null }]);
    }
    const series = await t.db.selectFrom("group_series").selectAll().where("id", "=", r.seriesId!).executeTakeFirstOrThrow();
    expect(series).toMatchObject({
      session_kind: "individual",
      patient_id: jane,
      days: JSON.stringify(["tue"]),
      start_time: "14:00",
      end_time: "14:50",
      starts_on: "2026-12-01",
      ends_on: "2026-12-22",
    });
    expect(Number(series.auto_enroll)).toBe(0);

    const audit = await t.db.selectFrom("audit_events").selectAll().where("seq", ">", seq).orderBy("seq").execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      action: "appointment.booked",
      entity_type: "group_series",
      entity_id: r.seriesId,
      patient_id: jane,
      user_id: priya,
      site_id: site.id,
    });
    const changes = JSON.parse(audit[0].changes!);
    expect(changes.after).toMatchObject({ kind: "individual", approach: "cbt", facilitatorId: priya, roomId: office, startTime: "14:00", endTime: "14:50" });
    expect(changes.detail).toEqual({ dates: ["2026-12-01", "2026-12-08", "2026-12-15", "2026-12-22"] });
  });

  it("books a one-off family session with the family members who will come", async () => {
    const family = [
      { name: "Rosa Doe", relationship: "Mother" },
      { name: "Luis Doe", relationship: "Brother" },
    ];
    const r = await book({
      ...individual(),
      kind: "family",
      approach: undefined,
      familyMembers: family,
      facilitatorId: elena,
      date: "2026-12-03",
      startTime: "17:00",
      durationMinutes: 90,
      roomId: familyRoom,
    });
    if (!r.ok) throw new Error(JSON.stringify(r));
    expect(r.seriesId).toBeNull();
    const [s] = await t.db.selectFrom("sessions").selectAll().where("id", "in", r.sessionIds).execute();
    expect(s).toMatchObject({
      kind: "family",
      title: "Family session",
      series_id: null,
      approach: null,
      local_date: "2026-12-03",
      starts_at: "2026-12-03T22:00:00.000Z",
      ends_at: "2026-12-03T23:30:00.000Z",
      room_id: familyRoom,
    });
    expect(JSON.parse(s.family_members!)).toEqual(family);
    expect((await roster(t.db, s.id)).current.map((p) => p.name)).toEqual(["Doe, Jane"]);
    const [audit] = await t.db
      .selectFrom("audit_events")
      .select(["entity_type", "changes"])
      .where("action", "=", "appointment.booked")
      .where("entity_id", "=", s.id)
      .execute();
    expect(audit.entity_type).toBe("session");
    expect(JSON.parse(audit.changes!).after).toMatchObject({ kind: "family", familyMembers: 2, approach: null });

    // A family session needs someone from the family.
    expect(await book({ ...individual(), kind: "family", familyMembers: [], facilitatorId: elena, date: "2026-12-10", roomId: familyRoom })).toEqual({
      ok: false,
      status: 400,
      fieldErrors: { familyMembers: ["Name at least one family member who will come."] },
    });
  });

  it("refuses a time when the counselor runs a group, naming the group and when it meets, and takes the next free time", async () => {
    const before = [await sessionCount(), await lastSeq(t.db)];
    const clash = await book(
      individual({ facilitatorId: marcus, date: "2026-12-02", startTime: "10:00", durationMinutes: 60, modality: "telehealth", roomId: undefined }),
    );
    expect(clash).toEqual({
      ok: false,
      status: 409,
      formError: "Marcus Bell already has Morning Process Group on Wed, Dec 2, 2026, 9:00–10:30 AM. Choose another time.",
    });
    // A weekly booking that clashes only in its third week is refused as a whole, naming that week.
    const later = await book(
      individual({ facilitatorId: marcus, date: "2026-11-16", startTime: "09:30", durationMinutes: 30, weeks: 3 }),
      new Date("2026-11-10T12:00:00.000Z"),
    );
    expect(later).toEqual({
      ok: false,
      status: 409,
      formError: "Marcus Bell already has Morning Process Group on Mon, Nov 30, 2026, 9:00–10:30 AM. Choose another time or room.",
    });
    expect([await sessionCount(), await lastSeq(t.db)]).toEqual(before);

    const free = await book(
      individual({ facilitatorId: marcus, date: "2026-12-02", startTime: "10:30", durationMinutes: 60, modality: "telehealth", roomId: undefined }),
    );
    expect(free.ok).toBe(true);
  });

  it("refuses to double-book the patient, naming the session they are already in", async () => {
    // Jane's CBT session is Tuesdays 14:00–14:50.
    expect(
      await book(individual({ facilitatorId: elena, date: "2026-12-08", startTime: "14:30", durationMinutes: 60, modality: "telehealth", roomId: undefined })),
    ).toEqual({
      ok: false,
      status: 409,
      formError: "Jane Doe is already booked for Individual session (CBT) on Tue, Dec 8, 2026, 2:00–2:50 PM. Choose another time.",
    });
    // ... and a group she was added to.
    const [fri] = await t.db.selectFrom("sessions").select("id").where("series_id", "=", process).where("local_date", "=", "2026-12-04").execute();
    expect(await addToRoster(t.db, counselor, fri.id, sam, site, meta, NOW)).toEqual({ ok: true });
    expect(
      await book(
        individual({
          patientId: sam,
          facilitatorId: elena,
          date: "2026-12-04",
          startTime: "10:00",
          durationMinutes: 45,
          modality: "telehealth",
          roomId: undefined,
        }),
      ),
    ).toEqual({
      ok: false,
      status: 409,
      formError: "Sam Ortega is already booked for Morning Process Group on Fri, Dec 4, 2026, 9:00–10:30 AM. Choose another time.",
    });
    // Right after the group is fine.
    expect(
      (
        await book(
          individual({
            patientId: sam,
            facilitatorId: elena,
            date: "2026-12-04",
            startTime: "10:30",
            durationMinutes: 45,
            modality: "telehealth",
            roomId: undefined,
          }),
        )
      ).ok,
    ).toBe(true);
  });

  it("refuses a room too small for the family (the counselor counts), and a room booked already", async () => {
    const three = [
      { name: "Rosa Doe", relationship: "Mother" },
      { name: "Luis Doe", relationship: "Brother" },
      { name: "Ana Doe", relationship: "Sister" },
    ];
    expect(await book({ ...individual(), kind: "family", familyMembers: three, date: "2026-12-10", startTime: "15:00", durationMinutes: 60 })).toEqual({
      ok: false,
      status: 400,
      fieldErrors: { roomId: ["Counseling Office 1 holds 3; this session brings 5 people together."] },
    });
    // Patient, one relative and the counselor fit.
    expect(
      (await book({ ...individual(), kind: "family", familyMembers: three.slice(0, 1), date: "2026-12-10", startTime: "15:00", durationMinutes: 60 })).ok,
    ).toBe(true);
    // The office is taken at 14:00 on Tuesdays by Jane's CBT, whoever asks for it.
    expect(await book(individual({ patientId: sam, facilitatorId: elena, date: "2026-12-15", startTime: "14:30", durationMinutes: 30 }))).toEqual({
      ok: false,
      status: 409,
      formError: "Counseling Office 1 is already booked for Individual session (CBT) on Tue, Dec 15, 2026, 2:00–2:50 PM. Choose another time or room.",
    });
  });

  it("refuses a discharged patient, a facilitator who is not a counselor, and a time already past", async () => {
    const dee = (await enroll(t.db, counselor, site.id, { legalFirstName: "Dee", legalLastName: "Dunn" })).id;
    expect(await dischargePatient(t.db, counselor, dee, dischargeInput(await version(t.db, dee)), [site.id], meta)).toMatchObject({ ok: true });
    const before = [await sessionCount(), await lastSeq(t.db)];
    expect(await book(individual({ patientId: dee }))).toEqual({
      ok: false,
      status: 400,
      fieldErrors: { patientId: ["Dee Dunn is discharged; sessions cannot be booked for them. Re-admit them first."] },
    });
    expect(await book(individual({ patientId: sam, facilitatorId: staff, date: "2026-12-07" }))).toEqual({
      ok: false,
      status: 400,
      fieldErrors: { facilitatorId: ["Choose a counselor who works at this site."] },
    });
    // Noon on Nov 27: this morning has passed.
    expect(await book(individual({ patientId: sam, date: "2026-11-27", startTime: "09:00" }))).toEqual({
      ok: false,
      status: 400,
      fieldErrors: { date: ["That time has passed; book a session in the future."] },
    });
    expect([await sessionCount(), await lastSeq(t.db)]).toEqual(before);
  });

  it("books a double-submitted form once, refusing the copy with the session it would clash with", async () => {
    const before = [await sessionCount(), await lastSeq(t.db)];
    const input = individual({ patientId: sam, facilitatorId: priya, date: "2026-12-09", startTime: "13:00", durationMinutes: 50, weeks: 2 });
    const results = await Promise.all([book(input), book(input), book(input)]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok)).toEqual([
      {
        ok: false,
        status: 409,
        formError: "Counseling Office 1 is already booked for Individual session (CBT) on Wed, Dec 9, 2026, 1:00–1:50 PM. Choose another time or room.",
      },
      {
        ok: false,
        status: 409,
        formError: "Counseling Office 1 is already booked for Individual session (CBT) on Wed, Dec 9, 2026, 1:00–1:50 PM. Choose another time or room.",
      },
    ]);
    expect([await sessionCount(), await lastSeq(t.db)]).toEqual([before[0] + 2, before[1] + 1]);
  });

  it("keeps a weekly 09:00 session at 09:00 local across the November clock change", async () => {
    // Booked on Oct 20 for Tuesdays from Oct 27; the clocks fall back on Sunday, Nov 1.
    const r = await book(
      individual({
        patientId: sam,
        facilitatorId: elena,
        date: "2026-10-27",
        startTime: "09:00",
        durationMinutes: 60,
        modality: "telehealth",
        roomId: undefined,
        weeks: 3,
      }),
      new Date("2026-10-20T14:00:00.000Z"),
    );
    if (!r.ok) throw new Error(JSON.stringify(r));
    const rows = await t.db
      .selectFrom("sessions")
      .select(["local_date", "starts_at", "ends_at"])
      .where("series_id", "=", r.seriesId)
      .orderBy("starts_at")
      .execute();
    expect(rows).toEqual([
      { local_date: "2026-10-27", starts_at: "2026-10-27T13:00:00.000Z", ends_at: "2026-10-27T14:00:00.000Z" },
      { local_date: "2026-11-03", starts_at: "2026-11-03T14:00:00.000Z", ends_at: "2026-11-03T15:00:00.000Z" },
      { local_date: "2026-11-10", starts_at: "2026-11-10T14:00:00.000Z", ends_at: "2026-11-10T15:00:00.000Z" },
    ]);
    expect(rows.map((s) => `${wallClock(s.starts_at)}–${wallClock(s.ends_at)}`)).toEqual(["09:00–10:00", "09:00–10:00", "09:00–10:00"]);
  });

  it("refuses a time the clocks skip in March, saying so, and writes nothing", async () => {
    const before = [await sessionCount(), await lastSeq(t.db)];
    expect(await book(individual({ patientId: sam, date: "2027-03-14", startTime: "02:30", durationMinutes: 50 }))).toEqual({
      ok: false,
      status: 400,
      fieldErrors: { startTime: ["2:30 AM does not exist on Sun, Mar 14, 2027 in America/New_York (the clocks change); choose another time."] },
    });
    // A session that would end inside the gap.
    expect(await book(individual({ patientId: sam, date: "2027-03-14", startTime: "01:30", durationMinutes: 60 }))).toEqual({
      ok: false,
      status: 400,
      fieldErrors: { durationMinutes: ["2:30 AM does not exist on Sun, Mar 14, 2027 in America/New_York (the clocks change); choose another time."] },
    });
    // A weekly booking whose second week lands in the gap.
    expect(await book(individual({ patientId: sam, date: "2027-03-07", startTime: "02:30", durationMinutes: 50, weeks: 2 }))).toEqual({
      ok: false,
      status: 400,
      fieldErrors: { startTime: ["2:30 AM does not exist on Sun, Mar 14, 2027 in America/New_York (clocks spring forward); choose another time."] },
    });
    expect([await sessionCount(), await lastSeq(t.db)]).toEqual(before);
    expect((await verifyAuditChain(t.db)).ok).toBe(true);
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyAuditChain } from "~/features/audit/audit.server";
import { cancelSession, createSeries, moveSession, type SeriesInput } from "~/features/scheduling/groups.server";
import { sessionsInRange } from "~/features/scheduling/views.server";
import { createRoom, createTrack } from "~/features/scheduling/program.server";
import { createTestDatabase, dialects, type TestDatabase } from "../support/databases";
import { meta, seed } from "../support/demo";

const TZ = "America/New_York";
const count = async (t: TestDatabase, table: "sessions" | "group_series" | "audit_events") =>
  Number(
    (
      await t.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .executeTakeFirstOrThrow()
    ).n,
  );

describe.each(dialects)("group series on %s", (dialect) => {
  let t: TestDatabase;
  let site: { id: string; time_zone: string };
  let admin: { id: string; name: string };
  let marcus: string;
  let priya: string;
  let roomA: string;
  let smallRoom: string;
  let trackId: string;
  const base = (): SeriesInput => ({
    title: "Morning Process Group",
    kind: "process",
    trackId,
    facilitatorId: marcus,
    roomId: roomA,
    modality: "in_person",
    capacity: 12,
    days: ["mon", "wed", "fri"],
    startTime: "09:00",
    endTime: "10:30",
    startsOn: "2026-10-19",
    endsOn: "2026-11-13",
  });

  beforeAll(async () => {
    t = await createTestDatabase(dialect);
    const clinic = await seed(t.db);
    site = { id: clinic.siteId, time_zone: TZ };
    const a = clinic.users["dana.whitfield"];
    admin = { id: a.id, name: a.name };
    marcus = clinic.users["marcus.bell"].id;
    priya = clinic.users["priya.raman"].id;
    const track = await createTrack(
      t.db,
      admin,
      site,
      { name: "Morning IOP", levelOfCare: "IOP", days: ["mon", "wed", "fri"], startTime: "09:00", endTime: "12:00" },
      meta,
    );
    const room = await createRoom(t.db, admin, site.id, { name: "Group Room A", capacity: 14 }, meta);
    const small = await createRoom(t.db, admin, site.id, { name: "Counseling Office", capacity: 3 }, meta);
    if (!track.ok || !room.ok || !small.ok) throw new Error("setup failed");
    trackId = track.id;
    roomA = room.id;
    smallRoom = small.id;
  });
  afterAll(() => t?.destroy());

  it("writes one session per meeting day, at 09:00 local on both sides of the November DST change", async () => {
    const r = await createSeries(t.db, admin, site, base(), meta, { today: "2026-10-19" });
    expect(r).toMatchObject({ ok: true, sessions: 12 });
    const rows = await t.db.selectFrom("sessions").select(["local_date", "starts_at", "ends_at"]).orderBy("starts_at").execute();
    expect(rows.map((s) => s.local_date)).toEqual([
      "2026-10-19",
      "2026-10-21",
      "2026-10-23",
      "2026-10-26",
      "2026-10-28",
      "2026-10-30",
      "2026-11-02",
      "2026-11-04",
      "2026-11-06",
      "2026-11-09",
      "2026-11-11",
      "2026-11-13",
    ]);
    // 09:00 EDT is 13:00Z; after the clocks fall back on Nov 1, 09:00 EST is 14:00Z.
    expect(rows.find((s) => s.local_date === "2026-10-30")).toMatchObject({ starts_at: "2026-10-30T13:00:00.000Z", ends_at: "2026-10-30T14:30:00.000Z" });
    expect(rows.find((s) => s.local_date === "2026-11-02")).toMatchObject({ starts_at: "2026-11-02T14:00:00.000Z", ends_at: "2026-11-02T15:30:00.000Z" });
    const audit = await t.db.selectFrom("audit_events").select(["action", "changes"]).where("action", "=", "group_series.created").execute();
    expect(audit).toHaveLength(1);
    expect(JSON.parse(audit[0].changes!).detail.sessionsCreated).toBe(12);
  });

  it("refuses a room double-booking, naming the session it clashes with, and writes nothing", async () => {
    const before = [await count(t, "sessions"), await count(t, "group_series"), await count(t, "audit_events")];
    const r = await createSeries(
      t.db,
      admin,
      site,
      { ...base(), title: "Relapse Prevention", facilitatorId: priya, days: ["wed"], startTime: "10:00", endTime: "11:00", startsOn: "2026-10-26" },
      meta,
      { today: "2026-10-19" },
    );
    expect(r).toEqual({
      ok: false,
      status: 409,
      formError: "Group Room A is already booked for Morning Process Group on Wed, Oct 28, 2026, 9:00–10:30 AM. Choose another time, room or facilitator.",
    });
    expect([await count(t, "sessions"), await count(t, "group_series"), await count(t, "audit_events")]).toEqual(before);
  });

  it("refuses a facilitator double-booking in another room", async () => {
    const r = await createSeries(
      t.db,
      admin,
      site,
      { ...base(), title: "MAT Education", roomId: smallRoom, capacity: 3, days: ["fri"], startTime: "10:00", endTime: "11:00" },
      meta,
      { today: "2026-10-19" },
    );
    expect(r).toMatchObject({
      ok: false,
      status: 409,
      formError: expect.stringContaining("Marcus Bell already facilitates Morning Process Group on Fri, Oct 23, 2026, 9:00–10:30 AM."),
    });
  });

  it("accepts the same slot right after, touching but not overlapping", async () => {
    const r = await createSeries(
      t.db,
      admin,
      site,
      { ...base(), title: "Relapse Prevention", kind: "relapse_prevention", facilitatorId: priya, startTime: "10:30", endTime: "12:00" },
      meta,
      { today: "2026-10-19" },
    );
    expect(r).toMatchObject({ ok: true, sessions: 12 });
  });

  it("refuses a group bigger than its room, and a room for nobody", async () => {
    expect(
      await createSeries(t.db, admin, site, { ...base(), roomId: smallRoom, capacity: 8, startTime: "13:00", endTime: "14:00" }, meta, { today: "2026-10-19" }),
    ).toMatchObject({
      ok: false,
      fieldErrors: { capacity: ["Counseling Office holds 3; a group of 8 would not fit."] },
    });
    expect(
      await createSeries(t.db, admin, site, { ...base(), roomId: undefined, startTime: "13:00", endTime: "14:00" }, meta, { today: "2026-10-19" }),
    ).toMatchObject({
      ok: false,
      fieldErrors: { roomId: ["Choose a room: in-person and hybrid groups need one."] },
    });
  });

  it("takes a telehealth group without a room", async () => {
    const r = await createSeries(
      t.db,
      admin,
      site,
      {
        ...base(),
        title: "Telehealth Check-in",
        modality: "telehealth",
        roomId: undefined,
        facilitatorId: priya,
        days: ["tue"],
        startTime: "12:00",
        endTime: "13:00",
      },
      meta,
      { today: "2026-10-19" },
    );
    expect(r).toMatchObject({ ok: true, sessions: 4 });
  });

  it("refuses a time that does not exist on a spring-forward day, naming the date", async () => {
    const r = await createSeries(
      t.db,
      admin,
      site,
      { ...base(), days: ["sun"], startTime: "02:30", endTime: "03:30", startsOn: "2027-03-01", endsOn: undefined },
      meta,
      { today: "2026-10-19" },
    );
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.fieldErrors?.startTime?.[0]).toMatch(/2:30 AM does not exist on Sun, Mar 14, 2027/);
  });

  it("lists a week's sessions for the calendar, filtered by facilitator", async () => {
    const all = await sessionsInRange(t.db, site.id, "2026-11-02T05:00:00.000Z", "2026-11-09T05:00:00.000Z");
    expect(all.map((s) => s.title)).toContain("Relapse Prevention");
    const mine = await sessionsInRange(t.db, site.id, "2026-11-02T05:00:00.000Z", "2026-11-09T05:00:00.000Z", { facilitatorId: marcus });
    expect(new Set(mine.map((s) => s.who))).toEqual(new Set(["Marcus Bell"]));
    expect(mine).toHaveLength(3);
    expect((await verifyAuditChain(t.db)).ok).toBe(true);
  });

  it("moves one occurrence without touching the rest, refusing a clash and a date the group already meets", async () => {
    const [mon] = await t.db
      .selectFrom("sessions")
      .select(["id", "version", "starts_at"])
      .where("title", "=", "Morning Process Group")
      .where("local_date", "=", "2026-11-02")
      .execute();
    const v = Number(mon.version);
    expect(await moveSession(t.db, admin, mon.id, { version: v, date: "2026-11-02", startTime: "10:00", endTime: "11:30" }, site, meta)).toMatchObject({
      ok: false,
      status: 409,
      formError: "Group Room A is already booked for Relapse Prevention on Mon, Nov 2, 2026, 10:30 AM–12:00 PM.",
    });
    expect(await moveSession(t.db, admin, mon.id, { version: v, date: "2026-11-04", startTime: "13:00", endTime: "14:30" }, site, meta)).toMatchObject({
      ok: false,
      fieldErrors: { date: ["Morning Process Group already meets on Wed, Nov 4, 2026; move it to a day it does not meet."] },
    });
    expect(await moveSession(t.db, admin, mon.id, { version: v, date: "2026-11-03", startTime: "13:00", endTime: "14:30" }, site, meta)).toEqual({ ok: true });
    const moved = await t.db.selectFrom("sessions").select(["local_date", "starts_at", "ends_at"]).where("id", "=", mon.id).executeTakeFirstOrThrow();
    expect(moved).toEqual({ local_date: "2026-11-03", starts_at: "2026-11-03T18:00:00.000Z", ends_at: "2026-11-03T19:30:00.000Z" });
    const others = await t.db
      .selectFrom("sessions")
      .select("starts_at")
      .where("title", "=", "Morning Process Group")
      .where("local_date", "=", "2026-11-06")
      .executeTakeFirstOrThrow();
    expect(others.starts_at).toBe("2026-11-06T14:00:00.000Z");
    // The version moved on: an edit from the old page is refused.
    expect(await cancelSession(t.db, admin, mon.id, { version: v, reason: "Snow" }, site.id, meta)).toMatchObject({ ok: false, status: 409 });
  });

  it("cancels one occurrence with its reason, and it no longer blocks the room", async () => {
    const [wed] = await t.db
      .selectFrom("sessions")
      .select(["id", "version"])
      .where("title", "=", "Morning Process Group")
      .where("local_date", "=", "2026-11-11")
      .execute();
    expect(await cancelSession(t.db, admin, wed.id, { version: Number(wed.version), reason: "Facilitator at training" }, site.id, meta)).toEqual({ ok: true });
    const row = await t.db.selectFrom("sessions").select(["status", "cancel_reason"]).where("id", "=", wed.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ status: "cancelled", cancel_reason: "Facilitator at training" });
    const audit = await t.db.selectFrom("audit_events").select("action").where("entity_id", "=", wed.id).execute();
    expect(audit.map((a) => a.action)).toEqual(["session.cancelled"]);
    const r = await createSeries(
      t.db,
      admin,
      site,
      {
        ...base(),
        title: "Make-up Group",
        facilitatorId: priya,
        days: ["wed"],
        startTime: "09:00",
        endTime: "10:00",
        startsOn: "2026-11-11",
        endsOn: "2026-11-11",
      },
      meta,
      { today: "2026-10-19" },
    );
    expect(r).toMatchObject({ ok: true, sessions: 1 });
    expect((await verifyAuditChain(t.db)).ok).toBe(true);
  });
});

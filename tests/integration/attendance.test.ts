/**
 * Roll call, hours and flags on real databases. Every date is fixed and every function gets its
 * `now`; every UTC instant below was worked out by hand from the site's zone (America/New_York:
 * EST is UTC−5, EDT is UTC−4; clocks fall back 2026-11-01 at 02:00 EDT = 06:00Z and spring forward
 * 2027-03-14 at 02:00 EST = 07:00Z).
 *
 * Sessions come from the real scheduling code (createSeries, bookAppointment) where that is
 * simple; a few one-off sessions and roster rows are inserted directly for exact control.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SessionStatus } from "#db/schema";
import { attendanceFlags, attendanceHistory, getRollCall, markedCounts, type MarkInput, saveRollCall } from "~/features/attendance/attendance.server";
import { verifyAuditChain } from "~/features/audit/audit.server";
import { bookAppointment } from "~/features/scheduling/appointments.server";
import { removeFromRoster } from "~/features/scheduling/enrollment.server";
import { cancelSession, createSeries } from "~/features/scheduling/groups.server";
import { createRoom, createTrack } from "~/features/scheduling/program.server";
import { newId } from "~/utils/ids";
import { createTestDatabase, dialects, type TestDatabase } from "../support/databases";
import { meta, seed } from "../support/demo";
import { addSecondSite, auditSince, enroll, lastSeq } from "./patients-support";

const TZ = "America/New_York";
type Actor = { id: string; name: string };
type Status = MarkInput["status"];

const STALE =
  "Someone else saved this roll call while you were taking it. Nothing of yours was saved: reload to see their marks, then make your changes again.";
const NOT_ON_ROSTER = "One of the patients marked is not on this session's roster. Reload the roll call.";

const mark = (patientId: string, status: Status, over: Partial<MarkInput> = {}): MarkInput => ({ patientId, status, mode: "in_person", ...over });

describe.each(dialects)("attendance on %s", (dialect) => {
  let t: TestDatabase;
  let site: { id: string; time_zone: string };
  let admin: Actor;
  let counselor: Actor;
  let staff: Actor;
  let marcus: string;
  let elena: string;
  let priya: string;
  /** Relapse Prevention, Tue/Thu 13:00–14:30 EST (18:00Z–19:30Z, 90 min), by local date. */
  const rp: Record<string, string> = {};
  /** Morning IOP group, Mon/Wed/Fri 09:00–12:00 EST (14:00Z–17:00Z, 180 min), by local date. */
  const am: Record<string, string> = {};
  const p: Record<string, string> = {};
  const mrn: Record<string, string> = {};

  const save = (sessionId: string, version: number, marks: MarkInput[], now: string, over: { reason?: string; actor?: Actor } = {}) =>
    saveRollCall(t.db, over.actor ?? counselor, sessionId, { version, marks, reason: over.reason }, site, meta, new Date(now));

  /** Takes roll from the version currently stored, as a taker who just loaded the form would. */
  async function take(sessionId: string, marks: MarkInput[], now: string) {
    const roll = await getRollCall(t.db, sessionId, site.id);
    const r = await save(sessionId, roll!.session.rollVersion, marks, now);
    if (!r.ok) throw new Error(`roll call refused: ${JSON.stringify(r)}`);
    return r;
  }

  const flagsAt = async (names: string[], now: string) => {
    const flags = await attendanceFlags(
      t.db,
      names.map((n) => p[n]),
      TZ,
      new Date(now),
    );
    return Object.fromEntries(names.map((n) => [n, flags.get(p[n])]));
  };

  /** Everything attendance writes, and the audit log's length: equal before and after means nothing was written. */
  async function state() {
    return {
      attendance: await t.db.selectFrom("attendance").selectAll().orderBy("id").execute(),
      rollCalls: await t.db.selectFrom("roll_calls").selectAll().orderBy("session_id").execute(),
      audit: await lastSeq(t.db),
    };
  }

  const marksOf = async (sessionId: string) => {
    const rows = await t.db.selectFrom("attendance").select(["patient_id", "status", "mode", "minutes", "note"]).where("session_id", "=", sessionId).execute();
    const byName: Record<string, { status: string; minutes: number; mode: string; note: string | null }> = {};
    for (const r of rows)
      byName[Object.keys(p).find((n) => p[n] === r.patient_id)!] = { status: r.status, minutes: Number(r.minutes), mode: r.mode, note: r.note };
    return byName;
  };

  const rollCallRow = async (sessionId: string) => {
    const r = await t.db.selectFrom("roll_calls").selectAll().where("session_id", "=", sessionId).executeTakeFirst();
    return r && { ...r, version: Number(r.version), corrections: Number(r.corrections) };
  };

  const auditFor = async (sessionId: string) =>
    (
      await t.db
        .selectFrom("audit_events")
        .select(["action", "user_id", "changes"])
        .where("entity_id", "=", sessionId)
        .where("action", "like", "attendance.%")
        .orderBy("seq")
        .execute()
    ).map((a) => ({
      ...a,
      changes: JSON.parse(a.changes!),
    }));

  async function seat(sessionIds: string[], patientIds: string[], leftAt: string | null = null) {
    for (const session_id of sessionIds)
      for (const patient_id of patientIds)
        await t.db
          .insertInto("session_participants")
          .values({
            id: newId(),
            session_id,
            patient_id,
            source: "added",
            joined_at: "2026-10-01T12:00:00.000Z",
            left_at: leftAt,
            left_reason: leftAt ? "Moved to another group" : null,
          })
          .execute();
  }

  /** A one-off session written straight into the table, with hand-computed instants. */
  async function insertSession(s: { title: string; date: string; startsAt: string; endsAt: string; status?: SessionStatus }) {
    const id = newId();
    await t.db
      .insertInto("sessions")
      .values({
        id,
        site_id: site.id,
        kind: "group",
        group_kind: "skills",
        title: s.title,
        facilitator_id: priya,
        modality: "telehealth",
        capacity: 12,
        local_date: s.date,
        starts_at: s.startsAt,
        ends_at: s.endsAt,
        status: s.status ?? "scheduled",
        cancel_reason: s.status === "cancelled" ? "Snow day" : null,
        created_at: "2026-10-01T12:00:00.000Z",
        updated_at: "2026-10-01T12:00:00.000Z",
      })
      .execute();
    return id;
  }

  beforeAll(async () => {
    t = await createTestDatabase(dialect);
    const clinic = await seed(t.db);
    site = { id: clinic.siteId, time_zone: TZ };
    admin = { id: clinic.users["dana.whitfield"].id, name: "Dana Whitfield" };
    counselor = { id: clinic.users["priya.raman"].id, name: "Priya Raman" };
    staff = { id: clinic.users["tom.kowalski"].id, name: "Tom Kowalski" };
    marcus = clinic.users["marcus.bell"].id;
    elena = clinic.users["elena.ortiz"].id;
    priya = counselor.id;

    const track = await createTrack(
      t.db,
      admin,
      site,
      { name: "Morning IOP", levelOfCare: "IOP", days: ["mon", "wed", "fri"], startTime: "09:00", endTime: "12:00" },
      meta,
    );
    const roomA = await createRoom(t.db, admin, site.id, { name: "Group Room A", capacity: 14 }, meta);
    const roomB = await createRoom(t.db, admin, site.id, { name: "Group Room B", capacity: 14 }, meta);
    if (!track.ok || !roomA.ok || !roomB.ok) throw new Error("setup failed");
    const base = { trackId: track.id, modality: "in_person" as const, capacity: 14, autoEnroll: false };
    const morning = await createSeries(
      t.db,
      admin,
      site,
      {
        ...base,
        title: "Morning IOP group",
        kind: "process",
        facilitatorId: marcus,
        roomId: roomA.id,
        days: ["mon", "wed", "fri"],
        startTime: "09:00",
        endTime: "12:00",
        startsOn: "2026-11-30",
      },
      meta,
      { today: "2026-11-30", horizonWeeks: 4 },
    );
    const relapse = await createSeries(
      t.db,
      admin,
      site,
      {
        ...base,
        title: "Relapse Prevention",
        kind: "relapse_prevention",
        facilitatorId: elena,
        roomId: roomB.id,
        days: ["tue", "thu"],
        startTime: "13:00",
        endTime: "14:30",
        startsOn: "2026-12-01",
      },
      meta,
      { today: "2026-12-01", horizonWeeks: 4 },
    );
    if (!morning.ok || !relapse.ok) throw new Error(JSON.stringify({ morning, relapse }));
    for (const [seriesId, into] of [
      [morning.id, am],
      [relapse.id, rp],
    ] as const) {
      const rows = await t.db
        .selectFrom("sessions")
        .select(["id", "local_date", "starts_at", "ends_at"])
        .where("series_id", "=", seriesId)
        .orderBy("starts_at")
        .execute();
      for (const r of rows) into[r.local_date] = r.id;
    }
    // The series' instants, checked by hand once: 09:00 and 13:00 EST.
    const check = await t.db
      .selectFrom("sessions")
      .select(["starts_at", "ends_at"])
      .where("id", "in", [am["2026-12-07"], rp["2026-12-01"]])
      .orderBy("starts_at")
      .execute();
    expect(check).toEqual([
      { starts_at: "2026-12-01T18:00:00.000Z", ends_at: "2026-12-01T19:30:00.000Z" },
      { starts_at: "2026-12-07T14:00:00.000Z", ends_at: "2026-12-07T17:00:00.000Z" },
    ]);

    const people: [string, string, string, Record<string, string>?][] = [
      ["jane", "Jane", "Doe"],
      ["sam", "Samuel", "Ortega", { preferredName: "Sam" }],
      ["lee", "Lee", "Chen"],
      ["zoe", "Zoe", "Park"],
      ["ana", "Ana", "Alvarez"],
      ["ben", "Ben", "Brooks"],
      ["cara", "Cara", "Cole"],
      ["dev", "Dev", "Desai"],
      ["eve", "Eve", "Evans", { dateOfBirth: "2010-03-15" }],
      ["finn", "Finn", "Foster", { levelOfCare: "PHP" }],
      ["gus", "Gus", "Green", { levelOfCare: "OP" }],
      ["hal", "Hal", "Hughes"],
      ["ivy", "Ivy", "Irwin"],
      ["max", "Max", "Moore"],
      ["kim", "Kim", "Kato"],
      ["lou", "Lou", "Lopez"],
    ];
    for (const [key, legalFirstName, legalLastName, over] of people) {
      const e = await enroll(t.db, counselor, site.id, { legalFirstName, legalLastName, ...over });
      p[key] = e.id;
      mrn[key] = e.mrn;
    }
    await t.db.updateTable("patients").set({ status: "on_hold" }).where("id", "=", p.hal).execute();
    await seat(Object.values(rp), [p.jane, p.sam, p.lee]);
    await seat(
      Object.values(am),
      ["ana", "ben", "cara", "dev", "eve", "finn", "gus", "hal", "ivy", "max"].map((k) => p[k]),
    );
  });
  afterAll(() => t?.destroy());

  describe("roll call", () => {
    it("saves a full roll call: one mark per patient, the roll call's version, one audit row", async () => {
      const session = rp["2026-12-01"];
      const roll = await getRollCall(t.db, session, site.id);
      expect(roll!.session).toMatchObject({
        title: "Relapse Prevention",
        local_date: "2026-12-01",
        starts_at: "2026-12-01T18:00:00.000Z",
        minutes: 90,
        rollVersion: 0,
        status: "scheduled",
      });
      expect(roll!.roster.map((r) => [r.name, r.initials, r.mark])).toEqual([
        ["Chen, Lee", "LC", null],
        ["Doe, Jane", "JD", null],
        ["Ortega, Samuel “Sam”", "SO", null],
      ]);

      const seq = await lastSeq(t.db);
      const now = "2026-12-01T19:00:00.000Z";
      const r = await save(
        session,
        0,
        [mark(p.jane, "present"), mark(p.sam, "late", { minutes: 75, note: "  Bus was late  " }), mark(p.lee, "absent_excused", { mode: "telehealth" })],
        now,
      );
      expect(r).toEqual({ ok: true, saved: 3, changed: 3, correction: false });

      const rows = await t.db.selectFrom("attendance").selectAll().where("session_id", "=", session).orderBy("patient_id").execute();
      expect(rows).toHaveLength(3);
      for (const row of rows)
        expect(row).toMatchObject({ local_date: "2026-12-01", starts_at: "2026-12-01T18:00:00.000Z", recorded_by: priya, recorded_at: now });
      expect(await marksOf(session)).toEqual({
        jane: { status: "present", minutes: 90, mode: "in_person", note: null },
        sam: { status: "late", minutes: 75, mode: "in_person", note: "Bus was late" },
        lee: { status: "absent_excused", minutes: 0, mode: "telehealth", note: null },
      });
      expect(await rollCallRow(session)).toEqual({
        session_id: session,
        taken_by: priya,
        taken_at: now,
        updated_by: priya,
        updated_at: now,
        corrections: 0,
        version: 1,
      });

      const audit = await auditSince(t.db, seq);
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({
        action: "attendance.recorded",
        outcome: "success",
        entity_type: "session",
        entity_id: session,
        user_id: priya,
        site_id: site.id,
        ip: meta.ip,
      });
      expect(JSON.parse(audit[0].changes!)).toEqual({
        before: {},
        after: {
          [mrn.jane]: { status: "present", mode: "in_person", minutes: 90, note: null },
          [mrn.sam]: { status: "late", mode: "in_person", minutes: 75, note: "Bus was late" },
          [mrn.lee]: { status: "absent_excused", mode: "telehealth", minutes: 0, note: null },
        },
        detail: { title: "Relapse Prevention", date: "2026-12-01", marked: 3, changed: 3 },
      });

      const after = await getRollCall(t.db, session, site.id);
      expect(after!.session).toMatchObject({ rollVersion: 1, roll_updated_by: "Priya Raman", roll_updated_at: now });
      expect(after!.roster.map((x) => [x.name, x.mark])).toEqual([
        ["Chen, Lee", { status: "absent_excused", mode: "telehealth", minutes: 0, note: null }],
        ["Doe, Jane", { status: "present", mode: "in_person", minutes: 90, note: null }],
        ["Ortega, Samuel “Sam”", { status: "late", mode: "in_person", minutes: 75, note: "Bus was late" }],
      ]);
    });

    it("saving the same marks again creates nothing and changes nothing (a double submit, a resave, the next day)", async () => {
      const session = rp["2026-12-01"];
      const marks = [
        mark(p.jane, "present"),
        mark(p.sam, "late", { minutes: 75, note: "Bus was late " }),
        mark(p.lee, "absent_excused", { mode: "telehealth" }),
      ];
      const before = await state();
      // The same form submitted twice (it still carries version 0), then resaved from version 1.
      expect(await save(session, 0, marks, "2026-12-01T19:00:01.000Z")).toEqual({ ok: true, saved: 3, changed: 0, correction: false });
      expect(await save(session, 1, marks, "2026-12-01T19:05:00.000Z")).toEqual({ ok: true, saved: 3, changed: 0, correction: false });
      // After the day, an unchanged roll needs no reason: nothing is being corrected.
      expect(await save(session, 1, marks, "2026-12-02T15:00:00.000Z")).toEqual({ ok: true, saved: 3, changed: 0, correction: false });
      // The same patient twice in one submission counts once.
      expect(await save(session, 1, [...marks, mark(p.jane, "present")], "2026-12-01T19:06:00.000Z")).toEqual({
        ok: true,
        saved: 3,
        changed: 0,
        correction: false,
      });
      expect(await state()).toEqual(before);
    });

    it("two takers from the same version: the second gets 409 and nothing of theirs is written", async () => {
      const session = rp["2026-12-03"];
      const now = "2026-12-03T18:30:00.000Z";
      const [a, b] = [await getRollCall(t.db, session, site.id), await getRollCall(t.db, session, site.id)];
      expect([a!.session.rollVersion, b!.session.rollVersion]).toEqual([0, 0]);

      expect(await save(session, 0, [mark(p.jane, "present"), mark(p.sam, "present")], now)).toEqual({ ok: true, saved: 2, changed: 2, correction: false });
      const afterFirst = await state();
      expect(await save(session, 0, [mark(p.jane, "absent_unexcused"), mark(p.lee, "late", { minutes: 60 })], now, { actor: staff })).toEqual({
        ok: false,
        status: 409,
        formError: STALE,
      });
      expect(await state()).toEqual(afterFirst);
      expect(await marksOf(session)).toEqual({
        jane: { status: "present", minutes: 90, mode: "in_person", note: null },
        sam: { status: "present", minutes: 90, mode: "in_person", note: null },
      });

      // Again from version 1: the counselor saves first, the staff member's save is refused.
      expect(await save(session, 1, [mark(p.sam, "left_early", { minutes: 60 })], now)).toEqual({ ok: true, saved: 1, changed: 1, correction: false });
      const afterSecond = await state();
      expect(await save(session, 1, [mark(p.lee, "present")], now, { actor: staff })).toEqual({ ok: false, status: 409, formError: STALE });
      expect(await state()).toEqual(afterSecond);

      // Reloaded, the staff member's change goes in on top of the counselor's.
      const reloaded = await getRollCall(t.db, session, site.id);
      expect(reloaded!.session.rollVersion).toBe(2);
      expect(await save(session, 2, [mark(p.lee, "present")], now, { actor: staff })).toEqual({ ok: true, saved: 1, changed: 1, correction: false });
      expect(await rollCallRow(session)).toMatchObject({ taken_by: priya, updated_by: staff.id, version: 3, corrections: 0 });
      expect(await marksOf(session)).toEqual({
        jane: { status: "present", minutes: 90, mode: "in_person", note: null },
        sam: { status: "left_early", minutes: 60, mode: "in_person", note: null },
        lee: { status: "present", minutes: 90, mode: "in_person", note: null },
      });
      expect((await auditFor(session)).map((x) => [x.action, x.user_id, Object.keys(x.changes.after).length])).toEqual([
        ["attendance.recorded", priya, 2],
        ["attendance.recorded", priya, 1],
        ["attendance.recorded", staff.id, 1],
      ]);
    });

    it("two takers saving at the same moment (Promise.all): exactly one wins, the other gets 409 and writes nothing", async () => {
      const session = rp["2026-12-08"];
      const now = "2026-12-08T18:30:00.000Z";
      const theirs = {
        [counselor.id]: [mark(p.jane, "present"), mark(p.sam, "present"), mark(p.lee, "present")],
        [staff.id]: [mark(p.jane, "absent_unexcused"), mark(p.sam, "absent_unexcused"), mark(p.lee, "absent_unexcused")],
      };
      const results = await Promise.all([save(session, 0, theirs[counselor.id], now), save(session, 0, theirs[staff.id], now, { actor: staff })]);
      expect(results.filter((r) => r.ok)).toEqual([{ ok: true, saved: 3, changed: 3, correction: false }]);
      expect(results.filter((r) => !r.ok)).toEqual([{ ok: false, status: 409, formError: STALE }]);
      const winner = results[0].ok ? counselor.id : staff.id;
      const winning = winner === counselor.id ? "present" : "absent_unexcused";
      expect(Object.values(await marksOf(session)).map((m) => m.status)).toEqual([winning, winning, winning]);
      expect(await rollCallRow(session)).toMatchObject({ taken_by: winner, updated_by: winner, version: 1 });
      expect((await auditFor(session)).map((a) => [a.action, a.user_id])).toEqual([["attendance.recorded", winner]]);

      // From version 1, two different changes at once: one applied, the other refused whole.
      const second = await Promise.all([
        save(session, 1, [mark(p.jane, "late", { minutes: 30 })], now),
        save(session, 1, [mark(p.sam, "left_early", { minutes: 20 })], now, { actor: staff }),
      ]);
      expect(second.filter((r) => r.ok)).toEqual([{ ok: true, saved: 1, changed: 1, correction: false }]);
      expect(second.filter((r) => !r.ok)).toEqual([{ ok: false, status: 409, formError: STALE }]);
      const m = await marksOf(session);
      if (second[0].ok) {
        expect(m.jane).toMatchObject({ status: "late", minutes: 30 });
        expect(m.sam.status).toBe(winning);
      } else {
        expect(m.sam).toMatchObject({ status: "left_early", minutes: 20 });
        expect(m.jane.status).toBe(winning);
      }
      expect(await rollCallRow(session)).toMatchObject({ version: 2, updated_by: second[0].ok ? counselor.id : staff.id });
      expect(await auditFor(session)).toHaveLength(2);
    });

    it("a double submit arriving at the same moment creates nothing twice", async () => {
      const session = rp["2026-12-24"];
      const now = "2026-12-24T19:00:00.000Z";
      const marks = [mark(p.jane, "present"), mark(p.sam, "absent_unexcused"), mark(p.lee, "late", { minutes: 80 })];
      const results = await Promise.all([save(session, 0, marks, now), save(session, 0, marks, now)]);
      expect(results.filter((r) => r.ok && r.changed === 3)).toHaveLength(1);
      expect(await t.db.selectFrom("attendance").select("id").where("session_id", "=", session).execute()).toHaveLength(3);
      expect(await rollCallRow(session)).toMatchObject({ version: 1 });
      expect(await auditFor(session)).toHaveLength(1);
      // The second submission carried exactly what was saved: it is answered as a resave, not as someone else's save.
      expect(results.filter((r) => r.ok && r.changed === 0)).toEqual([{ ok: true, saved: 3, changed: 0, correction: false }]);
    });

    it("refuses a cancelled session, one not started yet, a patient not on the roster, and bad minutes, with exact messages and nothing written", async () => {
      const cancelled = await cancelSession(t.db, admin, rp["2026-12-10"], { version: 1, reason: "Facilitator out sick" }, site.id, meta);
      expect(cancelled).toEqual({ ok: true });
      const session = rp["2026-12-15"];
      // Lee moved to another group the day before.
      expect(await removeFromRoster(t.db, counselor, session, p.lee, "Moved to the evening group", site, meta, new Date("2026-12-14T15:00:00.000Z"))).toEqual({
        ok: true,
      });
      const other = await addSecondSite(t.db);
      const before = await state();
      const start = "2026-12-15T18:00:00.000Z";

      expect(await save(rp["2026-12-10"], 0, [mark(p.jane, "present")], "2026-12-10T18:30:00.000Z")).toEqual({
        ok: false,
        status: 400,
        formError: "This session was cancelled; there is no roll to take.",
      });
      const notYet = { ok: false, status: 400, formError: "This session has not started yet. Take roll once it begins." };
      expect(await save(session, 0, [mark(p.jane, "present")], "2026-12-15T17:59:59.999Z")).toEqual(notYet);
      expect(await save(session, 0, [mark(p.jane, "present")], "2026-12-08T18:00:00.000Z")).toEqual(notYet);

      expect(await save(session, 0, [mark(p.jane, "present"), mark(p.zoe, "present")], start)).toEqual({ ok: false, status: 400, formError: NOT_ON_ROSTER });
      expect(await save(session, 0, [mark(p.lee, "present")], start)).toEqual({ ok: false, status: 400, formError: NOT_ON_ROSTER });
      expect((await getRollCall(t.db, session, site.id))!.roster.map((r) => r.name)).toEqual(["Doe, Jane", "Ortega, Samuel “Sam”"]);

      expect(await save(session, 0, [], start)).toEqual({ ok: false, status: 400, formError: "Mark at least one patient." });
      expect(await save("no-such-session", 0, [mark(p.jane, "present")], start)).toEqual({
        ok: false,
        status: 404,
        formError: "There is no such session at your site.",
      });
      expect(
        await saveRollCall(
          t.db,
          other.counselor,
          session,
          { version: 0, marks: [mark(p.jane, "present")] },
          { id: other.siteId, time_zone: "America/Chicago" },
          meta,
          new Date(start),
        ),
      ).toEqual({
        ok: false,
        status: 404,
        formError: "There is no such session at your site.",
      });

      const samRange = "Minutes Ortega, Samuel “Sam” attended must be a whole number from 1 to 90, the session's length.";
      expect(await save(session, 0, [mark(p.jane, "present"), mark(p.sam, "late", { minutes: -1 })], start)).toEqual({
        ok: false,
        status: 400,
        fieldErrors: { [`minutes.${p.sam}`]: [samRange] },
      });
      expect(await save(session, 0, [mark(p.sam, "left_early", { minutes: 91 })], start)).toEqual({
        ok: false,
        status: 400,
        fieldErrors: { [`minutes.${p.sam}`]: [samRange] },
      });
      // 0 minutes is an absence, not a late or early mark (issue 18, item 7).
      expect(await save(session, 0, [mark(p.jane, "present"), mark(p.sam, "left_early", { minutes: 0 })], start)).toEqual({
        ok: false,
        status: 400,
        fieldErrors: { [`minutes.${p.sam}`]: [samRange] },
      });
      // Late with the box left empty: asked for, by name, and nothing of the other mark is written.
      expect(await save(session, 0, [mark(p.jane, "late"), mark(p.sam, "left_early", { minutes: 12.5 })], start)).toEqual({
        ok: false,
        status: 400,
        fieldErrors: { [`minutes.${p.jane}`]: ["Say how many minutes Doe, Jane attended (1–90)."], [`minutes.${p.sam}`]: [samRange] },
      });
      expect(await save(session, 0, [mark(p.jane, "present"), mark(p.sam, "late")], start)).toEqual({
        ok: false,
        status: 400,
        fieldErrors: { [`minutes.${p.sam}`]: ["Say how many minutes Ortega, Samuel “Sam” attended (1–90)."] },
      });
      expect(await state()).toEqual(before);

      // At the very minute it starts, with the boundary values: the whole 90 and 1.
      expect(await save(session, 0, [mark(p.jane, "late", { minutes: 90 }), mark(p.sam, "left_early", { minutes: 1 })], start)).toEqual({
        ok: true,
        saved: 2,
        changed: 2,
        correction: false,
      });
      expect(await marksOf(session)).toEqual({
        jane: { status: "late", minutes: 90, mode: "in_person", note: null },
        sam: { status: "left_early", minutes: 1, mode: "in_person", note: null },
      });
    });

    it("a change after the session's day is a correction: it needs a reason and is audited as attendance.corrected", async () => {
      const session = rp["2026-12-17"];
      expect(await save(session, 0, [mark(p.jane, "present"), mark(p.sam, "absent_unexcused")], "2026-12-17T19:00:00.000Z")).toMatchObject({
        ok: true,
        correction: false,
      });
      // 23:59:59 EST on the 17th is still the session's day in New York (04:59:59Z on the 18th): no reason needed.
      expect(await save(session, 1, [mark(p.sam, "absent_excused")], "2026-12-18T04:59:59.000Z")).toEqual({
        ok: true,
        saved: 1,
        changed: 1,
        correction: false,
      });

      // From midnight EST it is a correction.
      const before = await state();
      const needReason = { ok: false, status: 400, fieldErrors: { reason: ["The session was on Thu, Dec 17, 2026: say why the marks are being corrected."] } };
      expect(await save(session, 2, [mark(p.sam, "late", { minutes: 45 })], "2026-12-18T05:00:00.000Z")).toEqual(needReason);
      expect(await save(session, 2, [mark(p.sam, "late", { minutes: 45 })], "2026-12-18T15:00:00.000Z", { reason: "   " })).toEqual(needReason);
      expect(await state()).toEqual(before);

      const now = "2026-12-18T15:00:00.000Z";
      const seq = await lastSeq(t.db);
      expect(
        await save(session, 2, [mark(p.jane, "present"), mark(p.sam, "late", { minutes: 45 })], now, { reason: "  Sign-in sheet shows he came at 13:45  " }),
      ).toEqual({
        ok: true,
        saved: 2,
        changed: 1,
        correction: true,
      });
      expect((await marksOf(session)).sam).toEqual({ status: "late", minutes: 45, mode: "in_person", note: null });
      expect(await rollCallRow(session)).toMatchObject({ version: 3, corrections: 1, updated_at: now });
      const audit = await auditSince(t.db, seq);
      expect(audit.map((a) => [a.action, a.entity_id, a.user_id])).toEqual([["attendance.corrected", session, priya]]);
      expect(JSON.parse(audit[0].changes!)).toEqual({
        before: { [mrn.sam]: { status: "absent_excused", mode: "in_person", minutes: 0, note: null } },
        after: { [mrn.sam]: { status: "late", mode: "in_person", minutes: 45, note: null } },
        detail: { title: "Relapse Prevention", date: "2026-12-17", marked: 2, changed: 1, reason: "Sign-in sheet shows he came at 13:45" },
      });

      // A patient not marked before gets a first mark without a reason: nothing of theirs is corrected.
      expect(await save(session, 3, [mark(p.lee, "present")], "2026-12-19T15:00:00.000Z")).toEqual({ ok: true, saved: 1, changed: 1, correction: false });
      expect(await rollCallRow(session)).toMatchObject({ version: 4, corrections: 1 });
      expect((await auditFor(session)).map((a) => a.action)).toEqual([
        "attendance.recorded",
        "attendance.recorded",
        "attendance.corrected",
        "attendance.recorded",
      ]);
    });

    it("a roll call first entered after the day needs no reason and is recorded, not corrected", async () => {
      const session = rp["2026-12-22"];
      const r = await save(session, 0, [mark(p.jane, "present"), mark(p.sam, "absent_unexcused"), mark(p.lee, "present")], "2026-12-28T15:00:00.000Z");
      expect(r).toEqual({ ok: true, saved: 3, changed: 3, correction: false });
      expect(await rollCallRow(session)).toMatchObject({ version: 1, corrections: 0 });
      expect((await auditFor(session)).map((a) => [a.action, a.changes.detail.reason])).toEqual([["attendance.recorded", undefined]]);
      expect((await t.db.selectFrom("attendance").select("local_date").where("session_id", "=", session).execute()).map((a) => a.local_date)).toEqual([
        "2026-12-22",
        "2026-12-22",
        "2026-12-22",
      ]);
    });

    it("counts the marks on each session for the Today view", async () => {
      const counts = await markedCounts(t.db, [rp["2026-12-01"], rp["2026-12-03"], rp["2026-12-29"]]);
      expect(Object.fromEntries(counts.get(rp["2026-12-01"])!)).toEqual({ [p.jane]: "present", [p.sam]: "late", [p.lee]: "absent_excused" });
      expect(Object.fromEntries(counts.get(rp["2026-12-03"])!)).toEqual({ [p.jane]: "present", [p.sam]: "left_early", [p.lee]: "present" });
      expect(counts.has(rp["2026-12-29"])).toBe(false);
      expect((await markedCounts(t.db, [])).size).toBe(0);
    });
  });

  /**
   * The hours week (Dec 7–13) as a story told a day at a time. Each test asks for the days it needs
   * (`week.through("wed")`): days not yet told are told then, once each, so any one test can run on
   * its own (vitest -t) and the tests together still tell the week in order.
   */
  const week = (() => {
    const MON = "2026-12-07";
    const WED = "2026-12-09";
    const FRI = "2026-12-11";
    let devTue = "";
    let devThu = "";
    const days = {
      start: async () => {
        // Dev also has a skills group Tue and Thu 15:00–16:30 EST (20:00Z–21:30Z): 12 hours a week in all.
        devTue = await insertSession({ title: "Coping skills", date: "2026-12-08", startsAt: "2026-12-08T20:00:00.000Z", endsAt: "2026-12-08T21:30:00.000Z" });
        devThu = await insertSession({ title: "Coping skills", date: "2026-12-10", startsAt: "2026-12-10T20:00:00.000Z", endsAt: "2026-12-10T21:30:00.000Z" });
        await seat([devTue, devThu], [p.dev]);
        // Ben was on a cancelled Saturday session and left a Tuesday one: neither is still possible.
        const cancelled = await insertSession({
          title: "Saturday workshop",
          date: "2026-12-12",
          startsAt: "2026-12-12T15:00:00.000Z",
          endsAt: "2026-12-12T18:00:00.000Z",
          status: "cancelled",
        });
        const left = await insertSession({
          title: "Tuesday check-in",
          date: "2026-12-08",
          startsAt: "2026-12-08T15:00:00.000Z",
          endsAt: "2026-12-08T16:00:00.000Z",
        });
        await seat([cancelled], [p.ben]);
        await seat([left], [p.ben], "2026-12-01T12:00:00.000Z");
      },
      mon: () =>
        take(
          am[MON],
          [
            mark(p.ana, "absent_unexcused"),
            mark(p.ben, "present"),
            mark(p.cara, "late", { minutes: 150 }),
            mark(p.dev, "present"),
            mark(p.eve, "absent_unexcused"),
            mark(p.finn, "present"),
            mark(p.gus, "absent_unexcused"),
            mark(p.hal, "absent_unexcused"),
          ],
          "2026-12-07T17:30:00.000Z",
        ),
      tue: () => take(devTue, [mark(p.dev, "present")], "2026-12-08T21:45:00.000Z"),
      wed: () =>
        take(
          am[WED],
          [
            mark(p.ana, "absent_unexcused"),
            mark(p.ben, "absent_unexcused"),
            mark(p.cara, "present"),
            mark(p.dev, "absent_unexcused"),
            mark(p.eve, "present"),
            mark(p.finn, "present"),
            mark(p.gus, "absent_unexcused"),
            mark(p.hal, "present"),
          ],
          "2026-12-09T17:30:00.000Z",
        ),
      thu: () => take(devThu, [mark(p.dev, "absent_unexcused")], "2026-12-10T21:45:00.000Z"),
      fri: () =>
        take(
          am[FRI],
          [mark(p.ana, "present"), mark(p.dev, "present"), mark(p.eve, "absent_unexcused"), mark(p.gus, "absent_excused")],
          "2026-12-11T17:30:00.000Z",
        ),
    };
    const told = new Set<keyof typeof days>();
    return {
      async through(last: keyof typeof days) {
        for (const day of Object.keys(days) as (keyof typeof days)[]) {
          if (!told.has(day)) {
            await days[day]();
            told.add(day);
          }
          if (day === last) return;
        }
      },
    };
  })();

  describe("hours this week on Morning IOP (Mon/Wed/Fri 09:00–12:00 EST, 3 h each, 9 h a week)", () => {
    const everyone = ["ana", "ben", "cara", "dev", "eve", "finn", "gus", "hal"];
    // Hours as written in the comments, checked as the minutes the flags carry (hours × 60).
    const f = (attendedHours: number, remainingHours: number, belowRequired: boolean, missedSessions = false, requirementLabel = "9–19 hours a week") =>
      expect.objectContaining({
        attendedMinutes: attendedHours * 60,
        remainingMinutes: remainingHours * 60,
        requirementLabel,
        belowRequired,
        missedSessions,
      });
    it("before anything is marked, every scheduled hour is still possible", async () => {
      await week.through("start");
      expect(await flagsAt(everyone, "2026-12-07T13:00:00.000Z")).toEqual({
        ana: f(0, 9, false),
        ben: f(0, 9, false),
        cara: f(0, 9, false),
        dev: f(0, 12, false),
        eve: f(0, 9, false, false, "6–19 hours a week"),
        // PHP needs 20: nine scheduled hours can never be enough.
        finn: f(0, 9, true, false, "20 or more hours a week"),
        gus: f(0, 9, false, false, "Under 9 hours a week"),
        hal: f(0, 9, false),
      });
    });

    it("Monday: a miss, a late arrival at 2.5 h, and the exact 9.0 boundary", async () => {
      await week.through("mon");
      expect(await flagsAt(everyone, "2026-12-07T17:30:00.000Z")).toEqual({
        // 0 + Wed 3 + Fri 3 = 6 < 9.
        ana: f(0, 6, true),
        // 3 + 6 = 9.0 exactly: not below.
        ben: f(3, 6, false),
        // 2.5 + 6 = 8.5 < 9.
        cara: f(2.5, 6, true),
        // 3 + Tue 1.5 + Wed 3 + Thu 1.5 + Fri 3 = 12.
        dev: f(3, 9, false),
        // Adolescent: 0 + 6 = 6, exactly the floor.
        eve: f(0, 6, false, false, "6–19 hours a week"),
        finn: f(3, 6, true, false, "20 or more hours a week"),
        // OP has no floor.
        gus: f(0, 6, false, false, "Under 9 hours a week"),
        // On hold: the same hours as Ana, but not flagged.
        hal: f(0, 6, false),
      });
    });

    it("Wednesday: two misses in a row flag missed sessions; Dev stays at 9 possible hours", async () => {
      await week.through("tue");
      // Wednesday's session over, its roll not yet taken: it still counts as possible, so Ben is at 3 + 6 = 9.
      expect((await flagsAt(["ben"], "2026-12-09T17:05:00.000Z")).ben).toEqual(f(3, 6, false));
      await week.through("wed");
      expect(await flagsAt(everyone, "2026-12-09T17:30:00.000Z")).toEqual({
        // 0 attended + Fri 3 remaining < 9, and two unexcused absences in a row.
        ana: f(0, 3, true, true),
        // Attended Monday, missed Wednesday: 3 + 3 = 6 < 9, below from the moment Wednesday is marked.
        ben: f(3, 3, true),
        cara: f(5.5, 3, true),
        // Mon 3 + Tue 1.5 attended, Thu 1.5 + Fri 3 still possible: 9.0, not below yet.
        dev: f(4.5, 4.5, false),
        eve: f(3, 3, false, false, "6–19 hours a week"),
        finn: f(6, 3, true, false, "20 or more hours a week"),
        gus: f(0, 3, false, true, "Under 9 hours a week"),
        hal: f(3, 3, false),
      });
    });

    it("Thursday: Dev misses the skills group and drops to 7.5 possible hours", async () => {
      await week.through("thu");
      // Unexcused Wednesday then unexcused Thursday: missed sessions too.
      expect((await flagsAt(["dev"], "2026-12-10T22:00:00.000Z")).dev).toEqual(f(4.5, 3, true, true));
    });

    it("Friday: an attended session clears missed sessions; the adolescent falls below 6", async () => {
      await week.through("fri");
      const flags = await flagsAt(["ana", "dev", "eve", "gus"], "2026-12-11T17:30:00.000Z");
      expect(flags).toEqual({
        ana: f(3, 0, true),
        dev: f(7.5, 0, true),
        // 3 attended, nothing left: below 6.
        eve: f(3, 0, true, false, "6–19 hours a week"),
        // Unexcused, unexcused, then excused: the last two are not both unexcused.
        gus: f(0, 0, false, false, "Under 9 hours a week"),
      });
    });

    it("the week runs Monday to Sunday in New York: Sunday 23:59 EST is still this week, Monday 00:00 is a new one", async () => {
      await week.through("fri");
      // 2026-12-14T04:59Z is Sunday 23:59 EST.
      // Friday's group, never marked for Ben and Cara, is roll missing by Sunday: not possible any more.
      const sunday = await flagsAt(["ben", "cara"], "2026-12-14T04:59:00.000Z");
      expect(sunday).toEqual({ ben: f(3, 0, true), cara: f(5.5, 0, true) });
      expect([sunday.ben!.rollMissingMinutes, sunday.cara!.rollMissing.map((m) => m.date)]).toEqual([180, ["2026-12-11"]]);
      // 05:00Z is Monday 00:00 EST: a fresh week with Mon/Wed/Fri 14–18 ahead.
      expect(await flagsAt(["ben", "cara"], "2026-12-14T05:00:00.000Z")).toEqual({ ben: f(0, 9, false), cara: f(0, 9, false) });
    });
  });

  describe("billable days and history", () => {
    it("3 h in a day is billable, 2.5 h is not, two sessions adding to 3 h on one day are, 179 minutes is not", async () => {
      const friAfternoon = await insertSession({
        title: "Individual check-in",
        date: "2026-12-18",
        startsAt: "2026-12-18T18:00:00.000Z",
        endsAt: "2026-12-18T19:30:00.000Z",
      });
      await seat([friAfternoon], [p.ivy]);
      await take(am["2026-12-14"], [mark(p.ivy, "present")], "2026-12-14T17:05:00.000Z");
      await take(am["2026-12-16"], [mark(p.ivy, "late", { minutes: 150 })], "2026-12-16T17:05:00.000Z");
      await take(am["2026-12-18"], [mark(p.ivy, "left_early", { minutes: 90 })], "2026-12-18T17:05:00.000Z");
      await take(friAfternoon, [mark(p.ivy, "present")], "2026-12-18T19:35:00.000Z");
      await take(am["2026-12-21"], [mark(p.ivy, "left_early", { minutes: 179 })], "2026-12-21T17:05:00.000Z");
      await take(am["2026-12-23"], [mark(p.ivy, "absent_excused")], "2026-12-23T17:05:00.000Z");

      const h = await attendanceHistory(t.db, p.ivy, "2026-12-01");
      expect(h.marks.map((m) => [m.local_date, m.title, m.label, m.minutes])).toEqual([
        ["2026-12-23", "Morning IOP group", "Absent (excused)", 0],
        ["2026-12-21", "Morning IOP group", "Left early", 179],
        ["2026-12-18", "Individual check-in", "Present", 90],
        ["2026-12-18", "Morning IOP group", "Left early", 90],
        ["2026-12-16", "Morning IOP group", "Late", 150],
        ["2026-12-14", "Morning IOP group", "Present", 180],
      ]);
      expect(h.weeks).toEqual([
        // Mon 179 (not billable) and an excused absence: 2.98 h shown as 3.0.
        { monday: "2026-12-21", attendedMinutes: 179, billable: { H0015: 0, S0201: 0, total: 0 }, levels: ["IOP"], present: 1, absent: 1 },
        // Mon 180 (billable), Wed 150 (not), Fri 90 + 90 (billable): 510 minutes, 8.5 h, 2 days.
        { monday: "2026-12-14", attendedMinutes: 510, billable: { H0015: 2, S0201: 0, total: 2 }, levels: ["IOP"], present: 4, absent: 0 },
      ]);
      expect(h.totalBillable).toEqual({ H0015: 2, S0201: 0, total: 2 });
      expect(h.billableRules.IOP.minMinutes).toBe(180);

      // From Dec 15 the Monday falls away: Wed 150 + Fri 180.
      const since = await attendanceHistory(t.db, p.ivy, "2026-12-15");
      expect(since.weeks.map((w) => [w.monday, w.attendedMinutes, w.billable.total, w.present])).toEqual([
        ["2026-12-21", 179, 0, 1],
        ["2026-12-14", 330, 1, 3],
      ]);
      expect(since.totalBillable.total).toBe(1);
    });

    it("history of the hours week: weekly totals match the flags' own sums", async () => {
      await week.through("fri");
      const h = await attendanceHistory(t.db, p.dev, "2026-12-07");
      // Mon 180 + Tue 90 + Fri 180 attended; Wed and Thu missed. Billable: Mon and Fri.
      expect(h.weeks).toEqual([
        { monday: "2026-12-07", attendedMinutes: 450, billable: { H0015: 2, S0201: 0, total: 2 }, levels: ["IOP"], present: 3, absent: 2 },
      ]);
      expect(h.totalBillable.total).toBe(2);
      const cara = await attendanceHistory(t.db, p.cara, "2026-12-07");
      // Mon 150 (not billable) + Wed 180 (billable).
      expect(cara.weeks).toEqual([
        { monday: "2026-12-07", attendedMinutes: 330, billable: { H0015: 1, S0201: 0, total: 1 }, levels: ["IOP"], present: 2, absent: 0 },
      ]);
    });
  });

  describe("missed sessions", () => {
    it("flags two unexcused absences in a row, clears on an attended session, and is broken by an excused absence", async () => {
      const missed = async (now: string) => (await flagsAt(["max"], now)).max!.missedSessions;
      await take(am["2026-12-14"], [mark(p.max, "absent_unexcused")], "2026-12-14T17:10:00.000Z");
      expect(await missed("2026-12-14T17:30:00.000Z")).toBe(false);
      await take(am["2026-12-16"], [mark(p.max, "absent_unexcused")], "2026-12-16T17:10:00.000Z");
      expect(await missed("2026-12-16T17:30:00.000Z")).toBe(true);
      // Asked before Wednesday's session began, only Monday's absence counts.
      expect(await missed("2026-12-16T13:59:00.000Z")).toBe(false);
      await take(am["2026-12-18"], [mark(p.max, "present")], "2026-12-18T17:10:00.000Z");
      expect(await missed("2026-12-18T17:30:00.000Z")).toBe(false);
      await take(am["2026-12-21"], [mark(p.max, "absent_unexcused")], "2026-12-21T17:10:00.000Z");
      await take(am["2026-12-23"], [mark(p.max, "absent_excused")], "2026-12-23T17:10:00.000Z");
      expect(await missed("2026-12-23T17:30:00.000Z")).toBe(false);
      await take(am["2026-12-25"], [mark(p.max, "absent_unexcused")], "2026-12-25T17:10:00.000Z");
      expect(await missed("2026-12-25T17:30:00.000Z")).toBe(false);
      await take(am["2026-12-28"], [mark(p.max, "absent_unexcused")], "2026-12-28T17:10:00.000Z");
      expect(await missed("2026-12-28T17:30:00.000Z")).toBe(true);
    });
  });

  describe("weeks and days across a daylight-saving change", () => {
    /** Books a one-off telehealth session with the real scheduling code, well ahead of time. */
    async function book(patient: string, date: string, startTime: string, durationMinutes: number) {
      const r = await bookAppointment(
        t.db,
        counselor,
        {
          patientId: p[patient],
          kind: "individual",
          approach: "cbt",
          familyMembers: [],
          facilitatorId: priya,
          date,
          startTime,
          durationMinutes,
          modality: "telehealth",
          weeks: 1,
        },
        site,
        meta,
        new Date("2026-10-01T12:00:00.000Z"),
      );
      if (!r.ok) throw new Error(JSON.stringify(r));
      return t.db.selectFrom("sessions").select(["id", "local_date", "starts_at", "ends_at"]).where("id", "=", r.sessionIds[0]).executeTakeFirstOrThrow();
    }

    it("fall back (Sunday 2026-11-01): Sunday 23:00 EST belongs to the week of Oct 26, Monday 00:10 to the week of Nov 2", async () => {
      const s = {
        prevSun: await book("kim", "2026-10-25", "23:00", 50),
        mon: await book("kim", "2026-10-26", "00:10", 180),
        sunDay: await book("kim", "2026-11-01", "13:00", 130),
        sunNight: await book("kim", "2026-11-01", "23:00", 50),
        nextMon: await book("kim", "2026-11-02", "00:10", 180),
        nextWed: await book("kim", "2026-11-04", "09:00", 180),
      };
      expect(Object.fromEntries(Object.entries(s).map(([k, v]) => [k, [v.local_date, v.starts_at, v.ends_at]]))).toEqual({
        prevSun: ["2026-10-25", "2026-10-26T03:00:00.000Z", "2026-10-26T03:50:00.000Z"], // EDT
        mon: ["2026-10-26", "2026-10-26T04:10:00.000Z", "2026-10-26T07:10:00.000Z"], // EDT
        sunDay: ["2026-11-01", "2026-11-01T18:00:00.000Z", "2026-11-01T20:10:00.000Z"], // EST from 02:00
        sunNight: ["2026-11-01", "2026-11-02T04:00:00.000Z", "2026-11-02T04:50:00.000Z"], // EST; 04:00Z would be midnight under EDT
        nextMon: ["2026-11-02", "2026-11-02T05:10:00.000Z", "2026-11-02T08:10:00.000Z"],
        nextWed: ["2026-11-04", "2026-11-04T14:00:00.000Z", "2026-11-04T17:00:00.000Z"],
      });
      for (const k of ["prevSun", "mon", "sunDay", "sunNight", "nextMon"] as const) await take(s[k].id, [mark(p.kim, "present")], s[k].ends_at);

      // Sunday 23:55 EST: the week of Oct 26 runs from 04:00Z Oct 26 (midnight EDT) to 05:00Z Nov 2 (midnight EST).
      // Attended: Mon 180 + Sun 130 + Sun night 50 = 360 = 6.0 h; nothing left this week.
      expect((await flagsAt(["kim"], "2026-11-02T04:55:00.000Z")).kim).toMatchObject({
        attendedMinutes: 360,
        remainingMinutes: 0,
        rollMissingMinutes: 0,
        requirementLabel: "9–19 hours a week",
        requiredMinutes: 540,
        belowRequired: true,
        missedSessions: false,
      });
      // Monday 04:00 EST: the new week holds only Monday 00:10 (3 h) and Wednesday (3 h still possible).
      expect((await flagsAt(["kim"], "2026-11-02T09:00:00.000Z")).kim).toMatchObject({ attendedMinutes: 180, remainingMinutes: 180, belowRequired: true });

      const h = await attendanceHistory(t.db, p.kim, "2026-10-19");
      expect(h.weeks.map((w) => [w.monday, w.attendedMinutes, w.billable.total, w.present])).toEqual([
        ["2026-11-02", 180, 1, 1],
        // Sunday Nov 1: 130 + 50 = 180 in the site's day (the 50 are on Nov 2 in UTC): billable, with Monday Oct 26.
        ["2026-10-26", 360, 2, 3],
        ["2026-10-19", 50, 0, 1],
      ]);
      expect(h.totalBillable.total).toBe(3);
    });

    it("spring forward (Sunday 2027-03-14): Sunday 23:00 EDT belongs to the week of Mar 8, Sunday Mar 7 23:00 EST to the week before", async () => {
      const s = {
        prevSun: await book("lou", "2027-03-07", "23:00", 50),
        mon: await book("lou", "2027-03-08", "00:10", 180),
        wed: await book("lou", "2027-03-10", "09:00", 180),
        sunDay: await book("lou", "2027-03-14", "13:00", 130),
        sunNight: await book("lou", "2027-03-14", "23:00", 50),
        nextMon: await book("lou", "2027-03-15", "00:10", 180),
        nextWed: await book("lou", "2027-03-17", "09:00", 180),
      };
      expect(Object.fromEntries(Object.entries(s).map(([k, v]) => [k, [v.local_date, v.starts_at]]))).toEqual({
        prevSun: ["2027-03-07", "2027-03-08T04:00:00.000Z"], // EST; 04:00Z would be midnight under EDT
        mon: ["2027-03-08", "2027-03-08T05:10:00.000Z"], // EST
        wed: ["2027-03-10", "2027-03-10T14:00:00.000Z"], // EST
        sunDay: ["2027-03-14", "2027-03-14T17:00:00.000Z"], // EDT from 03:00
        sunNight: ["2027-03-14", "2027-03-15T03:00:00.000Z"], // EDT
        nextMon: ["2027-03-15", "2027-03-15T04:10:00.000Z"], // EDT
        nextWed: ["2027-03-17", "2027-03-17T13:00:00.000Z"], // EDT
      });
      for (const k of ["prevSun", "mon", "sunDay", "sunNight", "nextMon"] as const) await take(s[k].id, [mark(p.lou, "present")], s[k].ends_at);

      // Sunday 23:55 EDT: the week of Mar 8 runs from 05:00Z Mar 8 (midnight EST) to 04:00Z Mar 15 (midnight EDT).
      // Attended: Mon 180 + Sun 130 + Sun night 50 = 360. Wednesday was never marked and its day is
      // over: roll missing, no longer possible, so 360 < 540 is below (it used to hide the shortfall).
      expect((await flagsAt(["lou"], "2027-03-15T03:55:00.000Z")).lou).toMatchObject({
        attendedMinutes: 360,
        remainingMinutes: 0,
        rollMissingMinutes: 180,
        rollMissing: [{ sessionId: s.wed.id, date: "2027-03-10", minutes: 180 }],
        requirementLabel: "9–19 hours a week",
        belowRequired: true,
        missedSessions: false,
      });
      // On Wednesday itself, after the session, it is still possible (the roll can be taken that day).
      expect((await flagsAt(["lou"], "2027-03-10T20:00:00.000Z")).lou).toMatchObject({ remainingMinutes: 180, rollMissingMinutes: 0 });
      // Monday 08:00 EDT: Monday 00:10 only, and next Wednesday ahead.
      expect((await flagsAt(["lou"], "2027-03-15T12:00:00.000Z")).lou).toMatchObject({ attendedMinutes: 180, remainingMinutes: 180, belowRequired: true });

      const h = await attendanceHistory(t.db, p.lou, "2027-03-01");
      expect(h.weeks.map((w) => [w.monday, w.attendedMinutes, w.billable.total, w.present])).toEqual([
        ["2027-03-15", 180, 1, 1],
        ["2027-03-08", 360, 2, 3],
        ["2027-03-01", 50, 0, 1],
      ]);
      expect(h.totalBillable.total).toBe(3);
    });
  });

  it("leaves the audit chain intact", async () => {
    expect(await verifyAuditChain(t.db)).toMatchObject({ ok: true });
  });
});

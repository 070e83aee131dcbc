/**
 * The random draw on real databases: who is eligible (attending that day, or all active), the
 * stored seed and eligible list that reproduce the selection, a second draw that needs a reason,
 * an empty pool, and the day's board of collected and missing patients.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordCollection } from "~/features/drug-testing/collections.server";
import { drawSelection } from "~/features/drug-testing/draw";
import { drawBoard, drawsOn, eligiblePatients, getDraw, rerunDraw, runDraw } from "~/features/drug-testing/draws.server";
import { drawSchema } from "~/features/drug-testing/schemas";
import { changeStatus } from "~/features/patients/patients.server";
import { bookAppointment } from "~/features/scheduling/appointments.server";
import { cancelSession } from "~/features/scheduling/groups.server";
import { createRoom } from "~/features/scheduling/program.server";
import { createTestDatabase, dialects, type TestDatabase } from "../support/databases";
import { meta } from "../support/demo";
import { auditSince, lastSeq, version } from "./patients-support";
import { collection, drugSnapshot, type DrugTestWorld, drugTestWorld, NOW } from "./drug-testing-support";

const DAY = "2026-11-30"; // the Monday after "now"

describe.each(dialects)("random drug-test draws on %s", (dialect) => {
  let t: TestDatabase;
  let w: DrugTestWorld;
  let cancelled: string;

  beforeAll(async () => {
    t = await createTestDatabase(dialect);
    w = await drugTestWorld(t.db);
    const office = await createRoom(t.db, w.admin, w.site.id, { name: "Counseling Office 1", capacity: 3 }, meta);
    if (!office.ok) throw new Error(JSON.stringify(office));
    // Attending on Monday: buprenorphine, methadone and naltrexone patients have sessions; the naltrexone one is cancelled.
    const book = async (patientId: string, startTime: string) => {
      const r = await bookAppointment(
        t.db,
        w.counselor,
        {
          patientId,
          kind: "individual",
          approach: "cbt",
          familyMembers: [],
          facilitatorId: w.counselor.id,
          date: DAY,
          startTime,
          durationMinutes: 50,
          modality: "in_person",
          roomId: office.id,
          weeks: 1,
        },
        w.site,
        meta,
        NOW,
      );
      if (!r.ok) throw new Error(JSON.stringify(r));
      return r.sessionIds[0];
    };
    await book(w.bup, "09:00");
    await book(w.methadone, "10:00");
    cancelled = await book(w.naltrexone, "11:00");
    const c = await cancelSession(t.db, w.admin, cancelled, { version: 1, reason: "Counselor out" }, w.site.id, meta);
    if (!c.ok) throw new Error(JSON.stringify(c));
    // An on-hold patient is not active, so never eligible.
    const held = await changeStatus(
      t.db,
      w.counselor,
      w.nomat,
      { version: await version(t.db, w.nomat), status: "on_hold", effectiveOn: "2026-11-27", reason: "Hospitalized" },
      w.siteIds,
      meta,
    );
    if (!held.ok) throw new Error(JSON.stringify(held));
  });
  afterAll(() => t?.destroy());

  it("draws from the active patients attending that day, or all active, sorted by id", async () => {
    expect(await eligiblePatients(t.db, w.site.id, DAY, "attending")).toEqual([w.bup, w.methadone].sort());
    expect(await eligiblePatients(t.db, w.site.id, DAY, "all_active")).toEqual([w.bup, w.methadone, w.naltrexone].sort());
    expect(await eligiblePatients(t.db, w.site.id, "2026-12-01", "attending")).toEqual([]);
  });

  it("stores the seed, the eligible list and the selection, so re-running the seed reproduces the draw; audited", async () => {
    const seq = await lastSeq(t.db);
    const r = await runDraw(t.db, w.staff, { date: DAY, pool: "all_active", mode: "rate", amount: 50 }, w.site, meta, { now: NOW });
    if (!r.ok) throw new Error(JSON.stringify(r));
    expect(r).toMatchObject({ selected: 2, eligible: 3, sequence: 1 });
    const draw = (await getDraw(t.db, r.id, w.siteIds))!;
    expect(draw.seed).toMatch(/^[0-9a-f]{64}$/);
    expect(draw.algorithm).toBe("hmac-sha256-fisher-yates-v1");
    expect(draw.eligible).toEqual([w.bup, w.methadone, w.naltrexone].sort());
    expect(draw.selected).toHaveLength(2);
    expect(draw.drawnBy).toBe("Tom Kowalski");
    // Anyone can re-run it: the same seed and list give the same patients in the same order.
    expect(drawSelection(draw.seed, draw.eligible, 2)).toEqual(draw.selected);
    expect(rerunDraw(draw)).toEqual({ reproduced: true, selection: draw.selected });
    expect(rerunDraw({ ...draw, selected: [...draw.selected].reverse() }).reproduced).toBe(false);

    const audit = await auditSince(t.db, seq);
    expect(audit.map((a) => a.action)).toEqual(["drug_test.drawn"]);
    expect(audit[0]).toMatchObject({ entity_type: "drug_test_draw", entity_id: r.id, user_id: w.staff.id, site_id: w.site.id });
    expect(JSON.parse(audit[0].changes!).after).toMatchObject({
      date: DAY,
      pool: "all_active",
      mode: "rate",
      amount: 50,
      eligible: 3,
      selected: draw.selected,
      seed: draw.seed,
    });
  });

  it("asks why before a second draw for the same day, then keeps both and audits the reason", async () => {
    const before = await drugSnapshot(t.db);
    const noReason = await runDraw(t.db, w.admin, { date: DAY, pool: "attending", mode: "number", amount: 1 }, w.site, meta, { now: NOW });
    expect(noReason).toEqual({
      ok: false,
      status: 400,
      fieldErrors: {
        reason: ["Tom Kowalski already drew 2 for Mon, Nov 30, 2026 at 12:00 PM. Say why you are drawing again; both draws are kept in the record."],
      },
    });
    expect(await drugSnapshot(t.db)).toEqual(before);

    const again = await runDraw(
      t.db,
      w.admin,
      { date: DAY, pool: "attending", mode: "number", amount: 1, reason: "First draw used the wrong pool." },
      w.site,
      meta,
      { now: NOW },
    );
    if (!again.ok) throw new Error(JSON.stringify(again));
    expect(again).toMatchObject({ sequence: 2, selected: 1, eligible: 2 });
    const draws = await drawsOn(t.db, w.site.id, DAY);
    expect(draws.map((d) => [d.sequence, d.reason])).toEqual([
      [1, null],
      [2, "First draw used the wrong pool."],
    ]);
    const [audit] = await t.db.selectFrom("audit_events").selectAll().where("action", "=", "drug_test.redrawn").execute();
    expect(JSON.parse(audit.changes!).detail).toEqual({ reason: "First draw used the wrong pool.", replaces: draws[0].id });
  });

  it("refuses to draw from an empty pool, or more patients than there are, and writes nothing", async () => {
    const before = await drugSnapshot(t.db);
    const empty = await runDraw(t.db, w.staff, { date: "2026-12-01", pool: "attending", mode: "rate", amount: 20 }, w.site, meta, { now: NOW });
    expect(empty).toEqual({
      ok: false,
      status: 400,
      formError: "No patients are eligible for this draw, so there is no one to draw from. Try all active patients, or another day.",
    });
    const tooMany = await runDraw(t.db, w.staff, { date: "2026-12-01", pool: "all_active", mode: "number", amount: 4 }, w.site, meta, { now: NOW });
    expect(tooMany).toEqual({ ok: false, status: 400, fieldErrors: { amount: ["Only 3 patients are eligible; draw at most 3."] } });
    expect(await drugSnapshot(t.db)).toEqual(before);
    // A day that has passed is refused by the form itself.
    const past = drawSchema("2026-11-27").safeParse({ date: "2026-11-26", pool: "attending", mode: "rate", amount: "20" });
    expect(past.success).toBe(false);
    expect(past.error!.issues[0].message).toBe("A draw is for today or a day ahead, not a day that has passed.");
  });

  it("two first draws at the same moment: one wins, the other is told to reload", async () => {
    const date = "2026-12-02";
    const input = { date, pool: "all_active" as const, mode: "rate" as const, amount: 20 };
    const [a, b] = await Promise.all([runDraw(t.db, w.staff, input, w.site, meta, { now: NOW }), runDraw(t.db, w.admin, input, w.site, meta, { now: NOW })]);
    const outcomes = [a, b].map((r) => (r.ok ? "ok" : (r.formError ?? r.fieldErrors?.reason?.[0] ?? "")));
    expect(outcomes.filter((o) => o === "ok")).toHaveLength(1);
    expect(outcomes.find((o) => o !== "ok")).toMatch(/Someone else drew for this day at the same moment|already drew/);
    expect(await drawsOn(t.db, w.site.id, date)).toHaveLength(1);
  });

  it("links a random collection to the day's latest draw and shows who is still missing", async () => {
    const draws = await drawsOn(t.db, w.site.id, DAY);
    const latest = draws[draws.length - 1];
    const [selected] = latest.selected;
    const notSelected = [w.bup, w.methadone].find((p) => p !== selected)!;
    expect((await drawBoard(t.db, latest)).map((b) => b.test)).toEqual([null]);

    // Collections are never in the future: this one happens on the Monday itself.
    const monday = new Date("2026-11-30T16:00:00.000Z");
    const refusedInput = collection(w, { patientId: notSelected, reason: "random", date: DAY, time: "10:30" });
    const refused = await recordCollection(t.db, w.staff, refusedInput, w.siteIds, meta, monday);
    expect(refused).toMatchObject({ ok: false, fieldErrors: { reason: [expect.stringMatching(/was not selected in a random draw on Nov 30, 2026/)] } });

    const r = await recordCollection(
      t.db,
      w.staff,
      collection(w, { patientId: selected, reason: "random", date: DAY, time: "10:30" }),
      w.siteIds,
      meta,
      monday,
    );
    if (!r.ok) throw new Error(JSON.stringify(r));
    const test = await t.db.selectFrom("drug_tests").select(["draw_id", "reason"]).where("id", "=", r.id).executeTakeFirstOrThrow();
    expect(test).toEqual({ draw_id: latest.id, reason: "random" });
    const board = await drawBoard(t.db, latest);
    expect(board).toMatchObject([{ order: 1, patientId: selected, test: { id: r.id, collection: "collected", outcome: "pending" } }]);
  });
});

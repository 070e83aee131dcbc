/**
 * Issue 21, items 4 and 5, on real databases: the fee schedule (saved, audited, refusals) and the
 * charges built day by day — the issue's "done when" case computed by hand, a short day, an
 * unsigned note that becomes ready once signed, and corrections to attendance that update (or
 * remove) an unexported charge and leave an exported one alone.
 *
 * Site zone America/New_York; sessions at 14:00Z (09:00 local), so each is on its UTC date.
 *
 * Pat (IOP): payer Harbor Health Plan (commercial), fee row H0015 professional, 1 unit, 180 min,
 *   signed notes, $250.00. Authorization A-10: 10 days approved, 2026-11-02..2026-11-30. Consent to
 *   Harbor Health Plan for payment signed 2026-11-01. Twelve documented 3-hour days, the weekdays
 *   2026-11-02..2026-11-17:
 *     days 1–10 (11-02 .. 11-13) -> covered: ready, $250.00 each, $2,500.00 in all
 *     days 11–12 (11-16, 11-17)  -> past the 10 approved: held, "authorization exhausted"
 *   Correcting day 3 (11-04) to absent removes its charge and moves the 10th unit to 11-16:
 *     11 days, 10 ready, 1 (11-17) held.
 *
 * Rae (IOP): same payer and fee row, authorization A-20 (20 days, 11-02..11-30), same consent.
 *   11-02  2.5 h, signed         -> held: below the day's hours (uses no unit)
 *   11-03  3 h, note unsigned    -> held: note unsigned; once signed -> ready
 *   11-04  3 h, signed           -> ready; corrected to left early after 2 h -> held below hours;
 *                                   corrected to absent -> no charge
 *   11-05  3 h, signed, exported -> a correction leaves the exported charge as it was
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { countChargeDayTotals, keptChargeDayTotals } from "~/features/billing/charge-totals.server";
import { noteById, openNote, saveEntry, saveShared, signNote } from "~/features/notes/notes.server";
import type { AttendanceStatus } from "~/features/attendance/rules";
import { listCharges, refreshCharges } from "~/features/billing/charges.server";
import { getFeeRow, listFeeSchedule, saveFeeRow } from "~/features/billing/fee-schedule.server";
import { createPayer } from "~/features/billing/payers.server";
import { createCoverage } from "~/features/billing/coverage.server";
import { createAuthorization } from "~/features/billing/authorizations.server";
import { FeeRowSchema, type FeeRowInput } from "~/features/billing/charge-schemas";
import { newId } from "~/utils/ids";
import { createTestDatabase, dialects, type TestDatabase } from "../support/databases";
import { meta, seed } from "../support/demo";
import { auditSince, enroll, lastSeq } from "./patients-support";
import { groupSession, markRoll } from "./roll-call-support";

const TZ = "America/New_York";
const WEEKDAYS_12 = ["02", "03", "04", "05", "06", "09", "10", "11", "12", "13", "16", "17"].map((d) => `2026-11-${d}`);

describe.each(dialects)("fee schedule and charges on %s", (dialect) => {
  let t: TestDatabase;
  let site: { id: string; time_zone: string };
  type Person = { id: string; name: string };
  let dana: Person;
  let priya: Person;
  let pat: string;
  let rae: string;
  let payer: string;
  let feeId: string;
  const rollOf = new Map<string, string>();

  const feeInput = (over: Record<string, string> = {}): FeeRowInput => {
    const parsed = FeeRowSchema.safeParse({
      intent: "save-fee",
      payerId: payer,
      level: "IOP",
      claimType: "professional",
      procedureCode: "h0015",
      modifiers: "",
      revenueCode: "",
      unitsPerDay: "1",
      minMinutes: "180",
      requiresSignedNote: "yes",
      rate: "250.00",
      ...over,
    });
    if (!parsed.success) throw new Error(JSON.stringify(parsed.error.issues));
    return parsed.data;
  };

  // Sessions and roll calls come from the shared attendance fixture (tests/integration/roll-call-support.ts).
  const session = (date: string, minutes: number, roll: [string, AttendanceStatus][]) => groupSession(t.db, dana, priya, site, date, minutes, roll);
  const mark = (sessionId: string, roll: [string, AttendanceStatus, number?][], now: Date, reason?: string) =>
    markRoll(t.db, dana, site, sessionId, roll, now, reason);

  async function write(sessionId: string, when: string) {
    const at = new Date(when);
    const opened = await openNote(t.db, priya, sessionId, site.id, meta, at);
    if (!opened.ok) throw new Error(JSON.stringify(opened));
    const view = (await noteById(t.db, opened.id, [site.id]))!;
    const shared = await saveShared(
      t.db,
      priya,
      opened.id,
      { version: view.sharedVersion, shared: { topic: "Triggers", curriculum: "", interventions: "Role-play", process: "Engaged" } },
      site.id,
      meta,
      at,
    );
    if (!shared.ok) throw new Error(JSON.stringify(shared));
    for (const p of view.parts) {
      const r = await saveEntry(
        t.db,
        priya,
        opened.id,
        p.patientId,
        {
          version: p.version,
          content: {
            sections: { response: "Shared openly.", plan: "Practise." },
            participation: "active",
            objectives: [],
            harm: "denied",
            harmDetail: "",
            use: "none",
            useDetail: "",
          },
        },
        site.id,
        meta,
        at,
      );
      if (!r.ok) throw new Error(JSON.stringify(r));
    }
    return opened.id;
  }

  async function sign(noteId: string, when: string) {
    const r = await signNote(t.db, priya, noteId, site.id, meta, new Date(when));
    if (!r.ok) throw new Error(JSON.stringify(r));
  }

  async function chargesOf(patientId: string) {
    const rows = await t.db
      .selectFrom("charges")
      .select(["service_date", "status", "hold_reasons", "amount_cents", "units", "procedure_code", "minutes", "documented_minutes"])
      .where("patient_id", "=", patientId)
      .orderBy("service_date")
      .execute();
    return rows.map((r) => ({ date: r.service_date, status: r.status, reasons: JSON.parse(r.hold_reasons) as string[], cents: Number(r.amount_cents) }));
  }

  async function consent(patientId: string) {
    await t.db
      .insertInto("consents")
      .values({
        id: newId(),
        patient_id: patientId,
        site_id: site.id,
        request_key: newId(),
        disclosing_party: "Harbor Light",
        information: JSON.stringify(["attendance", "level_of_care", "diagnoses"]),
        recipient: "Harbor Health Plan",
        recipient_key: "harbor health plan",
        recipient_designation: "named",
        purposes: JSON.stringify(["payment"]),
        purpose_other: null,
        expires_on: "2027-11-01",
        expiry_event: null,
        expiry_event_text: null,
        revocation_explained: 1,
        signed_on: "2026-11-01",
        signed_by: "patient",
        signer_name: null,
        note: null,
        revoked_on: null,
        revocation_note: null,
        revoked_by: null,
        expired_on: null,
        expiry_note: null,
        expired_by: null,
        recorded_by: dana.id,
        created_at: "2026-11-01T12:00:00.000Z",
        updated_at: "2026-11-01T12:00:00.000Z",
      })
      .execute();
  }

  async function cover(patientId: string, units: number, number: string) {
    const coverageId = newId();
    const now = "2026-11-01T12:00:00.000Z";
    await t.db
      .insertInto("coverages")
      .values({
        id: coverageId,
        patient_id: patientId,
        payer_id: payer,
        priority: "primary",
        effective_from: "2026-10-01",
        effective_to: null,
        created_by: dana.id,
        created_at: now,
        updated_at: now,
      })
      .execute();
    await t.db
      .insertInto("authorizations")
      .values({
        id: newId(),
        coverage_id: coverageId,
        patient_id: patientId,
        level_of_care: "IOP",
        unit_kind: "days",
        units_approved: units,
        starts_on: "2026-11-02",
        ends_on: "2026-11-30",
        status: "approved",
        number,
        created_by: dana.id,
        created_at: now,
        updated_at: now,
      })
      .execute();
    await consent(patientId);
  }

  beforeAll(async () => {
    t = await createTestDatabase(dialect);
    const clinic = await seed(t.db);
    site = { id: clinic.siteId, time_zone: TZ };
    await t.db.updateTable("sites").set({ time_zone: TZ }).where("id", "=", site.id).execute();
    const person = (key: string) => ({ id: clinic.users[key].id, name: clinic.users[key].name });
    [dana, priya] = ["dana.whitfield", "priya.raman"].map(person);
    pat = (await enroll(t.db, priya, site.id, { legalFirstName: "Pat", legalLastName: "Charges", admittedOn: "2026-10-30", primaryCounselorId: priya.id })).id;
    rae = (await enroll(t.db, priya, site.id, { legalFirstName: "Rae", legalLastName: "Charges", admittedOn: "2026-10-30", primaryCounselorId: priya.id })).id;
    const added = await createPayer(t.db, dana, site.id, { name: "Harbor Health Plan", kind: "commercial", payerCode: "HHP01", active: "yes" }, meta);
    if (!added.ok) throw new Error(JSON.stringify(added));
    payer = added.id;
    const saved = await saveFeeRow(t.db, dana, site.id, feeInput(), meta);
    if (!saved.ok) throw new Error(JSON.stringify(saved));
    feeId = saved.id;
    await cover(pat, 10, "A-10");
    await cover(rae, 20, "A-20");
    for (const date of WEEKDAYS_12) {
      const id = await session(date, 180, [[pat, "present"]]);
      await sign(await write(id, `${date}T18:00:00.000Z`), `${date}T18:00:00.000Z`);
      rollOf.set(`pat|${date}`, id);
    }
    // Rae's four days.
    const short = await session("2026-11-02", 150, [[rae, "present"]]);
    await sign(await write(short, "2026-11-02T18:00:00.000Z"), "2026-11-02T18:00:00.000Z");
    const unsigned = await session("2026-11-03", 180, [[rae, "present"]]);
    rollOf.set("rae|unsigned-note", await write(unsigned, "2026-11-03T18:00:00.000Z"));
    for (const date of ["2026-11-04", "2026-11-05"]) {
      const id = await session(date, 180, [[rae, "present"]]);
      await sign(await write(id, `${date}T18:00:00.000Z`), `${date}T18:00:00.000Z`);
      rollOf.set(`rae|${date}`, id);
    }
  });
  afterAll(() => t?.destroy());
  // Every charge write here (a refresh, an export, a remittance, a correction) moves the kept day
  // totals the charge review reads (migration 28's triggers): they must equal a count from scratch.
  afterEach(async () => {
    expect(await keptChargeDayTotals(t.db)).toEqual(await countChargeDayTotals(t.db));
  });

  it("saves the fee schedule row as typed, audited", async () => {
    const rows = await listFeeSchedule(t.db, site.id);
    expect(rows).toEqual([
      expect.objectContaining({
        payerName: "Harbor Health Plan",
        level: "IOP",
        claimType: "professional",
        procedureCode: "H0015",
        modifiers: "",
        revenueCode: "",
        unitsPerDay: 1,
        minMinutes: 180,
        requiresSignedNote: true,
        rateCents: 25_000,
        version: 1,
      }),
    ]);
    const seq = await lastSeq(t.db);
    const changed = await saveFeeRow(t.db, dana, site.id, { ...feeInput({ modifiers: "hf, u7", rate: "$260.50" }), feeId, version: 1 }, meta);
    expect(changed).toEqual({ ok: true, id: feeId, created: false });
    expect(await getFeeRow(t.db, feeId, site.id)).toMatchObject({ modifiers: "HF,U7", rateCents: 26_050, version: 2 });
    const audit = await auditSince(t.db, seq);
    // The payer's unexported charges follow the new rate, in the same transaction, audited once.
    expect(audit.map((a) => a.action)).toEqual(["fee_schedule.updated", "charges.refreshed"]);
    expect((await chargesOf(pat)).map((c) => c.cents)).toEqual(WEEKDAYS_12.map(() => 26_050));
    expect(JSON.parse(audit[0].changes!)).toMatchObject({ before: { rateCents: 25_000, modifiers: "" }, after: { rateCents: 26_050, modifiers: "HF,U7" } });
    // Put back for the charges below.
    expect((await saveFeeRow(t.db, dana, site.id, { ...feeInput(), feeId, version: 2 }, meta)).ok).toBe(true);
  });

  it("refuses a second row for the payer and level, a stale form and a payer of no site of yours", async () => {
    expect(await saveFeeRow(t.db, dana, site.id, feeInput(), meta)).toEqual({
      ok: false,
      status: 409,
      fieldErrors: { level: ["Harbor Health Plan already has an IOP row: change that row instead of adding another."] },
    });
    const stale = await saveFeeRow(t.db, dana, site.id, { ...feeInput({ rate: "1.00" }), feeId, version: 1 }, meta);
    expect(stale).toMatchObject({ ok: false, status: 409, formError: expect.stringContaining("Someone else changed this fee schedule row") });
    expect(await getFeeRow(t.db, feeId, site.id)).toMatchObject({ rateCents: 25_000, version: 3 });
    const foreign = await saveFeeRow(t.db, dana, site.id, { ...feeInput(), payerId: newId() }, meta);
    expect(foreign).toMatchObject({ ok: false, status: 400, fieldErrors: { payerId: ["Choose one of your site's payers."] } });
    expect(await getFeeRow(t.db, feeId, "another-site")).toBeNull();
  });

  it("makes 10 ready charges and holds 2 for 'authorization exhausted' from a 10-day authorization and 12 documented 3-hour days", async () => {
    const charges = await chargesOf(pat);
    expect(charges).toEqual(
      WEEKDAYS_12.map((date, i) =>
        i < 10 ? { date, status: "ready", reasons: [], cents: 25_000 } : { date, status: "held", reasons: ["authorization_exhausted"], cents: 25_000 },
      ),
    );
    const list = await listCharges(
      t.db,
      site.id,
      { payer: null, reason: null, status: null, week: null, patient: "pat" },
      { sort: "date", direction: "asc", page: 1, pageSize: 25 },
    );
    expect(list.totals).toEqual({ ready: { count: 10, cents: 250_000 }, held: { count: 2, cents: 50_000 } });
    expect(list.rows[11].reasons).toEqual([
      {
        code: "authorization_exhausted",
        label: "Authorization exhausted",
        detail: "All 10 days of authorization A-10 (Nov 2, 2026–Nov 30, 2026) were used on earlier days.",
      },
    ]);
    // The filters: held for that reason, the week of Monday 16 November.
    const held = await listCharges(
      t.db,
      site.id,
      { payer, reason: "authorization_exhausted", status: null, week: "2026-11-16", patient: "" },
      { sort: "date", direction: "asc", page: 1, pageSize: 25 },
    );
    expect(held.rows.map((r) => [r.patientName, r.date])).toEqual([
      ["Charges, Pat", "2026-11-16"],
      ["Charges, Pat", "2026-11-17"],
    ]);
    // Without a patient or a reason the totals are read from the kept day totals: by hand, the week
    // of 9 November is five ready days at $250, the week of 16 November the two held ones.
    const week = (monday: string) =>
      listCharges(t.db, site.id, { payer, reason: null, status: null, week: monday, patient: "" }, { sort: "date", direction: "asc", page: 1, pageSize: 25 });
    const second = await week("2026-11-09");
    expect([second.total, second.totals]).toEqual([5, { ready: { count: 5, cents: 125_000 }, held: { count: 0, cents: 0 } }]);
    const third = await week("2026-11-16");
    expect([third.total, third.totals]).toEqual([2, { ready: { count: 0, cents: 0 }, held: { count: 2, cents: 50_000 } }]);
    expect(third.rows.map((r) => r.date)).toEqual(["2026-11-16", "2026-11-17"]);
    // A name or MRN that matches no patient of the site: nothing, and nothing counted.
    const nobody = await listCharges(
      t.db,
      site.id,
      { payer: null, reason: null, status: null, week: null, patient: "no such patient" },
      { sort: "date", direction: "desc", page: 1, pageSize: 25 },
    );
    expect([nobody.total, nobody.totals, nobody.rows]).toEqual([0, { ready: { count: 0, cents: 0 }, held: { count: 0, cents: 0 } }, []]);
  });

  it("recomputes a patient's held days when their coverage and authorization are recorded: no coverage, then no authorization, then ready", async () => {
    const sam = (
      await enroll(t.db, priya, site.id, { legalFirstName: "Sam", legalLastName: "Charges", admittedOn: "2026-10-30", primaryCounselorId: priya.id })
    ).id;
    await consent(sam);
    for (const date of ["2026-11-09", "2026-11-10"]) {
      const id = await session(date, 180, [[sam, "present"]]);
      await sign(await write(id, `${date}T18:00:00.000Z`), `${date}T18:00:00.000Z`);
    }
    const held = (reasons: string[]) => ["2026-11-09", "2026-11-10"].map((date) => ({ date, status: "held", reasons, cents: 0 }));
    expect((await chargesOf(sam)).map((c) => ({ ...c, cents: 0 }))).toEqual(held(["no_coverage"]));
    const coverage = await createCoverage(
      t.db,
      dana,
      sam,
      { payerId: payer, memberId: "SAM-1", relationship: "self", priority: "primary", effectiveFrom: "2026-10-01" },
      [site.id],
      meta,
    );
    if (!coverage.ok) throw new Error(JSON.stringify(coverage));
    expect((await chargesOf(sam)).map((c) => ({ ...c, cents: 0 }))).toEqual(held(["no_authorization"]));
    const auth = await createAuthorization(
      t.db,
      dana,
      sam,
      {
        coverageId: coverage.id,
        levelOfCare: "IOP",
        unitKind: "days",
        unitsApproved: 5,
        startsOn: "2026-11-02",
        endsOn: "2026-11-30",
        status: "approved",
        number: "S-5",
      },
      [site.id],
      meta,
    );
    if (!auth.ok) throw new Error(JSON.stringify(auth));
    expect(await chargesOf(sam)).toEqual(["2026-11-09", "2026-11-10"].map((date) => ({ date, status: "ready", reasons: [], cents: 25_000 })));
  });

  it("holds a 2.5-hour day for its hours alone, and an unsigned note until it is signed", async () => {
    const charges = await chargesOf(rae);
    expect(charges.slice(0, 2)).toEqual([
      { date: "2026-11-02", status: "held", reasons: ["below_hours"], cents: 25_000 },
      { date: "2026-11-03", status: "held", reasons: ["note_unsigned"], cents: 25_000 },
    ]);
    const seq = await lastSeq(t.db);
    await sign(rollOf.get("rae|unsigned-note")!, "2026-11-04T12:00:00.000Z");
    expect((await chargesOf(rae))[1]).toEqual({ date: "2026-11-03", status: "ready", reasons: [], cents: 25_000 });
    // The signature's own audit record stands for the refresh it caused in its transaction.
    const audit = await auditSince(t.db, seq);
    expect(audit.map((a) => a.action)).toEqual(["note.signed"]);
    // A refresh a person asks for is audited once, with its counts.
    await t.db
      .updateTable("charges")
      .set({ status: "held", hold_reasons: "[]" })
      .where("patient_id", "=", rae)
      .where("service_date", "=", "2026-11-03")
      .execute();
    expect(await refreshCharges(t.db, site.id, { from: "2026-11-02", to: "2026-11-08" }, { actor: dana, meta, because: "refresh button" })).toMatchObject({
      created: 0,
      updated: 1,
      removed: 0,
    });
    const asked = await auditSince(t.db, seq);
    expect(asked.map((a) => a.action)).toEqual(["note.signed", "charges.refreshed"]);
    expect(JSON.parse(asked[1].changes!).detail).toMatchObject({ updated: 1, because: "refresh button" });
  });

  it("updates an unexported charge when attendance is corrected, removes it when the day is no longer attended, and leaves an exported one alone", async () => {
    const day = "2026-11-04";
    const later = new Date("2026-11-20T15:00:00.000Z");
    await mark(rollOf.get(`rae|${day}`)!, [[rae, "left_early", 120]], later, "Left at 11:00 for a court date.");
    expect((await chargesOf(rae)).find((c) => c.date === day)).toEqual({ date: day, status: "held", reasons: ["below_hours"], cents: 25_000 });
    await mark(rollOf.get(`rae|${day}`)!, [[rae, "absent_excused"]], later, "Was at court all morning.");
    expect((await chargesOf(rae)).find((c) => c.date === day)).toBeUndefined();

    await t.db.updateTable("charges").set({ status: "exported" }).where("patient_id", "=", rae).where("service_date", "=", "2026-11-05").execute();
    await mark(rollOf.get("rae|2026-11-05")!, [[rae, "left_early", 60]], later, "Left early.");
    const exported = await t.db
      .selectFrom("charges")
      .selectAll()
      .where("patient_id", "=", rae)
      .where("service_date", "=", "2026-11-05")
      .executeTakeFirstOrThrow();
    expect(exported).toMatchObject({ status: "exported", hold_reasons: "[]" });
    expect(Number(exported.minutes)).toBe(180);
  });

  it("moves the 10th unit to a later day when an earlier day is corrected to absent", async () => {
    await mark(rollOf.get("pat|2026-11-04")!, [[pat, "absent_unexcused"]], new Date("2026-11-20T15:00:00.000Z"), "Marked present by mistake.");
    const charges = await chargesOf(pat);
    expect(charges.map((c) => [c.date, c.status])).toEqual(
      WEEKDAYS_12.filter((d) => d !== "2026-11-04").map((d) => [d, d === "2026-11-17" ? "held" : "ready"]),
    );
    // A whole refresh from scratch agrees with what the corrections left.
    const before = await chargesOf(pat);
    const again = await refreshCharges(t.db, site.id, { from: "2026-11-01", to: "2026-11-30" });
    expect(again).toMatchObject({ created: 0, updated: 0, removed: 0 });
    expect(await chargesOf(pat)).toEqual(before);
  });
});

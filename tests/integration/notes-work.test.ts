/**
 * Issue 20, items 5 and 6, on real databases: Home's notes to write, the co-signature queue that
 * lists notes beside plans, an admin's counts per clinician, the note-completion-lag and
 * undocumented-sessions reports, the notes-for-billing rule in the chart and the billable-days
 * report, and the notes settings (per site, audited, a stale form refused).
 *
 * The week: Monday 2026-11-16 in America/New_York (EST, UTC−5). "Now" for Home is Thursday
 * 2026-11-19 17:00Z. Two patients, Ann and Ben (IOP, Medicaid). Every figure was worked out by hand:
 *
 *   S1 Mon 14:00–17:00Z Marcus   Ann present, Ben present    no note            -> missing, overdue (72 h > 24)
 *   S5 Mon 18:00–20:00Z Priya    Ann present                 signed Wed 20:00Z  -> 48 h, late
 *   S3 Tue 14:00–17:00Z Marcus   Ann present                 signed Wed 15:00Z  -> 22 h, waiting for Priya's co-signature
 *   S6 Tue 18:00–21:00Z Priya    Ann present, Ben present    signed Tue 22:00Z  -> 1 h
 *   S2 Wed 14:00–17:00Z Marcus   Ann present, Ben absent     draft              -> ended exactly 24 h before now: not overdue
 *   S7 Thu 14:00–16:00Z Marcus   both absent                 -                  -> nothing to write
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getRollCall, saveRollCall, attendanceHistory } from "~/features/attendance/attendance.server";
import { billableDays } from "~/features/reports/billing.server";
import { noteById, noteSettings, openNote, saveEntry, saveShared, signNote } from "~/features/notes/notes.server";
import {
  homeNotes,
  isOverdue,
  mergeCoSignQueues,
  noteCoSignQueue,
  noteCountsByClinician,
  NOTES_LOOK_BACK_DAYS,
  notesToWrite,
} from "~/features/notes/worklist.server";
import { noteCompletionLag, undocumentedSessions } from "~/features/notes/report.server";
import { noteSettingsForm, setNoteSettings } from "~/features/notes/settings.server";
import { coSignQueue } from "~/features/plans/worklist.server";
import type { AttendanceStatus } from "~/features/attendance/rules";
import { newId } from "~/utils/ids";
import { createTestDatabase, dialects, type TestDatabase } from "../support/databases";
import { meta, seed } from "../support/demo";
import { seededTestDatabase } from "../support/templates";
import { auditSince, enroll, lastSeq } from "./patients-support";

const TZ = "America/New_York";
const NOW = new Date("2026-11-19T17:00:00.000Z");
const at = (iso: string) => new Date(iso);

describe.each(dialects)("notes worklists, reports and billing on %s", (dialect) => {
  let t: TestDatabase;
  let site: { id: string; time_zone: string };
  type Person = { id: string; name: string };
  let dana: Person;
  let marcus: Person;
  let priya: Person;
  let ann: string;
  let ben: string;
  const s = {} as Record<"s1" | "s2" | "s3" | "s5" | "s6" | "s7", string>;

  async function session(facilitator: Person, start: string, minutes: number, title: string, roll: [string, AttendanceStatus][]) {
    const id = newId();
    const endsAt = new Date(Date.parse(start) + minutes * 60_000).toISOString();
    await t.db
      .insertInto("sessions")
      .values({
        id,
        site_id: site.id,
        kind: "group",
        group_kind: "skills",
        title,
        facilitator_id: facilitator.id,
        modality: "in_person",
        capacity: 12,
        local_date: start.slice(0, 10),
        starts_at: start,
        ends_at: endsAt,
        status: "scheduled",
        cancel_reason: null,
        created_at: "2026-10-01T12:00:00.000Z",
        updated_at: "2026-10-01T12:00:00.000Z",
      })
      .execute();
    for (const [patientId] of roll)
      await t.db
        .insertInto("session_participants")
        .values({
          id: newId(),
          session_id: id,
          patient_id: patientId,
          source: "added",
          joined_at: "2026-10-01T12:00:00.000Z",
          left_at: null,
          left_reason: null,
        })
        .execute();
    const r = await getRollCall(t.db, id, site.id);
    const saved = await saveRollCall(
      t.db,
      dana,
      id,
      { version: r!.session.rollVersion, marks: roll.map(([patientId, status]) => ({ patientId, status, mode: "in_person" as const })) },
      site,
      meta,
      new Date(endsAt),
    );
    if (!saved.ok) throw new Error(JSON.stringify(saved));
    return id;
  }

  /** Opens the session's note and fills every required part, as its facilitator, at `when`. */
  async function write(by: Person, sessionId: string, when: string) {
    const opened = await openNote(t.db, by, sessionId, site.id, meta, at(when));
    if (!opened.ok) throw new Error(JSON.stringify(opened));
    const view = (await noteById(t.db, opened.id, [site.id]))!;
    const shared = await saveShared(
      t.db,
      by,
      opened.id,
      { version: view.sharedVersion, shared: { topic: "Triggers", curriculum: "", interventions: "Role-play", process: "Engaged" } },
      site.id,
      meta,
      at(when),
    );
    if (!shared.ok) throw new Error(JSON.stringify(shared));
    for (const p of view.parts) {
      const r = await saveEntry(
        t.db,
        by,
        opened.id,
        p.patientId,
        {
          version: p.version,
          content: {
            sections: { response: "Shared openly.", plan: "Practise the skill." },
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
        at(when),
      );
      if (!r.ok) throw new Error(JSON.stringify(r));
    }
    return opened.id;
  }

  async function sign(by: Person, sessionId: string, when: string) {
    const id = await write(by, sessionId, when);
    const r = await signNote(t.db, by, id, site.id, meta, at(when));
    if (!r.ok) throw new Error(JSON.stringify(r));
    return r;
  }

  beforeAll(async () => {
    t = await createTestDatabase(dialect);
    const clinic = await seed(t.db);
    site = { id: clinic.siteId, time_zone: TZ };
    await t.db.updateTable("sites").set({ time_zone: TZ }).where("id", "=", site.id).execute();
    const person = (key: string) => ({ id: clinic.users[key].id, name: clinic.users[key].name });
    [dana, marcus, priya] = ["dana.whitfield", "marcus.bell", "priya.raman"].map(person);
    ann = (await enroll(t.db, marcus, site.id, { legalFirstName: "Ann", legalLastName: "Notes", admittedOn: "2026-11-02", primaryCounselorId: marcus.id })).id;
    ben = (await enroll(t.db, priya, site.id, { legalFirstName: "Ben", legalLastName: "Notes", admittedOn: "2026-11-02", primaryCounselorId: priya.id })).id;
    s.s1 = await session(marcus, "2026-11-16T14:00:00.000Z", 180, "Relapse prevention", [
      [ann, "present"],
      [ben, "present"],
    ]);
    s.s5 = await session(priya, "2026-11-16T18:00:00.000Z", 120, "Family education", [[ann, "present"]]);
    s.s3 = await session(marcus, "2026-11-17T14:00:00.000Z", 180, "Coping skills", [[ann, "present"]]);
    s.s6 = await session(priya, "2026-11-17T18:00:00.000Z", 180, "Process group", [
      [ann, "present"],
      [ben, "present"],
    ]);
    s.s2 = await session(marcus, "2026-11-18T14:00:00.000Z", 180, "Mindfulness", [
      [ann, "present"],
      [ben, "absent_unexcused"],
    ]);
    s.s7 = await session(marcus, "2026-11-19T14:00:00.000Z", 120, "Anger management", [
      [ann, "absent_excused"],
      [ben, "absent_unexcused"],
    ]);
    expect((await sign(marcus, s.s3, "2026-11-18T15:00:00.000Z")).cosignRequired).toBe(true);
    expect(await sign(priya, s.s5, "2026-11-18T20:00:00.000Z")).toMatchObject({ lateEntry: true, cosignRequired: false });
    expect(await sign(priya, s.s6, "2026-11-17T22:00:00.000Z")).toMatchObject({ lateEntry: false, cosignRequired: false });
    await write(marcus, s.s2, "2026-11-18T18:00:00.000Z");
  });
  afterAll(() => t?.destroy());

  it("lists a facilitator's notes to write, oldest first, with the overdue count", async () => {
    const mine = await notesToWrite(t.db, marcus.id, site.id, NOW);
    expect(mine).toEqual({
      rows: [
        { sessionId: s.s1, title: "Relapse prevention", date: "2026-11-16", endsAt: "2026-11-16T17:00:00.000Z", patients: 2, state: "missing", overdue: true },
        // Ended exactly 24 hours before now: not yet overdue (overdue is more than the late-entry hours).
        { sessionId: s.s2, title: "Mindfulness", date: "2026-11-18", endsAt: "2026-11-18T17:00:00.000Z", patients: 1, state: "draft", overdue: false },
      ],
      total: 2,
      overdue: 1,
      lateHours: 24,
      lookBackDays: 56,
    });
    // A minute later the Wednesday draft is overdue too.
    expect((await notesToWrite(t.db, marcus.id, site.id, new Date(NOW.getTime() + 60_000))).overdue).toBe(2);
    // Priya signed all of hers.
    expect(await notesToWrite(t.db, priya.id, site.id, NOW)).toMatchObject({ rows: [], total: 0, overdue: 0 });
    // Nine weeks on, they fall out of Home's look-back (the report still lists them).
    expect((await notesToWrite(t.db, marcus.id, site.id, new Date(NOW.getTime() + 63 * 86_400_000))).total).toBe(0);
  });

  it("puts notes in the supervisor's co-signature queue beside plans, and in no one else's", async () => {
    const notes = await noteCoSignQueue(t.db, priya.id);
    expect(notes).toEqual([
      {
        noteId: expect.any(String),
        sessionId: s.s3,
        title: "Coping skills",
        date: "2026-11-17",
        signedBy: "Marcus Bell",
        signedAt: "2026-11-18T15:00:00.000Z",
      },
    ]);
    expect(await noteCoSignQueue(t.db, dana.id)).toEqual([]);
    expect(await noteCoSignQueue(t.db, marcus.id)).toEqual([]);
    const plans = await coSignQueue(t.db, priya.id);
    const merged = mergeCoSignQueues(
      [...plans, { patientId: ann, name: "Notes, Ann", mrn: "M1", signedBy: "Marcus Bell", signedAt: "2026-11-19T09:00:00.000Z" }],
      notes,
    );
    expect(merged.map((m) => [m.kind, m.label, m.to])).toEqual([
      ["note", "Coping skills", `/schedule/sessions/${s.s3}/note`],
      ["plan", "Notes, Ann", `/patients/${ann}/plan`],
    ]);
    expect((await homeNotes(t.db, { id: priya.id, role: "counselor" }, site.id, NOW)).coSign).toHaveLength(1);
  });

  it("counts each clinician's notes for an admin", async () => {
    expect(await noteCountsByClinician(t.db, site.id, NOW)).toEqual([
      { clinicianId: marcus.id, clinician: "Marcus Bell", missing: 1, drafts: 1, overdue: 1, awaitingCosign: 1 },
    ]);
    const home = await homeNotes(t.db, { id: dana.id, role: "admin" }, site.id, NOW);
    expect(home.toWrite).toBeNull();
    expect(home.counts).toHaveLength(1);
  });

  const params = { timeZone: TZ, from: "2026-11-16", to: "2026-11-22", trackId: null, counselorId: null, today: "2026-11-22" };

  it("reports the completion lag per clinician with hand-computed medians", async () => {
    // Marcus: S3 22 h -> median 22, 0 late; S1 and S2 unsigned -> 2.
    // Priya: S6 1 h and S5 48 h -> median (1 + 48) / 2 = 24.5; S5 late -> 1 of 2 = 50%.
    const r = await noteCompletionLag.compute(t.db, { ...params, siteId: site.id });
    expect(r.rows).toEqual([
      { clinician: "Marcus Bell", signed: 1, medianHours: 22, late: 0, lateShare: 0, unsigned: 2 },
      { clinician: "Priya Raman", signed: 2, medianHours: 24.5, late: 1, lateShare: 50, unsigned: 0 },
    ]);
    // All three: 1, 22, 48 -> 22; 1 of 3 late = 33.3%.
    expect(r.summary).toBe("3 notes signed from Nov 16, 2026 to Nov 22, 2026, a median of 22 hours after the session; 1 (33.3%) late. 2 still unsigned.");
    const own = await noteCompletionLag.compute(t.db, { ...params, siteId: site.id, counselorId: priya.id });
    expect(own.rows.map((x) => x.clinician)).toEqual(["Priya Raman"]);
    // Signed on Tuesday only: S6.
    const tue = await noteCompletionLag.compute(t.db, { ...params, siteId: site.id, from: "2026-11-17", to: "2026-11-17" });
    expect(tue.rows).toEqual([{ clinician: "Priya Raman", signed: 1, medianHours: 1, late: 0, lateShare: 0, unsigned: 0 }]);
  });

  it("lists the undocumented sessions, a counselor's own only", async () => {
    const r = await undocumentedSessions.compute(t.db, { ...params, siteId: site.id });
    expect(r.rows).toEqual([
      { date: "2026-11-16", title: "Relapse prevention", facilitator: "Marcus Bell", attended: 2, undocumented: 2, note: "No note" },
      { date: "2026-11-18", title: "Mindfulness", facilitator: "Marcus Bell", attended: 1, undocumented: 1, note: "Draft, not signed" },
    ]);
    expect(r.summary).toBe("2 of 5 held sessions with someone attending are not fully documented (3 patient-sessions without a signed note).");
    // Priya facilitated none of them, but Ben (her caseload) attended S1.
    const own = await undocumentedSessions.compute(t.db, { ...params, siteId: site.id, counselorId: priya.id });
    expect(own.rows).toEqual([{ date: "2026-11-16", title: "Relapse prevention", facilitator: "Marcus Bell", attended: 1, undocumented: 1, note: "No note" }]);
  });

  it("shows documented hours, and bills a day only when its sessions have signed notes once the site says so", async () => {
    // Ann: Mon S1 180 (no note) + S5 120 (signed) = 300; Tue S3 180 + S6 180 = 360, both signed; Wed S2 180 (draft).
    // Documented 120 + 180 + 180 = 480; undocumented 180 + 180 = 360. Billable (IOP, 180 a day): Mon, Tue, Wed = 3.
    const off = await attendanceHistory(t.db, ann, "2026-11-16");
    expect(off.totalBillable).toEqual({ H0015: 3, S0201: 0, total: 3 });
    expect(off.notesRequired).toBe(false);
    expect(off.documentation.get("2026-11-16")).toEqual({ documentedMinutes: 480, undocumentedMinutes: 360 });
    expect(off.marks.filter((m) => m.documented).map((m) => m.title)).toEqual(["Process group", "Coping skills", "Family education"]);
    // The site-wide report: Ann 3 + Ben Mon (S1 180) and Tue (S6 180) = 5. Documented: Ann 480 + Ben 180 = 660 = 11 h;
    // undocumented: Ann 360 + Ben 180 = 540 = 9 h.
    const reportOff = await billableDays.compute(t.db, { ...params, siteId: site.id });
    expect(reportOff.rows).toEqual([
      { week: "2026-11-16", H0015: 5, S0201: 0, commercial: 0, medicaid: 5, medicare: 0, self_pay: 0, other: 0, total: 5, documented: 11, undocumented: 9 },
    ]);

    const form = await noteSettingsForm(t.db, site.id);
    expect(await setNoteSettings(t.db, dana, site.id, { format: "dap", lateHours: 24, billingNeedsNotes: true, versions: form.versions }, meta)).toEqual({
      ok: true,
    });
    // On: Ann's Tuesday only (Monday has S1, Wednesday S2 undocumented); Ben's Tuesday only (Monday has S1).
    const on = await attendanceHistory(t.db, ann, "2026-11-16");
    expect(on.totalBillable).toEqual({ H0015: 1, S0201: 0, total: 1 });
    expect(on.heldForNotes).toBe(2);
    expect(on.notesRequired).toBe(true);
    const reportOn = await billableDays.compute(t.db, { ...params, siteId: site.id });
    expect(reportOn.rows).toEqual([
      { week: "2026-11-16", H0015: 2, S0201: 0, commercial: 0, medicaid: 2, medicare: 0, self_pay: 0, other: 0, total: 2, documented: 11, undocumented: 9 },
    ]);
    expect(reportOn.summary).toContain("Notes are required for billing at this site");
    expect(reportOn.summary).toContain("(3 days with enough hours held back for notes)");
  });

  it("saves the notes settings per site, audited, and refuses a stale form", async () => {
    const seq = await lastSeq(t.db);
    const form = await noteSettingsForm(t.db, site.id);
    expect(form.value).toEqual({ format: "dap", lateHours: 24, billingNeedsNotes: true });
    expect(await setNoteSettings(t.db, dana, site.id, { format: "birp", lateHours: 48, billingNeedsNotes: false, versions: form.versions }, meta)).toEqual({
      ok: true,
    });
    // The same (now stale) form again: refused, nothing changed.
    const stale = await setNoteSettings(t.db, dana, site.id, { format: "soap", lateHours: 2, billingNeedsNotes: true, versions: form.versions }, meta);
    expect(stale).toMatchObject({ ok: false, status: 409 });
    expect((await noteSettingsForm(t.db, site.id)).value).toEqual({ format: "birp", lateHours: 48, billingNeedsNotes: false });
    const rows = await auditSince(t.db, seq);
    expect(rows.map((r) => r.action)).toEqual(["settings.notes_changed"]);
    expect(JSON.parse(rows[0].changes!)).toMatchObject({
      before: { format: "dap", lateHours: 24, billingNeedsNotes: true },
      after: { format: "birp", lateHours: 48, billingNeedsNotes: false },
    });
    // Out of range: refused.
    const now = await noteSettingsForm(t.db, site.id);
    expect(await setNoteSettings(t.db, dana, site.id, { format: "dap", lateHours: 169, billingNeedsNotes: false, versions: now.versions }, meta)).toMatchObject(
      {
        ok: false,
        status: 400,
      },
    );
    // The later late-entry hours move Home's overdue count: 48 h, so only Monday's S1 (72 h) is overdue.
    expect((await notesToWrite(t.db, marcus.id, site.id, new Date(NOW.getTime() + 60_000))).overdue).toBe(1);
  });

  it("counts a signed note without a patient's part as undocumented for them", async () => {
    // Ben is marked present at S3 after its note was signed (a correction): his part is not in it.
    const r = await getRollCall(t.db, s.s3, site.id);
    await t.db
      .insertInto("session_participants")
      .values({ id: newId(), session_id: s.s3, patient_id: ben, source: "added", joined_at: "2026-10-01T12:00:00.000Z", left_at: null, left_reason: null })
      .execute();
    const saved = await saveRollCall(
      t.db,
      dana,
      s.s3,
      {
        version: r!.session.rollVersion,
        marks: [
          { patientId: ann, status: "present", mode: "in_person" },
          { patientId: ben, status: "present", mode: "in_person" },
        ],
        reason: "Ben was there; the roll missed him.",
      },
      site,
      meta,
      NOW,
    );
    expect(saved.ok).toBe(true);
    const u = await undocumentedSessions.compute(t.db, { ...params, siteId: site.id });
    expect(u.rows.find((x) => x.title === "Coping skills")).toEqual({
      date: "2026-11-17",
      title: "Coping skills",
      facilitator: "Marcus Bell",
      attended: 2,
      undocumented: 1,
      note: "Waiting for co-signature",
    });
  });
});

describe.each(dialects)("an admin's note counts per clinician on the demo clinic, on %s", (dialect) => {
  let t: TestDatabase & { clinic: { siteId: string } };
  beforeAll(async () => {
    t = await seededTestDatabase(dialect);
  }, 300_000);
  afterAll(async () => {
    await t?.destroy();
  });

  it("equal the rule applied session by session: held, attended, note missing or a draft, overdue past the late-entry hours", async () => {
    const siteId = t.clinic.siteId;
    const { lateHours } = await noteSettings(t.db, siteId);
    const rows = await t.db
      .selectFrom("sessions as s")
      .leftJoin("notes as n", "n.session_id", "s.id")
      .select(["s.id", "s.facilitator_id", "s.status", "s.starts_at", "s.ends_at", "n.id as note_id", "n.signed_at"])
      .where("s.site_id", "=", siteId)
      .execute();
    const attended = new Set((await t.db.selectFrom("session_tallies").select("session_id").where("attended", ">", 0).execute()).map((r) => r.session_id));
    // Several "nows" across the demo's weeks, so the window, the held bound and the overdue bound each move.
    const nows = [0, 3, 10, 30].map((days) => new Date(Date.now() - days * 86_400_000 + 3_600_000));
    let counted = 0;
    for (const now of nows) {
      const since = now.getTime() - NOTES_LOOK_BACK_DAYS * 86_400_000;
      const want = new Map<string, { missing: number; drafts: number; overdue: number }>();
      for (const r of rows) {
        const held = r.status !== "cancelled" && Date.parse(r.starts_at) >= since && Date.parse(r.ends_at) <= now.getTime() && attended.has(r.id);
        if (!held || r.signed_at) continue;
        const c = want.get(r.facilitator_id) ?? { missing: 0, drafts: 0, overdue: 0 };
        if (r.note_id) c.drafts++;
        else c.missing++;
        if (isOverdue(r.ends_at, lateHours, now)) c.overdue++;
        want.set(r.facilitator_id, c);
      }
      const got = await noteCountsByClinician(t.db, siteId, now);
      for (const g of got) {
        expect({ missing: g.missing, drafts: g.drafts, overdue: g.overdue }, g.clinician).toEqual(
          want.get(g.clinicianId) ?? { missing: 0, drafts: 0, overdue: 0 },
        );
        counted += g.missing + g.drafts;
      }
      // Every clinician with something to write is listed.
      expect(got.map((g) => g.clinicianId)).toEqual(expect.arrayContaining([...want.keys()]));
    }
    // The demo clinic has notes still to write, so the comparison counted some.
    expect(counted).toBeGreaterThan(0);
  });
});

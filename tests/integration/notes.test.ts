/**
 * Progress notes on real databases: a note opened only for a held session someone attended, by its
 * facilitators, and once for a double submit; a part for each patient the roll call marks present,
 * late or left early (and one more when the roll is corrected); drafts saved against their version,
 * a stale save refused with what is there now, and two people writing different members' parts
 * never refusing each other; signing refused with every gap at its field, or for a part whose
 * patient no longer attended, and then signed with the roll call's minutes and mode, marked late
 * past the program's (or the site's) late hours, and sent for co-signature when an intern signs;
 * co-signing by the supervisor only; addenda, once for a double submit; the database's own lock on
 * a signed note and its addenda; and the audit row of every write, which never holds the text.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { saveRollCall } from "~/features/attendance/attendance.server";
import type { AttendanceStatus } from "~/features/attendance/rules";
import {
  addAddendum,
  coSignNote,
  noteById,
  noteForPatient,
  noteForSession,
  noteSettings,
  openNote,
  saveEntry,
  saveShared,
  signNote,
} from "~/features/notes/notes.server";
import { EMPTY_ENTRY, type EntryContent, type GroupShared } from "~/features/notes/rules";
import { newId } from "~/utils/ids";
import { createTestDatabase, dialects, type TestDatabase } from "../support/databases";
import { meta, seed } from "../support/demo";
import { addSecondSite, auditSince, enroll, lastSeq } from "./patients-support";

// Sunday 2026-12-06, the afternoon in New York.
const NOW = new Date("2026-12-06T17:00:00.000Z");
const HOUR = 3_600_000;

type Person = { id: string; name: string };
type Clinic = Awaited<ReturnType<typeof seed>>;

const SHARED: GroupShared = {
  topic: "Relapse warning signs",
  curriculum: "Matrix Model, session 4",
  interventions: "Psychoeducation on the relapse cycle; role-play of refusal skills.",
  process: "Cohesive group; members gave each other feedback.",
};
/** A member's part with nothing missing (the words are distinctive so the audit log can be searched for them). */
const partFor = (who: string): EntryContent => ({
  ...EMPTY_ENTRY,
  sections: { response: `${who} named payday as a trigger (zebra-lantern).`, plan: "Log cravings daily." },
  participation: "active",
  harm: "denied",
  use: "none",
});
const DAP: EntryContent = {
  ...EMPTY_ENTRY,
  sections: { data: "Reports 12 days abstinent (zebra-lantern).", assessment: "Stable, motivated.", plan: "Continue weekly sessions." },
  harm: "denied",
  use: "none",
};

describe.each(dialects)("progress notes on %s", (dialect) => {
  let t: TestDatabase;
  let clinic: Clinic;
  let site: { id: string; time_zone: string };
  let marcus: Person; // intern: needs Priya's co-signature
  let elena: Person; // intern
  let priya: Person; // LCSW, clinical supervisor: signs alone
  let dana: Person; // admin, LCADC: signs alone, not a supervisor
  let tom: Person; // front desk: takes roll
  const pts: string[] = [];
  let east: Awaited<ReturnType<typeof addSecondSite>>;
  const db = () => t.db;
  const sites = () => [clinic.siteId];
  const person = (key: string): Person => ({ id: clinic.users[key].id, name: clinic.users[key].name });

  beforeAll(async () => {
    t = await createTestDatabase(dialect);
    clinic = await seed(t.db);
    site = await t.db.selectFrom("sites").select(["id", "time_zone"]).where("id", "=", clinic.siteId).executeTakeFirstOrThrow();
    [marcus, elena, priya, dana, tom] = ["marcus.bell", "elena.ortiz", "priya.raman", "dana.whitfield", "tom.kowalski"].map(person);
    east = await addSecondSite(t.db);
    for (const [first, last] of [
      ["Ann", "Able"],
      ["Ben", "Baker"],
      ["Cal", "Cole"],
      ["Dee", "Dunn"],
      ["Eve", "Egan"],
      ["Fay", "Fox"],
    ])
      pts.push((await enroll(t.db, priya, clinic.siteId, { legalFirstName: first, legalLastName: last })).id);
  });
  afterAll(() => t?.destroy());

  /** A session on `date` from 10:00 to 13:00 in New York (15:00–18:00 UTC), with these patients on its roster. */
  async function session(o: {
    facilitator: Person;
    co?: Person;
    date: string;
    patients: string[];
    kind?: "group" | "individual";
    status?: "scheduled" | "cancelled";
    modality?: "in_person" | "telehealth";
  }) {
    const id = newId();
    const now = new Date().toISOString();
    const kind = o.kind ?? "group";
    await db()
      .insertInto("sessions")
      .values({
        id,
        site_id: clinic.siteId,
        series_id: null,
        kind,
        group_kind: kind === "group" ? "process" : null,
        title: kind === "group" ? "Relapse Prevention" : "Individual session",
        track_id: null,
        facilitator_id: o.facilitator.id,
        co_facilitator_id: o.co?.id ?? null,
        room_id: null,
        modality: o.modality ?? "in_person",
        capacity: 12,
        local_date: o.date,
        starts_at: `${o.date}T15:00:00.000Z`,
        ends_at: `${o.date}T18:00:00.000Z`,
        status: o.status ?? "scheduled",
        cancel_reason: o.status === "cancelled" ? "Snow day" : null,
        patient_id: kind === "individual" ? o.patients[0] : null,
        approach: null,
        family_members: null,
        created_at: now,
        updated_at: now,
      })
      .execute();
    if (o.patients.length)
      await db()
        .insertInto("session_participants")
        .values(o.patients.map((p) => ({ id: newId(), session_id: id, patient_id: p, source: "added", joined_at: o.date, left_at: null, left_reason: null })))
        .execute();
    return id;
  }
  /** Takes (or corrects) the roll through the roll-call save: `late` and `left_early` at 150 of 180 minutes. */
  async function roll(sessionId: string, marks: Record<string, AttendanceStatus>, mode: "in_person" | "telehealth" = "in_person") {
    const rc = await db().selectFrom("roll_calls").select("version").where("session_id", "=", sessionId).executeTakeFirst();
    const r = await saveRollCall(
      db(),
      tom,
      sessionId,
      {
        version: rc ? Number(rc.version) : 0,
        marks: Object.entries(marks).map(([patientId, status]) => ({
          patientId,
          status,
          mode,
          minutes: status === "late" || status === "left_early" ? 150 : undefined,
          note: status === "late" ? "Bus was late" : undefined,
        })),
        reason: "Corrected from the sign-in sheet",
      },
      site,
      meta,
      NOW,
    );
    if (!r.ok) throw new Error(JSON.stringify(r));
  }
  async function open(actor: Person, sessionId: string, at = NOW) {
    const r = await openNote(db(), actor, sessionId, clinic.siteId, meta, at);
    if (!r.ok) throw new Error(JSON.stringify(r));
    return r.id;
  }
  const view = async (noteId: string) => (await noteById(db(), noteId, sites()))!;
  /** Writes the shared part and every member's part in full. */
  async function fill(actor: Person, noteId: string) {
    const v = await view(noteId);
    if (v.kind === "group")
      expect((await saveShared(db(), actor, noteId, { version: v.sharedVersion, shared: SHARED }, clinic.siteId, meta, NOW)).ok).toBe(true);
    for (const p of v.parts) {
      const content = v.kind === "group" ? partFor(p.name) : DAP;
      const r = await saveEntry(db(), actor, noteId, p.patientId, { version: p.version, content }, clinic.siteId, meta, NOW);
      expect(r.ok).toBe(true);
    }
  }
  /** A held group, its roll taken, its note opened and written in full by `author`. */
  async function writtenGroup(author: Person, date: string, patients = pts.slice(0, 3)) {
    const s = await session({ facilitator: author, date, patients });
    await roll(s, Object.fromEntries(patients.map((p) => [p, "present" as const])));
    const id = await open(author, s);
    await fill(author, id);
    return { sessionId: s, noteId: id };
  }
  async function signed(author: Person, date: string, at = NOW) {
    const w = await writtenGroup(author, date);
    const r = await signNote(db(), author, w.noteId, clinic.siteId, meta, at);
    if (!r.ok) throw new Error(JSON.stringify(r));
    return { ...w, ...r };
  }
  const noteCount = async (sessionId: string) => (await db().selectFrom("notes").select("id").where("session_id", "=", sessionId).execute()).length;
  /** The note actions written since `since` (the roll calls the tests take leave theirs too). */
  const noteAudit = async (since: number) => (await auditSince(db(), since)).filter((e) => e.action.startsWith("note."));
  const actions = async (since: number) => (await noteAudit(since)).map((e) => e.action);

  describe("opening a note", () => {
    it("is refused for a cancelled session, one not yet held, one no one attended, and anyone but its facilitators", async () => {
      const seq = await lastSeq(db());
      const cancelled = await session({ facilitator: priya, date: "2026-12-01", patients: [pts[0]], status: "cancelled" });
      const future = await session({ facilitator: priya, date: "2026-12-08", patients: [pts[0]] });
      const nobody = await session({ facilitator: priya, date: "2026-12-02", patients: [pts[0], pts[1]] });
      await roll(nobody, { [pts[0]]: "absent_excused", [pts[1]]: "absent_unexcused" });
      const untaken = await session({ facilitator: priya, date: "2026-12-02", patients: [pts[0]] });
      const theirs = await session({ facilitator: priya, co: marcus, date: "2026-12-03", patients: [pts[0]] });
      await roll(theirs, { [pts[0]]: "present" });

      expect(await openNote(db(), priya, cancelled, clinic.siteId, meta, NOW)).toEqual({
        ok: false,
        status: 409,
        formError: "This session was cancelled, so it has no note.",
      });
      expect(await openNote(db(), priya, future, clinic.siteId, meta, NOW)).toMatchObject({
        ok: false,
        status: 409,
        formError: expect.stringMatching(/not been held yet/),
      });
      for (const s of [nobody, untaken])
        expect(await openNote(db(), priya, s, clinic.siteId, meta, NOW)).toMatchObject({
          ok: false,
          status: 409,
          formError: expect.stringMatching(/No one is marked present, late or left early/),
        });
      // Elena is neither facilitator; Dana (admin) reads notes but does not write this one.
      for (const who of [elena, dana])
        expect(await openNote(db(), who, theirs, clinic.siteId, meta, NOW)).toMatchObject({
          ok: false,
          status: 409,
          formError: "Only the session's facilitator or co-facilitator writes its note.",
        });
      expect(await openNote(db(), priya, "no-such-session", clinic.siteId, meta, NOW)).toMatchObject({ ok: false, status: 404 });
      // Another site's session is not found from this one.
      expect(await openNote(db(), priya, theirs, east.siteId, meta, NOW)).toMatchObject({ ok: false, status: 404 });
      for (const s of [cancelled, future, nobody, untaken, theirs]) expect(await noteCount(s)).toBe(0);
      expect(await actions(seq)).not.toContain("note.started");
    });

    it("opens one note for a double submit, with a part for each patient present, late or left early", async () => {
      const s = await session({ facilitator: priya, co: marcus, date: "2026-12-01", patients: pts.slice(0, 5) });
      await roll(s, { [pts[0]]: "present", [pts[1]]: "late", [pts[2]]: "left_early", [pts[3]]: "absent_excused", [pts[4]]: "absent_unexcused" });
      const seq = await lastSeq(db());
      const results = await Promise.all([
        openNote(db(), priya, s, clinic.siteId, meta, NOW),
        openNote(db(), priya, s, clinic.siteId, meta, NOW),
        openNote(db(), marcus, s, clinic.siteId, meta, NOW),
      ]);
      expect(results.every((r) => r.ok)).toBe(true);
      const ids = new Set(results.map((r) => (r as { id: string }).id));
      expect(ids.size).toBe(1);
      expect(results.filter((r) => (r as { created: boolean }).created)).toHaveLength(1);
      expect(await noteCount(s)).toBe(1);
      const v = (await noteForSession(db(), s, clinic.siteId))!;
      expect(v.parts.map((p) => [p.name, p.status, p.minutes])).toEqual([
        ["Ann Able", "present", 180],
        ["Ben Baker", "late", 150],
        ["Cal Cole", "left_early", 150],
      ]);
      expect(v).toMatchObject({ kind: "group", format: "dap", state: "draft", facilitators: "Priya Raman and Marcus Bell", date: "2026-12-01" });
      expect(await actions(seq)).toEqual(["note.started"]);
    });

    it("adds a part when the roll is corrected to present, and opens the same note again", async () => {
      const s = await session({ facilitator: priya, date: "2026-12-02", patients: pts.slice(0, 2) });
      await roll(s, { [pts[0]]: "present", [pts[1]]: "absent_unexcused" });
      const id = await open(priya, s);
      expect((await view(id)).parts.map((p) => p.patientId)).toEqual([pts[0]]);
      await roll(s, { [pts[0]]: "present", [pts[1]]: "present" });
      const seq = await lastSeq(db());
      expect(await openNote(db(), priya, s, clinic.siteId, meta, NOW)).toEqual({ ok: true, id, created: false });
      expect((await view(id)).parts.map((p) => p.patientId)).toEqual([pts[0], pts[1]]);
      expect(await actions(seq)).toEqual(["note.parts_added"]);
      // Opened again with nothing new: nothing written.
      const again = await lastSeq(db());
      expect(await openNote(db(), priya, s, clinic.siteId, meta, NOW)).toEqual({ ok: true, id, created: false });
      expect(await lastSeq(db())).toBe(again);
    });
  });

  describe("saving drafts", () => {
    it("refuses a shared part saved over a newer one, with the current text and who saved it, and overwrites nothing", async () => {
      const s = await session({ facilitator: priya, co: marcus, date: "2026-12-03", patients: pts.slice(0, 2) });
      await roll(s, { [pts[0]]: "present", [pts[1]]: "present" });
      const id = await open(priya, s);
      const v = await view(id);
      const first = await saveShared(db(), priya, id, { version: v.sharedVersion, shared: SHARED }, clinic.siteId, meta, NOW);
      expect(first).toEqual({ ok: true, version: v.sharedVersion + 1, savedAt: NOW.toISOString() });
      const seq = await lastSeq(db());
      const stale = await saveShared(db(), marcus, id, { version: v.sharedVersion, shared: { ...SHARED, topic: "Marcus's topic" } }, clinic.siteId, meta, NOW);
      expect(stale).toMatchObject({
        ok: false,
        status: 409,
        formError: expect.stringMatching(/^Priya Raman saved the group's shared part after you opened it/),
        current: { version: v.sharedVersion + 1, updatedBy: "Priya Raman", shared: SHARED },
      });
      expect((await view(id)).shared).toEqual(SHARED);
      expect(await lastSeq(db())).toBe(seq);
    });

    it("refuses a member's part saved over a newer one, and never refuses two people writing different members' parts", async () => {
      const s = await session({ facilitator: priya, co: marcus, date: "2026-12-03", patients: pts.slice(2, 5) });
      await roll(s, { [pts[2]]: "present", [pts[3]]: "present", [pts[4]]: "present" });
      const id = await open(priya, s);
      const v = await view(id);
      const [a, b] = v.parts;
      const both = await Promise.all([
        saveEntry(db(), priya, id, a.patientId, { version: a.version, content: partFor("A") }, clinic.siteId, meta, NOW),
        saveEntry(db(), marcus, id, b.patientId, { version: b.version, content: partFor("B") }, clinic.siteId, meta, NOW),
        saveShared(db(), marcus, id, { version: v.sharedVersion, shared: SHARED }, clinic.siteId, meta, NOW),
      ]);
      expect(both.map((r) => r.ok)).toEqual([true, true, true]);
      const stale = await saveEntry(db(), marcus, id, a.patientId, { version: a.version, content: partFor("Marcus") }, clinic.siteId, meta, NOW);
      expect(stale).toMatchObject({
        ok: false,
        status: 409,
        formError: expect.stringMatching(/^Priya Raman saved Cal Cole's part after you opened it/),
        current: { version: a.version + 1, updatedBy: "Priya Raman", content: partFor("A") },
      });
      const after = await view(id);
      expect(after.parts.map((p) => p.content.sections.response)).toEqual([partFor("A").sections.response, partFor("B").sections.response, undefined]);
      // A part for someone not in the note, a note at another site, and a writer who is not a facilitator.
      expect(await saveEntry(db(), priya, id, pts[0], { version: 1, content: DAP }, clinic.siteId, meta, NOW)).toMatchObject({ ok: false, status: 404 });
      expect(await saveEntry(db(), elena, id, a.patientId, { version: 2, content: DAP }, clinic.siteId, meta, NOW)).toMatchObject({ ok: false, status: 409 });
      expect(await saveShared(db(), priya, "nope", { version: 1, shared: SHARED }, clinic.siteId, meta, NOW)).toMatchObject({ ok: false, status: 404 });
    });

    it("refuses text over the limits with a message at the field, saving nothing", async () => {
      const s = await session({ facilitator: priya, date: "2026-12-04", patients: [pts[0]] });
      await roll(s, { [pts[0]]: "present" });
      const id = await open(priya, s);
      const v = await view(id);
      const long = await saveShared(db(), priya, id, { version: v.sharedVersion, shared: { ...SHARED, topic: "x".repeat(201) } }, clinic.siteId, meta, NOW);
      expect(long).toMatchObject({ ok: false, status: 400, fieldErrors: { "shared.topic": [expect.stringMatching(/under 200 characters/)] } });
      const big = { ...DAP, sections: { ...DAP.sections, response: "y".repeat(4001) } };
      const r = await saveEntry(db(), priya, id, pts[0], { version: v.parts[0].version, content: big }, clinic.siteId, meta, NOW);
      expect(r).toMatchObject({ ok: false, status: 400, fieldErrors: { [`entry.${pts[0]}.response`]: [expect.stringMatching(/under 4000 characters/)] } });
      expect((await view(id)).sharedVersion).toBe(v.sharedVersion);
    });
  });

  describe("signing", () => {
    it("is refused with every gap at its own field, and changes nothing", async () => {
      const s = await session({ facilitator: priya, date: "2026-12-01", patients: pts.slice(0, 2) });
      await roll(s, { [pts[0]]: "present", [pts[1]]: "late" });
      const id = await open(priya, s);
      const v = await view(id);
      await saveEntry(db(), priya, id, pts[0], { version: v.parts[0].version, content: { ...partFor("Ann"), harm: "passive" } }, clinic.siteId, meta, NOW);
      const seq = await lastSeq(db());
      const r = await signNote(db(), priya, id, clinic.siteId, meta, NOW);
      expect(r.ok).toBe(false);
      if (r.ok) return;
      expect(r.status).toBe(400);
      expect(r.formError).toMatch(/The note is not complete, so it was not signed \(9 things to finish/);
      expect(Object.keys(r.fieldErrors ?? {}).sort()).toEqual(
        [
          "shared.topic",
          "shared.interventions",
          "shared.process",
          `entry.${pts[0]}.harmDetail`,
          `entry.${pts[1]}.response`,
          `entry.${pts[1]}.plan`,
          `entry.${pts[1]}.participation`,
          `entry.${pts[1]}.harm`,
          `entry.${pts[1]}.use`,
        ].sort(),
      );
      expect((await view(id)).state).toBe("draft");
      expect(await lastSeq(db())).toBe(seq);
      // Only the facilitators sign.
      await fill(priya, id);
      expect(await signNote(db(), elena, id, clinic.siteId, meta, NOW)).toMatchObject({ ok: false, status: 409 });
    });

    it("is refused while a patient no longer attending has text in their part; an empty one is dropped", async () => {
      const s = await session({ facilitator: priya, date: "2026-12-02", patients: pts.slice(0, 3) });
      await roll(s, { [pts[0]]: "present", [pts[1]]: "late", [pts[2]]: "present" }, "telehealth");
      const id = await open(priya, s);
      await fill(priya, id);
      // Ben was marked late by mistake: he was absent. Cal's part is cleared, then Cal too is marked absent.
      await roll(s, { [pts[0]]: "present", [pts[1]]: "absent_unexcused", [pts[2]]: "absent_excused" }, "telehealth");
      const refused = await signNote(db(), priya, id, clinic.siteId, meta, NOW);
      expect(refused).toMatchObject({ ok: false, status: 409, formError: expect.stringMatching(/no longer marks Ben Baker, Cal Cole as attending/) });
      for (const p of (await view(id)).parts.filter((x) => x.patientId !== pts[0]))
        expect((await saveEntry(db(), priya, id, p.patientId, { version: p.version, content: EMPTY_ENTRY }, clinic.siteId, meta, NOW)).ok).toBe(true);
      const seq = await lastSeq(db());
      const r = await signNote(db(), priya, id, clinic.siteId, meta, new Date(Date.parse("2026-12-02T18:00:00.000Z") + 2 * HOUR));
      expect(r).toEqual({ ok: true, id, cosignRequired: false, lateEntry: false });
      const v = await view(id);
      expect(v.parts.map((p) => [p.name, p.minutes, p.mode])).toEqual([["Ann Able", 180, "telehealth"]]);
      expect(v).toMatchObject({ state: "signed", signedBy: "Priya Raman", lateEntry: false, cosignRequired: false });
      const audit = await auditSince(db(), seq);
      expect(audit.map((e) => e.action)).toEqual(["note.signed"]);
      expect(JSON.parse(audit[0].changes!).after).toMatchObject({ parts: 1, dropped: 2, lateEntry: false, cosignRequired: false });
      // Signed twice: refused, nothing changes.
      expect(await signNote(db(), priya, id, clinic.siteId, meta, NOW)).toMatchObject({
        ok: false,
        formError: expect.stringMatching(/signed note never changes/),
      });
    });

    it("will not sign without a part for a patient the roll call marks as attended since the note was opened", async () => {
      const s = await session({ facilitator: priya, date: "2026-12-03", patients: pts.slice(0, 2) });
      await roll(s, { [pts[0]]: "present", [pts[1]]: "absent_unexcused" });
      const id = await open(priya, s);
      await fill(priya, id);
      await roll(s, { [pts[0]]: "present", [pts[1]]: "late" });
      const r = await signNote(db(), priya, id, clinic.siteId, meta, NOW);
      expect(r).toMatchObject({ ok: false, status: 409, formError: expect.stringMatching(/Ben Baker/) });
      // Their part is there to write now.
      expect((await view(id)).parts.map((p) => p.patientId)).toEqual([pts[0], pts[1]]);
      await fill(priya, id);
      expect(await signNote(db(), priya, id, clinic.siteId, meta, NOW)).toMatchObject({ ok: true });
    });

    it("signs an individual note in the program's format, and copies the roll call's minutes and mode", async () => {
      const s = await session({ facilitator: priya, date: "2026-12-04", patients: [pts[3]], kind: "individual", modality: "telehealth" });
      await roll(s, { [pts[3]]: "late" }, "telehealth");
      const id = await open(priya, s);
      await fill(priya, id);
      expect(await signNote(db(), priya, id, clinic.siteId, meta, NOW)).toMatchObject({ ok: true, lateEntry: true });
      expect((await view(id)).parts).toMatchObject([{ patientId: pts[3], minutes: 150, mode: "telehealth", content: DAP }]);
    });

    it("marks a note signed more than the late hours after the session a late entry, exactly the late hours on time", async () => {
      const ends = Date.parse("2026-11-30T18:00:00.000Z");
      const onTime = await signed(priya, "2026-11-30", new Date(ends + 24 * HOUR));
      expect(onTime.lateEntry).toBe(false);
      const late = await signed(priya, "2026-11-30", new Date(ends + 24 * HOUR + 1000));
      expect(late.lateEntry).toBe(true);
      expect((await view(late.noteId)).lateEntry).toBe(true);
    });

    it("follows a site's own late hours over the program's", async () => {
      await db()
        .insertInto("site_settings")
        .values({ site_id: clinic.siteId, key: "note_late_hours", value: "48", updated_at: NOW.toISOString(), updated_by: dana.id, version: 1 })
        .execute();
      try {
        expect((await noteSettings(db(), clinic.siteId)).lateHours).toBe(48);
        const ends = Date.parse("2026-11-29T18:00:00.000Z");
        expect((await signed(priya, "2026-11-29", new Date(ends + 30 * HOUR))).lateEntry).toBe(false);
        expect((await signed(priya, "2026-11-29", new Date(ends + 48 * HOUR + 1000))).lateEntry).toBe(true);
      } finally {
        await db().deleteFrom("site_settings").where("site_id", "=", clinic.siteId).where("key", "=", "note_late_hours").execute();
      }
      expect((await noteSettings(db(), clinic.siteId)).lateHours).toBe(24);
    });
  });

  describe("co-signature", () => {
    it("sends an intern's note for co-signature; only a supervisor at their site co-signs it", async () => {
      const own = await signed(priya, "2026-11-28");
      expect(own.cosignRequired).toBe(false);
      const n = await signed(marcus, "2026-11-28");
      expect(n.cosignRequired).toBe(true);
      expect((await view(n.noteId)).state).toBe("awaiting_cosign");

      const seq = await lastSeq(db());
      expect(await coSignNote(db(), marcus, n.noteId, sites(), meta, NOW)).toMatchObject({
        ok: false,
        status: 409,
        formError: expect.stringMatching(/^Not co-signed: /),
      });
      expect(await coSignNote(db(), dana, n.noteId, sites(), meta, NOW)).toMatchObject({
        ok: false,
        formError: "Not co-signed: Only a clinical supervisor can co-sign.",
      });
      expect(await coSignNote(db(), elena, n.noteId, sites(), meta, NOW)).toMatchObject({ ok: false, status: 409 });
      // A supervisor who works only at another site: the note is not found there, and not theirs to co-sign here.
      await db()
        .updateTable("users")
        .set({ credentials: "LCSW", signs_independently: 1, clinical_supervisor: 1 })
        .where("id", "=", east.counselor.id)
        .execute();
      expect(await coSignNote(db(), east.counselor, n.noteId, [east.siteId], meta, NOW)).toMatchObject({ ok: false, status: 404 });
      expect(await coSignNote(db(), east.counselor, n.noteId, sites(), meta, NOW)).toMatchObject({
        ok: false,
        formError: "Not co-signed: A co-signer must work at one of the author's sites.",
      });
      // A note that needs no co-signature is not co-signed.
      expect(await coSignNote(db(), priya, own.noteId, sites(), meta, NOW)).toMatchObject({ ok: false, formError: expect.stringMatching(/not waiting/) });
      expect(await lastSeq(db())).toBe(seq);

      expect(await coSignNote(db(), priya, n.noteId, sites(), meta, NOW)).toEqual({ ok: true, id: n.noteId });
      expect(await view(n.noteId)).toMatchObject({ state: "signed", cosignedBy: "Priya Raman", cosignedAt: NOW.toISOString(), signedBy: "Marcus Bell" });
      expect(await actions(seq)).toEqual(["note.cosigned"]);
      expect(await coSignNote(db(), priya, n.noteId, sites(), meta, NOW)).toMatchObject({ ok: false, status: 409 });
    });
  });

  describe("addenda", () => {
    it("are refused on a draft and when empty; a double submit adds one; to a member's part or to the shared part", async () => {
      const draft = await writtenGroup(priya, "2026-11-27");
      const key = () => randomUUID();
      expect(await addAddendum(db(), priya, draft.noteId, { patientId: null, text: "Late addition", requestKey: key() }, sites(), meta, NOW)).toMatchObject({
        ok: false,
        status: 409,
        formError: expect.stringMatching(/not signed yet/),
      });
      const n = await signed(priya, "2026-11-27");
      for (const text of ["", "   \n "])
        expect(await addAddendum(db(), priya, n.noteId, { patientId: null, text, requestKey: key() }, sites(), meta, NOW)).toMatchObject({
          ok: false,
          status: 400,
          fieldErrors: { text: [expect.stringMatching(/empty addendum/)] },
        });
      expect(await addAddendum(db(), priya, n.noteId, { patientId: null, text: "z".repeat(4001), requestKey: key() }, sites(), meta, NOW)).toMatchObject({
        ok: false,
        status: 400,
        fieldErrors: { text: [expect.stringMatching(/under 4000 characters/)] },
      });
      expect(await addAddendum(db(), elena, n.noteId, { patientId: null, text: "Not mine", requestKey: key() }, sites(), meta, NOW)).toMatchObject({
        ok: false,
        status: 409,
      });

      const seq = await lastSeq(db());
      const k = key();
      const input = { patientId: pts[1], text: "Ben called after group: cravings eased (zebra-lantern).", requestKey: k };
      const twice = await Promise.all([
        addAddendum(db(), priya, n.noteId, input, sites(), meta, NOW),
        addAddendum(db(), priya, n.noteId, input, sites(), meta, NOW),
      ]);
      expect(twice[0]).toEqual({ ok: true, id: expect.any(String) });
      expect(twice[1]).toEqual(twice[0]);
      const shared = await addAddendum(db(), priya, n.noteId, { patientId: null, text: "Room change noted.", requestKey: key() }, sites(), meta, NOW);
      expect(shared.ok).toBe(true);
      // The same form's key on another note is not a new addendum there.
      expect(await addAddendum(db(), priya, draft.noteId, input, sites(), meta, NOW)).toMatchObject({ ok: false });
      // A part of a patient not in the note.
      expect(await addAddendum(db(), priya, n.noteId, { patientId: pts[5], text: "x", requestKey: key() }, sites(), meta, NOW)).toMatchObject({
        ok: false,
        status: 404,
      });

      expect((await view(n.noteId)).addenda.map((a) => [a.patientId, a.signedBy])).toEqual([
        [pts[1], "Priya Raman"],
        [null, "Priya Raman"],
      ]);
      // Each chart shows the shared part's addenda and only its own.
      const ann = (await noteForPatient(db(), n.noteId, pts[0], sites()))!;
      expect(ann.addenda.map((a) => a.text)).toEqual(["Room change noted."]);
      expect(ann.parts.map((p) => p.patientId)).toEqual([pts[0]]);
      const ben = (await noteForPatient(db(), n.noteId, pts[1], sites()))!;
      expect(ben.addenda.map((a) => a.patientId)).toEqual([pts[1], null]);
      expect(await noteForPatient(db(), n.noteId, pts[5], sites())).toBeNull();
      expect(await actions(seq)).toEqual(["note.addendum_added", "note.addendum_added"]);
    });
  });

  describe("the database's own lock", () => {
    it("refuses changing or deleting a signed note, its parts and its addenda, and allows the co-signature", async () => {
      const n = await signed(marcus, "2026-11-26");
      const a = await addAddendum(db(), marcus, n.noteId, { patientId: null, text: "Addendum", requestKey: randomUUID() }, sites(), meta, NOW);
      if (!a.ok) throw new Error(JSON.stringify(a));
      const refused = [
        () => db().updateTable("notes").set({ shared: "{}" }).where("id", "=", n.noteId).execute(),
        () => db().updateTable("notes").set({ signed_at: null }).where("id", "=", n.noteId).execute(),
        () => db().updateTable("notes").set({ signed_by: priya.id }).where("id", "=", n.noteId).execute(),
        () => db().deleteFrom("notes").where("id", "=", n.noteId).execute(),
        () => db().updateTable("note_entries").set({ content: "{}" }).where("note_id", "=", n.noteId).execute(),
        () => db().updateTable("note_entries").set({ minutes: 1 }).where("note_id", "=", n.noteId).execute(),
        () => db().deleteFrom("note_entries").where("note_id", "=", n.noteId).execute(),
        () => db().updateTable("note_addenda").set({ text: "changed" }).where("id", "=", a.id).execute(),
        () => db().deleteFrom("note_addenda").where("id", "=", a.id).execute(),
      ];
      for (const write of refused)
        await expect(write()).rejects.toThrow(/a signed note never changes|a signed note is never deleted|an addendum never changes/);
      const v = await view(n.noteId);
      expect(v.parts).toHaveLength(3);
      expect(v.addenda.map((x) => x.text)).toEqual(["Addendum"]);
      // The co-signature is the one change a signed note takes.
      expect((await coSignNote(db(), priya, n.noteId, sites(), meta, NOW)).ok).toBe(true);
      // An unsigned draft may still be changed and deleted at the database.
      const d = await writtenGroup(priya, "2026-11-26");
      await db().updateTable("note_entries").set({ minutes: 5 }).where("note_id", "=", d.noteId).execute();
      await db().deleteFrom("note_entries").where("note_id", "=", d.noteId).execute();
      await db().deleteFrom("notes").where("id", "=", d.noteId).execute();
    });
  });

  describe("the audit log", () => {
    it("records every write, with the note and patient it is about, and never the text", async () => {
      const seq = await lastSeq(db());
      const n = await signed(marcus, "2026-11-25");
      await coSignNote(db(), priya, n.noteId, sites(), meta, NOW);
      await addAddendum(db(), marcus, n.noteId, { patientId: pts[0], text: "Called back (zebra-lantern).", requestKey: randomUUID() }, sites(), meta, NOW);
      const rows = await noteAudit(seq);
      expect(rows.map((e) => e.action)).toEqual([
        "note.started",
        "note.draft_saved",
        "note.draft_saved",
        "note.draft_saved",
        "note.draft_saved",
        "note.signed",
        "note.cosigned",
        "note.addendum_added",
      ]);
      for (const r of rows) {
        expect(r).toMatchObject({ entity_type: "note", entity_id: n.noteId, site_id: clinic.siteId, outcome: "success" });
        expect(JSON.stringify(r)).not.toMatch(/zebra-lantern|Relapse warning signs|Log cravings/);
      }
      expect(rows.filter((r) => r.patient_id).map((r) => r.action)).toEqual([
        "note.draft_saved",
        "note.draft_saved",
        "note.draft_saved",
        "note.addendum_added",
      ]);
      expect(rows.map((r) => r.user_name)).toEqual([...Array(6).fill("Marcus Bell"), "Priya Raman", "Marcus Bell"]);
    });
  });
});

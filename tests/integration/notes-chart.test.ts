/**
 * Notes in a patient's chart on real databases (issue 20, items 7–9): a group note with three
 * members read from each member's chart (list, one note, print range, disclosure) shows the shared
 * part and that member's own part only, never another member's name or text; the search never
 * matches another member's part nor a draft the reader is not writing; SUD counseling notes are
 * read only by their author; and the consent rules for progress and counseling notes.
 * "Now" is Friday, Nov 27, 2026.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordConsent } from "~/features/consents/consents.server";
import { discloseRecords } from "~/features/consents/disclosures.server";
import type { ConsentInput, DisclosureInput } from "~/features/consents/schemas";
import { chartNote, chartNoteAuthors, chartNotesPage, type ChartNoteFilters, signedNotesInRange } from "~/features/notes/chart.server";
import { ownCounselingNotes, writeCounselingNote } from "~/features/notes/counseling.server";
import { addAddendum, openNote, saveEntry, saveShared, signNote } from "~/features/notes/notes.server";
import { EMPTY_ENTRY, type EntryContent } from "~/features/notes/rules";
import { newId } from "~/utils/ids";
import { createTestDatabase, dialects, type TestDatabase } from "../support/databases";
import { meta } from "../support/demo";
import { type DrugTestWorld, drugTestWorld, NOW } from "./drug-testing-support";
import { auditSince, lastSeq } from "./patients-support";

type Actor = { id: string; name: string };
const FILTERS: ChartNoteFilters = { q: "", kind: "", author: "", from: "", to: "", page: 1 };

/** Each member's own words: none may ever show in another member's chart. */
const OWN = { bea: "kiteflying", mel: "lanternlight", nia: "harborwatch" } as const;
const NAMES = { bea: ["Bea", "Bupren"], mel: ["Mel", "Meadows"], nia: ["Nia", "Nolan"] } as const;
type Member = keyof typeof OWN;

describe.each(dialects)("notes in the chart on %s", (dialect) => {
  let t: TestDatabase;
  let w: DrugTestWorld;
  let marcus: Actor;
  let priya: Actor;
  let ids: Record<Member, string>;
  let groupNote: string;
  let individualNote: string;
  let draftNote: string;

  async function session(over: { facilitator: string; kind: "group" | "individual"; date: string; title: string; patientId?: string }) {
    const id = newId();
    await t.db
      .insertInto("sessions")
      .values({
        id,
        site_id: w.site.id,
        kind: over.kind,
        group_kind: over.kind === "group" ? "process" : null,
        title: over.title,
        facilitator_id: over.facilitator,
        modality: "in_person",
        capacity: 12,
        local_date: over.date,
        starts_at: `${over.date}T14:00:00.000Z`,
        ends_at: `${over.date}T15:30:00.000Z`,
        status: "scheduled",
        cancel_reason: null,
        patient_id: over.patientId ?? null,
        created_at: "2026-10-01T12:00:00.000Z",
        updated_at: "2026-10-01T12:00:00.000Z",
      })
      .execute();
    return id;
  }

  async function attend(sessionId: string, date: string, patientIds: string[], by: string) {
    await t.db
      .insertInto("attendance")
      .values(
        patientIds.map((p) => ({
          id: newId(),
          session_id: sessionId,
          patient_id: p,
          status: "present" as const,
          mode: "in_person" as const,
          minutes: 90,
          note: null,
          local_date: date,
          starts_at: `${date}T14:00:00.000Z`,
          recorded_by: by,
          recorded_at: `${date}T16:00:00.000Z`,
        })),
      )
      .execute();
  }

  const entry = (over: Partial<EntryContent>): EntryContent => ({ ...EMPTY_ENTRY, harm: "denied", use: "none", ...over });
  const ok = <T extends { ok: boolean }>(r: T): Extract<T, { ok: true }> => {
    if (!r.ok) throw new Error(JSON.stringify(r));
    return r as Extract<T, { ok: true }>;
  };

  /** A note written through the repositories: opened, each part saved, and signed unless `draft`. */
  async function writeNote(
    by: Actor,
    o: { kind: "group" | "individual"; date: string; title: string; members: string[]; topic?: string; parts: Record<string, EntryContent>; draft?: boolean },
  ) {
    const sessionId = await session({
      facilitator: by.id,
      kind: o.kind,
      date: o.date,
      title: o.title,
      patientId: o.kind === "individual" ? o.members[0] : undefined,
    });
    await attend(sessionId, o.date, o.members, by.id);
    const at = new Date(`${o.date}T16:00:00.000Z`);
    const { id } = ok(await openNote(t.db, by, sessionId, w.site.id, meta, at));
    if (o.kind === "group")
      ok(
        await saveShared(
          t.db,
          by,
          id,
          {
            version: 1,
            shared: { topic: o.topic ?? "", curriculum: "Living in Balance", interventions: "Psychoeducation, role-play.", process: "Cohesive group." },
          },
          w.site.id,
          meta,
          at,
        ),
      );
    for (const p of o.members) ok(await saveEntry(t.db, by, id, p, { version: 1, content: o.parts[p] }, w.site.id, meta, at));
    if (!o.draft) ok(await signNote(t.db, by, id, w.site.id, meta, new Date(`${o.date}T17:00:00.000Z`)));
    return id;
  }

  const list = (patientId: string, viewer: Actor, f: Partial<ChartNoteFilters> = {}) =>
    chartNotesPage(t.db, patientId, w.siteIds, viewer.id, { ...FILTERS, ...f });
  const others = (m: Member) => (Object.keys(OWN) as Member[]).filter((x) => x !== m);
  /** Nothing of another member: neither their name nor their own words. */
  function onlyOwn(m: Member, payload: unknown) {
    const text = JSON.stringify(payload);
    for (const o of others(m)) {
      expect(text).not.toContain(OWN[o]);
      for (const n of NAMES[o]) expect(text).not.toContain(n);
    }
  }

  beforeAll(async () => {
    t = await createTestDatabase(dialect);
    w = await drugTestWorld(t.db);
    marcus = w.counselor;
    priya = w.otherCounselor;
    ids = { bea: w.bup, mel: w.methadone, nia: w.naltrexone };
    groupNote = await writeNote(priya, {
      kind: "group",
      date: "2026-11-20",
      title: "Process group",
      members: [ids.bea, ids.mel, ids.nia],
      topic: "Coping with cravings",
      parts: {
        [ids.bea]: entry({ participation: "active", sections: { response: `Talked about ${OWN.bea} with her daughter.`, plan: "Practise urge surfing." } }),
        [ids.mel]: entry({ participation: "moderate", sections: { response: `Spoke of ${OWN.mel} at night.`, plan: "Call sponsor." } }),
        [ids.nia]: entry({ participation: "minimal", sections: { response: `Quiet; mentioned ${OWN.nia}.`, plan: "Attend NA." } }),
      },
    });
    ok(await addAddendum(t.db, priya, groupNote, { patientId: ids.mel, text: `Mel addendum ${OWN.mel}`, requestKey: randomUUID() }, w.siteIds, meta, NOW));
    ok(await addAddendum(t.db, priya, groupNote, { patientId: null, text: "Room changed halfway.", requestKey: randomUUID() }, w.siteIds, meta, NOW));
    individualNote = await writeNote(priya, {
      kind: "individual",
      date: "2026-11-24",
      title: "Individual session",
      members: [ids.bea],
      parts: { [ids.bea]: entry({ sections: { data: "Reviewed the week.", assessment: "Stable.", plan: "Keep going." } }) },
    });
    draftNote = await writeNote(marcus, {
      kind: "group",
      date: "2026-11-25",
      title: "Relapse prevention",
      members: [ids.bea, ids.mel],
      topic: "draftsecret topic",
      parts: { [ids.bea]: entry({ sections: { response: "draftsecret words" } }), [ids.mel]: entry({}) },
      draft: true,
    });
  }, 120_000);

  afterAll(async () => {
    await t?.destroy();
  });

  it("lists each member's notes newest first, with state and their addenda count, and nothing of another member", async () => {
    for (const m of Object.keys(OWN) as Member[]) {
      const page = await list(ids[m], priya);
      onlyOwn(m, page);
      const group = page.rows.find((r) => r.id === groupNote)!;
      expect(group).toMatchObject({ title: "Process group", kind: "group", state: "signed", author: priya.name });
      // The shared addendum counts for everyone; Mel's own only in Mel's chart.
      expect(group.addenda).toBe(m === "mel" ? 2 : 1);
    }
    const bea = await list(ids.bea, priya);
    expect(bea.rows.map((r) => r.id)).toEqual([draftNote, individualNote, groupNote]);
    expect(bea.rows[0].state).toBe("draft");
    expect(bea.total).toBe(3);
  });

  it("shows one note with the shared part and only this member's part and addenda", async () => {
    for (const m of Object.keys(OWN) as Member[]) {
      const n = (await chartNote(t.db, groupNote, ids[m], w.siteIds, priya.id))!;
      expect(n.textShown).toBe(true);
      expect(n.note.shared.topic).toBe("Coping with cravings");
      expect(n.note.parts.map((p) => p.patientId)).toEqual([ids[m]]);
      expect(JSON.stringify(n)).toContain(OWN[m]);
      onlyOwn(m, n);
      expect(n.note.parts[0]).toMatchObject({ minutes: 90, mode: "in_person" });
    }
    // A note this patient was not part of is not in their chart.
    expect(await chartNote(t.db, individualNote, ids.mel, w.siteIds, priya.id)).toBeNull();
  });

  it("searches the shared part and this patient's part only, never another member's, nor a field's name", async () => {
    expect((await list(ids.bea, priya, { q: OWN.mel })).total).toBe(0);
    expect((await list(ids.mel, priya, { q: OWN.mel })).rows.map((r) => r.id)).toEqual([groupNote]);
    expect((await list(ids.nia, priya, { q: "CRAVINGS" })).rows.map((r) => r.id)).toEqual([groupNote]);
    // "topic" and "response" are only the stored fields' names.
    expect((await list(ids.bea, priya, { q: "topic" })).total).toBe(0);
    expect((await list(ids.bea, priya, { q: "response" })).total).toBe(0);
    expect((await list(ids.bea, priya, { q: "100%_" })).total).toBe(0);
  });

  it("lists a draft, but only its writers read or search its text", async () => {
    const seen = (await chartNote(t.db, draftNote, ids.bea, w.siteIds, priya.id))!;
    expect(seen.textShown).toBe(false);
    expect(JSON.stringify(seen)).not.toContain("draftsecret");
    expect((await list(ids.bea, priya, { q: "draftsecret" })).total).toBe(0);
    const writer = (await chartNote(t.db, draftNote, ids.bea, w.siteIds, marcus.id))!;
    expect(writer.textShown).toBe(true);
    expect((await list(ids.bea, marcus, { q: "draftsecret" })).rows.map((r) => r.id)).toEqual([draftNote]);
  });

  it("filters by kind, author and dates, and offers the authors of this patient's notes", async () => {
    expect((await list(ids.bea, priya, { kind: "individual" })).rows.map((r) => r.id)).toEqual([individualNote]);
    expect((await list(ids.bea, priya, { author: marcus.id })).rows.map((r) => r.id)).toEqual([draftNote]);
    expect((await list(ids.bea, priya, { from: "2026-11-21", to: "2026-11-24" })).rows.map((r) => r.id)).toEqual([individualNote]);
    expect((await chartNoteAuthors(t.db, ids.nia, w.siteIds)).map((a) => a.id)).toEqual([priya.id]);
    // Another site's reader sees nothing.
    expect((await chartNotesPage(t.db, ids.bea, ["no-such-site"], priya.id, FILTERS)).total).toBe(0);
  });

  it("prints the signed notes of a range with this member's part only, never a draft", async () => {
    for (const m of Object.keys(OWN) as Member[]) {
      const notes = (await signedNotesInRange(t.db, ids[m], w.siteIds, "2026-11-01", "2026-11-27"))!;
      expect(notes.map((n) => n.id)).toEqual(m === "bea" ? [groupNote, individualNote] : [groupNote]);
      onlyOwn(m, notes);
    }
  });

  it("keeps SUD counseling notes for their author alone, once per form, audited without the text", async () => {
    const seq = await lastSeq(t.db);
    const key = randomUUID();
    const text = "Counseling-only analysis: grief under the anger.";
    const first = ok(await writeCounselingNote(t.db, marcus, { patientId: ids.bea, siteId: w.site.id, text, requestKey: key }, meta, NOW));
    const again = ok(await writeCounselingNote(t.db, marcus, { patientId: ids.bea, siteId: w.site.id, text, requestKey: key }, meta, NOW));
    expect(again).toEqual({ ok: true, id: first.id, repeated: true });
    expect((await ownCounselingNotes(t.db, ids.bea, marcus.id, w.siteIds)).map((n) => n.text)).toEqual([text]);
    expect(await ownCounselingNotes(t.db, ids.bea, priya.id, w.siteIds)).toEqual([]);
    expect(await ownCounselingNotes(t.db, ids.bea, w.admin.id, w.siteIds)).toEqual([]);
    const audit = await auditSince(t.db, seq);
    expect(audit.map((a) => a.action)).toEqual(["counseling_note.written"]);
    expect(JSON.stringify(audit)).not.toContain("grief");
    expect(await writeCounselingNote(t.db, marcus, { patientId: ids.bea, siteId: w.site.id, text: "   ", requestKey: randomUUID() }, meta)).toMatchObject({
      ok: false,
      status: 400,
    });
    // Never in the notes list or its search.
    expect(JSON.stringify(await list(ids.bea, marcus, { q: "grief" }))).not.toContain("grief");
    expect(JSON.stringify(await signedNotesInRange(t.db, ids.bea, w.siteIds, "2026-11-01", "2026-11-27"))).not.toContain("grief");
  });

  describe("consents and disclosures", () => {
    const RECIPIENT = "Dr. Ada Lin, Harbor Primary Care";
    const consentInput = (information: ConsentInput["information"]): ConsentInput => ({
      requestKey: randomUUID(),
      disclosingParty: "Harbor Light Recovery",
      information,
      recipient: RECIPIENT,
      recipientDesignation: "named",
      purposes: ["treatment"],
      purposeOther: undefined,
      expiresOn: "2027-09-01",
      expiryEvent: "none",
      expiryEventText: undefined,
      signedOn: "2026-11-02",
      signedBy: "patient",
      signerName: undefined,
      revocationExplained: "yes",
      note: undefined,
    });
    const disclosureInput = (information: DisclosureInput["information"]): DisclosureInput => ({
      requestKey: randomUUID(),
      recipient: RECIPIENT,
      purpose: "treatment",
      purposeDetail: undefined,
      information,
      recordsFrom: "2026-11-01",
      note: undefined,
    });
    const contentOf = async (id: string) =>
      JSON.parse((await t.db.selectFrom("disclosures").select("content").where("id", "=", id).executeTakeFirstOrThrow()).content) as Record<string, unknown>;

    it("refuses a consent that combines SUD counseling notes with anything else", async () => {
      const r = await recordConsent(t.db, marcus, ids.mel, consentInput(["counseling_notes", "progress_notes"]), w.siteIds, meta);
      expect(r).toMatchObject({ ok: false, status: 400, fieldErrors: { information: [expect.stringContaining("need a consent of their own")] } });
    });

    it("discloses signed progress notes with the shared part and this member's part only", async () => {
      for (const m of ["mel", "nia"] as Member[])
        ok(await recordConsent(t.db, marcus, ids[m], consentInput(["attendance", "progress_notes"]), w.siteIds, meta));
      for (const m of ["mel", "nia"] as Member[]) {
        const d = ok(await discloseRecords(t.db, marcus, ids[m], disclosureInput(["progress_notes"]), w.siteIds, meta, NOW));
        const content = await contentOf(d.id);
        const notes = content.progressNotes as { session: string; shared: { text: string }[]; part: { text: string }[] }[];
        expect(notes.map((n) => n.session)).toEqual(["Process group"]);
        expect(JSON.stringify(notes)).toContain("Coping with cravings");
        expect(JSON.stringify(notes)).toContain(OWN[m]);
        onlyOwn(m, notes);
        expect(content.counselingNotes).toBeUndefined();
      }
    });

    it("discloses SUD counseling notes only under a consent naming them alone, and only the discloser's own", async () => {
      // Bea's consent for progress notes does not reach her counseling notes.
      ok(await recordConsent(t.db, marcus, ids.bea, consentInput(["progress_notes"]), w.siteIds, meta));
      expect(await discloseRecords(t.db, marcus, ids.bea, disclosureInput(["counseling_notes"]), w.siteIds, meta, NOW)).toMatchObject({
        ok: false,
        status: 400,
        fieldErrors: { information: [expect.stringContaining("does not cover SUD counseling notes")] },
      });
      expect(await discloseRecords(t.db, marcus, ids.bea, disclosureInput(["counseling_notes", "progress_notes"]), w.siteIds, meta, NOW)).toMatchObject({
        ok: false,
        fieldErrors: { information: [expect.stringContaining("disclosed on their own")] },
      });
      ok(await recordConsent(t.db, marcus, ids.bea, consentInput(["counseling_notes"]), w.siteIds, meta));
      // Priya wrote none: only their author discloses them.
      expect(await discloseRecords(t.db, priya, ids.bea, disclosureInput(["counseling_notes"]), w.siteIds, meta, NOW)).toMatchObject({
        ok: false,
        fieldErrors: { information: [expect.stringContaining("Only their author")] },
      });
      const d = ok(await discloseRecords(t.db, marcus, ids.bea, disclosureInput(["counseling_notes"]), w.siteIds, meta, NOW));
      const content = await contentOf(d.id);
      expect(content.counselingNotes).toEqual([expect.objectContaining({ author: marcus.name, text: "Counseling-only analysis: grief under the anger." })]);
      expect(content.progressNotes).toBeUndefined();
      // A progress-notes disclosure never carries them.
      const p = ok(await discloseRecords(t.db, marcus, ids.bea, disclosureInput(["progress_notes"]), w.siteIds, meta, NOW));
      expect(JSON.stringify(await contentOf(p.id))).not.toContain("grief");
    });
  });
});

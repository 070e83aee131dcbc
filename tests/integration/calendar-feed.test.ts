import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyAuditChain } from "~/features/audit/audit.server";
import { activeFeed, createFeed, feedCalendar, revokeFeed } from "~/features/scheduling/calendar-feed.server";
import { cancelSession } from "~/features/scheduling/groups.server";
import { newId } from "~/utils/ids";
import { dialects, type TestDatabase } from "../support/databases";
import { seededTestDatabase } from "../support/templates";
import type { DemoClinic } from "../../seeds/demo";
import { meta } from "../support/demo";

type Clinic = DemoClinic;

const PATH = /^\/calendar\/([0-9a-f-]{36}\.[A-Za-z0-9_-]{43})\.ics$/;
const tokenOf = (path: string) => PATH.exec(path)![1];
/** iCalendar folds long lines (CRLF + space); unfold them so a search sees whole values. */
const unfold = (ics: string) => ics.replace(/\r\n[ \t]/g, "");
/** Each VEVENT's lines, keyed by its UID. */
function events(ics: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const block of unfold(ics).split("BEGIN:VEVENT").slice(1)) {
    const body = block.split("END:VEVENT")[0];
    const uid = /\r\nUID:([^\r\n]+)/.exec(body)?.[1];
    if (uid) out.set(uid, body);
  }
  return out;
}
const DAY = 86_400_000;

describe.each(dialects)("calendar feeds on %s", (dialect) => {
  let t: TestDatabase;
  let clinic: Clinic;
  let marcus: { id: string; name: string };
  let priya: { id: string; name: string };
  let admin: { id: string; name: string };
  let patient: { id: string; mrn: string; legal_first_name: string; legal_last_name: string; preferred_name: string | null };
  let individualId: string;
  let familyId: string;
  let telehealthId: string;
  let coFacilitatedId: string;
  let farAheadId: string;
  let cancelledId: string;
  let firstPath: string;

  async function insertSession(over: Record<string, unknown>): Promise<string> {
    const id = newId();
    const starts = (over.starts_at as string | undefined) ?? new Date(Date.now() + 2 * DAY).toISOString();
    const now = new Date().toISOString();
    await t.db
      .insertInto("sessions")
      .values({
        id,
        site_id: clinic.siteId,
        series_id: null,
        kind: "individual",
        group_kind: null,
        title: "Individual session (CBT)",
        track_id: null,
        facilitator_id: marcus.id,
        co_facilitator_id: null,
        room_id: null,
        modality: "in_person",
        capacity: 1,
        local_date: starts.slice(0, 10),
        starts_at: starts,
        ends_at: new Date(Date.parse(starts) + 3600_000).toISOString(),
        status: "scheduled",
        cancel_reason: null,
        patient_id: patient.id,
        approach: "CBT",
        family_members: null,
        created_at: now,
        updated_at: now,
        ...over,
      })
      .execute();
    return id;
  }

  // Seeds a clinic with patients and schedules their sessions: as long as the other seeding hooks.
  beforeAll(async () => {
    const seeded = await seededTestDatabase(dialect, { patients: true });
    t = seeded;
    clinic = seeded.clinic;
    const u = clinic.users;
    marcus = { id: u["marcus.bell"].id, name: u["marcus.bell"].name };
    priya = { id: u["priya.raman"].id, name: u["priya.raman"].name };
    admin = { id: u["dana.whitfield"].id, name: u["dana.whitfield"].name };
    patient = await t.db
      .selectFrom("patients")
      .select(["id", "mrn", "legal_first_name", "legal_last_name", "preferred_name"])
      .where("preferred_name", "is not", null)
      .orderBy("mrn")
      .executeTakeFirstOrThrow();
    const office = await t.db.selectFrom("rooms").select("id").where("name", "=", "Counseling Office 1").executeTakeFirstOrThrow();
    const familyRoom = await t.db.selectFrom("rooms").select("id").where("name", "=", "Family Room").executeTakeFirstOrThrow();
    const fullName = `${patient.legal_first_name} ${patient.legal_last_name}`;
    individualId = await insertSession({ room_id: office.id });
    familyId = await insertSession({
      kind: "family",
      title: `Family session — ${fullName}`,
      approach: "Structural family therapy",
      family_members: JSON.stringify([{ name: "Rosalind Quayle", relationship: "mother" }]),
      room_id: familyRoom.id,
      starts_at: new Date(Date.now() + 3 * DAY).toISOString(),
    });
    telehealthId = await insertSession({
      modality: "telehealth",
      title: `Individual session with ${fullName}`,
      starts_at: new Date(Date.now() + 4 * DAY).toISOString(),
    });
    coFacilitatedId = await insertSession({
      kind: "group",
      title: "Co-led Alumni Group",
      facilitator_id: priya.id,
      co_facilitator_id: marcus.id,
      patient_id: null,
      approach: null,
      room_id: office.id,
      starts_at: new Date(Date.now() + 5 * DAY).toISOString(),
    });
    farAheadId = await insertSession({
      kind: "group",
      title: "Far Future Group",
      patient_id: null,
      approach: null,
      starts_at: new Date(Date.now() + 200 * DAY).toISOString(),
    });
    // One of Marcus's upcoming groups is cancelled, with a reason that must not reach the calendar.
    const next = await t.db
      .selectFrom("sessions")
      .select(["id", "version"])
      .where("facilitator_id", "=", marcus.id)
      .where("title", "=", "Morning Process Group")
      .where("starts_at", ">", new Date().toISOString())
      .orderBy("starts_at")
      .executeTakeFirstOrThrow();
    cancelledId = next.id;
    const cancelled = await cancelSession(t.db, admin, next.id, { version: Number(next.version), reason: `Snow day; call ${fullName}` }, clinic.siteId, meta);
    expect(cancelled).toEqual({ ok: true });
  }, 120_000);
  afterAll(() => t?.destroy());

  it("creates a secret address, stores only a hash of its secret, and audits it", async () => {
    expect(await activeFeed(t.db, marcus.id)).toBeNull();
    firstPath = await createFeed(t.db, marcus, meta);
    expect(firstPath).toMatch(PATH);
    const [id, secret] = tokenOf(firstPath).split(".");
    const row = await t.db.selectFrom("calendar_feeds").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ user_id: marcus.id, revoked_at: null, last_used_at: null });
    expect(row.secret_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(row)).not.toContain(secret);
    const audit = await t.db.selectFrom("audit_events").selectAll().where("action", "=", "calendar_feed.created").execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ user_id: marcus.id, entity_type: "calendar_feed", entity_id: id, ip: meta.ip });
    expect(audit[0].changes ?? "").not.toContain(secret);
    expect(await activeFeed(t.db, marcus.id)).toEqual({ createdAt: row.created_at, lastUsedAt: null });
  });

  it("lists the counselor's own sessions in the window, groups by title, as UTC instants", async () => {
    const before = Date.now();
    const ics = await feedCalendar(t.db, tokenOf(firstPath));
    expect(ics).not.toBeNull();
    const text = unfold(ics!);
    expect(text).toContain("BEGIN:VCALENDAR");
    expect(text).toContain("X-WR-CALNAME:IOP Dashboard — my sessions");
    expect(text).toContain("SUMMARY:Morning Process Group");
    expect(text).toContain("SUMMARY:Evening Process Group");
    expect(text).not.toContain("Relapse Prevention"); // Priya's group

    const from = new Date(before - 30 * DAY).toISOString();
    const to = new Date(before + 120 * DAY).toISOString();
    const expected = await t.db
      .selectFrom("sessions")
      .select(["id", "starts_at", "ends_at"])
      .where((eb) => eb.or([eb("facilitator_id", "=", marcus.id), eb("co_facilitator_id", "=", marcus.id)]))
      .where("starts_at", ">=", from)
      .where("starts_at", "<", to)
      .execute();
    const got = events(ics!);
    expect(expected.length).toBeGreaterThan(20);
    expect([...got.keys()].sort()).toEqual(expected.map((s) => `${s.id}@iop-dashboard`).sort());
    expect(got.has(`${coFacilitatedId}@iop-dashboard`)).toBe(true);
    expect(got.has(`${farAheadId}@iop-dashboard`)).toBe(false);
    expect(text).not.toContain("Far Future Group");

    // Times are UTC instants: DTSTART:20261019T130000Z for 2026-10-19T13:00:00.000Z.
    const s = expected[0];
    const ical = (iso: string) => iso.replace(/[-:]/g, "").replace(/\.\d{3}Z$/, "Z");
    expect(got.get(`${s.id}@iop-dashboard`)).toContain(`DTSTART:${ical(s.starts_at)}`);
    expect(got.get(`${s.id}@iop-dashboard`)).toContain(`DTEND:${ical(s.ends_at)}`);

    const lastUsed = (await activeFeed(t.db, marcus.id))!.lastUsedAt;
    expect(lastUsed).not.toBeNull();
    expect(Date.parse(lastUsed!)).toBeGreaterThanOrEqual(before - 1000);
  });

  it("shows individual and family sessions only by their kind, and nothing about any patient", async () => {
    const ics = unfold((await feedCalendar(t.db, tokenOf(firstPath)))!);
    const got = events(ics);
    const individual = got.get(`${individualId}@iop-dashboard`)!;
    expect(individual).toContain("\r\nSUMMARY:Individual session\r\n");
    expect(individual).toContain("\r\nLOCATION:Counseling Office 1\r\n");
    expect(individual).toContain("\r\nCLASS:PRIVATE\r\n");
    expect(individual).toContain("DESCRIPTION:Open the IOP Dashboard for details.");
    expect(got.get(`${familyId}@iop-dashboard`)).toContain("\r\nSUMMARY:Family session\r\n");
    expect(got.get(`${familyId}@iop-dashboard`)).toContain("\r\nLOCATION:Family Room\r\n");
    const telehealth = got.get(`${telehealthId}@iop-dashboard`)!;
    expect(telehealth).toContain("\r\nSUMMARY:Individual session\r\n");
    expect(telehealth).toContain("\r\nLOCATION:Telehealth\r\n");

    for (const forbidden of [
      "CBT",
      "Structural family therapy",
      "Rosalind",
      "Quayle",
      "mother",
      "Snow day",
      patient.legal_first_name,
      patient.legal_last_name,
      patient.preferred_name!,
      patient.mrn,
      patient.id,
    ]) {
      expect(ics, forbidden).not.toContain(forbidden);
    }
    // No patient of the clinic is named, by full name or MRN.
    const everyone = await t.db.selectFrom("patients").select(["mrn", "legal_first_name", "legal_last_name", "preferred_name"]).execute();
    expect(everyone.length).toBeGreaterThan(20);
    for (const p of everyone) {
      expect(ics).not.toContain(`${p.legal_first_name} ${p.legal_last_name}`);
      if (p.preferred_name) expect(ics).not.toContain(`${p.preferred_name} ${p.legal_last_name}`);
      expect(ics).not.toContain(p.mrn);
    }
  });

  it("marks a cancelled session as cancelled, without its reason", async () => {
    const ics = (await feedCalendar(t.db, tokenOf(firstPath)))!;
    const cancelled = events(ics).get(`${cancelledId}@iop-dashboard`)!;
    expect(cancelled).toContain("\r\nSTATUS:CANCELLED\r\n");
    expect(cancelled).toContain("\r\nSUMMARY:Cancelled: Morning Process Group\r\n");
    expect(cancelled).not.toContain("Snow day");
    const others = [...events(ics).entries()].filter(([uid]) => uid !== `${cancelledId}@iop-dashboard`);
    expect(others.every(([, body]) => body.includes("\r\nSTATUS:CONFIRMED\r\n"))).toBe(true);
  });

  it("refuses malformed and forged addresses", async () => {
    const token = tokenOf(firstPath);
    const [id, secret] = token.split(".");
    const flipped = `${secret.slice(0, -1)}${secret.endsWith("A") ? "B" : "A"}`;
    for (const bad of [
      "",
      "garbage",
      id,
      `${id}.`,
      `.${secret}`,
      `${id}.${flipped}`,
      `${id}.${secret}x`,
      `${id}.${secret}.ics.ics`,
      `${id}.${secret}.extra`,
      `${id.toUpperCase()}.${secret}`,
      `${newId()}.${secret}`,
      `${id}.${"A".repeat(43)}`,
      `${id}.${secret.slice(0, 42)}=`,
      `${id}.${secret}`.padEnd(500, "a"),
      `'; drop table calendar_feeds; --.${secret}`,
    ]) {
      expect(await feedCalendar(t.db, bad), bad).toBeNull();
    }
    // The address as it appears in a URL, with ".ics", is accepted as well as the bare token.
    expect(await feedCalendar(t.db, `${token}.ics`)).toContain("BEGIN:VCALENDAR");
  });

  it("replacing the address turns the old one off", async () => {
    const second = await createFeed(t.db, marcus, meta);
    expect(second).not.toBe(firstPath);
    expect(await feedCalendar(t.db, tokenOf(firstPath))).toBeNull();
    expect(await feedCalendar(t.db, tokenOf(second))).toContain("BEGIN:VCALENDAR");
    const active = await t.db.selectFrom("calendar_feeds").select("id").where("user_id", "=", marcus.id).where("revoked_at", "is", null).execute();
    expect(active.map((r) => r.id)).toEqual([tokenOf(second).split(".")[0]]);
    const revoked = await t.db.selectFrom("audit_events").select(["entity_id", "changes"]).where("action", "=", "calendar_feed.revoked").execute();
    expect(revoked).toHaveLength(1);
    expect(revoked[0].entity_id).toBe(tokenOf(firstPath).split(".")[0]);
    expect(JSON.parse(revoked[0].changes!).detail).toEqual({ reason: "replaced" });
    firstPath = second;
  });

  it("turning the address off makes it answer nothing, and is audited", async () => {
    expect(await revokeFeed(t.db, marcus, meta)).toBe(1);
    expect(await feedCalendar(t.db, tokenOf(firstPath))).toBeNull();
    expect(await activeFeed(t.db, marcus.id)).toBeNull();
    // Turning off an address that is already off changes nothing and records nothing.
    const before = await t.db.selectFrom("audit_events").select("id").where("entity_type", "=", "calendar_feed").execute();
    expect(await revokeFeed(t.db, marcus, meta)).toBe(0);
    const after = await t.db
      .selectFrom("audit_events")
      .select(["action", "user_id", "changes"])
      .where("entity_type", "=", "calendar_feed")
      .orderBy("seq")
      .execute();
    expect(after).toHaveLength(before.length);
    expect(after.map((a) => a.action)).toEqual(["calendar_feed.created", "calendar_feed.revoked", "calendar_feed.created", "calendar_feed.revoked"]);
    expect(after.every((a) => a.user_id === marcus.id)).toBe(true);
    expect(JSON.parse(after[3].changes!).detail).toEqual({ reason: "turned_off" });
  });

  it("two creates at once (a double click) leave one address on", async () => {
    await createFeed(t.db, admin, meta);
    if (dialect === "postgres") {
      // Open several pooled connections first, so the creates below really run side by side.
      await Promise.all(Array.from({ length: 4 }, () => sql`select pg_sleep(0.05)`.execute(t.db)));
    }
    const paths = await Promise.all([createFeed(t.db, admin, meta), createFeed(t.db, admin, meta), createFeed(t.db, admin, meta)]);
    const active = await t.db.selectFrom("calendar_feeds").select("id").where("user_id", "=", admin.id).where("revoked_at", "is", null).execute();
    expect(active).toHaveLength(1);
    const working = [];
    for (const p of paths) if (await feedCalendar(t.db, tokenOf(p))) working.push(p);
    expect(working).toEqual([paths.find((p) => tokenOf(p).startsWith(active[0].id))]);
    await revokeFeed(t.db, admin, meta);
  });

  it("answers nothing for a deactivated account, and keeps each person's feed their own", async () => {
    const path = await createFeed(t.db, priya, meta);
    const ics = (await feedCalendar(t.db, tokenOf(path)))!;
    expect(ics).toContain("SUMMARY:Relapse Prevention");
    expect(ics).toContain("SUMMARY:Co-led Alumni Group");
    expect(ics).not.toContain("Morning Process Group");
    await t.db.updateTable("users").set({ active: 0 }).where("id", "=", priya.id).execute();
    expect(await feedCalendar(t.db, tokenOf(path))).toBeNull();
    await t.db.updateTable("users").set({ active: 1 }).where("id", "=", priya.id).execute();
  });

  it("keeps the audit chain intact", async () => {
    expect(await verifyAuditChain(t.db)).toMatchObject({ ok: true });
  });
});

/**
 * Issue 16, finding 1: an admin at one site acts only on people and records at a site they work
 * at. For an account or record of another site every admin repository answers exactly as for an
 * id that does not exist (404, same words) and changes nothing; the audit log gains nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createUser,
  getUser,
  listUsers,
  NO_SUCH_ACCOUNT,
  resetUserPassword,
  resetUserTwoFactor,
  setEmergencyAccess,
  setUserActive,
  updateUser,
} from "~/features/admin/users.server";
import { createSession } from "~/features/auth/sessions.server";
import { createRoom, createTrack, getRoom, getTrack, setActive, updateRoom, updateTrack } from "~/features/scheduling/program.server";
import { newId } from "~/utils/ids";
import { createTestDatabase, dialects, type TestDatabase } from "../support/databases";
import { meta, seed } from "../support/demo";

const TEMP = "marble orchard cinnamon voyage";
const UNKNOWN = "01900000-0000-7000-8000-0000000000ff";

describe.each(dialects)("admin actions across sites on %s", (dialect) => {
  let t: TestDatabase;
  let dana: { id: string; name: string };
  let riverside: { id: string; time_zone: string };
  let east: { id: string; time_zone: string };
  /** Quinn works only at Eastside, has two-factor sign-in on and an open session. */
  let quinn: string;
  let eastTrack: string;
  let eastRoom: string;

  beforeAll(async () => {
    t = await createTestDatabase(dialect);
    const clinic = await seed(t.db);
    dana = { id: clinic.users["dana.whitfield"].id, name: clinic.users["dana.whitfield"].name };
    riverside = { id: clinic.siteId, time_zone: "America/New_York" };
    east = { id: newId(), time_zone: "America/Chicago" };
    await t.db
      .insertInto("sites")
      .values({ id: east.id, name: "Harbor Light Recovery – Eastside", time_zone: east.time_zone, created_at: new Date().toISOString() })
      .execute();
    const eastAdmin = { id: "eastside-admin", name: "Eastside Admin" };
    const q = await createUser(
      t.db,
      eastAdmin,
      { name: "Quinn Eastside", email: "quinn.eastside@harborlight.example", role: "staff", siteIds: [east.id], temporaryPassword: TEMP },
      [east.id],
      meta,
    );
    if (!q.ok) throw new Error("could not create Quinn");
    quinn = q.id;
    await t.db.updateTable("users").set({ totp_secret: "JBSWY3DPEHPK3PXP", totp_enabled_at: new Date().toISOString() }).where("id", "=", quinn).execute();
    await createSession(t.db, { id: quinn }, east.id, meta);
    const track = await createTrack(
      t.db,
      eastAdmin,
      east,
      { name: "Eastside Evening IOP", levelOfCare: "IOP", days: ["mon", "wed"], startTime: "18:00", endTime: "21:00" },
      meta,
    );
    const room = await createRoom(t.db, eastAdmin, east.id, { name: "Eastside Room A", capacity: 12 }, meta);
    if (!track.ok || !room.ok) throw new Error("could not set up Eastside");
    eastTrack = track.id;
    eastRoom = room.id;
  });
  afterAll(() => t?.destroy());

  const lastSeq = async () =>
    Number(
      (
        await t.db
          .selectFrom("audit_events")
          .select((eb) => eb.fn.max("seq").as("m"))
          .executeTakeFirstOrThrow()
      ).m ?? 0,
    );
  const quinnRow = () => t.db.selectFrom("users").selectAll().where("id", "=", quinn).executeTakeFirstOrThrow();
  const sessionsOf = async (id: string) =>
    Number(
      (
        await t.db
          .selectFrom("user_sessions")
          .select((eb) => eb.fn.countAll<number>().as("n"))
          .where("user_id", "=", id)
          .executeTakeFirstOrThrow()
      ).n,
    );
  const mine = () => [riverside.id];

  it("refuses to reset the second factor of someone at another site, as for an unknown id, and ends no session", async () => {
    const before = await lastSeq();
    const foreign = await resetUserTwoFactor(t.db, dana, quinn, mine(), meta);
    const unknown = await resetUserTwoFactor(t.db, dana, UNKNOWN, mine(), meta);
    expect(foreign).toEqual({ ok: false, status: 404, formError: NO_SUCH_ACCOUNT });
    expect(foreign).toEqual(unknown);
    const row = await quinnRow();
    expect(row.totp_enabled_at).not.toBeNull();
    expect(row.totp_secret).toBe("JBSWY3DPEHPK3PXP");
    expect(await sessionsOf(quinn)).toBe(1);
    expect(await lastSeq()).toBe(before);
  });

  it("refuses every other account action for someone at another site, as for an unknown id, and changes nothing", async () => {
    const before = await lastSeq();
    const row = await quinnRow();
    const version = Number(row.version);
    const attempts = (id: string) => [
      updateUser(
        t.db,
        dana,
        id,
        { version, name: "Taken Over", email: "quinn.eastside@harborlight.example", role: "admin", siteIds: [riverside.id] },
        mine(),
        meta,
      ),
      setUserActive(t.db, dana, id, false, version, mine(), meta),
      setUserActive(t.db, dana, id, true, version, mine(), meta),
      setEmergencyAccess(t.db, dana, id, true, version, mine(), meta),
      resetUserPassword(t.db, dana, id, "another orchard cinnamon voyage", mine(), meta),
    ];
    const foreign = await Promise.all(attempts(quinn));
    const unknown = await Promise.all(attempts(UNKNOWN));
    for (const [i, result] of foreign.entries()) {
      expect(result, `attempt ${i}`).toEqual({ ok: false, status: 404, formError: NO_SUCH_ACCOUNT });
      expect(result, `attempt ${i}`).toEqual(unknown[i]);
    }
    expect(await quinnRow()).toEqual(row);
    expect(await sessionsOf(quinn)).toBe(1);
    expect(await getUser(t.db, quinn, mine())).toBeNull();
    expect(await lastSeq()).toBe(before);
  });

  it("lists only people who work at the admin's sites", async () => {
    const list = await listUsers(t.db, { page: 1, pageSize: 100, sort: "name", direction: "asc", search: "", siteIds: mine() });
    expect(list.users.map((u) => u.id)).not.toContain(quinn);
    expect(list.users.length).toBeGreaterThan(0);
    const searched = await listUsers(t.db, { page: 1, pageSize: 100, sort: "name", direction: "asc", search: "quinn", siteIds: mine() });
    expect(searched.total).toBe(0);
  });

  it("refuses to assign a site the admin does not work at", async () => {
    const created = await createUser(
      t.db,
      dana,
      { name: "Sneaky Assignment", email: "sneaky@harborlight.example", role: "admin", siteIds: [east.id], temporaryPassword: TEMP },
      mine(),
      meta,
    );
    expect(created).toMatchObject({ ok: false, status: 400 });
  });

  it("refuses every change to a track or room of another site, as for an unknown id", async () => {
    const before = await lastSeq();
    const track = await t.db.selectFrom("tracks").selectAll().where("id", "=", eastTrack).executeTakeFirstOrThrow();
    const room = await t.db.selectFrom("rooms").selectAll().where("id", "=", eastRoom).executeTakeFirstOrThrow();
    const sites = [riverside];
    const pairs = [
      [
        await updateTrack(
          t.db,
          dana,
          eastTrack,
          { version: 1, name: "Renamed", levelOfCare: "IOP", days: ["mon"], startTime: "09:00", endTime: "12:00" },
          sites,
          meta,
        ),
        await updateTrack(
          t.db,
          dana,
          UNKNOWN,
          { version: 1, name: "Renamed", levelOfCare: "IOP", days: ["mon"], startTime: "09:00", endTime: "12:00" },
          sites,
          meta,
        ),
      ],
      [
        await updateRoom(t.db, dana, eastRoom, { version: 1, name: "Renamed", capacity: 3 }, mine(), meta),
        await updateRoom(t.db, dana, UNKNOWN, { version: 1, name: "Renamed", capacity: 3 }, mine(), meta),
      ],
      [await setActive(t.db, dana, "tracks", eastTrack, false, 1, mine(), meta), await setActive(t.db, dana, "tracks", UNKNOWN, false, 1, mine(), meta)],
      [await setActive(t.db, dana, "rooms", eastRoom, false, 1, mine(), meta), await setActive(t.db, dana, "rooms", UNKNOWN, false, 1, mine(), meta)],
    ];
    for (const [foreign, unknown] of pairs) {
      expect(foreign).toMatchObject({ ok: false, status: 404 });
      expect(foreign).toEqual(unknown);
    }
    expect(await getTrack(t.db, eastTrack, mine())).toBeNull();
    expect(await getRoom(t.db, eastRoom, mine())).toBeNull();
    expect(await t.db.selectFrom("tracks").selectAll().where("id", "=", eastTrack).executeTakeFirstOrThrow()).toEqual(track);
    expect(await t.db.selectFrom("rooms").selectAll().where("id", "=", eastRoom).executeTakeFirstOrThrow()).toEqual(room);
    expect(await lastSeq()).toBe(before);
  });
});

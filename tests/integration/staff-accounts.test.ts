import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUser, getUser, listUsers, resetUserPassword, setUserActive, updateUser, type UserListQuery } from "~/features/admin/users.server";
import { verifyAuditChain } from "~/features/audit/audit.server";
import { changeOwnPassword } from "~/features/auth/account.server";
import { validateSessionToken } from "~/features/auth/sessions.server";
import { SIGN_IN_FAILED, SIGN_IN_LOCKED, signIn } from "~/features/auth/sign-in.server";
import { parseSessionToken } from "~/features/auth/tokens.server";
import { config } from "~/utils/config.server";
import { newId } from "~/utils/ids";
import { createTestDatabase, dialects, type TestDatabase } from "../support/databases";
import { DEMO_PASSWORD, meta, seed } from "../support/demo";

type Clinic = Awaited<ReturnType<typeof seed>>;

const TEMP = "marble orchard cinnamon voyage";
const TEMP_2 = "lantern quietly tugboat meadow";
const NEW_OWN = "copper violin harbor thistle";

describe.each(dialects)("staff accounts on %s", (dialect) => {
  let t: TestDatabase;
  let clinic: Clinic;
  let dana: { id: string; name: string };
  let mySites: string[];
  /** A second clinic site Dana does not work at, with its own staff member. */
  let eastside: { siteId: string; userId: string };

  beforeAll(async () => {
    t = await createTestDatabase(dialect);
    clinic = await seed(t.db);
    dana = { id: clinic.users["dana.whitfield"].id, name: clinic.users["dana.whitfield"].name };
    mySites = [clinic.siteId];
    const siteId = newId();
    await t.db
      .insertInto("sites")
      .values({ id: siteId, name: "Harbor Light Recovery – Eastside", time_zone: "America/Chicago", created_at: new Date().toISOString() })
      .execute();
    const other = await createUser(
      t.db,
      { id: "other-admin", name: "Eastside Admin" },
      { name: "Quinn Eastside", email: "quinn.eastside@harborlight.example", role: "staff", siteIds: [siteId], temporaryPassword: TEMP },
      [siteId],
      meta,
    );
    if (!other.ok) throw new Error("could not create the Eastside user");
    eastside = { siteId, userId: other.id };
  });
  afterAll(() => t?.destroy());

  async function lastSeq(): Promise<number> {
    const row = await t.db
      .selectFrom("audit_events")
      .select((eb) => eb.fn.max("seq").as("m"))
      .executeTakeFirstOrThrow();
    return Number(row.m ?? 0);
  }
  async function auditSince(seq: number) {
    return t.db.selectFrom("audit_events").selectAll().where("seq", ">", seq).orderBy("seq").execute();
  }
  async function userCount(): Promise<number> {
    const row = await t.db
      .selectFrom("users")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }
  async function signedIn(email: string, password = DEMO_PASSWORD) {
    const result = await signIn(t.db, { email, password }, meta);
    if (!result.ok) throw new Error(`could not sign in as ${email}: ${result.message}`);
    return result;
  }
  async function newStaff(name: string, email: string, role: "admin" | "counselor" | "staff" = "staff") {
    const result = await createUser(t.db, dana, { name, email, role, siteIds: mySites, temporaryPassword: TEMP }, mySites, meta);
    if (!result.ok) throw new Error(`could not create ${email}: ${JSON.stringify(result)}`);
    return result.id;
  }
  const status = async (token: string) => (await validateSessionToken(t.db, token)).status;

  describe("creating an account", () => {
    it("creates the account with a temporary password that must be changed at first sign-in", async () => {
      const since = await lastSeq();
      const result = await createUser(
        t.db,
        dana,
        { name: "Jordan Reyes", email: "Jordan.Reyes@HarborLight.example", role: "counselor", siteIds: mySites, temporaryPassword: TEMP },
        mySites,
        meta,
      );
      expect(result.ok).toBe(true);
      if (!result.ok) return;

      const user = await getUser(t.db, result.id, mySites);
      expect(user).toMatchObject({
        name: "Jordan Reyes",
        email: "jordan.reyes@harborlight.example",
        role: "counselor",
        active: true,
        must_change_password: true,
        siteIds: mySites,
        openSessions: 0,
      });

      const first = await signIn(t.db, { email: "jordan.reyes@harborlight.example", password: TEMP }, meta);
      expect(first).toMatchObject({ ok: true, mustChangePassword: true });
      if (first.ok) {
        const check = await validateSessionToken(t.db, first.token);
        expect(check.status === "valid" && check.session.user.mustChangePassword).toBe(true);
      }

      const [created] = (await auditSince(since)).filter((e) => e.action === "user.created");
      expect(created).toMatchObject({ user_id: dana.id, user_name: dana.name, entity_type: "user", entity_id: result.id, outcome: "success" });
      expect(JSON.parse(created.changes!).after).toEqual({
        name: "Jordan Reyes",
        email: "jordan.reyes@harborlight.example",
        role: "counselor",
        siteIds: mySites,
        mustChangePassword: true,
      });
    });

    it("never writes the temporary password or its hash into the audit log", async () => {
      const since = await lastSeq();
      const id = await newStaff("Riley Chen", "riley.chen@harborlight.example");
      const row = await t.db.selectFrom("users").select("password_hash").where("id", "=", id).executeTakeFirstOrThrow();
      const events = await auditSince(since);
      // The account's creation is in the log (so there is something to search), without the password.
      expect(events.map((e) => [e.action, e.entity_id])).toContainEqual(["user.created", id]);
      expect(events.find((e) => e.action === "user.created")!.changes).toContain("riley.chen@harborlight.example");
      const audit = JSON.stringify(events);
      expect(audit).not.toContain(TEMP);
      expect(audit).not.toContain(row.password_hash);
      expect(audit).not.toMatch(/argon2|password_hash|temporaryPassword/);
    });

    it("refuses an email another account uses (in any case) with a 409 on the email field", async () => {
      const [users, since] = [await userCount(), await lastSeq()];
      const result = await createUser(
        t.db,
        dana,
        { name: "Marcus Bell Two", email: "MARCUS.BELL@harborlight.example", role: "staff", siteIds: mySites, temporaryPassword: TEMP },
        mySites,
        meta,
      );
      expect(result).toEqual({ ok: false, status: 409, fieldErrors: { email: ["Another account already uses this email."] } });
      expect(await userCount()).toBe(users);
      expect(await auditSince(since)).toHaveLength(0);
    });

    it("gives exactly one account and one 409 when two admins create the same email at once", async () => {
      const input = { name: "Sky Patel", email: "sky.patel@harborlight.example", role: "staff" as const, siteIds: mySites, temporaryPassword: TEMP };
      const results = await Promise.all([createUser(t.db, dana, input, mySites, meta), createUser(t.db, dana, input, mySites, meta)]);
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      expect(results.filter((r) => !r.ok)).toEqual([{ ok: false, status: 409, fieldErrors: { email: ["Another account already uses this email."] } }]);
      const rows = await t.db.selectFrom("users").select("id").where("email", "=", input.email).execute();
      expect(rows).toHaveLength(1);
    });

    it.each([
      ["too short", "short pw 1"],
      ["common", "password1234"],
      ["a keyboard walk", "qwertyuiop123"],
    ])("refuses a %s temporary password on that field and writes nothing", async (_label, pw) => {
      const [users, since] = [await userCount(), await lastSeq()];
      const result = await createUser(
        t.db,
        dana,
        { name: "Casey Morgan", email: "casey.morgan@harborlight.example", role: "staff", siteIds: mySites, temporaryPassword: pw },
        mySites,
        meta,
      );
      expect(result).toMatchObject({ ok: false, status: 400 });
      if (!result.ok) {
        expect(Object.keys(result.fieldErrors ?? {})).toEqual(["temporaryPassword"]);
        expect(result.fieldErrors?.temporaryPassword?.[0]).toMatch(/characters|too common/);
      }
      expect(await userCount()).toBe(users);
      expect(await auditSince(since)).toHaveLength(0);
    });

    it("refuses to place someone at a site the admin does not work at", async () => {
      const [users, since] = [await userCount(), await lastSeq()];
      const result = await createUser(
        t.db,
        dana,
        { name: "Drew Park", email: "drew.park@harborlight.example", role: "staff", siteIds: [eastside.siteId], temporaryPassword: TEMP },
        mySites,
        meta,
      );
      expect(result).toEqual({ ok: false, status: 400, fieldErrors: { siteIds: ["You can only assign sites you work at yourself."] } });
      expect(await userCount()).toBe(users);
      expect(await auditSince(since)).toHaveLength(0);
    });
  });

  describe("editing an account", () => {
    it("saves a change and audits only the fields that changed", async () => {
      const id = await newStaff("Avery Stone", "avery.stone@harborlight.example");
      const before = (await getUser(t.db, id, mySites))!;
      const since = await lastSeq();
      const result = await updateUser(
        t.db,
        dana,
        id,
        { version: before.version, name: "Avery Stone-Lee", email: before.email, role: "staff", siteIds: mySites },
        mySites,
        meta,
      );
      expect(result).toEqual({ ok: true });
      const after = (await getUser(t.db, id, mySites))!;
      expect(after.name).toBe("Avery Stone-Lee");
      expect(after.version).toBe(before.version + 1);
      const [event] = await auditSince(since);
      expect(event).toMatchObject({ action: "user.updated", entity_id: id, user_id: dana.id });
      const changes = JSON.parse(event.changes!);
      expect(changes.before).toEqual({ name: "Avery Stone" });
      expect(changes.after).toEqual({ name: "Avery Stone-Lee" });
    });

    it("refuses a save made from a stale form with 409 and changes nothing", async () => {
      const id = await newStaff("Blake Rivers", "blake.rivers@harborlight.example");
      const stale = (await getUser(t.db, id, mySites))!;
      // Someone else saves first…
      expect(
        await updateUser(
          t.db,
          dana,
          id,
          { version: stale.version, name: "Blake Rivers", email: stale.email, role: "counselor", siteIds: mySites },
          mySites,
          meta,
        ),
      ).toEqual({ ok: true });
      const current = (await getUser(t.db, id, mySites))!;
      const since = await lastSeq();
      // …then this admin saves the form they loaded before that.
      const result = await updateUser(
        t.db,
        dana,
        id,
        { version: stale.version, name: "Blake R.", email: "blake.r@harborlight.example", role: "staff", siteIds: mySites },
        mySites,
        meta,
      );
      expect(result).toMatchObject({ ok: false, status: 409 });
      if (!result.ok) expect(result.formError).toMatch(/Someone else changed this account/);
      expect(await getUser(t.db, id, mySites)).toEqual(current);
      expect(await auditSince(since)).toHaveLength(0);
    });

    it("lets only one of two simultaneous saves of the same version through", async () => {
      const id = await newStaff("Cameron Holt", "cameron.holt@harborlight.example");
      const v = (await getUser(t.db, id, mySites))!.version;
      const results = await Promise.all([
        updateUser(
          t.db,
          dana,
          id,
          { version: v, name: "Cameron A", email: "cameron.holt@harborlight.example", role: "staff", siteIds: mySites },
          mySites,
          meta,
        ),
        updateUser(
          t.db,
          dana,
          id,
          { version: v, name: "Cameron B", email: "cameron.holt@harborlight.example", role: "staff", siteIds: mySites },
          mySites,
          meta,
        ),
      ]);
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      expect(results.filter((r) => !r.ok)).toMatchObject([{ ok: false, status: 409 }]);
      const after = (await getUser(t.db, id, mySites))!;
      expect(after.version).toBe(v + 1);
      expect(["Cameron A", "Cameron B"]).toContain(after.name);
    });

    it("refuses to move someone onto an email another account uses", async () => {
      const id = await newStaff("Dakota Fields", "dakota.fields@harborlight.example");
      const u = (await getUser(t.db, id, mySites))!;
      const result = await updateUser(
        t.db,
        dana,
        id,
        { version: u.version, name: u.name, email: "Priya.Raman@harborlight.example", role: "staff", siteIds: mySites },
        mySites,
        meta,
      );
      expect(result).toEqual({ ok: false, status: 409, fieldErrors: { email: ["Another account already uses this email."] } });
      expect((await getUser(t.db, id, mySites))!.email).toBe("dakota.fields@harborlight.example");
    });

    it("signs a person out everywhere when their role changes", async () => {
      const elena = clinic.users["elena.ortiz"];
      const a = await signedIn(elena.email);
      const b = await signedIn(elena.email);
      const u = (await getUser(t.db, elena.id, mySites))!;
      expect(u.openSessions).toBeGreaterThanOrEqual(2);
      expect(
        await updateUser(t.db, dana, elena.id, { version: u.version, name: u.name, email: u.email, role: "staff", siteIds: mySites }, mySites, meta),
      ).toEqual({ ok: true });
      expect(await status(a.token)).toBe("invalid");
      expect(await status(b.token)).toBe("invalid");
      expect((await getUser(t.db, elena.id, mySites))!).toMatchObject({ role: "staff", openSessions: 0 });
      // At the next sign-in the new role is what counts.
      const again = await signedIn(elena.email);
      const check = await validateSessionToken(t.db, again.token);
      expect(check.status === "valid" && check.session.user.role).toBe("staff");
    });

    it("keeps a person signed in when only their name changes", async () => {
      const marcus = clinic.users["marcus.bell"];
      const s = await signedIn(marcus.email);
      const u = (await getUser(t.db, marcus.id, mySites))!;
      expect(
        await updateUser(t.db, dana, marcus.id, { version: u.version, name: "Marcus J. Bell", email: u.email, role: u.role, siteIds: mySites }, mySites, meta),
      ).toEqual({ ok: true });
      const check = await validateSessionToken(t.db, s.token);
      expect(check.status === "valid" && check.session.user.name).toBe("Marcus J. Bell");
    });

    it("does not let an admin remove their own admin role", async () => {
      const me = (await getUser(t.db, dana.id, mySites))!;
      const since = await lastSeq();
      const result = await updateUser(
        t.db,
        dana,
        dana.id,
        { version: me.version, name: me.name, email: me.email, role: "counselor", siteIds: mySites },
        mySites,
        meta,
      );
      expect(result).toEqual({ ok: false, status: 400, fieldErrors: { role: ["You cannot remove your own admin role; ask another admin."] } });
      expect(await getUser(t.db, dana.id, mySites)).toMatchObject({ role: "admin", version: me.version });
      expect(await auditSince(since)).toHaveLength(0);
    });

    it("does not let an admin deactivate themselves", async () => {
      const me = (await getUser(t.db, dana.id, mySites))!;
      const result = await setUserActive(t.db, dana, dana.id, false, me.version, mySites, meta);
      expect(result).toEqual({ ok: false, status: 400, formError: "You cannot deactivate your own account." });
      expect(await getUser(t.db, dana.id, mySites)).toMatchObject({ active: true, version: me.version });
    });
  });

  describe("deactivating and resetting", () => {
    it("ends a deactivated person's sessions at once and keeps them from signing in", async () => {
      const aisha = clinic.users["aisha.grant"];
      const s = await signedIn(aisha.email);
      const u = (await getUser(t.db, aisha.id, mySites))!;
      const since = await lastSeq();
      const result = await setUserActive(t.db, dana, aisha.id, false, u.version, mySites, meta);
      expect(result).toMatchObject({ ok: true });
      if (result.ok) expect(result.endedSessions).toBeGreaterThanOrEqual(1);
      expect(await t.db.selectFrom("user_sessions").select("id").where("user_id", "=", aisha.id).execute()).toHaveLength(0);
      expect(await status(s.token)).toBe("invalid");
      expect(await signIn(t.db, { email: aisha.email, password: DEMO_PASSWORD }, meta)).toEqual({ ok: false, message: SIGN_IN_FAILED });

      const [event] = (await auditSince(since)).filter((e) => e.action === "user.deactivated");
      expect(event).toMatchObject({ entity_id: aisha.id, user_id: dana.id });
      expect(JSON.parse(event.changes!)).toMatchObject({ before: { active: true }, after: { active: false } });

      const now = (await getUser(t.db, aisha.id, mySites))!;
      expect(now.active).toBe(false);
      expect(await setUserActive(t.db, dana, aisha.id, true, now.version, mySites, meta)).toMatchObject({ ok: true });
      expect((await signIn(t.db, { email: aisha.email, password: DEMO_PASSWORD }, meta)).ok).toBe(true);
    });

    it("refuses to deactivate from a stale page", async () => {
      const id = await newStaff("Emery Lake", "emery.lake@harborlight.example");
      const v = (await getUser(t.db, id, mySites))!.version;
      await updateUser(
        t.db,
        dana,
        id,
        { version: v, name: "Emery Lake-Ross", email: "emery.lake@harborlight.example", role: "staff", siteIds: mySites },
        mySites,
        meta,
      );
      expect(await setUserActive(t.db, dana, id, false, v, mySites, meta)).toMatchObject({ ok: false, status: 409 });
      expect((await getUser(t.db, id, mySites))!.active).toBe(true);
    });

    it("resets a password: old sessions and password stop working, the temporary one must be changed", async () => {
      const tom = clinic.users["tom.kowalski"];
      const s = await signedIn(tom.email);
      const since = await lastSeq();
      expect(await resetUserPassword(t.db, dana, tom.id, TEMP_2, mySites, meta)).toEqual({ ok: true });
      expect(await status(s.token)).toBe("invalid");
      expect(await signIn(t.db, { email: tom.email, password: DEMO_PASSWORD }, meta)).toEqual({ ok: false, message: SIGN_IN_FAILED });
      expect(await signIn(t.db, { email: tom.email, password: TEMP_2 }, meta)).toMatchObject({ ok: true, mustChangePassword: true });
      expect((await getUser(t.db, tom.id, mySites))!.must_change_password).toBe(true);

      const events = await auditSince(since);
      const reset = events.find((e) => e.action === "user.password_reset")!;
      expect(reset).toMatchObject({ entity_id: tom.id, user_id: dana.id });
      expect(JSON.stringify(events)).not.toContain(TEMP_2);
    });

    it("unlocks a locked-out account when an admin resets its password", async () => {
      const id = await newStaff("Finley Brooks", "finley.brooks@harborlight.example");
      for (let i = 0; i < config.lockoutThreshold; i++) {
        await signIn(t.db, { email: "finley.brooks@harborlight.example", password: `wrong guess ${i}` }, { ip: `192.0.2.${i + 10}`, userAgent: "vitest" });
      }
      expect(await signIn(t.db, { email: "finley.brooks@harborlight.example", password: TEMP }, meta)).toEqual({ ok: false, message: SIGN_IN_LOCKED });
      expect(await resetUserPassword(t.db, dana, id, TEMP_2, mySites, meta)).toEqual({ ok: true });
      expect((await signIn(t.db, { email: "finley.brooks@harborlight.example", password: TEMP_2 }, meta)).ok).toBe(true);
    });

    it("refuses a weak temporary password on reset and changes nothing", async () => {
      const priya = clinic.users["priya.raman"];
      const before = await t.db.selectFrom("users").select(["password_hash", "version"]).where("id", "=", priya.id).executeTakeFirstOrThrow();
      const result = await resetUserPassword(t.db, dana, priya.id, "password1234", mySites, meta);
      expect(result).toMatchObject({ ok: false, status: 400, fieldErrors: { temporaryPassword: [expect.stringMatching(/too common/)] } });
      expect(await t.db.selectFrom("users").select(["password_hash", "version"]).where("id", "=", priya.id).executeTakeFirstOrThrow()).toEqual(before);
    });
  });

  describe("site scoping", () => {
    it("does not find a person who works only at another site", async () => {
      expect(await getUser(t.db, eastside.userId, mySites)).toBeNull();
      expect(await getUser(t.db, eastside.userId, [eastside.siteId])).not.toBeNull();
      const all = await listUsers(t.db, { page: 1, pageSize: 1000, sort: "name", direction: "asc", search: "", siteIds: mySites });
      expect(all.users.map((u) => u.id)).not.toContain(eastside.userId);
      expect((await listUsers(t.db, { page: 1, pageSize: 100, sort: "name", direction: "asc", search: "quinn", siteIds: mySites })).total).toBe(0);
    });

    it("cannot edit, deactivate or reset a person at another site", async () => {
      const before = await t.db.selectFrom("users").selectAll().where("id", "=", eastside.userId).executeTakeFirstOrThrow();
      const since = await lastSeq();
      const notHere = { ok: false, status: 404, formError: "That account does not exist at your sites." };
      expect(
        await updateUser(
          t.db,
          dana,
          eastside.userId,
          { version: Number(before.version), name: "Hijacked", email: before.email, role: "admin", siteIds: mySites },
          mySites,
          meta,
        ),
      ).toEqual(notHere);
      expect(await setUserActive(t.db, dana, eastside.userId, false, Number(before.version), mySites, meta)).toEqual(notHere);
      expect(await resetUserPassword(t.db, dana, eastside.userId, TEMP_2, mySites, meta)).toEqual(notHere);
      expect(await t.db.selectFrom("users").selectAll().where("id", "=", eastside.userId).executeTakeFirstOrThrow()).toEqual(before);
      expect(await auditSince(since)).toHaveLength(0);
    });

    it("keeps a person's other sites when an admin edits them from one site", async () => {
      const id = await newStaff("Harper Quinn", "harper.quinn@harborlight.example");
      await t.db.insertInto("user_sites").values({ user_id: id, site_id: eastside.siteId }).execute();
      const u = (await getUser(t.db, id, mySites))!;
      expect(
        await updateUser(t.db, dana, id, { version: u.version, name: u.name, email: u.email, role: "counselor", siteIds: mySites }, mySites, meta),
      ).toEqual({ ok: true });
      expect([...(await getUser(t.db, id, mySites))!.siteIds].sort()).toEqual([clinic.siteId, eastside.siteId].sort());
    });
  });

  describe("the staff list", () => {
    const query = (q: Partial<UserListQuery>): UserListQuery => ({
      page: 1,
      pageSize: 1000,
      sort: "name",
      direction: "asc",
      search: "",
      siteIds: mySites,
      ...q,
    });

    it("pages through everyone once, with the right total", async () => {
      const all = await listUsers(t.db, query({}));
      expect(all.total).toBe(all.users.length);
      expect(all.total).toBeGreaterThan(5);
      const seen: string[] = [];
      const pages = Math.ceil(all.total / 2);
      for (let page = 1; page <= pages; page++) {
        const p = await listUsers(t.db, query({ page, pageSize: 2 }));
        expect(p.total).toBe(all.total);
        expect(p.users.length).toBe(page < pages ? 2 : all.total - 2 * (pages - 1));
        seen.push(...p.users.map((u) => u.id));
      }
      expect(seen).toEqual(all.users.map((u) => u.id));
      expect((await listUsers(t.db, query({ page: pages + 1, pageSize: 2 }))).users).toEqual([]);
    });

    it("sorts by name both ways", async () => {
      const asc = (await listUsers(t.db, query({ sort: "name", direction: "asc" }))).users.map((u) => u.name);
      const desc = (await listUsers(t.db, query({ sort: "name", direction: "desc" }))).users.map((u) => u.name);
      expect(asc).toEqual([...asc].sort());
      expect(desc).toEqual([...asc].reverse());
    });

    it("sorts by role, keeping a stable order within a role", async () => {
      const rows = (await listUsers(t.db, query({ sort: "role", direction: "asc" }))).users;
      const expected = [...rows].sort((a, b) => (a.role === b.role ? (a.id < b.id ? -1 : 1) : a.role < b.role ? -1 : 1));
      expect(rows.map((r) => r.id)).toEqual(expected.map((r) => r.id));
    });

    it("lists each person with their sites and status", async () => {
      const { users } = await listUsers(t.db, query({ search: "priya" }));
      expect(users).toHaveLength(1);
      expect(users[0]).toMatchObject({
        name: "Priya Raman",
        email: "priya.raman@harborlight.example",
        role: "counselor",
        active: true,
        must_change_password: false,
        sites: ["Harbor Light Recovery – Riverside"],
      });
      expect(users[0]).not.toHaveProperty("password_hash");
    });

    it("finds people by any part of their name or email, ignoring case", async () => {
      const byName = await listUsers(t.db, query({ search: "WHITFIELD" }));
      expect(byName.users.map((u) => u.email)).toEqual(["dana.whitfield@harborlight.example"]);
      const byEmail = await listUsers(t.db, query({ search: "priya.raman@" }));
      expect(byEmail.users.map((u) => u.name)).toEqual(["Priya Raman"]);
      expect((await listUsers(t.db, query({ search: "no such person" }))).total).toBe(0);
    });

    it("treats % and _ in a search as the characters themselves", async () => {
      const pct = await newStaff("Kim 50% Lead", "kim.lead@harborlight.example");
      await newStaff("Ann 50 Lead", "ann.lead@harborlight.example");
      const under = await newStaff("Lee Under_Score", "lee.underscore@harborlight.example");
      const search = async (s: string) => (await listUsers(t.db, query({ search: s }))).users.map((u) => u.id);
      expect(await search("50%")).toEqual([pct]);
      expect(await search("%")).toEqual([pct]);
      expect(await search("_")).toEqual([under]);
      expect(await search("n_5")).toEqual([]); // "Ann 50 Lead" would match if _ were a wildcard
      expect(await search("\\")).toEqual([]);
      expect(await search("'; drop table users; --")).toEqual([]);
      expect(await userCount()).toBeGreaterThan(0);
    });
  });

  describe("changing your own password", () => {
    it("keeps the session you are using, ends the others, and clears the must-change flag", async () => {
      const id = await newStaff("Morgan Ellis", "morgan.ellis@harborlight.example", "counselor");
      const here = await signedIn("morgan.ellis@harborlight.example", TEMP);
      const elsewhere = await signedIn("morgan.ellis@harborlight.example", TEMP);
      expect(here.mustChangePassword).toBe(true);
      const since = await lastSeq();
      const result = await changeOwnPassword(
        t.db,
        { id, name: "Morgan Ellis", email: "morgan.ellis@harborlight.example" },
        parseSessionToken(here.token)!.id,
        { currentPassword: TEMP, newPassword: NEW_OWN },
        meta,
      );
      expect(result).toEqual({ ok: true });
      const check = await validateSessionToken(t.db, here.token);
      expect(check.status).toBe("valid");
      expect(check.status === "valid" && check.session.user.mustChangePassword).toBe(false);
      expect(await status(elsewhere.token)).toBe("invalid");
      expect(await signIn(t.db, { email: "morgan.ellis@harborlight.example", password: TEMP }, meta)).toEqual({ ok: false, message: SIGN_IN_FAILED });
      expect(await signIn(t.db, { email: "morgan.ellis@harborlight.example", password: NEW_OWN }, meta)).toMatchObject({ ok: true, mustChangePassword: false });

      const events = await auditSince(since);
      const changed = events.find((e) => e.action === "user.password_changed")!;
      expect(JSON.parse(changed.changes!).detail).toEqual({ endedSessions: 1 });
      expect(JSON.stringify(events)).not.toContain(NEW_OWN);
    });

    it("refuses a wrong current password and changes nothing", async () => {
      const priya = clinic.users["priya.raman"];
      const s = await signedIn(priya.email);
      const other = await signedIn(priya.email);
      const before = await t.db.selectFrom("users").select(["password_hash", "version"]).where("id", "=", priya.id).executeTakeFirstOrThrow();
      const result = await changeOwnPassword(
        t.db,
        { id: priya.id, name: priya.name, email: priya.email },
        parseSessionToken(s.token)!.id,
        { currentPassword: "not my password", newPassword: NEW_OWN },
        meta,
      );
      expect(result).toEqual({ ok: false, fieldErrors: { currentPassword: ["That is not your current password."] } });
      expect(await t.db.selectFrom("users").select(["password_hash", "version"]).where("id", "=", priya.id).executeTakeFirstOrThrow()).toEqual(before);
      expect(await status(other.token)).toBe("valid");
    });

    it("refuses a weak or unchanged new password on the new-password field", async () => {
      const priya = clinic.users["priya.raman"];
      const s = await signedIn(priya.email);
      const actor = { id: priya.id, name: priya.name, email: priya.email };
      const sid = parseSessionToken(s.token)!.id;
      const weak = await changeOwnPassword(t.db, actor, sid, { currentPassword: DEMO_PASSWORD, newPassword: "password1234" }, meta);
      expect(weak).toMatchObject({ ok: false, fieldErrors: { newPassword: [expect.stringMatching(/too common/)] } });
      const same = await changeOwnPassword(t.db, actor, sid, { currentPassword: DEMO_PASSWORD, newPassword: DEMO_PASSWORD }, meta);
      expect(same).toEqual({ ok: false, fieldErrors: { newPassword: ["Choose a password different from the current one."] } });
      expect((await signIn(t.db, { email: priya.email, password: DEMO_PASSWORD }, meta)).ok).toBe(true);
    });
  });

  it("leaves the audit chain intact after all of the above", async () => {
    expect((await verifyAuditChain(t.db)).ok).toBe(true);
  });
});

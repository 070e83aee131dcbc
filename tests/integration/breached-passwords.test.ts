/**
 * Every place a password is set refuses one from the shipped breach list, and changes nothing:
 * a person's own change (also the first-sign-in change), an admin's new account and password
 * reset, and `npm run user:create` on a fresh install. "showmethemoney" is long enough and scores
 * as strong with zxcvbn; only the breach list knows it.
 */
import { spawnSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUser, resetUserPassword } from "~/features/admin/users.server";
import { changeOwnPassword } from "~/features/auth/account.server";
import { BREACHED_PASSWORD } from "~/features/auth/password.server";
import { signIn } from "~/features/auth/sign-in.server";
import { createTestDatabase, dialects, type TestDatabase } from "../support/databases";
import { DEMO_PASSWORD, meta, seed } from "../support/demo";

const BREACHED = "showmethemoney";

describe.each(dialects)("breached passwords on %s", (dialect) => {
  let t: TestDatabase;
  let clinic: Awaited<ReturnType<typeof seed>>;
  let dana: { id: string; name: string };

  beforeAll(async () => {
    t = await createTestDatabase(dialect);
    clinic = await seed(t.db);
    dana = { id: clinic.users["dana.whitfield"].id, name: clinic.users["dana.whitfield"].name };
  });
  afterAll(() => t?.destroy());

  const hashOf = async (id: string) => await t.db.selectFrom("users").select(["password_hash", "version"]).where("id", "=", id).executeTakeFirstOrThrow();
  const userCount = async () =>
    Number(
      (
        await t.db
          .selectFrom("users")
          .select((eb) => eb.fn.countAll<number>().as("n"))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it("refuses one as a person's own new password, and the old one still works", async () => {
    const aisha = clinic.users["aisha.grant"];
    const session = await signIn(t.db, { email: aisha.email, password: DEMO_PASSWORD }, meta);
    if (!session.ok) throw new Error(session.message);
    const sessionId = session.token.split(".")[0];
    const before = await hashOf(aisha.id);
    const result = await changeOwnPassword(
      t.db,
      { id: aisha.id, name: aisha.name, email: aisha.email },
      sessionId,
      { currentPassword: DEMO_PASSWORD, newPassword: BREACHED },
      meta,
    );
    expect(result).toEqual({ ok: false, fieldErrors: { newPassword: [BREACHED_PASSWORD] } });
    expect(await hashOf(aisha.id)).toEqual(before);
    expect((await signIn(t.db, { email: aisha.email, password: DEMO_PASSWORD }, meta)).ok).toBe(true);
  });

  it("refuses one as an admin's temporary password for a new account or a reset", async () => {
    const count = await userCount();
    const created = await createUser(
      t.db,
      dana,
      { name: "Robin Vale", email: "robin.vale@harborlight.example", role: "staff", siteIds: [clinic.siteId], temporaryPassword: BREACHED },
      [clinic.siteId],
      meta,
    );
    expect(created).toMatchObject({ ok: false, fieldErrors: { temporaryPassword: [BREACHED_PASSWORD] } });
    expect(await userCount()).toBe(count);

    const tom = clinic.users["tom.kowalski"];
    const before = await hashOf(tom.id);
    expect(await resetUserPassword(t.db, dana, tom.id, BREACHED, [clinic.siteId], meta)).toMatchObject({
      ok: false,
      fieldErrors: { temporaryPassword: [BREACHED_PASSWORD] },
    });
    expect(await hashOf(tom.id)).toEqual(before);
  });

  it("refuses one in npm run user:create, and creates nobody", async () => {
    const count = await userCount();
    const res = spawnSync(
      process.execPath,
      ["--import", "tsx", "scripts/user-create.ts", "--email", "first@clinic.org", "--name", "First Admin", "--role", "admin"],
      {
        env: { ...process.env, DATABASE_URL: t.url },
        input: `${BREACHED}\n`,
        encoding: "utf8",
        timeout: 60_000,
      },
    );
    expect(res.status).toBe(1);
    expect(`${res.stdout}${res.stderr}`).toContain(BREACHED_PASSWORD);
    expect(await userCount()).toBe(count);
  });
});

/**
 * The operator's commands, run as an operator would: `npm run user:create` on a fresh install and
 * `npm run audit:verify` on a database whose audit log was edited by hand.
 */
import { spawnSync } from "node:child_process";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dropAppendOnly } from "../../db/migrations/dialect";
import { signIn } from "~/features/auth/sign-in.server";
import { createTestDatabase, dialects, type TestDatabase } from "../support/databases";
import { meta } from "../support/demo";

function run(script: string, args: string[], url: string, input?: string) {
  const res = spawnSync(process.execPath, ["--import", "tsx", script, ...args], {
    env: { ...process.env, DATABASE_URL: url },
    input,
    encoding: "utf8",
    timeout: 60_000,
  });
  return { code: res.status, out: `${res.stdout}${res.stderr}` };
}

describe.each(dialects)("operator commands on %s", (dialect) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(dialect);
  });
  afterAll(() => t?.destroy());

  it("user:create makes the first admin of a fresh install, who can sign in", async () => {
    const res = run(
      "scripts/user-create.ts",
      ["--email", "Director@Clinic.org", "--name", "Dana Director", "--role", "admin", "--site", "Main clinic", "--time-zone", "America/Chicago"],
      t.url,
      "violet-harbor-window-93\n",
    );
    expect(res.out).toContain("Created admin Director@Clinic.org at Main clinic");
    expect(res.code).toBe(0);
    const site = await t.db.selectFrom("sites").selectAll().executeTakeFirstOrThrow();
    expect(site).toMatchObject({ name: "Main clinic", time_zone: "America/Chicago" });
    const result = await signIn(t.db, { email: "director@clinic.org", password: "violet-harbor-window-93" }, meta);
    expect(result).toMatchObject({ ok: true, mustChangePassword: false });
  });

  it("user:create refuses a weak password and a bad role, and creates nothing", async () => {
    const weak = run("scripts/user-create.ts", ["--email", "a@clinic.org", "--name", "A Person", "--role", "staff"], t.url, "password1234\n");
    expect(weak.code).toBe(1);
    expect(weak.out).toMatch(/too common|too easy/);
    const role = run("scripts/user-create.ts", ["--email", "b@clinic.org", "--name", "B Person", "--role", "root"], t.url, "violet-harbor-window-94\n");
    expect(role.code).toBe(1);
    expect(role.out).toContain("--role must be admin, counselor, staff or billing");
    const count = await t.db
      .selectFrom("users")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(1);
  });

  it("audit:verify passes an intact log and names the row edited by hand", async () => {
    const ok = run("scripts/audit-verify.ts", [], t.url);
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(/Audit chain verified: \d+ events/);

    await dropAppendOnly(t.db, "audit_events");
    const row = await t.db.selectFrom("audit_events").select(["id", "seq"]).where("seq", "=", 2).executeTakeFirstOrThrow();
    await sql`update audit_events set action = 'user.deleted' where seq = 2`.execute(t.db);
    const broken = run("scripts/audit-verify.ts", [], t.url);
    expect(broken.code).toBe(1);
    expect(broken.out).toContain(`Audit chain BROKEN at row 2 (id ${row.id})`);
  });
});

/**
 * Several servers behind a load balancer on one PostgreSQL database: two production servers
 * start at once on a fresh database (both migrate, safely), a session made on one works on the
 * other, and the same write sent to both at the same moment is saved once, the loser told why.
 */
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb } from "../../db/database";
import { verifyAuditChain } from "~/features/audit/audit.server";
import { seedDemo } from "../../seeds/demo";
import { postgresConfigured } from "../support/databases";
import { freePort, postForm, requireBuild, type RunningServer, signInCookie, startServer, stopServer, waitReady } from "../support/server";

const COUNSELOR = "marcus.bell@harborlight.example";
const STAFF = "tom.kowalski@harborlight.example";
const why = postgresConfigured ? "" : " (SKIPPED: set TEST_DATABASE_URL to a postgres:// URL to run it; CI does)";

// Skipped, on purpose, only without a PostgreSQL database to share (SQLite is one process's file);
// .ci/run always sets TEST_DATABASE_URL, so CI runs it.
describe.skipIf(!postgresConfigured)(`two production servers on one PostgreSQL database${why}`, () => {
  const base = process.env.TEST_DATABASE_URL!;
  const name = `iop_t_two_${Date.now().toString(36)}`;
  let url: string;
  let a: RunningServer;
  let b: RunningServer;
  let clinic: Awaited<ReturnType<typeof seedDemo>>;

  async function admin(query: string) {
    const c = new pg.Client({ connectionString: base });
    await c.connect();
    try {
      await c.query(query);
    } finally {
      await c.end();
    }
  }

  beforeAll(async () => {
    requireBuild();
    await admin(`CREATE DATABASE ${name}`);
    const u = new URL(base);
    u.pathname = `/${name}`;
    url = u.toString();
    // Both start at the same moment on an empty database: both try to migrate.
    const [pa, pb] = [await freePort(), await freePort()];
    a = startServer({ DATABASE_URL: url, DATABASE_POOL_SIZE: "4" }, pa);
    b = startServer({ DATABASE_URL: url, DATABASE_POOL_SIZE: "4" }, pb);
    await Promise.all([waitReady(a, 90_000), waitReady(b, 90_000)]);
    const db = createDb(url);
    try {
      clinic = await seedDemo(db, { patients: false });
    } finally {
      await db.destroy();
    }
  }, 120_000);

  afterAll(async () => {
    await Promise.all([a && stopServer(a), b && stopServer(b)]);
    await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  });

  it("both started and migrated without an error, and each migration was applied once", async () => {
    for (const s of [a, b]) {
      const lines = s
        .output()
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l));
      expect(lines.filter((l) => l.level === "error")).toEqual([]);
    }
    const db = createDb(url);
    try {
      const rows = await db
        .selectFrom("kysely_migration" as never)
        .select("name" as never)
        .execute();
      expect(rows.length).toBeGreaterThan(5);
      expect(new Set(rows.map((r) => (r as { name: string }).name)).size).toBe(rows.length);
    } finally {
      await db.destroy();
    }
  });

  it("a session made by signing in on one server is honoured by the other, and signing out on it ends it on both", async () => {
    const cookie = await signInCookie(a.url, COUNSELOR);
    const onB = await fetch(`${b.url}/patients`, { headers: { Cookie: cookie }, redirect: "manual" });
    expect(onB.status).toBe(200);
    expect(await onB.text()).toContain("Marcus Bell");
    const out = await postForm(b.url, "/logout", cookie, {});
    expect(out.status).toBe(302);
    const onA = await fetch(`${a.url}/patients`, { headers: { Cookie: cookie }, redirect: "manual" });
    expect(onA.status).toBe(302);
    expect(onA.headers.get("location")).toMatch(/^\/login/);
  });

  it("the same person enrolled on both servers at the same moment is saved once; the other intake gets the possible-duplicate message", async () => {
    const [ca, cb] = [await signInCookie(a.url, COUNSELOR), await signInCookie(b.url, "priya.raman@harborlight.example")];
    const today = new Date().toISOString().slice(0, 10);
    const intake = (counselorId: string) => ({
      legalFirstName: "Morgan",
      legalLastName: "Twoserver",
      dateOfBirth: "1990-02-02",
      sex: "female",
      preferredLanguage: "English",
      primaryCounselorId: counselorId,
      payerType: "medicaid",
      payerMemberId: "MED0002",
      detoxStatus: "not_needed",
      siteId: clinic.siteId,
      referralSource: "self",
      admittedOn: today,
      levelOfCare: "IOP",
      initialStatus: "active",
    });
    const [ra, rb] = await Promise.all([
      postForm(a.url, "/patients/new", ca, intake(clinic.users["marcus.bell"].id)),
      postForm(b.url, "/patients/new", cb, intake(clinic.users["priya.raman"].id)),
    ]);
    const statuses = [ra.status, rb.status].sort();
    if (statuses.includes(400)) throw new Error(`the intake form was refused: ${await (ra.status === 400 ? ra : rb).text()}`);
    expect(statuses).toEqual([302, 409]);
    const loser = ra.status === 409 ? ra : rb;
    expect(await loser.text()).toContain("A patient with this name and date of birth is already on record");
    const db = createDb(url);
    try {
      expect(await db.selectFrom("patients").select("id").where("legal_last_name", "=", "Twoserver").execute()).toHaveLength(1);
    } finally {
      await db.destroy();
    }
  });

  it("two random draws for the same day sent to both servers at once: one draw, the other told someone else drew", async () => {
    const [sa, sb] = [await signInCookie(a.url, STAFF), await signInCookie(b.url, "aisha.grant@harborlight.example")];
    const date = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    const form = { date, pool: "all_active", mode: "number", amount: "1" };
    const [ra, rb] = await Promise.all([postForm(a.url, "/drug-tests", sa, form), postForm(b.url, "/drug-tests", sb, form)]);
    // The loser either met the winner's commit (409) or came a moment later and saw the draw (400, asks for a reason).
    expect([ra.status, rb.status].filter((s) => s === 302)).toHaveLength(1);
    const loser = ra.status === 302 ? rb : ra;
    expect([400, 409]).toContain(loser.status);
    expect(await loser.text()).toMatch(/Someone else drew for this day at the same moment|already drew/);
    const db = createDb(url);
    try {
      expect(
        await db
          .selectFrom("drug_test_draws" as never)
          .select("id" as never)
          .where("draw_date" as never, "=", date as never)
          .execute(),
      ).toHaveLength(1);
      expect((await verifyAuditChain(db)).ok).toBe(true);
    } finally {
      await db.destroy();
    }
  });
});

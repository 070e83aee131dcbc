/**
 * A production server with two workers (WORKERS=2): the workers share nothing in memory, so what
 * must hold across requests holds whichever worker answers (failed sign-ins spread over both lock
 * the account, on both databases), and SQLite written by both at once stays whole: under
 * concurrent enrollments, random draws and roll-call saves, SIGKILL of one worker, then of the whole
 * server (primary and workers), loses no acknowledged write, and the integrity check and the audit
 * chain pass. Then the server starts again, serves with both workers, and drains on SIGTERM.
 */
import { readFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import SQLite from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb } from "../../db/database";
import { pastSessionsWithRosters } from "../support/demo";
import { migrateToLatest } from "../../db/migrator";
import { verifyAuditChain } from "~/features/audit/audit.server";
import { SIGN_IN_LOCKED } from "~/features/auth/sign-in.server";
import { seedDemo } from "../../seeds/demo";
import { DEMO_PASSWORD } from "../../seeds/demo-people";
import { dialects, emptyDatabase } from "../support/databases";
import { freePort, postForm, requireBuild, type RunningServer, signInCookie, startServer, stopServer, waitReady } from "../support/server";
import { seededDatabase } from "../support/templates";

const COUNSELOR = "marcus.bell@harborlight.example";
const STAFF = "tom.kowalski@harborlight.example";

/** The JSON log lines a server wrote so far. */
const logLines = (s: RunningServer) =>
  s
    .output()
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .map((l) => JSON.parse(l) as Record<string, unknown>);

/** Ready, and every one of `count` workers listening (readiness answers as soon as the first is). */
async function waitWorkers(s: RunningServer, count: number) {
  await waitReady(s, 90_000);
  const deadline = Date.now() + 60_000;
  while (logLines(s).filter((l) => l.msg === "worker listening").length < count) {
    if (Date.now() > deadline) throw new Error(`not every worker started:\n${s.output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The server's workers as the kernel lists the primary's children. */
const workerPids = (s: RunningServer) =>
  readFileSync(`/proc/${s.child.pid}/task/${s.child.pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number);

/** A form POST on a connection of its own (no keep-alive), so the primary hands each to the next worker. */
function postOnNewConnection(base: string, path: string, fields: Record<string, string>): Promise<{ status: number; body: string }> {
  const body = new URLSearchParams(fields).toString();
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      `${base}${path}`,
      {
        method: "POST",
        agent: false,
        headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: base, "Content-Length": Buffer.byteLength(body) },
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (d) => (text += d));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

describe.each(dialects)("a server with two workers on %s shares what must be shared through the database", (dialect) => {
  let server: RunningServer;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    requireBuild();
    const empty = await emptyDatabase(dialect);
    drop = empty.drop;
    const db = createDb(empty.url);
    try {
      await migrateToLatest(db);
      await seedDemo(db, { patients: false });
    } finally {
      await db.destroy();
    }
    server = startServer({ DATABASE_URL: empty.url, WORKERS: "2", LOCKOUT_THRESHOLD: "4", DATABASE_POOL_SIZE: "3" }, await freePort());
    await waitWorkers(server, 2);
  }, 150_000);

  afterAll(async () => {
    if (server) await stopServer(server);
    await drop?.();
  });

  it("failed sign-ins answered by both workers add up to one lockout, which both workers then enforce", async () => {
    const before = logLines(server).length;
    for (let i = 0; i < 4; i++) {
      const res = await postOnNewConnection(server.url, "/login", { email: COUNSELOR, password: `wrong-${i}-password`, redirectTo: "/" });
      expect(res.status).toBe(401);
    }
    const answeredBy = new Set(
      logLines(server)
        .slice(before)
        .filter((l) => l.msg === "request" && l.path === "/login" && l.method === "POST")
        .map((l) => l.worker),
    );
    expect(answeredBy).toEqual(new Set([1, 2]));
    // The right password now, on either worker: the account is locked.
    for (let i = 0; i < 2; i++) {
      const res = await postOnNewConnection(server.url, "/login", { email: COUNSELOR, password: DEMO_PASSWORD, redirectTo: "/" });
      expect(res.status).toBe(401);
      expect(res.body).toContain(SIGN_IN_LOCKED.slice(0, 40));
    }
  });

  it("a session made on one worker is honoured by the other, and signing out on one ends it on both", async () => {
    const cookie = await signInCookie(server.url, STAFF);
    const statuses = [];
    for (let i = 0; i < 4; i++) {
      const res = await fetch(`${server.url}/patients`, { headers: { Cookie: cookie, Connection: "close" }, redirect: "manual" });
      await res.arrayBuffer();
      statuses.push(res.status);
    }
    expect(statuses).toEqual([200, 200, 200, 200]);
    expect((await postForm(server.url, "/logout", cookie, {}, { headers: { Connection: "close" } })).status).toBe(302);
    for (let i = 0; i < 2; i++) {
      const res = await fetch(`${server.url}/patients`, { headers: { Cookie: cookie, Connection: "close" }, redirect: "manual" });
      expect(res.status).toBe(302);
    }
  });
});

describe("SQLite written by two workers at once: SIGKILL of a worker, then of the whole server", () => {
  let file: string;
  let url: string;
  let drop: () => Promise<void>;
  let siteId: string;
  let counselorId: string;
  let sessions: { id: string; patients: string[] }[];
  let server: RunningServer | undefined;
  const acked = { enrolled: [] as string[], drawDates: [] as string[], rollVersion: new Map<string, number>() };
  /** Days ahead of the next draw: it only grows, across the three phases. */
  let nextDrawDay = 2;

  beforeAll(async () => {
    requireBuild();
    // The run's seeded demo clinic, copied (tests/support/templates.ts): the same clinic a fresh
    // seed would write, without paying for the seed again.
    const seeded = await seededDatabase("sqlite");
    url = seeded.url;
    drop = seeded.drop;
    file = url.slice("file:".length);
    const db = createDb(url);
    try {
      const clinic = seeded.clinic;
      siteId = clinic.siteId;
      counselorId = clinic.users["marcus.bell"].id;
      sessions = await pastSessionsWithRosters(db, siteId);
    } finally {
      await db.destroy();
    }
  }, 150_000);

  afterAll(async () => {
    if (server) {
      for (const pid of server.child.exitCode === null ? workerPids(server) : []) process.kill(pid, "SIGKILL");
      await stopServer(server, "SIGKILL");
    }
    await drop?.();
  });

  async function checkDatabase(when: string) {
    const raw = new SQLite(file);
    try {
      expect(raw.pragma("integrity_check", { simple: true }), `integrity ${when}`).toBe("ok");
      expect(raw.pragma("foreign_key_check"), `foreign keys ${when}`).toEqual([]);
    } finally {
      raw.close();
    }
    const db = createDb(url);
    try {
      expect(await verifyAuditChain(db), `audit chain ${when}`).toMatchObject({ ok: true });
      const enrolled = await db.selectFrom("patients").select("id").where("id", "in", acked.enrolled).execute();
      expect(enrolled.length, `acknowledged enrollments ${when}`).toBe(acked.enrolled.length);
      const audited = await db
        .selectFrom("audit_events")
        .select("entity_id")
        .where("action", "=", "patient.enrolled")
        .where("entity_id", "in", acked.enrolled)
        .execute();
      expect(audited.length, `audited enrollments ${when}`).toBe(acked.enrolled.length);
      const draws = await db
        .selectFrom("drug_test_draws")
        .select("draw_date")
        .where("site_id", "=", siteId)
        .where("draw_date", "in", acked.drawDates)
        .execute();
      expect(new Set(draws.map((d) => d.draw_date)).size, `acknowledged draws ${when}`).toBe(acked.drawDates.length);
      for (const [sessionId, version] of acked.rollVersion) {
        const row = await db.selectFrom("roll_calls").select("version").where("session_id", "=", sessionId).executeTakeFirst();
        // The acknowledged version is there; one more may have committed just before a kill.
        expect(Number(row?.version ?? 0), `roll call ${when}`).toBeGreaterThanOrEqual(version);
        expect(Number(row?.version ?? 0)).toBeLessThanOrEqual(version + 1);
      }
    } finally {
      await db.destroy();
    }
  }

  /**
   * Each write gives up after 15 s and counts as cut off, like one a kill cut: the primary accepts
   * connections and hands each to a worker, and one handed to a worker killed at that instant is
   * never answered (Node's cluster, round-robin scheduling). Unanswered is unacknowledged, so the
   * checks of what was kept hold as they are; without a bound the writer waited forever.
   */
  const bounded = (): RequestInit => ({ signal: AbortSignal.timeout(15_000) });

  /** Five writers (two enrolling, one drawing, two taking roll calls) until stop() is called. */
  function load(base: string, cookies: { counselor: string; staff: string }, tag: string) {
    let running = true;
    let n = 0;
    const refused: string[] = [];
    let cutOff = 0;
    const readVersion = (sessionId: string) => {
      const raw = new SQLite(file, { readonly: true });
      try {
        return Number((raw.prepare("select version from roll_calls where session_id = ?").get(sessionId) as { version: number } | undefined)?.version ?? 0);
      } finally {
        raw.close();
      }
    };
    const letters = (k: number) =>
      String(k)
        .replace(/\d/g, (d) => "abcdefghij"[Number(d)])
        .replace(/^./, (c) => c.toUpperCase());
    const attempt = async (send: () => Promise<Response>, onAck: (res: Response) => void, what: string) => {
      try {
        const res = await send();
        await res.arrayBuffer();
        if (res.status === 302) onAck(res);
        else refused.push(`${what} ${res.status}`);
      } catch {
        cutOff++;
      }
    };
    const enroller = async () => {
      while (running) {
        const k = ++n;
        const form = {
          legalFirstName: `Worker ${letters(k)}`,
          legalLastName: `Phase ${tag}`,
          dateOfBirth: "1987-07-07",
          sex: "female",
          preferredLanguage: "English",
          primaryCounselorId: counselorId,
          payerType: "self_pay",
          detoxStatus: "not_needed",
          siteId,
          referralSource: "self",
          admittedOn: new Date().toISOString().slice(0, 10),
          levelOfCare: "IOP",
          initialStatus: "active",
        };
        await attempt(
          () => postForm(base, "/patients/new", cookies.counselor, form, bounded()),
          (res) => acked.enrolled.push(res.headers.get("location")!.split("/").pop()!),
          "enroll",
        );
      }
    };
    const drawer = async () => {
      while (running) {
        // A day no earlier attempt used, in any phase: a second draw for a day already drawn asks
        // for a reason (a 400), and an attempt cut off by a kill may still have committed its day.
        const date = new Date(Date.now() + nextDrawDay++ * 86_400_000).toISOString().slice(0, 10);
        await attempt(
          () => postForm(base, "/drug-tests", cookies.staff, { date, pool: "all_active", mode: "number", amount: "2" }, bounded()),
          () => acked.drawDates.push(date),
          "draw",
        );
      }
    };
    const roller = async (s: { id: string; patients: string[] }) => {
      while (running) {
        const version = readVersion(s.id);
        const form = new URLSearchParams({ version: String(version), reason: "Two workers correction" });
        for (const p of s.patients) form.set(`status.${p}`, version % 2 === 0 ? "present" : "absent_excused");
        await attempt(
          () => postForm(base, `/schedule/sessions/${s.id}/roll`, cookies.staff, form, bounded()),
          () => acked.rollVersion.set(s.id, Math.max(acked.rollVersion.get(s.id) ?? 0, version + 1)),
          "roll",
        );
      }
    };
    const writers = [enroller(), enroller(), drawer(), roller(sessions[0]), roller(sessions[1])];
    return {
      refused,
      cutOff: () => cutOff,
      stop: async () => {
        running = false;
        await Promise.all(writers);
      },
    };
  }

  const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

  it("keeps every acknowledged write and a whole database through a worker's SIGKILL and the whole server's, then serves again and drains on SIGTERM", async () => {
    server = startServer({ DATABASE_URL: url, WORKERS: "2", SIGN_IN_IP_THRESHOLD: "100000" }, await freePort());
    await waitWorkers(server, 2);
    const base = server.url;
    const cookies = { counselor: await signInCookie(base, COUNSELOR), staff: await signInCookie(base, STAFF) };

    // 1. Concurrent writes through both workers; one worker is killed in the middle of them.
    const firstLines = logLines(server).length;
    const one = load(base, cookies, "One");
    await pause(1_500);
    const [victim] = workerPids(server);
    process.kill(victim, "SIGKILL");
    await pause(1_500);
    await one.stop();
    const written = logLines(server)
      .slice(firstLines)
      .filter((l) => l.msg === "request" && l.method === "POST" && l.status === 302);
    expect(new Set(written.map((l) => l.worker)).size, "writes answered by both workers").toBeGreaterThanOrEqual(2);
    expect(logLines(server).some((l) => l.msg === "a worker died; starting another" && l.pid === victim && l.signal === "SIGKILL")).toBe(true);
    expect(one.refused, "no write refused (a busy database would be a 500)").toEqual([]);
    await checkDatabase("after one worker's SIGKILL");
    const ackedBefore = acked.enrolled.length + acked.drawDates.length;
    expect(ackedBefore).toBeGreaterThan(0);

    // 2. The whole server, primary and workers, killed at once under the same writes.
    await waitWorkers(server, 3); // the replacement worker is listening
    const two = load(base, cookies, "Two");
    await pause(1_500);
    const everyone = [server.child.pid!, ...workerPids(server)];
    for (const pid of everyone) process.kill(pid, "SIGKILL");
    await server.exited;
    await two.stop();
    server = undefined;
    expect(two.refused).toEqual([]);
    await checkDatabase("after the whole server's SIGKILL");
    expect(acked.enrolled.length + acked.drawDates.length).toBeGreaterThan(ackedBefore);

    // 3. It starts again on the same file, writes through both workers, and drains on SIGTERM.
    server = startServer({ DATABASE_URL: url, WORKERS: "2", SIGN_IN_IP_THRESHOLD: "100000" }, await freePort());
    await waitWorkers(server, 2);
    const three = load(server.url, cookies, "Three");
    await pause(800);
    const stopping = stopServer(server, "SIGTERM", 15_000);
    const ended = await stopping;
    await three.stop();
    expect(three.refused, "no write refused while draining").toEqual([]);
    expect(ended, `the server drained and exited cleanly:\n${server.output()}`).toEqual({ code: 0, signal: null });
    expect(logLines(server).filter((l) => l.level === "error")).toEqual([]);
    server = undefined;
    await checkDatabase("after a clean stop");
    console.info(
      `two workers: ${acked.enrolled.length} enrollments, ${acked.drawDates.length} draws, ${[...acked.rollVersion.values()].reduce((a, b) => a + b, 0)} roll-call versions acknowledged and kept; ${one.cutOff() + two.cutOff() + three.cutOff()} requests cut off by the kills and the stop`,
    );
  }, 180_000);
});

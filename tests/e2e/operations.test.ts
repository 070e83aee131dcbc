/**
 * The production server as an operator meets it: liveness and readiness probes, a SIGTERM that
 * finishes the request in flight and closes the database, and logs that are one JSON object per
 * line with no patient data in them.
 */
import { Agent, request as httpRequest } from "node:http";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb } from "../../db/database";
import { migrateToLatest } from "../../db/migrator";
import { verifyAuditChain } from "~/features/audit/audit.server";
import { enrollPatient } from "~/features/patients/patients.server";
import { seedDemo } from "../../seeds/demo";
import { intakeInput } from "../integration/patients-support";
import { DEMO_PASSWORD } from "../../seeds/demo-people";
import { freePort, requireBuild, type RunningServer, signInCookie, startServer, stopServer, waitReady } from "../support/server";

const COUNSELOR = "marcus.bell@harborlight.example";

/** Waits for a condition, checking every 20 ms, instead of sleeping a fixed time and hoping. */
async function until(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * Starts a POST whose body is still to come, and resolves once the server has read its headers
 * and taken it up: `Expect: 100-continue` makes Node's server answer "100 Continue" as it hands
 * the request to the app (RFC 9110 §10.1.1), so no sleep is needed to know the request is open.
 */
async function openRequest(url: string, headers: Record<string, string>) {
  const req = httpRequest(url, { method: "POST", headers: { ...headers, Expect: "100-continue" } });
  const taken = new Promise<void>((resolve, reject) => {
    req.on("continue", () => resolve());
    req.on("error", reject);
  });
  req.flushHeaders();
  await taken;
  return req;
}

/** The server's log lines, parsed (call once it has exited: every line must be whole JSON). */
const logLines = (s: RunningServer) =>
  s
    .output()
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as { msg: string; [k: string]: unknown });
/** The server's "shutting down" log line, once it has been written whole. */
const shutdownLine = (s: RunningServer) => {
  const line = s
    .output()
    .split("\n")
    .find((l, i, all) => i < all.length - 1 && l.includes('"shutting down'));
  return line ? (JSON.parse(line) as { signal: string; inFlight: number }) : null;
};
const shuttingDown = (s: RunningServer) => shutdownLine(s) !== null;

describe("operations: probes, graceful shutdown and logs", () => {
  let dir: string;
  let databaseUrl: string;
  let patient: { id: string; mrn: string };
  const servers: RunningServer[] = [];

  beforeAll(async () => {
    requireBuild();
    dir = mkdtempSync(join(tmpdir(), "iop-ops-"));
    databaseUrl = `file:${join(dir, "ops.sqlite")}`;
    const db = createDb(databaseUrl);
    await migrateToLatest(db);
    const clinic = await seedDemo(db, { patients: false });
    const marcus = clinic.users["marcus.bell"];
    const r = await enrollPatient(
      db,
      marcus,
      intakeInput(clinic.siteId, marcus.id, { legalFirstName: "Quintessa", legalLastName: "Vandermolen", dateOfBirth: "1979-03-21" }),
      [clinic.siteId],
      { ip: null, userAgent: null },
    );
    if (!r.ok) throw new Error("could not enroll the test patient");
    patient = { id: r.id, mrn: r.mrn };
    await db.destroy();
  });
  afterAll(async () => {
    for (const s of servers) await stopServer(s, "SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  });

  async function start(env: Record<string, string> = {}) {
    const s = startServer({ DATABASE_URL: databaseUrl, ...env }, await freePort());
    servers.push(s);
    await waitReady(s);
    return s;
  }

  it("/healthz answers while the process is up; /readyz only when the database answers with every migration applied", async () => {
    const s = await start();
    const health = await fetch(`${s.url}/healthz`);
    expect([health.status, await health.text(), health.headers.get("cache-control")]).toEqual([200, "ok", "no-store"]);
    const ready = await fetch(`${s.url}/readyz`);
    expect([ready.status, await ready.text()]).toEqual([200, "ready"]);

    // A schema behind this build (a migration's record gone) is not ready; liveness is unaffected.
    const db = createDb(databaseUrl);
    const last = (await db
      .selectFrom("kysely_migration" as never)
      .select("name" as never)
      .orderBy("name" as never, "desc")
      .executeTakeFirstOrThrow()) as { name: string };
    await db
      .deleteFrom("kysely_migration" as never)
      .where("name" as never, "=", last.name as never)
      .execute();
    try {
      const notReady = await fetch(`${s.url}/readyz`);
      expect([notReady.status, await notReady.text()]).toEqual([503, "not ready"]);
      expect((await fetch(`${s.url}/healthz`)).status).toBe(200);
    } finally {
      await db
        .insertInto("kysely_migration" as never)
        .values({ name: last.name, timestamp: new Date().toISOString() } as never)
        .execute();
      await db.destroy();
    }
    expect((await fetch(`${s.url}/readyz`)).status).toBe(200);
    expect(await stopServer(s)).toEqual({ code: 0, signal: null });
  });

  it("on SIGTERM: stops taking connections, finishes the request in flight (it is saved) with Connection: close, closes the database and exits 0", async () => {
    const s = await start();
    // A sign-in whose body is still arriving when SIGTERM comes: the server has started on it.
    const body = new URLSearchParams({ email: COUNSELOR, password: DEMO_PASSWORD }).toString();
    const half = Math.floor(body.length / 2);
    const req = await openRequest(`${s.url}/login`, {
      "Content-Type": "application/x-www-form-urlencoded",
      "Content-Length": String(body.length),
      Origin: s.url,
    });
    const answered = new Promise<{ status: number; cookie: string | null; connection: string | null }>((resolve, reject) => {
      req.on("response", (res) => {
        res.resume();
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, cookie: res.headers["set-cookie"]?.[0] ?? null, connection: res.headers.connection ?? null }),
        );
      });
      req.on("error", reject);
    });
    req.write(body.slice(0, half));
    s.child.kill("SIGTERM");
    // The server says it is shutting down as it stops listening (the same tick).
    await until(() => shuttingDown(s), "the shutdown log line");
    // Meanwhile: no new connections, and the process waits for the open request.
    await expect(fetch(`${s.url}/healthz`)).rejects.toThrow();
    expect(s.child.exitCode).toBeNull();
    req.end(body.slice(half));
    const res = await answered;
    expect(res.status).toBe(302);
    expect(res.cookie).toMatch(/^iop_session=/);
    expect(res.connection).toBe("close");
    expect(await s.exited).toEqual({ code: 0, signal: null });
    const lines = logLines(s);
    expect(lines.map((l) => l.msg)).toEqual(
      expect.arrayContaining(["shutting down: finishing open requests, then closing the database", "database closed; stopped"]),
    );
    expect(lines.find((l) => l.msg.startsWith("shutting down"))).toMatchObject({ signal: "SIGTERM", inFlight: 1 });

    // The sign-in finished during shutdown is in the database, audited, with the chain intact.
    const db = createDb(databaseUrl);
    try {
      const token = res.cookie!.split(";")[0].split("=")[1];
      const session = await db.selectFrom("user_sessions").select("id").where("id", "=", token.split(".")[0]).executeTakeFirst();
      expect(session).toBeDefined();
      expect((await verifyAuditChain(db)).ok).toBe(true);
    } finally {
      await db.destroy();
    }
  });

  it("while shutting down with a request open, idle kept-alive connections are closed so no new request gets in", async () => {
    const s = await start();
    // Hold one request open (a body that has not finished), so shutdown waits for it.
    const held = await openRequest(`${s.url}/login`, { "Content-Type": "application/x-www-form-urlencoded", "Content-Length": "100", Origin: s.url });
    held.on("error", () => undefined);
    held.write("email=");
    // A kept-alive connection made before the signal.
    const agentReq = (path: string, agent: Agent) =>
      new Promise<number>((resolve, reject) => {
        const r = httpRequest(`${s.url}${path}`, { agent }, (res) => {
          res.resume();
          res.on("end", () => resolve(res.statusCode ?? 0));
        });
        r.on("error", reject);
        r.end();
      });
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    expect(await agentReq("/healthz", agent)).toBe(200);
    expect(Object.keys(agent.freeSockets)).toHaveLength(1); // the kept-alive connection, idle
    s.child.kill("SIGTERM");
    await until(() => shuttingDown(s), "the shutdown log line");
    // The server closes idle connections as it stops: the client sees its kept-alive socket go.
    await until(() => Object.keys(agent.freeSockets).length === 0, "the idle kept-alive connection to be closed");
    expect(shutdownLine(s)).toMatchObject({ signal: "SIGTERM", inFlight: 1 });
    // The idle kept-alive socket was closed by the server: a new request cannot get in.
    await expect(agentReq("/readyz", agent)).rejects.toThrow();
    held.end("x".repeat(94));
    expect((await s.exited).code).toBe(0);
    agent.destroy();
  });

  it("logs one JSON object per line, with ids, secrets and searches kept out", async () => {
    const s = await start();
    const cookie = await signInCookie(s.url, COUNSELOR);
    const get = (path: string) => fetch(`${s.url}${path}`, { headers: { Cookie: cookie }, redirect: "manual" });
    expect((await get(`/patients/${patient.id}`)).status).toBe(200);
    expect((await get(`/patients/search?q=Vandermolen`)).status).toBe(200);
    expect((await get(`/patients?q=Quintessa`)).status).toBe(200);
    expect((await get(`/calendar/abcdefghijklmnopqrstuvwxyz234567.abcdefghijklmnopqrstuvwxyz234567.ics`)).status).toBe(404);
    // Refusals are answers, not failures: nothing is logged as an error for them.
    expect((await get(`/reports/no-such-report.csv`)).status).toBe(404);
    expect((await get(`/admin/audit/export.csv`)).status).toBe(403);
    expect(await stopServer(s)).toEqual({ code: 0, signal: null });

    const text = s.output();
    const lines = text.trim().split("\n");
    const parsed = lines.map((l) => JSON.parse(l));
    expect(parsed.filter((l) => l.level === "error")).toEqual([]);
    for (const l of parsed) expect(l).toMatchObject({ time: expect.any(String), level: expect.stringMatching(/^(info|warn|error)$/), msg: expect.any(String) });
    expect(parsed.filter((l) => l.msg === "request").map((l) => `${l.method} ${l.path} ${l.status}`)).toEqual(
      expect.arrayContaining(["POST /login 302", "GET /patients/:id 200", "GET /patients/search 200", "GET /patients 200", "GET /calendar/:token 404"]),
    );
    for (const secret of ["Quintessa", "Vandermolen", patient.id, patient.mrn, "abcdefghijklmnopqrstuvwxyz234567", cookie.split("=")[1], COUNSELOR]) {
      expect(text).not.toContain(secret);
    }
  });
});

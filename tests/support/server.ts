/**
 * The production server (`node server.mjs` over the build) as tests start it: on a port of their
 * own, against a database of their own, signed in over HTTP the way a browser does it.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import type { Kysely } from "kysely";
import type { Database } from "../../db/schema";
import { createSession } from "~/features/auth/sessions.server";
import { DEMO_PASSWORD } from "../../seeds/demo-people";

export function requireBuild(): void {
  if (!existsSync("build/server/index.js")) throw new Error("No production build: run `npm run build` first (npm test does it for you).");
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
    srv.on("error", reject);
  });
}

export interface RunningServer {
  child: ChildProcess;
  url: string;
  port: number;
  /** Everything the server wrote so far, stdout and stderr. */
  output: () => string;
  /** Resolves with the exit code and signal once the process has ended. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * `server.mjs` in production mode on `port`, with extra environment (a test's own `DATABASE_URL`,
 * limits, time-outs) and node options. It is not ready yet: `await waitReady(server)`. One process
 * (WORKERS=1) unless the test asks for more: it starts sooner, and its `child` is the server.
 */
export function startServer(env: Record<string, string>, port: number, nodeArgs: string[] = []): RunningServer {
  let out = "";
  const child = spawn(process.execPath, [...nodeArgs, "server.mjs"], {
    env: { ...process.env, NODE_ENV: "production", HOST: "127.0.0.1", PORT: String(port), WORKERS: "1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.on("data", (d) => (out += d));
  child.stderr?.on("data", (d) => (out += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on("exit", (code, signal) => resolve({ code, signal })),
  );
  return { child, port, url: `http://localhost:${port}`, output: () => out, exited };
}

const hasExited = (s: RunningServer) => s.child.exitCode !== null || s.child.signalCode !== null;

/** Resolves once `/readyz` answers 200 (migrations done); throws with the server's output if it exits or times out. */
export async function waitReady(s: RunningServer, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (hasExited(s)) throw new Error(`server exited early:\n${s.output()}`);
    try {
      if ((await fetch(`${s.url}/readyz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`server at ${s.url} did not become ready:\n${s.output()}`);
}

/**
 * Sends `signal` and resolves with how the process ended. A server that has not ended `killAfterMs`
 * later is killed, so a hung shutdown fails the test that asserts on it (signal SIGKILL) instead of
 * hanging the suite's teardown.
 */
export async function stopServer(s: RunningServer, signal: NodeJS.Signals = "SIGTERM", killAfterMs = 10_000) {
  if (!hasExited(s)) s.child.kill(signal);
  const timer = setTimeout(() => hasExited(s) || s.child.kill("SIGKILL"), killAfterMs);
  try {
    return await s.exited;
  } finally {
    clearTimeout(timer);
  }
}

/** Signs in through the sign-in form, as a browser would; returns the `Cookie` header value. */
export async function signInCookie(baseUrl: string, email: string, password = DEMO_PASSWORD): Promise<string> {
  const res = await fetch(`${baseUrl}/login`, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: baseUrl },
    body: new URLSearchParams({ email, password, redirectTo: "/" }),
  });
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith("iop_session="));
  if (res.status !== 302 || !cookie) throw new Error(`sign-in as ${email} failed with ${res.status}: ${await res.text()}`);
  return cookie.split(";")[0];
}

/**
 * A session minted straight into the database, for tests that need a role whose sign-in has a
 * second step (admins): the same row sign-in writes (createSession), second factor done.
 */
export async function mintSessionCookie(db: Kysely<Database>, userId: string, siteId: string | null): Promise<string> {
  const { token } = await createSession(db, { id: userId }, siteId, { ip: "127.0.0.1", userAgent: "tests" });
  return `iop_session=${token}`;
}

/** A form POST the way the browser sends it from the page: same-origin, with the session cookie. */
export function postForm(baseUrl: string, path: string, cookie: string, fields: Record<string, string> | URLSearchParams, init: RequestInit = {}) {
  return fetch(`${baseUrl}${path}`, {
    method: "POST",
    redirect: "manual",
    ...init,
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: baseUrl, Cookie: cookie, ...(init.headers ?? {}) },
    body: fields instanceof URLSearchParams ? fields : new URLSearchParams(fields),
  });
}

/**
 * Starts the production build (run `npm run build` first; `npm test` does) against a fresh
 * SQLite demo clinic, twice: one server with the normal inactivity time-out and one with a
 * 3-second time-out for the time-out test. Both share the database file.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { createDb } from "../../db/database";
import { migrateToLatest } from "../../db/migrator";
import { hashPassword } from "../../app/features/auth/password.server";
import { newId } from "../../app/utils/ids";
import { seedDemo } from "../../seeds/demo";

declare module "vitest" {
  export interface ProvidedContext {
    baseUrl: string;
    shortIdleUrl: string;
    databaseUrl: string;
    lockoutEmail: string;
    multiSiteEmail: string;
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
    srv.on("error", reject);
  });
}

async function waitForHealth(url: string, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited early:\n${log()}`);
    try {
      const res = await fetch(`${url}/readyz`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`server at ${url} did not become ready:\n${log()}`);
}

function startServer(port: number, env: Record<string, string>) {
  let output = "";
  const child = spawn(process.execPath, ["server.mjs"], {
    env: { ...process.env, NODE_ENV: "production", HOST: "127.0.0.1", PORT: String(port), ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.on("data", (d) => (output += d));
  child.stderr?.on("data", (d) => (output += d));
  return { child, url: `http://localhost:${port}`, log: () => output };
}

export default async function setup(project: TestProject) {
  if (!existsSync("build/server/index.js")) {
    throw new Error("No production build: run `npm run build` first (npm test does it for you).");
  }
  const dir = mkdtempSync(join(tmpdir(), "iop-e2e-"));
  const databaseUrl = `file:${join(dir, "e2e.sqlite")}`;
  const db = createDb(databaseUrl);
  await migrateToLatest(db);
  const clinic = await seedDemo(db);
  // A dedicated account for the lockout test, so locking it disturbs no other test.
  const lockoutEmail = "lockout.check@harborlight.example";
  const multiSiteEmail = "riley.navarro@harborlight.example";
  const now = new Date().toISOString();
  const id = newId();
  await db
    .insertInto("users")
    .values({ id, email: lockoutEmail, name: "Lockout Check", role: "staff", password_hash: await hashPassword("correct-horse-battery-staple"), must_change_password: 0, active: 1, last_sign_in_at: null, created_at: now, updated_at: now })
    .execute();
  await db.insertInto("user_sites").values({ user_id: id, site_id: clinic.siteId }).execute();
  // A second site, and a counselor who works at both, for the site switcher.
  const eastside = newId();
  await db.insertInto("sites").values({ id: eastside, name: "Harbor Light Recovery – Eastside", time_zone: "America/Chicago", created_at: now }).execute();
  const multi = newId();
  await db
    .insertInto("users")
    .values({ id: multi, email: multiSiteEmail, name: "Riley Navarro", role: "counselor", password_hash: await hashPassword("correct-horse-battery-staple"), must_change_password: 0, active: 1, last_sign_in_at: null, created_at: now, updated_at: now })
    .execute();
  await db.insertInto("user_sites").values([{ user_id: multi, site_id: clinic.siteId }, { user_id: multi, site_id: eastside }]).execute();
  await db.destroy();

  const main = startServer(await freePort(), { DATABASE_URL: databaseUrl });
  const shortIdle = startServer(await freePort(), { DATABASE_URL: databaseUrl, SESSION_IDLE_TIMEOUT_SECONDS: "3" });
  await Promise.all([waitForHealth(main.url, main.child, main.log), waitForHealth(shortIdle.url, shortIdle.child, shortIdle.log)]);

  project.provide("baseUrl", main.url);
  project.provide("shortIdleUrl", shortIdle.url);
  project.provide("databaseUrl", databaseUrl);
  project.provide("lockoutEmail", lockoutEmail);
  project.provide("multiSiteEmail", multiSiteEmail);

  return async () => {
    for (const s of [main, shortIdle]) s.child.kill("SIGTERM");
    await new Promise((r) => setTimeout(r, 300));
    rmSync(dir, { recursive: true, force: true });
  };
}

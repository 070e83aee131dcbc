/**
 * Starts the production build (run `npm run build` first; `npm test` does) against a fresh
 * demo clinic, twice: one server with the normal inactivity time-out and one with a 12-second
 * time-out for the time-out test. Both share the database: SQLite, or with E2E_DIALECT=postgres
 * a new PostgreSQL database on the server TEST_DATABASE_URL names.
 */
import { existsSync } from "node:fs";
import type { TestProject } from "vitest/node";
import { createDb } from "../../db/database";
import { hashPassword } from "../../app/features/auth/password.server";
import { newId } from "../../app/utils/ids";
import type { DialectName } from "../support/databases";
import { seededDatabase } from "../support/templates";
import { freePort, startServer, stopServer, waitReady } from "../support/server";
import { startSharedBrowser } from "../support/browser";

declare module "vitest" {
  export interface ProvidedContext {
    baseUrl: string;
    shortIdleUrl: string;
    shortIdleSeconds: number;
    databaseUrl: string;
    dialect: DialectName;
    lockoutEmail: string;
    multiSiteEmail: string;
  }
}

export default async function setup(project: TestProject) {
  if (!existsSync("build/server/index.js")) {
    throw new Error("No production build: run `npm run build` first (npm test does it for you).");
  }
  // E2E_DIALECT=postgres runs the same tests against a fresh PostgreSQL database.
  const dialect: DialectName = process.env.E2E_DIALECT === "postgres" ? "postgres" : "sqlite";
  // The demo clinic, copied from this run's template (seeded once; the integration suite's
  // demo-clinic files and the PostgreSQL pass in .ci/run copy the same one).
  const { url: databaseUrl, drop, clinic } = await seededDatabase(dialect);
  const db = createDb(databaseUrl);
  // A dedicated account for the lockout test, so locking it disturbs no other test.
  const lockoutEmail = "lockout.check@harborlight.example";
  const multiSiteEmail = "riley.navarro@harborlight.example";
  const now = new Date().toISOString();
  const id = newId();
  await db
    .insertInto("users")
    .values({
      id,
      email: lockoutEmail,
      name: "Lockout Check",
      role: "staff",
      password_hash: await hashPassword("correct-horse-battery-staple"),
      must_change_password: 0,
      active: 1,
      last_sign_in_at: null,
      created_at: now,
      updated_at: now,
    })
    .execute();
  await db.insertInto("user_sites").values({ user_id: id, site_id: clinic.siteId }).execute();
  // A second site, and a counselor who works at both, for the site switcher.
  const eastside = newId();
  await db.insertInto("sites").values({ id: eastside, name: "Harbor Light Recovery – Eastside", time_zone: "America/Chicago", created_at: now }).execute();
  const multi = newId();
  await db
    .insertInto("users")
    .values({
      id: multi,
      email: multiSiteEmail,
      name: "Riley Navarro",
      role: "counselor",
      password_hash: await hashPassword("correct-horse-battery-staple"),
      must_change_password: 0,
      active: 1,
      last_sign_in_at: null,
      created_at: now,
      updated_at: now,
    })
    .execute();
  await db
    .insertInto("user_sites")
    .values([
      { user_id: multi, site_id: clinic.siteId },
      { user_id: multi, site_id: eastside },
    ])
    .execute();
  // This shared clinic is signed into as its admin dozens of times a minute by the suite, faster
  // than one authenticator code a 30-second step allows, so it does not require two-factor
  // sign-in. The default policy (admins must) is proven end to end in security.test.ts, on a
  // clinic of its own.
  await db.updateTable("program_settings").set({ value: "none" }).where("key", "=", "two_factor_required_for").execute();
  await db.destroy();

  const main = startServer({ DATABASE_URL: databaseUrl }, await freePort());
  // Long enough that signing in and opening a page on a loaded 2-core machine never outlasts it
  // (3 s did, now and then), short enough that the time-out test waits only seconds.
  const shortIdleSeconds = 12;
  const shortIdle = startServer({ DATABASE_URL: databaseUrl, SESSION_IDLE_TIMEOUT_SECONDS: String(shortIdleSeconds) }, await freePort());
  await Promise.all([waitReady(main), waitReady(shortIdle)]);

  project.provide("baseUrl", main.url);
  project.provide("shortIdleUrl", shortIdle.url);
  project.provide("shortIdleSeconds", shortIdleSeconds);
  project.provide("databaseUrl", databaseUrl);
  project.provide("dialect", dialect);
  project.provide("lockoutEmail", lockoutEmail);
  project.provide("multiSiteEmail", multiSiteEmail);

  // One Chromium for every file of the run (tests/support/browser.ts): each connects to it.
  const browser = await startSharedBrowser();

  return async () => {
    await browser.close();
    // Both servers closed their database connections and exited before it is dropped.
    await Promise.all([main, shortIdle].map((s) => stopServer(s)));
    await drop();
  };
}

/**
 * Sign-in security as people meet it, in Chromium, on a clinic of its own with the program's
 * default policy (admins must use two-factor sign-in):
 *  - the admin's first sign-in makes them set up an authenticator app, shows ten recovery codes
 *    once, and a recovery code later gets them in exactly once;
 *  - a counselor the admin names for emergency access reads another site's chart only after
 *    giving a reason, read-only, and the admin's emergency access report shows it.
 * Codes are computed from the key the page shows, as an authenticator app would.
 */
import { decodeBase32IgnorePadding } from "@oslojs/encoding";
import { generateHOTP } from "@oslojs/otp";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createDb } from "../../db/database";
import { migrateToLatest } from "../../db/migrator";
import { randomUUID } from "node:crypto";
import { recordCollection } from "~/features/drug-testing/collections.server";
import { listPanels } from "~/features/drug-testing/panels.server";
import { createSeries } from "~/features/scheduling/groups.server";
import { createTrack } from "~/features/scheduling/program.server";
import { addDays, weekStart, todayIn } from "~/kernel/time";
import { newId } from "~/utils/ids";
import { seedDemo } from "../../seeds/demo";
import { enroll } from "../integration/patients-support";
import { launchBrowser } from "../support/browser";
import { emptyDatabase } from "../support/databases";
import { ADMIN, COUNSELOR, DEMO_PASSWORD, hydrated, seriousViolations, signIn, signOut, STAFF, visible } from "./helpers";
import { openChartSection } from "./chart-sections";
import { freePort, type RunningServer, startServer, stopServer, waitReady } from "../support/server";

let drop: () => Promise<void>;
let server: RunningServer & { databaseUrl: string };
let browser: Browser;
let eastside = { id: "", mrn: "" };
/** Records at Eastside that nobody at Riverside may reach by id. */
const elsewhere = { sessionId: "", trackId: "", testId: "", userId: "" };
let key = "";
let recoveryCodes: string[] = [];

/** The code an authenticator app shows now for the key, `offset` 30-second steps away. */
const code = (offset = 0) => generateHOTP(decodeBase32IgnorePadding(key), BigInt(Math.floor(Date.now() / 30_000) + offset), 6);

beforeAll(async () => {
  const fresh = await emptyDatabase(inject("dialect"));
  drop = fresh.drop;
  const db = createDb(fresh.url);
  await migrateToLatest(db);
  const clinic = await seedDemo(db, { patients: false });
  // A second site nobody at Riverside works at, with one patient.
  const siteId = newId();
  await db
    .insertInto("sites")
    .values({ id: siteId, name: "Harbor Light Recovery – Eastside", time_zone: "America/Chicago", created_at: new Date().toISOString() })
    .execute();
  const counselorId = newId();
  const now = new Date().toISOString();
  await db
    .insertInto("users")
    .values({
      id: counselorId,
      email: "jordan.lee@harborlight.example",
      name: "Jordan Lee",
      role: "counselor",
      password_hash: "x",
      must_change_password: 0,
      active: 1,
      last_sign_in_at: null,
      created_at: now,
      updated_at: now,
    })
    .execute();
  await db.insertInto("user_sites").values({ user_id: counselorId, site_id: siteId }).execute();
  eastside = await enroll(db, { id: counselorId, name: "Jordan Lee" }, siteId, {
    legalFirstName: "Rowan",
    legalLastName: "Castellanos",
    primaryCounselorId: counselorId,
  });
  expect(clinic.users["dana.whitfield"].role).toBe("admin");
  const jordan = { id: counselorId, name: "Jordan Lee" };
  const east = { id: siteId, time_zone: "America/Chicago" };
  const track = await createTrack(
    db,
    jordan,
    east,
    { name: "Eastside Evening IOP", levelOfCare: "IOP", days: ["mon", "wed"], startTime: "18:00", endTime: "21:00" },
    { ip: null, userAgent: "setup" },
  );
  if (!track.ok) throw new Error(JSON.stringify(track));
  const monday = addDays(weekStart(todayIn(east.time_zone)), 7);
  const series = await createSeries(
    db,
    jordan,
    east,
    {
      title: "Eastside Process Group",
      kind: "process",
      trackId: track.id,
      facilitatorId: counselorId,
      modality: "telehealth",
      capacity: 10,
      autoEnroll: true,
      days: ["mon"],
      startTime: "18:00",
      endTime: "21:00",
      startsOn: monday,
      endsOn: monday,
    },
    { ip: null, userAgent: "setup" },
  );
  if (!series.ok) throw new Error(JSON.stringify(series));
  // Eastside's own urine panel: each site keeps its own panels (issue 16, 7d).
  const panel = (await listPanels(db, siteId)).find((p) => p.specimen === "urine")!;
  const test = await recordCollection(
    db,
    jordan,
    {
      requestKey: randomUUID(),
      patientId: eastside.id,
      collection: "collected",
      date: todayIn(east.time_zone),
      time: "00:00",
      reason: "scheduled",
      specimen: "urine",
      panelId: panel.id,
      observed: true,
      temperatureInRange: "yes",
      temperatureNote: undefined,
      collectedBy: counselorId,
      note: undefined,
    },
    [siteId],
    { ip: null, userAgent: "setup" },
  );
  if (!test.ok) throw new Error(JSON.stringify(test));
  const session = await db.selectFrom("sessions").select("id").where("series_id", "=", series.id).executeTakeFirstOrThrow();
  Object.assign(elsewhere, { sessionId: session.id, trackId: track.id, testId: test.id, userId: counselorId });
  await db.destroy();

  server = Object.assign(startServer({ DATABASE_URL: fresh.url }, await freePort()), { databaseUrl: fresh.url });
  await waitReady(server);
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  if (server) await stopServer(server);
  await drop?.();
});

async function home(page: Page) {
  await page.waitForURL(`${server.url}/`);
  await visible(page.getByRole("heading", { level: 1, name: /Good (morning|afternoon|evening)/ }));
}

describe("two-factor sign-in", () => {
  it("makes a new admin set it up, and lets them back in with a recovery code exactly once", async () => {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    await signIn(page, server.url, ADMIN);
    await page.waitForURL(/\/login\/two-factor-setup/);
    await hydrated(page);
    await visible(page.getByRole("heading", { name: "Set up two-factor sign-in" }));
    await visible(page.getByRole("img", { name: "QR code for your authenticator app" }));
    expect(await seriousViolations(page)).toEqual([]);
    // The app is not home until set-up is done.
    await page.goto(`${server.url}/patients`);
    await page.waitForURL(/\/login\/two-factor-setup/);
    await hydrated(page);
    // The key shown now is the one to set up (each visit offers a new one until one is confirmed).
    key = (await page.getByLabel("Key for typing in by hand").innerText()).replace(/\s+/g, "");
    expect(key).toMatch(/^[A-Z2-7]{32}$/);

    // A code from the wrong moment is refused and says why.
    await page.getByLabel("Code from the app").fill(code(6));
    await page.getByRole("button", { name: "Turn on two-factor sign-in" }).click();
    await visible(page.getByText("That code is not right."));
    await page.getByLabel("Code from the app").fill(code());
    await page.getByRole("button", { name: "Turn on two-factor sign-in" }).click();
    const list = page.getByRole("list", { name: "Recovery codes" });
    await visible(list);
    recoveryCodes = (await list.getByRole("listitem").allInnerTexts()).map((c) => c.trim());
    expect(await seriousViolations(page)).toEqual([]);
    expect(recoveryCodes).toHaveLength(10);
    await page.getByRole("link", { name: "I have saved my recovery codes" }).click();
    await page.waitForURL(/\/patients$/);
    await signOut(page);

    // Phone lost: a recovery code gets the admin in.
    await signIn(page, server.url, ADMIN);
    await page.waitForURL(/\/login\/two-factor\?/);
    await hydrated(page);
    await page.getByLabel("Recovery code").fill(recoveryCodes[0]);
    await page.getByRole("button", { name: "Use recovery code" }).click();
    await home(page);
    await signOut(page);

    // The same recovery code a second time is refused; a code from the app still works.
    await signIn(page, server.url, ADMIN);
    await page.waitForURL(/\/login\/two-factor\?/);
    await hydrated(page);
    await page.getByLabel("Recovery code").fill(recoveryCodes[0]);
    await page.getByRole("button", { name: "Use recovery code" }).click();
    await visible(page.getByText("That recovery code is not one of yours, or it has already been used."));
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByLabel("Authentication code").fill(code(1));
    await page.getByRole("button", { name: "Verify" }).click();
    await home(page);

    // The account page says it is on, with nine codes left.
    await page.goto(`${server.url}/account`);
    await hydrated(page);
    await visible(page.getByText(/with 9 of 10 recovery codes unused\. The program requires it for your role\./));
    await ctx.close();
  });
});

describe("emergency access", () => {
  it("lets a named counselor read another site's chart only after giving a reason, and the admin's report shows it", async () => {
    // The admin names Marcus for emergency access.
    const adminCtx = await browser.newContext();
    const admin = await adminCtx.newPage();
    await signIn(admin, server.url, ADMIN);
    await admin.waitForURL(/\/login\/two-factor\?/);
    await hydrated(admin);
    await admin.getByLabel("Recovery code").fill(recoveryCodes[1]);
    await admin.getByRole("button", { name: "Use recovery code" }).click();
    await home(admin);
    await admin.goto(`${server.url}/admin/users`);
    await hydrated(admin);
    await admin.getByRole("link", { name: "Sign-in security" }).click();
    await visible(admin.getByRole("radio", { name: "Admins only" }));
    expect(await admin.getByRole("radio", { name: "Admins only" }).isChecked()).toBe(true);
    await admin.getByRole("table", { name: "Staff sign-in security" }).getByRole("link", { name: "Marcus Bell" }).click();
    await hydrated(admin);
    await admin.getByRole("button", { name: "Allow emergency access" }).click();
    await visible(admin.getByText("They may now use emergency access."));

    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    await signIn(page, server.url, COUNSELOR);
    await home(page);
    // Another site's chart is simply not there…
    const res = await page.goto(`${server.url}/patients/${eastside.id}`);
    expect(res?.status()).toBe(404);
    await visible(page.getByText("There is no patient with that id at your sites."));
    // …until Marcus breaks the glass, which needs a reason.
    await page.goto(`${server.url}/patients`);
    await hydrated(page);
    await page.getByRole("link", { name: "Emergency access" }).click();
    await hydrated(page);
    await page.getByLabel("Patient's MRN").fill(eastside.mrn);
    await page.getByRole("button", { name: "Open the chart under emergency access" }).click();
    await visible(page.getByText("Say why you need this chart now."));
    expect(page.url()).toContain("/patients/emergency-access");
    await page.getByLabel("Reason").fill("Patient collapsed in our lobby; need MAT and diagnoses for EMS.");
    await page.getByRole("button", { name: "Open the chart under emergency access" }).click();
    await page.waitForURL(`${server.url}/patients/${eastside.id}`);
    await hydrated(page);
    await visible(page.getByRole("status").filter({ hasText: "You are reading this chart under emergency access until" }));
    expect(await seriousViolations(page)).toEqual([]);
    await visible(page.getByRole("heading", { name: "Castellanos, Rowan" }).or(page.getByRole("heading", { name: "Rowan Castellanos" })));
    await openChartSection(page, "MAT");
    // Read-only: nothing can be changed under emergency access.
    expect(await page.getByRole("button", { name: /Add|Record|Save/ }).count()).toBe(0);
    // The measures (safety flags, scores) and the treatment plan open too, with nothing to give, write or sign.
    await openChartSection(page, "Measures");
    await visible(page.getByRole("heading", { name: /PHQ-9/ }));
    expect(await page.getByRole("link", { name: /^Give the / }).count()).toBe(0);
    await openChartSection(page, "Plan");
    await visible(page.getByRole("heading", { name: "Treatment plan" }));
    expect(await page.getByRole("button", { name: /Write|Start|Sign|Co-sign|Discard/ }).count()).toBe(0);
    await ctx.close();

    await admin.goto(`${server.url}/admin/emergency-access`);
    await hydrated(admin);
    const row = admin.getByRole("table", { name: "Emergency accesses" }).getByRole("row", { name: /Marcus Bell/ });
    await visible(row);
    expect(await row.innerText()).toContain(eastside.mrn);
    // Riverside's admin reviews Marcus's access, but Eastside's patient stays an MRN to them.
    expect(await row.innerText()).not.toContain("Castellanos");
    expect(await row.innerText()).toContain("Patient collapsed in our lobby");
    const pages = Number((await row.getByRole("cell").nth(4).innerText()).trim());
    expect(pages).toBeGreaterThanOrEqual(2); // the chart, then its MAT tab
    await adminCtx.close();
  });
});

/** Signs in over plain HTTP (a role the policy does not ask a second factor of) and returns the cookie. */
async function cookieFor(email: string): Promise<string> {
  const res = await fetch(`${server.url}/login`, {
    method: "POST",
    redirect: "manual",
    headers: { Origin: server.url, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ email, password: DEMO_PASSWORD, redirectTo: "/" }),
  });
  expect(res.headers.get("location")).toBe("/");
  return res.headers
    .getSetCookie()
    .find((c) => c.startsWith("iop_session="))!
    .split(";")[0];
}

describe("access hardening", () => {
  it("never lets an id in a URL reach another site's records: every one is a 404, and each refusal of a chart is audited", async () => {
    // Priya, not Marcus: Marcus broke the glass for this very patient above, and his hour still runs.
    const counselor = await cookieFor("priya.raman@harborlight.example");
    const staff = await cookieFor(STAFF);
    const paths = [
      `/patients/${eastside.id}`,
      `/patients/${eastside.id}/mat`,
      `/patients/${eastside.id}/drug-tests`,
      `/patients/${eastside.id}/consents`,
      `/patients/${eastside.id}/disclosures`,
      `/schedule/sessions/${elsewhere.sessionId}`,
      `/schedule/sessions/${elsewhere.sessionId}/roll`,
      `/schedule/sessions/${elsewhere.sessionId}/sign-in-sheet`,
      `/drug-tests/${elsewhere.testId}`,
    ];
    for (const path of paths) {
      const res = await fetch(`${server.url}${path}`, { headers: { Cookie: counselor }, redirect: "manual" });
      expect(res.status, path).toBe(404);
      expect(await res.text(), path).not.toContain("Castellanos");
    }
    // Staff, and writes: refused the same way, and nothing is written.
    const roll = await fetch(`${server.url}/schedule/sessions/${elsewhere.sessionId}/roll`, {
      method: "POST",
      redirect: "manual",
      headers: { Cookie: staff, Origin: server.url, "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ version: "0", [`status-${eastside.id}`]: "absent_unexcused" }),
    });
    expect([403, 404]).toContain(roll.status);
    const mat = await fetch(`${server.url}/patients/${eastside.id}/mat`, {
      method: "POST",
      redirect: "manual",
      headers: { Cookie: counselor, Origin: server.url, "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ intent: "add", medication: "methadone", startedOn: "2026-11-01" }),
    });
    expect(mat.status).toBe(404);
    const check = createDb(server.databaseUrl);
    try {
      expect(await check.selectFrom("attendance").selectAll().execute()).toEqual([]);
      expect(await check.selectFrom("mat_episodes").selectAll().where("patient_id", "=", eastside.id).execute()).toEqual([]);
      const refusals = await check
        .selectFrom("audit_events")
        .select("entity_id")
        .where("action", "=", "patient.not_found")
        .where("entity_id", "=", eastside.id)
        .execute();
      expect(refusals.length).toBeGreaterThanOrEqual(6);
    } finally {
      await check.destroy();
    }
  });

  it("issues a new session token at every sign-in, and a token is worthless once signed out", async () => {
    const first = await cookieFor(COUNSELOR);
    // Signing in while holding a session (a planted or old cookie) never keeps that token.
    const again = await fetch(`${server.url}/login`, {
      method: "POST",
      redirect: "manual",
      headers: { Cookie: first, Origin: server.url, "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ email: COUNSELOR, password: DEMO_PASSWORD, redirectTo: "/" }),
    });
    const second = again.headers
      .getSetCookie()
      .find((c) => c.startsWith("iop_session="))!
      .split(";")[0];
    expect(second).not.toBe(first);
    // Sign out with the first; replaying it afterwards is no session at all.
    const out = await fetch(`${server.url}/logout`, {
      method: "POST",
      redirect: "manual",
      headers: { Cookie: first, Origin: server.url, "Content-Type": "application/x-www-form-urlencoded" },
      body: "",
    });
    expect(out.status).toBe(302);
    const replay = await fetch(`${server.url}/patients`, { headers: { Cookie: first }, redirect: "manual" });
    expect(replay.status).toBe(302);
    expect(replay.headers.get("location")).toContain("/login");
    // The other session is untouched.
    expect((await fetch(`${server.url}/patients`, { headers: { Cookie: second }, redirect: "manual" })).status).toBe(200);
  });

  it("gives a password-only session of an admin nothing but the two-factor page", async () => {
    const res = await fetch(`${server.url}/login`, {
      method: "POST",
      redirect: "manual",
      headers: { Origin: server.url, "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ email: ADMIN, password: DEMO_PASSWORD, redirectTo: "/admin/users" }),
    });
    expect(res.headers.get("location")).toBe(`/login/two-factor?redirectTo=${encodeURIComponent("/admin/users")}`);
    const pending = res.headers
      .getSetCookie()
      .find((c) => c.startsWith("iop_session="))!
      .split(";")[0];
    for (const path of ["/", "/patients", "/admin/users", "/admin/audit/export.csv", `/patients/${eastside.id}`]) {
      const r = await fetch(`${server.url}${path}`, { headers: { Cookie: pending }, redirect: "manual" });
      expect(r.status, path).toBe(302);
      expect(r.headers.get("location"), path).toMatch(/^\/login\/two-factor\?/);
    }
    const write = await fetch(`${server.url}/admin/users/new`, {
      method: "POST",
      redirect: "manual",
      headers: { Cookie: pending, Origin: server.url, "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ name: "Mallory", email: "mallory@harborlight.example", role: "admin" }),
    });
    expect(write.status).toBe(302);
    expect(write.headers.get("location")).toMatch(/^\/login\/two-factor\?/);
  });
});

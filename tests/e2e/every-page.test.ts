/**
 * Every page each role can open, in light and dark (chosen the way the header toggle chooses it:
 * the colour-scheme cookie) and at laptop (1366 px) and tablet (820 px) widths: a fresh load of
 * each must log no console error and throw no page error (a hydration mismatch, a failed request,
 * a crash), and axe must find no serious or critical violation (light scanned at laptop width,
 * dark at tablet width). A page several roles open is loaded in dark and scanned only as the first
 * of them (admin, counselor, staff), and only one path per route module is loaded in dark (one
 * report of the many); every role loads each of its pages in light. Billing's pages are all scanned
 * in both schemes: its chart overview and Home are drawn for it alone. One browser; one signed-in
 * context per role, reused for every page, scheme and width; the roles run side by side.
 *
 * The dynamic routes get real ids from the demo clinic (a patient, a session, a drug test, a
 * draw, a group, a room, a track, a user, a disclosure). The page list is checked against
 * app/routes, so a new page cannot be left out.
 */
import { readdirSync } from "node:fs";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { launchBrowser } from "../support/browser";
import { mintSessionCookie, signInCookie } from "../support/server";
import { createDb } from "../../db/database";
import { ADMIN, BILLING, COLOUR_RULES, COUNSELOR, hydrated, seriousViolations, STAFF } from "./helpers";
import { ensureSignedNote } from "./notes-support";
import { ensureClaims } from "./claims-support";

const baseUrl = inject("baseUrl");

/** Each route module that renders a page, and the path that opens it (":name" filled from the demo). */
const PAGES: Record<string, string[]> = {
  "_app._index.tsx": ["/"],
  "_app.account._index.tsx": ["/account"],
  "_app.account.password.tsx": ["/account/password"],
  "_app.account.two-factor.tsx": ["/account/two-factor"],
  "_app.admin.security.tsx": ["/admin/security"],
  "_app.admin.emergency-access.tsx": ["/admin/emergency-access"],
  "_app.admin.users._index.tsx": ["/admin/users"],
  "_app.admin.users.new.tsx": ["/admin/users/new"],
  "_app.admin.users.$userId.tsx": ["/admin/users/:userId"],
  "_app.admin.audit._index.tsx": ["/admin/audit"],
  "_app.admin.program._index.tsx": ["/admin/program"],
  "_app.admin.program.groups.new.tsx": ["/admin/program/groups/new"],
  "_app.admin.program.groups.$seriesId.tsx": ["/admin/program/groups/:seriesId"],
  "_app.admin.program.tracks.$trackId.tsx": ["/admin/program/tracks/:trackId"],
  "_app.admin.program.rooms.$roomId.tsx": ["/admin/program/rooms/:roomId"],
  "_app.admin.program.asam.tsx": ["/admin/program/asam"],
  "_app.admin.program.measures.tsx": ["/admin/program/measures"],
  "_app.admin.program.plans.tsx": ["/admin/program/plans"],
  "_app.admin.program.notes.tsx": ["/admin/program/notes"],
  "_app.admin.payers._index.tsx": ["/admin/payers"],
  "_app.admin.payers.$payerId.tsx": ["/admin/payers/:payerId"],
  "_app.billing.authorizations.tsx": ["/billing/authorizations", "/billing/authorizations?show=exceeded"],
  "_app.patients.$patientId.coverage.tsx": ["/patients/:patientId/coverage"],
  "_app.admin.sites._index.tsx": ["/admin/sites"],
  "_app.admin.sites.new.tsx": ["/admin/sites/new"],
  "_app.admin.sites.$siteId.tsx": ["/admin/sites/:siteId"],
  "_app.schedule._index.tsx": ["/schedule"],
  "_app.schedule.today.tsx": ["/schedule/today"],
  "_app.schedule.mine.tsx": ["/schedule/mine"],
  "_app.schedule.book.tsx": ["/schedule/book"],
  "_app.schedule.sessions.$sessionId.tsx": ["/schedule/sessions/:sessionId"],
  "_app.schedule.sessions.$sessionId_.roll.tsx": ["/schedule/sessions/:sessionId/roll"],
  "_app.schedule.sessions.$sessionId_.note.tsx": ["/schedule/sessions/:sessionId/note"],
  "schedule.sessions.$sessionId.sign-in-sheet.tsx": ["/schedule/sessions/:sessionId/sign-in-sheet"],
  "_app.drug-tests._index.tsx": ["/drug-tests"],
  "_app.drug-tests.new.tsx": ["/drug-tests/new"],
  "_app.drug-tests.$testId.tsx": ["/drug-tests/:testId"],
  "_app.drug-tests.draws.$drawId.tsx": ["/drug-tests/draws/:drawId"],
  "_app.drug-tests.panels.tsx": ["/drug-tests/panels"],
  "_app.admin.fee-schedule.tsx": ["/admin/fee-schedule"],
  "_app.billing.charges.tsx": ["/billing/charges"],
  "_app.patients._index.tsx": ["/patients"],
  "_app.patients.new.tsx": ["/patients/new"],
  "_app.patients.$patientId._index.tsx": ["/patients/:patientId"],
  "_app.patients.$patientId.schedule.tsx": ["/patients/:patientId/schedule"],
  "_app.patients.$patientId.attendance.tsx": ["/patients/:patientId/attendance"],
  "_app.patients.$patientId.drug-tests.tsx": ["/patients/:patientId/drug-tests"],
  "_app.patients.$patientId.edit.tsx": ["/patients/:patientId/edit"],
  "_app.patients.$patientId.diagnoses.tsx": ["/patients/:patientId/diagnoses"],
  "_app.patients.$patientId.mat.tsx": ["/patients/:patientId/mat"],
  "_app.patients.$patientId.assessments.tsx": ["/patients/:patientId/assessments"],
  "_app.patients.$patientId.care.tsx": ["/patients/:patientId/care"],
  "_app.patients.$patientId.discharge.tsx": ["/patients/:patientId/discharge"],
  "_app.patients.$patientId.amendments.tsx": ["/patients/:patientId/amendments"],
  "_app.patients.$patientId.history.tsx": ["/patients/:patientId/history"],
  "_app.patients.$patientId.consents.tsx": ["/patients/:patientId/consents"],
  "_app.patients.$patientId.measures._index.tsx": ["/patients/:patientId/measures"],
  "_app.patients.$patientId.measures.$measure.tsx": ["/patients/:patientId/measures/phq9"],
  "_app.patients.$patientId.plan._index.tsx": ["/patients/:patientId/plan"],
  "_app.patients.$patientId.plan.edit.tsx": ["/patients/:patientId/plan/edit"],
  "_app.patients.$patientId_.plan.acknowledge.tsx": ["/patients/:patientId/plan/acknowledge"],
  "_app.patients.$patientId.disclosures.tsx": ["/patients/:patientId/disclosures"],
  "patients.$patientId.accounting-of-disclosures.tsx": ["/patients/:patientId/accounting-of-disclosures"],
  "disclosures.$disclosureId.tsx": ["/disclosures/:disclosureId"],
  "_app.billing.claims.tsx": ["/billing/claims"],
  "_app.billing.remittances.$remittanceId.tsx": ["/billing/remittances/:remittanceId"],
  "_app.billing.claims_.$claimId.tsx": ["/billing/claims/:claimId"],
  "_app.patients.$patientId.notes._index.tsx": ["/patients/:patientId/notes", "/patients/:notePatientId/notes"],
  "_app.patients.$patientId.notes.$noteId.tsx": ["/patients/:notePatientId/notes/:noteId"],
  "patients.$patientId.notes.print.tsx": [
    "/patients/:notePatientId/notes/print?note=:noteId",
    "/patients/:notePatientId/notes/print?from=2000-01-01&to=2099-12-31",
  ],
  "_app.reports._index.tsx": ["/reports"],
  // Every report the index lists is added once the demo's report ids are read (see beforeAll).
  "_app.reports.$reportId.tsx": [],
  "login.tsx": ["/login"],
};

/**
 * Route modules that render no page of their own to check here: layouts (checked through their
 * children), downloads and feeds, redirects, a benchmark shell, the emergency-access form (no demo
 * account is named for it: accessibility.test.ts scans it as one who is) and the two-factor steps
 * of a sign-in in progress (security.test.ts and two-factor-setup.test.ts walk them).
 */
const NOT_PAGES = [
  "_app.tsx",
  "_app.patients.$patientId.tsx",
  "_app.shell.tsx",
  "_app.patients.emergency-access.tsx",
  "admin.audit.export[.]csv.tsx",
  "reports.$reportId[.]csv.tsx",
  "billing.claims.$batchId.download.tsx",
  "calendar.$token.tsx",
  "patients.search.tsx",
  "healthz.tsx",
  "readyz.tsx",
  "logout.tsx",
  "site.tsx",
  "login_.two-factor.tsx",
  "login_.two-factor-setup.tsx",
];

const SCHEMES = ["light", "dark"] as const;
const WIDTHS = [1366, 820] as const;
type Role = "admin" | "counselor" | "staff" | "billing";
const EMAILS: Record<Role, string> = { admin: ADMIN, counselor: COUNSELOR, staff: STAFF, billing: BILLING };

let browser: Browser;
const cookies = {} as Record<Role, string>;
const ids: Record<string, string> = {};
const reportPaths: string[] = [];

const get = async (path: string, cookie: string) => (await fetch(`${baseUrl}${path}`, { headers: { Cookie: cookie }, redirect: "manual" })).text();
const firstId = (html: string, pattern: RegExp, what: string) => {
  const found = pattern.exec(html)?.[1];
  if (!found) throw new Error(`no ${what} in the demo clinic`);
  return found;
};

beforeAll(async () => {
  browser = await launchBrowser();
  for (const role of ["counselor", "staff", "billing"] as const) cookies[role] = await signInCookie(baseUrl, EMAILS[role]);
  // The admin's session is made with its second factor done: once another file has turned on the
  // demo admin's two-factor sign-in (security.test.ts does), a password-only session of theirs opens
  // nothing but the two-factor page, and which file runs first is vitest's choice.
  const adminDb = createDb(inject("databaseUrl"));
  try {
    const adminId = (await adminDb.selectFrom("users").select("id").where("email", "=", ADMIN).executeTakeFirstOrThrow()).id;
    // The demo clinic's own site (its first), should a test have given the admin another.
    const siteId = (
      await adminDb
        .selectFrom("user_sites as us")
        .innerJoin("sites as s", "s.id", "us.site_id")
        .select("us.site_id")
        .where("us.user_id", "=", adminId)
        .orderBy("s.created_at")
        .executeTakeFirstOrThrow()
    ).site_id;
    cookies.admin = await mintSessionCookie(adminDb, adminId, siteId);
  } finally {
    await adminDb.destroy();
  }
  const admin = cookies.admin;
  ids.userId = firstId(await get("/admin/users?q=marcus", admin), /\/admin\/users\/([0-9a-f-]{36})/, "user");
  const program = await get("/admin/program", admin);
  ids.trackId = firstId(program, /\/admin\/program\/tracks\/([0-9a-f-]{36})/, "track");
  ids.roomId = firstId(program, /\/admin\/program\/rooms\/([0-9a-f-]{36})/, "room");
  ids.seriesId = firstId(program, /\/admin\/program\/groups\/([0-9a-f-]{36})/, "group");
  ids.siteId = firstId(await get("/admin/sites", admin), /\/admin\/sites\/([0-9a-f-]{36})/, "site");
  ids.payerId = firstId(await get("/admin/payers", admin), /\/admin\/payers\/([0-9a-f-]{36})/, "payer");
  ids.sessionId = firstId(await get("/schedule", admin), /\/schedule\/sessions\/([0-9a-f-]{36})/, "session");
  // The oldest of the recent draws (a past demo day, every selected patient collected) and one of its tests.
  const draws = [...(await get("/drug-tests", admin)).matchAll(/\/drug-tests\/draws\/([0-9a-f-]{36})/g)];
  if (!draws.length) throw new Error("no draw in the demo clinic");
  ids.drawId = draws[draws.length - 1][1];
  ids.testId = firstId(await get(`/drug-tests/draws/${ids.drawId}`, admin), /\/drug-tests\/([0-9a-f-]{36})"/, "drug test");
  // A patient on MAT (so the chart's MAT tab has something in it) who has a disclosure on file.
  const onMat = [...(await get("/patients?status=active&flag=mat&counselor=all", admin)).matchAll(/\/patients\/([0-9a-f-]{36})/g)].map((m) => m[1]);
  for (const id of new Set(onMat)) {
    const disclosure = /\/disclosures\/([0-9a-f-]{36})/.exec(await get(`/patients/${id}/disclosures`, admin));
    if (disclosure) {
      ids.patientId = id;
      ids.disclosureId = disclosure[1];
      break;
    }
  }
  if (!ids.patientId) throw new Error("no patient on MAT with a disclosure in the demo clinic");
  // A signed note (the demo's, or one written now) and the patient whose chart holds it.
  const db = createDb(inject("databaseUrl"));
  try {
    const note = await ensureSignedNote(db);
    ids.noteId = note.noteId;
    ids.notePatientId = note.patientId;
    ids.remittanceId = (await ensureClaims(db)).remittanceId;
    ids.claimId = (await db.selectFrom("claims").select("id").orderBy("created_at").limit(1).executeTakeFirstOrThrow()).id;
  } finally {
    await db.destroy();
  }
  for (const [, id] of (await get("/reports", admin)).matchAll(/href="\/reports\/([a-z0-9-]+)"/g)) reportPaths.push(`/reports/${id}`);
  expect(reportPaths.length).toBeGreaterThan(3);
  for (const paths of Object.values(PAGES)) if (paths.length) darkPaths.add(fill(paths[0]));
  darkPaths.add(reportPaths[0]);
  // Every route module that renders a page is still loaded, and scanned, in dark.
  expect(darkPaths.size).toBe(Object.values(PAGES).filter((paths) => paths.length).length + 1);
}, 60_000);

afterAll(() => browser?.close());

const fill = (path: string) => path.replace(/:(\w+)/g, (_, name: string) => ids[name]);

/**
 * The paths loaded in dark: one per route module (its first), and one report. A scheme changes the
 * colours a module's components are drawn in, not which components it draws; the other paths of a
 * module (the other reports, a filtered list, a second print range) are loaded in light only. This
 * keeps the sweep's cost (most of it browser work: loading and axe) inside CI's budget.
 */
const darkPaths = new Set<string>();

/** The pages `role` may open: those its session gets a 200 for (route-access.test.ts proves who may open what). */
async function pagesFor(role: Role): Promise<string[]> {
  const all = [...Object.values(PAGES).flat(), ...reportPaths].filter((p) => p !== "/login").map(fill);
  // A few at a time: some 80 pages asked of the one test server in a single burst, on a machine
  // busy with the other suites, had some answered with errors (so fewer pages counted and swept).
  const open: string[] = [];
  for (let i = 0; i < all.length; i += 4) {
    const batch = all.slice(i, i + 4);
    const statuses = await Promise.all(
      batch.map(async (path) => (await fetch(`${baseUrl}${path}`, { headers: { Cookie: cookies[role] }, redirect: "manual" })).status),
    );
    batch.forEach((path, j) => statuses[j] === 200 && open.push(path));
  }
  return open;
}

/** Console errors and page errors logged on `page` since the last call. */
function errorLog(page: Page) {
  let errors: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(`console: ${m.text().slice(0, 300)}${m.location().url ? ` (${m.location().url})` : ""}`);
  });
  page.on("pageerror", (e) => errors.push(`page error: ${e.message.slice(0, 300)}`));
  return () => {
    const taken = errors;
    errors = [];
    return taken;
  };
}

/** Until the browser has painted twice: layout and media-query listeners have run after a resize. */
const settled = (page: Page) => page.evaluate(() => new Promise<void>((done) => requestAnimationFrame(() => requestAnimationFrame(() => done()))));

/**
 * Opens each path in each scheme, at laptop width, then narrows the same page to tablet width;
 * returns what went wrong, by page. Its own context, so no other visitor's scheme cookie can
 * change what this one loads. The server cannot know the width, so a fresh load at 820 px renders
 * and hydrates the same HTML as at 1366 px; what differs is what media queries change after
 * hydration, and narrowing the loaded page runs exactly that.
 */
async function visitAll(cookie: string | null, paths: string[], firstHere = new Set(paths)): Promise<Record<string, string[]>> {
  const failures: Record<string, string[]> = {};
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
  if (cookie) {
    const [name, value] = cookie.split("=");
    await context.addCookies([{ name, value, url: baseUrl }]);
  }
  const page = await context.newPage();
  const take = errorLog(page);
  const report = (where: string, problems: string[]) => {
    if (!problems.length) return;
    failures[where] = problems;
    // Also said at once, so a run cut short still tells what it found.
    console.warn(`${where}:\n  ${problems.join("\n  ")}`);
  };
  for (const scheme of SCHEMES) {
    await context.addCookies([{ name: "iop_color_scheme", value: scheme, url: baseUrl }]);
    // Light: every path this role opens. Dark: the paths no earlier role opened, one per route module.
    for (const path of paths.filter((p) => scheme === "light" || (firstHere.has(p) && darkPaths.has(p)))) {
      for (const width of WIDTHS) {
        const where = `${scheme} ${width}px ${path}`;
        try {
          if (width === WIDTHS[0]) {
            await page.setViewportSize({ width, height: 900 });
            await page.goto(`${baseUrl}${path}`);
            await hydrated(page);
          } else {
            await page.setViewportSize({ width, height: 900 });
            await settled(page);
          }
          const problems = [];
          const shown = await page.evaluate(() => document.documentElement.dataset.mantineColorScheme);
          if (shown !== scheme) problems.push(`rendered in ${shown}`);
          // axe reads colours, so each scheme is scanned, at one width each (its layout rules
          // differ little between the two): light at laptop with every rule, dark at tablet with
          // the rules a scheme decides (contrast, links told apart by colour). Every dark path was
          // scanned whole in light by this visitor: its markup, names and roles are the same in
          // both schemes. Console and page errors are checked in all four.
          if ((scheme === "light") === (width === 1366) && firstHere.has(path))
            problems.push(...(await seriousViolations(page, scheme === "dark" ? COLOUR_RULES : undefined)));
          problems.push(...take());
          report(where, problems);
        } catch (e) {
          report(where, [String(e).slice(0, 300), ...take()]);
        }
      }
    }
  }
  await context.close();
  return failures;
}

describe("every page, both schemes, laptop and tablet", () => {
  it("lists every route module that renders a page", () => {
    const files = readdirSync("app/routes").sort();
    expect(files).toEqual([...Object.keys(PAGES), ...NOT_PAGES].sort());
  });

  it("logs no console or page error and has no serious accessibility violation, for every role", async () => {
    const visits = {} as Record<Role, string[]>;
    for (const role of Object.keys(EMAILS) as Role[]) visits[role] = await pagesFor(role);
    // Enough of each role's pages opened that a broken id or session cannot empty the run.
    expect(visits.admin.length).toBeGreaterThan(45);
    expect(visits.counselor.length).toBeGreaterThan(30);
    expect(visits.staff.length).toBeGreaterThan(12);
    expect(visits.billing.length).toBeGreaterThan(7);

    // Admin's list is the longest: split it over two visitors so the roles finish together.
    const half = Math.ceil(visits.admin.length / 2);
    // A path several roles open is loaded in dark, and scanned by axe, only as the first role that
    // opens it (admin, who reads the most, then counselor, then staff): a scheme changes how a page
    // is drawn, not what a role may read. Every role's every page is still loaded in light at both
    // widths, with its console and page errors checked.
    const notAdmin = (path: string) => !visits.admin.includes(path);
    const results = await Promise.all([
      visitAll(null, ["/login"]),
      visitAll(cookies.admin, visits.admin.slice(0, half)),
      visitAll(cookies.admin, visits.admin.slice(half)),
      visitAll(cookies.counselor, visits.counselor, new Set(visits.counselor.filter(notAdmin))),
      visitAll(cookies.staff, visits.staff, new Set(visits.staff.filter((p) => notAdmin(p) && !visits.counselor.includes(p)))),
      // Billing's Home and chart overview are its own (days attended, claim details), so every one of its pages is scanned.
      visitAll(cookies.billing, visits.billing),
    ]);
    const failures: Record<string, string[]> = {};
    const roles = ["signed out", "admin", "admin", "counselor", "staff", "billing"];
    results.forEach((r, i) => {
      for (const [where, problems] of Object.entries(r)) failures[`${roles[i]}: ${where}`] = problems;
    });
    expect(failures).toEqual({});
  }, 1_500_000);
});

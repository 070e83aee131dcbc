/**
 * Every role against every route and every action, and signed out, over plain HTTP against the
 * production server: the permission matrix in app/features/auth/permissions.ts is exactly what
 * each route's page (GET) and form action (POST) enforce. The expected answers come from
 * EXPECTED_GRANTS below, copied by hand from the README's matrix, never from the code under test.
 */
import { readdirSync } from "node:fs";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { createDb } from "../../db/database";
import type { Permission, Role } from "~/features/auth/permissions";
import { ADMIN, BILLING, COUNSELOR, STAFF } from "./helpers";
import { signInCookie } from "../support/server";
import { ensureSignedNote } from "./notes-support";
import { ensureClaims } from "./claims-support";

const baseUrl = inject("baseUrl");

/**
 * Each route module, the path that reaches it, the permission its page must demand (null: public;
 * "emergency": signed in and named for emergency access) and, where it has a form action, the
 * permission the action demands ("signed-in": any role; "any-report": a role that may open at least
 * one report, by "read:reports" or by "bill:claims" for billing's own).
 */
type Gate = Permission | "signed-in" | "emergency" | "any-report";
const ROUTES: { file: string; path: string; permission: Gate | null; action?: Gate }[] = [
  { file: "_app._index.tsx", path: "/", permission: "read:home" },
  { file: "_app.account._index.tsx", path: "/account", permission: "update:own-account", action: "update:own-account" },
  { file: "_app.account.two-factor.tsx", path: "/account/two-factor", permission: "update:own-account", action: "update:own-account" },
  { file: "_app.admin.security.tsx", path: "/admin/security", permission: "manage:users", action: "manage:users" },
  { file: "_app.admin.emergency-access.tsx", path: "/admin/emergency-access", permission: "read:audit" },
  { file: "_app.patients.emergency-access.tsx", path: "/patients/emergency-access", permission: "emergency", action: "emergency" },
  { file: "login_.two-factor.tsx", path: "/login/two-factor", permission: null },
  { file: "login_.two-factor-setup.tsx", path: "/login/two-factor-setup", permission: null },
  { file: "_app.account.password.tsx", path: "/account/password", permission: "update:own-account", action: "update:own-account" },
  { file: "_app.admin.users._index.tsx", path: "/admin/users", permission: "manage:users" },
  { file: "_app.admin.users.new.tsx", path: "/admin/users/new", permission: "manage:users", action: "manage:users" },
  { file: "_app.admin.users.$userId.tsx", path: "/admin/users/:userId", permission: "manage:users", action: "manage:users" },
  { file: "_app.admin.audit._index.tsx", path: "/admin/audit", permission: "read:audit" },
  { file: "_app.admin.sites._index.tsx", path: "/admin/sites", permission: "manage:sites" },
  { file: "_app.admin.sites.new.tsx", path: "/admin/sites/new", permission: "manage:sites", action: "manage:sites" },
  { file: "_app.admin.sites.$siteId.tsx", path: "/admin/sites/:siteId", permission: "manage:sites", action: "manage:sites" },
  { file: "_app.admin.program._index.tsx", path: "/admin/program", permission: "manage:program", action: "manage:program" },
  { file: "_app.admin.program.groups.new.tsx", path: "/admin/program/groups/new", permission: "manage:program", action: "manage:program" },
  { file: "_app.schedule._index.tsx", path: "/schedule", permission: "read:schedule" },
  { file: "_app.schedule.today.tsx", path: "/schedule/today", permission: "read:schedule" },
  { file: "_app.schedule.mine.tsx", path: "/schedule/mine", permission: "book:sessions" },
  { file: "_app.schedule.book.tsx", path: "/schedule/book", permission: "book:sessions", action: "book:sessions" },
  { file: "_app.admin.program.groups.$seriesId.tsx", path: "/admin/program/groups/:seriesId", permission: "manage:program", action: "manage:program" },
  { file: "_app.patients.$patientId.schedule.tsx", path: "/patients/:patientId/schedule", permission: "read:patients", action: "write:patients" },
  { file: "_app.patients.$patientId.attendance.tsx", path: "/patients/:patientId/attendance", permission: "read:patients" },
  { file: "_app.schedule.sessions.$sessionId_.roll.tsx", path: "/schedule/sessions/:sessionId/roll", permission: "take:attendance", action: "take:attendance" },
  { file: "_app.schedule.sessions.$sessionId_.note.tsx", path: "/schedule/sessions/:sessionId/note", permission: "read:notes", action: "write:notes" },
  { file: "schedule.sessions.$sessionId.sign-in-sheet.tsx", path: "/schedule/sessions/:sessionId/sign-in-sheet", permission: "take:attendance" },
  { file: "_app.schedule.sessions.$sessionId.tsx", path: "/schedule/sessions/:sessionId", permission: "read:schedule", action: "book:sessions" },
  { file: "_app.drug-tests._index.tsx", path: "/drug-tests", permission: "record:drug-tests", action: "draw:drug-tests" },
  { file: "_app.drug-tests.new.tsx", path: "/drug-tests/new", permission: "record:drug-tests", action: "record:drug-tests" },
  { file: "_app.drug-tests.$testId.tsx", path: "/drug-tests/:testId", permission: "record:drug-tests", action: "record:drug-tests" },
  { file: "_app.drug-tests.draws.$drawId.tsx", path: "/drug-tests/draws/:drawId", permission: "record:drug-tests" },
  { file: "_app.drug-tests.panels.tsx", path: "/drug-tests/panels", permission: "manage:drug-panels", action: "manage:drug-panels" },
  {
    file: "_app.patients.$patientId.drug-tests.tsx",
    path: "/patients/:patientId/drug-tests",
    permission: "record:drug-tests",
    action: "acknowledge:drug-test-alerts",
  },
  { file: "_app.admin.program.tracks.$trackId.tsx", path: "/admin/program/tracks/:trackId", permission: "manage:program", action: "manage:program" },
  { file: "_app.admin.program.rooms.$roomId.tsx", path: "/admin/program/rooms/:roomId", permission: "manage:program", action: "manage:program" },
  { file: "admin.audit.export[.]csv.tsx", path: "/admin/audit/export.csv", permission: "export:audit" },
  { file: "_app.tsx", path: "/", permission: "read:home" },
  { file: "_app.shell.tsx", path: "/shell", permission: "read:home" },
  { file: "_app.patients._index.tsx", path: "/patients", permission: "read:patients" },
  { file: "_app.patients.new.tsx", path: "/patients/new", permission: "write:patients", action: "write:patients" },
  { file: "_app.patients.$patientId.tsx", path: "/patients/:patientId", permission: "read:patients" },
  { file: "_app.patients.$patientId._index.tsx", path: "/patients/:patientId", permission: "read:patients", action: "write:patients" },
  { file: "_app.patients.$patientId.edit.tsx", path: "/patients/:patientId/edit", permission: "write:patients", action: "write:patients" },
  { file: "_app.patients.$patientId.diagnoses.tsx", path: "/patients/:patientId/diagnoses", permission: "read:patient-clinical", action: "write:patients" },
  { file: "_app.patients.$patientId.mat.tsx", path: "/patients/:patientId/mat", permission: "read:patient-clinical", action: "write:patients" },
  { file: "_app.patients.$patientId.assessments.tsx", path: "/patients/:patientId/assessments", permission: "read:patient-clinical", action: "write:patients" },
  { file: "_app.admin.program.asam.tsx", path: "/admin/program/asam", permission: "manage:program", action: "manage:program" },
  { file: "_app.admin.program.measures.tsx", path: "/admin/program/measures", permission: "manage:program", action: "manage:program" },
  { file: "_app.admin.program.plans.tsx", path: "/admin/program/plans", permission: "manage:program", action: "manage:program" },
  { file: "_app.admin.program.notes.tsx", path: "/admin/program/notes", permission: "manage:program", action: "manage:program" },
  { file: "_app.admin.payers._index.tsx", path: "/admin/payers", permission: "manage:payers", action: "manage:payers" },
  { file: "_app.admin.payers.$payerId.tsx", path: "/admin/payers/:payerId", permission: "manage:payers", action: "manage:payers" },
  { file: "_app.billing.authorizations.tsx", path: "/billing/authorizations", permission: "read:coverage" },
  { file: "_app.patients.$patientId.coverage.tsx", path: "/patients/:patientId/coverage", permission: "read:coverage", action: "write:coverage" },
  { file: "_app.patients.$patientId.care.tsx", path: "/patients/:patientId/care", permission: "read:patient-clinical", action: "write:patients" },
  { file: "_app.patients.$patientId.discharge.tsx", path: "/patients/:patientId/discharge", permission: "read:patient-clinical", action: "write:patients" },
  { file: "_app.patients.$patientId.amendments.tsx", path: "/patients/:patientId/amendments", permission: "read:patient-clinical", action: "write:patients" },
  { file: "_app.patients.$patientId.history.tsx", path: "/patients/:patientId/history", permission: "read:patient-clinical" },
  { file: "_app.patients.$patientId.consents.tsx", path: "/patients/:patientId/consents", permission: "manage:consents" },
  { file: "_app.patients.$patientId.measures._index.tsx", path: "/patients/:patientId/measures", permission: "enter:measures", action: "write:patients" },
  {
    file: "_app.patients.$patientId.measures.$measure.tsx",
    path: "/patients/:patientId/measures/phq9",
    permission: "enter:measures",
    action: "enter:measures",
  },
  { file: "_app.patients.$patientId.plan._index.tsx", path: "/patients/:patientId/plan", permission: "read:patient-clinical", action: "write:patients" },
  { file: "_app.patients.$patientId.plan.edit.tsx", path: "/patients/:patientId/plan/edit", permission: "write:patients", action: "write:patients" },
  {
    file: "_app.patients.$patientId_.plan.acknowledge.tsx",
    path: "/patients/:patientId/plan/acknowledge",
    permission: "write:patients",
    action: "write:patients",
  },
  { file: "_app.patients.$patientId.disclosures.tsx", path: "/patients/:patientId/disclosures", permission: "disclose:records" },
  { file: "disclosures.$disclosureId.tsx", path: "/disclosures/:disclosureId", permission: "disclose:records" },
  { file: "patients.$patientId.accounting-of-disclosures.tsx", path: "/patients/:patientId/accounting-of-disclosures", permission: "disclose:records" },
  { file: "patients.search.tsx", path: "/patients/search?q=a", permission: "read:patients" },
  { file: "_app.patients.$patientId.notes._index.tsx", path: "/patients/:patientId/notes", permission: "read:notes", action: "write:notes" },
  { file: "_app.patients.$patientId.notes.$noteId.tsx", path: "/patients/:notePatientId/notes/:noteId", permission: "read:notes" },
  { file: "patients.$patientId.notes.print.tsx", path: "/patients/:notePatientId/notes/print?note=:noteId", permission: "read:notes" },
  { file: "_app.reports._index.tsx", path: "/reports", permission: "any-report" },
  { file: "_app.reports.$reportId.tsx", path: "/reports/caseload-sizes", permission: "read:reports" },
  { file: "reports.$reportId[.]csv.tsx", path: "/reports/caseload-sizes.csv", permission: "read:reports" },
  { file: "_app.billing.claims.tsx", path: "/billing/claims", permission: "bill:claims", action: "bill:claims" },
  { file: "_app.billing.remittances.$remittanceId.tsx", path: "/billing/remittances/:remittanceId", permission: "bill:claims" },
  { file: "_app.billing.claims_.$claimId.tsx", path: "/billing/claims/:claimId", permission: "bill:claims", action: "bill:claims" },
  { file: "billing.claims.$batchId.download.tsx", path: "/billing/claims/:batchId/download?format=837", permission: "bill:claims" },
  { file: "calendar.$token.tsx", path: "/calendar/:token", permission: null },
  { file: "login.tsx", path: "/login", permission: null },
  { file: "logout.tsx", path: "/logout", permission: null },
  { file: "site.tsx", path: "/site", permission: null, action: "signed-in" },
  { file: "_app.admin.fee-schedule.tsx", path: "/admin/fee-schedule", permission: "manage:payers", action: "manage:payers" },
  { file: "_app.billing.charges.tsx", path: "/billing/charges", permission: "bill:claims", action: "bill:claims" },
  { file: "healthz.tsx", path: "/healthz", permission: null },
  { file: "readyz.tsx", path: "/readyz", permission: null },
];

/**
 * Who may do what, written out from the README's "Roles and permissions" table (not read from
 * app/features/auth/permissions.ts): a grant added or dropped in the code fails the rows it touches.
 */
const EXPECTED_GRANTS: Record<Permission, readonly Role[]> = {
  "read:home": ["admin", "counselor", "staff", "billing"],
  "update:own-account": ["admin", "counselor", "staff", "billing"],
  "read:patients": ["admin", "counselor", "staff", "billing"],
  "read:patient-clinical": ["admin", "counselor"],
  "write:patients": ["admin", "counselor"],
  "read:schedule": ["admin", "counselor", "staff"],
  "book:sessions": ["admin", "counselor"],
  "take:attendance": ["admin", "counselor", "staff"],
  "read:reports": ["admin", "counselor"],
  "manage:program": ["admin"],
  "record:drug-tests": ["admin", "counselor", "staff"],
  "draw:drug-tests": ["admin", "staff"],
  "acknowledge:drug-test-alerts": ["admin", "counselor"],
  "manage:drug-panels": ["admin"],
  "manage:consents": ["admin", "counselor"],
  "disclose:records": ["admin", "counselor"],
  "manage:users": ["admin"],
  "manage:sites": ["admin"],
  "read:audit": ["admin"],
  "export:audit": ["admin"],
  "enter:measures": ["admin", "counselor", "staff"],
  "read:notes": ["admin", "counselor"],
  "write:notes": ["admin", "counselor"],
  "read:coverage": ["admin", "counselor", "billing"],
  "write:coverage": ["admin", "billing"],
  "manage:payers": ["admin"],
  "bill:claims": ["admin", "billing"],
};

const cookies: Partial<Record<Role, string>> = {};
let someUserId = "";
let somePatientId = "";
let someTrackId = "";
let someRoomId = "";
let someSessionId = "";
let someSeriesId = "";
let someTestId = "";
let someDrawId = "";
let someDisclosureId = "";
let someSiteId = "";
let somePayerId = "";
let someNote = { noteId: "", patientId: "" };
let someClaims = { batchId: "", remittanceId: "" };
let someClaimId = "";
const fill = (path: string) =>
  path
    .replace(":noteId", someNote.noteId)
    .replace(":notePatientId", someNote.patientId)
    .replace(":disclosureId", someDisclosureId)
    .replace(":batchId", someClaims.batchId)
    .replace(":remittanceId", someClaims.remittanceId)
    .replace(":claimId", someClaimId)
    .replace(":seriesId", someSeriesId)
    .replace(":userId", someUserId)
    .replace(":patientId", somePatientId)
    .replace(":trackId", someTrackId)
    .replace(":roomId", someRoomId)
    .replace(":sessionId", someSessionId)
    .replace(":testId", someTestId)
    .replace(":drawId", someDrawId)
    .replace(":siteId", someSiteId)
    .replace(":payerId", somePayerId);

beforeAll(async () => {
  cookies.admin = await signInCookie(baseUrl, ADMIN);
  cookies.counselor = await signInCookie(baseUrl, COUNSELOR);
  cookies.staff = await signInCookie(baseUrl, STAFF);
  cookies.billing = await signInCookie(baseUrl, BILLING);
  const html = await (await fetch(`${baseUrl}/admin/users?q=marcus`, { headers: { Cookie: cookies.admin } })).text();
  someUserId = /\/admin\/users\/([0-9a-f-]{36})/.exec(html)![1];
  const sitesPage = await (await fetch(`${baseUrl}/admin/sites`, { headers: { Cookie: cookies.admin } })).text();
  someSiteId = /\/admin\/sites\/([0-9a-f-]{36})/.exec(sitesPage)![1];
  const payersPage = await (await fetch(`${baseUrl}/admin/payers`, { headers: { Cookie: cookies.admin } })).text();
  somePayerId = /\/admin\/payers\/([0-9a-f-]{36})/.exec(payersPage)![1];
  const patients = await (await fetch(`${baseUrl}/patients?status=all`, { headers: { Cookie: cookies.admin } })).text();
  somePatientId = /\/patients\/([0-9a-f-]{36})/.exec(patients)![1];
  const program = await (await fetch(`${baseUrl}/admin/program`, { headers: { Cookie: cookies.admin } })).text();
  someTrackId = /\/admin\/program\/tracks\/([0-9a-f-]{36})/.exec(program)![1];
  someRoomId = /\/admin\/program\/rooms\/([0-9a-f-]{36})/.exec(program)![1];
  someSeriesId = /\/admin\/program\/groups\/([0-9a-f-]{36})/.exec(program)![1];
  const week = await (await fetch(`${baseUrl}/schedule`, { headers: { Cookie: cookies.admin } })).text();
  someSessionId = /\/schedule\/sessions\/([0-9a-f-]{36})/.exec(week)![1];
  const drugTests = await (await fetch(`${baseUrl}/drug-tests`, { headers: { Cookie: cookies.admin } })).text();
  // The oldest of the recent draws: a past demo day, whose selected patients all have a collection.
  someDrawId = [...drugTests.matchAll(/\/drug-tests\/draws\/([0-9a-f-]{36})/g)].pop()![1];
  const draw = await (await fetch(`${baseUrl}/drug-tests/draws/${someDrawId}`, { headers: { Cookie: cookies.admin } })).text();
  someTestId = /\/drug-tests\/([0-9a-f-]{36})"/.exec(draw)![1];
  // A demo disclosure: most patients in the program have one (their insurer's or their probation officer's).
  for (const [, id] of patients.matchAll(/\/patients\/([0-9a-f-]{36})/g)) {
    const tab = await (await fetch(`${baseUrl}/patients/${id}/disclosures`, { headers: { Cookie: cookies.admin } })).text();
    const found = /\/disclosures\/([0-9a-f-]{36})/.exec(tab);
    if (found) {
      someDisclosureId = found[1];
      break;
    }
  }
  expect(someDisclosureId).not.toBe("");
  // A signed note (the demo's, or one written now) for the note pages.
  const db = createDb(inject("databaseUrl"));
  try {
    someNote = await ensureSignedNote(db);
    someClaims = await ensureClaims(db);
    someClaimId = (await db.selectFrom("claims").select("id").where("batch_id", "=", someClaims.batchId).executeTakeFirstOrThrow()).id;
  } finally {
    await db.destroy();
  }
});

describe("route access", () => {
  it("covers every route module in app/routes", () => {
    const files = readdirSync("app/routes").sort();
    expect(files).toEqual(ROUTES.map((r) => r.file).sort());
  });

  const protectedRoutes = ROUTES.filter((r) => r.permission && !["_app.tsx", "_app.patients.$patientId.tsx"].includes(r.file));
  /** None of the demo accounts is named for emergency access, so "emergency" refuses every role here. */
  const allows = (role: Role, gate: Gate) =>
    gate === "signed-in"
      ? true
      : gate === "emergency"
        ? false
        : gate === "any-report"
          ? EXPECTED_GRANTS["read:reports"].includes(role) || EXPECTED_GRANTS["bill:claims"].includes(role)
          : EXPECTED_GRANTS[gate].includes(role);
  for (const role of ["admin", "counselor", "staff", "billing"] as Role[]) {
    for (const route of protectedRoutes) {
      const allowed = allows(role, route.permission!);
      it(`${role} ${allowed ? "may open" : "is refused"} ${route.path}`, async () => {
        const res = await fetch(`${baseUrl}${fill(route.path)}`, {
          headers: { Cookie: cookies[role]! },
          redirect: "manual",
        });
        expect(res.status).toBe(allowed ? 200 : 403);
      });
    }
  }

  // Every form action, with a body that names no real intent: a role without the permission gets
  // the 403 before anything is read; a role with it gets past the gate to a 4xx about the input
  // (or a redirect), never a 403 and never a 5xx.
  const actionRoutes = ROUTES.filter((r) => r.action);
  for (const role of ["admin", "counselor", "staff", "billing"] as Role[]) {
    for (const route of actionRoutes) {
      const allowed = allows(role, route.action!);
      it(`${role} ${allowed ? "gets past" : "is refused at"} the action of ${route.path}`, async () => {
        // An index route's action is reached with ?index (the layout at the same path has none).
        const res = await fetch(`${baseUrl}${fill(route.path)}${route.file.endsWith("._index.tsx") ? "?index" : ""}`, {
          method: "POST",
          headers: { Cookie: cookies[role]!, Origin: baseUrl, "Content-Type": "application/x-www-form-urlencoded" },
          body: new URLSearchParams({ intent: "no-such-intent" }),
          redirect: "manual",
        });
        if (allowed) {
          expect(res.status, `${role} POST ${route.path}`).not.toBe(403);
          expect(res.status, `${role} POST ${route.path}`).toBeLessThan(500);
        } else {
          expect(res.status, `${role} POST ${route.path}`).toBe(403);
        }
      });
    }
  }

  it("sends anyone without a session who posts to an action to sign in, and writes nothing", async () => {
    for (const route of [...actionRoutes, ROUTES.find((r) => r.file === "logout.tsx")!]) {
      const res = await fetch(`${baseUrl}${fill(route.path)}`, {
        method: "POST",
        headers: { Origin: baseUrl, "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ intent: "no-such-intent" }),
        redirect: "manual",
      });
      expect(res.status, route.path).toBe(302);
      expect(res.headers.get("location"), route.path).toContain("/login");
    }
  });

  it("a calendar address that was never made gets a 404, not a sign-in page", async () => {
    const res = await fetch(`${baseUrl}/calendar/01900000-0000-7000-8000-000000000000.${"A".repeat(43)}.ics`, { redirect: "manual" });
    expect(res.status).toBe(404);
  });

  it("sends anyone without a session to sign in, remembering where they were going", async () => {
    for (const route of protectedRoutes) {
      const res = await fetch(`${baseUrl}${fill(route.path)}`, { redirect: "manual" });
      expect(res.status, route.path).toBe(302);
      expect(res.headers.get("location")).toContain("/login?redirectTo=");
    }
  });

  it("treats a forged session cookie as no session at all", async () => {
    const [, value] = cookies.admin!.split("=");
    const [id] = value.split(".");
    for (const forged of [`${id}.${"a".repeat(32)}`, "garbage", `${id}`, `${"b".repeat(32)}.${"c".repeat(32)}`]) {
      const res = await fetch(`${baseUrl}/admin/users`, { headers: { Cookie: `iop_session=${forged}` }, redirect: "manual" });
      expect(res.status).toBe(302);
      expect(res.headers.get("location")).toContain("/login");
    }
  });

  it("refuses a cross-site POST, even with a valid session", async () => {
    const res = await fetch(`${baseUrl}/admin/users/new`, {
      method: "POST",
      redirect: "manual",
      headers: { Cookie: cookies.admin!, Origin: "https://evil.example", "Sec-Fetch-Site": "cross-site", "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ name: "Mallory", email: "mallory@evil.example", role: "admin", siteIds: "x", temporaryPassword: "whatever-long-enough-1" }),
    });
    expect(res.status).toBe(403);
    const check = await fetch(`${baseUrl}/admin/users?q=mallory`, { headers: { Cookie: cookies.admin! } });
    expect(await check.text()).not.toContain("mallory@evil.example");
  });

  it("refuses a crafted role with a clear message and writes nothing", async () => {
    const res = await fetch(`${baseUrl}/admin/users/new`, {
      method: "POST",
      redirect: "manual",
      headers: { Cookie: cookies.admin!, Origin: baseUrl, "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        name: "Crafted",
        email: "crafted@harborlight.example",
        role: "superuser",
        siteIds: "nope",
        temporaryPassword: "maple-lantern-orbit-48",
      }),
    });
    expect(res.status).toBe(400);
    const check = await fetch(`${baseUrl}/admin/users?q=crafted`, { headers: { Cookie: cookies.admin! } });
    expect(await check.text()).toContain("No one matches that search.");
  });

  it("refuses a staff user's crafted clinical write, and writes nothing", async () => {
    const changes = async () => {
      const csv = await (await fetch(`${baseUrl}/admin/audit/export.csv?patient=${somePatientId}`, { headers: { Cookie: cookies.admin! } })).text();
      return csv.split("\r\n").filter((l) => /,(diagnosis|patient\.(updated|discharged|enrolled))/.test(l)).length;
    };
    const before = await changes();
    for (const [path, body] of [
      [`/patients/${somePatientId}/diagnoses`, { intent: "add", code: "F10.20", description: "Alcohol dependence, uncomplicated" }],
      [`/patients/${somePatientId}/edit`, { version: "1", legalFirstName: "Changed" }],
      [`/patients/${somePatientId}/discharge`, { intent: "discharge", version: "1", dischargedOn: "2026-01-01", reason: "completed", nextLevelOfCare: "OP" }],
      ["/patients/new", { legalFirstName: "Crafted", legalLastName: "Patient" }],
    ] as const) {
      const res = await fetch(`${baseUrl}${path}`, {
        method: "POST",
        redirect: "manual",
        headers: { Cookie: cookies.staff!, Origin: baseUrl, "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams(body as Record<string, string>),
      });
      expect(res.status, path).toBe(403);
    }
    expect(before).toBeGreaterThan(0);
    expect(await changes()).toBe(before);
  });

  it("sends security headers on signed-in pages", async () => {
    const res = await fetch(`${baseUrl}/admin/users`, { headers: { Cookie: cookies.admin! } });
    const csp = res.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toMatch(/script-src 'self' 'nonce-[^']+'/);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(res.headers.get("referrer-policy")).toBe("same-origin");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
  });

  it("exports the audit log as CSV with the Part 2 notice first, and audits the export", async () => {
    const res = await fetch(`${baseUrl}/admin/audit/export.csv?action=auth.sign_in`, { headers: { Cookie: cookies.admin! } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/csv");
    const text = await res.text();
    expect(text.split("\r\n")[0]).toBe("42 CFR part 2 prohibits unauthorized use or disclosure of these records.");
    expect(text).toContain("seq,id,occurred_at_utc,user_id");
    expect(text).toContain("auth.sign_in");
    const log = await fetch(`${baseUrl}/admin/audit?action=audit.exported`, { headers: { Cookie: cookies.admin! } });
    expect(await log.text()).toContain("audit.exported");
  });
});

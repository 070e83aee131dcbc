/**
 * Every role against every route, over plain HTTP against the production server: the
 * permission matrix in app/features/auth/permissions.ts is what each route enforces.
 */
import { readdirSync } from "node:fs";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { can, type Permission, type Role } from "~/features/auth/permissions";
import { ADMIN, COUNSELOR, DEMO_PASSWORD, STAFF } from "./helpers";

const baseUrl = inject("baseUrl");

/** Each route module, the path that reaches it, and the permission it must demand (null: public). */
const ROUTES: { file: string; path: string; permission: Permission | null }[] = [
  { file: "_app._index.tsx", path: "/", permission: "read:home" },
  { file: "_app.account._index.tsx", path: "/account", permission: "update:own-account" },
  { file: "_app.account.password.tsx", path: "/account/password", permission: "update:own-account" },
  { file: "_app.admin.users._index.tsx", path: "/admin/users", permission: "manage:users" },
  { file: "_app.admin.users.new.tsx", path: "/admin/users/new", permission: "manage:users" },
  { file: "_app.admin.users.$userId.tsx", path: "/admin/users/:userId", permission: "manage:users" },
  { file: "_app.admin.audit._index.tsx", path: "/admin/audit", permission: "read:audit" },
  { file: "admin.audit.export[.]csv.tsx", path: "/admin/audit/export.csv", permission: "export:audit" },
  { file: "_app.tsx", path: "/", permission: "read:home" },
  { file: "login.tsx", path: "/login", permission: null },
  { file: "logout.tsx", path: "/logout", permission: null },
  { file: "site.tsx", path: "/site", permission: null },
  { file: "healthz.tsx", path: "/healthz", permission: null },
  { file: "readyz.tsx", path: "/readyz", permission: null },
];

const cookies: Partial<Record<Role, string>> = {};
let someUserId = "";

async function signInCookie(email: string): Promise<string> {
  const res = await fetch(`${baseUrl}/login`, {
    method: "POST",
    redirect: "manual",
    headers: { Origin: baseUrl, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ email, password: DEMO_PASSWORD, redirectTo: "/" }),
  });
  expect(res.status).toBe(302);
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith("iop_session="));
  expect(cookie).toBeTruthy();
  return cookie!.split(";")[0];
}

beforeAll(async () => {
  cookies.admin = await signInCookie(ADMIN);
  cookies.counselor = await signInCookie(COUNSELOR);
  cookies.staff = await signInCookie(STAFF);
  const html = await (await fetch(`${baseUrl}/admin/users?q=marcus`, { headers: { Cookie: cookies.admin } })).text();
  someUserId = /\/admin\/users\/([0-9a-f-]{36})/.exec(html)![1];
});

describe("route access", () => {
  it("covers every route module in app/routes", () => {
    const files = readdirSync("app/routes").sort();
    expect(files).toEqual(ROUTES.map((r) => r.file).sort());
  });

  const protectedRoutes = ROUTES.filter((r) => r.permission && r.file !== "_app.tsx");
  for (const role of ["admin", "counselor", "staff"] as Role[]) {
    for (const route of protectedRoutes) {
      const allowed = can(role, route.permission!);
      it(`${role} ${allowed ? "may open" : "is refused"} ${route.path}`, async () => {
        const res = await fetch(`${baseUrl}${route.path.replace(":userId", someUserId)}`, {
          headers: { Cookie: cookies[role]! },
          redirect: "manual",
        });
        expect(res.status).toBe(allowed ? 200 : 403);
      });
    }
  }

  it("sends anyone without a session to sign in, remembering where they were going", async () => {
    for (const route of protectedRoutes) {
      const res = await fetch(`${baseUrl}${route.path.replace(":userId", someUserId)}`, { redirect: "manual" });
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
      body: new URLSearchParams({ name: "Crafted", email: "crafted@harborlight.example", role: "superuser", siteIds: "nope", temporaryPassword: "maple-lantern-orbit-48" }),
    });
    expect(res.status).toBe(400);
    const check = await fetch(`${baseUrl}/admin/users?q=crafted`, { headers: { Cookie: cookies.admin! } });
    expect(await check.text()).toContain("No one matches that search.");
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

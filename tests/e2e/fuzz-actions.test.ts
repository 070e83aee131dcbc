/**
 * Fuzzed input: every route action in the build (enumerated from the build itself, so a new route
 * cannot be missed) receives generated invalid and hostile payloads: wrong types, huge strings,
 * unicode edge cases, missing, repeated and extra fields, SQL and HTML metacharacters, broken
 * encodings and hostile route parameters. Every answer must be a 4xx with a message (never a 5xx,
 * never a success), and no row may change.
 *
 * The built request handler runs in this process (much faster than HTTP). FUZZ_RUNS sets the
 * payloads per action (50 by default, about a minute in CI); FUZZ_SEED replays a run, e.g. a nightly
 * `FUZZ_RUNS=2000 npx vitest run --project e2e tests/e2e/fuzz-actions.test.ts`.
 */
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { ServerBuild } from "@remix-run/node";
import SQLite from "better-sqlite3";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb } from "../../db/database";
import { mintSessionCookie, requireBuild } from "../support/server";
import { seededSqliteFile } from "../support/templates";

const RUNS = Number(process.env.FUZZ_RUNS ?? 50);
const SEED = Number(process.env.FUZZ_SEED ?? 9_2026);
const ORIGIN = "http://localhost";
// Rows that legitimately change when a request is refused: the refusal's own audit record, the
// session's activity time, and failed sign-ins counted for throttling.
const CHANGING_ON_REFUSAL = new Set(["audit_events", "audit_chain_head", "user_sessions", "sign_in_throttle"]);
// Actions that succeed by design whatever they are sent: signing out ends the test's own session.
const NOT_FUZZED = new Set(["routes/logout"]);
// Intents that are a whole, valid request on their own (a button with nothing to fill in): with
// them any payload is a valid one, so they are never put first.
const COMPLETE_INTENTS = new Set(["sign-out-everywhere", "create-calendar", "revoke-calendar"]);

interface ActionRoute {
  id: string;
  /** Path pattern with `:param` segments, e.g. /patients/:patientId/care */
  pattern: string;
  index: boolean;
  fields: string[];
  intents: string[];
}

function fullPath(routes: ServerBuild["routes"], id: string): string {
  const parts: string[] = [];
  for (let r = routes[id]; r; r = r.parentId ? routes[r.parentId] : (undefined as never)) if (r.path) parts.unshift(r.path);
  return `/${parts.join("/")}`.replace(/\/+/g, "/");
}

/** Field names and intent values a route's source mentions: what its form and action read. */
function vocabulary(routeId: string): { fields: string[]; intents: string[] } {
  const file = readdirSync("app/routes").find((f) => `routes/${f.replace(/\.tsx?$/, "")}` === routeId);
  const src = file ? readFileSync(join("app/routes", file), "utf8") : "";
  const fields = new Set<string>();
  for (const m of src.matchAll(/name=["{]?["'`]?([A-Za-z][\w.]*)/g)) fields.add(m[1]);
  for (const m of src.matchAll(/fields\.(\w+)/g)) fields.add(m[1]);
  for (const m of src.matchAll(/form(?:Data)?\.get(?:All)?\(["'`]([\w.]+)/g)) fields.add(m[1]);
  const intents = new Set<string>();
  for (const m of src.matchAll(/intent["']?\s*(?:===|==|:|value=)\s*["'`]([\w-]+)/g)) intents.add(m[1]);
  for (const m of src.matchAll(/case\s+["']([\w-]+)["']/g)) intents.add(m[1]);
  for (const m of src.matchAll(/value=["']([a-z][\w-]+)["']/g)) intents.add(m[1]);
  return { fields: [...fields], intents: [...intents].filter((i) => !COMPLETE_INTENTS.has(i)) };
}

const SCHEMA_FIELDS = (() => {
  const names = new Set<string>();
  for (const dir of readdirSync("app/features")) {
    let src = "";
    try {
      src = readFileSync(join("app/features", dir, "schemas.ts"), "utf8");
    } catch {
      continue;
    }
    for (const m of src.matchAll(/^\s+(\w+):\s/gm)) names.add(m[1]);
  }
  return [...names];
})();

const HOSTILE = [
  "",
  " ",
  "\u0000",
  "\t\n\r",
  "null",
  "undefined",
  "true",
  "[]",
  "{}",
  "[object Object]",
  "-1",
  "0",
  "1e309",
  "-0",
  "NaN",
  "Infinity",
  "0x1F",
  "9007199254740993",
  "1.5",
  "٣",
  "１２",
  "2026-02-30",
  "0000-00-00",
  "9999-12-31",
  "2026-13-01",
  "1900-01-01T25:61",
  "24:00",
  "99:99",
  "' OR '1'='1",
  "'; DROP TABLE patients; --",
  '" OR 1=1 --',
  "%' AND 1=1 --",
  "1; SELECT pg_sleep(5)",
  "<script>alert(1)</script>",
  "<img src=x onerror=alert(1)>",
  "javascript:alert(1)",
  "{{7*7}}",
  "${7*7}",
  "../../../../etc/passwd",
  "%2e%2e%2f",
  "\\\\server\\share",
  "CON",
  "a\u202Eb",
  "\u200B",
  "\uFEFF",
  "\uD800",
  "\uDFFF",
  "𝓙𝓪𝓷𝓮",
  "👩‍⚕️💊",
  "Zalgơ̸̢̪̳͎",
  "Ǆž",
  "İı",
  "ß",
  "\u0301",
  "e\u0301",
  "اسم",
  "名前",
  "x".repeat(10_000),
  "é".repeat(70_000),
  "0".repeat(5000),
];

const hostileValue = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom(...HOSTILE) },
  { weight: 2, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: "binary", maxLength: 40 }) },
  { weight: 1, arbitrary: fc.integer().map(String) },
  { weight: 1, arbitrary: fc.double().map(String) },
  { weight: 1, arbitrary: fc.string({ unit: "binary", minLength: 1000, maxLength: 3000 }) },
);

function payload(route: ActionRoute, params: string[]) {
  const key = fc.oneof(
    { weight: 6, arbitrary: route.fields.length ? fc.constantFrom(...route.fields) : fc.constant("x") },
    { weight: 2, arbitrary: fc.constantFrom(...SCHEMA_FIELDS) },
    { weight: 1, arbitrary: fc.string({ maxLength: 20 }) },
    { weight: 1, arbitrary: fc.constantFrom("__proto__", "constructor", "status.__proto__", "a[0]", "a.b.c", "intent", "version", "$ACTION_ID_x") },
  );
  const intent = route.intents.length ? fc.option(fc.constantFrom(...route.intents), { nil: undefined, freq: 4 }) : fc.constant(undefined);
  return fc.record({
    entries: fc.array(fc.tuple(key, hostileValue), { maxLength: 10 }),
    intent,
    encoding: fc.constantFrom("urlencoded", "urlencoded", "urlencoded", "multipart", "json", "garbage", "none"),
    data: fc.boolean(),
    param: fc.oneof(
      { weight: 4, arbitrary: fc.constant(undefined) },
      {
        weight: 1,
        arbitrary: fc.constantFrom(
          ...HOSTILE.filter((h) => h.length < 200 && h.trim() && !h.includes("/") && !h.includes("%") && !h.includes("\\") && !/[\uD800-\uDFFF]/.test(h)),
        ),
      },
    ),
    paramIndex: fc.nat({ max: Math.max(0, params.length - 1) }),
    user: fc.constantFrom("admin", "counselor", "staff"),
  });
}

describe("fuzzed input against every action", () => {
  let dir: string;
  let file: string;
  let build: ServerBuild;
  let handler: (r: Request, ctx?: unknown) => Promise<Response>;
  let cookies: Record<string, string>;
  let ids: Record<string, string>;
  let actions: ActionRoute[];

  function digest(): Record<string, string> {
    const raw = new SQLite(file, { readonly: true });
    try {
      const tables = (
        raw.prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name").all() as { name: string }[]
      ).map((t) => t.name);
      const out: Record<string, string> = {};
      for (const t of tables) {
        if (CHANGING_ON_REFUSAL.has(t)) continue;
        out[t] = createHash("sha256")
          .update(JSON.stringify(raw.prepare(`select * from "${t}" order by rowid`).all()))
          .digest("hex");
      }
      return out;
    } finally {
      raw.close();
    }
  }

  beforeAll(async () => {
    requireBuild();
    dir = mkdtempSync(join(tmpdir(), "iop-fuzz-"));
    file = join(dir, "fuzz.sqlite");
    const clinic = await seededSqliteFile(file, { patients: true });
    const db = createDb(`file:${file}`);
    const one = async (table: string, column = "id") =>
      String(
        (
          (await db
            .selectFrom(table as never)
            .select(column as never)
            .limit(1)
            .executeTakeFirst()) as Record<string, unknown> | undefined
        )?.[column] ?? "none",
      );
    const pastSession = await db
      .selectFrom("sessions")
      .select("id")
      .where("starts_at", "<", new Date().toISOString())
      .where("status", "=", "scheduled")
      .orderBy("starts_at", "desc")
      .limit(1)
      .executeTakeFirst();
    ids = {
      patientId: await one("patients"),
      sessionId: pastSession?.id ?? (await one("sessions")),
      testId: await one("drug_tests"),
      drawId: await one("drug_test_draws"),
      seriesId: await one("group_series"),
      roomId: await one("rooms"),
      trackId: await one("tracks"),
      payerId: await one("payers"),
      userId: clinic.users["priya.raman"].id,
      siteId: clinic.siteId,
      reportId: "attendance-by-group",
      measure: "phq9",
      noteId: await one("notes"),
      claimId: await one("claims"),
      token: "abcdefghijklmnopqrstuvwxyz234567.abcdefghijklmnopqrstuvwxyz234567.ics",
    };
    cookies = {
      admin: await mintSessionCookie(db, clinic.users["dana.whitfield"].id, clinic.siteId),
      counselor: await mintSessionCookie(db, clinic.users["marcus.bell"].id, clinic.siteId),
      staff: await mintSessionCookie(db, clinic.users["tom.kowalski"].id, clinic.siteId),
    };
    await db.destroy();

    process.env.DATABASE_URL = `file:${file}`;
    process.env.NODE_ENV = "production";
    build = (await import(/* @vite-ignore */ pathToFileURL(resolve("build/server/index.js")).href)) as ServerBuild;
    const { createRequestHandler } = await import("@remix-run/node");
    handler = createRequestHandler(build, "production") as typeof handler;
    actions = Object.values(build.routes)
      .filter((r) => typeof (r.module as { action?: unknown }).action === "function" && !NOT_FUZZED.has(r.id))
      .map((r) => ({ id: r.id, pattern: fullPath(build.routes, r.id), index: Boolean(r.index), ...vocabulary(r.id) }));
  }, 120_000);

  afterAll(async () => {
    await (build?.entry.module as unknown as { shutdown?: () => Promise<void> })?.shutdown?.();
    rmSync(dir, { recursive: true, force: true });
  });

  it("finds every route action in the build, and knows the fields each one reads", () => {
    expect(actions.length).toBeGreaterThan(20);
    for (const a of actions) for (const p of a.pattern.matchAll(/:(\w+)/g)) expect(ids, `an id for :${p[1]} in ${a.pattern}`).toHaveProperty(p[1]);
    expect(actions.map((a) => a.pattern)).toEqual(expect.arrayContaining(["/patients/new", "/drug-tests/new", "/schedule/sessions/:sessionId/roll", "/login"]));
  });

  it(`answers ${RUNS} hostile payloads per action with a 4xx and a message, and changes no row`, async () => {
    const before = digest();
    const auditBefore = (() => {
      const raw = new SQLite(file, { readonly: true });
      try {
        return Number((raw.prepare("select coalesce(max(seq), 0) as n from audit_events").get() as { n: number }).n);
      } finally {
        raw.close();
      }
    })();
    const failures: string[] = [];
    let sent = 0;
    for (const route of actions) {
      const params = [...route.pattern.matchAll(/:(\w+)/g)].map((m) => m[1]);
      await fc.assert(
        fc.asyncProperty(payload(route, params), async (p) => {
          let path = route.pattern.replace(/:(\w+)/g, (_, name: string) => encodeURIComponent(ids[name]));
          if (p.param !== undefined && params.length)
            path = route.pattern.replace(/:(\w+)/g, (_, name: string) => encodeURIComponent(name === params[p.paramIndex] ? p.param! : ids[name]));
          const url = new URL(`${ORIGIN}${p.data ? (path === "/" ? "/_root.data" : `${path}.data`) : path}`);
          if (route.index) url.searchParams.set("index", "");
          const entries: [string, string][] = [...p.entries];
          if (p.intent) entries.unshift(["intent", p.intent]);
          // Request cannot carry a Host header; Remix reads X-Forwarded-Host for its own origin check.
          const headers: Record<string, string> = { Origin: ORIGIN, "X-Forwarded-Host": "localhost" };
          // Sign-in is fuzzed as a visitor: its page sends a signed-in visitor on (a redirect) by design.
          if (route.pattern !== "/login") headers.Cookie = cookies[p.user];
          let body: BodyInit | undefined;
          if (p.encoding === "urlencoded") {
            headers["Content-Type"] = "application/x-www-form-urlencoded";
            body = new URLSearchParams(entries).toString();
          } else if (p.encoding === "multipart") {
            const fd = new FormData();
            for (const [k, v] of entries) fd.append(k, v);
            body = fd;
          } else if (p.encoding === "json") {
            headers["Content-Type"] = "application/json";
            body = JSON.stringify(Object.fromEntries(entries));
          } else if (p.encoding === "garbage") {
            headers["Content-Type"] = "application/x-www-form-urlencoded";
            body = "%E0%A4%A&=%%&&==&intent=%ZZ&a=%uD800";
          }
          const res = await handler(new Request(url, { method: "POST", headers, body }), { clientIp: "127.0.0.1" });
          const text = await res.text();
          sent++;
          const ok = res.status >= 400 && res.status < 500 && text.trim().length > 0;
          if (!ok)
            failures.push(
              `${route.pattern} ${p.data ? "(data)" : "(document)"} as ${p.user}: ${res.status} for ${JSON.stringify(entries).slice(0, 300)} [${p.encoding}]`,
            );
          return true;
        }),
        { numRuns: RUNS, seed: SEED, endOnFailure: true },
      );
    }
    if (failures.length)
      console.error(
        `fuzz failures (${failures.length}):\n${failures
          .slice(0, 40)
          .map((f) => f.slice(0, 400))
          .join("\n")}`,
      );
    expect(failures.slice(0, 15)).toEqual([]);
    expect(digest()).toEqual(before);
    // Refusals may be audited (denials, failed sign-ins), and a refused form's page shown again
    // audits the chart view (`patient.viewed`) or the list it shows (`patient_list.viewed`: who
    // is a patient is Part 2 information); nothing was written as a success.
    const raw = new SQLite(file, { readonly: true });
    try {
      const written = raw
        .prepare("select action, outcome from audit_events where seq > ? and outcome = 'success' and action not in ('patient.viewed', 'patient_list.viewed')")
        .all(auditBefore);
      expect(written).toEqual([]);
    } finally {
      raw.close();
    }
    console.info(`fuzz: ${sent} hostile requests to ${actions.length} actions (seed ${SEED}), none answered with a 5xx or a success`);
  }, 600_000);
});

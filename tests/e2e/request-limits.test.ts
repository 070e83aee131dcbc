/**
 * Request limits and client addresses, as an attacker meets them, against the production server
 * (server.mjs over the build) on a clinic of its own (issue 16, findings 2, 3 and 4, items 7a, 7f):
 *  - bodies over 1 MB are refused with 413 before they are read, with or without Content-Length,
 *    and the server keeps answering; too many fields is a 413, a field name no page uses a 400;
 *  - a roll call with more marks than its roster is refused at once;
 *  - behind one trusted proxy, a forged left-most X-Forwarded-For changes neither the address the
 *    audit log records nor the one sign-in throttling counts;
 *  - `?_data` requests and a foreign Origin with `Sec-Fetch-Site: none` are clean 4xx answers
 *    without error-level log lines;
 *  - HSTS only over HTTPS as a trusted proxy says, and a session cookie whose `Secure` flag does not
 *    follow the Host header.
 * Two servers share the database: one with no proxy in front, one with TRUST_PROXY=1.
 */
import { once } from "node:events";
import http from "node:http";
import type { Kysely } from "kysely";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createDb } from "../../db/database";
import type { Database } from "../../db/schema";
import { SIGN_IN_IP_LOCKED } from "~/features/auth/sign-in.server";
import { signInCookie } from "../support/server";
import { DEMO_PASSWORD, STAFF } from "./helpers";
import { freePort, type RunningServer, startServer, stopServer, waitReady } from "../support/server";
import { seededDatabase } from "../support/templates";

const MB = 1024 * 1024;
let drop: () => Promise<void>;
let db: Kysely<Database>;
let plain: RunningServer;
let proxied: RunningServer;
let staffCookie = "";

beforeAll(async () => {
  const fresh = await seededDatabase(inject("dialect"), { patients: true });
  drop = fresh.drop;
  db = createDb(fresh.url);
  // Two clients behind the proxy, three failed sign-ins each, so the throttle shows within the test.
  [plain, proxied] = [
    startServer({ DATABASE_URL: fresh.url }, await freePort()),
    startServer({ DATABASE_URL: fresh.url, TRUST_PROXY: "1", SIGN_IN_IP_THRESHOLD: "3" }, await freePort()),
  ];
  await Promise.all([waitReady(plain), waitReady(proxied)]);
  staffCookie = await signInCookie(plain.url, STAFF);
});

afterAll(async () => {
  for (const s of [plain, proxied]) if (s) await stopServer(s);
  await db?.destroy();
  await drop?.();
});

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** Body bytes written before the answer came. */
  sent: number;
}

/**
 * A POST written the way a hostile client writes it: 64 KB at a time, until the server answers or
 * `upTo` bytes are sent. With `declaredLength` the request says that Content-Length (and may never
 * send it all); without, the body is chunked and ends after `upTo`. Fails after 20 s without an answer.
 */
function hostilePost(
  base: string,
  path: string,
  o: { headers?: Record<string, string>; declaredLength?: number; upTo: number; prefix?: string },
): Promise<Answer> {
  const url = new URL(path, base);
  return new Promise<Answer>((resolve, reject) => {
    let sent = 0;
    let answered = false;
    const timer = setTimeout(() => {
      req.destroy();
      reject(new Error(`no answer after 20 s with ${sent} bytes sent`));
    }, 20_000);
    const req = http.request(url, {
      method: "POST",
      headers: {
        "Content-Type": "application/x-www-form-urlencoded",
        Origin: base,
        ...(o.declaredLength !== undefined ? { "Content-Length": String(o.declaredLength) } : { "Transfer-Encoding": "chunked" }),
        ...o.headers,
      },
    });
    req.on("response", (res) => {
      answered = true;
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (d) => (body += d));
      res.on("end", () => {
        clearTimeout(timer);
        req.destroy();
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body, sent });
      });
    });
    // Once answered, the server may close the connection under the rest of the upload.
    req.on("error", (err) => {
      if (!answered) {
        clearTimeout(timer);
        reject(err);
      }
    });
    const chunk = Buffer.alloc(64 * 1024, "a");
    (async () => {
      if (o.prefix) {
        req.write(o.prefix);
        sent += Buffer.byteLength(o.prefix);
      }
      while (!answered && sent < o.upTo && !req.destroyed) {
        sent += chunk.length;
        if (!req.write(chunk)) await Promise.race([once(req, "drain"), once(req, "response"), once(req, "close")]);
      }
      if (!answered && o.declaredLength === undefined) req.end();
    })().catch(() => {});
  });
}

/** A plain request with headers fetch() will not send (Host). */
function rawRequest(base: string, path: string, o: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(new URL(path, base), { method: o.method ?? "GET", headers: o.headers });
    req.on("response", (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (d) => (body += d));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body, sent: 0 }));
    });
    req.on("error", reject);
    req.end(o.body);
  });
}

const errorLines = (s: RunningServer) =>
  s
    .output()
    .split("\n")
    .filter((l) => l.includes('"level":"error"'));

describe("request bodies (finding 2)", () => {
  it("refuses a signed-out 50 MB sign-in with 413 without waiting for the body, and keeps answering", async () => {
    const before = errorLines(plain).length;
    // Declares 50 MB but sends at most 8 MB and never the rest: a server that reads the body
    // before it decides waits for the other 42 MB and never answers (hostilePost fails after 20 s).
    const res = await hostilePost(plain.url, "/login", { declaredLength: 50 * MB, upTo: 8 * MB, prefix: "email=a%40b.example&password=" });
    expect(res.status).toBe(413);
    expect(res.body).toContain("This form is larger than this app accepts (1 MB)");
    expect((await fetch(`${plain.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${plain.url}/login`)).status).toBe(200);
    expect(errorLines(plain).length).toBe(before);
  });

  it("cuts a body without Content-Length off with 413 once it passes 1 MB", async () => {
    const res = await hostilePost(plain.url, "/login", { upTo: 4 * MB, prefix: "email=a%40b.example&password=" });
    expect(res.status).toBe(413);
    expect(res.body).toContain("larger than this app accepts");
    expect((await fetch(`${plain.url}/healthz`)).status).toBe(200);
  });

  it("refuses a 10 MB multipart body to the account page, signed in", async () => {
    const form = new FormData();
    form.append("intent", "sign-out-everywhere");
    form.append("file", new Blob([Buffer.alloc(10 * MB, "b")]), "big.bin");
    const res = await fetch(`${plain.url}/account`, { method: "POST", redirect: "manual", headers: { Origin: plain.url, Cookie: staffCookie }, body: form });
    expect(res.status).toBe(413);
    // The session is still there: nothing of the form was acted on.
    expect((await fetch(`${plain.url}/account`, { headers: { Cookie: staffCookie }, redirect: "manual" })).status).toBe(200);
  });

  it("refuses a form of more than 5,000 fields with 413 and says so", async () => {
    const fields = new URLSearchParams({ email: "a@b.example", password: "x" });
    for (let i = 0; i < 6_000; i++) fields.append(`f${i}`, "1");
    const res = await fetch(`${plain.url}/login`, {
      method: "POST",
      headers: { Origin: plain.url, "Content-Type": "application/x-www-form-urlencoded" },
      body: fields,
    });
    expect(res.status).toBe(413);
    expect(await res.text()).toContain("This form has more fields than this app accepts (5,000)");
  });

  it.each([
    ["thousands of dots", Array(5_000).fill("a").join(".")],
    ["a list index of a hundred million", "a[100000000]"],
  ])("answers a field name of %s with a 400 that says why, not a 500", async (_label, name) => {
    const before = errorLines(plain).length;
    const body = new URLSearchParams({ email: "a@b.example", password: "x" });
    body.append(name, "v");
    const res = await fetch(`${plain.url}/login`, {
      method: "POST",
      headers: { Origin: plain.url, "Content-Type": "application/x-www-form-urlencoded" },
      body,
      signal: AbortSignal.timeout(20_000),
    });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("This form has a field name no page of this app uses");
    expect(errorLines(plain).length).toBe(before);
  });
});

describe("roll call cost (finding 3)", () => {
  it("refuses a roll call with more marks than its roster, at once, and the server keeps answering", async () => {
    const now = new Date().toISOString();
    const session = await db
      .selectFrom("sessions as s")
      .innerJoin("session_participants as sp", "sp.session_id", "s.id")
      .select((eb) => ["s.id", eb.fn.count<number>("sp.patient_id").as("n")])
      .where("s.starts_at", "<", now)
      .where("s.status", "=", "scheduled")
      .where("sp.left_at", "is", null)
      .groupBy("s.id")
      .orderBy("s.starts_at", "desc")
      .executeTakeFirstOrThrow();
    const roster = Number(session.n);
    expect(roster).toBeGreaterThan(0);
    // 4,000 marks (under the field cap, about 200 KB) for a roster of a dozen.
    const fields = new URLSearchParams({ version: "0" });
    for (let i = 0; i < 4_000; i++) fields.append(`status.${String(i).padStart(36, "0")}`, "present");
    const [res, health] = await Promise.all([
      fetch(`${plain.url}/schedule/sessions/${session.id}/roll`, {
        method: "POST",
        redirect: "manual",
        headers: { Origin: plain.url, Cookie: staffCookie, "Content-Type": "application/x-www-form-urlencoded" },
        body: fields,
      }),
      fetch(`${plain.url}/healthz`),
    ]);
    expect(res.status).toBe(400);
    expect(await res.text()).toContain(`This roll call has 4,000 marks but the session has ${roster} patients on its roster.`);
    expect(health.status).toBe(200);
    const saved = await db.selectFrom("attendance").select("id").where("session_id", "=", session.id).where("recorded_at", ">=", now).execute();
    expect(saved).toEqual([]);
  });
});

describe("client address behind a proxy (finding 4)", () => {
  const failedSignIn = (server: RunningServer, forwardedFor: string) =>
    fetch(`${server.url}/login`, {
      method: "POST",
      headers: { Origin: server.url, "Content-Type": "application/x-www-form-urlencoded", "X-Forwarded-For": forwardedFor },
      body: new URLSearchParams({ email: "nobody@harborlight.example", password: "not-the-password-at-all" }),
    });

  it("with one trusted hop, records and throttles the address the proxy saw, whatever the client put in front of it", async () => {
    const started = new Date().toISOString();
    // The proxy appends the address it saw (198.51.100.7) to what the client sent: nginx's
    // `$proxy_add_x_forwarded_for`. The client changes its forged part every time.
    for (const forged of ["203.0.113.1", "203.0.113.2", "203.0.113.3"]) {
      const res = await failedSignIn(proxied, `${forged}, 198.51.100.7`);
      expect(res.status).toBe(401);
    }
    // The fourth try from the same client is paused, whatever address it claims now.
    const fourth = await failedSignIn(proxied, "192.0.2.99, 198.51.100.7");
    expect(await fourth.text()).toContain(SIGN_IN_IP_LOCKED);
    const recorded = await db
      .selectFrom("audit_events")
      .select(["action", "ip"])
      .where("occurred_at", ">=", started)
      .where("action", "in", ["auth.sign_in_failed", "auth.sign_in_locked"])
      .orderBy("seq")
      .execute();
    expect(recorded.map((r) => r.ip)).toEqual(["198.51.100.7", "198.51.100.7", "198.51.100.7", "198.51.100.7"]);
    // The addresses the attacker wrote were never locked out: a clinic behind 203.0.113.1 still signs in.
    const clinic = await fetch(`${proxied.url}/login`, {
      method: "POST",
      redirect: "manual",
      headers: { Origin: proxied.url, "Content-Type": "application/x-www-form-urlencoded", "X-Forwarded-For": "203.0.113.1" },
      body: new URLSearchParams({ email: STAFF, password: DEMO_PASSWORD }),
    });
    expect(clinic.status).toBe(302);
  });

  it("with no proxy configured, ignores X-Forwarded-For entirely", async () => {
    const started = new Date().toISOString();
    await failedSignIn(plain, "203.0.113.50");
    const row = await db
      .selectFrom("audit_events")
      .select("ip")
      .where("occurred_at", ">=", started)
      .where("action", "=", "auth.sign_in_failed")
      .executeTakeFirstOrThrow();
    expect(row.ip).toBe("127.0.0.1");
  });
});

describe("clean answers without error logs (item 7a)", () => {
  it("answers ?_data requests, signed in or not, with a 400 and no error-level log line", async () => {
    const before = errorLines(plain).length;
    for (const path of [
      "/account/two-factor?_data=routes/_app.account.two-factor",
      "/shell?_data=routes/_app.shell",
      "/account?_data=routes/_app.account._index",
      "/?_data=root",
    ]) {
      const signedIn = await fetch(`${plain.url}${path}`, { headers: { Cookie: staffCookie }, redirect: "manual" });
      expect(signedIn.status, path).toBe(400);
      const signedOut = await fetch(`${plain.url}${path}`, { redirect: "manual" });
      expect(signedOut.status, path).toBe(400);
    }
    // The single-fetch data URLs the app really uses still answer.
    expect((await fetch(`${plain.url}/shell.data`, { headers: { Cookie: staffCookie } })).status).toBe(200);
    expect((await fetch(`${plain.url}/account/two-factor.data`, { headers: { Cookie: staffCookie } })).status).toBe(200);
    expect(errorLines(plain).slice(before)).toEqual([]);
  });

  it("refuses a POST marked Sec-Fetch-Site: none that carries a foreign Origin with a 403, not a 500", async () => {
    const before = errorLines(plain).length;
    const res = await fetch(`${plain.url}/account`, {
      method: "POST",
      redirect: "manual",
      headers: { Cookie: staffCookie, "Sec-Fetch-Site": "none", Origin: "https://evil.example", "Content-Type": "application/x-www-form-urlencoded" },
      body: "intent=sign-out-everywhere",
    });
    expect(res.status).toBe(403);
    expect(await res.text()).toContain("This request came from another site and was refused.");
    expect(errorLines(plain).slice(before)).toEqual([]);
  });
});

describe("transport security (item 7f)", () => {
  it("sends HSTS only when a trusted proxy says the request came over HTTPS", async () => {
    const hsts = async (server: RunningServer, headers: Record<string, string>) =>
      (await fetch(`${server.url}/login`, { headers })).headers.get("strict-transport-security");
    expect(await hsts(proxied, { "X-Forwarded-Proto": "https" })).toBe("max-age=31536000; includeSubDomains");
    expect(await hsts(proxied, {})).toBeNull();
    // Without a trusted proxy the header is anyone's to send.
    expect(await hsts(plain, { "X-Forwarded-Proto": "https" })).toBeNull();
  });

  it("marks the session cookie Secure whatever Host the request names", async () => {
    const port = new URL(plain.url).port;
    const flags: Record<string, boolean> = {};
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, "clinic.example"]) {
      const res = await rawRequest(plain.url, "/login", {
        method: "POST",
        headers: { Host: host, Origin: `http://${host}`, "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ email: STAFF, password: DEMO_PASSWORD }).toString(),
      });
      expect(res.status, host).toBe(302);
      const cookie = ([] as string[]).concat(res.headers["set-cookie"] ?? []).find((c) => c.startsWith("iop_session="))!;
      flags[host] = /;\s*Secure/i.test(cookie);
    }
    expect(flags).toEqual({ [`localhost:${port}`]: true, [`127.0.0.1:${port}`]: true, "clinic.example": true });
  });

  it("treats a plain-HTTP Origin as another site when the proxy says the site is HTTPS", async () => {
    const write = (origin: string) =>
      fetch(`${proxied.url}/login`, {
        method: "POST",
        redirect: "manual",
        headers: { Origin: origin, "X-Forwarded-Proto": "https", "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ email: "nobody@harborlight.example", password: "x" }),
      });
    const host = new URL(proxied.url).host;
    expect((await write(`http://${host}`)).status).toBe(403);
    expect((await write(`https://${host}`)).status).not.toBe(403);
  });
});

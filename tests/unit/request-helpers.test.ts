import { describe, expect, it, vi } from "vitest";
import { readRollCallForm } from "~/features/attendance/roll-form";
import { readAuditQuery } from "~/features/audit/query.server";
import { isSecureRequest } from "~/features/auth/cookie.server";
import { crossSiteWrite, isCrossSiteWrite, refuseUnreadableForm } from "~/features/auth/guard.server";
import { config, parseCookieSecure, parseTrustProxy } from "~/utils/config.server";
import { BAD_FIELD_NAME, fieldCountAtLeast, readForm, TOO_LARGE, TOO_MANY_FIELDS, UNREADABLE_FORM, usableFieldName } from "~/utils/form.server";
import { csvRows, part2Preamble } from "~/utils/csv.server";
import { readListParams } from "~/utils/list-params";
import { PART2_REDISCLOSURE_NOTICE } from "~/utils/part2";
import { clientMeta, safeRedirectPath } from "~/utils/request.server";

const NY = "America/New_York";

describe("safeRedirectPath (where sign-in sends you back to)", () => {
  it.each(["/", "/admin/users", "/admin/users?page=2&sort=name", "/account/password#top"])("keeps the app path %s", (to) => {
    expect(safeRedirectPath(to)).toBe(to);
  });

  it.each([
    ["a protocol-relative URL", "//evil.com"],
    ["a protocol-relative URL with a path", "//evil.com/admin"],
    ["an absolute https URL", "https://evil.com/"],
    ["an absolute http URL", "http://evil.com"],
    ["a javascript: URL", "javascript:alert(1)"],
    ["a backslash trick", "/\\evil.com"],
    ["a relative path", "admin/users"],
    ["an empty string", ""],
    ["nothing", null],
    ["undefined", undefined],
  ])("refuses %s", (_label, to) => {
    expect(safeRedirectPath(to)).toBe("/");
  });

  it("refuses a path that browsers turn into //evil.com by dropping a tab", () => {
    // Browsers strip ASCII tab and newline from a Location before resolving it (WHATWG URL), and
    // a tab is legal in a header value: "/<TAB>/evil.com" is sent as is and lands on evil.com.
    const to = "/\t/evil.com";
    expect(new URL(to, "https://clinic.example").host).toBe("evil.com");
    expect(new Headers({ Location: to }).get("Location")).toBe(to);
    expect(safeRedirectPath(to)).toBe("/");
  });

  it.each([
    ["a newline", "/\n/admin"],
    ["a carriage return", "/\r/admin"],
    ["a NUL", "/\u0000/admin"],
  ])("refuses a path containing %s instead of letting the redirect header fail", (_label, to) => {
    // Such a value makes `new Headers({ Location })` throw, turning a typed URL into a 500.
    expect(() => new Headers({ Location: safeRedirectPath(to) })).not.toThrow();
    expect(safeRedirectPath(to)).toBe("/");
  });

  it("does not send you back to sign-in or sign-out", () => {
    expect(safeRedirectPath("/login")).toBe("/");
    expect(safeRedirectPath("/login?redirectTo=/admin")).toBe("/");
    expect(safeRedirectPath("/logout")).toBe("/");
  });

  it("uses the fallback the caller gives", () => {
    expect(safeRedirectPath("//evil.com", "/account")).toBe("/account");
  });
});

describe("isCrossSiteWrite (CSRF check)", () => {
  const url = "https://clinic.example/admin/users/new";
  const req = (method: string, headers: Record<string, string> = {}) => new Request(url, { method, headers });

  it.each(["GET", "HEAD", "OPTIONS"])("always allows %s, even from another site", (method) => {
    expect(isCrossSiteWrite(req(method, { "Sec-Fetch-Site": "cross-site", Origin: "https://evil.com" }))).toBe(false);
    expect(isCrossSiteWrite(req(method))).toBe(false);
  });

  it("refuses a POST the browser marks cross-site", () => {
    expect(isCrossSiteWrite(req("POST", { "Sec-Fetch-Site": "cross-site" }))).toBe(true);
  });

  it("refuses a POST from a sibling subdomain (same-site is not same-origin)", () => {
    expect(isCrossSiteWrite(req("POST", { "Sec-Fetch-Site": "same-site" }))).toBe(true);
  });

  it("trusts Sec-Fetch-Site over a matching Origin", () => {
    expect(isCrossSiteWrite(req("POST", { "Sec-Fetch-Site": "cross-site", Origin: "https://clinic.example" }))).toBe(true);
  });

  it("allows a POST the browser marks same-origin", () => {
    expect(isCrossSiteWrite(req("POST", { "Sec-Fetch-Site": "same-origin" }))).toBe(false);
  });

  it("allows a POST without Sec-Fetch-Site whose Origin is this site", () => {
    expect(isCrossSiteWrite(req("POST", { Origin: "https://clinic.example" }))).toBe(false);
  });

  it.each([
    ["another host", "https://evil.com"],
    ["a look-alike host", "https://clinic.example.evil.com"],
    ["another port", "https://clinic.example:8443"],
    ["the opaque origin null", "null"],
    ["garbage", "not a url"],
  ])("refuses a POST without Sec-Fetch-Site from %s", (_label, origin) => {
    expect(isCrossSiteWrite(req("POST", { Origin: origin }))).toBe(true);
  });

  it("refuses a POST that carries neither header", () => {
    expect(isCrossSiteWrite(req("POST"))).toBe(true);
  });

  it.each(["PUT", "PATCH", "DELETE", "post"])("treats %s as a write too", (method) => {
    expect(isCrossSiteWrite(req(method, { "Sec-Fetch-Site": "cross-site" }))).toBe(true);
  });
});

describe("readListParams (paging and sorting from the URL)", () => {
  const SORTS = ["name", "email"] as const;
  const read = (qs: string) => readListParams(new URL(`https://clinic.example/admin/users?${qs}`), SORTS, { sort: "name", direction: "asc", pageSize: 20 });

  it("reads good values", () => {
    expect(read("sort=email&dir=desc&page=3")).toEqual({ sort: "email", direction: "desc", page: 3, pageSize: 20 });
  });

  it("uses the defaults when nothing is given", () => {
    expect(read("")).toEqual({ sort: "name", direction: "asc", page: 1, pageSize: 20 });
  });

  it.each([
    ["an unknown sort column", "sort=password_hash"],
    ["an SQL fragment as sort", "sort=name;drop table users"],
    ["an unknown direction", "dir=sideways"],
    ["page zero", "page=0"],
    ["a negative page", "page=-4"],
    ["a non-number page", "page=abc"],
    ["an absurd page", "page=99999999999"],
    ["an empty page", "page="],
  ])("falls back to the defaults on %s", (_label, qs) => {
    expect(read(qs)).toEqual({ sort: "name", direction: "asc", page: 1, pageSize: 20 });
  });

  it("defaults the page size to 25", () => {
    expect(readListParams(new URL("https://x/y"), SORTS, { sort: "name", direction: "asc" }).pageSize).toBe(25);
  });
});

describe("readAuditQuery (the audit log's filters)", () => {
  const sites = ["site-1"];
  const read = (qs: string) => readAuditQuery(new URL(`https://clinic.example/admin/audit?${qs}`), sites, NY);

  it("turns a civil date range into the site's half-open UTC range", () => {
    const q = read("from=2026-03-08&to=2026-03-08");
    expect(q.ok).toBe(true);
    if (q.ok) {
      expect(q.filters).toMatchObject({ siteIds: sites, fromUtc: "2026-03-08T05:00:00.000Z", toUtc: "2026-03-09T04:00:00.000Z" });
    }
  });

  it("covers the whole 25-hour day when clocks fall back", () => {
    const q = read("from=2026-11-01&to=2026-11-01");
    expect(q.ok && q.filters).toMatchObject({ fromUtc: "2026-11-01T04:00:00.000Z", toUtc: "2026-11-02T05:00:00.000Z" });
  });

  it("passes user, action and patient through and leaves empty filters out", () => {
    const q = read("user=u-1&action=auth.sign_in&patient=&from=&to=");
    expect(q.ok).toBe(true);
    if (q.ok) {
      expect(q.filters).toEqual({ siteIds: sites, userId: "u-1", action: "auth.sign_in", patientQuery: undefined, fromUtc: undefined, toUtc: undefined });
    }
  });

  it.each([
    ["a date that does not exist", "from=2026-02-30", "from"],
    ["a US-style date", "from=11/27/2026", "from"],
    ["a word", "to=yesterday", "to"],
  ])("explains %s and keeps what was typed", (_label, qs, field) => {
    const q = read(qs);
    expect(q.ok).toBe(false);
    if (!q.ok) {
      expect(q.errors[field]).toBe("Use a date like 2026-11-27.");
      expect(q.values[field as "from" | "to"]).toBe(new URLSearchParams(qs).get(field));
    }
  });

  it("explains a range whose end is before its start", () => {
    const q = read("from=2026-11-27&to=2026-11-01");
    expect(q.ok).toBe(false);
    if (!q.ok) {
      expect(q.errors.to).toBe("The end date is before the start date.");
      expect(q.values).toMatchObject({ from: "2026-11-27", to: "2026-11-01" });
    }
  });

  it("refuses an over-long user id without failing", () => {
    const q = read(`user=${"x".repeat(500)}`);
    expect(q.ok).toBe(false);
    if (!q.ok) {
      expect(q.errors.user).toMatch(/too long/);
      expect(q.values.user.length).toBeLessThanOrEqual(100);
    }
  });
});

describe("CSV export", () => {
  it("ends every record with CRLF", () => {
    expect(
      csvRows([
        ["a", "b"],
        ["c", "d"],
      ]),
    ).toBe("a,b\r\nc,d\r\n");
  });

  it("quotes fields with commas and doubles the quotes inside them", () => {
    expect(csvRows([["Whitfield, Dana", 'said "no"', "plain"]])).toBe('"Whitfield, Dana","said ""no""",plain\r\n');
  });

  it("quotes a field containing CRLF", () => {
    expect(csvRows([["line one\r\nline two", "x"]])).toBe('"line one\r\nline two",x\r\n');
  });

  it("quotes a field containing a bare LF or CR so it cannot split the record", () => {
    // RFC 4180 §2.6: fields containing line breaks must be quoted. Spreadsheets and csv parsers
    // treat a bare LF as the end of a record.
    expect(csvRows([["line one\nline two", "x"]])).toBe('"line one\nline two",x\r\n');
    expect(csvRows([["line one\rline two", "x"]])).toBe('"line one\rline two",x\r\n');
  });

  it("writes empty cells for null and undefined", () => {
    expect(csvRows([["a", null, undefined, "d"]])).toBe("a,,,d\r\n");
  });

  it("starts every export with the 42 CFR Part 2 notice, then a blank line", () => {
    const preamble = part2Preamble();
    const records = preamble.split("\r\n");
    expect(records[0]).toBe(PART2_REDISCLOSURE_NOTICE[0]);
    expect(records[0]).toMatch(/^42 CFR part 2 prohibits unauthorized use or disclosure/);
    // The long second line contains commas and so is quoted as one field.
    expect(records[1]).toBe(`"${PART2_REDISCLOSURE_NOTICE[1]}"`);
    expect(records.slice(2)).toEqual(["", ""]);
    expect(preamble.endsWith("\r\n\r\n")).toBe(true);
  });
});

describe("crossSiteWrite compares the whole origin: scheme, host and port (issue 16, item 7f)", () => {
  const site = { method: "POST", host: "clinic.example", protocol: "https" };

  it("refuses a POST without Sec-Fetch-Site from the plain-HTTP page of the same host", () => {
    expect(crossSiteWrite({ ...site, secFetchSite: null, origin: "http://clinic.example" })).toBe(true);
    expect(crossSiteWrite({ ...site, secFetchSite: null, origin: "https://clinic.example" })).toBe(false);
  });

  it("reads the scheme the server derived, with or without its colon", () => {
    expect(crossSiteWrite({ ...site, protocol: "https:", secFetchSite: null, origin: "https://clinic.example" })).toBe(false);
    expect(crossSiteWrite({ ...site, protocol: "http", secFetchSite: null, origin: "https://clinic.example" })).toBe(true);
  });

  it.each([
    ["none", "https://evil.example"],
    ["same-origin", "https://evil.example"],
    ["none", "null"],
    ["same-origin", "http://clinic.example"],
  ])("refuses Sec-Fetch-Site: %s with the Origin %s (Remix would answer it with a 500)", (secFetchSite, origin) => {
    expect(crossSiteWrite({ ...site, secFetchSite, origin })).toBe(true);
  });

  it("allows Sec-Fetch-Site: none or same-origin without an Origin, or with this site's", () => {
    expect(crossSiteWrite({ ...site, secFetchSite: "none", origin: null })).toBe(false);
    expect(crossSiteWrite({ ...site, secFetchSite: "same-origin", origin: "https://clinic.example" })).toBe(false);
  });
});

describe("readForm: one parse per request, within limits (issue 16, finding 2)", () => {
  const post = (body: BodyInit, headers: Record<string, string> = { "Content-Type": "application/x-www-form-urlencoded" }) =>
    new Request("https://clinic.example/account", { method: "POST", headers, body });
  const refusal = async (request: Request) => {
    try {
      await readForm(request);
    } catch (thrown) {
      expect(thrown).toBeInstanceOf(Response);
      const res = thrown as Response;
      return { status: res.status, message: ((await res.json()) as { message: string }).message };
    }
    throw new Error("the form was accepted");
  };

  it("reads the body once: after the guard, the action's formData() is the very same form", async () => {
    const request = post("intent=rename&name=Dana");
    await refuseUnreadableForm(request);
    expect(request.bodyUsed).toBe(true);
    const first = await request.formData();
    expect(first.get("name")).toBe("Dana");
    expect(await request.formData()).toBe(first);
    expect(await readForm(request)).toBe(first);
  });

  it("refuses a body over MAX_BODY_BYTES (1 MB) with 413, by its Content-Length or by counting", async () => {
    const big = `a=${"x".repeat(config.maxBodyBytes)}`;
    expect(await refusal(post(big))).toEqual({ status: 413, message: TOO_LARGE });
    const streamed = new Request("https://clinic.example/account", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new ReadableStream({
        start(c) {
          for (let i = 0; i < 20; i++) c.enqueue(new TextEncoder().encode("x".repeat(100_000)));
          c.close();
        },
      }),
      duplex: "half",
    } as RequestInit);
    expect(streamed.headers.get("content-length")).toBeNull();
    expect(await refusal(streamed)).toEqual({ status: 413, message: TOO_LARGE });
    expect(TOO_LARGE).toContain("(1 MB)");
  });

  it("refuses more than MAX_FORM_FIELDS (5,000) fields with 413, urlencoded or multipart", async () => {
    const many = new URLSearchParams();
    for (let i = 0; i <= config.maxFormFields; i++) many.append(`f${i}`, "1");
    expect(await refusal(post(many.toString()))).toEqual({ status: 413, message: TOO_MANY_FIELDS });
    const multipart = new FormData();
    for (let i = 0; i <= config.maxFormFields; i++) multipart.append(`f${i}`, "1");
    expect(await refusal(new Request("https://clinic.example/account", { method: "POST", body: multipart }))).toEqual({
      status: 413,
      message: TOO_MANY_FIELDS,
    });
    // The cap itself is fine.
    const enough = new URLSearchParams();
    for (let i = 0; i < config.maxFormFields; i++) enough.append(`f${i}`, "1");
    expect([...(await readForm(post(enough.toString()))).keys()]).toHaveLength(config.maxFormFields);
  });

  it.each([
    ["thousands of dots", Array(5_000).fill("a").join(".")],
    ["seventeen segments", Array(17).fill("a").join(".")],
    ["a huge list index", "a[100000000]"],
    ["201 characters", "a".repeat(201)],
  ])("refuses a field name of %s with 400", async (_label, name) => {
    const body = new URLSearchParams({ intent: "x" });
    body.append(name, "v");
    expect(await refusal(post(body.toString()))).toEqual({ status: 400, message: BAD_FIELD_NAME });
  });

  it.each(["status.0195b6c2-7c1e-7a4b-9d3e-4f5a6b7c8d9e", "analytes[12].cutoff", "a.b.c", "redirectTo"])("accepts the field name %s", (name) => {
    expect(usableFieldName(name)).toBe(true);
  });

  it("refuses what is not a form with 415, and a broken multipart body with 400", async () => {
    expect(await refusal(post("{}", { "Content-Type": "application/json" }))).toEqual({ status: 415, message: UNREADABLE_FORM });
    expect((await refusal(post("--nope\r\n", { "Content-Type": "multipart/form-data; boundary=x" }))).status).toBe(400);
  });

  it("counts fields on the raw body as the parser will find them", () => {
    const enc = (s: string) => new TextEncoder().encode(s);
    expect(fieldCountAtLeast(enc("a=1&b=2&c=3"), "application/x-www-form-urlencoded", "application/x-www-form-urlencoded")).toBe(3);
    expect(fieldCountAtLeast(enc(""), "application/x-www-form-urlencoded", "application/x-www-form-urlencoded")).toBe(0);
    const body = '--XY\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--XY\r\nContent-Disposition: form-data; name="b"\r\n\r\n2\r\n--XY--\r\n';
    expect(fieldCountAtLeast(enc(body), "multipart/form-data", "multipart/form-data; boundary=XY")).toBe(2);
  });
});

describe("TRUST_PROXY (issue 16, finding 4)", () => {
  it.each([
    [undefined, false],
    ["", false],
    ["0", false],
    ["false", false],
    ["1", 1],
    ["true", 1],
    ["2", 2],
    ["10.0.0.5, 10.1.0.0/16", ["10.0.0.5", "10.1.0.0/16"]],
    ["loopback", ["loopback"]],
  ])("reads %j as %j", (raw, expected) => {
    expect(parseTrustProxy(raw)).toEqual(expected);
  });

  it("never trusts every hop: `true` means one proxy, not any X-Forwarded-For", () => {
    expect(parseTrustProxy("true")).not.toBe(true);
  });

  it("takes the client address from the server, never from X-Forwarded-For", () => {
    const request = new Request("https://clinic.example/login", { headers: { "X-Forwarded-For": "203.0.113.9, 198.51.100.7" } });
    expect(clientMeta(request, { clientIp: "198.51.100.7" }).ip).toBe("198.51.100.7");
    expect(clientMeta(request, { clientIp: "::ffff:198.51.100.7" }).ip).toBe("198.51.100.7");
    expect(clientMeta(request).ip).toBeNull();
  });
});

describe("the session cookie's Secure flag (issue 16, item 7f)", () => {
  const at = (url: string) => new Request(url);
  const production = { cookieSecure: "auto" as const, production: true, demo: false };

  it("does not depend on the Host: a production server marks it Secure for localhost too", () => {
    for (const url of ["http://localhost:3000/login", "http://127.0.0.1:3000/login", "http://clinic.example/login", "https://clinic.example/login"]) {
      expect(isSecureRequest(at(url), production), url).toBe(true);
    }
  });

  it("follows the scheme the server derived in the demo and in development", () => {
    for (const settings of [
      { ...production, demo: true },
      { ...production, production: false },
    ]) {
      expect(isSecureRequest(at("http://localhost:3000/login"), settings)).toBe(false);
      expect(isSecureRequest(at("http://clinic.example/login"), settings)).toBe(false);
      expect(isSecureRequest(at("https://clinic.example/login"), settings)).toBe(true);
    }
  });

  it("obeys COOKIE_SECURE outright", () => {
    expect(parseCookieSecure(undefined)).toBe("auto");
    expect(parseCookieSecure("1")).toBe(true);
    expect(parseCookieSecure("0")).toBe(false);
    expect(() => parseCookieSecure("maybe")).toThrow(/COOKIE_SECURE/);
    expect(isSecureRequest(at("http://clinic.example/login"), { ...production, cookieSecure: true, production: false })).toBe(true);
    expect(isSecureRequest(at("https://clinic.example/login"), { ...production, cookieSecure: false })).toBe(false);
  });
});

describe("reading a roll call (issue 16, finding 3)", () => {
  it("joins each patient's status, mode, minutes and note in one pass, never asking the form for a field", () => {
    const form = new FormData();
    form.append("version", "3");
    form.append("status.p1", "late");
    form.append("mode.p1", "telehealth");
    form.append("minutes.p1", " 150 ");
    form.append("note.p1", "x".repeat(400));
    form.append("status.p2", "present");
    form.append("status.p3", "");
    form.append("status.p2", "absent_unexcused");
    const get = vi.spyOn(FormData.prototype, "get");
    const getAll = vi.spyOn(FormData.prototype, "getAll");
    try {
      const read = readRollCallForm(form);
      expect(read).toEqual({
        ok: true,
        version: 3,
        reason: "",
        marks: [
          { patientId: "p1", status: "late", mode: "telehealth", minutes: 150, note: "x".repeat(300) },
          // The first value wins, as form.get() had it; an empty status is no mark.
          { patientId: "p2", status: "present", mode: "in_person", minutes: undefined, note: "" },
        ],
      });
      expect(get).not.toHaveBeenCalled();
      expect(getAll).not.toHaveBeenCalled();
    } finally {
      get.mockRestore();
      getAll.mockRestore();
    }
  });

  it("refuses a status that is not on the list", () => {
    const form = new FormData();
    form.append("status.p1", "vanished");
    expect(readRollCallForm(form)).toEqual({ ok: false, formError: "Choose one of the listed statuses for each patient." });
  });

  it("reads a missing version as a first save and a garbled one as stale, as before", () => {
    expect(readRollCallForm(new FormData())).toMatchObject({ ok: true, version: 0 });
    const form = new FormData();
    form.append("version", "1.5");
    expect(readRollCallForm(form)).toMatchObject({ ok: true, version: -1 });
  });
});

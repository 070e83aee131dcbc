/**
 * The one-time message after a redirect ("Enrolled … as MRN-…") rides in a signed cookie: a page
 * shows only messages the clinic's own server wrote, never one planted by a link or another site.
 */
import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { readToast, toastHeader } from "~/kernel/toast.server";

beforeAll(() => {
  process.env.AUDIT_HMAC_KEYS = `audit-t:${randomBytes(32).toString("base64")}`;
  process.env.TOTP_ENCRYPTION_KEYS = `totp-t:${randomBytes(32).toString("base64")}`;
});

/** The request the next page load sends, carrying the cookie a `Set-Cookie` header set. */
function nextRequest(setCookie: string): Request {
  return new Request("http://clinic.test/", { headers: { cookie: setCookie.split(";")[0] } });
}

describe("toast cookie", () => {
  it("carries a message to the next page once, and the answer clears it", async () => {
    const header = await toastHeader({ kind: "success", message: "Enrolled Quinn Harlowe as MRN-000123." });
    expect(header).toMatch(/HttpOnly/i);
    expect(header).toMatch(/SameSite=Lax/i);
    expect(header).toMatch(/Max-Age=30/);
    const { toast, clear } = await readToast(nextRequest(header));
    expect(toast).toEqual({ kind: "success", message: "Enrolled Quinn Harlowe as MRN-000123." });
    expect(clear).toMatch(/^iop_toast=;.*Max-Age=0/);
  });

  it("drops a message that the server did not sign, and still clears the cookie", async () => {
    const planted = Buffer.from(JSON.stringify({ kind: "error", message: "Your session ended: sign in at evil.example" })).toString("base64url");
    const { toast, clear } = await readToast(new Request("http://clinic.test/", { headers: { cookie: `iop_toast=${planted}` } }));
    expect(toast).toBeNull();
    expect(clear).toMatch(/Max-Age=0/);
  });

  it("drops a signed message whose text was changed", async () => {
    const header = await toastHeader({ kind: "info", message: "Saved." });
    const [pair] = header.split(";");
    const value = decodeURIComponent(pair.slice("iop_toast=".length));
    const dot = value.lastIndexOf(".");
    const payload = Buffer.from(value.slice(0, dot), "base64").toString("utf8").replace("Saved.", "Deleted.");
    expect(payload).toContain('"message":"Deleted."');
    const forged = `${Buffer.from(payload).toString("base64")}${value.slice(dot)}`;
    const { toast } = await readToast(new Request("http://clinic.test/", { headers: { cookie: `iop_toast=${encodeURIComponent(forged)}` } }));
    expect(toast).toBeNull();
  });

  it("sees no toast and sets no header when there is no cookie", async () => {
    expect(await readToast(new Request("http://clinic.test/"))).toEqual({ toast: null, clear: null });
  });

  it("refuses to write a toast of an unknown kind, and shortens a long message to 300 characters", async () => {
    await expect(toastHeader({ kind: "warning" as "info", message: "x" })).rejects.toThrow();
    const { toast } = await readToast(nextRequest(await toastHeader({ kind: "info", message: "a".repeat(500) })));
    expect(toast?.message).toHaveLength(300);
  });
});

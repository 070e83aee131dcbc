/**
 * Reading a submitted form, once per request, within limits (issue 16, finding 2; ARCHITECTURE
 * rule 10, "every request is bounded"). OWASP ASVS 4.0 V13.1.3 / V12.1.1: refuse oversized
 * requests and limit what a request may make the server do.
 *
 * The guard (`requireUser`, sign-in) reads the form first and refuses what no page of this app
 * sends; the action then gets the very same FormData: `readForm(request)` returns it again, and so
 * does the request's own `formData()`, so the body is read and parsed exactly once (no
 * `clone()`, which kept two copies of every body in memory).
 */
import { config } from "./config.server";

const FORM_TYPES = new Set(["application/x-www-form-urlencoded", "multipart/form-data"]);

export const UNREADABLE_FORM = "This request did not carry a form this page can read. Reload the page and submit the form again.";
export const TOO_LARGE = `This form is larger than this app accepts (${describeBytes(config.maxBodyBytes)}). Nothing was saved.`;
export const TOO_MANY_FIELDS = `This form has more fields than this app accepts (${config.maxFormFields.toLocaleString("en-US")}). Nothing was saved.`;
export const BAD_FIELD_NAME = "This form has a field name no page of this app uses (too long or too deeply nested). Reload the page and submit the form again.";

/**
 * Field names are paths for Conform (`a.b[0].c`). Ours are at most three segments deep, under 100
 * characters, and list indices stay small. A name of thousands of segments made Conform's reply
 * nest thousands deep (a stack overflow: a 500), and `a[100000000]` made a sparse array whose reply
 * took minutes to serialise: such names are refused before any action sees them.
 */
export const FIELD_NAME_LIMITS = { length: 200, segments: 16, index: 1_000 } as const;

export function describeBytes(bytes: number): string {
  if (bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MB`;
  if (bytes % 1024 === 0) return `${bytes / 1024} KB`;
  return `${bytes.toLocaleString("en-US")} bytes`;
}

type Outcome = { ok: true; form: FormData } | { ok: false; status: number; message: string };

const outcomes = new WeakMap<Request, Promise<Outcome>>();

/**
 * The request's form, parsed once. A body that is not a form, is larger than MAX_BODY_BYTES, has
 * more than MAX_FORM_FIELDS fields or a field name no page uses is refused with a thrown 4xx
 * `Response` carrying `{ message }`.
 */
export async function readForm(request: Request): Promise<FormData> {
  let pending = outcomes.get(request);
  if (!pending) {
    pending = parse(request);
    outcomes.set(request, pending);
  }
  const outcome = await pending;
  // A Response, not data(): resource routes (sign-out, site switch) answer a thrown Response as it
  // is. A new one each time: a Response's body can be read only once.
  if (!outcome.ok) throw Response.json({ message: outcome.message }, { status: outcome.status, headers: { "Cache-Control": "no-store" } });
  return outcome.form;
}

async function parse(request: Request): Promise<Outcome> {
  const contentType = request.headers.get("content-type") ?? "";
  const type = contentType.split(";")[0].trim().toLowerCase();
  if (!FORM_TYPES.has(type)) return { ok: false, status: 415, message: UNREADABLE_FORM };
  const declared = Number(request.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > config.maxBodyBytes) return { ok: false, status: 413, message: TOO_LARGE };

  // The HTTP server (server.mjs) already cuts a body off past the limit; counting here too keeps
  // the limit wherever the app runs (the in-process handler of the tests, a dev server).
  const body = await readBytes(request, config.maxBodyBytes);
  if (body === "unreadable") return { ok: false, status: 400, message: UNREADABLE_FORM };
  if (body === "too-large") return { ok: false, status: 413, message: TOO_LARGE };
  // Counted on the raw bytes, before a FormData of a hundred thousand entries is ever built.
  if (fieldCountAtLeast(body, type, contentType) > config.maxFormFields) return { ok: false, status: 413, message: TOO_MANY_FIELDS };

  let form: FormData;
  try {
    form = await new Response(body, { headers: { "content-type": contentType } }).formData();
  } catch {
    return { ok: false, status: 400, message: UNREADABLE_FORM };
  }
  let fields = 0;
  for (const name of form.keys()) {
    if (++fields > config.maxFormFields) return { ok: false, status: 413, message: TOO_MANY_FIELDS };
    if (!usableFieldName(name)) return { ok: false, status: 400, message: BAD_FIELD_NAME };
  }
  // The action's own `request.formData()` (the body is consumed now) gets this same form.
  Object.defineProperty(request, "formData", { value: () => Promise.resolve(form), configurable: true });
  return { ok: true, form };
}

/** The body's bytes, stopping (without reading further) as soon as it passes `limit`. */
async function readBytes(request: Request, limit: number): Promise<Uint8Array<ArrayBuffer> | "too-large" | "unreadable"> {
  if (!request.body) return new Uint8Array(0);
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    // Throws if something else has read the body already.
    const reader = request.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > limit) {
        await reader.cancel().catch(() => {});
        return "too-large";
      }
      chunks.push(value);
    }
  } catch {
    return "unreadable";
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    bytes.set(c, at);
    at += c.byteLength;
  }
  return bytes;
}

/**
 * How many fields the body holds, at least: `&`-separated pairs for a urlencoded body, parts for a
 * multipart one (each starts with the boundary). Linear in the body; never fewer than the parser
 * will find, so a body over the cap is refused before it is parsed.
 */
export function fieldCountAtLeast(body: Uint8Array, type: string, contentType: string): number {
  if (type === "application/x-www-form-urlencoded") {
    let n = body.length ? 1 : 0;
    for (let i = 0; i < body.length; i++) if (body[i] === 0x26) n++;
    return n;
  }
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  const mark = boundary ? Buffer.from(`--${(boundary[1] ?? boundary[2]).trim()}`) : null;
  if (!mark) return 0;
  const buf = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  let n = 0;
  for (let at = buf.indexOf(mark); at !== -1; at = buf.indexOf(mark, at + mark.length)) n++;
  // The last boundary closes the body rather than opening a part.
  return Math.max(0, n - 1);
}

/** A field name any page of this app could send: short, shallow, with small list indices. */
export function usableFieldName(name: string): boolean {
  if (name.length > FIELD_NAME_LIMITS.length) return false;
  let segments = 1;
  for (let i = 0; i < name.length; i++) if (name[i] === "." || name[i] === "[") segments++;
  if (segments > FIELD_NAME_LIMITS.segments) return false;
  for (const m of name.matchAll(/\[(\d+)\]/g)) if (Number(m[1]) > FIELD_NAME_LIMITS.index) return false;
  return true;
}

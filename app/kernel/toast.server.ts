/**
 * One-time messages carried across a redirect ("Account created"). The cookie holds only the
 * message, lives for seconds and is signed, so nobody can plant a message that seems to come from
 * the clinic; the root loader reads and clears it.
 */
import { createCookie } from "@remix-run/node";
import { hkdfSync } from "node:crypto";
import { z } from "zod";
import { writeKeys } from "~/utils/keys.server";

export const ToastSchema = z.object({
  kind: z.enum(["success", "error", "info"]),
  message: z
    .string()
    .min(1)
    .transform((m) => m.slice(0, 300)),
});
export type Toast = z.input<typeof ToastSchema>;

let cookie: ReturnType<typeof createCookie> | undefined;

/**
 * The toast cookie, signed with a key derived (HKDF-SHA-256, its own label) from the installation's
 * audit keys, so every server of one clinic accepts the others' toasts and rotating the keys
 * rotates this one too.
 */
function toastCookie() {
  if (cookie) return cookie;
  const audit = writeKeys().audit;
  const ordered = [audit.current, ...[...audit.keys.keys()].filter((id) => id !== audit.current)];
  const secrets = ordered.map((id) => Buffer.from(hkdfSync("sha256", audit.keys.get(id)!, Buffer.alloc(0), "iop toast cookie", 32)).toString("base64"));
  cookie = createCookie("iop_toast", { httpOnly: true, sameSite: "lax", path: "/", maxAge: 30, secrets });
  return cookie;
}

/** The `Set-Cookie` value that carries a toast to the next page. */
export async function toastHeader(toast: Toast): Promise<string> {
  return toastCookie().serialize(ToastSchema.parse(toast));
}

/** The waiting toast, if any (a forged, garbled or foreign one is dropped), and the header that clears it. */
export async function readToast(request: Request): Promise<{ toast: z.output<typeof ToastSchema> | null; clear: string | null }> {
  const header = request.headers.get("cookie");
  if (!header || !header.includes("iop_toast=")) return { toast: null, clear: null };
  const clear = await toastCookie().serialize("", { maxAge: 0 });
  const value = await toastCookie()
    .parse(header)
    .catch(() => null);
  const parsed = ToastSchema.safeParse(value);
  return { toast: parsed.success ? parsed.data : null, clear };
}

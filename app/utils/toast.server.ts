/**
 * One-time messages carried across a redirect ("Account created"). The cookie holds only the
 * message and lives for seconds; the root loader reads and clears it.
 */
import { parse, serialize } from "cookie";

const TOAST_COOKIE = "iop_toast";

export interface Toast {
  kind: "success" | "error" | "info";
  message: string;
}

export function toastHeader(toast: Toast): string {
  const value = Buffer.from(JSON.stringify(toast)).toString("base64url");
  return serialize(TOAST_COOKIE, value, { httpOnly: true, sameSite: "lax", path: "/", maxAge: 30 });
}

export function readToast(request: Request): { toast: Toast | null; clear: string | null } {
  const raw = parse(request.headers.get("cookie") ?? "")[TOAST_COOKIE];
  if (!raw) return { toast: null, clear: null };
  const clear = serialize(TOAST_COOKIE, "", { httpOnly: true, sameSite: "lax", path: "/", maxAge: 0 });
  try {
    const parsed = JSON.parse(Buffer.from(raw, "base64url").toString("utf8"));
    if (typeof parsed?.message === "string" && ["success", "error", "info"].includes(parsed.kind)) {
      return { toast: { kind: parsed.kind, message: parsed.message.slice(0, 300) }, clear };
    }
  } catch {
    // A garbled toast is dropped.
  }
  return { toast: null, clear };
}

/**
 * What a loader or action answers besides its data: a redirect that carries a toast, a 404 for what
 * the caller may not or cannot see, and a refusal when the request itself is malformed. Each throws
 * or returns a Response the route's error boundary or the next page shows.
 */
import { data, redirect } from "@remix-run/node";
import { type Toast, toastHeader } from "./toast.server";

/** Redirects to `url` and shows `message` there once (a success toast unless `kind` says otherwise). */
export async function redirectWithToast(url: string, message: string, kind: Toast["kind"] = "success", init?: ResponseInit) {
  const headers = new Headers(init?.headers);
  headers.append("Set-Cookie", await toastHeader({ kind, message }));
  return redirect(url, { ...init, headers });
}

/** The 404 for a record that is not there or not the caller's to see: the same answer either way. */
export function notFound(message: string): never {
  throw data({ message }, { status: 404 });
}

/** Returns `value` or throws the 404 with `message` when it is null or undefined. */
export function foundOr404<T>(value: T | null | undefined, message: string): T {
  if (value === null || value === undefined) notFound(message);
  return value;
}

/** Throws a response with `message` (400 unless said otherwise) when `condition` is false. */
export function invariantResponse(condition: unknown, message: string, status = 400): asserts condition {
  if (!condition) throw data({ message }, { status });
}

/**
 * Structured logs: one JSON object per line on stdout (errors on stderr), for a log shipper to
 * read. They never carry patient data: no query strings (searches hold names), no request or
 * response bodies, and path segments that are ids or secrets are replaced (`/patients/:id`).
 */
import cluster from "node:cluster";

export type LogLevel = "info" | "warn" | "error";

/** In a server with several workers (WORKERS), which one wrote the line (1, 2, …; a restarted one gets a new number). */
const worker = cluster.isWorker ? { worker: cluster.worker?.id } : {};

export function log(level: LogLevel, msg: string, fields: Record<string, unknown> = {}): void {
  const line = JSON.stringify({ time: new Date().toISOString(), level, msg, ...worker, ...fields });
  (level === "error" ? process.stderr : process.stdout).write(`${line}\n`);
}

const ID_LIKE = /^[0-9a-f]{8}-[0-9a-f]{4}-|\d/i;

/** A path fit for a log: ids, dates and tokens become `:id`, calendar secrets `:token`. */
export function safePath(pathname: string): string {
  const parts = pathname.split("/");
  return parts
    .map((seg, i) => {
      if (i > 0 && parts[i - 1] === "calendar" && seg) return ":token";
      if (seg.length > 40 || ID_LIKE.test(seg)) return ":id";
      return seg;
    })
    .join("/")
    .slice(0, 200);
}

/** What an error says about itself, short: its kind, message and where it was thrown. */
export function errorFields(error: unknown): { error: { name: string; message: string; stack?: string } } {
  if (error instanceof Error) {
    const stack = error.stack
      ?.split("\n")
      .slice(1, 8)
      .map((l) => l.trim())
      .join(" | ");
    return { error: { name: error.name, message: error.message.slice(0, 500), stack } };
  }
  return { error: { name: typeof error, message: String(error).slice(0, 500) } };
}

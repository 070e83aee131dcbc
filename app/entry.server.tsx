import { PassThrough } from "node:stream";
import { randomBytes } from "node:crypto";
import { createReadableStreamFromReadable, type EntryContext, type HandleDataRequestFunction, type HandleErrorFunction } from "@remix-run/node";
import { RemixServer, isRouteErrorResponse } from "@remix-run/react";
import { isbot } from "isbot";
import { renderToPipeableStream } from "react-dom/server";
import { sql } from "kysely";
import { dialectOf } from "#db/database";
import { closeDb, getDb, type DB } from "./db.server";
import { extendSchedules } from "./features/scheduling/groups.server";
import { anchorPath, keepAnchoring } from "./features/audit/anchor.server";
import { sealStoredTotpSecrets } from "./features/auth/two-factor.server";
import { writeKeys } from "./utils/keys.server";
import { NonceProvider } from "./utils/nonce";
import { errorFields, log, safePath } from "./utils/log.server";
import { applySecurityHeaders } from "./utils/security-headers.server";

const ABORT_DELAY = 5_000;
const production = process.env.NODE_ENV === "production";

/**
 * Called by server.mjs before it listens (or, with several workers, by the primary before it
 * forks them): opens the database, applies migrations, and starts the background jobs.
 */
export async function startup(): Promise<void> {
  const db = await getDb();
  // The keys kept outside the database (created on first start): a damaged key file stops here, clearly.
  writeKeys();
  // Authenticator keys stored before they were encrypted at rest are encrypted now (once).
  const sealed = await sealStoredTotpSecrets(db);
  if (sealed) log("info", "encrypted authenticator keys stored in plain text", { accounts: sealed });
  // The audit chain's head goes to the anchor outside the database now and every few minutes.
  const path = anchorPath();
  if (path) {
    const minutes = Number(process.env.AUDIT_ANCHOR_MINUTES ?? 5);
    anchoring = keepAnchoring(db, path, Number.isFinite(minutes) && minutes > 0 ? minutes : 5, (e) =>
      log("error", "publishing the audit anchor failed", errorFields(e)),
    );
    await anchoring.first;
  }
  // Keep every open series written out to the planning horizon: now, and every six hours.
  const extend = () => extendSchedulesOnce(db).catch((e) => log("error", "extending the schedule failed", errorFields(e)));
  await extend();
  extender = setInterval(extend, 6 * 60 * 60 * 1000);
  extender.unref();
}

/**
 * A worker of a server with several (WORKERS > 1) before it listens: opens the database (already
 * migrated by its primary, which also runs the background jobs: one anchor writer, one schedule
 * extender) and reads the keys the primary wrote.
 */
export async function workerStartup(): Promise<void> {
  await getDb();
  writeKeys();
}

let extender: NodeJS.Timeout | undefined;
let anchoring: ReturnType<typeof keepAnchoring> | undefined;

// Several servers on one PostgreSQL database start (and wake every six hours) together: one of
// them extends the schedule while the others skip, instead of racing to write the same sessions.
// Migrations need no such lock here: Kysely's Migrator already holds a PostgreSQL advisory lock
// while it migrates, so concurrent starts apply each migration once.
const EXTEND_LOCK = 7_240_911;
async function extendSchedulesOnce(db: DB): Promise<void> {
  if (dialectOf(db) !== "postgres") {
    await extendSchedules(db);
    return;
  }
  await db.connection().execute(async (conn) => {
    const got = await sql<{ ok: boolean }>`select pg_try_advisory_lock(${EXTEND_LOCK}) as ok`.execute(conn);
    if (!got.rows[0]?.ok) return;
    try {
      await extendSchedules(conn);
    } finally {
      await sql`select pg_advisory_unlock(${EXTEND_LOCK})`.execute(conn);
    }
  });
}

export async function shutdown(): Promise<void> {
  if (extender) clearInterval(extender);
  await anchoring?.stop();
  anchoring = undefined;
  await closeDb();
}
export { auditCrossSiteRefusal, crossSiteWrite, CROSS_SITE_MESSAGE } from "./features/auth/guard.server";
export { errorFields, log, safePath } from "./utils/log.server";
// For server.mjs: the proxies it trusts and the request limits it applies before Remix.
export { config, parseWorkers } from "./utils/config.server";
export { TOO_LARGE } from "./utils/form.server";
export { STRICT_TRANSPORT_SECURITY } from "./utils/security-headers.server";

/** Unexpected errors in loaders, actions and rendering, logged as one JSON line without patient data. */
export const handleError: HandleErrorFunction = (error, { request }) => {
  if (request.signal.aborted) return;
  // A thrown Response or data() (a 403, a 404) is an answer, not a failure.
  if (
    error instanceof Response ||
    isRouteErrorResponse(error) ||
    (typeof error === "object" && error !== null && (error as { type?: unknown }).type === "DataWithResponseInit")
  )
    return;
  log("error", "request failed", { method: request.method, path: safePath(new URL(request.url).pathname), ...errorFields(error) });
};

export const handleDataRequest: HandleDataRequestFunction = (response) => {
  applySecurityHeaders(response.headers, null, production);
  return response;
};

export default function handleRequest(request: Request, responseStatusCode: number, responseHeaders: Headers, remixContext: EntryContext) {
  const nonce = randomBytes(16).toString("base64");
  const waitForAll = isbot(request.headers.get("user-agent") ?? "") || remixContext.isSpaMode;
  return new Promise((resolve, reject) => {
    let shellRendered = false;
    const { pipe, abort } = renderToPipeableStream(
      <NonceProvider value={nonce}>
        <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY} nonce={nonce} />
      </NonceProvider>,
      {
        nonce,
        [waitForAll ? "onAllReady" : "onShellReady"]() {
          shellRendered = true;
          const body = new PassThrough();
          const stream = createReadableStreamFromReadable(body);
          responseHeaders.set("Content-Type", "text/html; charset=utf-8");
          applySecurityHeaders(responseHeaders, nonce, production);
          resolve(new Response(stream, { headers: responseHeaders, status: responseStatusCode }));
          pipe(body);
        },
        onShellError(error: unknown) {
          reject(error);
        },
        onError(error: unknown) {
          responseStatusCode = 500;
          if (shellRendered) log("error", "rendering failed", { path: safePath(new URL(request.url).pathname), ...errorFields(error) });
        },
      },
    );
    setTimeout(abort, ABORT_DELAY);
  });
}

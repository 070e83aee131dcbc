// The production server: serves the built app, applies migrations before it listens, and shuts
// down cleanly (finishing requests, closing the database) on SIGTERM or SIGINT. With WORKERS > 1
// (by default one per core) this process is the primary (server-cluster.mjs) and each worker runs
// the rest of this file.
import cluster from "node:cluster";
import { availableParallelism } from "node:os";
import { Transform } from "node:stream";
import { createReadableStreamFromReadable, createRequestHandler } from "@remix-run/node";
import compression from "compression";
import express from "express";

const build = await import("./build/server/index.js");
// One JSON line per event, never patient data (see app/utils/log.server.ts).
const { log, errorFields, safePath, config } = build.entry.module;
const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? "0.0.0.0";

let workers = 1;
if (cluster.isPrimary) {
  try {
    workers = build.entry.module.parseWorkers(process.env.WORKERS, availableParallelism());
  } catch (err) {
    log("error", `startup failed: ${err.message}`);
    process.exit(1);
  }
}
if (workers > 1) await (await import("./server-cluster.mjs")).runPrimary(build, workers);

try {
  // A worker opens the database its primary has migrated; a single process migrates it itself.
  await (cluster.isWorker ? build.entry.module.workerStartup() : build.entry.module.startup());
} catch (err) {
  log("error", "startup failed: could not open or migrate the database", errorFields(err));
  process.exit(1);
}

const app = express();
app.disable("x-powered-by");
// Which proxies may name the client (X-Forwarded-For) and the scheme (X-Forwarded-Proto): a number
// of hops or their addresses (TRUST_PROXY, see app/utils/config.server.ts and
// docs/operations.md). Express then derives req.ip from the right of X-Forwarded-For, skipping only
// trusted proxies, so the left-most entries, which the client writes, never become its address.
if (config.trustProxy !== false) {
  try {
    app.set("trust proxy", config.trustProxy);
  } catch (err) {
    log("error", "TRUST_PROXY is not a number of hops or a list of addresses or subnets", errorFields(err));
    process.exit(1);
  }
}
// HSTS on every answer to an HTTPS request (req.secure honours X-Forwarded-Proto only from a
// trusted proxy), and never over plain HTTP (RFC 6797 §7.2).
app.use((req, res, next) => {
  if (req.secure) res.setHeader("Strict-Transport-Security", build.entry.module.STRICT_TRANSPORT_SECURITY);
  next();
});
app.use(compression());
// Pages and data get their security headers from app/entry.server.tsx; static files get these.
const staticHeaders = (res) => {
  res.setHeader("X-Content-Type-Options", "nosniff");
  res.setHeader("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'");
};
app.use("/assets", express.static("build/client/assets", { immutable: true, maxAge: "1y", setHeaders: staticHeaders }));
app.use(express.static("build/client", { maxAge: "1h", setHeaders: staticHeaders }));
// While shutting down: readiness fails (a load balancer stops sending), and every answer closes
// its connection, so keep-alive clients reconnect to another server.
let stopping = false;
app.use((req, res, next) => {
  if (stopping) {
    res.setHeader("Connection", "close");
    if (req.path === "/readyz") return res.status(503).type("text/plain").set("Cache-Control", "no-store").send("shutting down");
  }
  next();
});
// One line per request: method, path with ids and secrets replaced, status, time taken. No
// query strings (searches carry names), no bodies, no cookies.
const open = new Set();
app.use((req, res, next) => {
  const started = process.hrtime.bigint();
  open.add(res);
  let done = false;
  const finish = (aborted) => {
    if (done) return;
    done = true;
    open.delete(res);
    const quiet = (req.path === "/healthz" || req.path === "/readyz") && res.statusCode === 200;
    if (quiet) return;
    log(res.statusCode >= 500 ? "error" : "info", "request", {
      method: req.method,
      path: safePath(req.path),
      status: aborted ? null : res.statusCode,
      ms: Math.round(Number(process.hrtime.bigint() - started) / 1e5) / 10,
      ...(aborted ? { aborted: true } : {}),
    });
  };
  res.on("finish", () => finish(false));
  res.on("close", () => finish(!res.writableFinished));
  next();
});
// A body larger than MAX_BODY_BYTES (1 MB) is refused with 413 as soon as its Content-Length says
// so, before a byte of it reaches the app; one without a length is counted as it arrives (see
// limitedBody). OWASP ASVS 4.0 V13.1.3 / V12.1.1.
const maxBodyBytes = config.maxBodyBytes;
function refuseTooLarge(req, res) {
  res.locals.tooLarge = true;
  if (!res.headersSent) res.status(413).set("Cache-Control", "no-store").type("text/plain").send(build.entry.module.TOO_LARGE);
  // The rest of the upload is read and dropped, never kept, for a moment: a connection closed
  // under an unread upload is reset, and the client would lose the 413 (a "lingering close", as
  // nginx does). A client still sending after 5 s is cut off.
  req.unpipe();
  req.resume();
  if (!req.complete) {
    const cut = setTimeout(() => req.socket?.destroy(), 5_000);
    cut.unref();
    req.once("end", () => clearTimeout(cut));
  }
}
app.use((req, res, next) => {
  const declared = req.get("content-length");
  if (declared !== undefined && Number(declared) > maxBodyBytes) return refuseTooLarge(req, res);
  next();
});
// `?_data=` is the data protocol of Remix before single fetch; this app's data URLs end in `.data`
// and its pages never ask for `?_data`. Remix still answers such a request the old way, logging a
// warning at error level each time and failing (500) on loaders that return null or throw a
// redirect: refuse it plainly instead.
app.use((req, res, next) => {
  if (!Object.prototype.hasOwnProperty.call(req.query, "_data")) return next();
  res.status(400).set("Cache-Control", "no-store").type("text/plain").send("This app does not answer ?_data requests: its data URLs end in .data.");
});
// The host Remix compares a write's Origin with: X-Forwarded-Host when present, else Host.
const siteHost = (req) => req.get("x-forwarded-host")?.split(",")[0]?.trim() || req.get("host") || null;
// Cross-site writes are refused here, with a 403 and an audit record, before Remix's own
// check would answer them with a 500.
app.use((req, res, next) => {
  const entry = build.entry.module;
  const origin = req.get("origin") ?? null;
  const refused = entry.crossSiteWrite({
    method: req.method,
    secFetchSite: req.get("sec-fetch-site") ?? null,
    origin,
    host: siteHost(req),
    protocol: req.protocol,
  });
  if (!refused) return next();
  if (req.protocol === "http" && origin === `https://${siteHost(req)}`) {
    // The browser is on HTTPS but this server thinks the request came over plain HTTP: the TLS
    // proxy in front is not trusted (TRUST_PROXY) or does not send X-Forwarded-Proto.
    log("warn", "refused a write from an HTTPS page that arrived as plain HTTP: set TRUST_PROXY and have the proxy send X-Forwarded-Proto", {
      path: safePath(req.path),
    });
  }
  entry
    .auditCrossSiteRefusal({ path: req.path, origin: req.get("origin") ?? null, ip: req.ip ?? null, userAgent: req.get("user-agent") ?? null })
    .catch((err) => log("error", "could not audit a cross-site refusal", errorFields(err)))
    .finally(() => res.status(403).type("text/plain").send(entry.CROSS_SITE_MESSAGE));
});

/**
 * The request body as Remix reads it, counted: past MAX_BODY_BYTES the client gets a 413 and the
 * app's read fails (so no action runs on half a form).
 */
function limitedBody(req, res) {
  let seen = 0;
  const counted = new Transform({
    transform(chunk, _encoding, done) {
      seen += chunk.length;
      if (seen <= maxBodyBytes) return done(null, chunk);
      refuseTooLarge(req, res);
      done(new Error("request body larger than MAX_BODY_BYTES"));
    },
  });
  req.pipe(counted);
  // A client that goes away mid-body must not leave the app a truncated form that looks whole.
  req.on("close", () => {
    if (!req.complete) counted.destroy(new Error("request body incomplete"));
  });
  return counted;
}

// What @remix-run/express does (its createRequestHandler), with two changes: the body Remix reads is
// counted, and only a trusted proxy may name the host (X-Forwarded-Host).
function remixHeaders(nodeHeaders) {
  const headers = new Headers();
  for (const [key, value] of Object.entries(nodeHeaders)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const v of value) headers.append(key, v);
    else headers.set(key, value);
  }
  return headers;
}

async function sendRemixResponse(res, response) {
  res.statusMessage = response.statusText;
  res.status(response.status);
  for (const [key, value] of response.headers.entries()) res.append(key, value);
  if (/text\/event-stream/i.test(response.headers.get("content-type") ?? "")) res.flushHeaders();
  if (response.body) await writeBody(response.body, res);
  else res.end();
}

/**
 * Writes a page as it renders, in as few pieces as it comes: what the render has ready goes out as
 * one write and one compressor flush, and the next piece waits only for what is still being
 * rendered (a streamed Suspense boundary). Writing each of React's small chunks with a flush of
 * its own (as Remix's writeReadableStreamToWritable does) deflated a page in a dozen small,
 * separately flushed blocks: gzip was an eighth of the empty shell's time.
 */
async function writeBody(body, res) {
  const reader = body.getReader();
  try {
    let next = reader.read();
    for (;;) {
      const first = await next;
      if (first.done) break;
      const ready = [first.value];
      let done = false;
      // Whatever else is already rendered: the read settles before the event loop turns.
      for (;;) {
        next = reader.read();
        const more = await Promise.race([next, new Promise((r) => setImmediate(r, null))]);
        if (more === null) break;
        if (more.done) {
          done = true;
          break;
        }
        ready.push(more.value);
      }
      res.write(ready.length === 1 ? ready[0] : Buffer.concat(ready));
      if (done) break;
      // Flushed only when the render waits, so what is shown so far reaches the browser now.
      res.flush?.();
    }
    res.end();
  } catch (error) {
    res.destroy(error);
    throw error;
  }
}

/** The Request Remix sees: the scheme and host as Express derives them, and the counted body. */
function remixRequest(req, res) {
  const trusted = req.app.get("trust proxy fn")(req.socket.remoteAddress, 0);
  const forwardedHost = trusted ? req.get("x-forwarded-host")?.split(",")[0]?.trim() : undefined;
  const url = new URL(`${req.protocol}://${forwardedHost || req.get("host")}${req.originalUrl}`);
  let controller = new AbortController();
  const init = { method: req.method, headers: remixHeaders(req.headers), signal: controller.signal };
  if (req.method !== "GET" && req.method !== "HEAD") {
    init.body = createReadableStreamFromReadable(limitedBody(req, res));
    init.duplex = "half";
  }
  // Loaders and actions are aborted if the client goes before the answer is written.
  res.on("finish", () => (controller = null));
  res.on("close", () => controller?.abort());
  return new Request(url.href, init);
}

const handleRemix = createRequestHandler(build, process.env.NODE_ENV);
app.all("*", async (req, res, next) => {
  let request;
  try {
    request = remixRequest(req, res);
  } catch {
    // A Host header that makes no URL.
    return res.status(400).type("text/plain").send("Bad request.");
  }
  try {
    // req.ip: the connection's peer, or behind trusted proxies the address the outermost saw.
    const response = await handleRemix(request, { clientIp: req.ip ?? req.socket.remoteAddress });
    // A body cut off at the limit has had its 413 already.
    if (res.locals.tooLarge) return void response.body?.cancel().catch(() => {});
    await sendRemixResponse(res, response);
  } catch (err) {
    if (res.locals.tooLarge) return;
    next(err);
  }
});

const server = app.listen(port, host, () => {
  const shown = host === "0.0.0.0" ? "localhost" : host;
  // A worker's primary says this once for all of them.
  if (cluster.isPrimary) log("info", `IOP Dashboard listening on http://${shown}:${port}`, { port, host, pid: process.pid });
});

async function stop(signal) {
  if (stopping) return;
  stopping = true;
  log("info", "shutting down: finishing open requests, then closing the database", { signal, inFlight: open.size });
  // Requests already in flight finish, and their connections close after them.
  for (const res of open) if (!res.headersSent) res.setHeader("Connection", "close");
  const force = setTimeout(() => {
    log("error", "shutdown took longer than 10 s: exiting with requests still open", { inFlight: open.size });
    process.exit(1);
  }, 10_000);
  force.unref();
  server.close(async () => {
    try {
      await build.entry.module.shutdown();
      log("info", "database closed; stopped", { signal });
      process.exit(0);
    } catch (err) {
      log("error", "closing the database failed", errorFields(err));
      process.exit(1);
    }
  });
  server.closeIdleConnections?.();
}
process.on("SIGTERM", () => stop("SIGTERM"));
process.on("SIGINT", () => stop("SIGINT"));

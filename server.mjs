// The production server: serves the built app, applies migrations before it listens, and shuts
// down cleanly (finishing requests, closing the database) on SIGTERM or SIGINT.
import { createRequestHandler } from "@remix-run/express";
import compression from "compression";
import express from "express";

const build = await import("./build/server/index.js");
// One JSON line per event, never patient data (see app/utils/log.server.ts).
const { log, errorFields, safePath } = build.entry.module;
const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? "0.0.0.0";
const trustProxy = process.env.TRUST_PROXY === "1" || process.env.TRUST_PROXY === "true";

try {
  await build.entry.module.startup();
} catch (err) {
  log("error", "startup failed: could not open or migrate the database", errorFields(err));
  process.exit(1);
}

const app = express();
app.disable("x-powered-by");
if (trustProxy) app.set("trust proxy", true);
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
// Cross-site writes are refused here, with a 403 and an audit record, before Remix's own
// check would answer them with a 500.
app.use((req, res, next) => {
  const entry = build.entry.module;
  const refused = entry.crossSiteWrite({
    method: req.method,
    secFetchSite: req.get("sec-fetch-site") ?? null,
    origin: req.get("origin") ?? null,
    host: req.get("host") ?? null,
  });
  if (!refused) return next();
  entry
    .auditCrossSiteRefusal({ path: req.path, origin: req.get("origin") ?? null, ip: req.ip ?? null, userAgent: req.get("user-agent") ?? null })
    .catch((err) => log("error", "could not audit a cross-site refusal", errorFields(err)))
    .finally(() => res.status(403).type("text/plain").send(entry.CROSS_SITE_MESSAGE));
});
app.all(
  "*",
  createRequestHandler({
    build,
    mode: process.env.NODE_ENV,
    getLoadContext: (req) => ({ clientIp: req.ip ?? req.socket.remoteAddress }),
  }),
);

const server = app.listen(port, host, () => {
  const shown = host === "0.0.0.0" ? "localhost" : host;
  log("info", `IOP Dashboard listening on http://${shown}:${port}`, { port, host, pid: process.pid });
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

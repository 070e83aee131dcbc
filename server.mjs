// The production server: serves the built app, applies migrations before it listens, and shuts
// down cleanly (finishing requests, closing the database) on SIGTERM or SIGINT.
import { createRequestHandler } from "@remix-run/express";
import compression from "compression";
import express from "express";

const build = await import("./build/server/index.js");
const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? "0.0.0.0";
const trustProxy = process.env.TRUST_PROXY === "1" || process.env.TRUST_PROXY === "true";

await build.entry.module.startup();

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
    .catch((err) => console.error("could not audit a cross-site refusal:", err.message))
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
  console.log(`IOP Dashboard listening on http://${shown}:${port}`);
});

let stopping = false;
async function stop(signal) {
  if (stopping) return;
  stopping = true;
  console.log(`${signal} received: finishing open requests, then closing the database.`);
  const force = setTimeout(() => process.exit(1), 10_000);
  force.unref();
  server.close(async () => {
    await build.entry.module.shutdown();
    process.exit(0);
  });
  server.closeIdleConnections?.();
}
process.on("SIGTERM", () => stop("SIGTERM"));
process.on("SIGINT", () => stop("SIGINT"));

// The primary of a production server with several workers (WORKERS > 1, see server.mjs): it
// migrates the database and runs the background jobs once, forks the workers (node:cluster; on
// Linux the primary accepts connections and hands them round-robin to the workers), starts a new
// worker when one dies (waiting longer after each quick death, so a crash loop does not spin), and
// on SIGTERM or SIGINT drains every worker (readiness 503, open requests finish) before it closes
// the database itself. The workers share nothing in memory: what outlives a request is in the
// database.
import cluster from "node:cluster";

/** A worker that dies within this long of starting counts as a quick death: the next start waits. */
const QUICK_DEATH_MS = 30_000;
const FIRST_DELAY_MS = 1_000;
const MAX_DELAY_MS = 30_000;
/** Each worker has 10 s to finish its requests (server.mjs); the primary waits a little longer. */
const DRAIN_MS = 12_000;

export async function runPrimary(build, count) {
  const { log, errorFields } = build.entry.module;
  try {
    await build.entry.module.startup();
  } catch (err) {
    log("error", "startup failed: could not open or migrate the database", errorFields(err));
    process.exit(1);
  }

  let stopping = false;
  let quickDeaths = 0;
  const started = new Map(); // worker id -> when it was forked
  let listening = 0;
  let announced = false;

  const fork = () => {
    const worker = cluster.fork();
    started.set(worker.id, Date.now());
    worker.once("listening", (address) => {
      log("info", "worker listening", { worker: worker.id, pid: worker.process.pid });
      if (!announced && ++listening === count) {
        announced = true;
        const host = address.address && address.address !== "0.0.0.0" ? address.address : "localhost";
        log("info", `IOP Dashboard listening on http://${host}:${address.port}`, { port: address.port, workers: count, pid: process.pid });
      }
    });
  };

  cluster.on("exit", (worker, code, signal) => {
    const lived = Date.now() - (started.get(worker.id) ?? Date.now());
    started.delete(worker.id);
    if (stopping) return;
    quickDeaths = lived < QUICK_DEATH_MS ? quickDeaths + 1 : 0;
    const delay = quickDeaths === 0 ? 0 : Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** (quickDeaths - 1));
    log("error", "a worker died; starting another", { worker: worker.id, pid: worker.process.pid, code, signal, livedMs: lived, restartInMs: delay });
    setTimeout(() => stopping || fork(), delay);
  });

  for (let i = 0; i < count; i++) fork();

  async function stop(signal) {
    if (stopping) return;
    stopping = true;
    const workers = Object.values(cluster.workers ?? {});
    log("info", "shutting down: draining the workers, then closing the database", { signal, workers: workers.length });
    const force = setTimeout(() => {
      log("error", "the workers took longer than 12 s to stop: exiting", { left: Object.keys(cluster.workers ?? {}).length });
      for (const w of Object.values(cluster.workers ?? {})) w.process.kill("SIGKILL");
      process.exit(1);
    }, DRAIN_MS);
    force.unref();
    const results = await Promise.all(
      workers.map(
        (w) =>
          new Promise((resolve) => {
            if (w.isDead()) return resolve(0);
            // A worker still starting has no handler yet and simply ends on the signal: not a failure.
            w.once("exit", (code, signal) => resolve(code ?? (signal === "SIGTERM" ? 0 : 1)));
            // Each worker runs server.mjs's own graceful shutdown on this signal.
            w.process.kill("SIGTERM");
          }),
      ),
    );
    let failed = results.some((code) => code !== 0);
    try {
      await build.entry.module.shutdown();
      log("info", "workers stopped and database closed; stopped", { signal });
    } catch (err) {
      log("error", "closing the database failed", errorFields(err));
      failed = true;
    }
    process.exit(failed ? 1 : 0);
  }
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
  // The primary serves nothing itself; it lives until stop() exits.
  await new Promise(() => {});
}

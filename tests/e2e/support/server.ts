/** Starting the production build for end-to-end tests: a free port, the server, and its readiness. */
import { type ChildProcess, spawn } from "node:child_process";
import { launchBrowser } from "../../support/browser";
import { freePort } from "../../support/server";

export { freePort };

export interface TestServer {
  child: ChildProcess;
  url: string;
  log: () => string;
}

/** `server.mjs` in production mode on a port, with extra environment and node options. */
export function startServer(port: number, env: Record<string, string>, nodeArgs: string[] = []): TestServer {
  let output = "";
  const child = spawn(process.execPath, [...nodeArgs, "server.mjs"], {
    env: { ...process.env, NODE_ENV: "production", HOST: "127.0.0.1", PORT: String(port), ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.on("data", (d) => (output += d));
  child.stderr?.on("data", (d) => (output += d));
  return { child, url: `http://localhost:${port}`, log: () => output };
}

export async function waitForReady(server: TestServer): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (server.child.exitCode !== null) throw new Error(`server exited early:\n${server.log()}`);
    try {
      const res = await fetch(`${server.url}/readyz`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`server at ${server.url} did not become ready:\n${server.log()}`);
}

export async function stopServer(server: TestServer): Promise<void> {
  if (server.child.exitCode !== null) return;
  const exited = new Promise((r) => server.child.once("exit", r));
  server.child.kill("SIGTERM");
  await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
}

/**
 * A test's own production server on its own database, and a browser to drive it. `close()` stops
 * both; the database is the caller's to drop (it may have been made before this failed).
 */
export async function serveOwnClinic(databaseUrl: string, env: Record<string, string> = {}, nodeArgs: string[] = []) {
  const server = startServer(await freePort(), { DATABASE_URL: databaseUrl, ...env }, nodeArgs);
  try {
    await waitForReady(server);
    const browser = await launchBrowser();
    return {
      server,
      browser,
      close: async () => {
        await browser.close();
        await stopServer(server);
      },
    };
  } catch (err) {
    await stopServer(server);
    throw err;
  }
}

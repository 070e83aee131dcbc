import { execFileSync } from "node:child_process";
import { type Browser, type BrowserServer, chromium } from "playwright-core";

/** Debian's chromium from PATH; never a downloaded browser. */
export function chromiumPath(): string {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) return fromEnv;
  try {
    return execFileSync("sh", ["-c", "command -v chromium || command -v chromium-browser"], { encoding: "utf8" }).trim();
  } catch {
    throw new Error("Chromium is not installed: run `apt-get install -y chromium` (Debian) or set CHROMIUM_PATH.");
  }
}

const LAUNCH = {
  headless: true,
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
  ],
};

/**
 * The end-to-end suite's one Chromium, started by its global setup and named to every test file
 * by this variable (its workers inherit the environment). Starting Chromium costs seconds of CPU,
 * and the suite's files each used to start their own, one after another.
 */
export const SHARED_BROWSER_ENV = "IOP_E2E_BROWSER_WS";

/** Starts the shared browser and names it in the environment; returns it, to close at the end of the run. */
export async function startSharedBrowser(): Promise<BrowserServer> {
  const server = await chromium.launchServer({ executablePath: chromiumPath(), ...LAUNCH });
  process.env[SHARED_BROWSER_ENV] = server.wsEndpoint();
  return server;
}

/**
 * A browser to drive: a connection to the suite's shared one when there is one (closing it closes
 * this connection's contexts and pages, not the browser), else a Chromium of its own (scripts, the
 * bench, a test file run outside the suite's setup).
 */
export async function launchBrowser(): Promise<Browser> {
  const shared = process.env[SHARED_BROWSER_ENV];
  if (shared) return chromium.connect(shared);
  return chromium.launch({ executablePath: chromiumPath(), ...LAUNCH });
}

/** A test's own clinic for end-to-end tests: the production server on its database, and a browser. */
import { launchBrowser } from "../../support/browser";
import { freePort, startServer, stopServer, waitReady } from "../../support/server";

/**
 * A test's own production server on its own database, and a browser to drive it. `close()` stops
 * both; the database is the caller's to drop (it may have been made before this failed).
 */
export async function serveOwnClinic(databaseUrl: string, env: Record<string, string> = {}, nodeArgs: string[] = []) {
  const server = startServer({ DATABASE_URL: databaseUrl, ...env }, await freePort(), nodeArgs);
  try {
    await waitReady(server);
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

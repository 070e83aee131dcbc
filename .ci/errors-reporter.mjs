/**
 * A vitest reporter that writes what the JSON reporter leaves out: errors outside any test
 * (an unhandled rejection, an error thrown after a test ended) and why the run ended. vitest
 * exits 1 for these, but its JSON report still says `success: true` with every test passed.
 * Writes to the file named by CI_ERRORS_FILE; .ci/count-results.mjs reads it.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

export default class ErrorsReporter {
  onTestRunEnd(_testModules, unhandledErrors, reason) {
    const file = process.env.CI_ERRORS_FILE;
    if (!file) return;
    mkdirSync(dirname(file), { recursive: true });
    const errors = (unhandledErrors ?? []).map((e) => `${e?.name ?? "Error"}: ${e?.message ?? String(e)}`);
    writeFileSync(file, `${JSON.stringify({ reason: reason ?? null, unhandledErrors: errors }, null, 2)}\n`);
  }
}

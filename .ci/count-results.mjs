#!/usr/bin/env node
/**
 * CI's last line. Adds up one or more vitest runs and prints, last, exactly
 *   tests: N passed, N failed[, N skipped]
 * with plain lines above it for anything that needs saying (each failed test and the first line
 * of its error, a crashed file, an unhandled error, PostgreSQL not tested).
 *
 *   node .ci/count-results.mjs [--postgres=tested|untested] --run results.json errors.json status [--run …]
 *
 * For each run: the JSON reporter's file, the file .ci/errors-reporter.mjs wrote, and vitest's exit
 * status. Counted as failed, beyond the failed tests themselves:
 *   - a test file that failed with no failed test in it (a crash in beforeAll, an import that
 *     fails): one each, and its tests that never ran are not "skipped";
 *   - each error outside any test (an unhandled rejection): vitest exits 1 but its JSON says
 *     success with every test passed;
 *   - a report that says `success: false`, or an exit status that is not 0, with nothing else
 *     counted: one, so a run that failed can never print 0 failed;
 *   - a run with no report at all (vitest did not finish): one.
 */
import { existsSync, readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

const POSTGRES_TEST = /runs the integration suite on PostgreSQL too/;

const readJson = (file) => {
  if (!file || !existsSync(file)) return null;
  try {
    return JSON.parse(readFileSync(file, "utf8"));
  } catch {
    return null;
  }
};

/** A test file's path from the project's root (the JSON report names it absolutely). */
const relativeName = (name) => {
  const at = String(name).lastIndexOf("/tests/");
  return at >= 0 ? String(name).slice(at + 1) : String(name);
};

/**
 * @param {{ label: string, report: any, errors: { unhandledErrors?: string[] } | null, status: number | null }[]} runs
 * @param {{ postgres?: "tested" | "untested" }} options
 */
export function countResults(runs, options = {}) {
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  const notes = [];
  let postgresSkipped = false;
  for (const run of runs) {
    const { label, report, errors, status } = run;
    if (!report || !Array.isArray(report.testResults)) {
      failed += 1;
      notes.push(`${label}: no test report was written (vitest did not finish): counted as 1 failed`);
      continue;
    }
    let counted = 0;
    for (const file of report.testResults) {
      const tests = file.assertionResults ?? [];
      const failedTests = tests.filter((t) => t.status === "failed").length;
      passed += tests.filter((t) => t.status === "passed").length;
      failed += failedTests;
      counted += failedTests;
      // Each failed test by name, with the first line of why, so the tail of a CI log says what failed.
      for (const t of tests.filter((x) => x.status === "failed")) {
        const why = String(t.failureMessages?.[0] ?? "")
          .split("\n")[0]
          .slice(0, 300);
        notes.push(`${label}: FAILED ${relativeName(file.name)} > ${t.fullName ?? t.title}${why ? `: ${why}` : ""}`);
      }
      if (file.status === "failed" && failedTests === 0) {
        failed += 1;
        counted += 1;
        const reason = (file.message || "it failed outside its tests").split("\n")[0];
        notes.push(`${label}: ${file.name} crashed (${reason}): counted as 1 failed${tests.length ? `; its ${tests.length} tests did not run` : ""}`);
      } else {
        for (const t of tests.filter((x) => x.status === "skipped" || x.status === "pending" || x.status === "todo")) {
          skipped += 1;
          if (POSTGRES_TEST.test(t.title ?? "")) postgresSkipped = true;
        }
      }
    }
    const unhandled = errors?.unhandledErrors ?? [];
    for (const e of unhandled) notes.push(`${label}: an error outside any test (${String(e).split("\n")[0]}): counted as 1 failed`);
    failed += unhandled.length;
    counted += unhandled.length;
    if (counted === 0 && report.success === false) {
      failed += 1;
      notes.push(`${label}: vitest reported the run as unsuccessful with no failed test: counted as 1 failed`);
    } else if (counted === 0 && status !== null && status !== undefined && Number(status) !== 0) {
      failed += 1;
      notes.push(`${label}: vitest exited with status ${status} with no failed test: counted as 1 failed`);
    }
  }
  if (options.postgres === "untested" || postgresSkipped) {
    notes.push("PostgreSQL was not tested: the integration and browser tests ran on SQLite only.");
  }
  return { passed, failed, skipped, notes };
}

export function summaryLine({ passed, failed, skipped }) {
  return `tests: ${passed} passed, ${failed} failed` + (skipped ? `, ${skipped} skipped` : "");
}

function main(argv) {
  const runs = [];
  let postgres;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg.startsWith("--postgres=")) postgres = arg.slice("--postgres=".length);
    else if (arg === "--run") {
      const [results, errors, status] = argv.slice(i + 1, i + 4);
      runs.push({ label: results, report: readJson(results), errors: readJson(errors), status: status === undefined || status === "" ? null : Number(status) });
      i += 3;
    } else throw new Error(`count-results: unknown argument ${arg}`);
  }
  if (!runs.length) runs.push({ label: "tests", report: null, errors: null, status: null });
  const result = countResults(runs, { postgres });
  for (const note of result.notes) console.log(`[ci] ${note}`);
  console.log(summaryLine(result));
  return result.failed > 0 ? 1 : 0;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) process.exitCode = main(process.argv.slice(2));

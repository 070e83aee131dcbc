/**
 * CI's last line (.ci/count-results.mjs), run as .ci/run runs it, on reports that vitest really
 * wrote for tiny deliberately broken sample files (tests/fixtures/ci-results/samples, re-made with
 * make-fixtures.sh): a run that crashed or erred never reads as clean.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const FIXTURES = "tests/fixtures/ci-results";
const run = (name: string) => [
  "--run",
  `${FIXTURES}/${name}.json`,
  `${FIXTURES}/${name}.errors.json`,
  readFileSync(`${FIXTURES}/${name}.status`, "utf8").trim(),
];

/** Every line the script prints, and its exit status. */
function count(...args: string[]): { lines: string[]; last: string; status: number } {
  try {
    const out = execFileSync(process.execPath, [".ci/count-results.mjs", ...args], { encoding: "utf8" });
    const lines = out.trimEnd().split("\n");
    return { lines, last: lines.at(-1)!, status: 0 };
  } catch (e) {
    const err = e as { stdout: string; status: number };
    const lines = err.stdout.trimEnd().split("\n");
    return { lines, last: lines.at(-1)!, status: err.status };
  }
}

describe("the CI summary line", () => {
  it("counts a clean run: passed and skipped, nothing failed, and the last line is exactly the summary", () => {
    const r = count("--postgres=tested", ...run("clean"));
    expect(r.lines).toEqual(["tests: 2 passed, 0 failed, 1 skipped"]);
    expect(r.status).toBe(0);
  });

  it("counts an unhandled rejection as a failure although every test passed and the JSON says success", () => {
    const report = JSON.parse(readFileSync(`${FIXTURES}/unhandled-rejection.json`, "utf8"));
    expect(report).toMatchObject({ success: true, numPassedTests: 2, numFailedTests: 0 }); // what fooled the old line
    const r = count("--postgres=tested", ...run("unhandled-rejection"));
    expect(r.last).toBe("tests: 2 passed, 1 failed");
    expect(r.lines.join("\n")).toContain("an error outside any test (Error: nobody awaited me)");
    expect(r.status).toBe(1);
  });

  it("counts a file whose beforeAll crashed as failed, not its tests as skipped", () => {
    const r = count("--postgres=tested", ...run("crashed-beforeall"));
    expect(r.last).toBe("tests: 1 passed, 1 failed");
    expect(r.lines.join("\n")).toMatch(/crashed-beforeall\/a\.sample\.ts crashed \(set-up crashed\)/);
  });

  it("counts a file that fails to import even when another test failed too", () => {
    const r = count("--postgres=tested", ...run("import-failure"));
    expect(r.last).toBe("tests: 1 passed, 2 failed");
    expect(r.lines.join("\n")).toMatch(/import-failure\/a\.sample\.ts crashed \(Cannot find module/);
    // The failed test itself is named above the last line, with the first line of its error.
    expect(r.lines.join("\n")).toContain("FAILED tests/fixtures/ci-results/samples/import-failure/b.sample.ts > fails: AssertionError: expected 1 to be 2");
  });

  it("says plainly when PostgreSQL was not tested, from .ci/run or from the skipped coverage test", () => {
    const skipped = count(...run("postgres-missing"));
    expect(skipped.lines).toEqual([
      "[ci] PostgreSQL was not tested: the integration and browser tests ran on SQLite only.",
      "tests: 1 passed, 0 failed, 1 skipped",
    ]);
    const told = count("--postgres=untested", ...run("clean"));
    expect(told.lines).toEqual([
      "[ci] PostgreSQL was not tested: the integration and browser tests ran on SQLite only.",
      "tests: 2 passed, 0 failed, 1 skipped",
    ]);
  });

  it("adds up several runs, and counts a run with no report, or a failing exit with nothing else to show, as failed", () => {
    expect(count("--postgres=tested", ...run("clean"), ...run("crashed-beforeall")).last).toBe("tests: 3 passed, 1 failed, 1 skipped");
    const missing = count("--postgres=tested", ...run("clean"), "--run", `${FIXTURES}/no-such-report.json`, `${FIXTURES}/no-such-errors.json`, "1");
    expect(missing.last).toBe("tests: 2 passed, 1 failed, 1 skipped");
    expect(missing.status).toBe(1);
    // A clean report beside a failing exit status (say the reporter that lists stray errors did not run).
    const exited = count("--postgres=tested", "--run", `${FIXTURES}/clean.json`, `${FIXTURES}/no-such-errors.json`, "1");
    expect(exited.last).toBe("tests: 2 passed, 1 failed, 1 skipped");
    expect(count().last).toBe("tests: 0 passed, 1 failed");
  });
});

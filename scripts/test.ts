/**
 * `npm test`: every test the project has, in two streams side by side.
 *
 *   npm test                                   # unit, integration and end-to-end on SQLite
 *   TEST_DATABASE_URL=postgres://… npm test    # and integration + end-to-end on PostgreSQL too
 *   npm test -- --reporter=json --outputFile.json=out.json   # extra arguments go to every vitest run
 *
 * It builds the production server (the end-to-end tests drive it), then runs:
 *   - stream A: the unit and integration projects, then (with TEST_DATABASE_URL) the end-to-end
 *     project again against PostgreSQL, less the files that run once (below);
 *   - stream B: the end-to-end project on SQLite.
 * On 2 cores vitest gives each run one worker and runs the end-to-end files one at a time. Both
 * streams keep the two cores busy, so the run takes about half their work: the files that run once
 * are placed to even the streams out, and each end-to-end pass drives one shared Chromium
 * (tests/support/browser.ts). The demo clinic is seeded once per database for the whole run, beside the
 * build, and copied by every file that starts from it (tests/support/templates.ts).
 *
 * Each stream's output is printed whole when it ends. With `--outputFile.json=F` each run writes
 * its own report (F, F with `-e2e`, F with `-e2e-postgres` before the extension) and its exit
 * status beside it (`<report>.exit`); CI_ERRORS_FILE (.ci/errors-reporter.mjs) is split the same
 * way. .ci/run reads them for its last line. The exit status is 0 only when every run passed.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { dropTemplates } from "../tests/support/templates";

/**
 * End-to-end files that run once, in the SQLite pass: they test how pages look and what they refuse
 * or show a role before anything a database answers differently (accessibility, every page's
 * console, tablet layout, the chart's sections, dates on screen, request limits, the sign-in and
 * two-factor forms, what staff's pages leave out), so a second pass would only slow the run. What
 * their pages write and read is proven on PostgreSQL too: sign-in, lockout and sessions by the
 * integration suite's sign-in, sign-in-throttle and two-factor files and by `workers` (a lockout
 * counted across processes on both databases); every route each role may open by `route-access`.
 */
const UI_ONLY_E2E = [
  "accessibility",
  "every-page",
  "tablet-layout",
  "chart-sections",
  "dates-and-times",
  "request-limits",
  "sign-in",
  "two-factor-setup",
  "staff-minimum-necessary",
];

/**
 * End-to-end files that start their own servers on their own databases (crash safety, fuzzing,
 * operations, two servers, workers: each tests the databases it means to itself) and read nothing
 * of a pass's shared server, so each runs once, in whichever pass balances the two streams.
 * With PostgreSQL, crash safety, operations, fuzzing and workers run in the PostgreSQL pass (stream
 * A, after the integration suite), two servers in the SQLite pass.
 */
const OWN_SERVERS_E2E = ["crash-safety", "fuzz-actions", "operations", "two-servers", "workers"];
const OWN_SERVERS_IN_STREAM_A = ["crash-safety", "operations", "fuzz-actions", "workers"];

const e2eFile = (name: string) => `tests/e2e/${name}.test.ts`;
const excluding = (names: string[]) => names.flatMap((n) => ["--exclude", e2eFile(n)]);

const passed = process.argv.slice(2);
const outArg = passed.find((a) => a.startsWith("--outputFile.json="));
const baseArgs = passed.filter((a) => a !== outArg);

/** `out.json` + `-e2e` → `out-e2e.json`. */
function suffixed(path: string | undefined, suffix: string): string | undefined {
  if (!path || !suffix) return path;
  const dot = path.lastIndexOf(".");
  return dot > path.lastIndexOf("/") ? `${path.slice(0, dot)}${suffix}${path.slice(dot)}` : `${path}${suffix}`;
}

interface Run {
  label: string;
  args: string[];
  env?: Record<string, string>;
  /** Appended to the report's and the errors file's names. */
  suffix: string;
}

function exec(command: string, args: string[], env: NodeJS.ProcessEnv, capture: boolean): Promise<{ code: number; output: string }> {
  return new Promise((done) => {
    const child = spawn(command, args, { env, stdio: capture ? ["ignore", "pipe", "pipe"] : "inherit" });
    const chunks: Buffer[] = [];
    child.stdout?.on("data", (c: Buffer) => chunks.push(c));
    child.stderr?.on("data", (c: Buffer) => chunks.push(c));
    child.on("error", (err) => done({ code: 1, output: String(err) }));
    child.on("close", (code, signal) => done({ code: code ?? (signal ? 1 : 0), output: Buffer.concat(chunks).toString("utf8") }));
  });
}

/** Runs one vitest invocation; returns its exit status and its output. */
async function vitest(run: Run): Promise<{ code: number; output: string }> {
  const report = suffixed(outArg?.slice("--outputFile.json=".length), run.suffix);
  const env: NodeJS.ProcessEnv = { ...process.env, ...run.env };
  if (process.env.CI_ERRORS_FILE) env.CI_ERRORS_FILE = suffixed(process.env.CI_ERRORS_FILE, run.suffix);
  const args = ["vitest", "run", ...run.args, ...baseArgs, ...(report ? [`--outputFile.json=${report}`] : [])];
  const result = await exec("npx", args, env, true);
  if (report) writeFileSync(`${report}.exit`, `${result.code}\n`);
  return { code: result.code, output: `\n===== ${run.label} (exit ${result.code}) =====\n${result.output}` };
}

async function stream(runs: Run[]): Promise<number> {
  let worst = 0;
  for (const run of runs) {
    const { code, output } = await vitest(run);
    process.stdout.write(output);
    if (code !== 0) worst = code;
  }
  return worst;
}

const ownsTemplates = !process.env.IOP_TEMPLATE_DIR;
const templateDir = process.env.IOP_TEMPLATE_DIR || mkdtempSync(join(tmpdir(), "iop-templates-"));
process.env.IOP_TEMPLATE_DIR = templateDir;
process.env.IOP_TEMPLATE_PREBUILD = "1";
const postgres = process.env.TEST_DATABASE_URL?.startsWith("postgres") ?? false;

let status = 1;
try {
  // The demo clinics' templates are seeded beside the build, and the streams start as soon as the
  // build is done: a file that copies a template still being seeded waits for it (templates.ts),
  // and the integration suite's global setup waits for all of them (templates-setup.ts). The SQLite
  // browser pass needs only the SQLite demo, seeded in well under a minute, so it need not wait
  // for PostgreSQL's, which takes minutes.
  // One process per dialect: seeding SQLite (synchronous) would otherwise pause PostgreSQL's.
  const seedTemplates = (dialect: string) =>
    exec("npx", ["tsx", "tests/support/templates-prebuild.ts"], { ...process.env, IOP_TEMPLATE_PREBUILD_DIALECT: dialect }, true).then((seeded) => {
      process.stdout.write(seeded.output);
      return seeded;
    });
  const prebuild = Promise.all((postgres ? ["sqlite", "postgres"] : ["sqlite"]).map(seedTemplates)).then((runs) => runs.find((r) => r.code !== 0) ?? runs[0]);
  const build = await exec("npm", ["run", "build"], process.env, false);
  if (build.code !== 0) {
    await prebuild;
    console.error("npm test: the build failed, so no test ran");
  } else {
    const a: Run[] = [{ label: "unit and integration tests", args: ["--project", "unit", "--project", "integration"], suffix: "" }];
    if (postgres) {
      a.push({
        label: "end-to-end tests on PostgreSQL",
        args: ["--project", "e2e", ...excluding([...UI_ONLY_E2E, ...OWN_SERVERS_E2E.filter((f) => !OWN_SERVERS_IN_STREAM_A.includes(f))])],
        env: { E2E_DIALECT: "postgres" },
        suffix: "-e2e-postgres",
      });
    }
    const b: Run[] = [
      { label: "end-to-end tests on SQLite", args: ["--project", "e2e", ...(postgres ? excluding(OWN_SERVERS_IN_STREAM_A) : [])], suffix: "-e2e" },
    ];
    console.log(`npm test: ${a.map((r) => r.label).join(", then ")}  |  beside them: ${b[0].label}`);
    const [sa, sb, seeded] = await Promise.all([stream(a), stream(b), prebuild]);
    status = sa || sb || seeded.code;
    if (!postgres) console.log("npm test: TEST_DATABASE_URL is not set, so nothing ran on PostgreSQL");
  }
} finally {
  if (ownsTemplates) await dropTemplates(templateDir).catch((err) => console.error("could not drop the test templates:", err));
}
process.exit(status);

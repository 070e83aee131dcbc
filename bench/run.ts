/**
 * `npm run bench`: the production server against the large network (seeds/large.ts), under
 * concurrent load. For each main page and key write it prints requests per second, p50/p95/p99
 * latency, and the page's throughput as a share of the floor — the signed-in app shell with an
 * empty content area (/shell) measured in the same run. It also measures each page's data alone
 * (Remix's `.data` request: loaders, no server rendering) so what server rendering costs shows,
 * runs the pages again at a larger scale for the p95 growth ratio, and reports the JavaScript each
 * page ships (gzip).
 *
 *   npm run bench                                  # scale 1 and growth on SQLite, then scale 1 on PostgreSQL
 *   npm run bench -- --scale 0.1 --duration 5      # quick
 *   npm run bench -- --db sqlite                   # one database (or --db postgres; BENCH_PG_URL, default local)
 *
 * Options: --scale N (1) --growth N (10 × scale, or scale ÷ 10 when the disk cannot hold that; 0 skips; smaller than --scale measures the growth from below) --seed N (1) --duration s (20)
 * --warmup s (5) --connections N (10) --db both|sqlite|postgres (both) --no-build --no-data --port N (3100)
 * --json file (write the figures).
 *
 * Generated datasets are cached in .bench-cache/ by scale and seed (regenerated when older than a
 * week, so "today" stays current); each run works on a fresh copy, so writes never pile up.
 */
import { type ChildProcess, execSync, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, statfsSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { join, resolve } from "node:path";
import { gzipSync } from "node:zlib";
import autocannon from "autocannon";
import pg from "pg";
import { createDb } from "../db/database";
import { createSession } from "../app/features/auth/sessions.server";
import { SESSION_COOKIE } from "../app/features/auth/cookie.server";
import { addDays, todayIn } from "../app/kernel/time";
import { generateLarge, type LargeSummary, parseArgs } from "../seeds/large";

const args = parseArgs(process.argv.slice(2));
const scale = Number(args.scale ?? 1);
const seed = Number(args.seed ?? 1);
const growthAsked = args.growth !== undefined;
let growth = growthAsked ? Number(args.growth) : scale * 10;
const duration = Number(args.duration ?? 20);
const warmup = Number(args.warmup ?? 5);
const connections = Number(args.connections ?? 10);
/** Which database the current run uses: `--db both` (the default) runs SQLite, then PostgreSQL. */
let dialect: "sqlite" | "postgres" = "sqlite";
const dialects: ("sqlite" | "postgres")[] = (args.db ?? "both") === "both" ? ["sqlite", "postgres"] : [args.db as "sqlite" | "postgres"];
const port = Number(args.port ?? 3100);
const CACHE = resolve(".bench-cache");
const PG_BASE = process.env.BENCH_PG_URL ?? "postgres://postgres@127.0.0.1:5432";
const PG_PREFIX = args["pg-prefix"] ?? "iop_bench";
const MAX_AGE_DAYS = 7;

/** A scale-1 SQLite file is about 7.4 GB with its indexes; PostgreSQL's is similar. */
const GB_PER_SCALE = 7.5;
const freeBytes = () => {
  mkdirSync(CACHE, { recursive: true });
  const st = statfsSync(CACHE);
  return st.bavail * st.bsize;
};
/** Whether a run at this scale fits on the disk: its dataset (unless cached) and the run's working copy. */
function roomFor(s: number): boolean {
  const cached = dialect === "sqlite" && existsSync(join(CACHE, `large-s${tag(s)}-seed${seed}.sqlite`));
  return freeBytes() > GB_PER_SCALE * s * (cached ? 1 : 2) * 1e9 * 1.1;
}

const tag = (s: number) => String(s).replace(".", "_");
const log = (msg: string) => console.log(msg);

// ---------------------------------------------------------------------------------------------
// Datasets

interface Dataset {
  url: string;
  summary: LargeSummary;
}

function fresh(summaryFile: string): LargeSummary | null {
  if (!existsSync(summaryFile)) return null;
  const summary = JSON.parse(readFileSync(summaryFile, "utf8")) as LargeSummary;
  const age = (Date.parse(todayIn("America/New_York")) - Date.parse(summary.today)) / 86_400_000;
  return age <= MAX_AGE_DAYS ? summary : null;
}

async function pgAdmin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: `${PG_BASE}/postgres` });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

async function dataset(s: number): Promise<Dataset> {
  mkdirSync(CACHE, { recursive: true });
  const name = `large-s${tag(s)}-seed${seed}`;
  const summaryFile = join(CACHE, `${name}${dialect === "postgres" ? "-pg" : ""}.json`);
  let summary = fresh(summaryFile);
  if (dialect === "sqlite") {
    const cached = join(CACHE, `${name}.sqlite`);
    if (!summary || !existsSync(cached)) {
      for (const f of [cached, `${cached}-wal`, `${cached}-shm`, summaryFile]) rmSync(f, { force: true });
      log(`Generating the scale ${s} network (cached in ${cached}) …`);
      summary = await generateLarge(`file:${cached}`, { scale: s, seed, progress: true });
      writeFileSync(summaryFile, JSON.stringify(summary, null, 2));
      log(`  ${summary.seconds.toFixed(0)} s, ${(statSync(cached).size / 1e9).toFixed(2)} GB`);
    }
    const work = join(CACHE, `work-s${tag(s)}.sqlite`);
    for (const f of [work, `${work}-wal`, `${work}-shm`]) rmSync(f, { force: true });
    copyFileSync(cached, work);
    return { url: `file:${work}`, summary };
  }
  const template = `${PG_PREFIX}_s${tag(s)}_seed${seed}`;
  const work = `${PG_PREFIX}_s${tag(s)}_work`;
  const exists = await pgAdmin(async (c) => (await c.query("SELECT 1 FROM pg_database WHERE datname = $1", [template])).rowCount === 1);
  if (!summary || !exists) {
    await pgAdmin(async (c) => {
      await c.query(`DROP DATABASE IF EXISTS "${template}"`);
      await c.query(`CREATE DATABASE "${template}"`);
    });
    log(`Generating the scale ${s} network into PostgreSQL database ${template} …`);
    summary = await generateLarge(`${PG_BASE}/${template}`, { scale: s, seed, progress: true });
    writeFileSync(summaryFile, JSON.stringify(summary, null, 2));
  }
  await pgAdmin(async (c) => {
    await c.query(`DROP DATABASE IF EXISTS "${work}"`);
    await c.query(`CREATE DATABASE "${work}" TEMPLATE "${template}"`);
  });
  return { url: `${PG_BASE}/${work}`, summary };
}

// ---------------------------------------------------------------------------------------------
// The server

async function startServer(url: string): Promise<{ child: ChildProcess; base: string; stop: () => Promise<void> }> {
  let output = "";
  const child = spawn(process.execPath, ["server.mjs"], {
    env: { ...process.env, NODE_ENV: "production", HOST: "127.0.0.1", PORT: String(port), DATABASE_URL: url },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.on("data", (d) => (output += d));
  child.stderr?.on("data", (d) => (output += d));
  const base = `http://127.0.0.1:${port}`;
  // A first start on a large copy applies migrations and extends every series: give it time.
  const deadline = Date.now() + 900_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`The server exited early:\n${output}`);
    try {
      if ((await fetch(`${base}/readyz`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill("SIGTERM");
      throw new Error(`The server did not become ready:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    child,
    base,
    stop: () =>
      new Promise<void>((done) => {
        child.once("exit", () => done());
        child.kill("SIGTERM");
      }),
  };
}

// ---------------------------------------------------------------------------------------------
// Who signs in, and what they open

interface Fixtures {
  cookies: Record<"admin" | "counselor" | "staff", string>;
  siteId: string;
  siteTz: string;
  activeAtSite: number;
  patientId: string;
  rollSessionId: string;
  rollRoster: number;
  /** Past sessions at the site with fifteen on the roster, and their patients. */
  saveSessions: { id: string; version: number; patients: string[] }[];
  testPatients: string[];
  staffId: string;
  panelId: string;
}

async function fixtures(url: string, summary: LargeSummary): Promise<Fixtures> {
  const db = createDb(url);
  try {
    const siteId = summary.signIns[0].siteId;
    const site = await db.selectFrom("sites").select(["id", "time_zone"]).where("id", "=", siteId).executeTakeFirstOrThrow();
    const person = async (role: "admin" | "counselor" | "staff") => {
      const email = summary.signIns.find((s) => s.role === role)!.email;
      return db.selectFrom("users").select(["id", "name"]).where("email", "=", email).executeTakeFirstOrThrow();
    };
    const [admin, counselor, staff] = [await person("admin"), await person("counselor"), await person("staff")];
    const cookie = async (user: { id: string }) =>
      `${SESSION_COOKIE}=${(await createSession(db, user, siteId, { ip: "127.0.0.1", userAgent: "bench" })).token}`;
    const today = todayIn(site.time_zone);
    const patient = await db
      .selectFrom("patients")
      .select("id")
      .where("site_id", "=", siteId)
      .where("primary_counselor_id", "=", counselor.id)
      .where("status", "=", "active")
      .orderBy("mrn")
      .executeTakeFirstOrThrow();
    // The roll call page: today's (or the latest) session with the fullest roster.
    const roll = await db
      .selectFrom("sessions as s")
      .innerJoin("session_participants as sp", "sp.session_id", "s.id")
      .select(["s.id", (eb) => eb.fn.countAll<number>().as("n")])
      .where("s.site_id", "=", siteId)
      .where("s.local_date", "<=", today)
      .where("s.local_date", ">=", addDays(today, -7))
      .where("s.status", "=", "scheduled")
      .groupBy("s.id")
      .orderBy("n", "desc")
      .orderBy("s.id", "desc")
      .limit(1)
      .executeTakeFirstOrThrow();
    const sessions = await db
      .selectFrom("sessions as s")
      .innerJoin("roll_calls as r", "r.session_id", "s.id")
      .select(["s.id", "r.version"])
      .where("s.site_id", "=", siteId)
      .where("s.local_date", "<", today)
      .where("s.local_date", ">=", addDays(today, -90))
      .where("s.status", "=", "scheduled")
      .where((eb) =>
        eb(
          eb
            .selectFrom("session_participants as sp")
            .select((e) => e.fn.countAll().as("n"))
            .whereRef("sp.session_id", "=", "s.id"),
          "=",
          15,
        ),
      )
      .orderBy("s.local_date", "desc")
      .limit(connections * 30)
      .execute();
    // (A tiny scale may have no such session; PostgreSQL refuses an empty IN list.)
    const rosters = sessions.length
      ? await db
          .selectFrom("session_participants")
          .select(["session_id", "patient_id"])
          .where(
            "session_id",
            "in",
            sessions.map((s) => s.id),
          )
          .execute()
      : [];
    const saveSessions = sessions.map((s) => ({
      id: s.id,
      version: Number(s.version),
      patients: rosters.filter((r) => r.session_id === s.id).map((r) => r.patient_id),
    }));
    const active = await db.selectFrom("patients").select("id").where("site_id", "=", siteId).where("status", "=", "active").orderBy("mrn").execute();
    const panel = await db.selectFrom("drug_test_panels").select("id").where("site_id", "=", siteId).where("specimen", "=", "urine").executeTakeFirstOrThrow();
    return {
      cookies: { admin: await cookie(admin), counselor: await cookie(counselor), staff: await cookie(staff) },
      siteId,
      siteTz: site.time_zone,
      activeAtSite: active.length,
      patientId: patient.id,
      rollSessionId: roll.id,
      rollRoster: Number(roll.n),
      saveSessions,
      testPatients: active.map((a) => a.id),
      staffId: staff.id,
      panelId: panel.id,
    };
  } finally {
    await db.destroy();
  }
}

// ---------------------------------------------------------------------------------------------
// Measuring

interface Figures {
  name: string;
  path: string;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  requests: number;
  bad: number;
  connections: number;
}

/** autocannon's per-connection context: our loads keep their own values in it. */
type Context = Record<string, unknown>;

/** autocannon's instance (an event emitter, one "response" per reply) that is also a promise of the result. */
type Cannon = autocannon.Instance & PromiseLike<autocannon.Result>;
function cannon(opts: autocannon.Options): Cannon {
  let instance!: autocannon.Instance;
  const result = new Promise<autocannon.Result>((resolve, reject) => {
    instance = autocannon(opts, (err, res) => (err ? reject(err) : resolve(res)));
  });
  return Object.assign(instance, { then: result.then.bind(result) });
}

const percentile = (sorted: number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : NaN);

interface Load {
  name: string;
  path: string;
  cookie: string;
  method?: "GET" | "POST";
  /** Builds each request's form body; the context is the connection's own. */
  body?: (context: Record<string, unknown>) => string;
  /** Status codes that count as success. */
  ok?: number[];
  connections?: number;
  onOk?: (context: Record<string, unknown>) => void;
  /** After every response, whatever its status. */
  onDone?: (context: Record<string, unknown>) => void;
}

async function measure(base: string, load: Load, seconds: number): Promise<Figures> {
  const ok = load.ok ?? [200];
  const times: number[] = [];
  let bad = 0;
  const headers: Record<string, string> = { cookie: load.cookie, origin: base, "accept-encoding": "gzip" };
  if (load.method === "POST") headers["content-type"] = "application/x-www-form-urlencoded";
  const conns = load.connections ?? connections;
  const instance = cannon({
    url: base,
    connections: conns,
    duration: seconds,
    headers,
    requests: [
      {
        method: load.method ?? "GET",
        path: load.path,
        ...(load.body
          ? {
              setupRequest: (req: autocannon.Request, context: object) => ({ ...req, body: load.body!(context as Context) }),
              onResponse: (status: number, _body: string, context: object) => {
                if (ok.includes(status)) load.onOk?.(context as Context);
              },
            }
          : {}),
      },
    ],
  });
  instance.on("response", (_client, status, _bytes, ms) => {
    if (ok.includes(status)) times.push(ms);
    else bad++;
  });
  const result = await instance;
  // Requests that never answered (autocannon gives up after 10 s) count as failed too.
  bad += result.errors ?? 0;
  times.sort((a, b) => a - b);
  return {
    name: load.name,
    path: load.path,
    rps: times.length / result.duration,
    p50: percentile(times, 50),
    p95: percentile(times, 95),
    p99: percentile(times, 99),
    requests: times.length,
    bad,
    connections: conns,
  };
}

async function run(base: string, load: Load): Promise<Figures> {
  if (warmup > 0) await measure(base, load, warmup);
  const f = await measure(base, load, duration);
  log(
    `  ${f.name.padEnd(34)} ${f.rps.toFixed(1).padStart(7)} req/s  p50 ${f.p50.toFixed(0).padStart(4)} ms  p95 ${f.p95.toFixed(0).padStart(4)} ms  p99 ${f.p99.toFixed(0).padStart(4)} ms${f.bad ? `  (${f.bad} failed or timed out)` : ""}`,
  );
  return f;
}

/** The JavaScript a page loads: its module scripts and modulepreload links, gzip-compressed. */
async function javascriptOf(base: string, path: string, cookie: string): Promise<{ files: number; gzipBytes: number }> {
  const html = await (await fetch(`${base}${path}`, { headers: { cookie } })).text();
  const urls = new Set<string>();
  for (const m of html.matchAll(/<link rel="modulepreload" href="([^"]+)"/g)) urls.add(m[1]);
  for (const m of html.matchAll(/import\s*(?:\*\s*as\s*\w+\s*from\s*)?"(\/assets\/[^"]+\.js)"/g)) urls.add(m[1]);
  let gzipBytes = 0;
  for (const u of urls) gzipBytes += gzipSync(Buffer.from(await (await fetch(`${base}${u}`)).arrayBuffer()), { level: 9 }).length;
  return { files: urls.size, gzipBytes };
}

// ---------------------------------------------------------------------------------------------

interface Page {
  name: string;
  path: string;
  role: "admin" | "counselor" | "staff";
}

function pagesFor(fx: Fixtures): Page[] {
  return [
    { name: "floor: empty app shell", path: "/shell", role: "counselor" },
    { name: "dashboard (counselor)", path: "/", role: "counselor" },
    { name: "dashboard (admin)", path: "/", role: "admin" },
    { name: "caseload", path: "/patients", role: "counselor" },
    { name: "patient chart", path: `/patients/${fx.patientId}`, role: "counselor" },
    { name: `roll call (${fx.rollRoster} on roster)`, path: `/schedule/sessions/${fx.rollSessionId}/roll`, role: "staff" },
    { name: "week schedule", path: "/schedule", role: "staff" },
    { name: "report: attendance by group", path: "/reports/attendance-by-group", role: "admin" },
  ];
}

const dataPath = (path: string) => {
  const [p, q] = path.split("?");
  return `${p === "/" ? "/_root" : p}.data${q ? `?${q}` : ""}`;
};

async function pagesRun(s: number, withData: boolean, withWrites: boolean) {
  const ds = await dataset(s);
  const server = await startServer(ds.url);
  // Sessions are minted once the server is up, so a slow start cannot time them out.
  const fx = await fixtures(ds.url, ds.summary).catch(async (e) => {
    await server.stop();
    throw e;
  });
  const out: {
    pages: (Figures & { ratio: number; data?: Figures })[];
    writes: Figures[];
    js: Record<string, { files: number; gzipBytes: number }>;
    summary: LargeSummary;
    fx: Omit<Fixtures, "cookies" | "saveSessions" | "testPatients">;
  } = {
    pages: [],
    writes: [],
    js: {},
    summary: ds.summary,
    fx: {
      siteId: fx.siteId,
      siteTz: fx.siteTz,
      activeAtSite: fx.activeAtSite,
      patientId: fx.patientId,
      rollSessionId: fx.rollSessionId,
      rollRoster: fx.rollRoster,
      staffId: fx.staffId,
      panelId: fx.panelId,
    },
  };
  try {
    log(
      `\nScale ${s} on ${dialect}: ${ds.summary.sites} sites, ${ds.summary.activePatients} active / ${ds.summary.dischargedPatients} discharged patients, ${(ds.summary.counts.attendance ?? 0).toLocaleString("en-US")} attendance marks, ${(ds.summary.counts.drug_tests ?? 0).toLocaleString("en-US")} drug tests. Pages (${connections} connections, ${warmup} s warm-up, ${duration} s):`,
    );
    const pages = pagesFor(fx);
    let floor = 0;
    for (const p of pages) {
      const f = await run(server.base, { name: p.name, path: p.path, cookie: fx.cookies[p.role] });
      if (!floor) floor = f.rps;
      out.pages.push({ ...f, ratio: f.rps / floor });
    }
    if (withData) {
      log("Data alone (the same loaders, no server rendering):");
      for (const [i, p] of pages.entries()) {
        out.pages[i].data = await run(server.base, { name: `${p.name} · data`, path: dataPath(p.path), cookie: fx.cookies[p.role] });
      }
    }
    if (withWrites) {
      log("Writes:");
      const today = todayIn(fx.siteTz);
      // Roll call: corrections to past sessions, each request taking a session no other request
      // holds, under the version it has now, alternating two sets of marks so each save changes one.
      const free = fx.saveSessions.map((x) => ({ ...x, late: false }));
      type Held = (typeof free)[number];
      if (free.length >= connections) {
        out.writes.push(
          await runWithPath(server.base, {
            name: "save a 15-patient roll call",
            path: "/schedule/sessions/:id/roll",
            cookie: fx.cookies.staff,
            method: "POST",
            ok: [302, 303],
            body: (ctx) => {
              const s = free.shift()!;
              ctx.held = s;
              ctx.path = `/schedule/sessions/${s.id}/roll`;
              const form = new URLSearchParams({ version: String(s.version), reason: "Benchmark: the sign-in sheet was re-read." });
              s.patients.forEach((pid, i) => {
                const late = i === 0 && !s.late;
                form.set(`status.${pid}`, late ? "late" : "present");
                form.set(`mode.${pid}`, "in_person");
                form.set(`minutes.${pid}`, late ? "30" : "");
                form.set(`note.${pid}`, "");
              });
              return form.toString();
            },
            onOk: (ctx) => {
              const s = ctx.held as Held;
              s.version++;
              s.late = !s.late;
            },
            onDone: (ctx) => free.push(ctx.held as Held),
          }),
        );
      } else {
        log(`  (no roll-call save: only ${free.length} past sessions with fifteen on the roster)`);
      }
      let n = 0;
      out.writes.push(
        await run(server.base, {
          name: "record a drug test",
          path: "/drug-tests/new",
          cookie: fx.cookies.staff,
          method: "POST",
          ok: [302, 303],
          body: () => {
            const patient = fx.testPatients[n++ % fx.testPatients.length];
            return new URLSearchParams({
              requestKey: randomUUID(),
              patientId: patient,
              collection: "collected",
              date: today,
              time: "09:00",
              reason: "scheduled",
              specimen: "urine",
              panelId: fx.panelId,
              observed: "yes",
              temperatureInRange: "yes",
              collectedBy: fx.staffId,
            }).toString();
          },
        }),
      );
      out.writes.push(
        await run(server.base, {
          name: `random draw (${fx.activeAtSite} active, 1 conn.)`,
          path: "/drug-tests",
          cookie: fx.cookies.staff,
          method: "POST",
          ok: [302, 303],
          connections: 1,
          body: () => new URLSearchParams({ date: today, pool: "all_active", mode: "rate", amount: "25", reason: "Benchmark: drawn again." }).toString(),
        }),
      );
    }
    log("JavaScript shipped (gzip):");
    out.js["sign-in page"] = await javascriptOf(server.base, "/login", "");
    for (const p of pages) out.js[p.name] = await javascriptOf(server.base, p.path, fx.cookies[p.role]);
    for (const [k, v] of Object.entries(out.js)) log(`  ${k.padEnd(34)} ${(v.gzipBytes / 1024).toFixed(0).padStart(5)} KB in ${v.files} files`);
  } finally {
    await server.stop();
  }
  return out;
}

/** Like run(), for a request whose path comes from the connection's context. */
async function runWithPath(base: string, load: Load): Promise<Figures> {
  const figures: Figures[] = [];
  for (const seconds of [warmup, duration]) {
    if (seconds <= 0) continue;
    const ok = load.ok ?? [200];
    const times: number[] = [];
    let bad = 0;
    const instance = cannon({
      url: base,
      connections: load.connections ?? connections,
      duration: seconds,
      headers: { cookie: load.cookie, origin: base, "content-type": "application/x-www-form-urlencoded" },
      requests: [
        {
          method: "POST",
          setupRequest: (req: autocannon.Request, context: object) => {
            const b = load.body!(context as Context);
            return { ...req, path: (context as Context).path as string, body: b };
          },
          onResponse: (status: number, _body: string, context: object) => {
            if (ok.includes(status)) load.onOk?.(context as Context);
            load.onDone?.(context as Context);
          },
        },
      ],
    });
    instance.on("response", (_c, status, _b, ms) => {
      if (ok.includes(status)) times.push(ms);
      else bad++;
    });
    const result = await instance;
    bad += result.errors ?? 0;
    times.sort((a, b) => a - b);
    figures.push({
      name: load.name,
      path: load.path,
      rps: times.length / result.duration,
      p50: percentile(times, 50),
      p95: percentile(times, 95),
      p99: percentile(times, 99),
      requests: times.length,
      bad,
      connections: load.connections ?? connections,
    });
  }
  const f = figures[figures.length - 1];
  log(
    `  ${f.name.padEnd(34)} ${f.rps.toFixed(1).padStart(7)} req/s  p50 ${f.p50.toFixed(0).padStart(4)} ms  p95 ${f.p95.toFixed(0).padStart(4)} ms  p99 ${f.p99.toFixed(0).padStart(4)} ms${f.bad ? `  (${f.bad} failed)` : ""}`,
  );
  return f;
}

async function main() {
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? "CPU"}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM, Node ${process.versions.node}, ${process.platform}`;
  log(`Benchmark on ${machine}`);
  if (args.build !== "false" && args["no-build"] === undefined) {
    log("Building the production server …");
    execSync("npm run build", { stdio: ["ignore", "ignore", "inherit"] });
  }
  type Run = Awaited<ReturnType<typeof pagesRun>>;
  const runs: { dialect: typeof dialect; main: Run; grown: Run | null }[] = [];
  for (const d of dialects) {
    dialect = d;
    if (d === "postgres" && !(await pgAdmin(async () => true).catch(() => false))) {
      log(`\nPostgreSQL skipped: nothing answers at ${PG_BASE} (set BENCH_PG_URL).`);
      continue;
    }
    const main = await pagesRun(scale, args["no-data"] === undefined, true);
    let grown: Run | null = null;
    // The growth ratio is measured on the first database only: it is about the history, not the engine.
    if (growth > 0 && runs.length === 0) {
      if (!roomFor(growth) && !growthAsked) {
        log(
          `\nScale ${growth} needs about ${(GB_PER_SCALE * growth * 2).toFixed(0)} GB free and ${CACHE} has ${(freeBytes() / 1e9).toFixed(0)} GB: measuring the same tenfold growth from below, at scale ${scale / 10}.`,
        );
        growth = scale / 10;
      }
      if (roomFor(growth)) grown = await pagesRun(growth, false, false);
      else
        log(
          `\nScale ${growth} skipped: it needs about ${(GB_PER_SCALE * growth * 2).toFixed(0)} GB free (the dataset and the run's copy) and ${CACHE} has ${(freeBytes() / 1e9).toFixed(0)} GB.`,
        );
    }
    runs.push({ dialect: d, main, grown });
  }

  for (const { dialect: d, main, grown } of runs) {
    // Growth is always the larger scale's p95 over the smaller's, whichever was asked first.
    const growthOf = (p: { p95: number }, g: { p95: number }) => (growth > scale ? g.p95 / p.p95 : p.p95 / g.p95);
    const sqlite = d === "postgres" ? runs.find((r) => r.dialect === "sqlite")?.main : undefined;
    log(
      `\nSummary (scale ${scale}, ${d}; ratio = page req/s ÷ empty shell req/s${grown ? `; growth = p95 at scale ${Math.max(scale, growth)} ÷ p95 at scale ${Math.min(scale, growth)}` : ""}${sqlite ? "; vs SQLite = p95 ÷ SQLite's p95 in this run" : ""}):`,
    );
    log(
      `  ${"page".padEnd(34)} ${"req/s".padStart(7)} ${"p50".padStart(5)} ${"p95".padStart(5)} ${"p99".padStart(5)} ${"ratio".padStart(6)} ${"data p95".padStart(9)} ${grown ? "growth".padStart(7) : ""}${sqlite ? "vs SQLite".padStart(10) : ""}`,
    );
    for (const p of main.pages) {
      const g = grown?.pages.find((x) => x.name.split(" (")[0] === p.name.split(" (")[0]);
      const lite = sqlite?.pages.find((x) => x.name === p.name);
      log(
        `  ${p.name.padEnd(34)} ${p.rps.toFixed(1).padStart(7)} ${p.p50.toFixed(0).padStart(5)} ${p.p95.toFixed(0).padStart(5)} ${p.p99.toFixed(0).padStart(5)} ${p.ratio.toFixed(2).padStart(6)} ${(p.data ? p.data.p95.toFixed(0) : "").padStart(9)} ${g ? growthOf(p, g).toFixed(2).padStart(7) : grown ? "".padStart(7) : ""}${lite ? (p.p95 / lite.p95).toFixed(2).padStart(10) : ""}`,
      );
    }
    for (const w of main.writes)
      log(
        `  ${w.name.padEnd(34)} ${w.rps.toFixed(1).padStart(7)} ${w.p50.toFixed(0).padStart(5)} ${w.p95.toFixed(0).padStart(5)} ${w.p99.toFixed(0).padStart(5)}`,
      );
  }
  if (args.json)
    writeFileSync(args.json, JSON.stringify({ machine, scale, growth, duration, warmup, connections, at: new Date().toISOString(), runs }, null, 2));
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});

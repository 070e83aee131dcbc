/**
 * A clinic network at benchmark scale. At scale 1: five sites, 150 staff, about 2,000 active and
 * 25,000 discharged patients over five years of a steady program — about three million attendance
 * marks, 400,000 drug tests with their per-analyte results, and the audit rows those writes make.
 * Scale 0.1 for quick runs, scale 10 to show how pages grow (they should not).
 *
 *   DATABASE_URL=file:./data/large.sqlite tsx seeds/large.ts --scale 0.1 [--seed 1] [--today YYYY-MM-DD]
 *
 * Deterministic: the same seed, scale and day give the same rows and ids (UUIDv7 stamped with the
 * moment each record came to be, the random half from a seeded generator). The program is modelled
 * as cohorts ("sections") of each site's tracks, twelve seats each; a seat holds one patient from
 * admission to discharge, then the next. Each simulated day writes that day's admissions, sessions,
 * rosters and roll calls, random draws, drug tests with results and alerts, and discharges, so the
 * audit log comes out in time order. Audit rows are keyed with the app's own chain function and the
 * chain head is set at the end: `npm run audit:verify` checks it.
 *
 * Written in bulk (multi-row inserts in large transactions, and SQLite pragmas for a bulk load), not
 * through the repositories, which would take hours at this size; every value follows the app's
 * rules (readings, outcomes and alerts come from app/features/drug-testing/rules.ts, draws from the
 * app's draw algorithm).
 */
import { createHash } from "node:crypto";
import { writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import cliProgress from "cli-progress";
import { type Selectable, sql } from "kysely";
import { createDb, parseDatabaseUrl } from "../db/database";
import type { Database } from "../db/schema";
import { migrateToLatest } from "../db/migrator";
import { GENESIS_HASH, auditMac } from "../app/features/audit/chain";
import { writeKeys } from "../app/utils/keys.server";
import { hashPassword } from "../app/features/auth/password.server";
import { DRAW_ALGORITHM, drawSelection } from "../app/features/drug-testing/draw";
import {
  type Analyte,
  type Collection,
  type Reading,
  type Validity,
  drawSize,
  findingsOf,
  interpret,
  matOn,
  overallOutcome,
  regimensOf,
} from "../app/features/drug-testing/rules";
import { ICD10_CODES } from "../app/features/patients/icd10-codes";
import { diagnosisCategory } from "../app/features/patients/diagnosis-category";
import { PLANNING_HORIZON_WEEKS } from "../app/features/scheduling/groups.server";
import { formatMrn, searchName } from "../app/features/patients/rules";
import { type Weekday, addDays, daysBetween, weekdayOf, zonedInstant, todayIn } from "../app/kernel/time";
import { isAttended } from "../app/features/attendance/rules";
import { EMPTY_ENTRY } from "../app/features/notes/rules";
import type { PlanContent } from "../app/features/plans/rules";
import { rebuildSessionTallies } from "../app/features/attendance/tallies.server";
import { rebuildAuthorizationUse } from "../app/features/billing/authorization-use.server";
import { BulkLoader } from "./large-bulk";
import { DEMO_PASSWORD, DEMO_USERS } from "./demo-people";
import { DEFAULTS as FEE_DEFAULTS } from "./demo-billing-charges";
import { type AttendedDay, type AuthorizationSpan, type PayerKind, allocateDays, certificationOn, dayCover, holdReasons } from "../app/features/billing/rules";
import { chooseConsent, recipientKey } from "../app/features/consents/rules";
import { termsOf } from "../app/features/consents/consents.server";
import { GROUPS, PROCESS, groupPart } from "./demo-notes";
import { BARRIERS, STRENGTHS, problemFor, reviewed } from "./demo-plans";
import { FIRST_NAMES, LAST_NAMES, MAT_DETAILS, MENTAL_HEALTH_CODES, MORE_FIRST_NAMES, MORE_LAST_NAMES, PAYERS, PRESCRIBERS, SUD_DIAGNOSES } from "./pools";

export interface LargeOptions {
  scale: number;
  seed?: number;
  /** The day the network "is at"; defaults to today in New York. */
  today?: string;
  /** Years of history before today. */
  years?: number;
  progress?: boolean;
}

export interface LargeSummary {
  scale: number;
  seed: number;
  today: string;
  sites: number;
  staff: number;
  activePatients: number;
  dischargedPatients: number;
  counts: Record<string, number>;
  /** The clinical records' states: what the notes worklist, the co-signature queue and the Plan tab have to show. */
  records: {
    notes: { signed: number; drafts: number; awaitingCosign: number; missing: number };
    plans: { versions: number; active: number; awaiting: number; drafts: number };
    charges: { ready: number; held: number };
  };
  auditRows: number;
  seconds: number;
  /** Sign-ins that work with the demo password. */
  signIns: { email: string; role: string; siteId: string }[];
}

// ---------------------------------------------------------------------------------------------
// Seeded randomness and ids

/** xoshiro128**, seeded through splitmix32: fast, 128 bits of state, the same stream everywhere. */
export function prng(seed: number) {
  let s = seed >>> 0;
  const split = () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = split(),
    b = split(),
    c = split(),
    d = split();
  const u32 = () => {
    const r = Math.imul(rotl(Math.imul(b, 5) >>> 0, 7), 9) >>> 0;
    const t = (b << 9) >>> 0;
    c ^= a;
    d ^= b;
    b ^= c;
    a ^= d;
    c ^= t;
    d = rotl(d, 11);
    return r;
  };
  const next = () => u32() / 4294967296;
  return {
    u32,
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)],
    chance: (p: number) => next() < p,
  };
}
const rotl = (x: number, k: number) => ((x << k) | (x >>> (32 - k))) >>> 0;
type Rng = ReturnType<typeof prng>;

const hex = (n: number, width: number) => n.toString(16).padStart(width, "0");

/** A UUIDv7 for a moment in the network's history, its random bits from the seeded stream. */
function idAt(ms: number, rng: Rng): string {
  const t = hex(Math.floor(ms), 12);
  const r1 = rng.u32(),
    r2 = rng.u32(),
    r3 = rng.u32();
  return `${t.slice(0, 8)}-${t.slice(8, 12)}-7${hex(r1 & 0xfff, 3)}-${hex(0x8000 | ((r1 >>> 12) & 0x3fff), 4)}-${hex(r2 & 0xffff, 4)}${hex(r3, 8)}`;
}

// ---------------------------------------------------------------------------------------------
// The program's shape

const CITIES: [string, string][] = [
  ["Riverside", "America/New_York"],
  ["Lakeshore", "America/Chicago"],
  ["Mesa Verde", "America/Denver"],
  ["Bayview", "America/Los_Angeles"],
  ["Northgate", "America/New_York"],
];
/** Of every five sites, the first is the network's flagship. */
const SITE_WEIGHTS = [0.4, 0.15, 0.15, 0.15, 0.15];

interface TrackShape {
  name: string;
  level: "IOP" | "PHP" | "OP";
  days: Weekday[];
  start: string;
  end: string;
  /** Share of the site's patients. */
  share: number;
  /** Length of stay in days. */
  stay: [number, number];
  groups: { title: string; kind: string; start: string; end: string; modality?: string }[];
}

const TRACKS: TrackShape[] = [
  {
    name: "Morning IOP",
    level: "IOP",
    days: ["mon", "wed", "fri"],
    start: "09:00",
    end: "12:00",
    share: 0.26,
    stay: [70, 200],
    groups: [
      { title: "Morning Process Group", kind: "process", start: "09:00", end: "10:30" },
      { title: "Relapse Prevention", kind: "relapse_prevention", start: "10:30", end: "12:00" },
    ],
  },
  {
    name: "Evening IOP",
    level: "IOP",
    days: ["mon", "tue", "wed", "thu"],
    start: "18:00",
    end: "21:00",
    share: 0.26,
    stay: [70, 200],
    groups: [
      { title: "Coping Skills (DBT)", kind: "coping_skills", start: "18:00", end: "19:30" },
      { title: "Evening Process Group", kind: "process", start: "19:30", end: "21:00" },
    ],
  },
  {
    name: "Weekend IOP",
    level: "IOP",
    days: ["sat", "sun"],
    start: "09:00",
    end: "13:00",
    share: 0.13,
    stay: [70, 200],
    groups: [
      { title: "Weekend Psychoeducation", kind: "psychoeducation", start: "09:00", end: "11:00" },
      { title: "Life Skills", kind: "life_skills", start: "11:00", end: "13:00" },
    ],
  },
  {
    name: "PHP Day",
    level: "PHP",
    days: ["mon", "tue", "wed", "thu", "fri"],
    start: "09:00",
    end: "14:00",
    share: 0.17,
    stay: [40, 120],
    groups: [
      { title: "PHP Morning Group", kind: "process", start: "09:00", end: "11:30" },
      { title: "MAT Education", kind: "mat_education", start: "11:30", end: "12:30" },
      { title: "PHP Afternoon Skills", kind: "coping_skills", start: "12:30", end: "14:00" },
    ],
  },
  {
    name: "OP Weekly",
    level: "OP",
    days: ["tue"],
    start: "17:30",
    end: "19:00",
    share: 0.18,
    stay: [100, 260],
    groups: [{ title: "OP Recovery Check-in", kind: "relapse_prevention", start: "17:30", end: "19:00", modality: "hybrid" }],
  },
];
/** Seats in a cohort: a group of up to fifteen, each with a room for sixteen. */
const SEATS = 15;
const GAP_DAYS: [number, number] = [0, 20];
/** Seats filled on an average day: mean stay over mean stay plus mean gap between patients. */
const OCCUPANCY = 0.93;

const STAFF_FIRST = [
  "Alex",
  "Bailey",
  "Casey",
  "Devon",
  "Emery",
  "Finley",
  "Harper",
  "Jesse",
  "Kendall",
  "Logan",
  "Morgan",
  "Parker",
  "Reese",
  "Rowan",
  "Sage",
  "Taylor",
];

const DISCHARGE_REASONS = [
  "completed",
  "completed",
  "completed",
  "completed",
  "transferred",
  "left_before_completion",
  "left_before_completion",
  "discharged_by_program",
  "incarcerated",
  "other",
];
/** The large network draws from the demo's names and some of its own. */
const FIRST = [...FIRST_NAMES, ...MORE_FIRST_NAMES];
const LAST = [...LAST_NAMES, ...MORE_LAST_NAMES];
const REFERRALS = ["self", "court", "employer", "inpatient_step_down", "detox", "physician", "self"];
/** The network's starting urine panel (migration 07); each site gets its own copy of the set (7d). */
const URINE_PANEL_NAME = "Urine — standard panel";
const URINE_ANALYTES: Analyte[] = [
  "amphetamine",
  "methamphetamine",
  "mdma",
  "barbiturates",
  "benzodiazepines",
  "buprenorphine",
  "cocaine",
  "thc",
  "methadone",
  "eddp",
  "opiates",
  "oxycodone",
  "fentanyl",
  "pcp",
  "etg",
];
const UNEXPECTED: Analyte[] = ["fentanyl", "cocaine", "thc", "thc", "methamphetamine", "opiates", "benzodiazepines", "etg", "etg"];
const DESCRIBE = new Map(ICD10_CODES.map((c) => [c.code, c.description]));
/** The demo's people hold the credentials the demo gives them (seeds/demo-credentials.ts): Priya Raman supervises, Marcus Bell and Elena Ortiz are interns. */
const DEMO_CREDENTIALS: Record<string, { credentials: string; independent: boolean; supervisor: boolean }> = {
  "priya.raman": { credentials: "LCSW", independent: true, supervisor: true },
  "dana.whitfield": { credentials: "LCADC", independent: true, supervisor: false },
  "marcus.bell": { credentials: "CPRS,INTERN", independent: false, supervisor: false },
  "elena.ortiz": { credentials: "INTERN", independent: false, supervisor: false },
};
/** Licensed counselors' credentials, in turn. */
const LICENSES = ["LCADC", "LPC", "LCSW", "CADC", "LMHC"];
const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;

// ---------------------------------------------------------------------------------------------
// The model in memory

interface Staff {
  id: string;
  name: string;
  email: string;
  role: "admin" | "counselor" | "staff";
  /** An intern or trainee: their notes and plans wait for the site's clinical supervisor's co-signature. */
  intern: boolean;
}
interface Site {
  id: string;
  name: string;
  tz: string;
  urinePanelId: string;
  admins: Staff[];
  counselors: Staff[];
  staff: Staff[];
  /** The counselor who co-signs the interns' notes and plans. */
  supervisor: Staff | null;
  cohorts: Cohort[];
  stays: Stay[];
}
interface Series {
  id: string;
  title: string;
  kind: string;
  start: string;
  end: string;
  modality: string;
  facilitator: Staff;
  days: Set<Weekday>;
}
interface Cohort {
  track: TrackShape;
  trackId: string;
  roomId: string;
  series: Series[];
  seats: Stay[][];
}
interface Stay {
  id: string;
  mrn: string;
  site: Site;
  cohort: Cohort;
  admitted: string;
  /** Last day in the program, or null while still active on the anchor day. */
  discharged: string | null;
  holdFrom: string | null;
  counselor: Staff;
  mat: { medication: string; started_on: string; ended_on: string | null } | null;
  regimens: string[];
  first: string;
  last: string;
  sud: string;
  /** The mental-health diagnosis beside the substance-use one, when there is one. */
  mh: string | null;
  reason: string | null;
  /** The plan versions that became active, in order: what a note's objectives are read from. */
  plans: { from: string; objectives: { key: string; text: string }[] }[];
  /** Billing: the payer kind, what the patient's coverage rows are, and each day attended. */
  payer: PayerKind;
  dob: string;
  bill: StayBilling | null;
}
interface StayBilling {
  coverageId: string;
  payerId: string;
  payerName: string;
  auth: (AuthorizationSpan & { coverageId: string }) | null;
  certs: { kind: "initial" | "recertification"; certifiedOn: string }[];
  consentAllows: boolean;
  days: AttendedDay[];
}

export async function generateLarge(url: string, options: LargeOptions): Promise<LargeSummary> {
  const started = Date.now();
  const scale = options.scale;
  if (!(scale > 0)) throw new Error("The scale must be a positive number (1 = five sites, 2,000 active patients).");
  const seed = options.seed ?? 1;
  const today = options.today ?? todayIn("America/New_York");
  const years = options.years ?? 5;
  const rng = prng(seed);
  const ids = prng(seed ^ 0x5eed1d5);
  const historyStart = addDays(today, -Math.round(years * 365.25));
  // Sessions are written out to the app's planning horizon, as its schedule extender keeps them.
  const horizonEnd = addDays(today, 7 * PLANNING_HORIZON_WEEKS);
  const startMs = Date.parse(`${historyStart}T12:00:00Z`);
  const iso = (ms: number) => new Date(ms).toISOString();

  // Migrate with the app's own migrator, then load in bulk through the driver.
  let startingPanels: Selectable<Database["drug_test_panels"]>[] = [];
  {
    const db = createDb(url);
    try {
      await migrateToLatest(db);
      const existing = await db.selectFrom("users").select("id").limit(1).executeTakeFirst();
      if (existing) throw new Error("The database already has accounts: the large seed loads only an empty database.");
      startingPanels = await db.selectFrom("drug_test_panels").selectAll().where("site_id", "is", null).orderBy("name").execute();
    } finally {
      await db.destroy();
    }
  }
  const load = await BulkLoader.open(url);
  await load.deferIndexes();

  const instants = new Map<string, string>();
  const at = (date: string, time: string, tz: string) => {
    const key = `${date} ${time} ${tz}`;
    let v = instants.get(key);
    if (!v) {
      v = zonedInstant(date, time, tz);
      instants.set(key, v);
    }
    return v;
  };
  const plusMinutes = (instant: string, minutes: number) => iso(Date.parse(instant) + minutes * 60_000);

  // Audit rows of one simulated day, put in time order and chained when the day is written.
  let seq = 0;
  let prevHash = GENESIS_HASH;
  let dayAudit: Record<string, unknown>[] = [];
  const audit = (e: {
    at: string;
    actor: Staff | null;
    action: string;
    entityType: string;
    entityId: string;
    patientId?: string | null;
    siteId?: string | null;
    before?: unknown;
    after?: unknown;
    detail?: unknown;
  }) => {
    const changes = e.before || e.after || e.detail ? JSON.stringify({ before: e.before, after: e.after, detail: e.detail }) : null;
    dayAudit.push({
      occurred_at: e.at,
      user_id: e.actor?.id ?? null,
      user_name: e.actor?.name ?? null,
      action: e.action,
      outcome: "success",
      entity_type: e.entityType,
      entity_id: e.entityId,
      patient_id: e.patientId ?? null,
      site_id: e.siteId ?? null,
      changes,
      ip: null,
      user_agent: "large seed",
    });
  };
  const auditKeys = writeKeys().audit;
  const auditKey = auditKeys.keys.get(auditKeys.current)!;
  /** Writes the events before `cutoff` in time order; later ones (an acknowledgement the next day) wait. */
  const writeAudit = (cutoff: string) => {
    dayAudit.sort((a, b) => ((a.occurred_at as string) < (b.occurred_at as string) ? -1 : (a.occurred_at as string) > (b.occurred_at as string) ? 1 : 0));
    let n = 0;
    for (const r of dayAudit) {
      if ((r.occurred_at as string) >= cutoff) break;
      n++;
      seq++;
      // Keyed like every row the app writes (chain.ts): HMAC under the current audit key.
      const row = { id: idAt(Date.parse(r.occurred_at as string), ids), seq, ...r, prev_hash: prevHash, key_id: auditKeys.current } as Parameters<
        typeof auditMac
      >[0] &
        Record<string, unknown>;
      const hash = auditMac(row, auditKey);
      load.add("audit_events", { ...row, hash });
      prevHash = hash;
    }
    dayAudit = dayAudit.slice(n);
  };

  // --- Sites and staff ------------------------------------------------------------------------
  const siteCount = Math.max(1, Math.round(5 * scale));
  const staffTotal = Math.max(4 * siteCount, Math.round(150 * scale));
  const demoHash = await hashPassword(DEMO_PASSWORD);
  const lockedHash = await hashPassword(`${createHash("sha256").update(`large-${seed}-no-sign-in`).digest("hex")}`);
  const createdAt = iso(startMs);
  const system = null;
  const sites: Site[] = [];
  const weightSum = Array.from({ length: siteCount }, (_, i) => SITE_WEIGHTS[i % 5]).reduce((a, b) => a + b, 0);
  const signIns: LargeSummary["signIns"] = [];
  let staffMade = 0;
  for (let i = 0; i < siteCount; i++) {
    const [city, tz] = CITIES[i % CITIES.length];
    const name = `Harbor Light Recovery – ${city}${i >= CITIES.length ? ` ${Math.floor(i / CITIES.length) + 1}` : ""}`;
    const site: Site = { id: idAt(startMs, ids), name, tz, urinePanelId: "", admins: [], counselors: [], staff: [], supervisor: null, cohorts: [], stays: [] };
    sites.push(site);
    load.add("sites", { id: site.id, name, time_zone: tz, created_at: createdAt });
    // Each site keeps its own drug-test panels: a copy of the network's starting set.
    for (const p of startingPanels) {
      // Derived from the site and the panel, so the random id stream of every other row stays as it was.
      const h = createHash("sha256").update(`${site.id}:${p.id}`).digest("hex");
      const panelId = `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
      if (p.name === URINE_PANEL_NAME) site.urinePanelId = panelId;
      load.add("drug_test_panels", {
        id: panelId,
        site_id: site.id,
        name: p.name,
        specimen: p.specimen,
        analytes: p.analytes,
        active: p.active,
        created_at: createdAt,
        updated_at: createdAt,
        version: 1,
      });
    }
    if (!site.urinePanelId) throw new Error(`The database has no starting panel called ${URINE_PANEL_NAME}.`);
    audit({ at: createdAt, actor: system, action: "site.created", entityType: "site", entityId: site.id, after: { name, timeZone: tz } });
    const weight = SITE_WEIGHTS[i % 5] / weightSum;
    const people = i === siteCount - 1 ? staffTotal - staffMade : Math.max(4, Math.round(staffTotal * weight));
    staffMade += people;
    const admins = Math.max(1, Math.round(people * 0.08));
    const staffers = Math.max(1, Math.round(people * 0.27));
    for (let k = 0; k < people; k++) {
      const role: Staff["role"] = k < admins ? "admin" : k < admins + staffers ? "staff" : "counselor";
      // The demo's own people work at the flagship, so its sign-ins work here too.
      const demo =
        i === 0 ? DEMO_USERS.filter((u) => u.role === role)[role === "admin" ? k : role === "staff" ? k - admins : k - admins - staffers] : undefined;
      const first = STAFF_FIRST[(k + i * 7) % STAFF_FIRST.length];
      const lastName = LAST[(k * 13 + i * 5) % LAST.length];
      const person: Staff = demo
        ? { id: idAt(startMs, ids), name: demo.name, email: demo.email, role, intern: false }
        : {
            id: idAt(startMs, ids),
            name: `${first} ${lastName}`,
            email: `${first}.${lastName.replace(/[^A-Za-z]/g, "")}.${i + 1}-${k + 1}@network.example`.toLowerCase(),
            role,
            intern: false,
          };
      // Who may sign clinical documents alone: each site has one clinical supervisor (the demo's
      // Priya Raman at the flagship, else its first counselor), one counselor in five is an intern
      // whose notes and plans wait for that supervisor's co-signature, the rest are licensed.
      const j = site.counselors.length;
      const cred = demo
        ? (DEMO_CREDENTIALS[demo.email.split("@")[0]] ?? { credentials: "NONE", independent: false, supervisor: false })
        : role === "admin"
          ? { credentials: "LCADC", independent: true, supervisor: false }
          : role === "staff"
            ? { credentials: "NONE", independent: false, supervisor: false }
            : i > 0 && j === 0
              ? { credentials: "LCSW", independent: true, supervisor: true }
              : j % 5 === 3
                ? { credentials: "INTERN", independent: false, supervisor: false }
                : { credentials: LICENSES[j % LICENSES.length], independent: true, supervisor: false };
      person.intern = role === "counselor" && !cred.independent;
      if (cred.supervisor && role === "counselor" && !site.supervisor) site.supervisor = person;
      load.add("users", {
        id: person.id,
        email: person.email,
        name: person.name,
        role,
        password_hash: demo ? demoHash : lockedHash,
        must_change_password: 0,
        active: 1,
        last_sign_in_at: null,
        created_at: createdAt,
        updated_at: createdAt,
        version: 1,
        credentials: cred.credentials,
        signs_independently: cred.independent ? 1 : 0,
        clinical_supervisor: cred.supervisor ? 1 : 0,
      });
      load.add("user_sites", { user_id: person.id, site_id: site.id });
      audit({
        at: createdAt,
        actor: system,
        action: "user.created",
        entityType: "user",
        entityId: person.id,
        after: { name: person.name, email: person.email, role, siteIds: [site.id] },
      });
      if (demo) signIns.push({ email: person.email, role, siteId: site.id });
      (role === "admin" ? site.admins : role === "staff" ? site.staff : site.counselors).push(person);
    }
    // The demo's billing person works at the flagship too, so the bench can open billing's pages.
    // Their id is derived from the site, like the panels', not drawn from the id stream.
    const billing = i === 0 ? DEMO_USERS.find((u) => u.role === "billing") : undefined;
    if (billing) {
      const h = createHash("sha256").update(`${site.id}:${billing.email}`).digest("hex");
      const t = hex(Math.floor(startMs), 12);
      const id = `${t.slice(0, 8)}-${t.slice(8, 12)}-7${h.slice(0, 3)}-8${h.slice(3, 6)}-${h.slice(6, 18)}`;
      load.add("users", {
        id,
        email: billing.email,
        name: billing.name,
        role: "billing",
        password_hash: demoHash,
        must_change_password: 0,
        active: 1,
        last_sign_in_at: null,
        created_at: createdAt,
        updated_at: createdAt,
        version: 1,
        credentials: "",
        signs_independently: 0,
        clinical_supervisor: 0,
      });
      load.add("user_sites", { user_id: id, site_id: site.id });
      audit({
        at: createdAt,
        actor: system,
        action: "user.created",
        entityType: "user",
        entityId: id,
        after: { name: billing.name, email: billing.email, role: "billing", siteIds: [site.id] },
      });
      signIns.push({ email: billing.email, role: "billing", siteId: site.id });
    }
  }

  // --- Tracks, rooms, cohorts and their group series -------------------------------------------
  const activeTarget = 2000 * scale;
  for (const [i, site] of sites.entries()) {
    const weight = SITE_WEIGHTS[i % 5] / weightSum;
    const seatsWanted = Math.max(1, Math.round((activeTarget * weight) / OCCUPANCY));
    // Seats by track, largest remainder, so the site's total is exact.
    const raw = TRACKS.map((t) => seatsWanted * t.share);
    const seats = raw.map(Math.floor);
    const order = raw.map((r, k) => [r - Math.floor(r), k] as const).sort((a, b) => b[0] - a[0]);
    for (let j = 0; seats.reduce((a, b) => a + b, 0) < seatsWanted; j++) seats[order[j % order.length][1]]++;
    const admin = site.admins[0];
    let roomNo = 0;
    let facilitatorNo = 0;
    for (const [t, track] of TRACKS.entries()) {
      const trackId = idAt(startMs, ids);
      load.add("tracks", {
        id: trackId,
        site_id: site.id,
        name: track.name,
        level_of_care: track.level,
        days: JSON.stringify(track.days),
        start_time: track.start,
        end_time: track.end,
        active: 1,
        created_at: createdAt,
        updated_at: createdAt,
        version: 1,
      });
      audit({
        at: createdAt,
        actor: admin,
        action: "track.created",
        entityType: "track",
        entityId: trackId,
        siteId: site.id,
        after: { name: track.name, levelOfCare: track.level, days: track.days, startTime: track.start, endTime: track.end },
      });
      const cohorts = Math.ceil(seats[t] / SEATS);
      for (let c = 0; c < cohorts; c++) {
        const section = String.fromCharCode(65 + (c % 26)) + (c >= 26 ? String(Math.floor(c / 26) + 1) : "");
        const roomId = idAt(startMs, ids);
        const roomName = `Group Room ${++roomNo}`;
        load.add("rooms", { id: roomId, site_id: site.id, name: roomName, capacity: 16, active: 1, created_at: createdAt, updated_at: createdAt, version: 1 });
        audit({
          at: createdAt,
          actor: admin,
          action: "room.created",
          entityType: "room",
          entityId: roomId,
          siteId: site.id,
          after: { name: roomName, capacity: 16 },
        });
        const cohort: Cohort = { track, trackId, roomId, series: [], seats: [] };
        for (const g of track.groups) {
          const facilitator = site.counselors[facilitatorNo++ % site.counselors.length];
          const s: Series = {
            id: idAt(startMs, ids),
            title: cohorts > 1 ? `${g.title} · Section ${section}` : g.title,
            kind: g.kind,
            start: g.start,
            end: g.end,
            modality: g.modality ?? "in_person",
            facilitator,
            days: new Set(track.days),
          };
          cohort.series.push(s);
          load.add("group_series", {
            id: s.id,
            site_id: site.id,
            track_id: trackId,
            title: s.title,
            kind: s.kind,
            facilitator_id: facilitator.id,
            co_facilitator_id: null,
            room_id: roomId,
            modality: s.modality,
            capacity: SEATS,
            days: JSON.stringify(track.days),
            start_time: g.start,
            end_time: g.end,
            starts_on: historyStart,
            ends_on: null,
            auto_enroll: 1,
            session_kind: "group",
            patient_id: null,
            approach: null,
            family_members: null,
            created_at: createdAt,
            updated_at: createdAt,
            version: 1,
          });
          audit({
            at: createdAt,
            actor: admin,
            action: "group_series.created",
            entityType: "group_series",
            entityId: s.id,
            siteId: site.id,
            after: {
              title: s.title,
              kind: s.kind,
              trackId,
              facilitatorId: facilitator.id,
              roomId,
              days: track.days,
              startTime: g.start,
              endTime: g.end,
              startsOn: historyStart,
            },
          });
        }
        const seatCount = Math.min(SEATS, seats[t] - c * SEATS);
        for (let k = 0; k < seatCount; k++) cohort.seats.push([]);
        site.cohorts.push(cohort);
      }
    }
  }

  // --- Who sits in each seat, and when -----------------------------------------------------------
  const allStays: Stay[] = [];
  for (const site of sites) {
    for (const cohort of site.cohorts) {
      const [lo, hi] = cohort.track.stay;
      for (const seat of cohort.seats) {
        let day = addDays(historyStart, rng.int(0, Math.round((lo + hi) / 2)));
        while (day <= today) {
          const length = rng.int(lo, hi);
          const end = addDays(day, length);
          const counselor = rng.pick(site.counselors);
          const sud = rng.pick(SUD_DIAGNOSES);
          const med = rng.pick(sud.mat);
          const mat = med ? { medication: med, started_on: addDays(day, -rng.int(0, 40)), ended_on: end < today && rng.chance(0.4) ? end : null } : null;
          const stay: Stay = {
            id: "",
            mrn: "",
            site,
            cohort,
            admitted: day,
            discharged: end < today ? end : null,
            holdFrom: end >= today && rng.chance(0.02) ? addDays(today, -rng.int(1, 10)) : null,
            counselor,
            mat,
            regimens: mat ? regimensOf([{ medication: mat.medication }]) : [],
            first: rng.pick(FIRST),
            last: rng.pick(LAST),
            sud: sud.code,
            mh: null,
            reason: null,
            plans: [],
            payer: "self_pay",
            dob: "",
            bill: null,
          };
          seat.push(stay);
          allStays.push(stay);
          day = addDays(end, 1 + rng.int(GAP_DAYS[0], GAP_DAYS[1]));
        }
      }
    }
  }
  // MRNs in order of admission, as intake would have issued them.
  allStays.sort((a, b) => (a.admitted < b.admitted ? -1 : a.admitted > b.admitted ? 1 : 0));
  allStays.forEach((s, n) => {
    s.mrn = formatMrn(1001 + n);
    s.site.stays.push(s);
  });
  const admissions = new Map<string, Stay[]>();
  const discharges = new Map<string, Stay[]>();
  for (const s of allStays) {
    admissions.set(s.admitted, [...(admissions.get(s.admitted) ?? []), s]);
    if (s.discharged) discharges.set(s.discharged, [...(discharges.get(s.discharged) ?? []), s]);
  }

  // --- Clinical records: treatment plans and progress notes ---------------------------------------
  // Their own random streams, so every row the network had before them keeps its values and ids.
  const rec = prng(seed ^ 0x7ec0de5);
  const recIds = prng(seed ^ 0x1d5ec0d);
  /** Audit events that fall on a later day than the one that decides them (a plan's reviews), by the site's date. */
  const later = new Map<string, Parameters<typeof audit>[0][]>();
  const auditOn = (date: string, e: Parameters<typeof audit>[0]) => {
    let list = later.get(date);
    if (!list) later.set(date, (list = []));
    list.push(e);
  };
  /** Each counselor's place in their caseload of current patients: every state a plan can be in comes round in turn. */
  const caseloadPlace = new Map<string, number>();
  const plansWritten = { versions: 0, active: 0, awaiting: 0, drafts: 0 };
  const notesWritten = { signed: 0, drafts: 0, awaitingCosign: 0, missing: 0 };

  /**
   * A stay's treatment plan, decided at admission and written as it ends up (seeds/demo-plans.ts
   * does the same through the repository): the first version two to five days after admission,
   * signed by the primary counselor, acknowledged by the patient the same day and, for an intern,
   * co-signed by the site's supervisor the next; then a review every 30 days (plan_review_days)
   * until discharge. For patients in the program today the newest version may still be a draft or
   * wait for the patient or the supervisor, and every fourth one's review is left due or overdue.
   */
  function writePlans(s: Stay, site: Site) {
    const current = !s.discharged;
    const lastDay = s.discharged ?? addDays(today, -1);
    const stayDays = daysBetween(s.admitted, today);
    if (current && stayDays < 3) return;
    const n = Number(s.mrn.slice(4));
    const first = addDays(s.admitted, Math.min(current ? stayDays - 1 : 99, 2 + (n % 4)));
    if (first > lastDay) return;
    const author = s.counselor;
    const cosigner = author.intern ? site.supervisor : null;
    if (author.intern && !cosigner) return;
    let k = n;
    if (current) {
      k = (caseloadPlace.get(author.id) ?? 0) + 1;
      caseloadPlace.set(author.id, k);
    }
    const waitFor = current ? (k % 7 === 1 ? "patient" : k % 7 === 4 && author.intern ? "supervisor" : null) : null;
    const drafting = current && k % 6 === 5;
    const codes = [s.sud, ...(s.mh ? [s.mh] : [])];
    const initial: PlanContent = {
      problems: codes.map((c, i) => problemFor(c, first, rec, i)),
      strengths: STRENGTHS[n % STRENGTHS.length],
      barriers: BARRIERS[(n + 1) % BARRIERS.length],
    };
    type Version = { id: string; row: Record<string, unknown> };
    const versions: Version[] = [];
    const plan: { active: { version: Version; effectiveOn: string; content: PlanContent } | null } = { active: null };
    const write = (on: string, content: PlanContent, state: "draft" | "patient" | "supervisor" | "done") => {
      const number = versions.length + 1;
      const createdAt = at(on, "15:00", site.tz);
      const id = idAt(Date.parse(createdAt), recIds);
      const basis = versions[versions.length - 1] ?? null;
      const reason = number === 1 ? "initial" : "scheduled";
      const shape = {
        problems: content.problems.length,
        objectives: content.problems.reduce((m, p) => m + p.objectives.length, 0),
        interventions: content.problems.reduce((m, p) => m + p.interventions.length, 0),
      };
      const base = { actor: author, entityType: "treatment_plan", entityId: id, patientId: s.id, siteId: site.id };
      const row: Record<string, unknown> = {
        id,
        patient_id: s.id,
        site_id: site.id,
        number,
        request_key: idAt(Date.parse(createdAt), recIds),
        based_on_id: basis?.id ?? null,
        reason,
        content: JSON.stringify(content),
        created_by: author.id,
        created_at: createdAt,
        updated_at: createdAt,
        signed_by: null,
        signed_at: null,
        cosign_required: 0,
        acknowledged_name: null,
        acknowledged_at: null,
        acknowledged_with: null,
        cosigned_by: null,
        cosigned_at: null,
        activated_at: null,
        effective_on: null,
        review_days: null,
        superseded_at: null,
        // Set once the whole table is written (the version that replaced it is written after it).
        superseded_by: null,
        version: 2,
      };
      const version = { id, row };
      versions.push(version);
      plansWritten.versions++;
      // A version started and signed in one sitting is audited once, by its signature (as a roll call is, by its save).
      if (state === "draft") {
        auditOn(on, { ...base, at: createdAt, action: "plan.draft_started", after: { number, reason, basedOn: basis ? number - 1 : null } });
        row.updated_at = at(on, "15:40", site.tz);
        auditOn(on, { ...base, at: row.updated_at as string, action: "plan.draft_saved", after: { number, ...shape } });
        plansWritten.drafts++;
        return;
      }
      const signedAt = at(on, "16:00", site.tz);
      Object.assign(row, { updated_at: signedAt, signed_by: author.id, signed_at: signedAt, cosign_required: cosigner ? 1 : 0 });
      auditOn(on, { ...base, at: signedAt, action: "plan.signed", after: { number, ...shape, cosignRequired: Boolean(cosigner) } });
      let ready = signedAt;
      let readyOn = on;
      if (state !== "patient") {
        const ackAt = at(on, "17:00", site.tz);
        const typedName = `${s.first} ${s.last}`;
        Object.assign(row, { acknowledged_name: typedName, acknowledged_at: ackAt, acknowledged_with: author.id, version: (row.version as number) + 1 });
        auditOn(on, { ...base, at: ackAt, action: "plan.acknowledged", after: { number, typedName } });
        ready = ackAt;
      }
      if (cosigner && state !== "supervisor") {
        const next = addDays(on, 1);
        const cosignedAt = at(next, "14:00", site.tz);
        Object.assign(row, { cosigned_by: cosigner.id, cosigned_at: cosignedAt, version: (row.version as number) + 1 });
        auditOn(next, { ...base, actor: cosigner, at: cosignedAt, action: "plan.cosigned", after: { number, author: author.name } });
        if (state !== "patient") {
          ready = cosignedAt;
          readyOn = next;
        }
      }
      if (state !== "done") {
        plansWritten.awaiting++;
        return;
      }
      // Active once every signature is in; the version it replaces steps aside at that moment.
      if (plan.active) Object.assign(plan.active.version.row, { superseded_at: ready, version: (plan.active.version.row.version as number) + 1 });
      Object.assign(row, { activated_at: ready, effective_on: readyOn, review_days: 30, version: (row.version as number) + 1 });
      auditOn(readyOn, { ...base, at: ready, action: "plan.activated", after: { number, effectiveOn: readyOn, reviewDays: 30 } });
      plan.active = { version, effectiveOn: readyOn, content };
      s.plans.push({
        from: ready,
        objectives: content.problems.flatMap((p, pi) => p.objectives.map((o, oi) => ({ key: `p${pi + 1}.o${oi + 1}`, text: o.text }))),
      });
    };
    const latestIsV1 = daysBetween(first, today) <= 32;
    if (current && latestIsV1 && drafting) write(first, { ...initial, barriers: "" }, "draft");
    else if (current && latestIsV1 && waitFor) write(first, initial, waitFor);
    else {
      write(first, initial, "done");
      for (let round = 0; round < 12 && plan.active; round++) {
        const due = addDays(plan.active.effectiveOn, 30);
        // Every fourth current patient's latest review is due or a few days overdue.
        if (current && k % 4 === 2 && due >= addDays(today, -10)) break;
        const on = addDays(due, -(k % 3));
        if (on > lastDay) break;
        const newest = current && addDays(on, 30) > today;
        const content = reviewed(plan.active.content, on);
        if (newest && drafting) {
          write(on, content, "draft");
          break;
        }
        if (newest && waitFor) {
          write(on, content, waitFor);
          break;
        }
        write(on, content, "done");
      }
    }
    if (plan.active) plansWritten.active += current ? 1 : 0;
    for (const v of versions) load.add("treatment_plans", v.row);
  }

  // --- Billing: payers, each stay's coverage, authorization, certifications and consent, and a charge per day ---
  /** Each site's payers (one of each kind the patients carry) and their fee schedule rows, as seeds/demo-billing-charges.ts sets them. */
  const PAYER_NAMES: Record<string, { name: string; code: string }> = {
    commercial: { name: "Blue Harbor Health Plan", code: "BHHP1" },
    medicaid: { name: "State Medicaid", code: "SKMCD" },
    medicare: { name: "Medicare", code: "MCR01" },
    self_pay: { name: "Self-pay", code: "" },
  };
  const payersOf = new Map<Site, Map<string, { id: string; name: string; fees: Map<string, Record<string, unknown>> }>>();
  for (const site of sites) {
    const mine = new Map<string, { id: string; name: string; fees: Map<string, Record<string, unknown>> }>();
    payersOf.set(site, mine);
    for (const kind of new Set<string>(PAYERS)) {
      const { name, code } = PAYER_NAMES[kind];
      const payer = { id: idAt(startMs, recIds), name, fees: new Map<string, Record<string, unknown>>() };
      mine.set(kind, payer);
      load.add("payers", { id: payer.id, site_id: site.id, name, kind, payer_code: code, active: 1, created_at: createdAt, updated_at: createdAt, version: 1 });
      audit({ at: createdAt, actor: site.admins[0], action: "payer.created", entityType: "payer", entityId: payer.id, siteId: site.id, after: { name, kind } });
      for (const row of FEE_DEFAULTS[kind as PayerKind] ?? []) {
        const fee = {
          id: idAt(startMs, recIds),
          site_id: site.id,
          payer_id: payer.id,
          level_of_care: row.level,
          claim_type: row.claimType,
          procedure_code: row.procedureCode,
          modifiers: row.modifiers,
          revenue_code: row.revenueCode,
          units_per_day: row.unitsPerDay,
          min_minutes: row.minMinutes,
          requires_signed_note: row.requiresSignedNote ? 1 : 0,
          rate_cents: row.rate,
          created_at: createdAt,
          updated_at: createdAt,
          version: 1,
        };
        payer.fees.set(row.level, fee);
        load.add("fee_schedule", fee);
      }
    }
  }
  const RECERT = { IOP: { firstDay: 60, intervalDays: 60 }, PHP: { firstDay: 18, intervalDays: 30 } } as const;
  const consentDay = today;
  const chargesWritten = { ready: 0, held: 0 };

  /**
   * At admission: the patient's primary coverage for the stay; for an insured IOP or PHP stay, an
   * approved authorization in days for the stay (one in twelve approved too few, so its last days
   * are held as exhausted), Medicare's certification and recertifications when due (one stay in
   * seven misses one), and a Part 2 consent naming the payer for payment, for two years (one
   * insured stay in twenty has none, so its days are held for it).
   */
  function writeCoverage(s: Stay, site: Site) {
    const payer = payersOf.get(site)!.get(s.payer)!;
    const level = s.cohort.track.level;
    const admittedAt = at(s.admitted, "08:40", site.tz);
    const admittedMs = Date.parse(admittedAt);
    const coverageId = idAt(admittedMs, recIds);
    const n = Number(s.mrn.slice(4));
    load.add("coverages", {
      id: coverageId,
      patient_id: s.id,
      payer_id: payer.id,
      member_id: s.payer === "self_pay" ? "" : `M${100000 + n}`,
      group_number: s.payer === "commercial" ? `G${1000 + (n % 50)}` : "",
      subscriber_name: `${s.first} ${s.last}`,
      subscriber_birth_date: s.dob,
      relationship: "self",
      priority: "primary",
      effective_from: s.admitted,
      effective_to: s.discharged,
      created_by: s.counselor.id,
      created_at: admittedAt,
      updated_at: admittedAt,
      version: 1,
    });
    const bill: StayBilling = { coverageId, payerId: payer.id, payerName: payer.name, auth: null, certs: [], consentAllows: s.payer === "self_pay", days: [] };
    if (level !== "OP") s.bill = bill;
    if (s.payer === "self_pay" || level === "OP") return;
    const end = s.discharged ?? addDays(today, 30);
    const perWeek = s.cohort.track.days.length;
    const needed = Math.ceil((daysBetween(s.admitted, end) / 7) * perWeek) + 2;
    const short = rec.chance(1 / 12);
    const auth = {
      id: idAt(admittedMs, recIds),
      coverageId,
      level,
      unitKind: "days" as const,
      unitsApproved: short ? Math.max(5, Math.round(needed * 0.6)) : needed,
      startsOn: s.admitted,
      endsOn: end,
      status: "approved" as const,
    };
    bill.auth = auth;
    load.add("authorizations", {
      id: auth.id,
      coverage_id: coverageId,
      patient_id: s.id,
      level_of_care: level,
      unit_kind: "days",
      units_approved: auth.unitsApproved,
      starts_on: auth.startsOn,
      ends_on: auth.endsOn,
      status: "approved",
      number: `PA-${s.mrn.slice(4)}`,
      next_review_on: null,
      created_by: s.counselor.id,
      created_at: admittedAt,
      updated_at: admittedAt,
      version: 1,
    });
    if (s.payer === "medicare") {
      const rule = RECERT[level];
      const last = s.discharged ?? addDays(today, -1);
      const skip = rec.chance(1 / 7) ? 2 : -1;
      const certify = (kind: "initial" | "recertification", on: string) => {
        bill.certs.push({ kind, certifiedOn: on });
        load.add("medicare_certifications", {
          id: idAt(Date.parse(at(on, "10:00", site.tz)), recIds),
          patient_id: s.id,
          coverage_id: coverageId,
          level_of_care: level,
          kind,
          certified_on: on,
          physician_name: "Dr. Naomi Adeyemi, MD",
          physician_npi: "1234567893",
          hours_per_week: level === "PHP" ? 20 : 9,
          created_by: s.counselor.id,
          created_at: at(on, "10:00", site.tz),
        });
      };
      certify("initial", s.admitted);
      let due = addDays(s.admitted, rule.firstDay - 1);
      for (let k = 1; due <= last && k < 40; k++) {
        const on = addDays(due, -rec.int(0, 3));
        if (k !== skip) {
          certify("recertification", on);
          due = addDays(on, rule.intervalDays);
        } else due = addDays(due, rule.intervalDays);
      }
    }
    if (rec.chance(0.05)) return;
    const consent = {
      id: idAt(admittedMs, recIds),
      patient_id: s.id,
      site_id: site.id,
      request_key: idAt(admittedMs, recIds),
      disclosing_party: site.name,
      information: JSON.stringify(["attendance", "level_of_care", "diagnoses", "medications", "discharge_summary"]),
      recipient: payer.name,
      recipient_key: recipientKey(payer.name),
      recipient_designation: "named" as const,
      purposes: JSON.stringify(["payment", "health_care_operations"]),
      purpose_other: null,
      expires_on: addDays(s.admitted, 730),
      expiry_event: null,
      expiry_event_text: null,
      revocation_explained: 1,
      signed_on: s.admitted,
      signed_by: "patient",
      signer_name: null,
      note: null,
      revoked_on: null,
      revocation_note: null,
      revoked_by: null,
      expired_on: null,
      expiry_note: null,
      expired_by: null,
      recorded_by: s.counselor.id,
      created_at: admittedAt,
      updated_at: admittedAt,
      version: 1,
    };
    load.add("consents", consent);
    // A claim is the disclosure: the consent that counts is the one in force today (charges.server.ts).
    bill.consentAllows = chooseConsent([termsOf(consent)], { recipient: payer.name, purpose: "payment", information: [], on: consentDay }, [s.discharged]).ok;
  }

  /** A stay's charges, one per day attended, by the app's own rules (charges.server.ts `planCharges`), written when the stay ends or the history does. */
  function writeCharges(s: Stay, site: Site) {
    const bill = s.bill;
    if (!bill?.days.length) return;
    const payer = payersOf.get(site)!.get(s.payer)!;
    const spans = bill.auth ? [bill.auth] : [];
    const allocated = allocateDays(bill.days, spans);
    for (const day of bill.days) {
      const fee = payer.fees.get(day.level) ?? null;
      const cover = dayCover(day, allocated, spans);
      const certificationCurrent = s.payer !== "medicare" || certificationOn(bill.certs, s.admitted, RECERT[day.level as "IOP" | "PHP"], day.date).current;
      const reasons = holdReasons({
        day,
        fee: fee ? { minMinutes: fee.min_minutes as number, requiresSignedNote: fee.requires_signed_note === 1 } : null,
        hasCoverage: true,
        cover,
        medicare: s.payer === "medicare",
        certificationCurrent,
        consentAllows: bill.consentAllows,
        authorizationRequired: s.payer !== "self_pay",
      });
      const units = fee ? (fee.units_per_day as number) : 0;
      const made = at(day.date, "23:00", site.tz);
      const status = reasons.length ? "held" : "ready";
      chargesWritten[status]++;
      load.add("charges", {
        id: idAt(Date.parse(made), recIds),
        site_id: site.id,
        patient_id: s.id,
        service_date: day.date,
        level_of_care: day.level,
        minutes: day.minutes,
        documented_minutes: day.documentedMinutes,
        coverage_id: bill.coverageId,
        payer_id: bill.payerId,
        authorization_id: cover.kind === "none" ? null : cover.authorizationId,
        fee_schedule_id: fee?.id ?? null,
        procedure_code: fee?.procedure_code ?? "",
        modifiers: fee?.modifiers ?? "",
        revenue_code: fee?.revenue_code ?? "",
        units,
        amount_cents: fee ? units * (fee.rate_cents as number) : 0,
        status,
        hold_reasons: JSON.stringify(reasons),
        claim_id: null,
        paid_cents: null,
        adjustments: "[]",
        created_at: made,
        updated_at: made,
        version: 1,
      });
    }
    bill.days = [];
  }

  /** The plan objectives the patient had in effect at a moment: what a note's part may name. */
  const planOn = (s: Stay, moment: string) => {
    for (let i = s.plans.length - 1; i >= 0; i--) if (s.plans[i].from <= moment) return s.plans[i].objectives;
    return undefined;
  };

  /**
   * A held session's group note (seeds/demo-notes.ts writes the demo's the same way through the
   * repository): opened by the facilitator after the roll call, the shared part and a part for each
   * member who attended, then signed. The last three days' are partly not written or still drafts,
   * so the facilitators' worklists have work; within Home's eight-week window a few are drafts or
   * missing; older ones are nearly all signed, one in fourteen a day or more late (a late entry).
   * An intern's signed note waits for the supervisor's co-signature for the last six days (and one
   * in ten in the last month), and is co-signed one to three days after signing before that.
   */
  function writeNote(
    site: Site,
    series: Series,
    sessionId: string,
    date: string,
    startsAt: string,
    endsAt: string,
    takenAt: string,
    parts: { s: Stay; minutes: number; mode: string }[],
  ): boolean {
    if (!parts.length) return false;
    const author = series.facilitator;
    const nowMs = Date.parse(at(today, "00:00", site.tz));
    const age = daysBetween(date, today);
    const roll = rec.next();
    const fresh = age <= 3;
    let state: "missing" | "draft" | "signed" =
      roll < (fresh ? 0.3 : age <= 56 ? 0.03 : 0.02) ? "missing" : roll < (fresh ? 0.55 : age <= 56 ? 0.06 : 0.02) ? "draft" : "signed";
    if (state === "missing") {
      notesWritten.missing++;
      return false;
    }
    const endsMs = Date.parse(endsAt);
    const openMs = Date.parse(takenAt) + rec.int(1, 30) * MINUTE_MS;
    const late = state === "signed" && !fresh && rec.chance(0.07);
    const signMs = Math.max(openMs + 15 * MINUTE_MS, endsMs + (late ? rec.int(26, 90) * HOUR_MS : rec.int(20, 300) * MINUTE_MS));
    if (state === "signed" && signMs >= nowMs) state = "draft";
    const writeMs = state === "draft" ? openMs + rec.int(10, 60) * MINUTE_MS : signMs - 5 * MINUTE_MS;
    const kind = GROUPS[series.kind] ?? GROUPS.psychoeducation;
    const shared = {
      topic: rec.pick(kind.topics),
      curriculum: rec.pick(kind.curriculum),
      interventions: rec.pick(kind.interventions),
      process: state === "draft" && rec.chance(0.5) ? "" : rec.pick(PROCESS),
    };
    const noteId = idAt(openMs, recIds);
    const openedAt = iso(openMs);
    const writtenAt = iso(writeMs);
    const signed = state === "signed";
    // A draft is part written: its first members' parts only.
    const written = signed ? parts.length : Math.floor(parts.length / 2);
    parts.forEach((p, i) => {
      const content = i < written ? groupPart(rec, planOn(p.s, startsAt)) : EMPTY_ENTRY;
      load.add("note_entries", {
        id: idAt(openMs, recIds),
        note_id: noteId,
        patient_id: p.s.id,
        content: JSON.stringify(content),
        // Copied from the roll call when the note is signed.
        minutes: signed ? p.minutes : null,
        mode: signed ? p.mode : null,
        updated_by: author.id,
        updated_at: i < written ? writtenAt : openedAt,
        version: i < written ? 2 : 1,
      });
    });
    const base = { actor: author, entityType: "note", entityId: noteId, siteId: site.id };
    // A note started and signed the same sitting is audited once, by its signature; a draft by its start.
    if (state !== "signed") audit({ ...base, at: openedAt, action: "note.started", after: { session: sessionId, kind: "group", parts: parts.length } });
    const cosignRequired = signed && author.intern;
    const cosignMs = signMs + rec.int(20, 72) * HOUR_MS;
    const waits = signMs > nowMs - 6 * 24 * HOUR_MS || (age <= 30 && rec.chance(0.1));
    const cosigner = cosignRequired && !waits && cosignMs < nowMs ? site.supervisor : null;
    const signedAt = iso(signMs);
    const lateEntry = signed && signMs - endsMs > 24 * HOUR_MS;
    load.add("notes", {
      id: noteId,
      site_id: site.id,
      session_id: sessionId,
      kind: "group",
      format: "dap",
      local_date: date,
      session_ends_at: endsAt,
      shared: JSON.stringify(shared),
      created_by: author.id,
      created_at: openedAt,
      updated_by: author.id,
      updated_at: signed ? signedAt : writtenAt,
      signed_by: signed ? author.id : null,
      signed_at: signed ? signedAt : null,
      late_entry: lateEntry ? 1 : 0,
      cosign_required: cosignRequired ? 1 : 0,
      cosigned_by: cosigner?.id ?? null,
      cosigned_at: cosigner ? iso(cosignMs) : null,
      version: signed ? (cosigner ? 4 : 3) : 2,
    });
    if (!signed) {
      notesWritten.drafts++;
      return false;
    }
    notesWritten.signed++;
    audit({
      ...base,
      at: signedAt,
      action: "note.signed",
      after: { session: sessionId, kind: "group", parts: parts.length, lateEntry, cosignRequired, dropped: 0 },
    });
    if (cosigner) audit({ ...base, actor: cosigner, at: iso(cosignMs), action: "note.cosigned", after: { session: sessionId, author: author.name } });
    else if (cosignRequired) notesWritten.awaitingCosign++;
    return true;
  }

  // --- Day by day ----------------------------------------------------------------------------
  const totalDays = Math.round((Date.parse(horizonEnd) - Date.parse(historyStart)) / 86_400_000) + 1;
  const bar = options.progress
    ? new cliProgress.SingleBar(
        { format: "large seed |{bar}| {percentage}% {day} · {rows} rows · ETA {eta_formatted}", noTTYOutput: true, notTTYSchedule: 10_000, etaBuffer: 60 },
        cliProgress.Presets.shades_classic,
      )
    : null;
  bar?.start(totalDays, 0, { day: historyStart, rows: 0 });
  const seatPointer = new Map<Stay[], number>();
  const occupant = (seat: Stay[], date: string): Stay | null => {
    let p = seatPointer.get(seat) ?? 0;
    while (p < seat.length && (seat[p].discharged ?? "9999-12-31") < date) p++;
    seatPointer.set(seat, p);
    const s = seat[p];
    return s && s.admitted <= date ? s : null;
  };
  const attendanceStatus = (date: string, s: Stay) => {
    if (s.holdFrom && date >= s.holdFrom) return { status: "absent_excused", note: "On hold" };
    const roll = rng.next();
    if (roll < 0.05) return { status: "absent_unexcused", note: null };
    if (roll < 0.08) return { status: "absent_excused", note: rng.pick(["Medical appointment", "Childcare fell through", "Court date", "Called in sick"]) };
    if (roll < 0.12) return { status: "late", note: rng.pick(["Bus was late", "Traffic", "Work ran over"]) };
    if (roll < 0.14) return { status: "left_early", note: rng.pick(["Left for work shift", "Picked up child from school"]) };
    return { status: "present", note: null };
  };

  let dayNo = 0;
  for (let date = historyStart; date <= horizonEnd; date = addDays(date, 1)) {
    const past = date < today;
    const weekday = weekdayOf(date);
    for (const site of sites) {
      // Admissions: the patient, their episode, status and level, track, diagnoses and MAT.
      for (const s of admissions.get(date) ?? []) {
        if (s.site !== site) continue;
        const admittedAt = at(date, "08:30", site.tz);
        const admittedMs = Date.parse(admittedAt);
        s.id = idAt(admittedMs, ids);
        const episodeId = idAt(admittedMs, ids);
        const n = Number(s.mrn.slice(4));
        const female = n % 2 === 0;
        const age = rng.int(19, 64);
        const preferred = n % 11 === 3 ? s.first.slice(0, 3) : null;
        const payer = rng.pick(PAYERS);
        const dob = addDays(date, -(age * 365 + rng.int(0, 364)));
        s.payer = payer;
        s.dob = dob;
        const status = s.discharged ? "discharged" : s.holdFrom ? "on_hold" : "active";
        load.add("patients", {
          id: s.id,
          mrn: s.mrn,
          site_id: site.id,
          legal_first_name: s.first,
          legal_last_name: s.last,
          preferred_name: preferred,
          date_of_birth: dob,
          sex: female ? "female" : "male",
          gender_identity: null,
          phone: `(555) 01${String(n % 100).padStart(2, "0")}-${String(n % 10_000).padStart(4, "0")}`,
          email: n % 3 === 0 ? `patient${n}@example.com` : null,
          address: `${100 + (n % 900)} ${rng.pick(["Maple Ave", "Bay Street", "Linden Blvd", "Park Place", "Ocean Pkwy"])}`,
          emergency_contact_name: `${rng.pick(["Linda", "Robert", "Carmen", "James", "Patricia"])} ${s.last}`,
          emergency_contact_relationship: rng.pick(["Mother", "Father", "Spouse", "Sister", "Partner"]),
          emergency_contact_phone: `(555) 02${String(n % 100).padStart(2, "0")}-${String((n * 7) % 10_000).padStart(4, "0")}`,
          preferred_language: n % 7 === 3 ? "Spanish" : "English",
          primary_counselor_id: s.counselor.id,
          track_id: s.discharged ? null : s.cohort.trackId,
          payer_type: payer,
          payer_plan: payer === "self_pay" ? null : "Plan",
          payer_member_id: payer === "self_pay" ? null : `M${100000 + n}`,
          detox_status: "not_needed",
          detox_completed_on: null,
          part2_notice_on: date,
          status,
          level_of_care: s.cohort.track.level,
          level_since: date,
          current_episode_id: episodeId,
          search_name: searchName(s.first, s.last, preferred),
          created_at: admittedAt,
          updated_at: s.discharged ? at(s.discharged, "16:00", site.tz) : admittedAt,
          version: s.discharged ? 2 : 1,
        });
        const reason = s.discharged ? rng.pick(DISCHARGE_REASONS) : null;
        const aftercare = reason
          ? {
              stepDownProvider: reason === "completed" ? "Community Counseling (weekly OP)" : null,
              mutualHelp: reason === "completed" ? ["aa"] : [],
              alumniProgram: reason === "completed",
              soberLivingReferral: false,
              followUpOn: reason === "completed" ? addDays(s.discharged!, 7) : null,
            }
          : null;
        s.reason = reason;
        load.add("patient_episodes", {
          id: episodeId,
          patient_id: s.id,
          episode_number: 1,
          referral_source: rng.pick(REFERRALS),
          admitted_on: date,
          discharged_on: s.discharged,
          discharge_reason: reason,
          next_level_of_care: reason ? (reason === "completed" ? "OP" : reason === "transferred" ? "residential" : "IOP") : null,
          aftercare: aftercare ? JSON.stringify(aftercare) : null,
          discharge_note: null,
          created_at: admittedAt,
        });
        load.add("patient_status_changes", {
          id: idAt(admittedMs, ids),
          patient_id: s.id,
          episode_id: episodeId,
          status: "active",
          effective_on: date,
          reason: "Intake",
          changed_by: s.counselor.id,
          created_at: admittedAt,
        });
        if (s.holdFrom) {
          load.add("patient_status_changes", {
            id: idAt(Date.parse(at(s.holdFrom, "10:00", site.tz)), ids),
            patient_id: s.id,
            episode_id: episodeId,
            status: "on_hold",
            effective_on: s.holdFrom,
            reason: "Medical hospitalization; expected back soon.",
            changed_by: s.counselor.id,
            created_at: at(s.holdFrom, "10:00", site.tz),
          });
        }
        if (s.discharged) {
          const when = at(s.discharged, "16:00", site.tz);
          load.add("patient_status_changes", {
            id: idAt(Date.parse(when), ids),
            patient_id: s.id,
            episode_id: episodeId,
            status: "discharged",
            effective_on: s.discharged,
            reason,
            changed_by: s.counselor.id,
            created_at: when,
          });
        }
        load.add("level_of_care_changes", {
          id: idAt(admittedMs, ids),
          patient_id: s.id,
          episode_id: episodeId,
          level_of_care: s.cohort.track.level,
          effective_on: date,
          reason: "Level of care at admission",
          changed_by: s.counselor.id,
          created_at: admittedAt,
        });
        load.add("patient_tracks", {
          id: idAt(admittedMs, ids),
          patient_id: s.id,
          track_id: s.cohort.trackId,
          starts_on: date,
          ends_on: s.discharged,
          end_reason: s.discharged ? "Discharged" : null,
          created_by: s.counselor.id,
          created_at: admittedAt,
        });
        const sud = s.sud;
        load.add("patient_diagnoses", {
          id: idAt(admittedMs, ids),
          patient_id: s.id,
          code: sud,
          description: DESCRIBE.get(sud) ?? sud,
          category: diagnosisCategory(sud),
          is_primary: 1,
          onset_on: addDays(date, -rng.int(200, 3000)),
          resolved_on: null,
          created_by: s.counselor.id,
          created_at: admittedAt,
          updated_at: admittedAt,
          version: 1,
        });
        if (rng.chance(0.65)) {
          const mh = rng.pick(MENTAL_HEALTH_CODES);
          s.mh = mh;
          load.add("patient_diagnoses", {
            id: idAt(admittedMs, ids),
            patient_id: s.id,
            code: mh,
            description: DESCRIBE.get(mh) ?? mh,
            category: diagnosisCategory(mh),
            is_primary: 0,
            onset_on: addDays(date, -rng.int(300, 4000)),
            resolved_on: null,
            created_by: s.counselor.id,
            created_at: admittedAt,
            updated_at: admittedAt,
            version: 1,
          });
        }
        if (s.mat) {
          const d = MAT_DETAILS[s.mat.medication];
          load.add("mat_episodes", {
            id: idAt(admittedMs, ids),
            patient_id: s.id,
            medication: s.mat.medication,
            formulation: d.formulation,
            dose: d.dose,
            schedule: d.schedule,
            prescriber: rng.pick(PRESCRIBERS),
            setting: d.setting,
            started_on: s.mat.started_on,
            ended_on: s.mat.ended_on,
            end_reason: s.mat.ended_on ? "Discharged from the program" : null,
            created_by: s.counselor.id,
            created_at: admittedAt,
            updated_at: admittedAt,
            version: 1,
          });
        }
        audit({
          at: admittedAt,
          actor: s.counselor,
          action: "patient.enrolled",
          entityType: "patient",
          entityId: s.id,
          patientId: s.id,
          siteId: site.id,
          after: {
            mrn: s.mrn,
            status: "active",
            levelOfCare: s.cohort.track.level,
            admittedOn: date,
            primaryCounselorId: s.counselor.id,
            track: s.cohort.track.name,
          },
        });
        writePlans(s, site);
        writeCoverage(s, site);
      }

      // Sessions, rosters and (before today) roll calls; each patient's day attended, for their charge.
      const dayOf = new Map<Stay, AttendedDay>();
      for (const cohort of site.cohorts) {
        if (!cohort.track.days.includes(weekday)) continue;
        const seated: Stay[] = [];
        for (const seat of cohort.seats) {
          const s = occupant(seat, date);
          // Ahead of today only those still in the program stay on the rosters.
          if (s && (past || date === today || !s.discharged)) seated.push(s);
        }
        for (const series of cohort.series) {
          const startsAt = at(date, series.start, site.tz);
          const endsAt = at(date, series.end, site.tz);
          const sessionId = idAt(Math.max(startMs, Date.parse(startsAt) - 28 * 86_400_000), ids);
          const cancelled = past && rng.chance(0.005);
          load.add("sessions", {
            id: sessionId,
            site_id: site.id,
            series_id: series.id,
            kind: "group",
            group_kind: series.kind,
            title: series.title,
            track_id: cohort.trackId,
            facilitator_id: series.facilitator.id,
            co_facilitator_id: null,
            room_id: cohort.roomId,
            modality: series.modality,
            capacity: SEATS,
            local_date: date,
            starts_at: startsAt,
            ends_at: endsAt,
            status: cancelled ? "cancelled" : "scheduled",
            cancel_reason: cancelled ? "Facilitator out sick; no cover available." : null,
            patient_id: null,
            approach: null,
            family_members: null,
            created_at: createdAt,
            updated_at: createdAt,
            version: 1,
          });
          for (const s of seated) {
            load.add("session_participants", {
              id: idAt(Date.parse(startsAt), ids),
              session_id: sessionId,
              patient_id: s.id,
              source: "track",
              joined_at: at(s.admitted, "08:30", site.tz),
              left_at: null,
              left_reason: null,
            });
          }
          if (!past || cancelled || !seated.length) continue;
          const minutes = Math.round((Date.parse(endsAt) - Date.parse(startsAt)) / 60_000);
          const taker = rng.pick(site.staff);
          const takenAt = plusMinutes(endsAt, rng.int(5, 90));
          load.add("roll_calls", {
            session_id: sessionId,
            taken_by: taker.id,
            taken_at: takenAt,
            updated_by: taker.id,
            updated_at: takenAt,
            corrections: 0,
            version: 1,
          });
          const after: Record<string, unknown> = {};
          const attendedHere: { s: Stay; minutes: number; mode: string }[] = [];
          for (const s of seated) {
            const mark = attendanceStatus(date, s);
            const mins =
              mark.status === "present"
                ? minutes
                : mark.status === "late"
                  ? minutes - rng.pick([10, 15, 20, 30])
                  : mark.status === "left_early"
                    ? minutes - rng.pick([15, 30])
                    : 0;
            const mode = series.modality === "hybrid" && rng.chance(0.3) ? "telehealth" : "in_person";
            load.add("attendance", {
              id: idAt(Date.parse(takenAt), ids),
              session_id: sessionId,
              patient_id: s.id,
              status: mark.status,
              mode,
              minutes: mins,
              note: mark.note,
              local_date: date,
              starts_at: startsAt,
              recorded_by: taker.id,
              recorded_at: takenAt,
            });
            after[s.mrn] = { status: mark.status, mode, minutes: mins, note: mark.note };
            if (isAttended(mark.status)) attendedHere.push({ s, minutes: mins, mode });
          }
          audit({
            at: takenAt,
            actor: taker,
            action: "attendance.recorded",
            entityType: "session",
            entityId: sessionId,
            siteId: site.id,
            before: {},
            after,
            detail: { title: series.title, date, marked: seated.length, changed: seated.length },
          });
          const documented = writeNote(site, series, sessionId, date, startsAt, endsAt, takenAt, attendedHere);
          for (const a of attendedHere) {
            if (!a.s.bill) continue;
            let d = dayOf.get(a.s);
            if (!d) dayOf.set(a.s, (d = { date, level: a.s.cohort.track.level, minutes: 0, documentedMinutes: 0, sessions: 0 }));
            d.minutes += a.minutes;
            d.sessions++;
            if (documented) d.documentedMinutes += a.minutes;
          }
        }
      }

      // Drug testing, before today: intake on admission, Monday tests for buprenorphine and
      // methadone, and random draws (a quarter of all active patients) on Mondays and Thursdays.
      if (past) {
        const planned: { s: Stay; time: string; reason: string; drawId: string | null }[] = [];
        for (const s of admissions.get(date) ?? []) if (s.site === site) planned.push({ s, time: "08:45", reason: "intake", drawId: null });
        if (weekday === "mon" || weekday === "thu") {
          const active = site.stays.filter((s) => s.admitted < date && (s.discharged ?? "9999-12-31") >= date && !(s.holdFrom && date >= s.holdFrom));
          if (weekday === "mon") {
            for (const s of active)
              if (s.regimens.includes("buprenorphine") || s.regimens.includes("methadone"))
                planned.push({ s, time: "09:05", reason: "scheduled", drawId: null });
          }
          const size = drawSize(active.length, "rate", 25);
          if (size.ok) {
            const drawer = rng.pick(site.staff);
            const drawnAt = at(date, "08:30", site.tz);
            const drawSeed = createHash("sha256").update(`large-${seed}-${site.id}-${date}`).digest("hex");
            const eligible = active.map((s) => s.id).sort();
            const selected = drawSelection(drawSeed, eligible, size.size);
            const drawId = idAt(Date.parse(drawnAt), ids);
            load.add("drug_test_draws", {
              id: drawId,
              site_id: site.id,
              draw_date: date,
              sequence: 1,
              pool: "all_active",
              mode: "rate",
              amount: 25,
              seed: drawSeed,
              algorithm: DRAW_ALGORITHM,
              eligible: JSON.stringify(eligible),
              selected: JSON.stringify(selected),
              reason: null,
              drawn_by: drawer.id,
              drawn_at: drawnAt,
            });
            audit({
              at: drawnAt,
              actor: drawer,
              action: "drug_test.drawn",
              entityType: "drug_test_draw",
              entityId: drawId,
              siteId: site.id,
              after: { date, pool: "all_active", mode: "rate", amount: 25, eligible: eligible.length, selected, seed: drawSeed, algorithm: DRAW_ALGORITHM },
            });
            const byId = new Map(active.map((s) => [s.id, s]));
            selected.forEach((pid, k) => {
              const minutes = 9 * 60 + 15 + (k % 120) * 2;
              planned.push({
                s: byId.get(pid)!,
                time: `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`,
                reason: "random",
                drawId,
              });
            });
          }
        }
        const recentDays = (Date.parse(today) - Date.parse(date)) / 86_400_000;
        for (const t of planned) writeTest(t.s, date, t.time, t.reason, t.drawId, recentDays);
      }

      for (const [s, d] of dayOf) s.bill!.days.push(d);
      for (const s of discharges.get(date) ?? []) {
        if (s.site !== site) continue;
        writeCharges(s, site);
        const reason = s.reason;
        audit({
          at: at(date, "16:00", site.tz),
          actor: s.counselor,
          action: "patient.discharged",
          entityType: "patient",
          entityId: s.id,
          patientId: s.id,
          siteId: site.id,
          before: { status: "active" },
          after: { status: "discharged", dischargedOn: date, reason },
        });
      }
    }
    for (const e of later.get(date) ?? []) audit(e);
    later.delete(date);
    // Every event of a day falls before noon UTC of the next (08:30 in New York is the earliest).
    writeAudit(`${addDays(date, 1)}T12:00:00.000Z`);
    if (load.buffered >= 20_000) await load.flush();
    dayNo++;
    if (dayNo % 7 === 0) {
      bar?.update(dayNo, { day: date, rows: load.totalRows.toLocaleString("en-US") });
      // Let the progress bar's timer run: the loop is otherwise all synchronous work.
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  function writeTest(s: Stay, date: string, time: string, reason: string, drawId: string | null, recentDays: number) {
    const site = s.site;
    const collectedAt = at(date, time, site.tz);
    const collectedMs = Date.parse(collectedAt);
    const testId = idAt(collectedMs, ids);
    const collector = rng.pick(site.staff);
    const roll = rng.next();
    const collection: Collection = roll < 0.015 ? "refused" : reason === "random" && roll < 0.025 ? "no_show" : "collected";
    const validity: Validity | null = collection !== "collected" ? null : rng.chance(0.01) ? "dilute" : rng.chance(0.003) ? "substituted" : "valid";
    const pending = collection === "collected" && recentDays <= 2;
    const matContext = s.mat ? matOn([s.mat], date) : [];
    const regimens = regimensOf(matContext);
    const unexpected = rng.chance(0.07) ? rng.pick(UNEXPECTED) : null;
    const bupMissing = regimens.includes("buprenorphine") && rng.chance(0.03);
    const recordedAt = iso(collectedMs + 2 * 60_000);
    const resultsAt = iso(collectedMs + 30 * 60_000);
    const readings: { analyte: Analyte; reading: Reading; highRisk: boolean }[] = [];
    const results: Record<string, string> = {};
    if (collection === "collected") {
      for (const a of URINE_ANALYTES) {
        const expected =
          (regimens.includes("buprenorphine") && a === "buprenorphine") || (regimens.includes("methadone") && (a === "methadone" || a === "eddp"));
        const positive = a === unexpected || (expected && !(a === "buprenorphine" && bupMissing));
        const result = pending ? null : positive ? "positive" : "negative";
        const r = interpret(a, result, regimens);
        readings.push({ analyte: a, reading: r.reading, highRisk: r.highRisk });
        results[a] = result ?? "pending";
        load.add("drug_test_results", {
          id: idAt(collectedMs, ids),
          test_id: testId,
          analyte: a,
          result,
          confirmation: null,
          lab: null,
          accession_number: null,
          confirmed_on: null,
          reading: r.reading,
          high_risk: r.highRisk ? 1 : 0,
          rule: r.rule,
          updated_by: collector.id,
          updated_at: pending ? recordedAt : resultsAt,
        });
      }
    }
    const outcome = overallOutcome(
      collection,
      pending ? null : validity,
      URINE_ANALYTES.map((a) => ({
        analyte: a,
        result: collection === "collected" && !pending ? (results[a] as "positive" | "negative") : null,
        confirmation: null,
      })),
    );
    const unexpectedPositive = readings.some((r) => r.reading === "unexpected_positive");
    load.add("drug_tests", {
      id: testId,
      site_id: site.id,
      patient_id: s.id,
      draw_id: drawId,
      request_key: idAt(collectedMs, ids),
      collected_at: collectedAt,
      collected_on: date,
      collection,
      reason,
      specimen: collection === "collected" ? "urine" : null,
      observed: collection === "collected" ? (rng.chance(0.4) ? 1 : 0) : null,
      temperature_in_range: collection === "collected" ? 1 : null,
      temperature_note: null,
      panel_id: collection === "collected" ? site.urinePanelId : null,
      collected_by: collector.id,
      validity: pending ? null : validity,
      outcome,
      unexpected_positive: unexpectedPositive ? 1 : 0,
      mat_context: JSON.stringify(matContext),
      note: collection === "refused" ? "Declined to provide a specimen." : null,
      recorded_by: collector.id,
      created_at: recordedAt,
      updated_at: pending || collection !== "collected" ? recordedAt : resultsAt,
      completed_at: outcome === "pending" ? null : collection === "collected" ? resultsAt : recordedAt,
      version: pending || collection !== "collected" ? 1 : 2,
    });
    audit({
      at: recordedAt,
      actor: collector,
      action: collection === "collected" ? "drug_test.collected" : `drug_test.${collection}`,
      entityType: "drug_test",
      entityId: testId,
      patientId: s.id,
      siteId: site.id,
      after: {
        collectedAt,
        reason,
        specimen: collection === "collected" ? "urine" : null,
        panel: collection === "collected" ? "Urine — standard panel" : null,
        collectedBy: collector.name,
        drawId,
        outcome: collection === "collected" ? "pending" : outcome,
      },
    });
    if (collection === "collected" && !pending) {
      audit({
        at: resultsAt,
        actor: collector,
        action: "drug_test.results_recorded",
        entityType: "drug_test",
        entityId: testId,
        patientId: s.id,
        siteId: site.id,
        before: { validity: null, outcome: "pending" },
        after: { validity, outcome, results },
      });
    }
    const findings = pending ? [] : findingsOf(collection, validity, readings);
    if (findings.length) {
      const raisedAt = collection === "collected" ? resultsAt : recordedAt;
      const open = recentDays <= 14;
      const closedAt = open ? null : iso(Date.parse(raisedAt) + 26 * 3600_000);
      for (const f of findings) {
        load.add("drug_test_alerts", {
          id: idAt(Date.parse(raisedAt), ids),
          test_id: testId,
          patient_id: s.id,
          finding: f.key,
          kind: f.kind,
          analyte: f.analyte,
          label: f.label,
          high_risk: f.highRisk ? 1 : 0,
          raised_at: raisedAt,
          status: open ? "open" : "acknowledged",
          closed_at: closedAt,
          closed_by: open ? null : s.counselor.id,
          note: open ? null : "Discussed in individual session; plan updated.",
          version: open ? 1 : 2,
        });
      }
      if (closedAt)
        audit({
          at: closedAt,
          actor: s.counselor,
          action: "drug_test.alert_acknowledged",
          entityType: "drug_test",
          entityId: testId,
          patientId: s.id,
          siteId: site.id,
          after: { alerts: findings.map((f) => f.label), note: "Discussed in individual session; plan updated." },
        });
    }
  }

  bar?.stop();
  // The charges of the stays still open today.
  for (const s of allStays) if (!s.discharged) writeCharges(s, s.site);
  writeAudit("9999");
  await load.flush();
  await load.commit();
  // The chain's head and the MRN counter, as the app's own writers would have left them.
  await load.exec(`UPDATE audit_chain_head SET seq = ${seq}, hash = '${prevHash}' WHERE id = 1`);
  await load.exec(`UPDATE mrn_counter SET last_value = ${1000 + allStays.length} WHERE id = 1`);
  const counts = { ...load.counts };
  const started2 = Date.now();
  await load.close(options.progress ? (name, i, total) => console.log(`  index ${i + 1}/${total} ${name}`) : undefined);
  if (options.progress) console.log(`  indexes built in ${((Date.now() - started2) / 1000).toFixed(0)} s`);
  {
    const db = createDb(url);
    try {
      // The marks went in without the roll-call save that keeps each session's tally: count them
      // once, as a restore does (ADR 0007).
      await rebuildSessionTallies(db);
      // So were the authorizations: their units used are counted once from the marks (ADR 0007).
      await rebuildAuthorizationUse(db);
      // A replaced plan version names the one that replaced it: the next number, written after it.
      await sql`UPDATE treatment_plans SET superseded_by = (SELECT n.id FROM treatment_plans n
        WHERE n.patient_id = treatment_plans.patient_id AND n.number = treatment_plans.number + 1) WHERE superseded_at IS NOT NULL`.execute(db);
      // Interns are supervised by their site's clinical supervisor (a colleague written in the same batch).
      for (const site of sites) {
        const interns = site.counselors.filter((c) => c.intern).map((c) => c.id);
        if (site.supervisor && interns.length)
          await db.updateTable("users").set({ usual_supervisor_id: site.supervisor.id }).where("id", "in", interns).execute();
      }
      // Statistics for the planner, as autovacuum would gather them on a live database.
      if (load.dialect === "postgres") await sql`ANALYZE`.execute(db);
    } finally {
      await db.destroy();
    }
  }
  const active = allStays.filter((s) => !s.discharged).length;
  return {
    scale,
    seed,
    today,
    sites: sites.length,
    staff: staffMade,
    activePatients: active,
    dischargedPatients: allStays.length - active,
    counts,
    records: { notes: notesWritten, plans: plansWritten, charges: chargesWritten },
    auditRows: seq,
    seconds: (Date.now() - started) / 1000,
    signIns,
  };
}

// ---------------------------------------------------------------------------------------------

export function parseArgs(argv: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith("--")) continue;
    const [k, v] = a.slice(2).split("=", 2);
    if (v !== undefined) out[k] = v;
    else if (argv[i + 1] !== undefined && !argv[i + 1].startsWith("--")) out[k] = argv[++i];
    else out[k] = "true";
  }
  return out;
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const url = process.env.DATABASE_URL ?? "file:./data/large.sqlite";
  const { dialect, target } = parseDatabaseUrl(url);
  console.log(`Generating the large network at scale ${args.scale ?? 1} into ${dialect}${dialect === "sqlite" ? ` at ${target}` : ""} …`);
  const summary = await generateLarge(url, { scale: Number(args.scale ?? 1), seed: Number(args.seed ?? 1), today: args.today, progress: true });
  console.log(
    `Done in ${summary.seconds.toFixed(0)} s: ${summary.sites} sites, ${summary.staff} staff, ${summary.activePatients} active and ${summary.dischargedPatients} discharged patients, ${summary.auditRows} audit rows.`,
  );
  for (const [t, n] of Object.entries(summary.counts)) console.log(`  ${t.padEnd(24)} ${n.toLocaleString("en-US").padStart(12)}`);
  const { notes, plans, charges } = summary.records;
  console.log(
    `  notes: ${notes.signed} signed (${notes.awaitingCosign} awaiting co-signature), ${notes.drafts} drafts, ${notes.missing} sessions with none; plans: ${plans.versions} versions, ${plans.active} current patients with an active plan, ${plans.awaiting} awaiting signatures, ${plans.drafts} drafts; charges: ${charges.ready} ready, ${charges.held} held`,
  );
  if (args.summary) writeFileSync(args.summary, JSON.stringify(summary, null, 2));
  console.log(`Sign in with the demo password (${DEMO_PASSWORD}) as: ${summary.signIns.map((s) => `${s.email} (${s.role})`).join(", ")}`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  main().catch((err) => {
    console.error(err);
    process.exitCode = 1;
  });
}

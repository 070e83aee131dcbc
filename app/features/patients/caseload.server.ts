/**
 * Reading patients: the caseload list (paged, sorted and filtered by the database, flags computed
 * in the same query), the chart header, and quick search.
 */
import { expressionBuilder, sql } from "kysely";
import type { Database } from "#db/schema";
import type { DB } from "~/kernel/db";
import { MAT_SHORT, type MatMedication, OPEN_STATUSES, ageOn, isAdolescent } from "./rules";
import { daysBetween } from "~/kernel/time";

/** Builds the flag subqueries below against the outer query's `patients` row. */
const patientsEb = () => expressionBuilder<Database, "patients">();

export const CASELOAD_SORTS = ["name", "mrn", "level_of_care", "track", "admitted_on", "status"] as const;
export type CaseloadSort = (typeof CASELOAD_SORTS)[number];

export interface CaseloadQuery {
  siteIds: string[];
  /** One counselor's caseload, or everyone's when null. */
  counselorId: string | null;
  /** "open" (referred, active, on hold), one status, or "all". */
  status: "open" | "all" | "referred" | "active" | "on_hold" | "discharged";
  level: "IOP" | "PHP" | "OP" | null;
  flag: "dual" | "mat" | null;
  search: string;
  sort: CaseloadSort;
  direction: "asc" | "desc";
  page: number;
  pageSize: number;
  /** Today in the site's time zone: flags and days in program are as of this date. */
  today: string;
}

function activeDx(category: "substance" | "mental_health", today: string) {
  const eb = patientsEb();
  return eb.exists(
    eb
      .selectFrom("patient_diagnoses as d")
      .select(sql`1`.as("one"))
      .whereRef("d.patient_id", "=", "patients.id")
      .where("d.category", "=", category)
      .where((w) => w.or([w("d.onset_on", "is", null), w("d.onset_on", "<=", today)]))
      .where((w) => w.or([w("d.resolved_on", "is", null), w("d.resolved_on", ">", today)])),
  );
}

function activeMat(today: string) {
  return patientsEb()
    .selectFrom("mat_episodes as m")
    .select("m.medication")
    .whereRef("m.patient_id", "=", "patients.id")
    .where("m.started_on", "<=", today)
    .where((w) => w.or([w("m.ended_on", "is", null), w("m.ended_on", ">=", today)]))
    .orderBy("m.started_on", "desc")
    .limit(1);
}

/** The flag columns a patient row carries: active substance-use and mental-health diagnoses, current MAT. */
const flagColumns = (today: string) =>
  [activeDx("substance", today).as("has_sud"), activeDx("mental_health", today).as("has_mh"), activeMat(today).as("mat_medication")] as const;

/**
 * Patients with what a caseload row and the chart header show beside them: the current episode
 * (`e`), the primary counselor (`c`) and the track (`t`).
 */
function patientsInCare(db: DB) {
  return db
    .selectFrom("patients")
    .leftJoin("patient_episodes as e", "e.id", "patients.current_episode_id")
    .leftJoin("users as c", "c.id", "patients.primary_counselor_id")
    .leftJoin("tracks as t", "t.id", "patients.track_id");
}

/** The columns a caseload row and the chart header both read, flags as of `today` included. */
const inCareColumns = (today: string) =>
  [
    "patients.id",
    "patients.mrn",
    "patients.legal_first_name",
    "patients.legal_last_name",
    "patients.preferred_name",
    "patients.date_of_birth",
    "patients.level_of_care",
    "patients.level_since",
    "t.name as track",
    "patients.status",
    "e.admitted_on",
    "e.discharged_on",
    "c.name as counselor_name",
    ...flagColumns(today),
  ] as const;

/** What a caseload row and the chart header work out the same way from those columns. */
function inCareFigures(
  r: {
    date_of_birth: string;
    admitted_on: string | null;
    discharged_on: string | null;
    has_sud: unknown;
    has_mh: unknown;
    mat_medication: MatMedication | null;
  },
  today: string,
) {
  return {
    adolescent: isAdolescent(r.date_of_birth, today),
    daysInProgram: r.admitted_on ? Math.max(0, daysBetween(r.admitted_on, r.discharged_on ?? today)) : null,
    dualDiagnosis: Boolean(r.has_sud) && Boolean(r.has_mh),
    mat: r.mat_medication ? (MAT_SHORT[r.mat_medication] ?? r.mat_medication) : null,
  };
}

/** Search text cleaned the way names are stored (accents off, lower case, single spaces). */
function likePattern(text: string): string {
  const cleaned = text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/\s+/g, " ")
    .trim();
  return `%${cleaned.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export async function listCaseload(db: DB, q: CaseloadQuery) {
  let base = patientsInCare(db).where("patients.site_id", "in", q.siteIds.length ? q.siteIds : [""]);
  if (q.counselorId) base = base.where("patients.primary_counselor_id", "=", q.counselorId);
  if (q.status === "open") base = base.where("patients.status", "in", OPEN_STATUSES);
  else if (q.status !== "all") base = base.where("patients.status", "=", q.status);
  if (q.level) base = base.where("patients.level_of_care", "=", q.level);
  if (q.flag === "dual") base = base.where((eb) => eb.and([activeDx("substance", q.today), activeDx("mental_health", q.today)]));
  if (q.flag === "mat") base = base.where((eb) => eb.exists(activeMat(q.today)));
  if (q.search) {
    const like = likePattern(q.search);
    base = base.where((eb) => eb.or([sql<boolean>`patients.search_name like ${like} escape '\\'`, sql<boolean>`lower(patients.mrn) like ${like} escape '\\'`]));
  }
  const [{ total }] = await base.select((eb) => eb.fn.countAll<number>().as("total")).execute();

  const order = {
    name: ["patients.legal_last_name", "patients.legal_first_name"],
    mrn: ["patients.mrn"],
    level_of_care: ["patients.level_of_care", "patients.legal_last_name"],
    track: ["t.name", "patients.legal_last_name"],
    admitted_on: ["e.admitted_on", "patients.legal_last_name"],
    status: ["patients.status", "patients.legal_last_name"],
  } as const;
  let query = base.select(inCareColumns(q.today));
  // No track sorts first on both databases (PostgreSQL would put nulls last).
  for (const col of order[q.sort]) query = query.orderBy(col === "t.name" ? sql`coalesce(t.name, '')` : sql.ref(col), q.direction);
  const rows = await query
    .orderBy("patients.id")
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize)
    .execute();
  return {
    total: Number(total),
    patients: rows.map((r) => {
      const { adolescent, daysInProgram, dualDiagnosis, mat } = inCareFigures(r, q.today);
      return {
        id: r.id,
        mrn: r.mrn,
        name: `${r.legal_last_name}, ${r.legal_first_name}`,
        preferredName: r.preferred_name,
        levelOfCare: r.level_of_care,
        track: r.track,
        status: r.status,
        counselor: r.counselor_name,
        admittedOn: r.admitted_on,
        daysInProgram,
        adolescent,
        dualDiagnosis,
        mat,
      };
    }),
  };
}

/** What the chart header shows; the clinical part only for roles that may read it. */
export async function chartHeader(db: DB, patientId: string, siteIds: string[], today: string) {
  if (!siteIds.length || patientId.length > 64) return null;
  const p = await patientsInCare(db)
    .innerJoin("sites as s", "s.id", "patients.site_id")
    .select([
      ...inCareColumns(today),
      "patients.site_id",
      "patients.track_id",
      "patients.version",
      "patients.part2_notice_on",
      "e.episode_number",
      "s.name as site_name",
      "s.time_zone",
    ])
    .where("patients.id", "=", patientId)
    .where("patients.site_id", "in", siteIds)
    .executeTakeFirst();
  if (!p) return null;
  const { adolescent, daysInProgram, dualDiagnosis, mat } = inCareFigures(p, today);
  return {
    identity: {
      id: p.id,
      mrn: p.mrn,
      name: `${p.legal_first_name} ${p.legal_last_name}`,
      preferredName: p.preferred_name,
      track: p.track,
      trackId: p.track_id,
      status: p.status,
      siteName: p.site_name,
    },
    clinical: {
      age: ageOn(p.date_of_birth, today),
      adolescent,
      levelOfCare: p.level_of_care,
      levelSince: p.level_since,
      daysAtLevel: Math.max(0, daysBetween(p.level_since, p.discharged_on ?? today)),
      admittedOn: p.admitted_on,
      dischargedOn: p.discharged_on,
      episodeNumber: p.episode_number,
      daysInProgram,
      counselor: p.counselor_name,
      part2NoticeOn: p.part2_notice_on,
      dualDiagnosis,
      mat,
      version: Number(p.version),
    },
    siteId: p.site_id,
    timeZone: p.time_zone,
  };
}

/** Quick search by name or MRN, identity only: open to every role that can find patients. */
export async function searchPatients(db: DB, text: string, siteIds: string[], limit = 8) {
  const q = text.trim().slice(0, 80);
  if (!q || !siteIds.length) return [];
  const like = likePattern(q);
  const rows = await db
    .selectFrom("patients as p")
    .leftJoin("tracks as t", "t.id", "p.track_id")
    .select(["p.id", "p.mrn", "p.legal_first_name", "p.legal_last_name", "p.preferred_name", "t.name as track", "p.status"])
    .where("p.site_id", "in", siteIds)
    .where((eb) => eb.or([sql<boolean>`p.search_name like ${like} escape '\\'`, sql<boolean>`lower(p.mrn) like ${like} escape '\\'`]))
    .orderBy(sql`case when p.status = 'discharged' then 1 else 0 end`)
    .orderBy("p.legal_last_name")
    .orderBy("p.legal_first_name")
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    mrn: r.mrn,
    name: `${r.legal_first_name} ${r.legal_last_name}`,
    preferredName: r.preferred_name,
    track: r.track,
    status: r.status,
  }));
}
